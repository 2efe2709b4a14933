// Conversations of one person made one timeline, messages split off into a new conversation,
// and both undone, through the API: messages, labels and counters follow; each step shows in
// the activity; conversations of different people are refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app';
import { createAgent, createInbox } from './helpers/fixtures';
import { eventually, login, request } from './helpers/http';

let t: TestApp;
let admin: string;
const inboxes: Array<{ id: string; token: string }> = [];
const api = (path: string, init: { method?: string; body?: unknown } = {}, token = admin) => request(`${t.url}/api/v1${path}`, { token, ...init });

async function write(inbox: number, externalId: string, email: string, text: string): Promise<string> {
  const r = await request(`${t.url}/api/v1/inboxes/${inboxes[inbox]!.id}/messages`, { token: inboxes[inbox]!.token, body: { externalId, from: { email }, text } });
  const m = await eventually(() => t.prisma.message.findUnique({ where: { id: r.body.id } }), { what: `${externalId} stored` });
  return m.conversationId;
}
const texts = async (conversationId: string) => (await t.prisma.message.findMany({ where: { conversationId, direction: 'inbound' }, orderBy: { createdAt: 'asc' } })).map((m) => m.text);
const activity = async (conversationId: string) => (await t.prisma.message.findMany({ where: { conversationId, direction: 'activity' }, orderBy: { createdAt: 'asc' } })).map((m) => m.text);

beforeAll(async () => {
  t = await startTestApp();
  admin = await login(t.url, (await createAgent(t.prisma, { role: 'admin' })).email);
  for (const name of ['Shop', 'App']) {
    const made = await createInbox(t.prisma, { name });
    inboxes.push({ id: made.inbox.id, token: made.token });
  }
});
afterAll(async () => t?.close());

describe('merging and splitting conversations', () => {
  it('merges two conversations of one person into one timeline, and undoes it', async () => {
    const a = await write(0, 'm-1', 'lee@customer.test', 'My order is late.');
    const b = await write(1, 'm-2', 'lee@customer.test', 'Also the app shows no tracking.');
    expect(a).not.toBe(b);
    await api(`/conversations/${b}/labels`, { method: 'POST', body: { labels: ['tracking'] } });
    const reference = (await t.prisma.conversation.findUniqueOrThrow({ where: { id: b } })).reference;

    const merged = await api(`/conversations/${a}/merge`, { method: 'POST', body: { conversationId: b } });
    expect(merged.status).toBe(200);
    expect(merged.body).toMatchObject({ kind: 'merge', targetId: a, sourceId: b, moved: expect.any(Number) });
    expect(await texts(a)).toEqual(['My order is late.', 'Also the app shows no tracking.']);
    expect((await api(`/conversations/${b}`)).status).toBe(404);
    const view = (await api(`/conversations/${a}`)).body.conversation;
    expect(view.labels.map((l: { name: string }) => l.name)).toEqual(['tracking']);
    expect(await activity(a)).toContain(`Merged #${reference} into this conversation (${merged.body.moved} messages)`);

    const undone = await api(`/conversations/merges/${merged.body.id}/undo`, { method: 'POST' });
    expect(undone.status).toBe(200);
    expect(await texts(a)).toEqual(['My order is late.']);
    expect(await texts(b)).toEqual(['Also the app shows no tracking.']);
    expect((await api(`/conversations/${b}`)).body.conversation.labels.map((l: { name: string }) => l.name)).toEqual(['tracking']);
    expect((await api(`/conversations/${a}`)).body.conversation.labels).toEqual([]);
    expect((await t.prisma.conversation.findUniqueOrThrow({ where: { id: a } })).messageCount).toBe(1);
    expect(await activity(a)).toContain(`Undid the merge of #${reference}`);
    expect((await api(`/conversations/merges/${merged.body.id}/undo`, { method: 'POST' })).status).toBe(409);
  });

  it('splits messages off into a new conversation, and takes them back', async () => {
    const c = await write(0, 's-1', 'kim@customer.test', 'The invoice is wrong.');
    await write(0, 's-2', 'kim@customer.test', 'Different thing: can I change my address?');
    await write(0, 's-3', 'kim@customer.test', 'It is 12 Elm Street now.');
    const moving = (await t.prisma.message.findMany({ where: { conversationId: c, direction: 'inbound' }, orderBy: { createdAt: 'asc' } })).slice(1).map((m) => m.id);
    const split = await api(`/conversations/${c}/split`, { method: 'POST', body: { messageIds: moving } });
    expect(split.status).toBe(200);
    const created = split.body.sourceId as string;
    expect(await texts(c)).toEqual(['The invoice is wrong.']);
    expect(await texts(created)).toEqual(['Different thing: can I change my address?', 'It is 12 Elm Street now.']);
    const fresh = (await api(`/conversations/${created}`)).body.conversation;
    expect(fresh).toMatchObject({ status: 'open', contact: { id: (await t.prisma.conversation.findUniqueOrThrow({ where: { id: c } })).contactId } });
    expect(fresh.lastMessagePreview).toBe('It is 12 Elm Street now.');
    expect(await activity(c)).toContain(`Split 2 messages off into #${split.body.sourceReference}`);

    expect((await api(`/conversations/${c}/split`, { method: 'POST', body: { messageIds: [moving[0]] } })).status).toBe(400);
    const undone = await api(`/conversations/merges/${split.body.id}/undo`, { method: 'POST' });
    expect(undone.status).toBe(200);
    expect(await texts(c)).toEqual(['The invoice is wrong.', 'Different thing: can I change my address?', 'It is 12 Elm Street now.']);
    expect(await t.prisma.conversation.findUnique({ where: { id: created } })).toBeNull();
    expect((await t.prisma.conversation.findUniqueOrThrow({ where: { id: c } })).lastMessagePreview).toBe('It is 12 Elm Street now.');
  });

  it('refuses conversations of two people, and callers without the permission', async () => {
    const x = await write(0, 'p-1', 'one@customer.test', 'Hello from one.');
    const y = await write(0, 'p-2', 'two@customer.test', 'Hello from two.');
    const refused = await api(`/conversations/${x}/merge`, { method: 'POST', body: { conversationId: y } });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/different contacts: merge the contacts first/);
    const agent = await login(t.url, (await createAgent(t.prisma)).email);
    expect((await api(`/conversations/${x}/merge`, { method: 'POST', body: { conversationId: y } }, agent)).status).toBe(404);
  });
});
