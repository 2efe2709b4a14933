// Satisfaction and recovery for a date range: surveys sent, answered (the response rate), the
// average rating and the share of 4–5, by agent, team, channel, complaint type and day; the
// complaint cases by stage, time to the first approved remedy, what remedies cost by type and
// currency, and the satisfaction of complaint conversations against the others (the recovery
// effect). Ratings are also given out of 10 (rating × 2) to read against the bands: above 8 a
// market leader, under 7 needs attention. Computed from the rows (surveys are few beside
// messages): satisfaction surveys sent in the range; follow-ups are reported apart.
import { zoneLiteral } from './time-zones';
import type { Queryable } from '../../platform/db/sql';

export const BANDS = { leader: 8, attention: 7 } as const;

export interface SatisfactionGroup {
  key: string | null;
  name: string | null;
  sent: number;
  answered: number;
  responseRate: number | null;
  average: number | null;
  outOf10: number | null;
  happyShare: number | null;
}

export interface SatisfactionReport {
  from: string;
  to: string;
  /** Whose days (IANA); `preparing`: the zone asked for while it is being counted; `reason`: why not in it. */
  timeZone: string;
  preparing?: string;
  reason?: string;
  bands: typeof BANDS;
  overall: SatisfactionGroup;
  followUps: SatisfactionGroup;
  byAgent: SatisfactionGroup[];
  byTeam: SatisfactionGroup[];
  byChannel: SatisfactionGroup[];
  byComplaintType: SatisfactionGroup[];
  byDay: SatisfactionGroup[];
  recovery: {
    complaints: SatisfactionGroup;
    others: SatisfactionGroup;
    /** Open and closed complaint cases opened in the range, by stage. */
    byStage: Array<{ stage: string; count: number }>;
    /** Hours from a complaint's opening to its first approved remedy: median and mean, over those remedied. */
    hoursToRemedy: { count: number; median: number | null; mean: number | null };
    remedyCost: Array<{ type: string; currency: string | null; count: number; total: number }>;
  };
}

const round = (v: number | null, d = 2) => (v === null ? null : Math.round(v * 10 ** d) / 10 ** d);

function group(key: string | null, name: string | null, r: { sent: number; answered: number; sum: number; happy: number }): SatisfactionGroup {
  const average = r.answered ? r.sum / r.answered : null;
  return {
    key, name, sent: r.sent, answered: r.answered,
    responseRate: r.sent ? round(r.answered / r.sent, 4) : null,
    average: round(average),
    outOf10: round(average === null ? null : average * 2, 1),
    happyShare: r.answered ? round(r.happy / r.answered, 4) : null,
  };
}

export async function readSatisfaction(db: Queryable, q: { from: Date; end: Date; timeZone: string; inboxIds: string[] | null }): Promise<Omit<SatisfactionReport, 'from' | 'to' | 'timeZone' | 'preparing' | 'reason'>> {
  const inboxFilter = q.inboxIds ? 'AND c.inbox_id = ANY($3::uuid[])' : '';
  const values = q.inboxIds ? [q.from, q.end, q.inboxIds] : [q.from, q.end];
  const agg = `count(*)::int AS sent, count(s.rating)::int AS answered, COALESCE(sum(s.rating), 0)::int AS sum, count(*) FILTER (WHERE s.rating >= 4)::int AS happy`;
  const base = `FROM surveys s JOIN conversations c ON c.id = s.conversation_id WHERE s.sent_at >= $1 AND s.sent_at < $2 ${inboxFilter}`;
  const by = async (expr: string, nameSql = 'NULL', join = '') =>
    (await db.query<{ key: string | null; name: string | null; sent: number; answered: number; sum: number; happy: number }>(
      `SELECT ${expr} AS key, ${nameSql} AS name, ${agg} FROM surveys s JOIN conversations c ON c.id = s.conversation_id ${join}
        WHERE s.sent_at >= $1 AND s.sent_at < $2 ${inboxFilter} AND s.kind = 'satisfaction' GROUP BY 1, 2 ORDER BY 1`,
      values,
    )).rows.map((r) => group(r.key, r.name, r));
  const one = async (where: string) => {
    const { rows } = await db.query<{ sent: number; answered: number; sum: number; happy: number }>(`SELECT ${agg} ${base} AND ${where}`, values);
    return rows[0]!;
  };
  const [overall, followUps, byAgent, byTeam, byChannel, byComplaintType, byDay, complaints, others] = await Promise.all([
    one(`s.kind = 'satisfaction'`),
    one(`s.kind = 'follow_up'`),
    by('s.agent_id::text', 'a.name', 'LEFT JOIN agents a ON a.id = s.agent_id'),
    by('s.team_id::text', 't.name', 'LEFT JOIN teams t ON t.id = s.team_id'),
    by('s.channel'),
    by('s.complaint_category'),
    by(`to_char(s.sent_at AT TIME ZONE ${zoneLiteral(q.timeZone)}, 'YYYY-MM-DD')`),
    one(`s.kind = 'satisfaction' AND s.complaint`),
    one(`s.kind = 'satisfaction' AND NOT s.complaint`),
  ]);
  const cases = `FROM conversations c WHERE c.complaint_opened_at >= $1 AND c.complaint_opened_at < $2 ${inboxFilter}`;
  const [stages, remedied, cost] = await Promise.all([
    db.query<{ stage: string; count: number }>(`SELECT c.complaint_stage::text AS stage, count(*)::int AS count ${cases} AND c.complaint_stage IS NOT NULL GROUP BY 1 ORDER BY 1`, values),
    db.query<{ hours: number }>(
      `SELECT extract(epoch FROM (SELECT min(r.decided_at) FROM remedies r WHERE r.conversation_id = c.id AND r.status = 'approved') - c.complaint_opened_at) / 3600 AS hours
         ${cases} AND EXISTS (SELECT 1 FROM remedies r WHERE r.conversation_id = c.id AND r.status = 'approved')`,
      values,
    ),
    db.query<{ type: string; currency: string | null; count: number; total: number }>(
      `SELECT r.type::text AS type, r.currency, count(*)::int AS count, COALESCE(sum(r.amount), 0)::float8 AS total
         FROM remedies r JOIN conversations c ON c.id = r.conversation_id WHERE r.status = 'approved' AND r.decided_at >= $1 AND r.decided_at < $2 ${inboxFilter}
        GROUP BY 1, 2 ORDER BY 1, 2`,
      values,
    ),
  ]);
  const hours = remedied.rows.map((r) => Number(r.hours)).sort((a, b) => a - b);
  const median = hours.length ? (hours.length % 2 ? hours[(hours.length - 1) / 2]! : (hours[hours.length / 2 - 1]! + hours[hours.length / 2]!) / 2) : null;
  return {
    bands: BANDS,
    overall: group(null, null, overall),
    followUps: group(null, null, followUps),
    byAgent, byTeam, byChannel, byComplaintType, byDay,
    recovery: {
      complaints: group('complaint', null, complaints),
      others: group('other', null, others),
      byStage: stages.rows,
      hoursToRemedy: { count: hours.length, median: round(median, 1), mean: round(hours.length ? hours.reduce((a, b) => a + b, 0) / hours.length : null, 1) },
      remedyCost: cost.rows.map((r) => ({ ...r, total: round(r.total)! })),
    },
  };
}

/** The report as CSV: one row per group (dimension, key, name, sent, answered, response rate, average, out of 10, share 4–5). */
export function satisfactionCsvRows(r: SatisfactionReport): Array<Array<string | number | null>> {
  const rows: Array<Array<string | number | null>> = [['dimension', 'key', 'name', 'sent', 'answered', 'response_rate', 'average', 'out_of_10', 'share_4_5']];
  const add = (dimension: string, groups: SatisfactionGroup[]) => {
    for (const g of groups) rows.push([dimension, g.key, g.name, g.sent, g.answered, g.responseRate, g.average, g.outOf10, g.happyShare]);
  };
  add('overall', [r.overall]);
  add('follow_up', [r.followUps]);
  add('agent', r.byAgent);
  add('team', r.byTeam);
  add('channel', r.byChannel);
  add('complaint_type', r.byComplaintType);
  add('day', r.byDay);
  add('complaint_vs_other', [r.recovery.complaints, r.recovery.others]);
  return rows;
}
