// From complaint to recovery, over real mail and SMS: an angry email complaint is acknowledged,
// opens a complaint case, gets a refund (logged with its amount; above an agent's limit it waits
// for a supervisor) and is resolved; the survey mail arrives after the delay; the customer clicks
// 2 and the conversation reopens to its team at top priority, labelled detractor. An SMS customer
// replies "4" (the conversation stays resolved); a customer surveyed yesterday is not surveyed
// again; one who refused surveys gets nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twilioSignature } from '../src/connectors/sms/twilio';
import { emailWorld, eventually, type EmailWorld } from './helpers/email-app';
import { startFakeTwilio, type FakeTwilio } from './helpers/fake-twilio';
import { createAgent } from './helpers/fixtures';
import { login, request } from './helpers/http';
import { rawMail } from './helpers/mails';
import { connectVisitor } from './helpers/visitor';

const SID = `AC${'b2'.repeat(16)}`;
const AUTH = 'twilio-auth-token-for-recovery';
let w: EmailWorld;
let twilio: FakeTwilio;
let smsInbox: string;
const api = (p: string, init: { method?: string; body?: unknown } = {}, token = w.admin) => request(`${w.t.url}/api/v1${p}`, { token, ...init });
const mailsTo = (a: string) => w.smtp.mails.filter((m) => m.envelope.to.includes(a));

async function complain(from: string, subject: string, text: string) {
  await w.imap.deliver('care@acme.test', rawMail({ from, to: 'care@acme.test', subject, text }));
  return eventually(() => w.t.prisma.conversation.findFirst({ where: { subject } }), `"${subject}" stored`, 30_000);
}
async function text(from: string, body: string) {
  const params = { MessageSid: `SM${Math.random().toString(16).slice(2).padEnd(32, '0')}`, AccountSid: SID, From: from, To: '+14155550100', Body: body, NumMedia: '0' };
  const url = `${w.t.url}/webhooks/sms/${smsInbox}`;
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(AUTH, url, params) }, body: new URLSearchParams(params).toString() });
  expect(res.status).toBe(200);
}
const resolve = (id: string) => api(`/conversations/${id}/status`, { method: 'POST', body: { status: 'resolved' } });

beforeAll(async () => {
  twilio = await startFakeTwilio({ accountSid: SID, authToken: AUTH });
  process.env.RECOVERY_TWILIO_TOKEN = AUTH;
  w = await emailWorld({ users: ['care@acme.test'], env: { ROUTING_DEFAULTS: 'true', TWILIO_API_URL: twilio.apiUrl, SURVEY_DELAY_MINUTES: '0.05', SURVEY_SWEEP_MS: '200', REMEDY_LIMIT_AGENT: '20' } });
  await w.addInbox('Care', 'care@acme.test');
  const r = await api('/inboxes', { body: { kind: 'sms', name: 'Texts', config: { phoneNumber: '+14155550100', accountSid: SID }, secretRefs: { authToken: 'env:RECOVERY_TWILIO_TOKEN' } } });
  expect(r.status).toBe(201);
  smsInbox = r.body.id;
});
afterAll(async () => {
  await w?.close();
  await twilio?.stop();
});

describe('complaint recovery and surveys', () => {
  it('takes an angry complaint through a refund to a detractor reopen', async () => {
    const c = await complain('Nina Rossi <nina@customer.test>', 'Charged twice again', 'You charged my card twice for the same order. This is outrageous and I want my money back now!');
    await eventually(async () => mailsTo('nina@customer.test')[0], 'the acknowledgement', 30_000);
    const opened = await eventually(async () => (await w.t.prisma.conversation.findUniqueOrThrow({ where: { id: c.id } })).complaintStage, 'the complaint case opened by the analysis');
    expect(opened).toBe('acknowledged');
    expect((await api(`/conversations/${c.id}/complaint`, { method: 'PUT', body: { stage: 'investigating' } })).body.complaintStage).toBe('investigating');

    // An agent's limit is 20: a 45 EUR refund waits for a supervisor, who approves it.
    const agent = await createAgent(w.t.prisma, { name: 'Ari Agent' });
    await w.t.prisma.inboxMember.create({ data: { inboxId: w.inboxes.Care!, agentId: agent.id } });
    const agentToken = await login(w.t.url, agent.email);
    const logged = await api(`/conversations/${c.id}/remedies`, { method: 'POST', body: { type: 'refund', amount: 45, currency: 'EUR', note: 'double charge' } }, agentToken);
    expect(logged.status).toBe(201);
    expect(logged.body.status).toBe('pending_approval');
    expect((await api(`/conversations/${c.id}/remedies`, { method: 'POST', body: { type: 'refund', amount: 45 } }, agentToken)).status).toBe(400);
    const supervisor = await login(w.t.url, (await createAgent(w.t.prisma, { role: 'supervisor' })).email);
    await w.t.prisma.inboxMember.create({ data: { inboxId: w.inboxes.Care!, agentId: (await w.t.prisma.agent.findFirstOrThrow({ where: { role: 'supervisor' } })).id } });
    const complaints = (await api('/complaints', {}, supervisor)).body;
    expect(complaints.pendingApproval).toEqual([expect.objectContaining({ id: logged.body.remedyId, amount: 45, currency: 'EUR' })]);
    expect(complaints.stages.find((s: { stage: string }) => s.stage === 'investigating').total).toBe(1);
    const approved = await api(`/remedies/${logged.body.remedyId}/decision`, { method: 'POST', body: { approve: true } }, supervisor);
    expect(approved.body.complaintStage).toBe('remedied');
    expect((await w.t.prisma.remedy.findUniqueOrThrow({ where: { id: logged.body.remedyId } })).approvedBy).not.toBeNull();

    await api(`/conversations/${c.id}/messages`, { method: 'POST', body: { text: 'We refunded the 45 EUR. Sorry about that.' } });
    await resolve(c.id);
    const survey = await eventually(async () => mailsTo('nina@customer.test').find((m) => m.parsed.text?.includes('How did we do')), 'the survey mail after the delay', 30_000);
    const two = /2: (\S+)/.exec(survey.parsed.text ?? '')![1]!;
    const page = await fetch(two);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('data-autosend');
    expect(html).toMatch(/value="2" checked/);
    // The page sends itself (a script); a mail scanner opening the link rates nothing.
    expect((await w.t.prisma.survey.findFirstOrThrow({ where: { conversationId: c.id, kind: 'satisfaction' } })).rating).toBeNull();
    const action = /action="([^"]+)"/.exec(html)![1]!;
    const sent = await fetch(`${w.t.url}${action}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'rating=2&comment=Took+far+too+long' });
    expect(sent.status).toBe(200);
    expect(await sent.text()).toContain('Thank you');

    const after = await eventually(async () => {
      const v = (await api(`/conversations/${c.id}`)).body.conversation;
      return v.status === 'open' && v.labels.some((l: { name: string }) => l.name === 'detractor') && v;
    }, 'reopened as a detractor', 30_000);
    expect(after.priority).toBe(100);
    expect(await w.t.prisma.survey.findFirstOrThrow({ where: { conversationId: c.id, kind: 'satisfaction' } })).toMatchObject({ rating: 2, comment: 'Took far too long', status: 'answered' });
  });

  it('lets a happy chat customer rate 5 on the widget\'s card, and nobody rate another\'s survey', async () => {
    const chat = await api('/inboxes', { body: { kind: 'widget', name: 'Shop chat', config: { allowedOrigins: ['https://shop.test'] } } });
    const v = await connectVisitor(w.t.url, { inboxId: chat.body.id, origin: 'https://shop.test' });
    const sent = await v.send('Thanks so much, the new lamp works perfectly!', { name: 'Hana' });
    const { conversationId } = await eventually(() => w.t.prisma.message.findUnique({ where: { id: sent.id } }), 'the chat message stored');
    await resolve(conversationId);
    const card = await eventually(async () => v.received.find((m) => m.survey), 'the rating card pushed to the visitor', 30_000);
    expect(card.survey).toMatchObject({ kind: 'satisfaction' });
    expect((await v.history()).find((m) => m.id === card.id)?.survey).toEqual(card.survey);
    const other = await connectVisitor(w.t.url, { inboxId: chat.body.id, origin: 'https://shop.test' });
    expect(await other.socket.timeout(10_000).emitWithAck('survey:rate', { surveyId: card.survey.id, rating: 1 })).toMatchObject({ ok: false });
    expect(await v.socket.timeout(10_000).emitWithAck('survey:rate', { surveyId: card.survey.id, rating: 5 })).toEqual({ ok: true });
    expect(await w.t.prisma.survey.findUniqueOrThrow({ where: { id: card.survey.id } })).toMatchObject({ rating: 5, status: 'answered' });
    expect((await w.t.prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } })).status).toBe('resolved');
    v.close();
    other.close();
  });

  it('reads an SMS reply of 4 without reopening the conversation', async () => {
    await text('+14155550177', 'My parcel never arrived, this is really annoying');
    const c = await eventually(() => w.t.prisma.conversation.findFirst({ where: { inboxId: smsInbox } }), 'the SMS conversation');
    await resolve(c.id);
    await eventually(async () => twilio.calls.find((x) => x.form.To === '+14155550177' && /Reply with a number from 1/.test(x.form.Body ?? '')), 'the SMS survey', 30_000);
    await text('+14155550177', '4');
    const answered = await eventually(async () => {
      const s = await w.t.prisma.survey.findFirst({ where: { conversationId: c.id, kind: 'satisfaction', status: 'answered' } });
      return s;
    }, 'the rating read from the reply', 30_000);
    expect(answered.rating).toBe(4);
    expect((await w.t.prisma.conversation.findUniqueOrThrow({ where: { id: c.id } })).status).toBe('resolved');
  });

  it('surveys nobody surveyed yesterday, and nobody who refused surveys', async () => {
    const recent = await complain('Omar Haddad <omar@customer.test>', 'Wrong colour', 'The shirt came in the wrong colour, please exchange it.');
    await w.t.prisma.survey.create({ data: { conversationId: (await complain('Omar Haddad <omar@customer.test>', 'Earlier order', 'Where is my earlier order?')).id, kind: 'satisfaction', status: 'answered', dueAt: new Date(Date.now() - 86_400_000), sentAt: new Date(Date.now() - 86_400_000), contactId: recent.contactId, channel: 'email' } });
    const refusing = await complain('Lea Becker <lea@customer.test>', 'Damaged box', 'The box arrived damaged.');
    await api(`/contacts/${refusing.contactId}/consent`, { method: 'PUT', body: { kind: 'email', address: 'lea@customer.test', purpose: 'surveys', granted: false } });
    await resolve(recent.id);
    await resolve(refusing.id);
    const suppressed = await eventually(async () => {
      const rows = await w.t.prisma.survey.findMany({ where: { conversationId: { in: [recent.id, refusing.id] }, status: 'suppressed' } });
      return rows.length === 2 && rows;
    }, 'both surveys suppressed', 30_000);
    expect(suppressed.map((s) => s.suppressedReason).sort()).toEqual(['lea@customer.test unsubscribed from surveys', 'surveyed in the last 30 days']);
    expect(mailsTo('omar@customer.test').some((m) => m.parsed.text?.includes('How did we do'))).toBe(false);
    expect(mailsTo('lea@customer.test').some((m) => m.parsed.text?.includes('How did we do'))).toBe(false);
  });
});
