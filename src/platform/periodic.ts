// Work that runs every so often in a long-lived process (folding counters, sweeping): one run
// at a time, never overlapping a slow one, and `stop` waits for the run in progress.
import type { Logger } from './logger';

export class Periodic {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly name: string,
    private readonly run: () => Promise<unknown>,
    private readonly o: { intervalMs: number; logger: Logger },
  ) {}

  start(): void {
    this.wake();
    this.timer = setInterval(() => this.wake(), this.o.intervalMs);
    this.timer.unref();
  }

  /** Runs now, unless a run is in progress. */
  wake(): Promise<unknown> {
    this.running ??= this.run()
      .catch((err: unknown) => this.o.logger.warn({ err, task: this.name }, 'periodic task failed; it runs again later'))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
