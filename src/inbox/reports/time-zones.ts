// Reports in the reader's own days. The rollups are counted once per time zone in
// report_time_zones (UTC, and each zone an agent reads reports in): a report for Berlin counts
// a message sent at 23:30 UTC on the next day, as the agent in Berlin lived it. A zone is added
// when an agent picks it (Account) or first asks for a report in it, then built from the stored
// rows once (buildReportTimeZone; bench/store.ts times it at a million conversations). Until it
// is built a report answers in UTC and says which zone is on its way. Each zone costs every
// write a little, hence a limit.
import type pg from 'pg';
import type { Logger } from 'pino';
import { COMPACTION_LOCK } from './rollups';
import { canonicalTimeZone } from '../../platform/time-zones';

/**
 * Builds a zone listed (committed) in report_time_zones but not ready, without holding writers
 * off for the build: (1) a moment's SHARE lock lets the writers that began before the zone was
 * listed — and so may not have counted it — finish; every later write counts it. (2) One
 * snapshot (REPEATABLE READ): the rows it sees are counted afresh into the zone's rollups and
 * the zone's deltas it sees dropped (those rows hold them); deltas of writes committed after it
 * stay and are folded as usual. The compaction's lock, taken before the snapshot, keeps the
 * worker from folding meanwhile. Returns how long writers waited and the whole build, in ms.
 */
export async function buildReportTimeZone(pool: pg.Pool, name: string): Promise<{ built: boolean; writersWaitedMs: number; ms: number }> {
  const started = Date.now();
  const client = await pool.connect();
  let locked = false;
  try {
    await client.query('BEGIN');
    await client.query('LOCK TABLE conversations, messages, message_signals IN SHARE MODE');
    await client.query('COMMIT');
    const writersWaitedMs = Date.now() - started;
    // Session-level, so it is held before the snapshot is taken (a transaction's first query takes it).
    await client.query('SELECT pg_advisory_lock($1)', [COMPACTION_LOCK]);
    locked = true;
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    const { rows: [zone] } = await client.query<{ ready: boolean }>('SELECT ready FROM report_time_zones WHERE name = $1', [name]);
    if (!zone || zone.ready) {
      await client.query('COMMIT');
      return { built: false, writersWaitedMs, ms: Date.now() - started };
    }
    await client.query('DELETE FROM report_rollup_deltas WHERE time_zone = $1', [name]);
    await client.query('DELETE FROM report_rollups WHERE time_zone = $1', [name]);
    await client.query('SELECT report_rollups_fill($1)', [name]);
    await client.query('UPDATE report_time_zones SET ready = true WHERE name = $1', [name]);
    await client.query('COMMIT');
    return { built: true, writersWaitedMs, ms: Date.now() - started };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    if (locked) await client.query('SELECT pg_advisory_unlock($1)', [COMPACTION_LOCK]).catch(() => undefined);
    client.release();
  }
}

/** Zones kept besides UTC; past it, reports in other zones are given in UTC with the reason. */
export const MAX_REPORT_TIME_ZONES = 12;
/** How long a report waits for its zone to be built before answering in UTC. */
const BUILD_WAIT_MS = 2_000;

/** Today's date (YYYY-MM-DD) in a zone. */
export function todayIn(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** A zone name as an SQL literal, for the few queries that group by a day in it. */
export function zoneLiteral(timeZone: string): string {
  if (!/^[A-Za-z0-9_+\-/]{1,64}$/.test(timeZone)) throw new Error(`not a time zone name: ${timeZone}`);
  return `'${timeZone}'`;
}

export interface ReportZone {
  /** The zone the report's days are in. */
  timeZone: string;
  /** The zone asked for, while it is being built (the report is in UTC meanwhile). */
  preparing?: string;
  /** Why the report is not in the zone asked for, when it never will be. */
  reason?: string;
}

export class ReportTimeZones {
  private readonly building = new Map<string, Promise<void>>();

  constructor(private readonly pool: pg.Pool, private readonly log: Logger) {}

  /** The zone a report is read in: the one asked for once built, else UTC and why. */
  async forReport(wanted: string | null | undefined): Promise<ReportZone> {
    const name = wanted ? canonicalTimeZone(wanted) : 'UTC';
    if (!name || name === 'UTC' || name === 'Etc/UTC') return { timeZone: 'UTC' };
    const added = await this.add(name);
    if (added === 'ready') return { timeZone: name };
    if (added === 'full') return { timeZone: 'UTC', reason: `Reports are kept in at most ${MAX_REPORT_TIME_ZONES} time zones besides UTC; ${name} would be one more` };
    if (added === 'unknown') return { timeZone: 'UTC', reason: `The database does not know the time zone ${name}` };
    const done = await Promise.race([this.build(name).then(() => true, () => false), new Promise<false>((r) => setTimeout(() => r(false), BUILD_WAIT_MS).unref())]);
    return done ? { timeZone: name } : { timeZone: 'UTC', preparing: name };
  }

  /** Starts counting a zone an agent chose, so their first report is ready in it. */
  prepare(wanted: string | null): void {
    const name = wanted ? canonicalTimeZone(wanted) : null;
    if (!name || name === 'UTC' || name === 'Etc/UTC') return;
    void this.add(name).then((added) => (added === 'building' ? this.build(name) : undefined)).catch((err: unknown) => this.log.error({ err, timeZone: name }, 'report time zone not prepared'));
  }

  private async add(name: string): Promise<'ready' | 'building' | 'full' | 'unknown'> {
    const { rows: [row] } = await this.pool.query<{ ready: boolean }>('SELECT ready FROM report_time_zones WHERE name = $1', [name]);
    if (row) return row.ready ? 'ready' : 'building';
    try {
      // Committed on its own, before the build: every writer from now on counts the zone too.
      const { rowCount } = await this.pool.query(
        `INSERT INTO report_time_zones (name) SELECT $1 WHERE (SELECT count(*) FROM report_time_zones WHERE name <> 'UTC') < $2 ON CONFLICT (name) DO NOTHING`,
        [name, MAX_REPORT_TIME_ZONES],
      );
      if (!rowCount) {
        const { rows: [again] } = await this.pool.query<{ ready: boolean }>('SELECT ready FROM report_time_zones WHERE name = $1', [name]);
        return again ? (again.ready ? 'ready' : 'building') : 'full';
      }
      this.log.info({ timeZone: name }, 'reports: counting a new time zone');
      return 'building';
    } catch (err) {
      // The CHECK: PostgreSQL's zone data lacks a name Node's has.
      if ((err as { code?: string }).code === '23514' || (err as { code?: string }).code === '22023') return 'unknown';
      throw err;
    }
  }

  /** Builds a zone once per process at a time (across processes the compaction lock takes turns and the second finds it ready). */
  private build(name: string): Promise<void> {
    let job = this.building.get(name);
    if (!job) {
      job = buildReportTimeZone(this.pool, name)
        .then((r) => void (r.built && this.log.info({ timeZone: name, ms: r.ms, writersWaitedMs: r.writersWaitedMs }, 'reports: time zone built')))
        .finally(() => this.building.delete(name));
      job.catch((err: unknown) => this.log.error({ err, timeZone: name }, 'reports: time zone not built'));
      this.building.set(name, job);
    }
    return job;
  }
}
