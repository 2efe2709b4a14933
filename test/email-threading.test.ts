// The threading corpus (test/fixtures/email): real mails delivered into a real IMAP
// mailbox, read by the product over IMAP, each asserted to land in the right conversation
// with the right reason recorded.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from './helpers/http';
import { emailWorld, eventually, type EmailWorld } from './helpers/email-app';

const FIXTURES = path.resolve(import.meta.dirname, 'fixtures/email');
let w: EmailWorld;
let support: string;
let sales: string;
/** Conversation ids by the name the fixtures use. */
const conversations: Record<string, string> = {};
const ourIds: Record<string, string> = {};
const tokens: Record<string, string> = {};

function fixture(name: string): string {
  const file = fs.readdirSync(FIXTURES).find((f) => f.startsWith(name));
  if (!file) throw new Error(`no fixture ${name}`);
  return fs
    .readFileSync(path.join(FIXTURES, file), 'utf8')
    .replace(/\{\{DATE\}\}/g, new Date().toUTCString())
    .replace(/\{\{OUR_ID:(\w+)\}\}/g, (_, k: string) => ourIds[k] ?? `<unknown-${k}@x>`)
    .replace(/\{\{TOKEN:(\w+)\}\}/g, (_, k: string) => tokens[k] ?? 'none');
}

async function messageByExternalId(externalId: string) {
  return w.t.prisma.message.findFirst({ where: { externalId }, include: { conversation: true } });
}

async function deliver(name: string, user = 'support@acme.test') {
  await w.imap.deliver(user, fixture(name));
}

/** Delivers a fixture and waits for its message to be stored. */
async function land(name: string, externalId: string) {
  await deliver(name);
  return eventually(() => messageByExternalId(externalId), `${name} stored`);
}

/** An agent's reply, once sent over SMTP; remembers its Message-ID and the conversation's token. */
async function reply(key: string, conversationId: string, text: string) {
  const r = await request(`${w.t.url}/api/v1/conversations/${conversationId}/messages`, { token: w.admin, body: { text } });
  expect(r.status).toBe(201);
  const sent = await eventually(async () => {
    const m = await w.t.prisma.message.findUnique({ where: { id: r.body.id } });
    return m?.deliveryStatus === 'sent' ? m : null;
  }, `reply ${key} sent`);
  ourIds[key] = sent.externalId!;
  const mail = w.smtp.mails.find((m) => m.parsed.messageId === sent.externalId)!;
  tokens[key] = /\+([^@]+)@/.exec((mail.parsed.replyTo!.value[0]!.address)!)![1]!;
  return mail;
}

/** A mail an agent writes first, once sent over SMTP. */
async function writeFirst(email: string, subject: string, text: string) {
  const r = await request(`${w.t.url}/api/v1/conversations`, { token: w.admin, body: { inboxId: support, to: { email }, subject, text } });
  return eventually(async () => {
    const m = await w.t.prisma.message.findUnique({ where: { id: r.body.message.id } });
    return m?.deliveryStatus === 'sent' ? m : null;
  }, `mail to ${email} sent`);
}

beforeAll(async () => {
  w = await emailWorld({ users: ['support@acme.test', 'sales@acme.test'] });
  support = await w.addInbox('Support', 'support@acme.test');
  sales = await w.addInbox('Sales', 'sales@acme.test');
});
afterAll(async () => w?.close());

describe('email threading corpus', () => {
  it('01 a first mail opens a conversation', async () => {
    const m = await land('01', '<a1@mail.customer.test>');
    expect(m.threadReason).toBe('new');
    expect(m.conversation.inboxId).toBe(support);
    expect(m.conversation.subject).toBe('My order #4411 never arrived');
    conversations.alice = m.conversationId;
  });

  it('our reply carries Message-ID, In-Reply-To, References, a tokened Reply-To, the quote and the marker', async () => {
    const mail = await reply('alice', conversations.alice!, 'We are sorry about the delay. Your tracking number is ZX-1.');
    expect(mail.parsed.inReplyTo).toBe('<a1@mail.customer.test>');
    expect(mail.parsed.references).toContain('<a1@mail.customer.test>');
    expect(mail.parsed.subject).toBe('Re: My order #4411 never arrived');
    expect(mail.parsed.replyTo!.value[0]!.address).toMatch(/^support\+c[0-9a-z]+\.[0-9a-z_-]{10}@acme\.test$/);
    expect(mail.parsed.messageId).toMatch(/@acme\.test>$/);
    expect(mail.parsed.text).toContain('> Hello, I ordered a kettle');
    expect(mail.parsed.text).toContain(`ref:${tokens.alice}`);
    expect(mail.parsed.html).toContain('<blockquote');
    expect(mail.envelope.to).toEqual(['alice@customer.test']);
    // A person's reply, not an automatic one.
    expect(mail.parsed.headers.get('auto-submitted')).toBeUndefined();
  });

  it.each([
    ['02', '<a2@mail.customer.test>', 'in-reply-to'],
    ['03', '<a3@mobile.customer.test>', 'references'],
    ['04', '<a4@mail.customer.test>', 'references'],
    ['05', '<a5@work.test>', 'conversation-token'],
    ['06', '<a6@webmail.customer.test>', 'body-marker'],
    ['07', '<a7@mail.customer.test>', 'in-reply-to'],
  ])('%s (%s) joins the first conversation with reason %s', async (name, id, reason) => {
    const m = await land(name, id);
    expect(m.conversationId).toBe(conversations.alice);
    expect(m.threadReason).toBe(reason);
  });

  it('quoted history is trimmed from what the agent reads first', async () => {
    const m = (await messageByExternalId('<a2@mail.customer.test>'))!;
    expect(m.text).toBe('Thanks, but the tracking link you sent does not work.');
    expect((m.metadata as { email: { quotedTextTrimmed?: boolean } }).email.quotedTextTrimmed).toBe(true);
  });

  it('08 an outbound-first conversation: the customer answers our mail and joins it', async () => {
    const r = await request(`${w.t.url}/api/v1/conversations`, {
      token: w.admin,
      body: { inboxId: support, to: { email: 'carol@customer.test', name: 'Carol Diaz' }, subject: 'Your warranty claim', text: 'Hello Carol, we need the serial number of your kettle.' },
    });
    expect(r.status).toBe(201);
    conversations.carol = r.body.conversation.id;
    const mail = await reply('carol-first', conversations.carol!, 'Any photo of the damage helps too.');
    expect(mail.parsed.subject).toBe('Your warranty claim');
    ourIds.carol = ourIds['carol-first']!;
    const m = await land('08', '<c1@customer.test>');
    expect(m.conversationId).toBe(conversations.carol);
    expect(m.threadReason).toBe('in-reply-to');
  });

  it('09 another customer answering the same mail is not merged into that conversation', async () => {
    const m = await land('09', '<e1@customer.test>');
    expect(m.conversationId).not.toBe(conversations.carol);
    expect(m.threadReason).toBe('new');
  });

  it('10 a mail without a Message-ID gets a stable id: delivered twice, stored once', async () => {
    await deliver('10');
    await deliver('10');
    const stored = await eventually(async () => {
      const rows = await w.t.prisma.message.findMany({ where: { contact: { email: 'frank@customer.test' } } });
      return rows.length ? rows : null;
    }, 'frank stored');
    // Both copies were read (the second after the first); still one message.
    await eventually(async () => (await w.t.prisma.inboundReceipt.count({ where: { externalId: stored[0]!.externalId! } })) === 1, 'receipt');
    await new Promise((r) => setTimeout(r, 500));
    const all = await w.t.prisma.message.findMany({ where: { contact: { email: 'frank@customer.test' } } });
    expect(all).toHaveLength(1);
    expect(all[0]!.externalId).toMatch(/^<[0-9a-f]{32}@derived\.inbox\.invalid>$/);
  });

  it('11–12 a Message-ID reused by another sender with other content is a second message', async () => {
    const gina = await land('11', '<reused-1@cheap-mailer.test>');
    await deliver('12');
    const hank = await eventually(() => w.t.prisma.message.findFirst({ where: { contact: { email: 'hank@customer.test' } } }), 'hank stored');
    expect(hank.conversationId).not.toBe(gina.conversationId);
    expect(hank.externalId).toMatch(/^<reused-1@cheap-mailer\.test>#[0-9a-f]{16}$/);
    expect(hank.text).toContain('Harbour Street');
  });

  it('13 one mail sent to two of our inboxes is one conversation', async () => {
    await deliver('13', 'support@acme.test');
    await deliver('13', 'sales@acme.test');
    await eventually(async () => (await w.t.prisma.inboundReceipt.count({ where: { externalId: '<i1@customer.test>', status: 'processed' } })) === 2, 'both copies read');
    const messages = await w.t.prisma.message.findMany({ where: { externalId: '<i1@customer.test>' } });
    expect(messages).toHaveLength(1);
    const conversationsOfIvy = await w.t.prisma.conversation.findMany({ where: { contact: { email: 'ivy@customer.test' } } });
    expect(conversationsOfIvy).toHaveLength(1);
    expect([support, sales]).toContain(conversationsOfIvy[0]!.inboxId);
  });

  it('14 an auto-reply joins its thread, marked as sent by a machine', async () => {
    const m = await land('14', '<a-ooo@mail.customer.test>');
    expect(m.conversationId).toBe(conversations.alice);
    expect(m.threadReason).toBe('in-reply-to');
    expect(m.metadata).toMatchObject({ automated: true, email: { automatedReason: 'Auto-Submitted: auto-replied' } });
  });

  it('15 a bounce marks our mail failed and opens no conversation', async () => {
    const sent = await writeFirst('nobody@customer.test', 'About your order', 'Your order has shipped.');
    ourIds.nobody = sent.externalId!;
    const before = await w.t.prisma.conversation.count();
    await deliver('15');
    const failed = await eventually(async () => {
      const m = await w.t.prisma.message.findUnique({ where: { id: sent.id } });
      return m?.deliveryStatus === 'failed' ? m : null;
    }, 'bounce recorded');
    expect(failed.deliveryError).toContain('550 5.1.1');
    expect(failed.deliveryError).toContain('nobody@customer.test');
    expect(await w.t.prisma.conversation.count()).toBe(before);
    expect(await w.t.prisma.message.count({ where: { externalId: '<bounce-1@mx.acme.test>' } })).toBe(0);
  });

  it('16 a delay notice keeps our mail pending with a note; the delivery report then marks it delivered', async () => {
    const sent = await writeFirst('ann@customer.test', 'Your order', 'Your order is on its way.');
    // The clients corpus's reports (Postfix's wording), about this mail.
    const report = (file: string, about: string) =>
      fs.readFileSync(path.join(FIXTURES, 'clients', file), 'utf8').replace(`<${about}>`, sent.externalId!).replace(/\r?\n/g, '\r\n');
    await w.imap.deliver('support@acme.test', report('37-dsn-delayed.eml', 'reply-2@acme.test'));
    const delayed = await eventually(async () => {
      const m = await w.t.prisma.message.findUnique({ where: { id: sent.id } });
      return (m?.metadata as { deliveryNote?: string }).deliveryNote ? m : null;
    }, 'delay noted');
    expect(delayed.deliveryStatus).toBe('sent');
    expect((delayed.metadata as { deliveryNote: string }).deliveryNote).toMatch(/delayed.*ann@customer\.test.*4\.4\.1/);
    await w.imap.deliver('support@acme.test', report('38-dsn-delivered.eml', 'reply-3@acme.test'));
    const delivered = await eventually(async () => {
      const m = await w.t.prisma.message.findUnique({ where: { id: sent.id } });
      return m?.deliveryStatus === 'delivered' ? m : null;
    }, 'delivery recorded');
    expect(delivered.deliveryError).toBeNull();
    expect((delivered.metadata as { deliveryNote?: string }).deliveryNote).toBeUndefined();
  });
});
