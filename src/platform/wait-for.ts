// At start, a process waits for the services it needs (PostgreSQL, Redis) instead of exiting:
// in a deployment they start in any order and restart at any time. It retries with backoff
// (a quarter second, doubling to five) and says what it waits for, once per attempt.
import type { Logger } from './logger';

export interface WaitOptions {
  logger: Logger;
  /** Which errors mean "not there yet" (the rest are real faults and end the wait). */
  retryable?: (err: unknown) => boolean;
  maxDelayMs?: number;
  /** Stop waiting (throwing the last error) after this long; unset: wait as long as it takes. */
  giveUpAfterMs?: number;
}

export async function waitFor<T>(what: string, attempt: () => Promise<T>, o: WaitOptions): Promise<T> {
  let delay = 250;
  const started = Date.now();
  for (let n = 1; ; n++) {
    try {
      const value = await attempt();
      if (n > 1) o.logger.info({ what, attempts: n, waitedMs: Date.now() - started }, `${what} is reachable`);
      return value;
    } catch (err) {
      if (o.retryable && !o.retryable(err)) throw err;
      if (o.giveUpAfterMs !== undefined && Date.now() - started + delay > o.giveUpAfterMs) throw err;
      o.logger.warn({ what, attempt: n, retryInMs: delay, err: err instanceof Error ? err.message : String(err) }, `waiting for ${what}`);
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, o.maxDelayMs ?? 5_000);
    }
  }
}
