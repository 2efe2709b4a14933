// The routing a new installation starts with: the default rules (src/routing/rules.ts) and a
// round-the-clock service level. Written once, at the first start; after that they are the
// admins' to edit or delete, and deleting them does not bring them back.
import type { Database, Prisma } from '../../platform/db/client';
import { DEFAULT_RULES, ruleSchema } from '../../routing/rules';

const MARKER = 'routing.defaults_installed';

export async function installRoutingDefaults(db: Database): Promise<boolean> {
  return db.prisma.$transaction(async (tx) => {
    // One process installs them, however many start at once.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${MARKER}))`;
    if (await tx.auditEvent.findFirst({ where: { type: MARKER }, select: { id: true } })) return false;
    for (const input of DEFAULT_RULES) {
      const r = ruleSchema.parse(input);
      await tx.routingRule.create({ data: { ...r, conditions: r.conditions as Prisma.InputJsonValue, actions: r.actions as Prisma.InputJsonValue } });
    }
    await tx.slaPolicy.create({ data: { name: 'Standard (around the clock)', firstResponseMinutes: 60, nextResponseMinutes: 240, warnBeforeMinutes: 15 } });
    await tx.auditEvent.create({ data: { type: MARKER, data: { rules: DEFAULT_RULES.length } } });
    return true;
  });
}
