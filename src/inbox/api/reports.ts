// Reports: what came in, how customers felt, what they complained about, how fast we
// answered and resolved, which service levels we missed — overall, per agent and per team,
// for a date range, over the inboxes the caller can see. JSON for the app, CSV for a sheet.
import { z } from 'zod';
import { ValidationError } from '../../platform/errors';
import type { ApiRouter } from '../../platform/http/api-router';
import type { SessionAgent } from '../agents/sessions';
import type { InboxServices } from '../services';

const DAY_MS = 86_400_000;
const MAX_DAYS = 366;

const reportQuery = z.object({
  from: z.iso.date().optional().describe('first day, YYYY-MM-DD (UTC); default 30 days ago'),
  to: z.iso.date().optional().describe('last day, YYYY-MM-DD (UTC), included; default today'),
  inboxId: z.uuid().optional(),
});

interface Day {
  day: string;
  channel: string;
  messages: number;
  negative: number;
  neutral: number;
  positive: number;
  avgSentiment: number | null;
}

export interface Report {
  from: string;
  to: string;
  days: Day[];
  complaintTypes: Array<{ category: string; conversations: number }>;
  responseTimes: { conversations: number; firstResponseMedianMinutes: number | null; resolved: number; resolutionMedianMinutes: number | null; slaBreaches: number };
  agents: Array<{ id: string; name: string; assigned: number; resolved: number; firstResponseMedianMinutes: number | null }>;
  teams: Array<{ id: string; name: string; conversations: number; resolved: number }>;
}

const num = (x: unknown) => (x == null ? null : Math.round(Number(x) * 10) / 10);

export function reportRoutes(api: ApiRouter<SessionAgent>, s: InboxServices): void {
  const build = async (caller: SessionAgent, q: z.infer<typeof reportQuery>): Promise<Report> => {
    const to = q.to ? new Date(`${q.to}T00:00:00Z`) : new Date(new Date().toISOString().slice(0, 10));
    const from = q.from ? new Date(`${q.from}T00:00:00Z`) : new Date(to.getTime() - 29 * DAY_MS);
    if (from > to) throw new ValidationError('"from" must not be after "to"', [{ path: 'from', message: 'after to' }]);
    if ((to.getTime() - from.getTime()) / DAY_MS > MAX_DAYS) throw new ValidationError(`At most ${MAX_DAYS} days at once`, [{ path: 'from', message: 'range too long' }]);
    const end = new Date(to.getTime() + DAY_MS);
    const visible = await s.access.inboxIds(caller);
    let inboxes: string[] | null = visible === 'all' ? null : visible;
    if (q.inboxId) inboxes = inboxes && !inboxes.includes(q.inboxId) ? [] : [q.inboxId];
    const params = [from, end, inboxes];
    const inInboxes = (col: string) => `($3::uuid[] IS NULL OR ${col} = ANY($3::uuid[]))`;
    const pool = s.db.pool;
    const [days, types, times, breaches, agents, teams] = await Promise.all([
      pool.query<{ day: Date; channel: string; messages: string; negative: string; neutral: string; positive: string; avg: number | null }>(
        `SELECT date_trunc('day', m.sent_at AT TIME ZONE 'UTC') AS day, i.kind::text AS channel, count(*) AS messages,
                count(*) FILTER (WHERE sg.sentiment_label = 'negative') AS negative, count(*) FILTER (WHERE sg.sentiment_label = 'neutral') AS neutral,
                count(*) FILTER (WHERE sg.sentiment_label = 'positive') AS positive, avg(sg.sentiment_score) AS avg
           FROM messages m JOIN inboxes i ON i.id = m.inbox_id LEFT JOIN message_signals sg ON sg.message_id = m.id
          WHERE m.direction = 'inbound' AND m.sent_at >= $1 AND m.sent_at < $2 AND ${inInboxes('m.inbox_id')}
          GROUP BY 1, 2 ORDER BY 1, 2`,
        params,
      ),
      pool.query<{ category: string; n: string }>(
        `SELECT COALESCE(complaint_category, 'unknown') AS category, count(*) AS n FROM conversations
          WHERE created_at >= $1 AND created_at < $2 AND ${inInboxes('inbox_id')} GROUP BY 1 ORDER BY 2 DESC`,
        params,
      ),
      pool.query<{ n: string; frt: number | null; resolved: string; rt: number | null }>(
        `SELECT count(*) AS n,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_response_at - created_at) / 60) FILTER (WHERE first_response_at IS NOT NULL) AS frt,
                count(*) FILTER (WHERE resolved_at IS NOT NULL) AS resolved,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM resolved_at - created_at) / 60) FILTER (WHERE resolved_at IS NOT NULL) AS rt
           FROM conversations WHERE created_at >= $1 AND created_at < $2 AND ${inInboxes('inbox_id')}`,
        params,
      ),
      pool.query<{ n: string }>(`SELECT count(*) AS n FROM conversations WHERE sla_breached_for >= $1 AND sla_breached_for < $2 AND ${inInboxes('inbox_id')}`, params),
      pool.query<{ id: string; name: string; assigned: string; resolved: string; frt: number | null }>(
        `SELECT a.id, a.name, count(c.id) AS assigned, count(c.id) FILTER (WHERE c.resolved_at IS NOT NULL) AS resolved,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM c.first_response_at - c.created_at) / 60) FILTER (WHERE c.first_response_at IS NOT NULL) AS frt
           FROM conversations c JOIN agents a ON a.id = c.assignee_id
          WHERE c.created_at >= $1 AND c.created_at < $2 AND ${inInboxes('c.inbox_id')} GROUP BY a.id, a.name ORDER BY a.name`,
        params,
      ),
      pool.query<{ id: string; name: string; n: string; resolved: string }>(
        `SELECT t.id, t.name, count(c.id) AS n, count(c.id) FILTER (WHERE c.resolved_at IS NOT NULL) AS resolved
           FROM conversations c JOIN teams t ON t.id = c.team_id
          WHERE c.created_at >= $1 AND c.created_at < $2 AND ${inInboxes('c.inbox_id')} GROUP BY t.id, t.name ORDER BY t.name`,
        params,
      ),
    ]);
    const t = times.rows[0]!;
    return {
      from: from.toISOString().slice(0, 10),
      to: to.toISOString().slice(0, 10),
      days: days.rows.map((d) => ({
        day: d.day.toISOString().slice(0, 10), channel: d.channel, messages: Number(d.messages), negative: Number(d.negative), neutral: Number(d.neutral), positive: Number(d.positive),
        avgSentiment: d.avg == null ? null : Math.round(d.avg * 1000) / 1000,
      })),
      complaintTypes: types.rows.map((r) => ({ category: r.category, conversations: Number(r.n) })),
      responseTimes: { conversations: Number(t.n), firstResponseMedianMinutes: num(t.frt), resolved: Number(t.resolved), resolutionMedianMinutes: num(t.rt), slaBreaches: Number(breaches.rows[0]!.n) },
      agents: agents.rows.map((a) => ({ id: a.id, name: a.name, assigned: Number(a.assigned), resolved: Number(a.resolved), firstResponseMedianMinutes: num(a.frt) })),
      teams: teams.rows.map((x) => ({ id: x.id, name: x.name, conversations: Number(x.n), resolved: Number(x.resolved) })),
    };
  };

  api.route(
    { method: 'get', path: '/reports/summary', tag: 'reports', auth: 'agent', summary: 'Volume, sentiment, complaint types, response and resolution times, SLA breaches, per agent and team', query: reportQuery },
    async ({ query, caller }) => build(caller, query),
  );

  api.route(
    { method: 'get', path: '/reports/summary.csv', tag: 'reports', auth: 'agent', summary: 'The daily volume and sentiment of the report as CSV', query: reportQuery },
    async ({ query, caller, res }) => {
      const r = await build(caller, query);
      const lines = ['day,channel,messages,negative,neutral,positive,avg_sentiment', ...r.days.map((d) => [d.day, d.channel, d.messages, d.negative, d.neutral, d.positive, d.avgSentiment ?? ''].join(','))];
      res.setHeader('content-type', 'text/csv; charset=utf-8');
      res.setHeader('content-disposition', `attachment; filename="inbox-report-${r.from}-to-${r.to}.csv"`);
      res.send(`${lines.join('\n')}\n`);
      return undefined;
    },
  );
}
