// Routing across a crash. Due times live in columns, so a worker killed with SIGKILL part-way
// through and replaced by two new ones still fires every due timer, each once. A worker killed
// in the middle of routing a burst leaves every rule fired exactly once: a batch's effects and
// the deletion of its outbox events commit together. Real processes, PostgreSQL and Redis.
import { describe, expect, it } from 'vitest';
import { createAgent, createInbox } from './helpers/fixtures';
import { eventually, request } from './helpers/http';
import { processCluster } from './helpers/processes';

const cluster = processCluster('rd');
const worker = (env: Record<string, string> = {}) => cluster.start('worker', env);

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

  it('fires every rule exactly once for a burst although the worker is killed in the middle of routing it', async () => {
    const prisma = cluster.db.prisma;
    const agents = await Promise.all(Array.from({ length: 10 }, (_, i) => createAgent(prisma, { name: `Burst agent ${i}`, capacity: 100 })));
    const { inbox, token } = await createInbox(prisma, { memberIds: agents.map((a) => a.id) });
    const web = await cluster.start('web', { ROUTING_DEFAULTS: 'true' });
    const first = await worker({ ROUTING_DEFAULTS: 'true' });
    const customers = 400;
    const total = customers * 3;
    const texts = ['Where is my parcel?', 'Could you send me the invoice again?', 'Thanks, that helps.'];
    // Posted in the background: the worker is killed while the burst is still arriving and being
    // routed (waiting for a moment when the outbox is non-empty raced a worker that keeps up).
    const posting = (async () => {
      for (let i = 0; i < total; i += 100) {
        await Promise.all(Array.from({ length: 100 }, (_, k) => {
          const n = i + k;
          return request(`${web.url}/api/v1/inboxes/${inbox.id}/messages`, { token, body: { externalId: `burst-${n}`, from: { email: `burst${n % customers}@example.com` }, text: texts[Math.floor(n / customers)]! } });
        }));
      }
    })();
    const acks = () => prisma.message.count({ where: { inboxId: inbox.id, senderType: 'system', direction: 'outbound' } });
    await eventually(async () => ((await acks()) >= 40) || null, { timeoutMs: 60_000, what: 'routing under way' });
    await first.kill('SIGKILL');
    await posting;
    await worker({ ROUTING_DEFAULTS: 'true' });
    await eventually(async () => ((await prisma.message.count({ where: { inboxId: inbox.id, direction: 'inbound' } })) === total && (await prisma.routingEvent.count()) === 0) || null, { timeoutMs: 60_000, what: 'every message stored and routed' });

    const conversations = await prisma.conversation.findMany({ where: { inboxId: inbox.id }, select: { id: true, assigneeId: true, acknowledgedAt: true } });
    expect(conversations).toHaveLength(customers);
    const fired = await prisma.auditEvent.findMany({ where: { type: 'rule.fired', inboxId: inbox.id }, select: { data: true } });
    const keys = fired.map((f) => { const d = f.data as { outboxEventId: string; ruleId: string; event: string }; return `${d.outboxEventId}/${d.ruleId}/${d.event}`; });
    expect(new Set(keys).size).toBe(keys.length);
    const ackRule = await prisma.routingRule.findFirstOrThrow({ where: { name: 'Acknowledge new customer messages' } });
    expect(fired.filter((f) => (f.data as { ruleId: string }).ruleId === ackRule.id)).toHaveLength(total);
    // One acknowledgement and one assignment per conversation, however the crash fell.
    const perConversation = await prisma.message.groupBy({ by: ['conversationId'], where: { inboxId: inbox.id, senderType: 'system', direction: 'outbound' }, _count: { _all: true } });
    expect(perConversation).toHaveLength(customers);
    for (const c of perConversation) expect(c._count._all).toBe(1);
    const assigned = await prisma.auditEvent.groupBy({ by: ['conversationId'], where: { inboxId: inbox.id, type: 'conversation.assigned' }, _count: { _all: true } });
    expect(assigned).toHaveLength(customers);
    for (const a of assigned) expect(a._count._all).toBe(1);
    expect(conversations.every((c) => c.assigneeId && c.acknowledgedAt)).toBe(true);
  });
});
