// X (Twitter): the real twitter-api-v2 client against a local server that answers like X's
// API v2. Mentions with since_id and pages across restarts, a 429 waited out, replies in the
// public thread and in DMs, the community manager's ranking, and the public → private bridge.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app';
import { createAgent } from './helpers/fixtures';
import { login, request } from './helpers/http';
import { eventually } from './helpers/email-app';
import { startFakeX, type FakeX } from './helpers/fake-x';
import { BRAND_ID, createXInbox } from './helpers/x-inbox';

let t: TestApp;
let x: FakeX;
let admin: string;
let inboxId: string;
let id = 1_800_000_000_000_000_000n;
const nextId = () => String((id += 1n));
const url = (p: string) => `${t.url}/api/v1${p}`;
const mentionCalls = () => x.calls.filter((c) => c.path === `/2/users/${BRAND_ID}/mentions`);
const stored = (externalId: string) => eventually(() => t.prisma.message.findFirst({ where: { externalId } }), `${externalId} stored`);

beforeAll(async () => {
  x = await startFakeX({ brandId: BRAND_ID, brandHandle: 'acme' });
  x.users.set('11', { id: '11', username: 'CarlaFlies', name: 'Carla', followers: 120_000 });
  x.users.set('12', { id: '12', username: 'sam_small', name: 'Sam', followers: 12 });
  for (let i = 0; i < 150; i++) x.mentions.push({ id: nextId(), text: `@acme question ${i} about my booking`, author_id: i % 2 ? '11' : '12' });
  t = await startTestApp({ env: { TWITTER_API_URL: x.apiUrl, CHANNEL_RESCAN_MS: '200', SURVEY_DELAY_MINUTES: '0.01', SURVEY_SWEEP_MS: '200' } });
  const ada = await createAgent(t.prisma, { role: 'admin', name: 'Ada Admin' });
  admin = await login(t.url, ada.email);
  inboxId = await createXInbox(t, admin, x);
});
afterAll(async () => {
  await t?.close();
  await x?.stop();
});

describe('X mentions and DMs', () => {
  it('reads every page of mentions, then only newer ones with since_id, across a restart: none twice, none missed', async () => {
    await eventually(async () => (await t.prisma.message.count({ where: { inboxId } })) === 150, '150 mentions stored');
    const firstPoll = mentionCalls().slice(0, 2);
    expect(firstPoll[0]!.query.since_id).toBeUndefined();
    expect(firstPoll[1]!.query.pagination_token).toBe('100');
    const newest = x.mentions.at(-1)!.id;
    await eventually(async () => mentionCalls().some((c) => c.query.since_id === newest), 'polls with since_id');

    // The worker restarts (the reader with it); meanwhile three new mentions.
    await t.app.worker!.channels.stop();
    for (let i = 0; i < 3; i++) x.mentions.push({ id: nextId(), text: `@acme late question ${i}`, author_id: '12' });
    const restartedAt = x.calls.length;
    await request(url(`/inboxes/${inboxId}`), { method: 'PATCH', token: admin, body: { name: 'Acme on X' } });
    t.app.worker!.channels.start();
    await eventually(async () => (await t.prisma.message.count({ where: { inboxId } })) === 153, '153 stored');
    expect(x.calls.slice(restartedAt).find((c) => c.path.endsWith('/mentions'))!.query.since_id).toBe(newest);
    const ids = await t.prisma.message.findMany({ where: { inboxId }, select: { externalId: true } });
    expect(new Set(ids.map((m) => m.externalId)).size).toBe(153);
    // Mentions are their own conversation type, with reach.
    const one = (await stored(`tweet:${x.mentions[1]!.id}`))!;
    const c = await t.prisma.conversation.findUniqueOrThrow({ where: { id: one.conversationId } });
    expect(c.type).toBe('mention');
    expect(one.metadata).toMatchObject({ twitter: { username: 'CarlaFlies', reach: { followers: 120_000 } } });
  });

  it('waits for the reset a 429 reports before asking again', async () => {
    const reset = Math.ceil(Date.now() / 1000) + 3;
    x.rateLimitNext(reset);
    const limitedAt = mentionCalls().length;
    x.mentions.push({ id: nextId(), text: '@acme are you there?', author_id: '12' });
    await stored(`tweet:${x.mentions.at(-1)!.id}`);
    const after = mentionCalls().slice(limitedAt);
    // The first call got the 429; the next came only after the reset.
    expect(after.length).toBeGreaterThanOrEqual(2);
    expect(after[1]!.at).toBeGreaterThanOrEqual(reset * 1000);
  });

  it('replies to a mention in its public thread, and to a DM by DM: two conversation types', async () => {
    const mention = x.mentions[1]!;
    const m = (await stored(`tweet:${mention.id}`))!;
    const r = await request(url(`/conversations/${m.conversationId}/messages`), { token: admin, body: { text: '@CarlaFlies sorry about that, we are on it.' } });
    const post = await eventually(async () => x.calls.find((c) => c.path === '/2/tweets'), 'reply posted');
    expect(post.body).toMatchObject({ text: '@CarlaFlies sorry about that, we are on it.', reply: { in_reply_to_tweet_id: mention.id } });
    await eventually(async () => (await t.prisma.message.findUnique({ where: { id: r.body.id } }))?.externalId?.startsWith('tweet:'), 'reply recorded');

    x.dms.push({ id: nextId(), text: 'Hi, my booking ref is XK22Q', sender_id: '11', dm_conversation_id: `${BRAND_ID}-11` });
    const dm = await stored(`dm:${x.dms.at(-1)!.id}`);
    const dmConversation = await t.prisma.conversation.findUniqueOrThrow({ where: { id: dm.conversationId } });
    expect(dmConversation).toMatchObject({ type: 'direct', threadKey: `dm:${BRAND_ID}-11` });
    expect(dmConversation.contactId).toBe((await t.prisma.conversation.findUniqueOrThrow({ where: { id: m.conversationId } })).contactId);
    await request(url(`/conversations/${dm.conversationId}/messages`), { token: admin, body: { text: 'Thanks Carla, rebooked you on the 9:40.' } });
    const sent = await eventually(async () => x.calls.find((c) => c.path === `/2/dm_conversations/${BRAND_ID}-11/messages`), 'DM sent');
    expect(sent.body).toEqual({ text: 'Thanks Carla, rebooked you on the 9:40.' });
  });

  it('asks a DM customer for a rating after a resolve, and reads their reply of 5 without reopening', async () => {
    x.dms.push({ id: nextId(), text: 'Can I bring my bike on the flight?', sender_id: '12', dm_conversation_id: `${BRAND_ID}-12` });
    const dm = await stored(`dm:${x.dms.at(-1)!.id}`);
    await request(url(`/conversations/${dm.conversationId}/status`), { token: admin, body: { status: 'resolved' } });
    const asked = await eventually(async () => x.calls.find((c) => c.path === `/2/dm_conversations/${BRAND_ID}-12/messages` && /Reply with a number from 1/.test(c.body?.text ?? '')), 'the survey DM', 30_000);
    expect(asked.body.text).toMatch(/How did we do/);
    x.dms.push({ id: nextId(), text: '5', sender_id: '12', dm_conversation_id: `${BRAND_ID}-12` });
    await stored(`dm:${x.dms.at(-1)!.id}`);
    const survey = await eventually(async () => {
      const s = await t.prisma.survey.findFirst({ where: { conversationId: dm.conversationId, kind: 'satisfaction' } });
      return s?.rating ? s : null;
    }, 'the rating read from the reply');
    expect(survey).toMatchObject({ rating: 5, status: 'answered', channel: 'twitter' });
    expect((await t.prisma.conversation.findUniqueOrThrow({ where: { id: dm.conversationId } })).status).toBe('resolved');
  });

  it('lists mentions for the community manager, riskiest first, with reach', async () => {
    x.mentions.push({ id: nextId(), text: '@acme worst airline ever. Lost my bag AGAIN and nobody answers. I want a refund now, I am furious and telling everyone', author_id: '11', retweets: 40 });
    x.mentions.push({ id: nextId(), text: '@acme thanks for the smooth flight today!', author_id: '12' });
    await stored(`tweet:${x.mentions.at(-1)!.id}`);
    await stored(`tweet:${x.mentions.at(-2)!.id}`);
    const r = await request(url('/mentions?limit=200'), { token: admin });
    expect(r.status).toBe(200);
    const angry = r.body.data.findIndex((m: { lastMessagePreview: string }) => m.lastMessagePreview.startsWith('@acme worst airline'));
    const happy = r.body.data.findIndex((m: { lastMessagePreview: string }) => m.lastMessagePreview.startsWith('@acme thanks for the smooth'));
    expect(angry).toBeGreaterThanOrEqual(0);
    expect(angry).toBeLessThan(happy);
    expect(r.body.data[angry]).toMatchObject({ sentiment: 'negative', reach: { followers: 120_000, retweets: 40 } });
    expect(r.body.data[angry].url).toMatch(/^https:\/\/x\.com\/CarlaFlies\/status\/\d+$/);
    // Risk never increases down the list.
    const risks = r.body.data.map((m: { escalationRisk: number | null }) => m.escalationRisk ?? -1);
    expect(risks).toEqual([...risks].sort((a: number, b: number) => b - a));
  });

  it('stops reading at the monthly cap', async () => {
    await t.prisma.channelCursor.update({ where: { inboxId_key: { inboxId, key: 'x:usage' } }, data: { value: { month: new Date().toISOString().slice(0, 7), reads: 10_000 } } });
    await new Promise((r) => setTimeout(r, 1_500)); // a poll that would have read
    const before = mentionCalls().length;
    await new Promise((r) => setTimeout(r, 2_500));
    expect(mentionCalls().length).toBe(before);
  });
});
