// bench/ingest: messages/s through the whole pipeline (API channel → stored, threaded,
// scored, prioritised → event on an agent socket) and latency from the 202 to the agent's
// socket event, with PostgreSQL + Redis, next to the bare insert rate of the same rows into
// the same PostgreSQL measured in the same run.
//
//   npm run bench:ingest -- [--seconds 20] [--rate 500] [--sockets 500] [--inboxes 50] [--shape split|single] [--routing off|on]
//
// Shape split: one web process and one worker process (production); single: the `all` role.
// BENCH_UNSAFE_PG=1 runs PostgreSQL without fsync: tells waiting on the disk from CPU work.
// Agents are spread over the inboxes (10 per inbox by default), as support teams are; an
// admin observer socket sees every message and times it. Everything, the load generator
// included, shares this machine's cores: the CPU line says who used what.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import { Pool } from 'undici';
import { startEmbeddedPostgres } from '../src/platform/db/embedded';
import { applyMigrations } from '../src/platform/db/migrate';
import { createLogger } from '../src/platform/logger';
import { hashPassword } from '../src/inbox/agents/passwords';
import { hashToken, newToken } from '../src/inbox/inboxes/directory';
import { startRedis } from '../test/setup/redis';
import { freePort } from '../test/helpers/ports';
import { spawnRole, type RoleProcess } from '../test/helpers/processes';
import { connectRawAgent, type RawAgentSocket } from './lib/raw-agent-socket';
import { cpuSeconds, pidsOf, percentile } from './lib/measure';
import { CUSTOMER_TEXTS } from './lib/texts';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    rate: { type: 'string', default: '500' },
    sockets: { type: 'string', default: '500' },
    inboxes: { type: 'string', default: '50' },
    shape: { type: 'string', default: 'split' },
    concurrency: { type: 'string', default: '128' },
    // "off" (default): the pipeline alone, as the goals are set; "on": the default routing rules too
    // (acknowledge and assign every message), as a default installation runs.
    routing: { type: 'string', default: 'off' },
  },
});
const SECONDS = Number(args.seconds);
const RATE = Number(args.rate);
const SOCKETS = Number(args.sockets);
const INBOXES = Math.max(1, Number(args.inboxes));
const CONCURRENCY = Number(args.concurrency);
const log = (...a: unknown[]) => console.log('[bench:ingest]', ...a);


async function main() {
  const logger = createLogger({ level: 'warn', pretty: false });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inbox-bench-'));
  fs.chmodSync(dir, 0o755);
  log(`machine: ${os.cpus().length} cores (${os.cpus()[0]?.model}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`);
  const db = await startEmbeddedPostgres({ dataDir: dir, port: await freePort(), database: 'bench', logger, unsafeFast: process.env.BENCH_UNSAFE_PG === '1' });
  const redis = await startRedis();
  const pool = new pg.Pool({ connectionString: db.url, max: 20 });
  await applyMigrations(pool);
  if (process.env.EMBEDDED_PG_STATS) await pool.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  const procs: RoleProcess[] = [];
  const agents: RawAgentSocket[] = [];
  let observer: Socket | undefined;
  let client: Pool | undefined;
  try {
    // --- fixtures: INBOXES API inboxes, SOCKETS agents spread over them, one admin ---
    const inboxes: Array<{ id: string; token: string }> = [];
    for (let i = 0; i < INBOXES; i++) {
      const token = newToken();
      const { rows } = await pool.query<{ id: string }>(`INSERT INTO inboxes (name, kind, token_hash, updated_at) VALUES ($1, 'api', $2, now()) RETURNING id`, [`Inbox ${i}`, hashToken(token)]);
      inboxes.push({ id: rows[0]!.id, token });
    }
    const passwordHash = await hashPassword('bench-password');
    // Sessions written directly: 500 logins would measure scrypt, not the pipeline.
    const session = async (email: string, role: string) => {
      const { rows } = await pool.query<{ id: string }>(`INSERT INTO agents (email, name, role, password_hash, updated_at) VALUES ($1, $1, $2::"AgentRole", $3, now()) RETURNING id`, [email, role, passwordHash]);
      const token = newToken(32);
      await pool.query(`INSERT INTO agent_sessions (agent_id, token_hash, expires_at) VALUES ($1, $2, now() + interval '1 day')`, [rows[0]!.id, hashToken(token)]);
      return { id: rows[0]!.id, token };
    };
    const admin = await session('admin@bench.test', 'admin');
    const agentTokens: string[] = [];
    for (let i = 0; i < SOCKETS; i++) {
      const a = await session(`agent${i}@bench.test`, 'agent');
      await pool.query('INSERT INTO inbox_members (inbox_id, agent_id) VALUES ($1, $2)', [inboxes[i % INBOXES]!.id, a.id]);
      agentTokens.push(a.token);
    }

    // --- the product ---
    const env = { DATABASE_URL: db.url, REDIS_URL: redis.url, QUEUE_PREFIX: 'bench', ROUTING_DEFAULTS: args.routing === 'off' ? 'false' : 'true' };
    const webPort = await freePort();
    if (args.shape === 'single') procs.push(await spawnRole('all', { ...env, PORT: String(webPort) }));
    else procs.push(...(await Promise.all([spawnRole('web', { ...env, PORT: String(webPort) }), spawnRole('worker', env)])));
    const base = `http://127.0.0.1:${webPort}`;
    log(`shape: ${args.shape === 'single' ? 'one process (web + worker)' : 'web process + worker process'}; routing ${args.routing === 'off' ? 'off' : 'on (default rules: acknowledge, assign)'}; PostgreSQL 18 (embedded, default durability); Redis 7 on loopback`);

    // --- sockets: SOCKETS agents (raw, counting) + one admin observer that times every message ---
    const t0 = Date.now();
    for (let i = 0; i < SOCKETS; i += 50) agents.push(...(await Promise.all(agentTokens.slice(i, i + 50).map((t) => connectRawAgent(base, t)))));
    observer = io(`${base}/agents`, { auth: { token: admin.token }, transports: ['websocket'], reconnection: false });
    await new Promise<void>((res, rej) => (observer!.once('connect', () => res()), observer!.once('connect_error', rej)));
    log(`${SOCKETS} agent sockets (${Math.ceil(SOCKETS / INBOXES)} per inbox over ${INBOXES} inboxes) + 1 admin observer connected in ${Date.now() - t0} ms`);
    const arrivals = new Map<string, number>();
    // Told when their message arrives, instead of polling: the load generator shares the cores and its timers would add jitter.
    const waiting = new Map<string, () => void>();
    // When the pipeline took each message (its createdAt, wall clock): splits latency into queue wait and commit → socket.
    const takenAt = new Map<string, number>();
    observer.on('message.created', (e: { message: { externalId: string; createdAt: string } }) => {
      arrivals.set(e.message.externalId, performance.now());
      takenAt.set(e.message.externalId, Date.parse(e.message.createdAt) - performance.timeOrigin);
      waiting.get(e.message.externalId)?.();
    });
    const arrival = (id: string, timeoutMs: number) =>
      arrivals.has(id)
        ? Promise.resolve(arrivals.get(id))
        : new Promise<number | undefined>((resolve) => {
            const timer = setTimeout(() => (waiting.delete(id), resolve(undefined)), timeoutMs);
            waiting.set(id, () => (clearTimeout(timer), waiting.delete(id), resolve(arrivals.get(id))));
          });

    // undici's pool: the load generator shares the two cores with the product, and costs it
    // about half of what node:http's client does per request.
    const http = (client = new Pool(base, { connections: CONCURRENCY }));
    const postOne = async (externalId: string, n: number): Promise<number> => {
      const inbox = inboxes[n % INBOXES]!;
      const res = await http.request({
        path: `/api/v1/inboxes/${inbox.id}/messages`,
        method: 'POST',
        headers: { authorization: `Bearer ${inbox.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ externalId, from: { name: `Customer ${n % 5000}`, email: `customer${n % 5000}@bench.test` }, text: CUSTOMER_TEXTS[n % CUSTOMER_TEXTS.length] }),
      });
      await res.body.dump();
      if (res.statusCode !== 202) throw new Error(`HTTP ${res.statusCode}`);
      return performance.now();
    };
    const waitDelivered = async (ids: string[], timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline && ids.some((id) => !arrivals.has(id))) await new Promise((r) => setTimeout(r, 20));
      return ids.filter((id) => arrivals.has(id)).length;
    };

    // --- warm-up ---
    const warm = Array.from({ length: 300 }, (_, i) => `warm-${i}`);
    await Promise.all(warm.map((id, i) => postOne(id, i)));
    await waitDelivered(warm, 30_000);

    // --- 1. sustained throughput: as fast as the pipeline goes ---
    const groups = {
      ...Object.fromEntries(procs.map((p, i) => [args.shape === 'single' ? 'app' : i === 0 ? 'web' : 'worker', [p.proc.pid!]])),
      postgres: () => pidsOf(/^postgres/),
      redis: () => pidsOf(/redis-server/),
      'load generator + sockets': [process.pid],
    };
    const run = crypto.randomBytes(3).toString('hex');
    const ids: string[] = [];
    let n = 0;
    const cpuBefore = cpuSeconds(groups);
    const fanoutBefore = agents.reduce((s, a) => s + a.received, 0);
    const startedAt = performance.now();
    const stopAt = startedAt + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < stopAt) {
          const id = `max-${run}-${n}`;
          ids.push(id);
          await postOne(id, n++);
        }
      }),
    );
    const acceptedIn = (performance.now() - startedAt) / 1000;
    const delivered = await waitDelivered(ids, 120_000);
    const cpuAfter = cpuSeconds(groups);
    const endToEnd = (Math.max(...ids.map((id) => arrivals.get(id) ?? 0)) - startedAt) / 1000;
    const sustained = delivered / endToEnd;
    const fanout = agents.reduce((s, a) => s + a.received, 0) - fanoutBefore;
    log(`sustained: ${ids.length} messages accepted in ${acceptedIn.toFixed(1)} s (${(ids.length / acceptedIn).toFixed(0)}/s at the API); all ${delivered} reached the observer in ${endToEnd.toFixed(1)} s → ${sustained.toFixed(0)} messages/s end to end (goal ≥ 2,000); agent sockets received ${fanout} events`);
    const perMessage = Object.entries(cpuAfter).map(([k, v]) => `${k} ${(((v - cpuBefore[k]!) * 1000) / delivered).toFixed(2)}`);
    log(`CPU per message (ms, user+system): ${perMessage.join(', ')}`);

    // --- 2. latency at a fixed rate ---
    const latencies: number[] = [];
    const queued: number[] = [];
    const fixed: Array<Promise<void>> = [];
    const fixedRun = crypto.randomBytes(3).toString('hex');
    const total = Math.round(RATE * SECONDS);
    const fixedStart = performance.now();
    for (let i = 0; i < total; i++) {
      const wait = fixedStart + (i * 1000) / RATE - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      const id = `fixed-${fixedRun}-${i}`;
      fixed.push(
        postOne(id, i).then(async (acceptedAt) => {
          const arrivedAt = await arrival(id, 30_000);
          if (arrivedAt === undefined) return;
          latencies.push(arrivedAt - acceptedAt);
          queued.push(takenAt.get(id)! - acceptedAt);
        }),
      );
    }
    await Promise.all(fixed);
    const achieved = total / ((performance.now() - fixedStart) / 1000);
    log(`latency at ${RATE} messages/s offered (${achieved.toFixed(0)}/s achieved), ${SOCKETS} agent sockets: 202 → socket event p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms over ${latencies.length} messages (goal p99 < 50 ms)`);
    const after = latencies.map((l, i) => l - queued[i]!);
    log(`  of which 202 → pipeline takes it (queue + batch wait): p50 ${percentile(queued, 50).toFixed(1)}, p99 ${percentile(queued, 99).toFixed(1)} ms; pipeline takes it → socket (transaction + fan-out): p50 ${percentile(after, 50).toFixed(1)}, p99 ${percentile(after, 99).toFixed(1)} ms`);

    // --- 3. bare insert rate of the same rows into the same PostgreSQL ---
    const { rows: [conv] } = await pool.query<{ id: string; inbox_id: string }>('SELECT id, inbox_id FROM conversations LIMIT 1');
    const bare = 20_000;
    let k = 0;
    const bareStart = performance.now();
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (k < bare) {
          const i = k++;
          await pool.query(
            `INSERT INTO messages (conversation_id, inbox_id, direction, sender_type, text, external_id, delivery_status, metadata) VALUES ($1, $2, 'inbound', 'contact', $3, $4, 'received', '{}')`,
            [conv!.id, conv!.inbox_id, CUSTOMER_TEXTS[i % CUSTOMER_TEXTS.length], `bare-${run}-${i}`],
          );
        }
      }),
    );
    const bareRate = bare / ((performance.now() - bareStart) / 1000);
    log(`bare insert, same PostgreSQL: ${bare} message rows, one INSERT (one commit) each over 16 connections: ${bareRate.toFixed(0)} rows/s; the pipeline end to end reaches ${((sustained / bareRate) * 100).toFixed(0)} % of that while also writing receipts, contacts, conversations and signals and delivering events`);
    if (process.env.EMBEDDED_PG_STATS) {
      const { rows } = await pool.query(`SELECT calls, round(total_exec_time::numeric) AS ms, round(total_plan_time::numeric) AS plan_ms, round((total_exec_time / nullif(calls, 0))::numeric, 3) AS ms_per_call, round((total_plan_time / nullif(plans, 0))::numeric, 3) AS plan_per_call, left(regexp_replace(query, '\\s+', ' ', 'g'), 80) AS query FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 15`);
      console.table(rows);
    }
  } catch (err) {
    for (const p of procs) console.error(p.output.join('').slice(-3000));
    throw err;
  } finally {
    observer?.disconnect();
    await client?.close();
    agents.forEach((a) => a.close());
    await Promise.all(procs.map((p) => p.kill()));
    await pool.end();
    await redis.stop();
    await db.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
