// Consent per identity and purpose, over real mail: an acknowledgement carries an unsubscribe
// link (and RFC 8058's List-Unsubscribe headers); opening the link changes nothing, its button
// (or the mail client's one-click POST) unsubscribes the address from automatic messages. Then
// that customer gets no acknowledgement and no survey, while an agent's answer still goes;
// "do not contact" refuses the agent too, with the reason. The profile shows the history.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailWorld, eventually, type EmailWorld } from './helpers/email-app';
import { request } from './helpers/http';
import { rawMail } from './helpers/mails';

let w: EmailWorld;
const api = (path: string, init: { method?: string; body?: unknown } = {}) => request(`${w.t.url}/api/v1${path}`, { token: w.admin, ...init });
const mailsTo = (address: string) => w.smtp.mails.filter((m) => m.envelope.to.includes(address));
/** A header as sent, unfolded (mailparser turns List-* headers into objects). */
const header = (m: { parsed: { headerLines: ReadonlyArray<{ key: string; line: string }> } }, name: string) =>
  m.parsed.headerLines.find((h) => h.key === name)?.line.replace(/^[^:]+:\s*/, '').replace(/\r?\n[ \t]+/g, '');

beforeAll(async () => {
  w = await emailWorld({ users: ['help@acme.test'], env: { ROUTING_DEFAULTS: 'true' } });
  await w.addInbox('Help', 'help@acme.test');
});
afterAll(async () => w?.close());

async function writeIn(from: string, subject: string) {
  await w.imap.deliver('help@acme.test', rawMail({ from, subject, text: `${subject}: please help, my parcel has not arrived.` }));
  return eventually(() => w.t.prisma.conversation.findFirst({ where: { subject }, include: { contact: true } }), `"${subject}" stored`, 30_000);
}

describe('consent', () => {
  it('unsubscribes by the link in an acknowledgement, and then only support answers go', async () => {
    const first = await writeIn('Rita Moreno <rita@customer.test>', 'Where is my parcel');
    const ack = await eventually(async () => mailsTo('rita@customer.test')[0], 'the acknowledgement', 30_000);
    const link = /To stop automatic emails: (\S+)/.exec(ack.parsed.text ?? '')?.[1];
    expect(link).toMatch(/\/unsubscribe\//);
    expect(header(ack, 'list-unsubscribe')).toBe(`<${link}>`);
    expect(header(ack, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');

    // Opening the link (a mail scanner does) asks; it does not unsubscribe.
    const page = await fetch(link!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('rita@customer.test');
    const identity = () => w.t.prisma.contactIdentity.findUniqueOrThrow({ where: { kind_address: { kind: 'email', address: 'rita@customer.test' } } });
    expect((await identity()).unsubscribed).toEqual([]);
    // The mail client's one-click POST (RFC 8058).
    const done = await fetch(link!, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(done.status).toBe(200);
    expect((await identity()).unsubscribed).toEqual(['automatic']);
    // A forged link is refused.
    expect((await fetch(link!.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')), { method: 'POST' })).status).toBe(400);

    // Writing again: someone else is acknowledged, Rita is not.
    await writeIn('Rita Moreno <rita@customer.test>', 'Still no parcel');
    await writeIn('Sam Okafor <sam@customer.test>', 'Wrong size delivered');
    await eventually(async () => mailsTo('sam@customer.test')[0], 'the other customer\'s acknowledgement', 30_000);
    await new Promise((r) => setTimeout(r, 2_000));
    expect(mailsTo('rita@customer.test')).toHaveLength(1);

    // An agent's answer still goes.
    const reply = await api(`/conversations/${first.id}/messages`, { method: 'POST', body: { text: 'It left our warehouse today.' } });
    expect(reply.status).toBe(201);
    await eventually(async () => mailsTo('rita@customer.test').find((m) => m.parsed.text?.includes('left our warehouse')), 'the agent\'s answer', 30_000);
    expect(header(mailsTo('rita@customer.test').at(-1)!, 'list-unsubscribe')).toBeUndefined();
  });

  it('sends no survey to an address that refused surveys, and says why', async () => {
    const sam = await w.t.prisma.conversation.findFirstOrThrow({ where: { subject: 'Wrong size delivered' } });
    expect((await api(`/contacts/${sam.contactId}/consent`, { method: 'PUT', body: { kind: 'email', address: 'Sam@Customer.test', purpose: 'surveys', granted: false } })).body).toEqual({ changed: true });
    const survey = await w.t.app.services.replies.automatic(sam.id, { text: 'How did we do? Rate us 1-5.', reason: 'survey', metadata: { purpose: 'surveys' } });
    const refused = await eventually(async () => {
      const m = await w.t.prisma.message.findUniqueOrThrow({ where: { id: survey.id } });
      return m.deliveryStatus === 'failed' && m;
    }, 'the survey refused', 30_000);
    expect(refused.deliveryError).toBe('Not sent: sam@customer.test unsubscribed from surveys');
    // An automatic message of another purpose still goes, with its own link.
    await w.t.app.services.replies.automatic(sam.id, { text: 'Your replacement is on its way.', reason: 'rule' });
    const update = await eventually(async () => mailsTo('sam@customer.test').find((m) => m.parsed.text?.includes('replacement')), 'the automatic update', 30_000);
    expect(header(update, 'list-unsubscribe')).toMatch(/unsubscribe/);
  });

  it('refuses an agent\'s answer while "do not contact" is on, and keeps the history', async () => {
    const rita = await w.t.prisma.conversation.findFirstOrThrow({ where: { subject: 'Where is my parcel' } });
    expect((await api(`/contacts/${rita.contactId}`, { method: 'PATCH', body: { doNotContact: true } })).status).toBe(200);
    const refused = await api(`/conversations/${rita.id}/messages`, { method: 'POST', body: { text: 'One more thing.' } });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'do_not_contact', message: expect.stringContaining('asked not to be contacted') });
    const history = (await api(`/contacts/${rita.contactId}/consent`)).body.data;
    expect(history.map((h: { purpose: string; granted: boolean; source: string }) => `${h.purpose}:${h.granted}:${h.source}`)).toEqual(['all:false:agent', 'automatic:false:unsubscribe_link']);
  });
});
