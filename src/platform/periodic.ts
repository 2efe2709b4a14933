// Work that runs again and again in a long-lived process (folding counters, sweeping, polling a
// provider): one run at a time, never overlapping a slow one; the next run is scheduled when the
// last one ends, `intervalMs` later or when the run says (`{ waitMs }`: until a rate limit
// resets, say); `wake` runs it now; `stop` waits for the run in progress.
import type { Logger } from './logger';

/** What a run may answer: how long to wait before the next one, instead of `intervalMs`. */
export interface RunAgainIn {
  waitMs: number;
}

export class Periodic {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = true;

  constructor(
    private readonly name: string,
    private readonly run: () => Promise<void | RunAgainIn>,
    private readonly o: { intervalMs: number; logger: Logger },
  ) {}

  start(): void {
    this.stopped = false;
    void this.wake();
  }

  /** Runs now, unless a run is in progress (then answers that one). */
  wake(): Promise<unknown> {
    if (this.running) return this.running;
    clearTimeout(this.timer);
    this.running = this.run()
      .then(
        (result) => (result && Number.isFinite(result.waitMs) && result.waitMs >= 0 ? result.waitMs : this.o.intervalMs),
        (err: unknown) => {
          this.o.logger.warn({ err, task: this.name }, 'periodic task failed; it runs again later');
          return this.o.intervalMs;
        },
      )
      .then((waitMs) => {
        this.running = undefined;
        if (this.stopped) return;
        this.timer = setTimeout(() => void this.wake(), waitMs);
        this.timer.unref();
      });
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
