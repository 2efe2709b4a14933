// The queue port. Two adapters implement it: BullMQ on Redis (REDIS_URL set, workers in
// separate processes) and an in-process queue (the zero-set-up default). Both must pass
// test/queue.contract.test.ts. Queues move work; the database holds the only copy of
// anything that matters, so a lost job is re-created by a sweeper, never lost data.

export interface JobOptions {
  /** Deduplicates: a job with the same id waiting or running is not added again. No ':' allowed. */
  jobId?: string;
  delayMs?: number;
  /** Overrides the backend's default number of attempts. */
  attempts?: number;
}

export interface Job<T> {
  id: string;
  name: string;
  data: T;
  /** 1 on the first try. */
  attempt: number;
  maxAttempts: number;
}

export type JobHandler<T> = (job: Job<T>) => Promise<void>;

export interface DeadLetter {
  queue: string;
  jobId: string;
  name: string;
  data: unknown;
  error: string;
  attempts: number;
}

export interface QueueBackendOptions {
  attempts: number;
  /** First retry waits this long; each next one twice as long. */
  backoffMs: number;
  /** Called once when a job has failed its last attempt. */
  onDeadLetter: (letter: DeadLetter) => Promise<void>;
  /** Called after every failed attempt (for logs). */
  onAttemptFailed?: (queue: string, job: Job<unknown>, err: unknown) => void;
}

export interface QueueBackend {
  readonly kind: 'memory' | 'bullmq';
  add<T>(queue: string, name: string, data: T, options?: JobOptions): Promise<void>;
  addBulk<T>(queue: string, jobs: Array<{ name: string; data: T; options?: JobOptions }>): Promise<void>;
  /** Starts consuming a queue in this process. */
  process<T>(queue: string, handler: JobHandler<T>, options?: { concurrency?: number }): void;
  /** Removes a waiting or delayed job (e.g. a timer that is no longer due). */
  remove(queue: string, jobId: string): Promise<void>;
  /** Jobs waiting, delayed or running. */
  count(queue: string): Promise<number>;
  /** Stops taking jobs and waits for running ones to finish. */
  close(): Promise<void>;
  /**
   * Calls back when jobs may have been lost or never queued: the queue's store came back after
   * being away, or came back empty (Redis restarted without persistence, flushed). Answers a stop function.
   */
  watchForLoss?(onLoss: (why: string) => void): () => void;
}

/** Thrown by a handler for a failure that retrying cannot fix: goes straight to the dead letters. */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError';
}

export function backoffDelay(backoffMs: number, attempt: number): number {
  return backoffMs * 2 ** Math.max(0, attempt - 1);
}
