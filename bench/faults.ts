// bench/faults: the product under load while its parts die. 6,000 API messages from 300
// customers at 200/s through one web and one worker process on PostgreSQL + Redis, from an
// at-least-once client (every message retried until a 202), while, in one run: the worker is
// killed (-9), Redis is killed (-9) and comes back empty, the web process is killed (-9), and
// PostgreSQL restarts. Printed: messages lost, duplicated, receipts stuck, customers with more
// than one open conversation, process exits nobody asked for, the longest gap with work
// waiting and nothing threaded, and the events an agent's socket missed (it reconnects with
// the last event id it saw and is replayed the rest).
//
//   npm run bench:faults -- [--messages 6000] [--rate 200] [--customers 300] [--source]
//
// The processes run the production build (`npm run build` first, done here), as a deployment
// does; --source runs them from TypeScript through tsx instead (slower to start).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { io } from 'socket.io-client';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/platform/db/embedded';
import { applyMigrations } from '../src/platform/db/migrate';
import { createLogger } from '../src/platform/logger';
import { hashPassword } from '../src/inbox/agents/passwords';
import { hashToken, newToken } from '../src/inbox/inboxes/directory';
import { canConnect, freePort } from '../test/helpers/ports';
import { spawnRole, type RoleProcess } from '../test/helpers/processes';

const { values: args } = parseArgs({ options: { messages: { type: 'string', default: '6000' }, rate: { type: 'string', default: '200' }, customers: { type: 'string', default: '300' }, source: { type: 'boolean', default: false } } });
const BUILT = !args.source;
const MESSAGES = Number(args.messages);
const RATE = Number(args.rate);
const CUSTOMERS = Number(args.customers);
const log = (...a: unknown[]) => console.log('[bench:faults]', ...a);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main() {
  if (BUILT) execFileSync(process.execPath, [path.resolve(import.meta.dirname, '../scripts/build.mjs')], { stdio: 'ignore' });
  log(`processes from ${BUILT ? 'the production build (node dist/main.js)' : 'TypeScript (tsx)'}; PostgreSQL 18 (embedded), Redis 7 without persistence`);
  const logger = createLogger({ level: 'silent' });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inbox-faults-'));
  fs.chmodSync(dir, 0o755);
  const pgPort = await freePort();
  let db: EmbeddedDatabase = await startEmbeddedPostgres({ dataDir: dir, port: pgPort, database: 'faults', logger });
  const redisPort = await freePort();
  let redis: ChildProcess | null = null;
  const startRedis = async () => {
    redis = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(redisPort), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    for (let i = 0; i < 100 && !(await canConnect(redisPort)); i++) await sleep(50);
  };
  await startRedis();
  const pool = new pg.Pool({ connectionString: db.url, max: 4 });
  pool.on('error', () => {});
  await applyMigrations(pool);

  // --- fixtures: one API inbox, an admin with a session ---
  const inboxToken = newToken();
  const { rows: inboxRows } = await pool.query<{ id: string }>(`INSERT INTO inboxes (name, kind, token_hash, updated_at) VALUES ('Faults', 'api', $1, now()) RETURNING id`, [hashToken(inboxToken)]);
  const inboxId = inboxRows[0]!.id;
  const { rows: adminRows } = await pool.query<{ id: string }>(`INSERT INTO agents (email, name, role, password_hash, updated_at) VALUES ('admin@faults.test', 'Admin', 'admin', $1, now()) RETURNING id`, [await hashPassword('faults-password-1')]);
  const sessionToken = newToken(32);
  await pool.query(`INSERT INTO agent_sessions (agent_id, token_hash, expires_at) VALUES ($1, $2, now() + interval '1 day')`, [adminRows[0]!.id, hashToken(sessionToken)]);

  // --- the product: a web and a worker process; unexpected exits are counted ---
  const env = { DATABASE_URL: db.url, REDIS_URL: `redis://127.0.0.1:${redisPort}`, QUEUE_PREFIX: 'faults', ROUTING_DEFAULTS: 'true' };
  const webPort = await freePort();
  const base = `http://127.0.0.1:${webPort}`;
  let unexpectedExits = 0;
  const killing = new Set<RoleProcess>();
  const allProcesses: RoleProcess[] = [];
  const watch = (p: RoleProcess, role: string) => {
    allProcesses.push(p);
    p.proc.once('exit', (code, signal) => {
      if (killing.has(p)) return;
      unexpectedExits++;
      log(`!! the ${role} process exited by itself (code ${code}, signal ${signal})`);
    });
    return p;
  };
  let web = watch(await spawnRole('web', { ...env, PORT: String(webPort) }, 60_000, { built: BUILT }), 'web');
  let worker = watch(await spawnRole('worker', env, 60_000, { built: BUILT }), 'worker');
  const kill9 = async (p: RoleProcess) => {
    killing.add(p);
    await p.kill('SIGKILL');
  };

  // --- an agent's socket that reconnects with the last event id it saw ---
  let lastEventId: string | undefined;
  const seen = new Set<string>();
  let incompleteReplays = 0;
  let replays = 0;
  const socket = io(`${base}/agents`, { transports: ['websocket'], reconnectionDelay: 200, reconnectionDelayMax: 1_000, auth: (cb) => cb({ token: sessionToken, ...(lastEventId ? { lastEventId } : {}) }) });
  socket.onAny((event: string, payload: { eventId?: string; message?: { externalId?: string | null; direction?: string } }) => {
    if (payload?.eventId) lastEventId = payload.eventId;
    if (event === 'message.created' && payload.message?.direction === 'inbound' && payload.message.externalId) seen.add(payload.message.externalId);
  });
  socket.on('connect_error', (err) => {
    if (err.message === 'unavailable') setTimeout(() => socket.connect(), 500);
  });
  // As the agent app does when a replay cannot reach back (the log went with Redis): read what it shows again,
  // then and there (messages missed after this moment stay missed).
  const reloaded = new Set<string>();
  const reloads: Array<Promise<void>> = [];
  const reload = async () => {
    const get = async <T>(path: string): Promise<T> => (await (await fetch(`${base}/api/v1${path}`, { headers: { authorization: `Bearer ${sessionToken}` }, signal: AbortSignal.timeout(30_000) })).json()) as T;
    for (let cursor: string | null = null, first = true; first || cursor; first = false) {
      const page: { data: Array<{ id: string }>; nextCursor: string | null } = await get(`/conversations?status=all&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      for (const c of page.data) {
        const { messages } = await get<{ messages: Array<{ direction: string; externalId: string | null }> }>(`/conversations/${c.id}`);
        for (const m of messages) if (m.direction === 'inbound' && m.externalId) reloaded.add(m.externalId);
      }
      cursor = page.nextCursor;
    }
  };
  socket.on('replay', (r: { complete: boolean; room?: string }) => {
    if (r.room) return;
    replays++;
    if (!r.complete) {
      incompleteReplays++;
      reloads.push(reload().catch((err: unknown) => log(`   reload after an incomplete replay failed: ${String(err)}`)));
    }
  });
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.on('disconnect', (why) => log(`   socket disconnected at t=${((performance.now() - started) / 1000).toFixed(1)}s: ${why} (seen ${seen.size}, last event ${lastEventId})`));
  socket.io.on('reconnect', () => log(`   socket reconnected at t=${((performance.now() - started) / 1000).toFixed(1)}s`));

  const started = performance.now();
  // --- progress: the longest stretch with work waiting and nothing threaded ---
  let longestIdleMs = 0;
  let idleSince: number | null = null;
  let lastProcessed = -1;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      try {
        const { rows } = await pool.query<{ processed: string; pending: string }>(`SELECT count(*) FILTER (WHERE status = 'processed') AS processed, count(*) FILTER (WHERE status = 'pending') AS pending FROM inbound_receipts`);
        const processed = Number(rows[0]!.processed);
        const pending = Number(rows[0]!.pending);
        const now = performance.now();
        if (pending > 0 && processed === lastProcessed) idleSince ??= now;
        else {
          if (idleSince !== null && now - idleSince > 3_000) log(`   a gap of ${((now - idleSince) / 1000).toFixed(1)} s from t=${((idleSince - started) / 1000).toFixed(1)}s (${pending} waiting)`);
          idleSince = null;
        }
        if (idleSince !== null) longestIdleMs = Math.max(longestIdleMs, now - idleSince);
        lastProcessed = processed;
      } catch {
        // PostgreSQL restarting: the gap keeps growing until it answers again.
        if (idleSince !== null) longestIdleMs = Math.max(longestIdleMs, performance.now() - idleSince);
      }
      await sleep(250);
    }
  })();

  // --- the load: every message retried until it is accepted (at least once) ---
  const accepted = new Set<string>();
  let retries = 0;
  let serverErrors = 0;
  const send = async (n: number) => {
    const externalId = `m-${n}`;
    const body = JSON.stringify({ externalId, from: { email: `customer${n % CUSTOMERS}@faults.test` }, text: `Message ${n}: where is my order? This is taking too long.` });
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await fetch(`${base}/api/v1/inboxes/${inboxId}/messages`, { method: 'POST', headers: { authorization: `Bearer ${inboxToken}`, 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(5_000) });
        await res.arrayBuffer();
        if (res.status === 202) return void accepted.add(externalId);
        if (res.status >= 500) serverErrors += res.status === 500 ? 1 : 0;
      } catch {
        // refused, reset or timed out: the process is down or restarting
      }
      retries++;
      await sleep(Math.min(200 * 2 ** attempt, 2_000));
    }
  };

  const faults = (async () => {
    const at = async (seconds: number, what: string, act: () => Promise<void>) => {
      await sleep(Math.max(0, started + seconds * 1000 - performance.now()));
      const t0 = performance.now();
      await act();
      log(`t=${seconds}s ${what} (${Math.round(performance.now() - t0)} ms)`);
    };
    await at(5, 'worker killed (-9) and started again', async () => {
      await kill9(worker);
      await sleep(1_000);
      worker = watch(await spawnRole('worker', env, 60_000, { built: BUILT }), 'worker');
    });
    await at(11, 'Redis killed (-9) and started again, empty', async () => {
      const r = redis!;
      const exited = new Promise((done) => r.once('exit', done));
      r.kill('SIGKILL');
      await exited;
      await sleep(1_000);
      await startRedis();
    });
    await at(17, 'web process killed (-9) and started again', async () => {
      await kill9(web);
      await sleep(1_000);
      web = watch(await spawnRole('web', { ...env, PORT: String(webPort) }, 60_000, { built: BUILT }), 'web');
    });
    await at(23, 'PostgreSQL restarted', async () => {
      await db.stop();
      await sleep(1_000);
      db = await startEmbeddedPostgres({ dataDir: dir, port: pgPort, database: 'faults', logger });
    });
  })();
  const inFlight: Array<Promise<void>> = [];
  for (let n = 0; n < MESSAGES; n++) {
    await sleep(Math.max(0, started + (n * 1000) / RATE - performance.now()));
    inFlight.push(send(n));
  }
  await Promise.all(inFlight);
  await faults;
  log(`load: ${MESSAGES} messages offered at ${RATE}/s from ${CUSTOMERS} customers, all accepted after ${retries} retries (${serverErrors} answered 500) in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  // --- settle, then count ---
  const settleUntil = performance.now() + 120_000;
  for (;;) {
    const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM inbound_receipts WHERE status = 'pending'`).catch(() => ({ rows: [{ n: '1' }] }));
    if (Number(rows[0]!.n) === 0 || performance.now() > settleUntil) break;
    await sleep(250);
  }
  await sleep(2_000); // the last socket events
  sampling = false;
  await sampler;
  const count = async (sql: string) => Number((await pool.query<{ n: string }>(sql)).rows[0]!.n);
  const stored = await count(`SELECT count(DISTINCT external_id) AS n FROM messages WHERE direction = 'inbound' AND external_id LIKE 'm-%'`);
  const duplicated = await count(`SELECT count(*) AS n FROM (SELECT external_id FROM messages WHERE direction = 'inbound' AND external_id LIKE 'm-%' GROUP BY external_id HAVING count(*) > 1) d`);
  const stuck = await count(`SELECT count(*) AS n FROM inbound_receipts WHERE status = 'pending'`);
  const split = await count(`SELECT count(*) AS n FROM (SELECT contact_id FROM conversations WHERE status <> 'resolved' GROUP BY contact_id HAVING count(*) > 1) c`);
  await Promise.all(reloads);
  const missedLive = [...accepted].filter((id) => !seen.has(id)).length;
  const missed = [...accepted].filter((id) => !seen.has(id) && !reloaded.has(id)).length;

  log('');
  log(`lost: ${accepted.size - stored} (accepted ${accepted.size}, stored ${stored})`);
  log(`duplicated: ${duplicated}`);
  log(`receipts stuck: ${stuck}`);
  log(`customers with more than one open conversation: ${split}`);
  log(`process exits nobody asked for: ${unexpectedExits}`);
  log(`longest gap with messages waiting and none threaded: ${(longestIdleMs / 1000).toFixed(1)} s (goal ≤ 5 s)`);
  log(`agent socket: ${missed} message events missed of ${accepted.size} (${missedLive} not received as events, ${missedLive - missed} of them read again by the app's reload after a replay that could not reach back; replays: ${replays}, ${incompleteReplays} incomplete)`);

  // What the processes said went wrong, once each (the figures above say whether it cost anything).
  const said = new Map<string, number>();
  for (const p of allProcesses) for (const chunk of p.output) for (const line of chunk.split('\n')) {
    const m = /"level":(50|40).*?"err":"([^"]{0,160})/.exec(line) ?? /"level":(50|40).*?"msg":"([^"]{0,120})"/.exec(line);
    if (m) said.set(m[2]!, (said.get(m[2]!) ?? 0) + 1);
  }
  if (process.env.BENCH_VERBOSE) for (const [what, n] of said) log(`   logged ${n}×: ${what}`);
  socket.disconnect();
  await Promise.all([web, worker].map((p) => kill9(p)));
  await pool.end();
  (redis as ChildProcess | null)?.kill('SIGKILL');
  await db.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
