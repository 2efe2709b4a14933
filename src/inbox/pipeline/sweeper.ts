// The database is the source of truth; queues only move work. The sweeper re-queues what the
// database says is unfinished (messages accepted but not threaded, replies not yet sent), at
// start and then periodically, so a crash, a restart or a flushed Redis loses nothing.
// Re-queueing is harmless: jobs are deduplicated by id and processing is idempotent.
import type { Database } from '../../platform/db/client';
import type { Logger } from '../../platform/logger';
import type { Intake } from './intake';
import type { Replies } from '../messages/reply';
import { Periodic } from '../../platform/periodic';

export interface SweeperOptions {
  db: Database;
  intake: Intake;
  replies: Replies;
  logger: Logger;
  intervalMs?: number;
  /** Work younger than this is left to the queue that already has it. */
  graceMs?: number;
  batch?: number;
}

export class Sweeper {
  private readonly task: Periodic;
  private started = false;
  /** The next run takes everything unfinished, however young (the queue lost or missed it). */
  private everything = false;

  constructor(private readonly o: SweeperOptions) {
    this.task = new Periodic(
      'sweeper',
      async () => {
        // At start nothing is in flight in this process: sweep everything unfinished.
        const graceMs = this.started && !this.everything ? (this.o.graceMs ?? 30_000) : 0;
        this.started = true;
        this.everything = false;
        await this.sweep(graceMs);
      },
      { intervalMs: this.o.intervalMs ?? 30_000, logger: this.o.logger },
    );
  }

  start(): void {
    this.started = false;
    this.task.start();
  }

  stop(): Promise<void> {
    return this.task.stop();
  }

  /** The queue lost jobs or could not take them: re-queue all unfinished work now, not after the grace period. */
  async sweepEverything(): Promise<void> {
    this.everything = true;
    await this.task.wake();
    // A run already under way used the grace period: one more.
    if (this.everything) await this.task.wake();
  }

  async sweep(graceMs: number): Promise<{ inbound: number; outbound: number }> {
    const { pool } = this.o.db;
    const before = new Date(Date.now() - graceMs);
    const take = this.o.batch ?? 5_000;
    try {
      // Literal statuses: these are the predicates of the partial indexes that hold only unfinished rows.
      const { rows: receipts } = await pool.query<{ id: string }>(
        `SELECT id FROM inbound_receipts WHERE status = 'pending' AND received_at <= $1 ORDER BY received_at LIMIT $2`,
        [before, take],
      );
      if (receipts.length) await this.o.intake.enqueue(receipts.map((r) => r.id));
      const { rows: replies } = await pool.query<{ id: string }>(
        `SELECT id FROM messages WHERE delivery_status = 'queued' AND created_at <= $1 ORDER BY created_at LIMIT $2`,
        [before, take],
      );
      for (const m of replies) await this.o.replies.enqueue(m.id);
      if (receipts.length || replies.length) this.o.logger.info({ inbound: receipts.length, outbound: replies.length }, 'sweeper re-queued unfinished work');
      return { inbound: receipts.length, outbound: replies.length };
    } catch (err) {
      this.o.logger.warn({ err }, 'sweep failed; will try again');
      return { inbound: 0, outbound: 0 };
    }
  }
}
