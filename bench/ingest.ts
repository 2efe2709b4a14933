// bench/ingest: messages/s through the whole pipeline (API channel → stored, threaded,
// scored, prioritised → routed by the default rules: acknowledged, assigned → event on an
// agent socket), latency from the 202 to the agent's socket event and to the stored
// acknowledgement, and the web process's memory with its sockets connected, with PostgreSQL
// + Redis, next to the bare insert rate of the same rows into the same PostgreSQL.
//
//   npm run bench:ingest -- [--seconds 20] [--rate 500] [--ack-rate 200] [--sockets 500] [--inboxes 50]
//                           [--shape split|single] [--routing on|off|both]
//
// Routing on (default): the rules a new installation runs, with every agent online (capacity
// 10 each); "both" runs the same scenario again with routing off, on a fresh database, and
// prints the two side by side. Shape split: one web process and one worker process
// (production); single: the `all` role. BENCH_UNSAFE_PG=1 runs PostgreSQL without fsync:
// tells waiting on the disk from CPU work. Agents are spread over the inboxes (10 per inbox
// by default), as support teams are; an admin observer socket sees every message and times
// it. Everything, the load generator included, shares this machine's cores: the CPU line
// says who used what.
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
import { endBenchDatabase } from './lib/database';
import { cpuSeconds, pidsOf, percentile, rssMegabytes } from './lib/measure';
import { CUSTOMER_TEXTS } from './lib/texts';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    rate: { type: 'string', default: '500' },
    'ack-rate': { type: 'string', default: '200' },
    sockets: { type: 'string', default: '500' },
    inboxes: { type: 'string', default: '50' },
    shape: { type: 'string', default: 'split' },
    concurrency: { type: 'string', default: '128' },
    routing: { type: 'string', default: 'on' },
  },
});
const SECONDS = Number(args.seconds);
const RATE = Number(args.rate);
const ACK_RATE = Number(args['ack-rate']);
const SOCKETS = Number(args.sockets);
const INBOXES = Math.max(1, Number(args.inboxes));
const CONCURRENCY = Number(args.concurrency);
if (!['on', 'off', 'both'].includes(args.routing)) throw new Error('--routing is on, off or both');
const log = (...a: unknown[]) => console.log('[bench:ingest]', ...a);
/** Messages per customer: each customer's messages make one conversation (a quarter of messages open one), whatever the machine's speed. */
const MESSAGES_PER_CUSTOMER = 4;
const BLOCK = 5000;
/** The n-th message's customer: blocks of 5,000 messages from 1,250 customers, each writing 4 times, 1,250 messages apart. */
const customerOf = (n: number) => (n % (BLOCK / MESSAGES_PER_CUSTOMER)) + (BLOCK / MESSAGES_PER_CUSTOMER) * Math.floor(n / BLOCK);

interface Figures {
  routing: 'on' | 'off';
  sustained: number;
  accepted: number;
  webRssIdle: number;
  webRssAfter: number;
  p50: number;
  p99: number;
  ackP50: number | null;
  ackP99: number | null;
  cpu: string;
}

async function main() {
  log(`machine: ${os.cpus().length} cores (${os.cpus()[0]?.model}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`);
  const modes = args.routing === 'both' ? (['on', 'off'] as const) : [args.routing as 'on' | 'off'];
  const results: Figures[] = [];
  for (const mode of modes) results.push(await scenario(mode));
  if (results.length === 2) {
    const [on, off] = results as [Figures, Figures];
    log('');
    log('side by side (same machine, same run):');
    console.table({
      'sustained, end to end (messages/s)': { 'routing on': Math.round(on.sustained), 'routing off': Math.round(off.sustained) },
      [`202 → agent socket at ${RATE}/s, p50 (ms)`]: { 'routing on': round1(on.p50), 'routing off': round1(off.p50) },
      [`202 → agent socket at ${RATE}/s, p99 (ms)`]: { 'routing on': round1(on.p99), 'routing off': round1(off.p99) },
      [`202 → acknowledgement stored at ${ACK_RATE}/s, p99 (ms)`]: { 'routing on': on.ackP99 === null ? '-' : round1(on.ackP99), 'routing off': '-' },
      [`web process RSS with ${SOCKETS} sockets (MB)`]: { 'routing on': Math.round(on.webRssIdle), 'routing off': Math.round(off.webRssIdle) },
    });
    log(`routing on reaches ${((on.sustained / off.sustained) * 100).toFixed(0)} % of the routing-off rate (goal ≥ 60 %)`);
  }
}

const round1 = (x: number) => Math.round(x * 10) / 10;

async function scenario(routingMode: 'on' | 'off'): Promise<Figures> {
  const routingOn = routingMode === 'on';
  const logger = createLogger({ level: 'warn', pretty: false });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inbox-bench-'));
  fs.chmodSync(dir, 0o755);
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
    // Agents at work are online (capacity 10 each): with routing on, every conversation is assigned while there is room.
    const session = async (email: string, role: string) => {
      const { rows } = await pool.query<{ id: string }>(
        `INSERT INTO agents (email, name, role, password_hash, availability, updated_at) VALUES ($1, $1, $2::"AgentRole", $3, $4::"Availability", now()) RETURNING id`,
        [email, role, passwordHash, role === 'admin' ? 'offline' : 'online'],
      );
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
    const env = { DATABASE_URL: db.url, REDIS_URL: redis.url, QUEUE_PREFIX: 'bench', ROUTING_DEFAULTS: routingOn ? 'true' : 'false' };
    const webPort = await freePort();
    if (args.shape === 'single') procs.push(await spawnRole('all', { ...env, PORT: String(webPort) }));
    else procs.push(...(await Promise.all([spawnRole('web', { ...env, PORT: String(webPort) }), spawnRole('worker', env)])));
    const base = `http://127.0.0.1:${webPort}`;
    log(`load: each customer writes ${MESSAGES_PER_CUSTOMER} messages (one conversation each: ${100 / MESSAGES_PER_CUSTOMER} % of messages open a conversation), spread over the run`);
    log(`--- routing ${routingOn ? 'on (the default rules: acknowledge, assign, escalate; agents online)' : 'off'} ---`);
    log(`shape: ${args.shape === 'single' ? 'one process (web + worker)' : 'web process + worker process'}; PostgreSQL 18 (embedded, default durability); Redis 7 on loopback`);

    // --- sockets: SOCKETS agents (raw, counting) + one admin observer that times every message ---
    const t0 = Date.now();
    for (let i = 0; i < SOCKETS; i += 50) agents.push(...(await Promise.all(agentTokens.slice(i, i + 50).map((t) => connectRawAgent(base, t)))));
    observer = io(`${base}/agents`, { auth: { token: admin.token }, transports: ['websocket'], reconnection: false });
    await new Promise<void>((res, rej) => (observer!.once('connect', () => res()), observer!.once('connect_error', rej)));
    log(`${SOCKETS} agent sockets (${Math.ceil(SOCKETS / INBOXES)} per inbox over ${INBOXES} inboxes) + 1 admin observer connected in ${Date.now() - t0} ms`);
    await new Promise((r) => setTimeout(r, 1000));
    const webPid = procs[0]!.proc.pid!;
    const webRssIdle = rssMegabytes(webPid);
    log(`${args.shape === 'single' ? 'app' : 'web'} process memory with ${SOCKETS + 1} sockets connected: ${webRssIdle.toFixed(0)} MB resident (goal < 300 MB with 1,000 sockets)`);
    const arrivals = new Map<string, number>();
    // Told when their message arrives, instead of polling: the load generator shares the cores and its timers would add jitter.
    const waiting = new Map<string, () => void>();
    // When the pipeline took each message (its createdAt, wall clock): splits latency into queue wait and commit → socket.
    const takenAt = new Map<string, number>();
    // Acknowledgements: the customer message that opened each conversation, and when its acknowledgement was stored and seen.
    const openedBy = new Map<string, string>();
    // Seen: the conversation.updated that says it was acknowledged (the reply itself goes to those viewing the conversation).
    const acks = new Map<string, { seenAt: number }>();
    const ackWaiting = new Map<string, () => void>();
    observer.on('message.created', (e: { conversationId: string; message: { externalId: string | null; createdAt: string; direction: string } }) => {
      if (e.message.direction !== 'inbound' || !e.message.externalId) return;
      arrivals.set(e.message.externalId, performance.now());
      takenAt.set(e.message.externalId, Date.parse(e.message.createdAt) - performance.timeOrigin);
      if (!openedBy.has(e.conversationId)) openedBy.set(e.conversationId, e.message.externalId);
      waiting.get(e.message.externalId)?.();
    });
    observer.on('conversation.updated', (e: { conversation: { id: string }; changes: string[] }) => {
      const by = openedBy.get(e.conversation.id);
      if (!by || !e.changes.includes('acknowledged') || acks.has(by)) return;
      acks.set(by, { seenAt: performance.now() });
      ackWaiting.get(by)?.();
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
    const postOne = async (externalId: string, n: number, customer = `customer${customerOf(n)}`): Promise<number> => {
      const inbox = inboxes[Number(/\d+$/.exec(customer)?.[0] ?? n) % INBOXES]!;
      const res = await http.request({
        path: `/api/v1/inboxes/${inbox.id}/messages`,
        method: 'POST',
        headers: { authorization: `Bearer ${inbox.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ externalId, from: { name: `Customer ${customer}`, email: `${customer}@bench.test` }, text: CUSTOMER_TEXTS[n % CUSTOMER_TEXTS.length] }),
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
    const delivered = await waitDelivered(ids, 180_000);
    const arrivedBy = Math.max(...ids.map((id) => arrivals.get(id) ?? 0));
    // End to end includes routing: done when the outbox is empty too (every message acknowledged, assigned, escalated).
    let routedBy = arrivedBy;
    if (routingOn) {
      const deadline = Date.now() + 180_000;
      while (Date.now() < deadline && Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM routing_events')).rows[0]!.n) > 0) await new Promise((r) => setTimeout(r, 20));
      routedBy = Math.max(arrivedBy, performance.now());
    }
    const cpuAfter = cpuSeconds(groups);
    const endToEnd = (routedBy - startedAt) / 1000;
    const sustained = delivered / endToEnd;
    const fanout = agents.reduce((s, a) => s + a.received, 0) - fanoutBefore;
    log(`sustained: ${ids.length} messages accepted in ${acceptedIn.toFixed(1)} s (${(ids.length / acceptedIn).toFixed(0)}/s at the API); all ${delivered} reached the observer in ${((arrivedBy - startedAt) / 1000).toFixed(1)} s${routingOn ? `, routed by ${endToEnd.toFixed(1)} s` : ''} → ${sustained.toFixed(0)} messages/s end to end; agent sockets received ${fanout} events`);
    if (routingOn) {
      const { rows: [r] } = await pool.query<{ conversations: string; acknowledged: string; assigned: string; waiting: string }>(
        `SELECT count(*) AS conversations, count(*) FILTER (WHERE acknowledged_at IS NOT NULL) AS acknowledged, count(*) FILTER (WHERE assignee_id IS NOT NULL) AS assigned,
                count(*) FILTER (WHERE assignee_id IS NULL AND status = 'open') AS waiting FROM conversations`,
      );
      log(`routing: ${r!.conversations} conversations, ${r!.acknowledged} acknowledged, ${r!.assigned} assigned, ${r!.waiting} waiting in the queue`);
    }
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

    // --- 3. the acknowledgement: new customers at a fixed rate, 202 → acknowledgement stored and seen ---
    const ackLatencies: number[] = [];
    const ackSeen: number[] = [];
    if (routingOn) {
      const ackRun = crypto.randomBytes(3).toString('hex');
      const totalAcks = Math.round(ACK_RATE * Math.min(SECONDS, 10));
      const ackStart = performance.now();
      const pending: Array<Promise<void>> = [];
      const acceptedAt = new Map<string, number>();
      for (let i = 0; i < totalAcks; i++) {
        const wait = ackStart + (i * 1000) / ACK_RATE - performance.now();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
        const id = `ack-${ackRun}-${i}`;
        pending.push(
          postOne(id, i, `new-${ackRun}-${i}`).then(async (at) => {
            acceptedAt.set(id, at);
            if (!acks.has(id)) await new Promise<void>((resolve) => {
              const timer = setTimeout(() => (ackWaiting.delete(id), resolve()), 30_000);
              ackWaiting.set(id, () => (clearTimeout(timer), ackWaiting.delete(id), resolve()));
            });
            const a = acks.get(id);
            if (a) ackSeen.push(a.seenAt - at);
          }),
        );
      }
      await Promise.all(pending);
      // Stored: the acknowledgement's own row (its created_at is the routing batch's clock, on this machine).
      const byConversation = new Map([...openedBy].filter(([, ext]) => acceptedAt.has(ext)));
      const { rows } = await pool.query<{ conversation_id: string; created_at: Date }>(
        `SELECT conversation_id, created_at FROM messages WHERE conversation_id = ANY($1::uuid[]) AND metadata->>'acknowledgement' = 'true'`,
        [[...byConversation.keys()]],
      );
      for (const r of rows) ackLatencies.push(r.created_at.getTime() - performance.timeOrigin - acceptedAt.get(byConversation.get(r.conversation_id)!)!);
      log(`acknowledgement at ${ACK_RATE} new customers/s: 202 → acknowledgement stored p50 ${percentile(ackLatencies, 50).toFixed(0)} ms, p99 ${percentile(ackLatencies, 99).toFixed(0)} ms (goal p99 < 1,000 ms); → told to the inbox (conversation.updated) p99 ${percentile(ackSeen, 99).toFixed(0)} ms; ${ackLatencies.length} of ${totalAcks} acknowledged`);
    }
    const webRssAfter = rssMegabytes(webPid);
    log(`${args.shape === 'single' ? 'app' : 'web'} process memory after the load: ${webRssAfter.toFixed(0)} MB resident`);

    // --- 4. bare insert rate of the same rows into the same PostgreSQL ---
    if (process.env.EMBEDDED_PG_STATS) {
      const { rows } = await pool.query(`SELECT calls, round(total_exec_time::numeric) AS ms, round(total_plan_time::numeric) AS plan_ms, round((total_exec_time / nullif(calls, 0))::numeric, 3) AS ms_per_call, round((total_plan_time / nullif(plans, 0))::numeric, 3) AS plan_per_call, shared_blks_hit AS hits, left(regexp_replace(query, '\\s+', ' ', 'g'), 70) AS query FROM pg_stat_statements ORDER BY total_exec_time + total_plan_time DESC LIMIT 25`);
      console.table(rows);
    }
    return {
      routing: routingMode, sustained, accepted: ids.length, webRssIdle, webRssAfter, p50: percentile(latencies, 50), p99: percentile(latencies, 99),
      ackP50: routingOn ? percentile(ackLatencies, 50) : null, ackP99: routingOn ? percentile(ackLatencies, 99) : null,
      cpu: perMessage.join(', '),
    };
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
    await endBenchDatabase(db, dir, log);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
