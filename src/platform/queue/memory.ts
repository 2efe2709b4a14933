// In-process queue: the default when no REDIS_URL is set. Same semantics as the BullMQ
// adapter (dedupe by job id, delays, retries with exponential backoff, dead letters), but
// jobs live in memory, so durability comes from the sweepers that re-enqueue from the
// database after a restart.
import crypto from 'node:crypto';
import {
  backoffDelay,
  PermanentJobError,
  type Job,
  type JobHandler,
  type JobOptions,
  type QueueBackend,
  type QueueBackendOptions,
} from './types';
import { errorMessage } from '../errors';
import { requestIdOf, withRequestId, withRequestIdOf } from '../request-context';

interface Entry {
  job: Job<unknown>;
  timer?: NodeJS.Timeout;
}

interface Lane {
  ready: Entry[];
  delayed: Map<string, Entry>;
  active: Set<string>;
  known: Set<string>;
  handler?: JobHandler<unknown>;
  concurrency: number;
  running: number;
}

export class MemoryQueueBackend implements QueueBackend {
  readonly kind = 'memory' as const;
  private lanes = new Map<string, Lane>();
  private closed = false;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly options: QueueBackendOptions) {}

  private lane(name: string): Lane {
    let lane = this.lanes.get(name);
    if (!lane) {
      lane = { ready: [], delayed: new Map(), active: new Set(), known: new Set(), concurrency: 1, running: 0 };
      this.lanes.set(name, lane);
    }
    return lane;
  }

  async add<T>(queue: string, name: string, data: T, options: JobOptions = {}): Promise<void> {
    if (this.closed) throw new Error(`queue ${queue} is closed`);
    const lane = this.lane(queue);
    const id = options.jobId ?? crypto.randomUUID();
    if (lane.known.has(id)) return;
    lane.known.add(id);
    const job: Job<unknown> = { id, name, data: withRequestIdOf(data), attempt: 1, maxAttempts: options.attempts ?? this.options.attempts };
    this.schedule(queue, lane, { job }, options.delayMs ?? 0);
  }

  async addBulk<T>(queue: string, jobs: Array<{ name: string; data: T; options?: JobOptions }>): Promise<void> {
    for (const j of jobs) await this.add(queue, j.name, j.data, j.options);
  }

  private schedule(queue: string, lane: Lane, entry: Entry, delayMs: number): void {
    if (delayMs > 0) {
      entry.timer = setTimeout(() => {
        lane.delayed.delete(entry.job.id);
        lane.ready.push(entry);
        this.pump(queue, lane);
      }, delayMs);
      entry.timer.unref?.();
      lane.delayed.set(entry.job.id, entry);
    } else {
      lane.ready.push(entry);
      this.pump(queue, lane);
    }
  }

  process<T>(queue: string, handler: JobHandler<T>, options: { concurrency?: number } = {}): void {
    const lane = this.lane(queue);
    if (lane.handler) throw new Error(`queue ${queue} already has a consumer in this process`);
    lane.handler = handler as JobHandler<unknown>;
    lane.concurrency = options.concurrency ?? 1;
    this.pump(queue, lane);
  }

  private pump(queue: string, lane: Lane): void {
    if (!lane.handler || this.closed) return;
    while (lane.running < lane.concurrency && lane.ready.length > 0) {
      const entry = lane.ready.shift()!;
      lane.running++;
      lane.active.add(entry.job.id);
      void this.run(queue, lane, entry);
    }
  }

  private async run(queue: string, lane: Lane, entry: Entry): Promise<void> {
    const { job } = entry;
    let retryIn: number | undefined;
    try {
      await withRequestId(requestIdOf(job.data), () => lane.handler!(job));
      lane.known.delete(job.id);
    } catch (err) {
      this.options.onAttemptFailed?.(queue, job, err);
      const permanent = err instanceof PermanentJobError;
      if (!permanent && job.attempt < job.maxAttempts && !this.closed) {
        retryIn = backoffDelay(this.options.backoffMs, job.attempt);
        job.attempt++;
      } else {
        lane.known.delete(job.id);
        await this.options
          .onDeadLetter({ queue, jobId: job.id, name: job.name, data: job.data, error: errorMessage(err), attempts: job.attempt })
          .catch(() => {});
      }
    } finally {
      lane.running--;
      lane.active.delete(job.id);
    }
    if (retryIn !== undefined) this.schedule(queue, lane, { job }, retryIn);
    this.pump(queue, lane);
    if (this.isIdle()) for (const w of this.idleWaiters.splice(0)) w();
  }

  private isIdle(): boolean {
    for (const lane of this.lanes.values()) if (lane.running > 0) return false;
    return true;
  }

  async remove(queue: string, jobId: string): Promise<void> {
    const lane = this.lane(queue);
    const delayed = lane.delayed.get(jobId);
    if (delayed) {
      clearTimeout(delayed.timer);
      lane.delayed.delete(jobId);
      lane.known.delete(jobId);
      return;
    }
    const i = lane.ready.findIndex((e) => e.job.id === jobId);
    if (i >= 0) {
      lane.ready.splice(i, 1);
      lane.known.delete(jobId);
    }
  }

  async count(queue: string): Promise<number> {
    const lane = this.lane(queue);
    return lane.ready.length + lane.delayed.size + lane.running;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const lane of this.lanes.values()) {
      for (const e of lane.delayed.values()) clearTimeout(e.timer);
      lane.delayed.clear();
    }
    if (!this.isIdle()) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }
}
