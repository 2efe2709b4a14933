// One customer on every channel: known by phone and email, Jo texts, then complains publicly
// on X, then emails. The community manager links the public mention to the private
// conversation. Jo is one contact with every conversation visible together.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from './helpers/http';
import { emailWorld, eventually, type EmailWorld } from './helpers/email-app';
import { startFakeTwilio, type FakeTwilio } from './helpers/fake-twilio';
import { startFakeX, type FakeX } from './helpers/fake-x';
import { BRAND_ID, createXInbox } from './helpers/x-inbox';
import { twilioSignature } from '../src/connectors/sms/twilio';
import { createInbox } from './helpers/fixtures';
import { rawMail } from './helpers/mails';

const SID = `AC${'b2'.repeat(16)}`;
const AUTH = 'omnichannel-twilio-token';
let w: EmailWorld;
let twilio: FakeTwilio;
let x: FakeX;
let smsInbox: string;
const url = (p: string) => `${w.t.url}/api/v1${p}`;

beforeAll(async () => {
  twilio = await startFakeTwilio({ accountSid: SID, authToken: AUTH });
  x = await startFakeX({ brandId: BRAND_ID, brandHandle: 'acme' });
  x.users.set('77', { id: '77', username: 'jo_flies', name: 'Jo', followers: 5_400 });
  process.env.OMNI_TWILIO_TOKEN = AUTH;
  w = await emailWorld({ users: ['support@acme.test'], env: { TWILIO_API_URL: twilio.apiUrl, TWITTER_API_URL: x.apiUrl } });
  await w.addInbox('Support mail', 'support@acme.test');
  const sms = await request(url('/inboxes'), { token: w.admin, body: { kind: 'sms', name: 'Texts', config: { phoneNumber: '+14155550100', accountSid: SID }, secretRefs: { authToken: 'env:OMNI_TWILIO_TOKEN' } } });
  smsInbox = sms.body.id;
  await createXInbox(w.t, w.admin, x);
});
afterAll(async () => {
  await w?.close();
  await twilio?.stop();
  await x?.stop();
});

describe('one customer across channels', () => {
  it('texts, a public mention linked by the community manager, and an email: one contact, every conversation together', async () => {
    // The shop's order system knows Jo's phone and email (API channel).
    const { inbox: orders, token } = await createInbox(w.t.prisma, { name: 'Orders' });
    const posted = await request(url(`/inboxes/${orders.id}/messages`), { token, body: { externalId: 'order-9931', from: { name: 'Jo Park', email: 'jo@customer.test', phone: '+1 415-555-0199' }, text: 'Order 9931 placed' } });
    expect(posted.status).toBe(202);
    const jo = await eventually(() => w.t.prisma.contact.findFirst({ where: { email: 'jo@customer.test' } }), 'Jo known');

    // 1. Jo texts.
    const params = { MessageSid: `SM${'9'.repeat(32)}`, AccountSid: SID, From: '+14155550199', To: '+14155550100', Body: 'My order 9931 arrived broken', NumMedia: '0' };
    const path = `/webhooks/sms/${smsInbox}`;
    const res = await fetch(`${w.t.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(AUTH, `${w.t.url}${path}`, params) }, body: new URLSearchParams(params).toString() });
    expect(res.status).toBe(200);
    const text = await eventually(() => w.t.prisma.message.findFirst({ where: { externalId: params.MessageSid } }), 'text stored');
    expect(text.contactId).toBe(jo.id);

    // 2. Jo complains publicly.
    x.mentions.push({ id: '1900000000000000001', text: '@acme my order arrived smashed and nobody answers my texts. Never again.', author_id: '77', retweets: 12 });
    const mention = await eventually(() => w.t.prisma.message.findFirst({ where: { externalId: 'tweet:1900000000000000001' } }), 'mention stored');
    expect(mention.contactId).not.toBe(jo.id); // an X handle alone says nothing about who it is
    const before = await w.t.prisma.conversation.findUniqueOrThrow({ where: { id: text.conversationId } });

    // The community manager links them, answering publicly with a holding reply.
    const link = await request(url(`/conversations/${mention.conversationId}/link`), { token: w.admin, body: { conversationId: text.conversationId, holdingReply: '@jo_flies so sorry, Jo. We have texted you and will sort it out there.' } });
    expect(link.status).toBe(200);
    expect(link.body.mention).toMatchObject({ contactId: jo.id, linkedConversationId: text.conversationId });
    expect(link.body.conversation.priorityFloor).toBeGreaterThanOrEqual(60);
    expect(link.body.conversation.priority).toBeGreaterThan(before.priority);
    const reply = await eventually(async () => x.calls.find((c) => c.path === '/2/tweets'), 'holding reply posted');
    expect(reply.body).toMatchObject({ reply: { in_reply_to_tweet_id: '1900000000000000001' } });

    // 3. Jo emails.
    await w.imap.deliver('support@acme.test', rawMail({ from: 'Jo Park <jo@customer.test>', messageId: '<jo-mail-1@customer.test>', subject: 'Broken order 9931', text: 'Photos attached soon. Please replace it.' }));
    const mail = await eventually(() => w.t.prisma.message.findFirst({ where: { externalId: '<jo-mail-1@customer.test>' } }), 'email stored');
    expect(mail.contactId).toBe(jo.id);

    const contact = await request(url(`/contacts/${jo.id}`), { token: w.admin });
    expect(contact.status).toBe(200);
    const kinds = contact.body.conversations.map((c: { inbox: { kind: string }; type: string }) => `${c.inbox.kind}/${c.type}`).sort();
    expect(kinds).toEqual(['api/direct', 'email/direct', 'sms/direct', 'twitter/mention']);
    expect(contact.body.contact.identities.map((i: { kind: string; address: string }) => `${i.kind}:${i.address}`).sort()).toEqual(['email:jo@customer.test', 'phone:+14155550199', 'twitter:jo_flies']);
  });
});
