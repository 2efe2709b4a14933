// Incidents across channels: 50 customers writing about failing card payments by email, SMS,
// the chat widget, X DMs and public posts on X. An incident links them by its rule (complaint
// words in a time window: those before it opened, and one arriving after) and by a bulk
// selection; its banner shows on each conversation; on resolve each customer gets one update on
// their own channel, in their language, and none goes to those who refused automatic messages
// or texted STOP; the linked conversations resolve in one step. Real mail servers, real HTTP to
// the Twilio and X stand-ins, real widget sockets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twilioSignature } from '../src/connectors/sms/twilio';
import { emailWorld, eventually, type EmailWorld } from './helpers/email-app';
import { startFakeTwilio, type FakeTwilio } from './helpers/fake-twilio';
import { startFakeX, type FakeX } from './helpers/fake-x';
import { createAgent } from './helpers/fixtures';
import { login, request } from './helpers/http';
import { rawMail } from './helpers/mails';
import { connectVisitor, type TestVisitor } from './helpers/visitor';
import { BRAND_ID, createXInbox } from './helpers/x-inbox';

const SID = `AC${'d4'.repeat(16)}`;
const AUTH = 'twilio-auth-token-for-incident-updates';
const OUR_NUMBER = '+14155550100';
let w: EmailWorld;
let twilio: FakeTwilio;
let x: FakeX;
let smsInbox: string;
let xInbox: string;
let chatInbox: string;
let tweetId = 1_900_000_000_000_000_000n;
const nextTweet = () => String((tweetId += 1n));
const api = (p: string, init: { method?: string; body?: unknown } = {}, token = w.admin) => request(`${w.t.url}/api/v1${p}`, { token, ...init });
const UPDATE = /has been fixed|está resuelto/;

async function text(from: string, body: string) {
  const params = { MessageSid: `SM${Math.random().toString(16).slice(2).padEnd(32, '0')}`, AccountSid: SID, From: from, To: OUR_NUMBER, Body: body, NumMedia: '0' };
  const url = `${w.t.url}/webhooks/sms/${smsInbox}`;
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(AUTH, url, params) }, body: new URLSearchParams(params).toString() });
  expect(res.status).toBe(200);
}
const mail = (n: number, subject: string, body: string) =>
  w.imap.deliver('care@acme.test', rawMail({ from: `Customer ${n} <buyer${n}@customer.test>`, to: 'care@acme.test', subject, text: body }));
const conversationOf = async (where: object, what: string) => (await eventually(() => w.t.prisma.conversation.findFirst({ where }), what, 30_000)).id;

beforeAll(async () => {
  twilio = await startFakeTwilio({ accountSid: SID, authToken: AUTH });
  x = await startFakeX({ brandId: BRAND_ID, brandHandle: 'acme' });
  process.env.INCIDENT_TWILIO_TOKEN = AUTH;
  w = await emailWorld({ users: ['care@acme.test'], env: { TWILIO_API_URL: twilio.apiUrl, TWITTER_API_URL: x.apiUrl, INCIDENT_SWEEP_MS: '200' } });
  await w.addInbox('Care', 'care@acme.test');
  const sms = await api('/inboxes', { body: { kind: 'sms', name: 'Texts', config: { phoneNumber: OUR_NUMBER, accountSid: SID }, secretRefs: { authToken: 'env:INCIDENT_TWILIO_TOKEN' } } });
  expect(sms.status).toBe(201);
  smsInbox = sms.body.id;
  const chat = await api('/inboxes', { body: { kind: 'widget', name: 'Shop chat', config: { allowedOrigins: ['https://shop.test'] } } });
  chatInbox = chat.body.id;
  xInbox = await createXInbox(w.t, w.admin, x);
});
afterAll(async () => {
  await w?.close();
  await twilio?.stop();
  await x?.stop();
});

describe('incidents', () => {
  it('links 50 customers on five channels, shows its banner, updates each once on resolve (none to the opted out) and resolves them in one step', async () => {
    const ids = new Map<string, string>(); // who → conversation id
    // 14 emails now, one after the incident opens.
    for (let n = 0; n < 14; n++) await mail(n, `Payment problem ${n}`, `Hello, my card payment failed three times today (order ${1000 + n}). Please help.`);
    // 15 texts: 10 about the card payment, 5 in other words (linked by hand); one customer writes Spanish.
    const phones = Array.from({ length: 15 }, (_, i) => `+1415555${3000 + i}`);
    for (const [i, phone] of phones.entries()) {
      await text(phone, i < 10 ? (i === 9 ? 'El card payment no funciona, no puedo pagar' : `Card payment failed again at checkout, attempt ${i}`) : `Checkout keeps refusing my money, error ${500 + i}`);
    }
    // 10 chat visitors.
    const visitors: TestVisitor[] = [];
    for (let i = 0; i < 10; i++) {
      const v = await connectVisitor(w.t.url, { inboxId: chatInbox, origin: 'https://shop.test' });
      await v.send(`Your card payment page fails with error 502 (${i})`, { name: `Visitor ${i}` });
      visitors.push(v);
    }
    // 5 public posts and 5 DMs on X.
    for (let i = 0; i < 10; i++) x.users.set(String(50 + i), { id: String(50 + i), username: `payer${i}`, name: `Payer ${i}`, followers: 100 * i });
    for (let i = 0; i < 5; i++) x.mentions.push({ id: nextTweet(), text: `@acme card payment broken again?! #fail ${i}`, author_id: String(50 + i) });
    for (let i = 5; i < 10; i++) x.dms.push({ id: nextTweet(), text: `Hi, my card payment does not go through (${i})`, sender_id: String(50 + i), dm_conversation_id: `${50 + i}-${BRAND_ID}` });

    for (let n = 0; n < 14; n++) ids.set(`buyer${n}@customer.test`, await conversationOf({ subject: `Payment problem ${n}` }, `mail ${n}`));
    for (const phone of phones) ids.set(phone, await conversationOf({ inboxId: smsInbox, contact: { phone } }, `text from ${phone}`));
    await eventually(async () => (await w.t.prisma.conversation.count({ where: { inboxId: chatInbox } })) === 10 || null, 'the chats stored');
    const chats = await w.t.prisma.conversation.findMany({ where: { inboxId: chatInbox }, select: { id: true, threadKey: true } });
    for (const v of visitors) ids.set(v.session.visitorId, chats.find((c) => c.threadKey === `visitor:${v.session.visitorId}`)!.id);
    await eventually(async () => (await w.t.prisma.conversation.count({ where: { inboxId: xInbox } })) === 10 || null, 'the X posts and DMs stored', 30_000);
    const onX = await w.t.prisma.conversation.findMany({ where: { inboxId: xInbox }, select: { id: true, type: true } });
    expect(onX.filter((c) => c.type === 'mention')).toHaveLength(5);
    onX.forEach((c, i) => ids.set(`x${i}`, c.id));
    expect(ids.size).toBe(49);

    // Refusals: one email customer unsubscribed from automatic messages, two texters sent STOP.
    await w.t.prisma.contactIdentity.updateMany({ where: { address: 'buyer3@customer.test' }, data: { unsubscribed: ['automatic'] } });
    await text(phones[0]!, 'STOP');
    await text(phones[1]!, 'STOP');
    await eventually(async () => (await w.t.prisma.contactIdentity.count({ where: { address: { in: phones.slice(0, 2) }, optedOut: true } })) === 2 || null, 'the STOPs recorded');
    await w.t.prisma.contact.updateMany({ where: { phone: phones[9]! }, data: { language: 'es' } });

    // The incident, with its rule: links the 44 that mention the card payment already.
    const opened = await api('/incidents', { body: { title: 'Card payments failing', rule: { keywords: ['card payment', 'tarjeta'] } } });
    expect(opened.status).toBe(201);
    const incident = opened.body.id as string;
    expect(opened.body.counts.linked).toBe(44);
    // One more arrives after it opened: the pipeline links it as it is stored.
    await mail(14, 'Payment problem 14', 'Card payment declined, what is going on?');
    ids.set('buyer14@customer.test', await conversationOf({ subject: 'Payment problem 14' }, 'mail 14'));
    await eventually(async () => (await w.t.prisma.incidentLink.findUnique({ where: { incidentId_conversationId: { incidentId: incident, conversationId: ids.get('buyer14@customer.test')! } } }))?.linkedBy === 'rule' || null, 'the late mail linked by the rule');
    // The five in other words, as a bulk selection.
    const bulk = await api(`/incidents/${incident}/links`, { body: { conversationIds: phones.slice(10).map((p) => ids.get(p)!) } });
    expect(bulk.body).toEqual({ linked: 5, alreadyLinked: 0 });
    expect((await api(`/incidents/${incident}/links`, { body: { conversationIds: ['00000000-0000-4000-8000-000000000000'] } })).status).toBe(404);
    expect((await api(`/incidents/${incident}`)).body.counts.linked).toBe(50);

    // The banner on every linked conversation follows the status.
    expect((await api(`/incidents/${incident}`, { method: 'PATCH', body: { status: 'identified' } })).body.status).toBe('identified');
    const banner = (await api(`/conversations/${ids.get('x0')}/incidents`)).body.data;
    expect(banner).toEqual([expect.objectContaining({ id: incident, title: 'Card payments failing', status: 'identified' })]);
    expect((await api(`/incidents/${incident}`, { method: 'PATCH', body: { status: 'monitoring' } })).body.status).toBe('monitoring');

    // Resolved: one update each, on their own channel.
    const smsBefore = twilio.calls.length;
    const resolved = await api(`/incidents/${incident}`, { method: 'PATCH', body: { status: 'resolved' } });
    expect(resolved.body.status).toBe('resolved');
    await eventually(async () => (await w.t.prisma.incidentLink.count({ where: { incidentId: incident, notifiedAt: null } })) === 0 || null, 'every link updated or skipped', 30_000);
    const detail = (await api(`/incidents/${incident}`)).body;
    expect(detail.counts).toMatchObject({ linked: 50, updated: 47, skipped: 3 });
    const skipped = detail.conversations.filter((c: { skippedReason: string | null }) => c.skippedReason);
    expect(skipped.map((c: { conversationId: string }) => c.conversationId).sort()).toEqual([ids.get('buyer3@customer.test'), ids.get(phones[0]!), ids.get(phones[1]!)].sort());

    const mailed = async (n: number) => w.smtp.mails.filter((m) => m.envelope.to.includes(`buyer${n}@customer.test`) && UPDATE.test(m.parsed.text ?? ''));
    await eventually(async () => (await Promise.all([...Array(15).keys()].filter((n) => n !== 3).map(mailed))).every((m) => m.length === 1) || null, 'one update mail for each email customer', 30_000);
    expect(await mailed(3)).toHaveLength(0);
    const texts = () => twilio.calls.slice(smsBefore).filter((c) => c.method === 'POST' && c.path.endsWith('/Messages.json'));
    await eventually(async () => texts().length === 13 || null, 'the 13 texts', 30_000);
    for (const phone of phones.slice(2)) expect(texts().filter((c) => c.form.To === phone), phone).toHaveLength(1);
    expect(texts().find((c) => c.form.To === phones[9])!.form.Body).toContain('está resuelto');
    await eventually(async () => visitors.every((v) => v.received.filter((m) => UPDATE.test(String(m.text))).length === 1) || null, 'the update in each chat');
    const replies = () => x.calls.filter((c) => c.method === 'POST' && c.path === '/2/tweets' && UPDATE.test(c.body?.text ?? ''));
    const dms = () => x.calls.filter((c) => c.method === 'POST' && c.path.startsWith('/2/dm_conversations/') && UPDATE.test(c.body?.text ?? ''));
    await eventually(async () => (replies().length === 5 && dms().length === 5) || null, 'five public replies and five DMs on X', 30_000);
    expect(new Set(replies().map((c) => c.body.reply?.in_reply_to_tweet_id)).size).toBe(5);

    // Resolving the incident again changes nothing: nobody hears twice.
    await api(`/incidents/${incident}`, { method: 'PATCH', body: { status: 'monitoring' } });
    await api(`/incidents/${incident}`, { method: 'PATCH', body: { status: 'resolved' } });
    await new Promise((r) => setTimeout(r, 1_000));
    expect(texts()).toHaveLength(13);
    const updates = await w.t.prisma.message.count({ where: { conversationId: { in: [...ids.values()] }, metadata: { path: ['incident', 'id'], equals: incident } } });
    expect(updates).toBe(47);

    // The linked conversations, resolved in one step.
    const done = await api(`/incidents/${incident}/resolve-conversations`, { method: 'POST' });
    expect(done.body.resolved).toBe(50);
    expect(await w.t.prisma.conversation.count({ where: { id: { in: [...ids.values()] }, status: { not: 'resolved' } } })).toBe(0);
    for (const v of visitors) v.close();
  }, 240_000);

  it('refuses what makes no sense with a reason', async () => {
    expect(JSON.stringify((await api('/incidents', { body: { title: 'Everything', rule: {} } })).body)).toMatch(/needs a complaint type, keywords/);
    expect((await api('/incidents', { body: { title: '' } })).status).toBe(400);
    const i = (await api('/incidents', { body: { title: 'Login slow' } })).body;
    expect((await api(`/incidents/${i.id}`, { method: 'PATCH', body: { status: 'finished' } })).status).toBe(400);
    await api(`/incidents/${i.id}`, { method: 'PATCH', body: { status: 'resolved' } });
    const someone = await w.t.prisma.conversation.findFirstOrThrow({ select: { id: true } });
    expect((await api(`/incidents/${i.id}/links`, { body: { conversationIds: [someone.id] } })).status).toBe(409);
    // An agent without the inbox does not see (nor link) its conversations.
    const outsider = await login(w.t.url, (await createAgent(w.t.prisma, { name: 'Olga Outsider' })).email);
    const other = (await api('/incidents', { body: { title: 'Other' } }, outsider)).body;
    expect((await api(`/incidents/${other.id}/links`, { body: { conversationIds: [someone.id] } }, outsider)).status).toBe(404);
  });
});
