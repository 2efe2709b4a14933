// The spine end to end on the API channel: accept → store → thread → score → prioritise →
// realtime, and the agent API around it. Real PostgreSQL, real HTTP, real sockets.
import http from 'node:http';
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { webhookSecret } from '../src/connectors/api/setup';
import { startTestApp, type TestApp } from './helpers/app';
import { createAgent, createInbox } from './helpers/fixtures';
import { collect, connectAgent, eventually, login, nextEvent, request } from './helpers/http';

let t: TestApp;
let inbox: { id: string; token: string };
let member: { token: string; id: string };
let outsider: { token: string; id: string };
let admin: { token: string; id: string };
const sockets: Socket[] = [];

const post = (body: unknown, o: { token?: string; inboxId?: string } = {}) =>
  request(`${t.url}/api/v1/inboxes/${o.inboxId ?? inbox.id}/messages`, { token: o.token ?? inbox.token, body });

const counts = async () => ({
  receipts: await t.prisma.inboundReceipt.count(),
  messages: await t.prisma.message.count(),
  conversations: await t.prisma.conversation.count(),
});

beforeAll(async () => {
  t = await startTestApp();
  const a = await createAgent(t.prisma, { name: 'Mia Member' });
  const b = await createAgent(t.prisma, { name: 'Otto Outsider' });
  const c = await createAgent(t.prisma, { role: 'admin', name: 'Ada Admin' });
  const created = await createInbox(t.prisma, { memberIds: [a.id] });
  inbox = { id: created.inbox.id, token: created.token };
  member = { id: a.id, token: await login(t.url, a.email) };
  outsider = { id: b.id, token: await login(t.url, b.email) };
  admin = { id: c.id, token: await login(t.url, c.email) };
});

afterAll(async () => {
  sockets.forEach((s) => s.disconnect());
  await t?.close();
});

describe('API channel intake', () => {
  it('stores a message posted three times once, answering 202 with the same id each time', async () => {
    const body = { externalId: 'order-77-a', from: { name: 'Jo Reyes', email: 'Jo@Example.com' }, text: 'My order never arrived.' };
    const answers = [await post(body), await post(body), await post(body)];
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(answers.map((a) => a.body.duplicate)).toEqual([false, true, true]);
    const stored = await eventually(() => t.prisma.message.findUnique({ where: { id: answers[0]!.body.id } }), { what: 'message stored' });
    expect(stored.text).toBe('My order never arrived.');
    expect(await t.prisma.message.count({ where: { externalId: 'order-77-a' } })).toBe(1);
  });

  it('puts two messages from one contact into one conversation, with the reason recorded', async () => {
    const from = { name: 'Kim Lee', email: 'kim@example.com' };
    const first = await post({ externalId: 'kim-1', from, text: 'Hello, my invoice looks wrong.' });
    const second = await post({ externalId: 'kim-2', from: { email: 'KIM@example.com' }, text: 'Any news? This is urgent.' });
    const [m1, m2] = await eventually(async () => {
      const ms = await t.prisma.message.findMany({ where: { id: { in: [first.body.id, second.body.id] } } });
      return ms.length === 2 ? [ms.find((m) => m.id === first.body.id)!, ms.find((m) => m.id === second.body.id)!] : null;
    });
    expect(m1.conversationId).toBe(m2.conversationId);
    expect(m1.threadReason).toBe('new');
    expect(m2.threadReason).toBe('open-conversation');
    expect(await t.prisma.contact.count({ where: { email: 'kim@example.com' } })).toBe(1);
  });

  it('joins the conversation named by inReplyTo even when the contact writes from another address', async () => {
    const a = await post({ externalId: 'ref-1', from: { email: 'ref@example.com', handle: 'user-42' }, text: 'First question' });
    const b = await post({ externalId: 'ref-2', from: { handle: 'user-42' }, text: 'Follow-up', inReplyTo: 'ref-1' });
    const m2 = await eventually(() => t.prisma.message.findUnique({ where: { id: b.body.id } }));
    const m1 = await t.prisma.message.findUniqueOrThrow({ where: { id: a.body.id } });
    expect(m2.conversationId).toBe(m1.conversationId);
    expect(m2.threadReason).toBe('in-reply-to');
  });

  it('scores the message and stores every signal with the model version', async () => {
    const r = await post({ externalId: 'angry-1', from: { email: 'angry@example.com' }, text: 'This is terrible, awful service. I am furious and I hate this company.' });
    const m = await eventually(() => t.prisma.message.findUnique({ where: { id: r.body.id }, include: { signal: true, conversation: true } }));
    expect(m.signal).toMatchObject({ sentimentLabel: 'negative' });
    expect(m.signal!.sentimentScore).toBeLessThan(0);
    expect(m.signal!.modelVersion).toMatch(/\S/);
    expect((m.signal!.explanation as { sentiment: unknown[] }).sentiment.length).toBeGreaterThan(0);
    expect(m.conversation.priority).toBeGreaterThan(0);
  });

  it('rejects bad input with a 4xx and a reason, writes nothing, and keeps serving', async () => {
    const before = await counts();
    const bad: Array<[string, Promise<{ status: number; body: any }>, number, string]> = [
      ['malformed JSON', request(`${t.url}/api/v1/inboxes/${inbox.id}/messages`, { token: inbox.token, raw: '{"externalId": "x",' }), 400, 'invalid_json'],
      ['missing text', post({ externalId: 'x1', from: { email: 'a@example.com' } }), 400, 'validation_failed'],
      ['no sender address', post({ externalId: 'x2', from: { name: 'Nobody' }, text: 'hi' }), 400, 'validation_failed'],
      ['wrong types', post({ externalId: 5, from: 'me', text: ['hi'] }), 400, 'validation_failed'],
      ['unknown field', post({ externalId: 'x3', from: { email: 'a@example.com' }, text: 'hi', admin: true }), 400, 'validation_failed'],
      ['wrong token', post({ externalId: 'x4', from: { email: 'a@example.com' }, text: 'hi' }, { token: 'not-the-token' }), 401, 'unauthorized'],
      ['no token', request(`${t.url}/api/v1/inboxes/${inbox.id}/messages`, { body: { externalId: 'x5', from: { email: 'a@example.com' }, text: 'hi' } }), 401, 'unauthorized'],
      ['unknown inbox', post({ externalId: 'x6', from: { email: 'a@example.com' }, text: 'hi' }, { inboxId: crypto.randomUUID() }), 404, 'not_found'],
      ['not an inbox id', post({ externalId: 'x7', from: { email: 'a@example.com' }, text: 'hi' }, { inboxId: 'drop-table' }), 404, 'not_found'],
      ['1 MB+ body', post({ externalId: 'x8', from: { email: 'a@example.com' }, text: 'x'.repeat(1_100_000) }), 413, 'payload_too_large'],
    ];
    for (const [what, pending, status, code] of bad) {
      const r = await pending;
      expect(r.status, what).toBe(status);
      expect(r.body.error.code, what).toBe(code);
      expect(r.body.error.message, what).toMatch(/\w/);
    }
    const invalid = await post({ externalId: 'x9', from: { email: 'not-an-email' }, text: 'hi' });
    expect(invalid.body.error.details).toContainEqual(expect.objectContaining({ path: 'from.email' }));
    expect(await counts()).toEqual(before);
    expect((await request(`${t.url}/healthz`)).status).toBe(200);
  });
});

describe('agent API and access', () => {
  it('lists conversations highest priority first and hides them from non-members', async () => {
    await post({ externalId: 'calm-1', from: { email: 'calm@example.com' }, text: 'Could you tell me your opening hours?' });
    await post({ externalId: 'mad-1', from: { email: 'mad@example.com' }, text: 'Worst experience ever. Horrible, useless, I am furious!' });
    await eventually(async () => (await t.prisma.inboundReceipt.count({ where: { status: 'pending' } })) === 0);
    const list = await request(`${t.url}/api/v1/conversations`, { token: member.token });
    expect(list.status).toBe(200);
    const priorities = list.body.data.map((c: { priority: number }) => c.priority);
    expect(priorities).toEqual([...priorities].sort((a: number, b: number) => b - a));
    const emails = list.body.data.map((c: { contact: { email: string } }) => c.contact.email);
    expect(emails.indexOf('mad@example.com')).toBeLessThan(emails.indexOf('calm@example.com'));
    const hidden = await request(`${t.url}/api/v1/conversations`, { token: outsider.token });
    expect(hidden.body.data).toEqual([]);
    const id = list.body.data[emails.indexOf('mad@example.com')].id;
    expect((await request(`${t.url}/api/v1/conversations/${id}`, { token: outsider.token })).status).toBe(404);
    expect((await request(`${t.url}/api/v1/conversations/${id}`, { token: admin.token })).status).toBe(200);
    const one = await request(`${t.url}/api/v1/conversations/${id}`, { token: member.token });
    expect(one.body.messages[0].signals.sentiment.label).toBe('negative');
    const contact = await request(`${t.url}/api/v1/contacts/${one.body.conversation.contact.id}`, { token: outsider.token });
    expect(contact.status).toBe(404);
  });

  it('keeps a non-member out of the inbox room and out of the conversation room', async () => {
    const own = await connectAgent(t.url, member.token);
    const other = await connectAgent(t.url, outsider.token);
    sockets.push(own, other);
    const otherSaw = collect(other, 'message.created');
    const arrived = nextEvent(own, 'message.created', (e: any) => e.message.externalId === 'room-1');
    await post({ externalId: 'room-1', from: { email: 'room@example.com' }, text: 'Is anyone there?' });
    const event = await arrived;
    expect(event.message.text).toBe('Is anyone there?');
    const joinOther = await other.emitWithAck('conversation:join', { conversationId: event.conversationId });
    expect(joinOther).toEqual({ ok: false, error: { code: 'not_found', message: 'Conversation not found' } });
    expect(await own.emitWithAck('conversation:join', { conversationId: event.conversationId })).toEqual({ ok: true });
    await new Promise((r) => setTimeout(r, 200));
    expect(otherSaw).toEqual([]);
  });

  it('refuses a socket without a valid session', async () => {
    await expect(connectAgent(t.url, 'forged-token')).rejects.toThrow(/unauthorized/);
  });

  it('sends a reply to the inbox webhook, signed, and records it delivered; a note is never sent', async () => {
    const received: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];
    const hook = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    const port = (hook.address() as { port: number }).port;
    const { inbox: hooked, token } = await createInbox(t.prisma, { memberIds: [member.id], config: { webhookUrl: `http://127.0.0.1:${port}/hook` } });
    const r = await request(`${t.url}/api/v1/inboxes/${hooked.id}/messages`, { token, body: { externalId: 'w-1', from: { email: 'w@example.com' }, text: 'Where is my refund?' } });
    const m = await eventually(() => t.prisma.message.findUnique({ where: { id: r.body.id } }));
    const note = await request(`${t.url}/api/v1/conversations/${m.conversationId}/messages`, { token: member.token, body: { text: 'Checking with billing', private: true } });
    expect(note.status).toBe(201);
    expect(note.body.direction).toBe('note');
    const reply = await request(`${t.url}/api/v1/conversations/${m.conversationId}/messages`, { token: member.token, body: { text: 'Your refund was issued today.' } });
    expect(reply.status).toBe(201);
    expect(reply.body.deliveryStatus).toBe('queued');
    const sent = await eventually(async () => {
      const x = await t.prisma.message.findUnique({ where: { id: reply.body.id } });
      return x?.deliveryStatus === 'delivered' ? x : null;
    });
    expect(sent.deliveryError).toBeNull();
    hook.close();
    expect(received).toHaveLength(1);
    const { headers, body } = received[0]!;
    const expected = `sha256=${crypto.createHmac('sha256', webhookSecret(t.app.services.config.appSecret, hooked.id)).update(`${headers['x-inbox-timestamp']}.${body}`).digest('hex')}`;
    expect(headers['x-inbox-signature']).toBe(expected);
    expect(JSON.parse(body).message.text).toBe('Your refund was issued today.');
    const conversation = await t.prisma.conversation.findUniqueOrThrow({ where: { id: m.conversationId } });
    expect(conversation.waitingSince).toBeNull();
    expect(conversation.firstResponseAt).not.toBeNull();
  });

  it('marks a reply failed with the reason when the webhook keeps refusing it', async () => {
    const hook = http.createServer((_req, res) => res.writeHead(503).end());
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    const port = (hook.address() as { port: number }).port;
    const { inbox: broken, token } = await createInbox(t.prisma, { memberIds: [member.id], config: { webhookUrl: `http://127.0.0.1:${port}/` } });
    const r = await request(`${t.url}/api/v1/inboxes/${broken.id}/messages`, { token, body: { externalId: 'f-1', from: { email: 'f@example.com' }, text: 'hello' } });
    const m = await eventually(() => t.prisma.message.findUnique({ where: { id: r.body.id } }));
    const reply = await request(`${t.url}/api/v1/conversations/${m.conversationId}/messages`, { token: member.token, body: { text: 'hi there' } });
    const failed = await eventually(async () => {
      const x = await t.prisma.message.findUnique({ where: { id: reply.body.id } });
      return x?.deliveryStatus === 'failed' ? x : null;
    });
    hook.close();
    expect(failed.deliveryError).toMatch(/HTTP 503/);
    // The dead letter is written just after the last attempt marks the message failed.
    await eventually(async () => (await t.prisma.failedJob.count({ where: { queue: 'outbound' } })) > 0, { what: 'dead letter' });
  });

  it('assigns, labels, resolves and reopens, leaving activity in the timeline', async () => {
    const r = await post({ externalId: 'life-1', from: { email: 'life@example.com' }, text: 'Need help with my account' });
    const m = await eventually(() => t.prisma.message.findUnique({ where: { id: r.body.id } }));
    const base = `${t.url}/api/v1/conversations/${m.conversationId}`;
    expect((await request(`${base}/assign`, { token: member.token, body: { assigneeId: 'me' } })).body.assignee.id).toBe(member.id);
    const notMember = await request(`${base}/assign`, { token: member.token, body: { assigneeId: outsider.id } });
    expect(notMember.status).toBe(400);
    expect((await request(`${base}/labels`, { token: member.token, body: { labels: ['VIP', 'billing'] } })).body.labels.map((l: { name: string }) => l.name).sort()).toEqual(['billing', 'vip']);
    const resolved = await request(`${base}/status`, { token: member.token, body: { status: 'resolved' } });
    expect(resolved.body.status).toBe('resolved');
    const past = await request(`${base}/status`, { token: member.token, body: { status: 'snoozed', snoozedUntil: '2020-01-01T00:00:00Z' } });
    expect(past.status).toBe(400);
    await post({ externalId: 'life-2', from: { email: 'life@example.com' }, text: 'Actually one more thing' });
    const reopened = await eventually(async () => {
      const c = await t.prisma.conversation.findUniqueOrThrow({ where: { id: m.conversationId } });
      return c.status === 'open' ? c : null;
    });
    // Activity lines are timeline entries, not messages.
    expect(reopened.messageCount).toBe(2);
    const timeline = await request(base, { token: member.token });
    const activity = timeline.body.messages.filter((x: { direction: string }) => x.direction === 'activity').map((x: { text: string }) => x.text);
    expect(activity).toEqual([expect.stringMatching(/^Assigned to Mia Member by Mia Member/), expect.stringMatching(/^Labelled vip, billing/), expect.stringMatching(/^Resolved by/)]);
    const second = timeline.body.messages.at(-1);
    expect(second.threadReason).toBe('reopened');
  });

  it('logs in, answers who is logged in, and logs out', async () => {
    expect((await request(`${t.url}/api/v1/auth/login`, { body: { email: 'nobody@example.com', password: 'x' } })).status).toBe(401);
    const me = await request(`${t.url}/api/v1/auth/me`, { token: member.token });
    expect(me.body.agent.name).toBe('Mia Member');
    expect(me.body.inboxIds).toContain(inbox.id);
    const a = await createAgent(t.prisma);
    const token = await login(t.url, a.email);
    expect((await request(`${t.url}/api/v1/auth/logout`, { token, method: 'POST' })).status).toBe(204);
    expect((await request(`${t.url}/api/v1/auth/me`, { token })).status).toBe(401);
  });

  it('lets only admins create inboxes, and a new API inbox accepts messages with its token', async () => {
    expect((await request(`${t.url}/api/v1/inboxes`, { token: member.token, body: { kind: 'api', name: 'Nope' } })).status).toBe(403);
    const bad = await request(`${t.url}/api/v1/inboxes`, { token: admin.token, body: { kind: 'api', name: 'Bad', config: { webhookUrl: 'ftp://x' } } });
    expect(bad.status).toBe(400);
    const created = await request(`${t.url}/api/v1/inboxes`, { token: admin.token, body: { kind: 'api', name: 'Partner portal', memberIds: [member.id] } });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/\S{20,}/);
    expect(created.body.endpoint).toContain(`/api/v1/inboxes/${created.body.id}/messages`);
    const r = await request(`${t.url}/api/v1/inboxes/${created.body.id}/messages`, { token: created.body.token, body: { externalId: 'p-1', from: { email: 'p@example.com' }, text: 'hi' } });
    expect(r.status).toBe(202);
  });

  it('reports only what the agent may see, and refuses a backwards date range', async () => {
    const today = new Date().toISOString().slice(0, 10);
    // Earlier tests' messages may still be on their way through the pipeline.
    await eventually(async () => ((await t.prisma.inboundReceipt.count({ where: { status: 'pending' } })) === 0 ? true : null), { what: 'pipeline idle' });
    const mine = await request(`${t.url}/api/v1/reports/summary?from=${today}&to=${today}`, { token: member.token });
    const none = await request(`${t.url}/api/v1/reports/summary?from=${today}&to=${today}`, { token: outsider.token });
    const all = await request(`${t.url}/api/v1/reports/summary?from=${today}&to=${today}`, { token: admin.token });
    expect(mine.status).toBe(200);
    const count = (r: typeof mine) => r.body.days.reduce((n: number, d: { messages: number }) => n + d.messages, 0);
    expect(count(mine)).toBeGreaterThan(0);
    const memberOf = (await t.prisma.inboxMember.findMany({ where: { agentId: member.id } })).map((m) => m.inboxId);
    const day = { gte: new Date(`${today}T00:00:00Z`), lt: new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000) };
    expect(count(mine)).toBe(await t.prisma.message.count({ where: { inboxId: { in: memberOf }, direction: 'inbound', sentAt: day } }));
    expect(count(none)).toBe(0);
    expect(count(all)).toBeGreaterThanOrEqual(count(mine));
    expect(mine.body.responseTimes.conversations).toBeGreaterThan(0);
    const backwards = await request(`${t.url}/api/v1/reports/summary?from=2026-02-01&to=2026-01-01`, { token: member.token });
    expect(backwards.status).toBe(400);
  });

  it('keeps saved answers that admins edit and agents read', async () => {
    const body = { shortcut: 'Refund-Sent', title: 'Refund sent', text: 'Hi {name}, your refund is on its way.' };
    expect((await request(`${t.url}/api/v1/canned-responses`, { token: member.token, body })).status).toBe(403);
    const created = await request(`${t.url}/api/v1/canned-responses`, { token: admin.token, body });
    expect(created.status).toBe(201);
    expect(created.body.shortcut).toBe('refund-sent');
    expect((await request(`${t.url}/api/v1/canned-responses`, { token: admin.token, body })).status).toBe(409);
    expect((await request(`${t.url}/api/v1/canned-responses`, { token: admin.token, body: { ...body, shortcut: 'no spaces' } })).status).toBe(400);
    const list = await request(`${t.url}/api/v1/canned-responses`, { token: member.token });
    expect(list.body.data.map((c: { shortcut: string }) => c.shortcut)).toEqual(['refund-sent']);
    expect((await request(`${t.url}/api/v1/canned-responses/${created.body.id}`, { token: admin.token, method: 'DELETE' })).status).toBe(200);
  });

  it('tells an agent @mentioned in a note, and only that agent', async () => {
    const r = await post({ externalId: 'mention-1', from: { email: 'mention@example.com' }, text: 'Can someone check my order?' });
    const m = await eventually(() => t.prisma.message.findUnique({ where: { id: r.body.id } }));
    const adminSocket = await connectAgent(t.url, admin.token);
    const memberSocket = await connectAgent(t.url, member.token);
    sockets.push(adminSocket, memberSocket);
    const forAdmin = collect(adminSocket, 'agent.mentioned');
    const forMember = collect(memberSocket, 'agent.mentioned');
    const note = await request(`${t.url}/api/v1/conversations/${m.conversationId}/messages`, { token: member.token, body: { text: '@ada can you approve this refund?', private: true } });
    expect(note.status).toBe(201);
    await eventually(() => (forAdmin.length ? true : null), { what: 'the mention' });
    expect(forAdmin[0]).toMatchObject({ conversationId: m.conversationId, from: 'Mia Member' });
    expect(forMember).toHaveLength(0);
    expect((await t.prisma.message.findUniqueOrThrow({ where: { id: note.body.id } })).metadata).toMatchObject({ mentions: [admin.id] });
  });

  it('publishes an OpenAPI document of the API', async () => {
    const doc = await request(`${t.url}/api/v1/openapi.json`);
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/conversations', '/api/v1/conversations/{id}/messages', '/api/v1/inboxes/{inboxId}/messages', '/api/v1/auth/login',
        // Every channel's webhooks and the community view are documented too.
        '/webhooks/sms/{inboxId}', '/webhooks/slack/{inboxId}/events', '/api/v1/mentions', '/api/v1/conversations/{id}/link', '/api/v1/inboxes/{id}/test-connection',
      ]),
    );
    expect(doc.body.paths['/api/v1/conversations/{id}/messages'].post.requestBody).toBeDefined();
  });
});
