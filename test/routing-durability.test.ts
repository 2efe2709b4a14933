// Durable timers across a crash: due times live in columns, so a worker killed with SIGKILL
// part-way through and replaced by two new ones still fires every due timer, each once.
// Real worker processes, PostgreSQL and Redis.
import { describe, expect, it } from 'vitest';
import { createInbox } from './helpers/fixtures';
import { eventually } from './helpers/http';
import { processCluster } from './helpers/processes';

const cluster = processCluster('rd');
const worker = () => cluster.start('worker');

describe('durable service-level timers', () => {
  it('fires every due timer once although the worker dies part-way', async () => {
    const { inbox } = await createInbox(cluster.db.prisma);
    const policy = await cluster.db.prisma.slaPolicy.create({ data: { name: 'fast', firstResponseMinutes: 1, nextResponseMinutes: 1, warnBeforeMinutes: 0 } });
    await cluster.db.prisma.routingRule.create({ data: { name: 'Mark breaches', event: 'sla.breach', conditions: [], actions: [{ type: 'add_label', label: 'breached' }] } });
    const start = Date.now();
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const contact = await cluster.db.prisma.contact.create({ data: { email: `late${i}@example.com` } });
      // Half due before the crash, half after it.
      const due = new Date(start + (i < 10 ? 2_000 : 9_000));
      const c = await cluster.db.prisma.conversation.create({
        data: { inboxId: inbox.id, contactId: contact.id, status: 'open', waitingSince: new Date(start), slaPolicyId: policy.id, firstResponseDueAt: due },
      });
      ids.push(c.id);
    }
    const first = await worker();
    const breached = () => cluster.db.prisma.conversation.count({ where: { id: { in: ids }, slaBreachedFor: { not: null } } });
    await eventually(async () => ((await breached()) >= 10 ? true : null), { timeoutMs: 20_000, what: 'the first half to breach' });
    await first.kill('SIGKILL');
    // Two replacements race for the rest.
    await Promise.all([worker(), worker()]);
    await eventually(async () => ((await cluster.db.prisma.conversationLabel.count({ where: { conversationId: { in: ids } } })) === 20 ? true : null), { timeoutMs: 45_000, what: 'every conversation labelled (claims of the dead worker expire after 15 s)' });
    // A little longer: nothing fires twice.
    await new Promise((r) => setTimeout(r, 6_000));
    const fired = await cluster.db.prisma.auditEvent.groupBy({ by: ['conversationId'], where: { conversationId: { in: ids }, type: 'rule.fired' }, _count: { _all: true } });
    expect(fired).toHaveLength(20);
    for (const f of fired) expect(f._count._all, f.conversationId!).toBe(1);
    expect(await cluster.db.prisma.routingEvent.count()).toBe(0);
  });
});
