// SLA policies and routing rules as stored, cached for a few seconds: every message of a busy
// inbox needs them, they change rarely, and an edit through the API clears the cache of the
// process that made it (others see it within the TTL).
import type { Database } from '../../platform/db/client';
import { TtlCache } from '../../platform/ttl-cache';
import { businessHoursSchema } from '../../routing/business-hours';
import { actionSchema, conditionSchema, type Rule, type RuleEvent } from '../../routing/rules';
import type { SlaPolicy } from '../../routing/sla';

const TTL_MS = 5_000;

/** A whole table's worth of rows, loaded at most every TTL_MS. */
class CachedList<T> {
  private readonly cache = new TtlCache<'all', T[]>(TTL_MS, 1);
  constructor(private readonly load: () => Promise<T[]>) {}

  async all(): Promise<T[]> {
    const hit = this.cache.get('all');
    if (hit) return hit;
    const rows = await this.load();
    this.cache.set('all', rows);
    return rows;
  }

  clear(): void {
    this.cache.clear();
  }
}

export class SlaPolicies extends CachedList<SlaPolicy> {
  constructor(db: Database) {
    super(async () => {
      const rows = await db.prisma.slaPolicy.findMany({ orderBy: { createdAt: 'asc' } });
      return rows.map((r) => ({ ...r, businessHours: r.businessHours ? businessHoursSchema.parse(r.businessHours) : null }));
    });
  }
}

export class RoutingRules extends CachedList<Rule> {
  constructor(db: Database) {
    super(async () => {
      const rows = await db.prisma.routingRule.findMany({ orderBy: [{ position: 'asc' }, { name: 'asc' }] });
      return rows.map((r) => ({
        id: r.id, name: r.name, event: r.event as Rule['event'], position: r.position, enabled: r.enabled, inboxId: r.inboxId,
        conditions: conditionSchema.array().parse(r.conditions), actions: actionSchema.array().parse(r.actions),
      }));
    });
  }

  /** Whether an enabled rule listens to any of these events. */
  async listenTo(events: readonly RuleEvent[]): Promise<boolean> {
    return (await this.all()).some((r) => r.enabled && events.includes(r.event));
  }
}
