// Reports: what came in, how customers felt, what they complained about, how fast we
// answered and resolved, which service levels we missed — overall, per agent and per team,
// for a date range, over the inboxes the caller can see. JSON for the app, CSV for a sheet.
// Read from rollups kept current as the inbox works (src/inbox/reports/rollups.ts).
import { z } from 'zod';
import { ValidationError } from '../../platform/errors';
import type { SessionAgent } from '../agents/sessions';
import type { InboxServices } from '../services';
import { readReport, type Report } from '../reports/rollups';
import { readSatisfaction, satisfactionCsvRows, type SatisfactionReport } from '../reports/satisfaction';
import { readShareOfVoice, shareOfVoiceCsvRows } from '../reports/share-of-voice';
import { stringify } from 'csv-stringify';
import type { Response } from 'express';
import type { AgentApi } from './auth';
import { readKnowledgeReport } from '../reports/knowledge';
import { todayIn } from '../reports/time-zones';
import { isTimeZone } from '../../platform/time-zones';

const DAY_MS = 86_400_000;
const MAX_DAYS = 366;

const reportQuery = z.object({
  from: z.iso.date().optional().describe('first day, YYYY-MM-DD (in the time zone); default 30 days ago'),
  to: z.iso.date().optional().describe('last day, YYYY-MM-DD (in the time zone), included; default today'),
  inboxId: z.uuid().optional(),
  timeZone: z.string().max(64).refine(isTimeZone, 'an IANA time zone such as Europe/Berlin').optional()
    .describe("whose days: an IANA time zone; default your own (Account), else UTC. The answer's timeZone says which it is in (UTC while a new zone is counted: preparing)"),
});

export type { Report } from '../reports/rollups';

/** Rows as a CSV download (quoted as CSV wants). */
async function sendCsv(res: Response, fileName: string, rows: Array<Array<string | number | null>>): Promise<void> {
  res.setHeader('content-type', 'text/csv; charset=utf-8');
  res.setHeader('content-disposition', `attachment; filename="${fileName}"`);
  res.send(await new Promise<string>((resolve, reject) => stringify(rows, (err, out) => (err ? reject(err) : resolve(out)))));
}

export function reportRoutes(api: AgentApi, s: InboxServices): void {
  /** The days asked for (checked) and the inboxes the caller may count. */
  /** The days asked for (checked) in the reader's time zone, and the inboxes the caller may count. */
  const scopeOf = async (caller: SessionAgent, q: z.infer<typeof reportQuery>) => {
    const own = q.timeZone ? null : await s.db.prisma.agent.findUnique({ where: { id: caller.id }, select: { timeZone: true } });
    const zone = await s.reportZones.forReport(q.timeZone ?? own?.timeZone);
    const toDay = new Date(`${q.to ?? todayIn(zone.timeZone)}T00:00:00Z`);
    const fromDay = q.from ? new Date(`${q.from}T00:00:00Z`) : new Date(toDay.getTime() - 29 * DAY_MS);
    if (fromDay > toDay) throw new ValidationError('"from" must not be after "to"', [{ path: 'from', message: 'after to' }]);
    if ((toDay.getTime() - fromDay.getTime()) / DAY_MS > MAX_DAYS) throw new ValidationError(`At most ${MAX_DAYS} days at once`, [{ path: 'from', message: 'range too long' }]);
    const visible = await s.access.inboxIds(caller);
    let inboxIds: string[] | null = visible === 'all' ? null : visible;
    if (q.inboxId) inboxIds = inboxIds && !inboxIds.includes(q.inboxId) ? [] : [q.inboxId];
    const day = (d: Date) => d.toISOString().slice(0, 10);
    const firstDay = day(fromDay);
    const endDay = day(new Date(toDay.getTime() + DAY_MS));
    // Midnight in the zone, as PostgreSQL's zone data has it (daylight saving included).
    const { rows: [bounds] } = await s.db.pool.query<{ from: Date; end: Date }>(
      'SELECT ($1::date::timestamp AT TIME ZONE $3) AS "from", ($2::date::timestamp AT TIME ZONE $3) AS "end"',
      [firstDay, endDay, zone.timeZone],
    );
    return {
      from: firstDay, to: day(toDay), ...zone,
      range: { from: bounds!.from, end: bounds!.end, firstDay, endDay, timeZone: zone.timeZone, inboxIds },
    };
  };
  /** What every report says about its days besides its own figures. */
  const heading = ({ range: _range, ...rest }: Awaited<ReturnType<typeof scopeOf>>) => rest;
  const build = async (caller: SessionAgent, q: z.infer<typeof reportQuery>): Promise<Report> => {
    const scope = await scopeOf(caller, q);
    return { ...heading(scope), ...(await readReport(s.db.pool, scope.range)) };
  };
  const satisfaction = async (caller: SessionAgent, q: z.infer<typeof reportQuery>): Promise<SatisfactionReport> => {
    const scope = await scopeOf(caller, q);
    return { ...heading(scope), ...(await readSatisfaction(s.db.pool, scope.range)) };
  };

  api.route(
    {
      method: 'get', path: '/reports/satisfaction', tag: 'reports', auth: 'agent', access: { permission: 'reports.view', wholeInboxes: true }, query: reportQuery,
      summary: 'Satisfaction (surveys sent, response rate, average, out of 10, share of 4–5) overall and by agent, team, channel, complaint type and day; recovery: complaint cases by stage, hours to remedy, remedy cost, complaint conversations against the others',
    },
    async ({ query, caller }) => satisfaction(caller, query),
  );

  api.route(
    { method: 'get', path: '/reports/satisfaction.csv', tag: 'reports', auth: 'agent', access: { permission: 'reports.view', wholeInboxes: true }, query: reportQuery, summary: 'The satisfaction report as CSV: one row per group' },
    async ({ query, caller, res }) => {
      const r = await satisfaction(caller, query);
      await sendCsv(res, `satisfaction-${r.from}-to-${r.to}.csv`, satisfactionCsvRows(r));
      return undefined;
    },
  );

  const voice = async (caller: SessionAgent, q: z.infer<typeof reportQuery>) => {
    const scope = await scopeOf(caller, q);
    return { ...heading(scope), ...(await readShareOfVoice(s.db.pool, scope.range)) };
  };
  api.route(
    {
      method: 'get', path: '/reports/share-of-voice', tag: 'reports', auth: 'agent', access: { permission: 'reports.view', wholeInboxes: true }, query: reportQuery,
      summary: 'Share of voice and trend: per listening topic (brand and competitors) the posts, their sentiment and reach, per day, and each topic\'s share of all the posts',
    },
    async ({ query, caller }) => voice(caller, query),
  );
  api.route(
    { method: 'get', path: '/reports/share-of-voice.csv', tag: 'reports', auth: 'agent', access: { permission: 'reports.view', wholeInboxes: true }, query: reportQuery, summary: 'Share of voice as CSV: one row per topic and day' },
    async ({ query, caller, res }) => {
      const r = await voice(caller, query);
      await sendCsv(res, `share-of-voice-${r.from}-to-${r.to}.csv`, shareOfVoiceCsvRows(r));
      return undefined;
    },
  );

  api.route(
    {
      method: 'get', path: '/reports/knowledge', tag: 'reports', auth: 'agent', access: { permission: 'reports.view', wholeInboxes: true }, query: reportQuery,
      summary: 'Self-service and suggestions: the deflection rate (questions the widget\'s articles solved against those handed to a person), each article\'s views and helpfulness, each agent\'s use of suggested replies',
    },
    async ({ query, caller }) => {
      const scope = await scopeOf(caller, query);
      return { ...heading(scope), ...(await readKnowledgeReport(s.db.pool, scope.range)) };
    },
  );

  api.route(
    { method: 'get', path: '/reports/summary', tag: 'reports', auth: 'agent', access: { permission: 'reports.view', wholeInboxes: true }, summary: 'Volume, sentiment, complaint types, response and resolution times, SLA breaches, per agent and team', query: reportQuery },
    async ({ query, caller }) => build(caller, query),
  );

  api.route(
    { method: 'get', path: '/reports/summary.csv', tag: 'reports', auth: 'agent', access: { permission: 'reports.view', wholeInboxes: true }, summary: 'The daily volume and sentiment of the report as CSV', query: reportQuery },
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
