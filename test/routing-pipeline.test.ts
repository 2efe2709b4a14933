// Routing end to end on the real pipeline, with the default rules and a clock the test moves:
// an angry complaint is acknowledged on its channel, comes first, goes to an available agent
// with the right skill, and escalates to a supervisor when its first-response time passes —
// every step in the conversation's activity. Real PostgreSQL and HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reprioritiseWaiting } from '../src/inbox/conversations/reprioritise';
import { DEFAULT_PRIORITY_WEIGHTS } from '../src/routing/priority';
import { startTestApp, type TestApp } from './helpers/app';
import { createAgent, createInbox } from './helpers/fixtures';
import { connectAgent, eventually, login, nextEvent, request } from './helpers/http';

let clock = Date.parse('2026-12-18T10:00:00Z');
const now = () => new Date(clock);
let t: TestApp;
let inbox: { id: string; token: string };
let admin: string;
let billing: { id: string };
let generalist: { id: string; token: string };
let supervisor: { id: string };
const tokens = new Map<string, string>();

const post = (body: unknown) => request(`${t.url}/api/v1/inboxes/${inbox.id}/messages`, { token: inbox.token, body });
const timeline = async (conversationId: string) => (await request(`${t.url}/api/v1/conversations/${conversationId}`, { token: admin })).body.messages as Array<{ direction: string; text: string; metadata: Record<string, unknown> }>;

beforeAll(async () => {
  t = await startTestApp({ env: { ROUTING_DEFAULTS: 'true' }, now });
  const adminAgent = await createAgent(t.prisma, { role: 'admin', name: 'Ada Admin', availability: 'offline' });
  const b = await createAgent(t.prisma, { name: 'Bea Billing', skills: ['billing'], availability: 'online' });
  const g = await createAgent(t.prisma, { name: 'Gus General', availability: 'online' });
  const s = await createAgent(t.prisma, { role: 'supervisor', name: 'Sue Supervisor', availability: 'online' });
  const created = await createInbox(t.prisma, { memberIds: [b.id, g.id, s.id] });
  inbox = { id: created.inbox.id, token: created.token };
  admin = await login(t.url, adminAgent.email);
  billing = { id: b.id };
  generalist = { id: g.id, token: await login(t.url, g.email) };
  supervisor = { id: s.id };
  tokens.set(b.id, await login(t.url, b.email)).set(g.id, generalist.token).set(s.id, await login(t.url, s.email));
  // Money complaints go to agents with the billing skill, before the default assignment.
  const rule = await request(`${t.url}/api/v1/routing/rules`, {
    token: admin,
    body: { name: 'Money to billing', event: 'message.created', position: 15, conditions: [{ field: 'text', op: 'containsAny', value: ['refund', 'charged', 'invoice'] }], actions: [{ type: 'assign', skill: 'billing' }] },
  });
  expect(rule.status, JSON.stringify(rule.body)).toBe(201);
});

afterAll(() => t?.close());

describe('routing on the real pipeline', () => {
  let angryId: string;

  it('acknowledges an angry complaint on its channel, puts it first and gives it to the billing agent', async () => {
    await post({ externalId: 'calm-1', from: { email: 'calm@example.com', name: 'Cal Calm' }, text: 'Hello, could you tell me your opening hours on Saturday?' });
    const angry = await post({
      externalId: 'angry-1', from: { email: 'angry@example.com', name: 'Ann Angry' },
      text: 'You charged me twice and I still have no refund. Third time I write, worst service ever!',
    });
    const m = await eventually(() => t.prisma.message.findUnique({ where: { id: angry.body.id } }));
    angryId = m.conversationId;

    const ack = await eventually(() => t.prisma.message.findFirst({ where: { conversationId: angryId, direction: 'outbound', senderType: 'system' } }), { what: 'acknowledgement' });
    expect(ack.text).toMatch(/^Hi Ann,/);
    expect(ack.text).toMatch(/#\d+\.$/);
    expect(ack.metadata).toMatchObject({ acknowledgement: true, autoSubmitted: 'auto-replied' });
    // Sent on the conversation's own channel (the API inbox's outbound path).
    await eventually(async () => ((await t.prisma.message.findUnique({ where: { id: ack.id } }))!.deliveryStatus === 'sent' ? true : null), { what: 'acknowledgement sent' });

    const c = await eventually(async () => {
      const x = await t.prisma.conversation.findUniqueOrThrow({ where: { id: angryId } });
      return x.assigneeId ? x : null;
    }, { what: 'assignment' });
    expect(c.assigneeId).toBe(billing.id);
    expect(c.firstResponseDueAt!.toISOString()).toBe('2026-12-18T11:00:00.000Z');

    const list = await request(`${t.url}/api/v1/conversations`, { token: admin });
    expect(list.body.data[0].id).toBe(angryId);
  });

  it('acknowledges once per conversation in the period, however many messages', async () => {
    const r = await post({ externalId: 'angry-2', from: { email: 'angry@example.com' }, text: 'Hello?? Anyone there?' });
    await eventually(() => t.prisma.message.findUnique({ where: { id: r.body.id } }));
    await eventually(async () => ((await t.prisma.routingEvent.count()) === 0 ? true : null), { what: 'routing drained' });
    expect(await t.prisma.message.count({ where: { conversationId: angryId, senderType: 'system', direction: 'outbound' } })).toBe(1);
  });

  it('never answers automatic mail', async () => {
    const r = await post({ externalId: 'robot-1', from: { email: 'noreply@example.com' }, text: 'This is an automatic reply: I am out of office.', automated: true });
    const m = await eventually(() => t.prisma.message.findUnique({ where: { id: r.body.id } }));
    await eventually(async () => ((await t.prisma.routingEvent.count()) === 0 ? true : null), { what: 'routing drained' });
    expect(await t.prisma.message.count({ where: { conversationId: m.conversationId, senderType: 'system', direction: 'outbound' } })).toBe(0);
  });

  it('warns before the first-response time and escalates to the supervisor when it passes, once', async () => {
    clock = Date.parse('2026-12-18T10:50:00Z');
    await t.app.routing!.timers.sweep();
    let c = await t.prisma.conversation.findUniqueOrThrow({ where: { id: angryId } });
    expect(c.slaWarnedFor!.toISOString()).toBe('2026-12-18T11:00:00.000Z');
    expect(c.priority).toBeGreaterThanOrEqual(70);

    clock = Date.parse('2026-12-18T11:01:00Z');
    await t.app.routing!.timers.sweep();
    await t.app.routing!.timers.sweep();
    c = await t.prisma.conversation.findUniqueOrThrow({ where: { id: angryId } });
    expect(c.assigneeId).toBe(supervisor.id);
    expect(c.escalationLevel).toBe(1);
    expect(c.priority).toBeGreaterThanOrEqual(80);
    const breaches = await t.prisma.auditEvent.count({ where: { conversationId: angryId, type: 'rule.fired', data: { path: ['event'], equals: 'sla.breach' } } });
    expect(breaches).toBe(1);

    const activity = (await timeline(angryId)).filter((m) => m.direction === 'activity').map((m) => m.text);
    expect(activity).toEqual(expect.arrayContaining([
      expect.stringMatching(/^Acknowledged automatically by rule "Acknowledge new customer messages"/),
      expect.stringMatching(/^Assigned to Bea Billing by rule "Money to billing"/),
      expect.stringMatching(/^Priority raised to at least 70/),
      expect.stringMatching(/^Assigned to Sue Supervisor by rule "Escalate a missed response time"/),
      expect.stringMatching(/^Escalated because the response time was missed: handed to a supervisor/),
    ]));
  });

  it('gives an offline agent\'s conversations to someone else', async () => {
    const r = await post({ externalId: 'q-1', from: { email: 'question@example.com' }, text: 'How do I change my delivery address?' });
    const m = await eventually(() => t.prisma.message.findUnique({ where: { id: r.body.id } }));
    const first = await eventually(async () => (await t.prisma.conversation.findUniqueOrThrow({ where: { id: m.conversationId } })).assigneeId, { what: 'assigned' });
    const off = await request(`${t.url}/api/v1/agents/me/availability`, { token: tokens.get(first)!, body: { availability: 'offline' } });
    expect(off.status).toBe(200);
    const moved = await eventually(async () => {
      const c = await t.prisma.conversation.findUniqueOrThrow({ where: { id: m.conversationId } });
      return c.assigneeId && c.assigneeId !== first ? c : null;
    }, { what: 'requeued to another agent' });
    expect([billing.id, generalist.id, supervisor.id]).toContain(moved.assigneeId);
    expect(await t.prisma.conversation.count({ where: { assigneeId: first, status: 'open' } })).toBe(0);
  });

  it('follows the inbox\'s business hours in its acknowledgement, and refuses bad settings', async () => {
    const bad = await request(`${t.url}/api/v1/inboxes/${inbox.id}/routing`, { token: admin, method: 'PUT', body: { businessHours: { timeZone: 'Nowhere/Land', week: { sat: [['10:00', '12:00']] } } } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error.details)).toMatch(/timeZone/);
    // Open on Saturdays only: on this Friday the team is away.
    const ok = await request(`${t.url}/api/v1/inboxes/${inbox.id}/routing`, { token: admin, method: 'PUT', body: { businessHours: { timeZone: 'Europe/Berlin', week: { sat: [['10:00', '12:00']] } } } });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const r = await post({ externalId: 'weekend-1', from: { email: 'weekend@example.com', name: 'Wen Weekend' }, text: 'Can I change the colour of my order?' });
    const m = await eventually(() => t.prisma.message.findUnique({ where: { id: r.body.id } }));
    const ack = await eventually(() => t.prisma.message.findFirst({ where: { conversationId: m.conversationId, senderType: 'system', direction: 'outbound' } }), { what: 'acknowledgement' });
    expect(ack.text).toMatch(/away right now; we will be back on Saturday/);
  });

  it('runs the snooze, resolve and notify actions, and ends a snooze on time', async () => {
    const add = (body: object) => request(`${t.url}/api/v1/routing/rules`, { token: admin, body: { event: 'message.created', position: 1, ...body } });
    expect((await add({ name: 'Snooze holidays', conditions: [{ field: 'text', op: 'contains', value: 'out of office until' }], actions: [{ type: 'snooze', minutes: 30 }] })).status).toBe(201);
    expect((await add({ name: 'Drop spam', conditions: [{ field: 'text', op: 'contains', value: 'cheap watches' }], actions: [{ type: 'resolve' }] })).status).toBe(201);
    expect((await add({ name: 'Tell the team about lawyers', conditions: [{ field: 'text', op: 'contains', value: 'lawyer' }], actions: [{ type: 'notify', channel: 'in_app', text: 'Legal threat' }] })).status).toBe(201);
    const socket = await connectAgent(t.url, admin);
    try {
      const notified = nextEvent(socket, 'notification', (e) => /Legal threat/.test(e.text));
      const lawyer = await post({ externalId: 'legal-1', from: { email: 'legal@example.com' }, text: 'My lawyer will contact you about the damaged sofa.' });
      const snooze = await post({ externalId: 'ooo-1', from: { email: 'ooo@example.com' }, text: 'I am out of office until Monday, then I will check the invoice.' });
      const spam = await post({ externalId: 'spam-1', from: { email: 'spam@example.com' }, text: 'Buy cheap watches here' });
      const event = await notified;
      const lawyerMessage = await eventually(() => t.prisma.message.findUnique({ where: { id: lawyer.body.id } }));
      expect(event.conversationId).toBe(lawyerMessage.conversationId);
      const convOf = async (id: string) => (await eventually(() => t.prisma.message.findUnique({ where: { id } }))).conversationId;
      const snoozed = await convOf(snooze.body.id);
      const resolved = await convOf(spam.body.id);
      await eventually(async () => ((await t.prisma.conversation.findUniqueOrThrow({ where: { id: resolved } })).status === 'resolved' ? true : null), { what: 'spam resolved' });
      const c = await eventually(async () => {
        const x = await t.prisma.conversation.findUniqueOrThrow({ where: { id: snoozed } });
        return x.status === 'snoozed' ? x : null;
      }, { what: 'snoozed' });
      expect(c.snoozedUntil!.getTime()).toBeGreaterThan(clock);
      clock = c.snoozedUntil!.getTime() + 1_000;
      await t.app.routing!.timers.sweep();
      expect((await t.prisma.conversation.findUniqueOrThrow({ where: { id: snoozed } })).status).toBe('open');
      expect((await timeline(snoozed)).map((m) => m.text)).toContain('Snooze ended: back in the open queue');
    } finally {
      socket.disconnect();
    }
  });

  it('fills an agent\'s freed capacity from the queue', async () => {
    // A second inbox worked by one agent with room for one conversation.
    const solo = await createAgent(t.prisma, { name: 'Solo Agent', capacity: 1, availability: 'online' });
    const small = await createInbox(t.prisma, { memberIds: [solo.id] });
    const soloToken = await login(t.url, solo.email);
    const postSmall = (externalId: string, email: string) =>
      request(`${t.url}/api/v1/inboxes/${small.inbox.id}/messages`, { token: small.token, body: { externalId, from: { email }, text: 'Where is my parcel? Tracking has not moved.' } });
    const r1 = await postSmall('cap-1', 'cap1@example.com');
    const first = await eventually(() => t.prisma.message.findUnique({ where: { id: r1.body.id } }));
    await eventually(async () => ((await t.prisma.conversation.findUniqueOrThrow({ where: { id: first.conversationId } })).assigneeId === solo.id ? true : null), { what: 'first assigned' });
    const r2 = await postSmall('cap-2', 'cap2@example.com');
    const second = await eventually(() => t.prisma.message.findUnique({ where: { id: r2.body.id } }));
    await eventually(async () => ((await t.prisma.routingEvent.count()) === 0 ? true : null), { what: 'routing drained' });
    expect((await t.prisma.conversation.findUniqueOrThrow({ where: { id: second.conversationId } })).assigneeId).toBeNull();
    const done = await request(`${t.url}/api/v1/conversations/${first.conversationId}/status`, { token: soloToken, body: { status: 'resolved' } });
    expect(done.status).toBe(200);
    await t.app.routing!.router.drain();
    expect((await t.prisma.conversation.findUniqueOrThrow({ where: { id: second.conversationId } })).assigneeId).toBe(solo.id);
  });

  it('escalates at once when the escalation risk is high', async () => {
    const r = await post({ externalId: 'risky-1', from: { email: 'risky@example.com' }, text: 'This is a disgrace. I will dispute the charge with my bank and my lawyer will sue you. Worst company ever!' });
    const m = await eventually(() => t.prisma.message.findUnique({ where: { id: r.body.id }, include: { signal: true } }));
    expect(m.signal!.escalationRisk).toBeGreaterThanOrEqual(0.75);
    await eventually(async () => ((await t.prisma.conversation.findUniqueOrThrow({ where: { id: m.conversationId } })).escalationLevel === 1 ? true : null), { what: 'escalated' });
    expect((await timeline(m.conversationId)).map((x) => x.text)).toEqual(expect.arrayContaining([expect.stringMatching(/^Escalated because escalation risk is high/)]));
  });

  it('raises the priority of a customer left waiting, as time passes', async () => {
    const r = await post({ externalId: 'patient-1', from: { email: 'patient@example.com' }, text: 'Could you tell me when my new card will be sent?' });
    const m = await eventually(() => t.prisma.message.findUnique({ where: { id: r.body.id } }));
    await eventually(async () => ((await t.prisma.routingEvent.count()) === 0 ? true : null), { what: 'routing drained' });
    const before = await t.prisma.conversation.findUniqueOrThrow({ where: { id: m.conversationId } });
    expect(before.waitingSince).not.toBeNull();
    expect(before.priorityFloor).toBe(0);
    const later = new Date(before.waitingSince!.getTime() + 4 * 3_600_000);
    expect(await reprioritiseWaiting(t.app.services.db, t.app.services.events, DEFAULT_PRIORITY_WEIGHTS, later)).toBeGreaterThan(0);
    const after = await t.prisma.conversation.findUniqueOrThrow({ where: { id: before.id } });
    expect(after.priority).toBeGreaterThanOrEqual(before.priority + 15);
    const factors = (after.priorityReason as { factors: Array<{ factor: string; detail: string }> }).factors;
    expect(factors.find((f) => f.factor === 'waiting')!.detail).toBe('waiting 240 min');
    expect(factors.map((f) => f.factor)).toContain('sla');
  });

  it('lets admins edit rules and refuses bad ones with a reason', async () => {
    const bad = await request(`${t.url}/api/v1/routing/rules`, { token: admin, body: { name: 'x', event: 'message.created', actions: [{ type: 'teleport' }] } });
    expect(bad.status).toBe(400);
    const notAdmin = await request(`${t.url}/api/v1/routing/rules`, { token: generalist.token, body: { name: 'x', event: 'message.created', actions: [{ type: 'resolve' }] } });
    expect(notAdmin.status).toBe(403);
    // Rules are read by those who manage settings or see the directory (supervisors), not by every agent.
    expect((await request(`${t.url}/api/v1/routing/rules`, { token: generalist.token })).status).toBe(403);
    const rules = await request(`${t.url}/api/v1/routing/rules`, { token: admin });
    expect(rules.body.data.map((r: { name: string }) => r.name)).toContain('Acknowledge new customer messages');
    const missing = await request(`${t.url}/api/v1/routing/rules/not-a-rule`, { token: admin, method: 'DELETE' });
    expect(missing.status).toBe(404);
  });
});
