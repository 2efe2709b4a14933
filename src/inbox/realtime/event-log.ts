// The last few thousand live events, so an agent's socket that was cut off (a web process
// restarted, a network blip) is sent what it missed when it reconnects: each event carries an
// `eventId`, the client says the last one it saw, and the events after it for its rooms are
// replayed. With Redis the log is a stream every process appends to (ids ordered across
// processes); alone, a buffer in memory. Too old (trimmed away) or unknown: the client is told
// to reload instead.
import type { Redis } from 'ioredis';

export interface LoggedEvent {
  id: string;
  rooms: string[];
  event: string;
  payload: Record<string, unknown>;
}

export interface EventLog {
  /** Records an event for these rooms; answers its id. */
  append(rooms: string[], event: string, payload: object): Promise<string>;
  /** Events after `id`, oldest first, at most `limit`; null when the log no longer reaches back to `id`. */
  since(id: string, limit: number): Promise<LoggedEvent[] | null>;
}

/** Ids are "<ms>-<seq>" (Redis stream ids): compared as two numbers. */
export function compareEventIds(a: string, b: string): number {
  const [am = 0, as = 0] = a.split('-').map(Number);
  const [bm = 0, bs = 0] = b.split('-').map(Number);
  return am - bm || as - bs;
}

export const isEventId = (id: unknown): id is string => typeof id === 'string' && /^\d{1,16}-\d{1,10}$/.test(id);

export class MemoryEventLog implements EventLog {
  private readonly entries: LoggedEvent[] = [];
  private lastMs = 0;
  private seq = 0;
  /** The id before the oldest kept entry: the log reaches back to it. */
  private floor: string;

  constructor(private readonly capacity = 10_000) {
    this.floor = `${Date.now()}-0`;
  }

  async append(rooms: string[], event: string, payload: object): Promise<string> {
    const now = Date.now();
    if (now > this.lastMs) [this.lastMs, this.seq] = [now, 0];
    const id = `${this.lastMs}-${++this.seq}`;
    this.entries.push({ id, rooms, event, payload: payload as Record<string, unknown> });
    if (this.entries.length > this.capacity) this.floor = this.entries.shift()!.id;
    return id;
  }

  async since(id: string, limit: number): Promise<LoggedEvent[] | null> {
    if (compareEventIds(id, this.floor) < 0) return null;
    return this.entries.filter((e) => compareEventIds(e.id, id) > 0).slice(0, limit);
  }
}

export class RedisEventLog implements EventLog {
  private readonly key: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly capacity = 10_000,
  ) {
    this.key = `${prefix}:agent-events`;
  }

  async append(rooms: string[], event: string, payload: object): Promise<string> {
    // Trimmed approximately (cheap): the log keeps at least `capacity` events.
    const id = await this.redis.xadd(this.key, 'MAXLEN', '~', String(this.capacity), '*', 'r', rooms.join(' '), 'e', event, 'p', JSON.stringify(payload));
    return id!;
  }

  async since(id: string, limit: number): Promise<LoggedEvent[] | null> {
    const oldest = await this.redis.xrange(this.key, '-', '+', 'COUNT', 1);
    // Empty (Redis came back without it) or trimmed past the client's id: it cannot say what was missed.
    if (!oldest.length || compareEventIds(oldest[0]![0], id) > 0) return null;
    const rows = await this.redis.xrange(this.key, `(${id}`, '+', 'COUNT', limit);
    return rows.map(([entryId, fields]) => {
      const f = new Map<string, string>();
      for (let i = 0; i + 1 < fields.length; i += 2) f.set(fields[i]!, fields[i + 1]!);
      return { id: entryId, rooms: (f.get('r') ?? '').split(' ').filter(Boolean), event: f.get('e') ?? '', payload: JSON.parse(f.get('p') ?? '{}') as Record<string, unknown> };
    });
  }
}
