// Routing in batches: 200 mixed outbox events (new conversations, follow-ups, automatic mail,
// angry customers) routed in one transaction with the default rules. Each conversation is
// acknowledged once, assignment stays within one of ideal, every rule's firing is recorded
// once, and the lines agents see live equal what the API answers. Real PostgreSQL and HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app';
import { createAgent, createInbox } from './helpers/fixtures';
import { collect, connectAgent, eventually, login, request } from './helpers/http';

let t: TestApp;
let admin: string;
let inbox: { id: string; token: string };
const agents: string[] = [];

const TEXTS = [
  'Hello, could you tell me when my new card will be sent?',
  'My parcel has not arrived yet, can you check the tracking?',
  'I was charged twice for the same order, please refund one of them.',
  'Thanks, that answers my question.',
  'The app shows an error when I try to log in.',
];

beforeAll(async () => {
  t = await startTestApp({ env: { ROUTING_DEFAULTS: 'true' } });
  const a = await createAgent(t.prisma, { role: 'admin', name: 'Ada Admin', availability: 'offline' });
  admin = await login(t.url, a.email);
  // Five agents with room for everyone: balanced assignment gives each 12 of the 60 conversations.
  for (let i = 0; i < 5; i++) agents.push((await createAgent(t.prisma, { name: `Agent ${i}`, capacity: 50, availability: 'online' })).id);
  const created = await createInbox(t.prisma, { memberIds: agents });
  inbox = { id: created.inbox.id, token: created.token };
});

afterAll(() => t?.close());

describe('routing a batch', () => {
  it('routes 200 mixed events in one transaction: one acknowledgement per conversation, balanced within one, each rule fired once', async () => {
    // Messages first, with every rule off (no outbox rows yet); then the rules back on and the
    // 200 outbox rows the pipeline would have written, so one drain finds them all at once.
    await t.prisma.routingRule.updateMany({ data: { enabled: false } });
    t.app.services.rules.clear();
    const posted: string[] = [];
    for (let i = 0; i < 200; i++) {
      const customer = i % 60;
      // Customers 50–59 are machines (auto-replies): never acknowledged.
      const automated = customer >= 50;
      const r = await request(`${t.url}/api/v1/inboxes/${inbox.id}/messages`, {
        token: inbox.token,
        body: { externalId: `batch-${i}`, from: { email: `customer${customer}@example.com`, name: `Customer ${customer}` }, text: TEXTS[i % TEXTS.length], automated },
      });
      expect(r.status).toBe(202);
      posted.push(r.body.id);
    }
    const messages = await eventually(async () => {
      const rows = await t.prisma.message.findMany({ where: { id: { in: posted } }, include: { signal: true }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
      return rows.length === 200 ? rows : null;
    }, { what: 'all 200 messages stored' });
    const conversations = [...new Set(messages.map((m) => m.conversationId))];
    expect(conversations).toHaveLength(60);
    expect(await t.prisma.routingEvent.count()).toBe(0);

    // Agents viewing five conversations see their new lines live.
    const viewer = await connectAgent(t.url, admin);
    const watched = conversations.slice(0, 5);
    for (const id of watched) expect(await viewer.emitWithAck('conversation:join', { conversationId: id })).toEqual({ ok: true });
    const lines = collect(viewer, 'message.created');
    const lineUpdates = collect(viewer, 'message.updated');
    const updates = collect(viewer, 'conversation.updated');

    await t.prisma.routingRule.updateMany({ data: { enabled: true } });
    t.app.services.rules.clear();
    const seen = new Set<string>();
    const risk = new Map<string, number | null>();
    // What the pipeline writes for each customer message (write-batch.ts, routingData).
    await t.prisma.routingEvent.createMany({
      data: messages.map((m) => {
        const first = !seen.has(m.conversationId);
        seen.add(m.conversationId);
        const previousRisk = risk.get(m.conversationId) ?? null;
        risk.set(m.conversationId, m.signal?.escalationRisk ?? null);
        return { type: 'message.created', conversationId: m.conversationId, messageId: m.id, data: { createdConversation: first, previousRisk, automated: (m.metadata as { automated?: boolean }).automated === true } };
      }),
    });
    await t.app.routing!.router.drain();
    expect(await t.prisma.routingEvent.count()).toBe(0);

    // Acknowledged once per conversation with a human customer; never a machine.
    const acks = await t.prisma.message.groupBy({ by: ['conversationId'], where: { conversationId: { in: conversations }, senderType: 'system', direction: 'outbound' }, _count: { _all: true } });
    const machines = new Set(messages.filter((m) => (m.metadata as { automated?: boolean }).automated).map((m) => m.conversationId));
    expect(acks).toHaveLength(60 - machines.size);
    for (const a of acks) {
      expect(machines.has(a.conversationId!)).toBe(false);
      expect(a._count._all).toBe(1);
    }

    // Every conversation assigned, each agent within one of the ideal 12.
    const loads = await t.prisma.conversation.groupBy({ by: ['assigneeId'], where: { id: { in: conversations } }, _count: { _all: true } });
    expect(loads.every((l) => l.assigneeId !== null)).toBe(true);
    expect(loads).toHaveLength(5);
    for (const l of loads) expect(Math.abs(l._count._all - 12)).toBeLessThanOrEqual(1);

    // Each (event, rule) fired once, all in one transaction (one transaction, one now()).
    const fired = await t.prisma.auditEvent.findMany({ where: { type: 'rule.fired', conversationId: { in: conversations } } });
    const keys = fired.map((f) => { const d = f.data as { outboxEventId: string; ruleId: string; event: string }; return `${d.outboxEventId}/${d.ruleId}/${d.event}`; });
    expect(new Set(keys).size).toBe(keys.length);
    const ackRule = await t.prisma.routingRule.findFirstOrThrow({ where: { name: 'Acknowledge new customer messages' } });
    // The acknowledgement rule's conditions hold for every human message (once acknowledged, it fires and sends nothing).
    expect(fired.filter((f) => (f.data as { ruleId: string }).ruleId === ackRule.id)).toHaveLength(messages.filter((m) => !(m.metadata as { automated?: boolean }).automated).length);
    expect(new Set(fired.map((f) => f.createdAt.toISOString())).size).toBe(1);

    // Live: each new line to the agent viewing it, and then its updates (the acknowledgement
    // sent): what the viewer ends up with equals the API's view. One conversation.updated each.
    await eventually(async () => (await t.prisma.message.count({ where: { conversationId: { in: watched }, deliveryStatus: 'queued' } })) === 0 || null, { what: 'acknowledgements sent' });
    await eventually(async () => (lines.length >= watched.length * 2 && updates.length >= watched.length && lineUpdates.length >= acks.filter((a) => watched.includes(a.conversationId!)).length) || null, { what: 'live lines' });
    for (const id of watched) {
      const api = await request(`${t.url}/api/v1/conversations/${id}`, { token: admin });
      const mine = lines.filter((l) => l.conversationId === id);
      expect(mine.length).toBeGreaterThan(0);
      for (const live of mine) {
        const latest = [live, ...lineUpdates.filter((u) => u.message.id === live.message.id)].at(-1)!;
        expect(latest.message).toEqual(api.body.messages.find((m: { id: string }) => m.id === live.message.id));
      }
      const updated = updates.filter((u) => u.conversation.id === id);
      expect(updated).toHaveLength(1);
      expect(updated[0].changes).toEqual(expect.arrayContaining(['assignee', 'acknowledged']));
      expect(updated[0].conversation.assignee).toEqual(api.body.conversation.assignee);
    }
    viewer.disconnect();
  });
});
