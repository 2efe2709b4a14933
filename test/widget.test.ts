// The chat widget end to end over socket.io: a visitor (socket.io-client, as the widget
// script) and agents (API and /agents sockets) on the real product, with a real mailbox and
// SMTP receiver for the offline email continuity.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { connectAgent, request } from './helpers/http';
import { emailWorld, eventually, type EmailWorld } from './helpers/email-app';
import { connectVisitor } from './helpers/visitor';
import { userHash, identitySecret } from '../src/connectors/widget/setup';

const SHOP = 'https://shop.test';
let w: EmailWorld;
let widget: string;
let created: Record<string, any>;
let agentSocket: Socket;
const seen: Array<Record<string, any>> = [];
const url = (p: string) => `${w.t.url}/api/v1${p}`;

async function reply(conversationId: string, text: string) {
  const r = await request(url(`/conversations/${conversationId}/messages`), { token: w.admin, body: { text } });
  expect(r.status).toBe(201);
  return r.body;
}
const conversationOf = (messageId: string) => eventually(() => w.t.prisma.message.findUnique({ where: { id: messageId } }), 'message stored').then((m) => m.conversationId);

beforeAll(async () => {
  w = await emailWorld({ users: ['support@acme.test'] });
  const mail = await w.addInbox('Mail', 'support@acme.test');
  const r = await request(url('/inboxes'), { token: w.admin, body: { kind: 'widget', name: 'Shop chat', config: { allowedOrigins: [SHOP], emailFallbackInboxId: mail, perVisitorPerMinute: 8 }, memberIds: [] } });
  expect(r.status).toBe(201);
  created = r.body;
  widget = r.body.id;
  agentSocket = await connectAgent(w.t.url, w.admin);
  agentSocket.on('message.created', (e: Record<string, any>) => seen.push(e));
});
afterAll(async () => {
  agentSocket?.disconnect();
  await w?.close();
});

describe('chat widget', () => {
  it('gives the embed snippet and the identity secret once, at creation', () => {
    expect(created.embed).toBe(`<script src="${w.t.url}/widget.js" data-inbox="${widget}" async></script>`);
    expect(created.identitySecret).toMatch(/^[A-Za-z0-9_-]{40,}$/);
  });

  it('serves one small script that sites load without blocking', async () => {
    const res = await fetch(`${w.t.url}/widget.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect((await res.text()).length).toBeGreaterThan(1_000);
  });

  it('refuses a site that is not on the inbox\'s allow-list', async () => {
    await expect(connectVisitor(w.t.url, { inboxId: widget, origin: 'https://evil.test' })).rejects.toThrow(/may not use this chat/);
  });

  it('carries a visitor message to the agents and the agent\'s reply and typing back, live', async () => {
    const v = await connectVisitor(w.t.url, { inboxId: widget, origin: SHOP });
    expect(v.session.greeting).toBe('Hi! How can we help?');
    const ack = await v.send('Hello, is the blue kettle back in stock?', { name: 'Vera' });
    expect(ack).toMatchObject({ ok: true, duplicate: false });
    const event = await eventually(async () => seen.find((e) => e.message.id === ack.id), 'agent socket got it');
    expect(event.message.text).toBe('Hello, is the blue kettle back in stock?');
    const conversationId = event.conversationId as string;

    agentSocket.emit('conversation:join', { conversationId });
    await new Promise((r) => setTimeout(r, 100));
    agentSocket.emit('conversation:typing', { conversationId, typing: true });
    await eventually(async () => v.typing.find((t) => t.typing), 'visitor sees the agent typing');

    const sent = await reply(conversationId, 'Yes! It is back since Monday.');
    const got = await eventually(async () => v.received.find((m) => m.id === sent.id), 'visitor got the reply');
    expect(got).toMatchObject({ direction: 'outbound', text: 'Yes! It is back since Monday.', author: 'Ada' });
    await eventually(async () => (await w.t.prisma.message.findUnique({ where: { id: sent.id } }))?.deliveryStatus === 'delivered', 'reply delivered');
    // The visitor read it: the agent sees "read".
    v.socket.emit('read', { upTo: sent.id });
    await eventually(async () => (await w.t.prisma.message.findUnique({ where: { id: sent.id } }))?.deliveryStatus === 'read', 'reply read');
    v.close();
  });

  it('loses and doubles nothing when the connection drops mid-conversation', async () => {
    const v1 = await connectVisitor(w.t.url, { inboxId: widget, origin: SHOP });
    const first = await v1.send('My order 5521 is late', { clientId: 'order-5521-a' });
    const conversationId = await conversationOf(first.id);
    // The connection dies; the agent answers meanwhile.
    v1.close();
    const whileAway = await reply(conversationId, 'Sorry! It leaves the warehouse today.');
    // Back with the same visitor id: the widget resends what it never saw acknowledged.
    const v2 = await connectVisitor(w.t.url, { inboxId: widget, origin: SHOP, visitor: { id: v1.session.visitorId, token: v1.session.visitorToken } });
    expect(v2.session.visitorId).toBe(v1.session.visitorId);
    const again = await v2.send('My order 5521 is late', { clientId: 'order-5521-a' });
    expect(again).toMatchObject({ ok: true, duplicate: true, id: first.id });
    await v2.send('Thanks, and the invoice?', { clientId: 'order-5521-b' });
    const history = await eventually(async () => {
      const h = await v2.history();
      return h.length === 3 ? h : null;
    }, 'history of three');
    expect(history.map((m) => m.text)).toEqual(['My order 5521 is late', 'Sorry! It leaves the warehouse today.', 'Thanks, and the invoice?']);
    expect(history[1]).toMatchObject({ id: whileAway.id, direction: 'outbound' });
    expect(await w.t.prisma.message.count({ where: { conversationId } })).toBe(3);
    v2.close();
  });

  it('ignores an unsigned identity claim, and makes a signed one the same contact on every device', async () => {
    // Alice is a known customer (by email).
    await w.imap.deliver('support@acme.test', 'From: Alice <alice@customer.test>\r\nTo: support@acme.test\r\nSubject: hi\r\nMessage-ID: <alice-w1@x>\r\n\r\nHello\r\n');
    const alice = await eventually(() => w.t.prisma.contact.findFirst({ where: { email: 'alice@customer.test' } }), 'alice known');

    const forged = await connectVisitor(w.t.url, { inboxId: widget, origin: SHOP, user: { id: 'alice-1', email: 'alice@customer.test', hash: 'f'.repeat(64) } });
    expect(forged.session.identified).toBe(false);
    const fm = await forged.send('Show me my orders');
    const forgedMessage = await eventually(() => w.t.prisma.message.findUnique({ where: { id: fm.id } }), 'stored');
    expect(forgedMessage.contactId).not.toBe(alice.id);
    forged.close();

    const hash = userHash(identitySecret(w.t.app.services.config.appSecret, widget), 'alice-1', 'alice@customer.test');
    const phone = await connectVisitor(w.t.url, { inboxId: widget, origin: SHOP, user: { id: 'alice-1', email: 'alice@customer.test', hash } });
    const laptop = await connectVisitor(w.t.url, { inboxId: widget, origin: SHOP, user: { id: 'alice-1', email: 'alice@customer.test', hash } });
    expect(phone.session.identified).toBe(true);
    expect(phone.session.visitorId).not.toBe(laptop.session.visitorId);
    const a = await phone.send('From my phone');
    const b = await laptop.send('And from my laptop');
    const [ma, mb] = await Promise.all([a.id, b.id].map((id) => eventually(() => w.t.prisma.message.findUnique({ where: { id } }), 'stored')));
    expect(ma!.contactId).toBe(alice.id);
    expect(mb!.conversationId).toBe(ma!.conversationId);
    // Each device shows what the other sent.
    await eventually(async () => phone.received.find((m) => m.text === 'And from my laptop'), 'phone sees the laptop message');
    phone.close();
    laptop.close();
  });

  it('sends a reply by email when the visitor has left, and the emailed answer threads back', async () => {
    const v = await connectVisitor(w.t.url, { inboxId: widget, origin: SHOP });
    const m = await v.send('Can you call me back about a refund?', { name: 'Dana', email: 'dana@customer.test' });
    const conversationId = await conversationOf(m.id);
    v.close();
    await eventually(async () => (await w.t.prisma.widgetVisitor.findUnique({ where: { id: v.session.visitorId } }))?.disconnectedAt, 'visitor gone');
    const r = await reply(conversationId, 'We will call you tomorrow at 10.');
    const mail = await eventually(async () => w.smtp.mails.find((x) => x.envelope.to.includes('dana@customer.test')), 'reply emailed');
    expect(mail.parsed.text).toContain('We will call you tomorrow at 10.');
    // The mail reaches the SMTP server before the delivery is recorded (send, then write what
    // the provider answered): reading the row at once raced that write on a busy machine.
    const stored = await eventually(async () => {
      const row = await w.t.prisma.message.findUnique({ where: { id: r.id } });
      return row?.deliveryStatus === 'queued' || row?.deliveryStatus === 'sending' ? null : row;
    }, 'delivery recorded');
    expect(stored!.metadata).toMatchObject({ widget: { visitorAway: true, emailedTo: 'dana@customer.test' } });
    // Dana answers the mail.
    const replyTo = mail.parsed.replyTo!.value[0]!.address!;
    await w.imap.deliver('support@acme.test', `From: Dana <dana@customer.test>\r\nTo: ${replyTo}\r\nSubject: Re: call\r\nMessage-ID: <dana-1@x>\r\nIn-Reply-To: ${mail.parsed.messageId}\r\n\r\nPerfect, 10 works.\r\n`);
    const back = await eventually(() => w.t.prisma.message.findFirst({ where: { externalId: '<dana-1@x>' } }), 'email answer stored');
    expect(back.conversationId).toBe(conversationId);
    expect(back.threadReason).toBe('conversation-token');
  });

  it('limits message size and rate, with the reason', async () => {
    const v = await connectVisitor(w.t.url, { inboxId: widget, origin: SHOP });
    expect(await v.send('x'.repeat(5_001))).toMatchObject({ ok: false, error: expect.stringMatching(/too long/) });
    const answers = [];
    for (let i = 0; i < 9; i++) answers.push(await v.send(`message ${i}`));
    expect(answers.filter((a) => a.ok)).toHaveLength(8); // 8 a minute; the refused long one does not count
    expect(answers.at(-1)).toMatchObject({ ok: false, error: expect.stringMatching(/too quickly/) });
    v.close();
  });

  it('says when the team is away (business hours)', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const all = [['00:00', '24:00']];
    await request(url(`/inboxes/${widget}/routing`), { method: 'PUT', token: w.admin, body: { businessHours: { timeZone: 'UTC', week: { mon: all, tue: all, wed: all, thu: all, fri: all, sat: all, sun: all }, holidays: [today, tomorrow] } } });
    const v = await connectVisitor(w.t.url, { inboxId: widget, origin: SHOP });
    expect(v.session.open).toBe(false);
    expect(v.session.notice).toMatch(/away right now/);
    v.close();
  });
});
