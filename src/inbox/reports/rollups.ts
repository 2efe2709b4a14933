// Reports from counters kept current as the inbox works, not from scans of its messages.
// Database triggers (prisma/migrations/*_store_at_scale) append deltas to
// report_rollup_deltas whenever messages, their signals or conversations change; the worker
// folds them into report_rollups every few seconds (`compactReportRollups`); a report sums
// both over its days, so it is exact the moment a change commits. Medians come from
// histograms with buckets 10 % wide (`report_bucket` in SQL, `bucketRange` here); each agent's
// first response is an average (a count and a sum of minutes: one row per agent, day and inbox).
import type pg from 'pg';
import { withTransaction, type Queryable } from '../../platform/db/sql';

export interface ReportRange {
  /** The first day's first instant (midnight in `timeZone`), included. */
  from: Date;
  /** The day after the last day's midnight in `timeZone`, excluded. */
  end: Date;
  /** The same days as dates ("2026-12-01"): the rollups are kept by day, per time zone. */
  firstDay: string;
  endDay: string;
  /** Whose days (IANA): one the rollups are kept in (src/inbox/reports/time-zones.ts). */
  timeZone: string;
  /** The inboxes counted (null: all). */
  inboxIds: string[] | null;
}

export interface Report {
  from: string;
  to: string;
  /** Whose days (IANA); `preparing`: the zone asked for while it is being counted; `reason`: why not in it. */
  timeZone: string;
  preparing?: string;
  reason?: string;
  days: Array<{ day: string; channel: string; messages: number; negative: number; neutral: number; positive: number; avgSentiment: number | null }>;
  complaintTypes: Array<{ category: string; conversations: number }>;
  responseTimes: { conversations: number; firstResponseMedianMinutes: number | null; resolved: number; resolutionMedianMinutes: number | null; slaBreaches: number };
  agents: Array<{ id: string; name: string; assigned: number; resolved: number; firstResponseAverageMinutes: number | null }>;
  teams: Array<{ id: string; name: string; conversations: number; resolved: number }>;
}

// Any constant works; the same in every worker (and in report_rollups_rebuild, and time-zones.ts).
export const COMPACTION_LOCK = 727_364_017;

/**
 * Folds the pending deltas into the rollups, in key order (one worker at a time: the others
 * skip). Returns how many deltas it folded.
 */
export async function compactReportRollups(pool: pg.Pool, batch = 50_000): Promise<number> {
  return withTransaction(pool, async (client) => {
    const { rows: [lock] } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS ok', [COMPACTION_LOCK]);
    if (!lock!.ok) return 0;
    const { rowCount } = await client.query(
      `WITH moved AS (
         DELETE FROM report_rollup_deltas WHERE id IN (SELECT id FROM report_rollup_deltas ORDER BY id LIMIT $1)
         RETURNING dimension, time_zone, day, inbox_id, key, bucket, n, resolved, total
       ), summed AS (
         SELECT dimension, time_zone, day, inbox_id, key, bucket, sum(n) AS n, sum(resolved) AS resolved, sum(total) AS total
           FROM moved GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
       )
       INSERT INTO report_rollups (dimension, time_zone, day, inbox_id, key, bucket, n, resolved, total)
       SELECT * FROM summed
       ON CONFLICT (dimension, time_zone, day, inbox_id, key, bucket) DO UPDATE
         SET n = report_rollups.n + EXCLUDED.n, resolved = report_rollups.resolved + EXCLUDED.resolved, total = report_rollups.total + EXCLUDED.total`,
      [batch],
    );
    return rowCount ?? 0;
  });
}

/** Rollups and pending deltas of some dimensions over the range, as one relation `r`. */
function counted(dimensions: string[]): string {
  const part = (table: string) =>
    `SELECT dimension, day, inbox_id, key, bucket, n, resolved, total FROM ${table}
      WHERE dimension = ANY('{${dimensions.join(',')}}'::text[]) AND time_zone = $4 AND day >= $1::date AND day < $2::date AND ($3::uuid[] IS NULL OR inbox_id = ANY($3::uuid[]))`;
  return `(${part('report_rollups')} UNION ALL ${part('report_rollup_deltas')}) r`;
}

type Histogram = Array<{ bucket: number; n: number }>;

export async function readReport(db: Queryable, range: ReportRange): Promise<Omit<Report, 'from' | 'to' | 'timeZone' | 'preparing' | 'reason'>> {
  const params = [range.firstDay, range.endDay, range.inboxIds, range.timeZone];
  const [days, types, totals, durations, agents, agentDurations, teams] = await Promise.all([
    db.query<{ day: string; channel: string; dimension: string; key: string; n: number; total: number }>(
      `SELECT to_char(r.day, 'YYYY-MM-DD') AS day, i.kind::text AS channel, r.dimension, r.key, sum(r.n)::float8 AS n, sum(r.total) AS total
         FROM ${counted(['messages', 'sentiment'])} JOIN inboxes i ON i.id = r.inbox_id
        GROUP BY 1, 2, 3, 4 ORDER BY 1, 2`,
      params,
    ),
    db.query<{ key: string; n: number }>(`SELECT key, sum(n)::float8 AS n FROM ${counted(['conversations'])} GROUP BY key HAVING sum(n) <> 0 ORDER BY 2 DESC, 1`, params),
    db.query<{ dimension: string; n: number; resolved: number }>(`SELECT dimension, sum(n)::float8 AS n, sum(resolved)::float8 AS resolved FROM ${counted(['conversations', 'sla'])} GROUP BY 1`, params),
    db.query<{ dimension: string; bucket: number; n: number }>(
      `SELECT dimension, bucket, sum(n)::float8 AS n FROM ${counted(['first_response', 'resolution'])} WHERE key = '' GROUP BY 1, 2`,
      params,
    ),
    db.query<{ id: string; name: string; n: number; resolved: number }>(
      `SELECT a.id, a.name, sum(r.n)::float8 AS n, sum(r.resolved)::float8 AS resolved FROM ${counted(['agent'])} JOIN agents a ON a.id::text = r.key
        GROUP BY a.id, a.name HAVING sum(r.n) <> 0 ORDER BY a.name`,
      params,
    ),
    db.query<{ key: string; n: number; total: number }>(`SELECT key, sum(n)::float8 AS n, sum(total) AS total FROM ${counted(['agent_first_response'])} GROUP BY 1`, params),
    db.query<{ id: string; name: string; n: number; resolved: number }>(
      `SELECT t.id, t.name, sum(r.n)::float8 AS n, sum(r.resolved)::float8 AS resolved FROM ${counted(['team'])} JOIN teams t ON t.id::text = r.key
        GROUP BY t.id, t.name HAVING sum(r.n) <> 0 ORDER BY t.name`,
      params,
    ),
  ]);

  const byDay = new Map<string, Report['days'][number] & { scored: number; scoreSum: number }>();
  for (const r of days.rows) {
    const day = r.day;
    const k = `${day}/${r.channel}`;
    const d = byDay.get(k) ?? { day, channel: r.channel, messages: 0, negative: 0, neutral: 0, positive: 0, avgSentiment: null, scored: 0, scoreSum: 0 };
    if (r.dimension === 'messages') d.messages += r.n;
    else {
      if (r.key === 'negative' || r.key === 'neutral' || r.key === 'positive') d[r.key] += r.n;
      d.scored += r.n;
      d.scoreSum += r.total;
    }
    byDay.set(k, d);
  }
  const histogram = (dimension: string): Histogram => durations.rows.filter((r) => r.dimension === dimension).map((r) => ({ bucket: r.bucket, n: r.n }));
  const perAgent = new Map(agentDurations.rows.filter((r) => r.n > 0).map((r) => [r.key, Math.round((r.total / r.n) * 10) / 10]));
  const total = (dimension: string) => totals.rows.find((r) => r.dimension === dimension);
  return {
    days: [...byDay.values()]
      .filter((d) => d.messages || d.scored)
      .map(({ scored, scoreSum, ...d }) => ({ ...d, avgSentiment: scored ? Math.round((scoreSum / scored) * 1000) / 1000 : null })),
    complaintTypes: types.rows.map((r) => ({ category: r.key, conversations: r.n })),
    responseTimes: {
      conversations: total('conversations')?.n ?? 0,
      firstResponseMedianMinutes: median(histogram('first_response')),
      resolved: total('conversations')?.resolved ?? 0,
      resolutionMedianMinutes: median(histogram('resolution')),
      slaBreaches: total('sla')?.n ?? 0,
    },
    agents: agents.rows.map((a) => ({ id: a.id, name: a.name, assigned: a.n, resolved: a.resolved, firstResponseAverageMinutes: perAgent.get(a.id) ?? null })),
    teams: teams.rows.map((t) => ({ id: t.id, name: t.name, conversations: t.n, resolved: t.resolved })),
  };
}

/** The minutes a bucket holds: [0, 1) for 0, then [1.1^(b-1), 1.1^b) — as report_bucket() in SQL. */
export function bucketRange(bucket: number): [number, number] {
  return bucket === 0 ? [0, 1] : [1.1 ** (bucket - 1), 1.1 ** bucket];
}

/**
 * The median of a histogram as percentile_cont computes it (the middle value, or the mean of
 * the two middle ones), each value placed evenly within its bucket: within 10 % of the exact
 * median. Null when empty.
 */
export function median(h: Histogram): number | null {
  const sorted = h.filter((x) => x.n > 0).sort((a, b) => a.bucket - b.bucket);
  const count = sorted.reduce((s, x) => s + x.n, 0);
  if (!count) return null;
  /** The k-th smallest value (from 0), spread evenly over its bucket. */
  const nth = (k: number) => {
    let before = 0;
    for (const { bucket, n } of sorted) {
      if (k < before + n) {
        const [lo, hi] = bucketRange(bucket);
        return lo + ((hi - lo) * (k - before + 0.5)) / n;
      }
      before += n;
    }
    return bucketRange(sorted.at(-1)!.bucket)[1];
  };
  const rank = (count - 1) / 2;
  const low = nth(Math.floor(rank));
  const value = low + (nth(Math.ceil(rank)) - low) * (rank - Math.floor(rank));
  return Math.round(value * 10) / 10;
}
