// Durable timers. Every due time is a column (first/next response due, snoozed until); a
// delayed queue job wakes a worker at the moment, and a sweeper looks at the columns at start
// and every few seconds, so a dead worker or a flushed Redis delays a timer by seconds, never
// loses it. Each SLA moment fires once per due time: the compare-and-set on the conversation
// and the routing event it raises commit together.
import type { Database } from '../../platform/db/client';
import { withTransaction } from '../../platform/db/sql';
import type { Logger } from '../../platform/logger';
import type { QueueBackend } from '../../platform/queue';
import { slaMomentsDue } from '../../routing/sla';
import type { ConversationActions } from '../conversations/actions';
import { QUEUES, type TimerJob } from '../queues';

export interface TimersOptions {
  db: Database;
  queue: QueueBackend;
  actions: ConversationActions;
  logger: Logger;
  /** After timers raised routing events. */
  onFired: () => Promise<unknown>;
  /** Once a minute (priorities that move with time). */
  everyMinute?: (now: Date) => Promise<unknown>;
  now?: () => Date;
  intervalMs?: number;
}

interface DueRow {
  id: string;
  due: Date;
  warn: number;
  warned_for: Date | null;
  breached_for: Date | null;
}

export class Timers {
  private readonly now: () => Date;
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private lastMinute = 0;

  constructor(private readonly o: TimersOptions) {
    this.now = o.now ?? (() => new Date());
  }

  start(): void {
    const tick = () => {
      this.running ??= this.sweep().finally(() => (this.running = undefined));
    };
    tick();
    this.timer = setInterval(tick, this.o.intervalMs ?? 5_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Everything due up to now, then routing. */
  async sweep(conversationId?: string): Promise<number> {
    try {
      const fired = (await this.fireSla(conversationId)) + (await this.endSnoozes(conversationId));
      await this.o.onFired();
      const now = this.now();
      if (!conversationId && this.o.everyMinute && now.getTime() - this.lastMinute >= 60_000) {
        this.lastMinute = now.getTime();
        await this.o.everyMinute(now);
      }
      return fired;
    } catch (err) {
      this.o.logger.warn({ err }, 'timer sweep failed; will try again');
      return 0;
    }
  }

  /**
   * Wakes a worker at each moment given. One job per second whatever falls due in it (a batch
   * of conversations opened together falls due together), added in one call.
   */
  async schedule(moments: Array<Date | null>): Promise<void> {
    const now = this.now().getTime();
    const seconds = new Set(moments.flatMap((at) => (at ? [Math.ceil(at.getTime() / 1000)] : [])));
    if (!seconds.size) return;
    await this.o.queue
      .addBulk<TimerJob>(QUEUES.timers, [...seconds].map((s) => ({ name: 'due', data: {}, options: { jobId: `t-${s}`, delayMs: Math.max(0, s * 1000 - now) } })))
      .catch((err: unknown) => this.o.logger.warn({ err }, 'could not schedule timers; the sweeper will fire them'));
  }

  private async fireSla(conversationId?: string): Promise<number> {
    const now = this.now();
    const { rows } = await this.o.db.pool.query<DueRow>(
      `SELECT c.id, COALESCE(c.first_response_due_at, c.next_response_due_at) AS due, p.warn_before_minutes AS warn,
              c.sla_warned_for AS warned_for, c.sla_breached_for AS breached_for
         FROM conversations c JOIN sla_policies p ON p.id = c.sla_policy_id
        WHERE c.status = 'open'
          -- The same test widened to the longest warning, in a form the partial due-time indexes answer.
          AND (c.first_response_due_at <= $1::timestamptz + (SELECT COALESCE(max(warn_before_minutes), 0) FROM sla_policies) * interval '1 minute'
               OR c.next_response_due_at <= $1::timestamptz + (SELECT COALESCE(max(warn_before_minutes), 0) FROM sla_policies) * interval '1 minute')
          AND COALESCE(c.first_response_due_at, c.next_response_due_at) - p.warn_before_minutes * interval '1 minute' <= $1
          AND c.sla_breached_for IS DISTINCT FROM COALESCE(c.first_response_due_at, c.next_response_due_at)
          AND ($2::uuid IS NULL OR c.id = $2::uuid)
        ORDER BY due LIMIT 500`,
      [now, conversationId ?? null],
    );
    let fired = 0;
    for (const r of rows) {
      const moments = slaMomentsDue(r.due, r.warn, { warnedFor: r.warned_for, breachedFor: r.breached_for }, now);
      if (!moments.length) continue;
      const ok = await withTransaction(this.o.db.pool, async (client) => {
        const { rowCount } = await client.query(
          `UPDATE conversations SET sla_warned_for = CASE WHEN $2 THEN $5::timestamptz ELSE sla_warned_for END,
                                    sla_breached_for = CASE WHEN $3 THEN $5::timestamptz ELSE sla_breached_for END
            WHERE id = $1 AND COALESCE(first_response_due_at, next_response_due_at) = $5::timestamptz
              AND sla_warned_for IS NOT DISTINCT FROM $4::timestamptz AND sla_breached_for IS NOT DISTINCT FROM $6::timestamptz`,
          [r.id, moments.includes('warning'), moments.includes('breach'), r.warned_for, r.due, r.breached_for],
        );
        if (!rowCount) return false; // another worker fired it, or the due time moved
        for (const m of moments) {
          await client.query(`INSERT INTO routing_events (type, conversation_id, data) VALUES ($1, $2, $3)`, [`sla.${m}`, r.id, { due: r.due.toISOString() }]);
        }
        return true;
      });
      if (ok) fired += moments.length;
    }
    if (fired) this.o.logger.info({ fired }, 'service-level timers fired');
    return fired;
  }

  private async endSnoozes(conversationId?: string): Promise<number> {
    const now = this.now();
    const { rows } = await this.o.db.pool.query<{ id: string }>(
      `SELECT id FROM conversations WHERE status = 'snoozed' AND snoozed_until <= $1 AND ($2::uuid IS NULL OR id = $2::uuid) ORDER BY snoozed_until`,
      [now, conversationId ?? null],
    );
    // Each woken under its lock, if still due: two workers never both wake one.
    let woken = 0;
    for (const r of rows) if (await this.o.actions.wake(r.id, now)) woken++;
    return woken;
  }
}
