// BullMQ on Redis: jobs survive a worker crash (a stalled job is picked up again) and any
// number of worker processes share the queues.
import { Queue, UnrecoverableError, Worker, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import {
  PermanentJobError,
  type JobHandler,
  type JobOptions,
  type QueueBackend,
  type QueueBackendOptions,
} from './types';
import { errorMessage } from '../errors';
import { requestIdOf, withRequestId, withRequestIdOf } from '../request-context';

export interface BullQueueOptions extends QueueBackendOptions {
  redisUrl: string;
  /** Key prefix in Redis: lets several installations (or test runs) share one Redis. */
  prefix: string;
  /**
   * How long a running job's lock lasts without renewal, and how often workers look for jobs
   * whose lock lapsed (their worker died): a job a dead worker held is taken over within about
   * twice this (default 30 s, BullMQ's own). Shorter: faster recovery, more Redis calls.
   */
  lockMs?: number;
}

export class BullQueueBackend implements QueueBackend {
  readonly kind = 'bullmq' as const;
  private readonly connection: Redis;
  private readonly queues = new Map<string, Queue>();
  private readonly workers: Worker[] = [];

  constructor(private readonly options: BullQueueOptions) {
    // Workers block on Redis; BullMQ requires retries to be unlimited on its connection.
    this.connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
    this.connection.on('error', () => {}); // reconnects by itself; callers see failures on their calls
  }

  private queue(name: string): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, { connection: this.connection, prefix: this.options.prefix });
      this.queues.set(name, q);
    }
    return q;
  }

  private jobOptions(options: JobOptions = {}): JobsOptions {
    return {
      jobId: options.jobId,
      delay: options.delayMs,
      attempts: options.attempts ?? this.options.attempts,
      backoff: { type: 'exponential', delay: this.options.backoffMs },
      removeOnComplete: { age: 3600, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    };
  }

  async add<T>(queue: string, name: string, data: T, options?: JobOptions): Promise<void> {
    await this.queue(queue).add(name, withRequestIdOf(data), this.jobOptions(options));
  }

  async addBulk<T>(queue: string, jobs: Array<{ name: string; data: T; options?: JobOptions }>): Promise<void> {
    await this.queue(queue).addBulk(jobs.map((j) => ({ name: j.name, data: withRequestIdOf(j.data), opts: this.jobOptions(j.options) })));
  }

  process<T>(queue: string, handler: JobHandler<T>, options: { concurrency?: number } = {}): void {
    const worker = new Worker(
      queue,
      async (job) => {
        try {
          await withRequestId(requestIdOf(job.data), () =>
            handler({
              id: job.id!,
              name: job.name,
              data: job.data as T,
              attempt: job.attemptsMade + 1,
              maxAttempts: job.opts.attempts ?? 1,
            }),
          );
        } catch (err) {
          // BullMQ's way to say "do not retry".
          if (err instanceof PermanentJobError) throw new UnrecoverableError(err.message);
          throw err;
        }
      },
      {
        connection: this.connection.duplicate({ maxRetriesPerRequest: null }),
        prefix: this.options.prefix,
        concurrency: options.concurrency ?? 1,
        ...(this.options.lockMs ? { lockDuration: this.options.lockMs, stalledInterval: this.options.lockMs } : {}),
      },
    );
    worker.on('error', () => {}); // connection errors: BullMQ reconnects
    worker.on('failed', (job, err) => {
      if (!job) return;
      const attempts = job.opts.attempts ?? 1;
      this.options.onAttemptFailed?.(queue, { id: job.id!, name: job.name, data: job.data, attempt: job.attemptsMade, maxAttempts: attempts }, err);
      if (job.attemptsMade >= attempts || err instanceof UnrecoverableError) {
        void this.options
          .onDeadLetter({ queue, jobId: job.id!, name: job.name, data: job.data, error: errorMessage(err), attempts: job.attemptsMade })
          .catch(() => {});
      }
    });
    this.workers.push(worker);
  }

  async remove(queue: string, jobId: string): Promise<void> {
    await this.queue(queue).remove(jobId);
  }

  async count(queue: string): Promise<number> {
    return this.queue(queue).getJobCountByTypes('waiting', 'delayed', 'active', 'prioritized');
  }

  watchForLoss(onLoss: (why: string) => void, everyMs = 1_000): () => void {
    // A key set once and never expiring: when SET NX succeeds again, Redis lost what it had.
    const key = `${this.options.prefix}:alive`;
    let known = false;
    let away = false;
    const check = async () => {
      try {
        const created = (await this.connection.set(key, '1', 'NX')) === 'OK';
        if (known && created) onLoss('Redis came back empty');
        else if (away) onLoss('Redis is back');
        known = true;
        away = false;
      } catch {
        away = true;
      }
    };
    void check();
    const timer = setInterval(() => void check(), everyMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.connection.disconnect();
  }
}
