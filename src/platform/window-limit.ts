// Fixed-window counters per key (per visitor, per IP): `limit` hits a window. In Redis when
// there is one, so every web process counts together; in memory (per process) otherwise.
import type { Redis } from 'ioredis';

export interface HitCounter {
  /** Counts a hit; answers false when the key is over its limit in this window. */
  take(key: string, limit: number): Promise<boolean>;
}

export class WindowLimit implements HitCounter {
  private readonly hits = new Map<string, { windowStart: number; count: number }>();

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async take(key: string, limit: number): Promise<boolean> {
    return this.takeNow(key, limit);
  }

  takeNow(key: string, limit: number): boolean {
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

// One round trip: count, and start the window's expiry with its first hit.
const INCR_WITH_EXPIRY = `local n = redis.call('INCR', KEYS[1]) if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end return n`;

export class RedisWindowLimit implements HitCounter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly windowMs: number,
    /** Redis away: counted here meanwhile, rather than refusing everyone or no one. */
    private readonly fallback = new WindowLimit(windowMs),
  ) {}

  async take(key: string, limit: number): Promise<boolean> {
    try {
      const n = (await this.redis.eval(INCR_WITH_EXPIRY, 1, `${this.prefix}${key}`, String(this.windowMs))) as number;
      return n <= limit;
    } catch {
      return this.fallback.takeNow(key, limit);
    }
  }
}
