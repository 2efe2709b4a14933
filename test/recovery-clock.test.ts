// Complaint recovery on a moving clock, with the product's default delays (the survey an hour
// after the resolve, the recovery follow-up three days after, no second survey within 30 days):
// the test moves the clock, the real pipeline and worker do the rest over real mail. An angry
// complaint is acknowledged, refunded and resolved; no survey before the hour, the survey after
// it; a 2 reopens it to its team at top priority as a detractor (and its follow-up is not sent).
// A second remedied complaint gets its follow-up on day three; a customer surveyed yesterday is
// not surveyed again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailWorld, eventually, type EmailWorld } from './helpers/email-app';
import { request } from './helpers/http';
import { rawMail } from './helpers/mails';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
let offset = 0;
const advance = (ms: number) => void (offset += ms);
let w: EmailWorld;
let team: string;
const api = (p: string, init: { method?: string; body?: unknown } = {}) => request(`${w.t.url}/api/v1${p}`, { token: w.admin, ...init });
const mailsTo = (a: string, re: RegExp) => w.smtp.mails.filter((m) => m.envelope.to.includes(a) && re.test(m.parsed.text ?? ''));
const SURVEY = /How did we do/;
const FOLLOW_UP = /check that all is well/;

async function complaint(from: string, subject: string, text: string) {
  await w.imap.deliver('care@acme.test', rawMail({ from, to: 'care@acme.test', subject, text }));
  const c = await eventually(() => w.t.prisma.conversation.findFirst({ where: { subject } }), `"${subject}" stored`, 30_000);
  await eventually(async () => (await w.t.prisma.conversation.findUniqueOrThrow({ where: { id: c.id } })).complaintStage, `"${subject}" a complaint case`);
  return c;
}
async function refundAndResolve(id: string, amount: number) {
  expect((await api(`/conversations/${id}/remedies`, { body: { type: 'refund', amount, currency: 'EUR' } })).body.status).toBe('approved');
  await api(`/conversations/${id}/messages`, { body: { text: `We refunded the ${amount} EUR. Sorry about that.` } });
  expect((await api(`/conversations/${id}/status`, { body: { status: 'resolved' } })).body.status).toBe('resolved');
}
/** Several sweeps (every 200 ms) see the clock where it is. */
const sweeps = () => new Promise((r) => setTimeout(r, 1_500));

beforeAll(async () => {
  w = await emailWorld({ users: ['care@acme.test'], env: { ROUTING_DEFAULTS: 'true', SURVEY_SWEEP_MS: '200' }, now: () => new Date(Date.now() + offset) });
  team = (await w.t.prisma.team.create({ data: { name: 'Care team' } })).id;
  await w.addInbox('Care', 'care@acme.test');
  await w.t.prisma.inbox.update({ where: { id: w.inboxes.Care! }, data: { teamId: team } });
});
afterAll(async () => {
  await w?.close();
});

describe('complaint recovery on a moving clock', () => {
  it('surveys after the hour, reopens a detractor, follows up on day three and never surveys twice in 30 days', async () => {
    const nina = await complaint('Nina Rossi <nina@customer.test>', 'Charged twice', 'You charged my card twice for one order. This is outrageous, I want my money back now!');
    await eventually(async () => mailsTo('nina@customer.test', /./)[0], 'the acknowledgement', 30_000);
    const ben = await complaint('Ben Okafor <ben@customer.test>', 'Broken kettle', 'The kettle you sent is broken and leaking. Terrible quality, I am very angry.');
    const cora = await complaint('Cora Lind <cora@customer.test>', 'Late parcel', 'My parcel is a week late and nobody tells me anything. Awful service.');
    await refundAndResolve(nina.id, 30);
    await refundAndResolve(ben.id, 15);
    expect((await api(`/conversations/${cora.id}/status`, { body: { status: 'resolved' } })).body.status).toBe('resolved');
    const remedy = await w.t.prisma.remedy.findFirstOrThrow({ where: { conversationId: nina.id } });
    expect(remedy).toMatchObject({ type: 'refund', amount: 30, currency: 'EUR', status: 'approved' });

    // Half an hour on: nothing yet.
    advance(30 * MINUTE);
    await sweeps();
    expect(mailsTo('nina@customer.test', SURVEY)).toHaveLength(0);
    // An hour on: the three surveys.
    advance(31 * MINUTE);
    const survey = await eventually(async () => mailsTo('nina@customer.test', SURVEY)[0], 'Nina\'s survey after the hour', 30_000);
    await eventually(async () => mailsTo('ben@customer.test', SURVEY)[0] && mailsTo('cora@customer.test', SURVEY)[0], 'Ben\'s and Cora\'s surveys', 30_000);

    // Nina clicks 2: back to her team at top priority, a detractor.
    const two = /2: (\S+)/.exec(survey.parsed.text ?? '')![1]!;
    const action = /action="([^"]+)"/.exec(await (await fetch(two)).text())![1]!;
    expect((await fetch(`${w.t.url}${action}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'rating=2' })).status).toBe(200);
    const reopened = await eventually(async () => {
      const v = (await api(`/conversations/${nina.id}`)).body.conversation;
      return v.status === 'open' && v.labels.some((l: { name: string }) => l.name === 'detractor') && v;
    }, 'Nina reopened as a detractor');
    expect(reopened.priority).toBe(100);
    expect(reopened.team?.id ?? (await w.t.prisma.conversation.findUniqueOrThrow({ where: { id: nina.id } })).teamId).toBe(team);

    // The next day Cora writes again; resolved, she is not surveyed (she was yesterday).
    advance(DAY);
    const again = await complaint('Cora Lind <cora@customer.test>', 'Late parcel again', 'Another parcel is late now. This is awful, really.');
    await api(`/conversations/${again.id}/status`, { body: { status: 'resolved' } });
    advance(61 * MINUTE);
    const suppressed = await eventually(() => w.t.prisma.survey.findFirst({ where: { conversationId: again.id, status: 'suppressed' } }), 'Cora\'s second survey suppressed', 30_000);
    expect(suppressed.suppressedReason).toBe('surveyed in the last 30 days');
    expect(mailsTo('cora@customer.test', SURVEY)).toHaveLength(1);

    // Day three after the resolves: Ben's follow-up; Nina's is not sent (reopened: her case is being handled).
    advance(2 * DAY);
    const followUp = await eventually(async () => mailsTo('ben@customer.test', FOLLOW_UP)[0], 'Ben\'s recovery follow-up on day three', 30_000);
    expect(followUp.parsed.text).toMatch(/Hi Ben/);
    await eventually(async () => (await w.t.prisma.conversation.findUniqueOrThrow({ where: { id: ben.id } })).complaintStage === 'followed_up' || null, 'Ben\'s case followed up');
    const ninas = await eventually(() => w.t.prisma.survey.findFirst({ where: { conversationId: nina.id, kind: 'follow_up', status: { not: 'scheduled' } } }), 'Nina\'s follow-up decided');
    expect(ninas).toMatchObject({ status: 'suppressed', suppressedReason: 'reopened before it was due' });
    expect(mailsTo('nina@customer.test', FOLLOW_UP)).toHaveLength(0);
  }, 180_000);
});
