// bench/store: the agent app's questions against a big store, through the HTTP API as the app
// asks them. Fills PostgreSQL with set-based SQL (contacts with email / phone / X handles,
// conversations over 60 days — a fifth of them open —, two messages each with their
// signals, labels), then runs the product (web + worker processes, the default rules on)
// and times every list view and filter, deep pages, search and the 30-day report, as an
// admin and as an agent who sees three of the fifty inboxes.
//
//   npm run bench:store -- [--conversations 1000000] [--requests 40] [--database URL]
//
// The fill takes a few minutes at a million; it is timed too.
import { findDuplicatePairs, SUGGEST_AT } from '../src/inbox/contacts/suggestions';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/platform/db/embedded';
import { applyMigrations } from '../src/platform/db/migrate';
import { createLogger } from '../src/platform/logger';
import { hashPassword } from '../src/inbox/agents/passwords';
import { startRedis } from '../test/setup/redis';
import { freePort } from '../test/helpers/ports';
import { spawnRole, type RoleProcess } from '../test/helpers/processes';
import { endBenchDatabase } from './lib/database';
import { percentile } from './lib/measure';
import { buildReportTimeZone } from '../src/inbox/reports/time-zones';

const { values: args } = parseArgs({
  options: {
    conversations: { type: 'string', default: '1000000' },
    requests: { type: 'string', default: '40' },
    // A store this bench filled before and kept (BENCH_KEEP_DB=1): measured again without the fill.
    database: { type: 'string' },
  },
});
const N = Number(args.conversations);
const REQUESTS = Number(args.requests);
const INBOXES = 50;
const AGENTS = 500;
const PASSWORD = 'bench-password';
const log = (...a: unknown[]) => console.log('[bench:store]', ...a);

const FIRST = ['Ann', 'Ben', 'Carla', 'David', 'Eva', 'Farid', 'Greta', 'Hugo', 'Ines', 'Jonas', 'Kim', 'Lena', 'Marco', 'Nora', 'Omar', 'Paula'];
const LAST = ['Smith', 'Garcia', 'Müller', 'Rossi', 'Dubois', 'Silva', 'Kowalski', 'Nielsen', 'Okafor', 'Tanaka', 'Novak', 'Haddad'];
const SUBJECTS = ['Refund for order', 'Parcel not delivered', 'Charged twice', 'Cannot log in', 'Cancel my subscription', 'Damaged item', 'Question about invoice', 'Delayed delivery'];
const WORDS = ['refund', 'parcel', 'invoice', 'password', 'subscription', 'delivery', 'charge', 'account', 'damaged', 'tracking', 'warranty', 'voucher'];
const CATEGORIES = ['billing', 'refund', 'delivery', 'order', 'account', 'cancellation', 'product_quality', 'service_staff', 'delay', 'lost_damaged', 'praise', 'question', 'other'];
// Channels without a reader to start (the bench has no mailbox or X account behind them).
const KINDS = ['api', 'widget', 'sms', 'slack', 'api'];

/** Triggers a bulk load does without: the reports' (rebuilt at the end) and the list's change log (no listing is open). */
const BULK_TRIGGERS = [
  ['conversations', 'report_conversations_inserted'], ['conversations', 'conversation_list_inserted'],
  ['messages', 'report_messages_inserted'], ['message_signals', 'report_signals_inserted'],
] as const;

async function fill(pool: pg.Pool): Promise<{ agentEmail: string; adminEmail: string; password: string }> {
  const password = PASSWORD;
  const hash = await hashPassword(password);
  const t0 = performance.now();
  const step = async (what: string, sql: string, values: unknown[] = []) => {
    const s = performance.now();
    const r = await pool.query(sql, values);
    log(`  ${what}: ${r.rowCount ?? 0} rows in ${((performance.now() - s) / 1000).toFixed(1)} s`);
  };
  await pool.query('SELECT setseed(0.42)');
  // A bulk load: the reports' triggers are off and the rollups are rebuilt in one pass at the end.
  for (const [table, trigger] of BULK_TRIGGERS) await pool.query(`ALTER TABLE ${table} DISABLE TRIGGER ${trigger}`);
  await step('inboxes', `INSERT INTO inboxes (id, name, kind, token_hash, updated_at)
    SELECT gen_random_uuid(), 'Inbox ' || i, ($1::text[])[1 + i % 5]::"ChannelKind", md5(i::text), now() FROM generate_series(0, ${INBOXES - 1}) i`, [KINDS]);
  await step('teams', `INSERT INTO teams (name) SELECT 'Team ' || i FROM generate_series(0, 9) i`);
  await step('agents', `INSERT INTO agents (email, name, role, password_hash, availability, capacity, updated_at)
    SELECT 'agent' || i || '@bench.test', 'Agent ' || i, 'agent', $1, 'online', 20, now() FROM generate_series(0, ${AGENTS - 1}) i`, [hash]);
  await pool.query(`INSERT INTO agents (email, name, role, password_hash, updated_at) VALUES ('admin@bench.test', 'Admin', 'admin', $1, now())`, [hash]);
  await step('inbox members', `INSERT INTO inbox_members (inbox_id, agent_id)
    SELECT i.id, a.id FROM (SELECT id, row_number() OVER (ORDER BY name) - 1 AS n FROM inboxes) i
      JOIN (SELECT id, (substring(email from 'agent(\\d+)@'))::int AS n FROM agents WHERE role = 'agent') a ON a.n % ${INBOXES} = i.n
        OR (a.n = 0 AND i.n IN (1, 2))`);
  await step('team members', `INSERT INTO team_members (team_id, agent_id)
    SELECT t.id, a.id FROM (SELECT id, row_number() OVER (ORDER BY name) - 1 AS n FROM teams) t
      JOIN (SELECT id, (substring(email from 'agent(\\d+)@'))::int AS n FROM agents WHERE role = 'agent') a ON a.n % 10 = t.n`);
  await step('labels', `INSERT INTO labels (name) SELECT 'label-' || i FROM generate_series(0, 19) i`);
  const contacts = Math.round(N * 0.6);
  await step('contacts', `INSERT INTO contacts (id, name, email, phone, created_at, updated_at)
    SELECT gen_random_uuid(), ($1::text[])[1 + i % 16] || ' ' || ($2::text[])[1 + (i / 16) % 12] || ' ' || i, 'customer' || i || '@example.com',
           CASE WHEN i % 10 < 3 THEN '+1415' || lpad(i::text, 7, '0') END, now() - interval '90 days', now()
      FROM generate_series(0, ${contacts - 1}) i`, [FIRST, LAST]);
  await pool.query(`CREATE TEMP TABLE bench_contacts AS SELECT id, row_number() OVER (ORDER BY email) - 1 AS n, email, phone FROM contacts`);
  await pool.query(`CREATE INDEX ON bench_contacts (n)`);
  await step('identities', `INSERT INTO contact_identities (contact_id, kind, address)
    SELECT id, 'email'::"IdentityKind", email FROM bench_contacts
    UNION ALL SELECT id, 'phone'::"IdentityKind", phone FROM bench_contacts WHERE phone IS NOT NULL
    UNION ALL SELECT id, 'twitter'::"IdentityKind", 'handle_' || n FROM bench_contacts WHERE n % 7 = 3`);
  await pool.query(`CREATE TEMP TABLE bench_inboxes AS SELECT id, kind::text, row_number() OVER (ORDER BY name) - 1 AS n FROM inboxes`);
  await pool.query(`CREATE TEMP TABLE bench_agents AS SELECT a.id, m.inbox_id, row_number() OVER (PARTITION BY m.inbox_id ORDER BY a.email) - 1 AS n FROM agents a JOIN inbox_members m ON m.agent_id = a.id`);
  await pool.query(`CREATE TEMP TABLE bench_teams AS SELECT id, row_number() OVER (ORDER BY name) - 1 AS n FROM teams`);
  // Conversations: a fifth open (7 in 10 of those waiting), some pending or snoozed, the rest resolved; 60 days.
  await step('conversations', `INSERT INTO conversations (id, inbox_id, contact_id, type, status, priority, priority_reason, assignee_id, team_id, subject,
        last_message_preview, message_count, sentiment_score, sentiment_label, complaint_category, escalation_risk, language, created_at, updated_at,
        last_message_at, last_inbound_at, waiting_since, first_response_at, resolved_at, sla_breached_for)
    SELECT gen_random_uuid(), i.id, c.id, CASE WHEN g % 10 = 7 THEN 'mention' ELSE 'direct' END::"ConversationType",
           s.status::"ConversationStatus",
           CASE WHEN s.status = 'open' THEN (random() * 100)::int ELSE (random() * 25)::int END, '{}',
           CASE WHEN s.status IN ('open', 'pending') AND random() < 0.7 OR s.status = 'resolved' THEN a.id END,
           CASE WHEN g % 3 = 0 THEN tm.id END,
           ($1::text[])[1 + g % 8] || ' #' || g, 'Message of conversation ' || g, 2,
           s.score, CASE WHEN s.score < -0.3 THEN 'negative' WHEN s.score > 0.3 THEN 'positive' ELSE 'neutral' END,
           ($2::text[])[1 + g % 13], random(), 'eng', s.created, now(), s.created + interval '2 hours', s.created,
           CASE WHEN s.status = 'open' AND random() < 0.7 THEN s.created END,
           CASE WHEN s.status <> 'open' OR random() < 0.3 THEN s.created + (random() * 180) * interval '1 minute' END,
           CASE WHEN s.status = 'resolved' THEN s.created + (random() * 2880) * interval '1 minute' END,
           CASE WHEN random() < 0.05 THEN s.created + interval '1 hour' END
      FROM generate_series(0, ${N - 1}) g
      CROSS JOIN LATERAL (SELECT CASE WHEN x < 0.2 THEN 'open' WHEN x < 0.25 THEN 'pending' WHEN x < 0.27 THEN 'snoozed' ELSE 'resolved' END AS status,
                                 now() - (random() * 60) * interval '1 day' AS created, random() * 2 - 1 AS score
                            FROM (SELECT random() + g * 0 AS x) r) s
      JOIN bench_inboxes i ON i.n = g % ${INBOXES}
      JOIN bench_contacts c ON c.n = (g::bigint * 7919) % ${contacts}
      JOIN bench_agents a ON a.inbox_id = i.id AND a.n = (g / ${INBOXES}) % 10
      JOIN bench_teams tm ON tm.n = g % 10`, [SUBJECTS, CATEGORIES]);
  await pool.query(`UPDATE conversations SET snoozed_until = now() + interval '1 day' WHERE status = 'snoozed'`);
  // Two messages each: the customer's (with its signals) and the answer; an order number in every customer message.
  await step('messages', `INSERT INTO messages (id, conversation_id, inbox_id, direction, sender_type, contact_id, agent_id, subject, text, external_id, delivery_status, sent_at, created_at)
    SELECT gen_random_uuid(), c.id, c.inbox_id, d.direction::"MessageDirection", d.sender::"SenderType", CASE WHEN d.direction = 'inbound' THEN c.contact_id END,
           CASE WHEN d.direction = 'outbound' THEN c.assignee_id END, CASE WHEN d.direction = 'inbound' THEN c.subject END,
           CASE WHEN d.direction = 'inbound' THEN 'Hello, about order ORD-' || c.reference || ': my ' || ($1::text[])[1 + c.reference % 12] || ' ' || ($1::text[])[1 + (c.reference / 12) % 12] || ' is still not sorted out.'
                ELSE 'Thank you, we are looking into it.' END,
           'm-' || c.reference || '-' || d.direction, CASE WHEN d.direction = 'inbound' THEN 'received' ELSE 'sent' END::"DeliveryStatus",
           c.created_at + d.offset_, c.created_at + d.offset_
      FROM conversations c CROSS JOIN (VALUES ('inbound', 'contact', interval '0'), ('outbound', 'agent', interval '1 hour')) AS d(direction, sender, offset_)`, [WORDS]);
  await step('signals', `INSERT INTO message_signals (message_id, sentiment_score, sentiment_label, sentiment_confidence, complaint_category, complaint_confidence, language, model_version)
    SELECT m.id, c.sentiment_score, c.sentiment_label, 0.8, c.complaint_category, 0.7, 'eng', 'bench'
      FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE m.direction = 'inbound'`);
  await step('labels on conversations', `INSERT INTO conversation_labels (conversation_id, label_id)
    SELECT c.id, l.id FROM conversations c JOIN (SELECT id, row_number() OVER (ORDER BY name) - 1 AS n FROM labels) l ON l.n = (c.reference / 10) % 20 WHERE c.reference % 10 = 0`);
  for (const [table, trigger] of BULK_TRIGGERS) await pool.query(`ALTER TABLE ${table} ENABLE TRIGGER ${trigger}`);
  await step('report rollups rebuilt', 'SELECT report_rollups_rebuild()');
  const s = performance.now();
  await pool.query('VACUUM ANALYZE');
  log(`  vacuum + analyze in ${((performance.now() - s) / 1000).toFixed(1)} s`);
  log(`filled in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  return { agentEmail: 'agent0@bench.test', adminEmail: 'admin@bench.test', password };
}

/**
 * The worker's first pass re-computes every waiting conversation's priority (the fill's are
 * random): measured after it, as a running installation is, with the planner's statistics fresh.
 */
async function settle(pool: pg.Pool): Promise<void> {
  const s = performance.now();
  const writes = async () => Number((await pool.query<{ n: string }>(`SELECT n_tup_upd + n_tup_ins AS n FROM pg_stat_user_tables WHERE relname = 'conversations'`)).rows[0]!.n);
  let last = -1;
  for (let quiet = 0; quiet < 3;) {
    await new Promise((r) => setTimeout(r, 2_000));
    const now = await writes();
    quiet = now === last ? quiet + 1 : 0;
    last = now;
  }
  await pool.query('VACUUM ANALYZE conversations');
  await pool.query('VACUUM ANALYZE conversation_list_changes');
  log(`worker settled (first re-prioritisation) in ${((performance.now() - s) / 1000).toFixed(1)} s`);
}

async function main() {
  const logger = createLogger({ level: 'warn', pretty: false });
  log(`machine: ${os.cpus().length} cores (${os.cpus()[0]?.model}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`);
  const dir = args.database ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'inbox-store-'));
  if (dir) fs.chmodSync(dir, 0o755);
  const db = dir ? await startEmbeddedPostgres({ dataDir: dir, port: await freePort(), database: 'store', logger }) : { url: args.database!, stop: async () => {} };
  const redis = await startRedis();
  const pool = new pg.Pool({ connectionString: db.url, max: 4 });
  const procs: RoleProcess[] = [];
  try {
    await applyMigrations(pool);
    let who = { agentEmail: 'agent0@bench.test', adminEmail: 'admin@bench.test', password: PASSWORD };
    if (dir) {
      log(`filling ${N.toLocaleString('en')} conversations (set-based SQL)…`);
      who = await fill(pool);
    }
    const { rows: [size] } = await pool.query<{ conversations: string; messages: string; open: string; db: string }>(
      `SELECT (SELECT count(*) FROM conversations) AS conversations, (SELECT count(*) FROM messages) AS messages,
              (SELECT count(*) FROM conversations WHERE status = 'open') AS open, pg_size_pretty(pg_database_size(current_database())) AS db`,
    );
    log(`store: ${Number(size!.conversations).toLocaleString('en')} conversations (${Number(size!.open).toLocaleString('en')} open), ${Number(size!.messages).toLocaleString('en')} messages, database ${size!.db}`);

    const env = { DATABASE_URL: db.url, REDIS_URL: redis.url, QUEUE_PREFIX: 'store', ROUTING_DEFAULTS: 'true' };
    const port = await freePort();
    procs.push(...(await Promise.all([spawnRole('web', { ...env, PORT: String(port) }, 120_000), spawnRole('worker', env, 120_000)])));
    const base = `http://127.0.0.1:${port}`;
    await settle(pool);
    // A reader in another time zone (issue 23): their zone's rollups are built from the rows once,
    // with writers held off meanwhile; then every write counts for it too.
    await pool.query(`INSERT INTO report_time_zones (name) VALUES ('Europe/Berlin') ON CONFLICT DO NOTHING`);
    const zone = await buildReportTimeZone(pool, 'Europe/Berlin');
    log(`a new report time zone (Europe/Berlin) built from ${N.toLocaleString('en')} conversations in ${(zone.ms / 1000).toFixed(1)} s; writers waited ${zone.writersWaitedMs} ms`);
    const login = async (email: string) => {
      const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: who.password }) });
      if (!res.ok) throw new Error(`login ${email}: HTTP ${res.status} ${await res.text()}`);
      return ((await res.json()) as { token: string }).token;
    };
    const tokens = { admin: await login(who.adminEmail), agent: await login(who.agentEmail) };

    const sample = (await pool.query<{ reference: number; subject: string; name: string; email: string; phone: string | null; inbox: string }>(
      `SELECT c.reference, c.subject, ct.name, ct.email, ct.phone, c.inbox_id AS inbox FROM conversations c JOIN contacts ct ON ct.id = c.contact_id
        JOIN inbox_members m ON m.inbox_id = c.inbox_id JOIN agents a ON a.id = m.agent_id AND a.email = $1
       WHERE ct.phone IS NOT NULL ORDER BY c.reference DESC LIMIT 1`, [who.agentEmail])).rows[0]!;
    const handle = (await pool.query<{ address: string }>(`SELECT ci.address FROM contact_identities ci JOIN conversations c ON c.contact_id = ci.contact_id
        JOIN inbox_members m ON m.inbox_id = c.inbox_id JOIN agents a ON a.id = m.agent_id AND a.email = $1 WHERE ci.kind = 'twitter' LIMIT 1`, [who.agentEmail])).rows[0]!.address;

    const time = async (as: keyof typeof tokens, pathAndQuery: string, check?: (body: unknown) => string | null) => {
      const ms: number[] = [];
      let note = '';
      for (let i = 0; i < REQUESTS; i++) {
        const t0 = performance.now();
        const res = await fetch(`${base}/api/v1${pathAndQuery}`, { headers: { authorization: `Bearer ${tokens[as]}` } });
        const body = await res.json();
        ms.push(performance.now() - t0);
        if (!res.ok) throw new Error(`${pathAndQuery}: HTTP ${res.status} ${JSON.stringify(body)}`);
        if (i === 0 && check) note = check(body) ?? '';
      }
      return { p50: percentile(ms, 50), p99: percentile(ms, 99), note };
    };
    const count = (b: unknown) => {
      const r = b as { data: unknown[]; total?: number; totalCapped?: boolean };
      return `${r.data.length} rows${r.total !== undefined ? `, total ${r.totalCapped ? `${r.total.toLocaleString('en')}+` : r.total.toLocaleString('en')}` : ''}`;
    };
    const found = (b: unknown) => `${(b as { data: unknown[] }).data.length} found`;
    const list = (q: string) => `/conversations?sort=priority&limit=100${q}`;
    const results: Array<{ as: string; what: string; p50: number; p99: number; goal: number; note: string }> = [];
    const measure = async (as: keyof typeof tokens, what: string, q: string, goal: number, check = count) => results.push({ as, what, goal, ...(await time(as, q, check)) });

    // A deep page: the cursor of the 50th page of 100 (5,000 rows down), as the app pages by cursor.
    const deepCursor = async (as: keyof typeof tokens) => {
      let cursor: string | null = null;
      for (let i = 0; i < 50; i++) {
        const res = await fetch(`${base}/api/v1${list(cursor ? `&cursor=${cursor}` : '')}`, { headers: { authorization: `Bearer ${tokens[as]}` } });
        const body = (await res.json()) as { nextCursor?: string | null; data: unknown[] };
        if (!body.nextCursor) break;
        cursor = body.nextCursor;
      }
      return cursor;
    };

    // The fixed cost of an authenticated request, for reference: who am I.
    results.push({ as: 'agent', what: 'baseline: GET /auth/me (who am I)', goal: 20, ...(await time('agent', '/auth/me')) });
    for (const as of ['admin', 'agent'] as const) {
      await measure(as, 'open, priority (the default list)', list(''), 20);
      await measure(as, 'one inbox', list(`&inboxId=${sample.inbox}`), 20);
      await measure(as, 'mine', list('&assigneeId=me'), 20);
      await measure(as, 'unassigned', list('&assigneeId=none'), 20);
      await measure(as, 'my teams', list('&teamId=mine'), 20);
      await measure(as, 'mentions', list('&type=mention'), 20);
      await measure(as, 'pending', list('&status=pending'), 20);
      await measure(as, 'resolved', list('&status=resolved'), 20);
      await measure(as, 'any status', list('&status=all'), 20);
      await measure(as, 'complaint type refund', list('&complaintCategory=refund'), 20);
      await measure(as, 'sentiment negative', list('&sentiment=negative'), 20);
      await measure(as, 'label label-3', list('&label=label-3'), 20);
      await measure(as, 'most recent first', list('').replace('sort=priority', 'sort=recent'), 20);
      await measure(as, 'longest waiting first', list('').replace('sort=priority', 'sort=waiting'), 20);
      const deep = await deepCursor(as);
      if (deep) await measure(as, 'page 50 (cursor)', list(`&cursor=${deep}`), 20);
      await measure(as, 'search: name', list(`&status=all&q=${encodeURIComponent(sample.name)}`), 100, found);
      await measure(as, 'search: email', list(`&status=all&q=${encodeURIComponent(sample.email)}`), 100, found);
      await measure(as, 'search: phone', list(`&status=all&q=${encodeURIComponent(sample.phone ?? '')}`), 100, found);
      await measure(as, 'search: X handle', list(`&status=all&q=${encodeURIComponent(handle)}`), 100, found);
      await measure(as, 'search: subject', list(`&status=all&q=${encodeURIComponent(sample.subject)}`), 100, found);
      await measure(as, 'search: a word of a message', list(`&status=all&q=ORD-${sample.reference}`), 100, found);
      // The contact directory (issue 19): newest first, and found by each kind of identity.
      await measure(as, 'contacts: newest first', '/contacts?limit=50', 50, found);
      await measure(as, 'contacts: by name', `/contacts?q=${encodeURIComponent(sample.name)}`, 100, found);
      await measure(as, 'contacts: by email', `/contacts?q=${encodeURIComponent(sample.email)}`, 100, found);
      await measure(as, 'contacts: by phone', `/contacts?q=${encodeURIComponent(sample.phone ?? '')}`, 100, found);
      await measure(as, 'contacts: by X handle', `/contacts?q=${encodeURIComponent(handle)}`, 100, found);
      await measure(as, 'reports: 30 days', '/reports/summary?timeZone=UTC', 300, (b) => `${(b as { days: unknown[] }).days.length} day × channel rows`);
      await measure(as, 'reports: 30 days in Berlin', '/reports/summary?timeZone=Europe/Berlin', 300, (b) => `${(b as { days: unknown[]; timeZone: string }).days.length} day × channel rows, ${(b as { timeZone: string }).timeZone}`);
    }
    log('');
    console.table(results.map((r) => ({ as: r.as, question: r.what, 'p50 ms': Math.round(r.p50 * 10) / 10, 'p99 ms': Math.round(r.p99 * 10) / 10, goal: `< ${r.goal}`, met: r.p99 < r.goal ? 'yes' : 'NO', answer: r.note })));
    log(`${results.filter((r) => r.p99 < r.goal).length} of ${results.length} under their goal (p99), ${REQUESTS} requests each, one at a time`);
    // Duplicates (issue 19): the worker's look at contacts changed in the last minute, and the admin's scan of every contact.
    for (const [what, since] of [['contacts changed in the last minute', new Date(Date.now() - 60_000)], ['every contact', undefined]] as const) {
      const t0 = performance.now();
      const pairs = await findDuplicatePairs(pool, { since });
      log(`duplicate scan, ${what}: ${Math.round(performance.now() - t0).toLocaleString('en')} ms, ${pairs.length.toLocaleString('en')} pairs with evidence, ${pairs.filter((p) => p.score >= SUGGEST_AT).length.toLocaleString('en')} to suggest`);
    }
  } catch (err) {
    for (const p of procs) console.error(p.output.join('').slice(-3000));
    throw err;
  } finally {
    await Promise.all(procs.map((p) => p.kill()));
    await pool.end();
    await redis.stop();
    if (!dir) log(`measured the kept store at ${db.url}`);
    else await endBenchDatabase(db, dir, log, `; again: npm run bench:store -- --database ${db.url}`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
