// Suggested replies and the hand-over summary, on conversations written for the test
// (test/fixtures/support-conversations.ts): sixty solved through the product (a customer's
// message, an agent's answer, resolved; one rated 5), then new questions worded apart get the
// right answer among three suggestions, each saying why and filled in for the new customer,
// the help article beside it; ignoring an answer lowers it, using it raises it; and all of it
// with every connection beyond loopback refused (nothing leaves the server).
import dns from 'node:dns';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app';
import { createAgent, createInbox } from './helpers/fixtures';
import { eventually, login, request } from './helpers/http';
import { SUPPORT_INTENTS } from './fixtures/support-conversations';
import { summarise } from '../src/inbox/suggestions/summary';

let t: TestApp;
let admin: string;
let inbox: { id: string; token: string };
const api = (p: string, init: { method?: string; body?: unknown } = {}) => request(`${t.url}/api/v1${p}`, { token: admin, ...init });
const NAMES = ['Ann Lee', 'Ben Ortiz', 'Carla Diaz', 'Dev Patel', 'Eva Novak', 'Farid Haddad', 'Greta Berg', 'Hugo Silva', 'Ines Costa', 'Jonas Weber'];
let n = 0;

/** A customer's message through the API channel; answers the conversation it landed in. */
async function ask(text: string, name: string): Promise<string> {
  const id = `q-${++n}`;
  const r = await request(`${t.url}/api/v1/inboxes/${inbox.id}/messages`, { token: inbox.token, body: { externalId: id, from: { name, email: `c${n}@customer.test` }, text } });
  expect(r.status).toBe(202);
  return (await eventually(() => t.prisma.message.findFirst({ where: { externalId: id } }), { what: `${id} stored` })).conversationId;
}

/** Every connection this process opens beyond loopback is refused and counted while `fn` runs. */
async function offline<T>(fn: () => Promise<T>): Promise<{ value: T; attempts: string[] }> {
  const attempts: string[] = [];
  const connect = net.Socket.prototype.connect;
  const lookup = dns.lookup;
  const loopback = (host: unknown) => host === undefined || host === 'localhost' || (typeof host === 'string' && /^(127\.|::1$|::ffff:127\.)/.test(host));
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    const o = args[0] as { host?: string; path?: string } | number | string;
    const host = typeof o === 'object' && o ? (o.path ? 'localhost' : o.host) : typeof args[1] === 'string' ? args[1] : undefined;
    if (!loopback(host)) {
      attempts.push(String(host));
      throw new Error(`no network here (${String(host)})`);
    }
    return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof connect;
  (dns as { lookup: unknown }).lookup = ((host: string, ...rest: unknown[]) => {
    if (!loopback(host)) attempts.push(host);
    return (lookup as (...a: unknown[]) => unknown)(host, ...rest);
  }) as typeof dns.lookup;
  try {
    return { value: await fn(), attempts };
  } finally {
    net.Socket.prototype.connect = connect;
    (dns as { lookup: unknown }).lookup = lookup;
  }
}

beforeAll(async () => {
  t = await startTestApp({ env: { ROUTING_DEFAULTS: 'false', SUGGESTION_REFRESH_MS: '0' } });
  const ada = await createAgent(t.prisma, { role: 'admin', name: 'Ada Admin' });
  admin = await login(t.url, ada.email);
  inbox = await createInbox(t.prisma, { name: 'Support', memberIds: [ada.id] }).then((x) => ({ id: x.inbox.id, token: x.token }));
  // Sixty solved conversations, answered the way the team answers each kind of question.
  for (const [intent, x] of Object.entries(SUPPORT_INTENTS)) {
    await Promise.all(x.solved.map(async (text, i) => {
      const name = NAMES[i % NAMES.length]!;
      const id = await ask(text, name);
      expect((await api(`/conversations/${id}/messages`, { body: { text: x.answer.replaceAll('{name}', name.split(' ')[0]!) } })).status).toBe(201);
      await api(`/conversations/${id}/status`, { body: { status: 'resolved' } });
      if (intent === 'password' && i === 0) {
        const c = await t.prisma.conversation.findUniqueOrThrow({ where: { id } });
        await t.prisma.survey.create({ data: { conversationId: id, kind: 'satisfaction', status: 'answered', dueAt: new Date(), rating: 5, answeredAt: new Date(), contactId: c.contactId, channel: 'api' } });
      }
    }));
  }
  await api('/knowledge/articles', { body: { title: 'Reset your password', body: 'Choose **Forgot password** on the login page and follow the link we email you.', status: 'published', tags: ['password', 'login'] } });
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('suggested replies', () => {
  it('offers the right answer among three for questions worded apart, each saying why, filled in for the customer, with nothing sent beyond loopback', async () => {
    const asked: Array<{ intent: string; conversationId: string }> = [];
    for (const [intent, x] of Object.entries(SUPPORT_INTENTS)) for (const text of x.asked) asked.push({ intent, conversationId: await ask(text, 'Zoe Quinn') });
    const { value: results, attempts } = await offline(() => Promise.all(asked.map(async (a) => ({ ...a, got: (await api(`/conversations/${a.conversationId}/suggestions`)).body.data as Array<{ kind: string; key: string; text: string; reason: string; source: Record<string, unknown> }> }))));
    expect(attempts).toEqual([]);
    let top1 = 0;
    for (const r of results) {
      const want = SUPPORT_INTENTS[r.intent]!.answer.replaceAll('{name}', 'Zoe');
      const answers = r.got.filter((g) => g.kind === 'answer');
      expect(r.got.length).toBeLessThanOrEqual(3);
      expect(r.got.map((g) => g.text), `${r.intent}: ${JSON.stringify(r.got.map((g) => g.reason))}`).toContain(want);
      if (answers[0]?.text === want) top1++;
      for (const a of answers) expect(a.reason).toMatch(/^like #\d+, resolved(, rated \d)?( · sent to \d+ customers)?$/);
    }
    console.log(`[suggestions] ${results.length} questions: right answer in the top 3 for all, first for ${top1}`);
    expect(top1).toBeGreaterThanOrEqual(results.length - 2);
    // The password question: the answer (from a conversation rated 5 among others) and the article.
    const password = results.find((r) => r.intent === 'password')!;
    expect(password.got.some((g) => g.kind === 'article' && g.reason === 'help article "Reset your password"' && String(g.source.url).includes('/help/'))).toBe(true);
    expect(password.got.find((g) => g.kind === 'answer')!.reason).toMatch(/sent to 10 customers/);
  });

  it('ranks an answer agents ignore lower, and one they use higher', async () => {
    const id = await ask('I forgot my password and need a refund', 'Yuri Tam');
    const first = (await api(`/conversations/${id}/suggestions`)).body.data as Array<{ key: string; kind: string; score: number }>;
    const [a, b] = first.filter((x) => x.kind === 'answer');
    for (let i = 0; i < 5; i++) {
      expect((await api(`/conversations/${id}/suggestions/feedback`, { body: { key: a!.key, kind: 'answer', action: 'ignored' } })).status).toBe(204);
      await api(`/conversations/${id}/suggestions/feedback`, { body: { key: b!.key, kind: 'answer', action: 'used' } });
    }
    const after = (await api(`/conversations/${id}/suggestions`)).body.data as Array<{ key: string; score: number }>;
    expect(after.find((x) => x.key === a!.key)!.score).toBeLessThan(a!.score);
    expect(after.find((x) => x.key === b!.key)!.score).toBeGreaterThan(b!.score);
    expect(after.findIndex((x) => x.key === b!.key)).toBeLessThan(after.findIndex((x) => x.key === a!.key));
    expect(await t.prisma.suggestionEvent.count({ where: { conversationId: id, action: 'shown' } })).toBeGreaterThan(0);
    // Each agent's use of suggestions, in the report.
    const [ada] = (await api('/reports/knowledge')).body.suggestions;
    expect(ada).toMatchObject({ name: 'Ada Admin', used: 5, edited: 0, ignored: 5 });
    expect(ada.shown).toBeGreaterThanOrEqual(18);
  });
});

describe('hand-over summary', () => {
  it('gives the customer\'s key sentences, the last promise and what is open, each linked to its message', async () => {
    const id = await ask('Hi there. My order 5512 arrived broken and the box was wet. I need a replacement before Friday, it is a gift.', 'Mona Reyes');
    const reply = await api(`/conversations/${id}/messages`, { body: { text: 'So sorry, Mona! I will send a replacement tomorrow and email you the tracking number.' } });
    await new Promise((r) => setTimeout(r, 20));
    const r2 = await request(`${t.url}/api/v1/inboxes/${inbox.id}/messages`, { token: inbox.token, body: { externalId: 'q-follow', from: { name: 'Mona Reyes', email: `c${n}@customer.test` }, text: 'Thanks. Will I also get a refund for the shipping?' } });
    expect(r2.status).toBe(202);
    const follow = await eventually(() => t.prisma.message.findFirst({ where: { externalId: 'q-follow' } }), { what: 'the follow-up' });
    const { value, attempts } = await offline(async () => (await api(`/conversations/${follow.conversationId}/summary`)).body.data as Array<{ label: string; text: string; messageId: string }>);
    expect(attempts).toEqual([]);
    const [customer, promise, open] = value;
    expect(customer).toMatchObject({ label: 'customer', text: expect.stringContaining('My order 5512 arrived broken') });
    expect(customer!.text).toContain('I need a replacement before Friday');
    expect(promise).toEqual({ label: 'promise', text: 'I will send a replacement tomorrow and email you the tracking number.', messageId: reply.body.id });
    expect(open).toEqual({ label: 'open', text: 'Unanswered: Will I also get a refund for the shipping?', messageId: follow.id });
  });
});

describe('hand-over summary, pure', () => {
  it('counts an automatic acknowledgement as no answer: the customer\'s question stays open', () => {
    const at = (m: number) => new Date(Date.UTC(2026, 11, 4, 10, m));
    const lines = summarise([
      { id: 'a', direction: 'inbound', text: 'My parcel 4471 is late. Where is it?', sentAt: at(0), senderType: 'contact' },
      { id: 'b', direction: 'outbound', text: 'We have your message and will answer within the hour.', sentAt: at(1), senderType: 'system' },
    ], { resolved: false });
    expect(lines[2]).toEqual({ label: 'open', text: 'Unanswered: Where is it?', messageId: 'a' });
    expect(lines[1]).toEqual({ label: 'promise', text: 'No promise made yet.', messageId: null });
  });
});
