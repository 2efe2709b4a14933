// Group commit for hot paths. Callers submit one item and await its own result; items that
// arrive while earlier batches are running are gathered and handled together, so one
// transaction and a handful of statements serve many messages under load. At low load a
// lone item starts at once (after the current tick), so it waits for nothing.

export interface BatcherOptions<T, R> {
  /** Handles a batch; returns one result (or Error) per item, in order. */
  run: (items: T[]) => Promise<Array<R | Error>>;
  maxBatchSize: number;
  /** Batches allowed to run at the same time. */
  maxInFlight: number;
}

interface Pending<T, R> {
  item: T;
  resolve: (r: R) => void;
  reject: (e: unknown) => void;
}

export class Batcher<T, R> {
  private queue: Array<Pending<T, R>> = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(private readonly o: BatcherOptions<T, R>) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.o.maxInFlight || this.queue.length === 0) return;
    this.scheduled = true;
    // Let everything submitted in this tick join the batch.
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.inFlight < this.o.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.o.maxBatchSize);
      this.inFlight++;
      void this.runBatch(batch).finally(() => {
        this.inFlight--;
        this.schedule();
      });
    }
  }

  private async runBatch(batch: Array<Pending<T, R>>): Promise<void> {
    try {
      const results = await this.o.run(batch.map((p) => p.item));
      batch.forEach((p, i) => {
        const r = results[i];
        if (r instanceof Error) p.reject(r);
        else if (i >= results.length) p.reject(new Error('batch returned too few results'));
        else p.resolve(r as R);
      });
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
  }
}
