// Reports come from rollups kept current by triggers (src/inbox/reports/rollups.ts). For a
// randomly generated store — written in many statements, then changed (resolved, reassigned,
// re-categorised, answered, breached, reopened, deleted), half of it folded in and half still
// pending deltas — the report the API answers equals a direct scan of the rows: every count
// exactly, every median within its histogram bucket (10 %). Real PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compactReportRollups } from '../src/inbox/reports/rollups';
import { startTestApp, type TestApp } from './helpers/app';
import { createAgent, createInbox } from './helpers/fixtures';
import { login, request } from './helpers/http';

let t: TestApp;
let admin: string;
let inboxes: string[];
const DAY = 86_400_000;

beforeAll(async () => {
  t = await startTestApp();
  const a = await createAgent(t.prisma, { role: 'admin', availability: 'offline' });
  admin = await login(t.url, a.email);
});

afterAll(() => t?.close());

/** The report as a scan of the rows computes it (the queries reports ran before rollups). */
async function scan(from: Date, end: Date, inboxIds: string[] | null, timeZone: string) {
  const pool = t.app.services.db.pool;
  // The days' first and last instants in the zone.
  const { rows: [b] } = await pool.query('SELECT ($1::date::timestamp AT TIME ZONE $3) AS f, ($2::date::timestamp AT TIME ZONE $3) AS e', [from.toISOString().slice(0, 10), end.toISOString().slice(0, 10), timeZone]);
  const params = [b.f, b.e, inboxIds];
  const inInboxes = (col: string) => `($3::uuid[] IS NULL OR ${col} = ANY($3::uuid[]))`;
  const [days, types, times, breaches, agents, teams] = await Promise.all([
    pool.query(
      `SELECT to_char(m.sent_at AT TIME ZONE '${timeZone}', 'YYYY-MM-DD') AS day, i.kind::text AS channel, count(*)::int AS messages,
              count(*) FILTER (WHERE sg.sentiment_label = 'negative')::int AS negative, count(*) FILTER (WHERE sg.sentiment_label = 'neutral')::int AS neutral,
              count(*) FILTER (WHERE sg.sentiment_label = 'positive')::int AS positive, avg(sg.sentiment_score) AS avg
         FROM messages m JOIN inboxes i ON i.id = m.inbox_id LEFT JOIN message_signals sg ON sg.message_id = m.id
        WHERE m.direction = 'inbound' AND m.sent_at >= $1 AND m.sent_at < $2 AND ${inInboxes('m.inbox_id')}
        GROUP BY 1, 2 ORDER BY 1, 2`,
      params,
    ),
    pool.query(`SELECT COALESCE(complaint_category, 'unknown') AS category, count(*)::int AS n FROM conversations WHERE created_at >= $1 AND created_at < $2 AND ${inInboxes('inbox_id')} GROUP BY 1`, params),
    pool.query(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE resolved_at IS NOT NULL)::int AS resolved,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_response_at - created_at) / 60) FILTER (WHERE first_response_at IS NOT NULL) AS frt,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM resolved_at - created_at) / 60) FILTER (WHERE resolved_at IS NOT NULL) AS rt
         FROM conversations WHERE created_at >= $1 AND created_at < $2 AND ${inInboxes('inbox_id')}`,
      params,
    ),
    pool.query(`SELECT count(*)::int AS n FROM conversations WHERE sla_breached_for >= $1 AND sla_breached_for < $2 AND ${inInboxes('inbox_id')}`, params),
    pool.query(
      `SELECT a.id, count(c.id)::int AS assigned, count(c.id) FILTER (WHERE c.resolved_at IS NOT NULL)::int AS resolved,
              avg(extract(epoch FROM c.first_response_at - c.created_at)::float8 / 60) FILTER (WHERE c.first_response_at IS NOT NULL) AS frt
         FROM conversations c JOIN agents a ON a.id = c.assignee_id WHERE c.created_at >= $1 AND c.created_at < $2 AND ${inInboxes('c.inbox_id')} GROUP BY a.id`,
      params,
    ),
    pool.query(
      `SELECT t.id, count(c.id)::int AS n, count(c.id) FILTER (WHERE c.resolved_at IS NOT NULL)::int AS resolved
         FROM conversations c JOIN teams t ON t.id = c.team_id WHERE c.created_at >= $1 AND c.created_at < $2 AND ${inInboxes('c.inbox_id')} GROUP BY t.id`,
      params,
    ),
  ]);
  return { days: days.rows, types: types.rows, times: times.rows[0], breaches: breaches.rows[0].n, agents: agents.rows, teams: teams.rows };
}

/** Within the histogram's 10 % (and the report's rounding to a tenth). */
const near = (estimate: number | null, exact: number | null) => {
  if (exact === null) return estimate === null;
  return estimate !== null && Math.abs(estimate - exact) <= 0.1 * exact + 0.11;
};

async function compare(from: Date, to: Date, inboxId?: string, timeZone = 'UTC') {
  const q = `from=${from.toISOString().slice(0, 10)}&to=${to.toISOString().slice(0, 10)}${inboxId ? `&inboxId=${inboxId}` : ''}&timeZone=${timeZone}`;
  const r = await request(`${t.url}/api/v1/reports/summary?${q}`, { token: admin });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  const report = r.body;
  expect(report.timeZone).toBe(timeZone);
  const s = await scan(from, new Date(to.getTime() + DAY), inboxId ? [inboxId] : null, timeZone);
  expect(report.days.map((d: Record<string, unknown>) => [d.day, d.channel, d.messages, d.negative, d.neutral, d.positive])).toEqual(
    s.days.map((d) => [d.day, d.channel, d.messages, d.negative, d.neutral, d.positive]),
  );
  for (const [i, d] of s.days.entries()) expect(report.days[i].avgSentiment).toBeCloseTo(Number(d.avg), 2);
  const types = Object.fromEntries(s.types.map((x) => [x.category, x.n]));
  expect(Object.fromEntries(report.complaintTypes.map((x: { category: string; conversations: number }) => [x.category, x.conversations]))).toEqual(types);
  expect(report.responseTimes.conversations).toBe(s.times.n);
  expect(report.responseTimes.resolved).toBe(s.times.resolved);
  expect(report.responseTimes.slaBreaches).toBe(s.breaches);
  expect(near(report.responseTimes.firstResponseMedianMinutes, s.times.frt), `first response ${report.responseTimes.firstResponseMedianMinutes} vs ${s.times.frt}`).toBe(true);
  expect(near(report.responseTimes.resolutionMedianMinutes, s.times.rt), `resolution ${report.responseTimes.resolutionMedianMinutes} vs ${s.times.rt}`).toBe(true);
  const agents = new Map(report.agents.map((a: { id: string }) => [a.id, a]));
  expect(agents.size).toBe(s.agents.length);
  for (const a of s.agents) {
    const mine = agents.get(a.id) as { assigned: number; resolved: number; firstResponseAverageMinutes: number | null };
    expect([mine.assigned, mine.resolved]).toEqual([a.assigned, a.resolved]);
    // An average from a count and a sum: exact but for the report's rounding to a tenth.
    if (a.frt === null) expect(mine.firstResponseAverageMinutes).toBeNull();
    else expect(Math.abs(mine.firstResponseAverageMinutes! - Number(a.frt)), `agent first response ${mine.firstResponseAverageMinutes} vs ${a.frt}`).toBeLessThanOrEqual(0.051);
  }
  expect(Object.fromEntries(report.teams.map((x: { id: string; conversations: number; resolved: number }) => [x.id, [x.conversations, x.resolved]]))).toEqual(
    Object.fromEntries(s.teams.map((x) => [x.id, [x.n, x.resolved]])),
  );
}

/** Asks for a report in a zone until it is counted in it (the first answers are in UTC, saying it is on its way). */
async function zoneReady(timeZone: string) {
  for (let i = 0; ; i++) {
    const r = await request(`${t.url}/api/v1/reports/summary?timeZone=${timeZone}`, { token: admin });
    expect(r.status).toBe(200);
    if (r.body.timeZone === timeZone) return;
    expect(r.body).toMatchObject({ timeZone: 'UTC', preparing: timeZone });
    if (i > 100) throw new Error(`${timeZone} never became ready`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('reports from rollups', () => {
  it('equal a direct scan of a random store, through inserts, changes, deletes and folding', async () => {
    const pool = t.app.services.db.pool;
    await pool.query('SELECT setseed(0.17)');
    const agents = await Promise.all(Array.from({ length: 4 }, (_, i) => createAgent(t.prisma, { name: `Rollup agent ${i}` })));
    const teams = await Promise.all(['Billing', 'Logistics'].map((name) => t.prisma.team.create({ data: { name } })));
    inboxes = [(await createInbox(t.prisma, { kind: 'email', memberIds: agents.map((a) => a.id) })).inbox.id, (await createInbox(t.prisma, { kind: 'sms' })).inbox.id];
    const categories = ['billing', 'refund', 'delivery', null];
    // Conversations over 20 days, in four statements of a hundred.
    for (let batch = 0; batch < 4; batch++) {
      await pool.query(
        `WITH c AS (INSERT INTO contacts (id, name, updated_at) SELECT gen_random_uuid(), 'Random ' || g, now() FROM generate_series(1, 100) g RETURNING id),
              s AS (SELECT c.id AS contact_id, now() - random() * interval '20 days' AS created, random() AS r FROM c)
         INSERT INTO conversations (inbox_id, contact_id, status, created_at, updated_at, last_message_at, complaint_category, assignee_id, team_id,
                                    first_response_at, resolved_at, sla_breached_for)
         SELECT ($1::uuid[])[1 + floor(random() * 2)::int], contact_id, CASE WHEN r < 0.5 THEN 'resolved' ELSE 'open' END::"ConversationStatus", created, now(), created,
                ($2::text[])[1 + floor(random() * 4)::int], CASE WHEN random() < 0.7 THEN ($3::uuid[])[1 + floor(random() * 4)::int] END,
                CASE WHEN random() < 0.5 THEN ($4::uuid[])[1 + floor(random() * 2)::int] END,
                CASE WHEN random() < 0.8 THEN created + (1 + random() * 600) * interval '1 minute' END,
                CASE WHEN r < 0.5 THEN created + (5 + random() * 3000) * interval '1 minute' END,
                CASE WHEN random() < 0.1 THEN created + interval '1 hour' END
           FROM s`,
        [inboxes, categories, agents.map((a) => a.id), teams.map((x) => x.id)],
      );
      // Their messages: one to three from the customer (scored), one answer.
      await pool.query(
        `WITH m AS (
           INSERT INTO messages (conversation_id, inbox_id, direction, sender_type, text, sent_at, created_at)
           SELECT c.id, c.inbox_id, 'inbound', 'contact', 'Customer words ' || g, c.created_at + g * interval '7 minutes', c.created_at
             FROM conversations c CROSS JOIN LATERAL generate_series(1, 1 + (random() * 2)::int) g
            WHERE NOT EXISTS (SELECT 1 FROM messages x WHERE x.conversation_id = c.id)
           RETURNING id)
         INSERT INTO message_signals (message_id, sentiment_score, sentiment_label, sentiment_confidence, model_version)
         SELECT id, s, CASE WHEN s < -0.3 THEN 'negative' WHEN s > 0.3 THEN 'positive' ELSE 'neutral' END, 0.8, 'test'
           FROM (SELECT id, random() * 2 - 1 AS s FROM m) x`,
      );
      await pool.query(`INSERT INTO messages (conversation_id, inbox_id, direction, sender_type, text, sent_at)
                        SELECT id, inbox_id, 'outbound', 'agent', 'An answer', first_response_at FROM conversations WHERE first_response_at IS NOT NULL AND created_at > now() - interval '1 hour' * 0`);
    }
    // Half folded in, half left as deltas.
    expect(await compactReportRollups(pool)).toBeGreaterThan(0);
    // A reader in India (+05:30) asks: the zone is counted from the stored rows, then kept by the triggers with the rest.
    await zoneReady('Asia/Kolkata');
    // A zone that is none: 400 naming the field, and nothing listed.
    const bad = await request(`${t.url}/api/v1/reports/summary?timeZone=Mars/Olympus`, { token: admin });
    expect([bad.status, bad.body.error.details[0].path]).toEqual([400, 'timeZone']);
    expect((await pool.query(`SELECT count(*)::int AS n FROM report_time_zones WHERE name = 'Mars/Olympus'`)).rows[0].n).toBe(0);
    const change = (sql: string) => pool.query(sql, [agents.map((a) => a.id)]);
    await change(`UPDATE conversations SET status = 'resolved', resolved_at = created_at + interval '90 minutes' WHERE id IN (SELECT id FROM conversations WHERE status = 'open' ORDER BY random() LIMIT 40) AND $1::uuid[] IS NOT NULL`);
    await change(`UPDATE conversations SET assignee_id = ($1::uuid[])[1 + floor(random() * 4)::int] WHERE id IN (SELECT id FROM conversations ORDER BY random() LIMIT 30)`);
    await change(`UPDATE conversations SET complaint_category = 'delay' WHERE id IN (SELECT id FROM conversations ORDER BY random() LIMIT 20) AND $1::uuid[] IS NOT NULL`);
    await change(`UPDATE conversations SET first_response_at = created_at + interval '3 minutes' WHERE id IN (SELECT id FROM conversations WHERE first_response_at IS NULL ORDER BY random() LIMIT 25) AND $1::uuid[] IS NOT NULL`);
    await change(`UPDATE conversations SET status = 'open', resolved_at = NULL WHERE id IN (SELECT id FROM conversations WHERE status = 'resolved' ORDER BY random() LIMIT 10) AND $1::uuid[] IS NOT NULL`);
    await change(`UPDATE conversations SET sla_breached_for = created_at + interval '2 hours' WHERE id IN (SELECT id FROM conversations ORDER BY random() LIMIT 15) AND $1::uuid[] IS NOT NULL`);
    // Deleted with their messages (as an admin deletes a conversation).
    await change(`DELETE FROM conversations WHERE id IN (SELECT id FROM conversations ORDER BY random() LIMIT 7) AND $1::uuid[] IS NOT NULL`);
    expect(Number((await pool.query('SELECT count(*) FROM report_rollup_deltas')).rows[0].count)).toBeGreaterThan(0);

    // A third zone is built while conversations keep arriving: none counted twice or missed.
    // Two writers at once, each inserting, answering, resolving and scoring.
    const writer = async () => {
      for (let i = 0; i < 12; i++) {
        await pool.query(
          `WITH c AS (INSERT INTO contacts (id, name, updated_at) SELECT gen_random_uuid(), 'Meanwhile ' || g, now() FROM generate_series(1, 5) g RETURNING id)
           INSERT INTO conversations (inbox_id, contact_id, status, created_at, updated_at, last_message_at, complaint_category)
           SELECT $1, id, 'open', now() - random() * interval '3 days', now(), now(), 'billing' FROM c`,
          [inboxes[0]],
        );
        await pool.query(
          `WITH m AS (INSERT INTO messages (conversation_id, inbox_id, direction, sender_type, text, sent_at)
                      SELECT id, inbox_id, 'inbound', 'contact', 'Still waiting', now() - random() * interval '2 days' FROM conversations ORDER BY random() LIMIT 3 RETURNING id)
           INSERT INTO message_signals (message_id, sentiment_score, sentiment_label, sentiment_confidence, model_version) SELECT id, -0.5, 'negative', 0.8, 'test' FROM m`,
        );
        await pool.query(`UPDATE conversations SET status = 'resolved', resolved_at = created_at + interval '2 hours', first_response_at = created_at + interval '5 minutes'
                           WHERE id IN (SELECT id FROM conversations WHERE status = 'open' ORDER BY random() LIMIT 3)`);
      }
    };
    const arriving = Promise.all([writer(), writer()]);
    await zoneReady('America/New_York');
    await arriving;

    const to = new Date(new Date().toISOString().slice(0, 10));
    const from = new Date(to.getTime() - 25 * DAY);
    for (const zone of ['UTC', 'Asia/Kolkata', 'America/New_York']) {
      await compare(from, to, undefined, zone);
      await compare(from, to, inboxes[0], zone);
      await compare(new Date(to.getTime() - 9 * DAY), new Date(to.getTime() - 3 * DAY), inboxes[1], zone);
    }
    // The zones' days are not the same days (a message at 20:00 UTC is the next day in India).
    const daysIn = async (zone: string) => (await request(`${t.url}/api/v1/reports/summary?from=${from.toISOString().slice(0, 10)}&timeZone=${zone}`, { token: admin })).body.days;
    expect(await daysIn('Asia/Kolkata')).not.toEqual(await daysIn('UTC'));
    // Folded in entirely, the same answer.
    await compactReportRollups(pool);
    expect(Number((await pool.query('SELECT count(*) FROM report_rollup_deltas')).rows[0].count)).toBe(0);
    await compare(from, to);
    await compare(from, to, undefined, 'Asia/Kolkata');
    // A rebuild from the rows agrees with what the triggers kept, in every zone.
    const rows = `SELECT time_zone, dimension, day, inbox_id, key, bucket, n, resolved FROM report_rollups WHERE n <> 0 OR resolved <> 0 ORDER BY 1, 2, 3, 4, 5, 6`;
    const before = (await pool.query(rows)).rows;
    expect(new Set(before.map((r) => r.time_zone))).toEqual(new Set(['UTC', 'Asia/Kolkata', 'America/New_York']));
    await pool.query('SELECT report_rollups_rebuild()');
    expect((await pool.query(rows)).rows).toEqual(before);
  });
});
