// A fixed-window counter per key (per visitor, per IP): allows `limit` hits a window.
// In memory, per process: with several web processes each enforces its own share.
export class WindowLimit {
  private readonly hits = new Map<string, { windowStart: number; count: number }>();

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts a hit; answers false when the key is over its limit in this window. */
  take(key: string, limit: number): boolean {
    const now = this.now();
    const h = this.hits.get(key);
    if (!h || now - h.windowStart >= this.windowMs) {
      if (this.hits.size > 50_000) this.prune(now);
      this.hits.set(key, { windowStart: now, count: 1 });
      return true;
    }
    h.count++;
    return h.count <= limit;
  }

  private prune(now: number): void {
    for (const [k, h] of this.hits) if (now - h.windowStart >= this.windowMs) this.hits.delete(k);
  }
}
