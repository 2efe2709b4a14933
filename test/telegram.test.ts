// Telegram as an inbox, against a stand-in of the Bot API (grammY's real client pointed at it):
// updates with the webhook's secret token are stored (three deliveries of one, once), forged
// ones refused with 403 and nothing stored; /start gets the inbox's greeting; a chat both ways;
// an edit followed; a photo kept in the attachment store and downloadable; the connection test
// checks the token and where Telegram sends updates.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app';
import { startFakeTelegram, type FakeTelegram } from './helpers/fake-telegram';
import { createAgent } from './helpers/fixtures';
import { eventually, login, request } from './helpers/http';

const TOKEN = '123456:telegram-test-token';
const SECRET = 'tg-webhook-secret_1';
let t: TestApp;
let tg: FakeTelegram;
let admin: string;
let inboxId: string;
let n = 100;
const api = (p: string, init: { method?: string; body?: unknown } = {}) => request(`${t.url}/api/v1${p}`, { token: admin, ...init });
const update = (m: Record<string, unknown>, edited = false) => ({ update_id: ++n, [edited ? 'edited_message' : 'message']: { date: Math.floor(Date.now() / 1000), chat: { id: 4242, type: 'private', first_name: 'Olga' }, from: { id: 4242, is_bot: false, first_name: 'Olga', last_name: 'Petrova', username: 'olga_p', language_code: 'en' }, ...m } });
const post = (body: unknown, secret: string | null = SECRET) =>
  fetch(`${t.url}/webhooks/telegram/${inboxId}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(secret ? { 'x-telegram-bot-api-secret-token': secret } : {}) }, body: JSON.stringify(body) });
const stored = (messageId: number) => eventually(() => t.prisma.message.findFirst({ where: { inboxId, externalId: `tg:4242:${messageId}` } }), { what: `message ${messageId} stored` });

beforeAll(async () => {
  tg = await startFakeTelegram({ token: TOKEN, username: 'acme_support_bot' });
  process.env.TEST_TG_TOKEN = TOKEN;
  process.env.TEST_TG_SECRET = SECRET;
  t = await startTestApp({ env: { TELEGRAM_API_URL: tg.apiUrl, ROUTING_DEFAULTS: 'false' } });
  admin = await login(t.url, (await createAgent(t.prisma, { role: 'admin', name: 'Ada Admin' })).email);
  const r = await api('/inboxes', {
    body: { kind: 'telegram', name: 'Acme on Telegram', config: { botUsername: '@acme_support_bot', greeting: 'Hi from Acme! Ask us anything.' }, secretRefs: { botToken: 'env:TEST_TG_TOKEN', webhookSecret: 'env:TEST_TG_SECRET' } },
  });
  expect(r.status).toBe(201);
  inboxId = r.body.id;
  expect(r.body.webhookUrl).toBe(`${t.url}/webhooks/telegram/${inboxId}`);
});
afterAll(async () => {
  await t?.close();
  await tg?.stop();
});

describe('Telegram channel', () => {
  it('refuses a forged update with 403 and stores nothing; stores a real one once however often it comes', async () => {
    expect((await post(update({ message_id: 1, text: 'forged' }), 'wrong')).status).toBe(403);
    expect((await post(update({ message_id: 1, text: 'forged' }), null)).status).toBe(403);
    const real = update({ message_id: 2, text: 'Hi, my order 77 never arrived' });
    for (let i = 0; i < 3; i++) expect((await post(real)).status).toBe(200);
    const m = await stored(2);
    await new Promise((r) => setTimeout(r, 500));
    expect(await t.prisma.message.count({ where: { inboxId } })).toBe(1);
    const c = await t.prisma.conversation.findUniqueOrThrow({ where: { id: m.conversationId }, include: { contact: { include: { identities: true } } } });
    expect(c.threadKey).toBe('chat:4242');
    expect(c.contact.name).toBe('Olga Petrova');
    expect(c.contact.identities).toEqual([expect.objectContaining({ kind: 'telegram', address: '4242' })]);
  });

  it('greets /start from the inbox\'s settings without opening a conversation', async () => {
    expect((await post(update({ message_id: 3, text: '/start' }))).status).toBe(200);
    expect(tg.calls.find((c) => c.method === 'sendMessage' && c.params.text === 'Hi from Acme! Ask us anything.')?.params.chat_id).toBe(4242);
    expect(await t.prisma.message.findFirst({ where: { externalId: 'tg:4242:3' } })).toBeNull();
  });

  it('chats both ways and follows an edit', async () => {
    const first = await stored(2);
    const reply = await api(`/conversations/${first.conversationId}/messages`, { body: { text: 'Sorry Olga, resending it today.' } });
    const sent = await eventually(async () => tg.calls.find((c) => c.method === 'sendMessage' && c.params.text === 'Sorry Olga, resending it today.'), { what: 'the reply sent' });
    expect(sent.params.chat_id).toBe('4242');
    const delivered = await eventually(async () => {
      const m = await t.prisma.message.findUnique({ where: { id: reply.body.id } });
      return m?.deliveryStatus === 'sent' ? m : null;
    }, { what: 'the reply marked sent' });
    expect(delivered.externalId).toMatch(/^tg:4242:\d+$/);
    // Olga answers in the same chat, then corrects her words.
    await post(update({ message_id: 4, text: 'Thanks! Same adress as before' }));
    const answer = await stored(4);
    expect(answer.conversationId).toBe(first.conversationId);
    await post(update({ message_id: 4, text: 'Thanks! Same address as before', edit_date: Math.floor(Date.now() / 1000) }, true));
    await eventually(async () => (await t.prisma.message.findUniqueOrThrow({ where: { id: answer.id } })).text === 'Thanks! Same address as before' || null, { what: 'the edit followed' });
  });

  it('keeps a photo in the attachment store, downloadable by agents', async () => {
    const bytes = Buffer.from('\xff\xd8\xff\xe0 a small jpeg of a broken box', 'latin1');
    tg.files.set('PHOTO-BIG', { path: 'photos/file_7.jpg', bytes });
    await post(update({ message_id: 5, caption: 'The box arrived like this', photo: [{ file_id: 'PHOTO-SMALL', file_unique_id: 's', width: 90, height: 90 }, { file_id: 'PHOTO-BIG', file_unique_id: 'b', width: 1280, height: 1280, file_size: bytes.length }] }));
    const m = await stored(5);
    expect(m.text).toBe('The box arrived like this');
    const [attachment] = await t.prisma.attachment.findMany({ where: { messageId: m.id } });
    expect(attachment).toMatchObject({ fileName: 'photo-5.jpg', contentType: 'image/jpeg', size: bytes.length });
    expect(attachment!.url).toBeNull();
    const download = await fetch(`${t.url}/api/v1/attachments/${attachment!.id}`, { headers: { authorization: `Bearer ${admin}` } });
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
    // The file's URL (with the bot token in it) is stored nowhere.
    expect(JSON.stringify(await t.prisma.message.findUniqueOrThrow({ where: { id: m.id } }))).not.toContain(TOKEN);
  });

  it('tests the connection: the token, and where Telegram sends updates', async () => {
    let r = await api(`/inboxes/${inboxId}/test-connection`, { method: 'POST' });
    expect(r.body.checks).toEqual([expect.objectContaining({ name: 'bot', ok: true }), expect.objectContaining({ name: 'webhook', ok: false, message: expect.stringMatching(/setWebhook/) })]);
    tg.webhookUrl = `${t.url}/webhooks/telegram/${inboxId}`;
    r = await api(`/inboxes/${inboxId}/test-connection`, { method: 'POST' });
    expect(r.body.ok).toBe(true);
    process.env.TEST_TG_TOKEN = '999:revoked';
    r = await api(`/inboxes/${inboxId}/test-connection`, { method: 'POST' });
    process.env.TEST_TG_TOKEN = TOKEN;
    expect(r.body.checks[0].message).toMatch(/refused the bot token/);
  });
});
