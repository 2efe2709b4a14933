// SMS over Twilio's wire format: signed webhooks into the real product, the real REST calls
// out to a local server that answers like Twilio and records them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app';
import { createAgent } from './helpers/fixtures';
import { login, request } from './helpers/http';
import { eventually } from './helpers/email-app';
import { startFakeTwilio, type FakeTwilio } from './helpers/fake-twilio';
import { twilioSignature } from '../src/connectors/sms/twilio';
import { segmentsOf, splitForSending } from '../src/connectors/sms/segments';
import { keywordOf } from '../src/connectors/sms/consent';

const SID = `AC${'a1'.repeat(16)}`;
const AUTH = 'twilio-auth-token-for-tests';
const OUR_NUMBER = '+14155550100';
let t: TestApp;
let twilio: FakeTwilio;
let admin: string;
let inboxId: string;
let sid = 0;

const url = (p: string) => `${t.url}${p}`;
async function webhook(path: string, params: Record<string, string>, o: { forge?: boolean } = {}) {
  const signature = twilioSignature(o.forge ? 'wrong-token' : AUTH, url(path), params);
  const res = await fetch(url(path), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }, body: new URLSearchParams(params).toString() });
  return { status: res.status, text: await res.text() };
}
function text(from: string, body: string, extra: Record<string, string> = {}) {
  sid++;
  const id = `SM${String(sid).padStart(32, 'f')}`;
  return { id, params: { MessageSid: id, SmsSid: id, AccountSid: SID, From: from, To: OUR_NUMBER, Body: body, NumMedia: '0', ...extra } };
}
const toNumber = (n: string) => twilio.calls.filter((c) => c.form.To === n);
async function replyAndSettle(conversationId: string, body: string, status: 'sent' | 'failed') {
  const r = await request(url(`/api/v1/conversations/${conversationId}/messages`), { token: admin, body: { text: body } });
  return eventually(async () => {
    const m = await t.prisma.message.findUnique({ where: { id: r.body.id } });
    return m?.deliveryStatus === status ? m : null;
  }, `reply ${status}`);
}

beforeAll(async () => {
  twilio = await startFakeTwilio({ accountSid: SID, authToken: AUTH });
  process.env.TEST_TWILIO_TOKEN = AUTH;
  t = await startTestApp({ env: { TWILIO_API_URL: twilio.apiUrl, ROUTING_DEFAULTS: 'true' } });
  const ada = await createAgent(t.prisma, { role: 'admin', name: 'Ada Admin' });
  admin = await login(t.url, ada.email);
  const r = await request(url('/api/v1/inboxes'), { token: admin, body: { kind: 'sms', name: 'Texts', config: { phoneNumber: '+1 (415) 555-0100', accountSid: SID }, secretRefs: { authToken: 'env:TEST_TWILIO_TOKEN' }, memberIds: [ada.id] } });
  expect(r.status).toBe(201);
  expect(r.body.config.phoneNumber).toBe(OUR_NUMBER);
  inboxId = r.body.id;
});
afterAll(async () => {
  await t?.close();
  await twilio?.stop();
});

describe('SMS segments and keywords', () => {
  it('counts GSM-7 and UCS-2 segments as handsets do', () => {
    expect(segmentsOf('a'.repeat(160))).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    expect(segmentsOf('a'.repeat(161))).toMatchObject({ encoding: 'GSM-7', segments: 2 });
    expect(segmentsOf('€'.repeat(80))).toMatchObject({ encoding: 'GSM-7', units: 160, segments: 1 }); // extension table: two septets each
    expect(segmentsOf('€'.repeat(81))).toMatchObject({ segments: 2 });
    expect(segmentsOf('ü'.repeat(160))).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    expect(segmentsOf('ć'.repeat(70))).toMatchObject({ encoding: 'UCS-2', segments: 1 });
    expect(segmentsOf('ć'.repeat(71))).toMatchObject({ encoding: 'UCS-2', segments: 2 });
    expect(segmentsOf('😀'.repeat(35))).toMatchObject({ encoding: 'UCS-2', units: 70, segments: 1 });
    expect(segmentsOf('😀'.repeat(34) + 'ab')).toMatchObject({ units: 70, segments: 1 });
    expect(segmentsOf('x'.repeat(67) + '😀' + 'y')).toMatchObject({ units: 70, segments: 1 });
    expect(segmentsOf('x'.repeat(67) + '😀' + 'yz')).toMatchObject({ units: 71, segments: 2 }); // the pair moves whole to part 2
  });

  it('splits a body too long for one request at segment boundaries, never inside a character', () => {
    const long = 'word '.repeat(500); // 2,500 GSM-7 characters
    const parts = splitForSending(long);
    expect(parts.length).toBe(2);
    expect(parts.join('')).toBe(long);
    for (const p of parts) expect(segmentsOf(p).segments).toBeLessThanOrEqual(10);
    const emoji = '😀'.repeat(400);
    expect(splitForSending(emoji).join('')).toBe(emoji);
  });

  it('knows the carriers\' keywords, and only as a whole message', () => {
    expect(keywordOf(' stop ')).toBe('stop');
    expect(keywordOf('Unsubscribe')).toBe('stop');
    expect(keywordOf('START')).toBe('start');
    expect(keywordOf('help')).toBe('help');
    expect(keywordOf('please stop sending me the wrong parts')).toBeNull();
  });
});

describe('SMS channel', () => {
  it('takes a correctly signed text (with MMS media) and refuses a forged one with 403, storing nothing', async () => {
    const ok = text('+14155550123', 'My package never came, order 7781', { NumMedia: '1', MediaUrl0: 'https://api.twilio.com/2010-04-01/Accounts/x/Messages/y/Media/z', MediaContentType0: 'image/jpeg' });
    const r = await webhook(`/webhooks/sms/${inboxId}`, ok.params);
    expect(r.status).toBe(200);
    expect(r.text).toContain('<Response></Response>');
    const m = await eventually(() => t.prisma.message.findFirst({ where: { externalId: ok.id }, include: { attachments: true, contact: { include: { identities: true } } } }), 'text stored');
    expect(m.contact!.identities).toEqual([expect.objectContaining({ kind: 'phone', address: '+14155550123' })]);
    expect(m.attachments[0]).toMatchObject({ contentType: 'image/jpeg', url: 'https://api.twilio.com/2010-04-01/Accounts/x/Messages/y/Media/z' });

    const before = await t.prisma.inboundReceipt.count();
    const forged = text('+14155550123', 'forged');
    expect((await webhook(`/webhooks/sms/${inboxId}`, forged.params, { forge: true })).status).toBe(403);
    const unsigned = await fetch(url(`/webhooks/sms/${inboxId}`), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(forged.params).toString() });
    expect(unsigned.status).toBe(403);
    expect(await t.prisma.inboundReceipt.count()).toBe(before);
  });

  it('sends a reply through the REST API (retrying provider trouble) and follows its status callbacks', async () => {
    const first = await eventually(() => t.prisma.message.findFirst({ where: { contact: { phone: '+14155550123' } } }), 'conversation');
    twilio.failNext(2, 500);
    const sent = await replyAndSettle(first.conversationId, 'So sorry! A replacement ships today.', 'sent');
    const call = toNumber('+14155550123').find((c) => c.form.Body === 'So sorry! A replacement ships today.')!;
    expect(call.form).toMatchObject({ From: OUR_NUMBER, StatusCallback: `${t.url}/webhooks/sms/${inboxId}/status` });
    expect(sent.externalId).toMatch(/^SM/);
    expect(sent.metadata).toMatchObject({ sms: { segments: 1, encoding: 'GSM-7' } });

    await webhook(`/webhooks/sms/${inboxId}/status`, { MessageSid: sent.externalId!, MessageStatus: 'delivered', AccountSid: SID });
    await eventually(async () => (await t.prisma.message.findUnique({ where: { id: sent.id } }))?.deliveryStatus === 'delivered', 'delivered');
    // A late "sent" does not move it back.
    await webhook(`/webhooks/sms/${inboxId}/status`, { MessageSid: sent.externalId!, MessageStatus: 'sent', AccountSid: SID });
    expect((await t.prisma.message.findUnique({ where: { id: sent.id } }))!.deliveryStatus).toBe('delivered');

    const other = await replyAndSettle(first.conversationId, 'x'.repeat(2_000), 'sent');
    expect(other.metadata).toMatchObject({ sms: { segments: 14 } });
    expect(toNumber('+14155550123').filter((c) => c.form.Body?.startsWith('xxx'))).toHaveLength(2);
    await webhook(`/webhooks/sms/${inboxId}/status`, { MessageSid: other.externalId!, MessageStatus: 'undelivered', ErrorCode: '30006', ErrorMessage: 'Landline or unreachable carrier', AccountSid: SID });
    const failed = await eventually(async () => {
      const m = await t.prisma.message.findUnique({ where: { id: other.id } });
      return m?.deliveryStatus === 'failed' ? m : null;
    }, 'failed');
    expect(failed.deliveryError).toBe('Twilio error 30006: Landline or unreachable carrier');
  });

  it('after STOP sends nothing, automatic or not, until START', async () => {
    const number = '+14155550177';
    const stop = text(number, 'STOP');
    await webhook(`/webhooks/sms/${inboxId}`, stop.params);
    const identity = await eventually(() => t.prisma.contactIdentity.findFirst({ where: { kind: 'phone', address: number, optedOut: true } }), 'opted out');
    expect(identity.optedOutAt).toBeInstanceOf(Date);
    // They write again, still opted out: routing's acknowledgement is attempted and refused.
    const question = text(number, 'Where is my refund? It is urgent');
    await webhook(`/webhooks/sms/${inboxId}`, question.params);
    const q = await eventually(() => t.prisma.message.findFirst({ where: { externalId: question.id } }), 'stored');
    // Routing ran (it assigned the conversation) and did not acknowledge an opted-out customer.
    await eventually(async () => (await t.prisma.conversation.findUnique({ where: { id: q.conversationId } }))?.assigneeId, 'routed');
    expect(await t.prisma.message.count({ where: { conversationId: q.conversationId, senderType: 'system', direction: 'outbound' } })).toBe(0);
    // Any other automatic message (a rule's) is refused by the channel itself.
    const automatic = await t.app.services.replies.automatic(q.conversationId, { text: 'We got your message.', reason: 'a test rule' });
    const refused = await eventually(async () => {
      const m = await t.prisma.message.findUnique({ where: { id: automatic.id } });
      return m?.deliveryStatus === 'failed' ? m : null;
    }, 'automatic message refused');
    expect(refused.deliveryError).toMatch(/opted out/);
    const agentReply = await replyAndSettle(q.conversationId, 'Your refund is on its way.', 'failed');
    expect(agentReply.deliveryError).toMatch(/opted out \(STOP\)/);
    expect(toNumber(number)).toHaveLength(0);

    await webhook(`/webhooks/sms/${inboxId}`, text(number, 'start').params);
    await eventually(() => t.prisma.contactIdentity.findFirst({ where: { kind: 'phone', address: number, optedOut: false } }), 'opted in');
    await replyAndSettle(q.conversationId, 'Welcome back: your refund is on its way.', 'sent');
    expect(toNumber(number)).toHaveLength(1);
  });

  it('answers the keywords itself when set to, in TwiML', async () => {
    await request(url(`/api/v1/inboxes/${inboxId}`), { method: 'PATCH', token: admin, body: { config: { phoneNumber: OUR_NUMBER, accountSid: SID, keywordReplies: 'us', helpText: 'Acme support. Reply STOP to opt out.' } } });
    const r = await webhook(`/webhooks/sms/${inboxId}`, text('+14155550188', 'HELP').params);
    expect(r.text).toContain('<Message>Acme support. Reply STOP to opt out.</Message>');
  });

  it('tests the connection with the account\'s credentials', async () => {
    expect((await request(url(`/api/v1/inboxes/${inboxId}/test-connection`), { method: 'POST', token: admin })).body.ok).toBe(true);
    process.env.TEST_TWILIO_TOKEN = 'wrong';
    const bad = await request(url(`/api/v1/inboxes/${inboxId}/test-connection`), { method: 'POST', token: admin });
    process.env.TEST_TWILIO_TOKEN = AUTH;
    expect(bad.body.checks[0].message).toMatch(/refused the Account SID or auth token/);
  });
});
