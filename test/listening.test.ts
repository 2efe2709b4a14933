// Listening on X beyond @mentions, against a stand-in speaking X's documented recent-search
// wire format: the topic's query is sent exactly as written, 300 posts over three polls are
// stored once each, the next poll and a restart continue from since_id, a 429 waits for its
// reset, the read cap stops reading. Posts that do not @-mention the brand stay out of the
// agents' queue unless the topic's promotion rule fires (negative complaint, enough
// followers) or an agent promotes one; the stream shows them with mentions, and bulk dismiss.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app';
import { startFakeX, type FakeX } from './helpers/fake-x';
import { createAgent } from './helpers/fixtures';
import { eventually, login, request } from './helpers/http';
import { BRAND_ID, createXInbox } from './helpers/x-inbox';

const QUERY = '("acme bank" OR acmebank OR #acmefail) -is:retweet lang:en';
let t: TestApp;
let x: FakeX;
let admin: string;
let inboxId: string;
let topicId: string;
let id = 1_700_000_000_000_000_000n;
const nextId = () => String((id += 1n));
const api = (p: string, init: { method?: string; body?: unknown } = {}) => request(`${t.url}/api/v1${p}`, { token: admin, ...init });
const searches = () => x.calls.filter((c) => c.path === '/2/tweets/search/recent');
const posts = () => x.search.get(QUERY)!;
const stored = () => t.prisma.listenedPost.count({ where: { topicId } });

/** 105 new posts (two pages): calm questions by small accounts, 5 of which @-mention the brand (the mentions timeline brings those). */
function batch(n: number) {
  for (let i = 0; i < 105; i++) {
    const k = n * 105 + i;
    const mentions = i % 21 === 20;
    posts().push({ id: nextId(), text: `${mentions ? '@acme ' : ''}does acme bank open on saturdays? (${k})`, author_id: String(100 + (k % 7)), mentions: mentions ? ['acme'] : undefined });
  }
}

beforeAll(async () => {
  x = await startFakeX({ brandId: BRAND_ID, brandHandle: 'acme' });
  for (let i = 0; i < 7; i++) x.users.set(String(100 + i), { id: String(100 + i), username: `saver${i}`, name: `Saver ${i}`, followers: 50 + i });
  x.users.set('900', { id: '900', username: 'FinanceInsider', name: 'Finance Insider', followers: 250_000 });
  x.users.set('901', { id: '901', username: 'quiet_kim', name: 'Kim', followers: 40 });
  x.search.set(QUERY, []);
  t = await startTestApp({ env: { TWITTER_API_URL: x.apiUrl, CHANNEL_RESCAN_MS: '200' } });
  admin = await login(t.url, (await createAgent(t.prisma, { role: 'admin', name: 'Ada Admin' })).email);
  inboxId = await createXInbox(t, admin, x, { pollSeconds: 1 });
});
afterAll(async () => {
  await t?.close();
  await x?.stop();
});

describe('listening topics on X', () => {
  it('sends the query as written, stores 300 posts over three polls once each, and resumes from since_id after a restart', async () => {
    const created = await api('/community/topics', { body: { inboxId, name: 'Acme Bank', query: QUERY, promoteMinFollowers: 10_000 } });
    expect(created.status).toBe(201);
    topicId = created.body.id;
    expect((await api('/community/topics', { body: { inboxId, name: 'Acme Bank', query: 'x' } })).status).toBe(409);
    const notX = (await api('/inboxes', { body: { kind: 'api', name: 'Not X' } })).body.id;
    expect((await api('/community/topics', { body: { inboxId: notX, name: 'Wrong', query: 'acme' } })).status).toBe(400);

    for (let n = 0; n < 3; n++) {
      const before = searches().length;
      batch(n);
      // Each poll reads the new posts (a page of 100, a second for the rest): since_id moves.
      await eventually(async () => (await stored()) === (n + 1) * 100 || null, { what: `poll ${n + 1}: ${(n + 1) * 100} posts stored`, timeoutMs: 20_000 });
      const call = searches()[before]!;
      expect(call.query.query).toBe(QUERY);
      if (n > 0) expect(call.query.since_id).toBeDefined();
    }
    const rows = await t.prisma.listenedPost.findMany({ where: { topicId }, select: { tweetId: true } });
    expect(rows).toHaveLength(300);
    expect(new Set(rows.map((r) => r.tweetId)).size).toBe(300);
    expect(searches().filter((c) => c.query.next_token).length).toBeGreaterThanOrEqual(3);
    // Not one entered the agents' queue: no conversation, no message.
    expect(await t.prisma.message.count({ where: { inboxId } })).toBe(0);

    // The worker restarts; meanwhile three new posts. It asks from the newest it had.
    await eventually(async () => searches().some((c) => c.query.since_id === posts().at(-1)!.id) || null, { what: 'a poll with the newest since_id' });
    await t.app.worker!.channels.stop();
    for (let i = 0; i < 3; i++) posts().push({ id: nextId(), text: `acmebank app down? (${i})`, author_id: '901' });
    const restartedAt = x.calls.length;
    await api(`/inboxes/${inboxId}`, { method: 'PATCH', body: { name: 'Acme on X' } });
    t.app.worker!.channels.start();
    await eventually(async () => (await stored()) === 303 || null, { what: '303 stored after the restart' });
    expect(x.calls.slice(restartedAt).find((c) => c.path === '/2/tweets/search/recent')!.query.since_id).toBe(posts().at(-4)!.id);
  });

  it('promotes a negative complaint by a big account to the agents\' queue by the rule, and nothing else', async () => {
    posts().push({ id: nextId(), text: 'Acme Bank charged me a fee twice and their support ignores me. Worst bank ever, closing my account. #acmefail', author_id: '900', retweets: 300 });
    posts().push({ id: nextId(), text: 'acme bank charged me twice, so annoying #acmefail', author_id: '901' });
    const big = posts().at(-2)!.id;
    const message = await eventually(() => t.prisma.message.findFirst({ where: { inboxId, externalId: `tweet:${big}` } }), { what: 'the big account\'s complaint promoted', timeoutMs: 20_000 });
    const c = await t.prisma.conversation.findUniqueOrThrow({ where: { id: message.conversationId } });
    expect(c.type).toBe('mention');
    const post = await t.prisma.listenedPost.findFirstOrThrow({ where: { tweetId: big } });
    expect(post).toMatchObject({ status: 'promoted', promotedBy: 'rule', sentimentLabel: 'negative', followers: 250_000 });
    // The small account's complaint stays in the stream.
    const small = await eventually(() => t.prisma.listenedPost.findFirst({ where: { tweetId: posts().at(-1)!.id } }), { what: 'the small complaint stored' });
    expect(small.status).toBe('new');
    expect(await t.prisma.message.count({ where: { inboxId } })).toBe(1);

    // The stream: newest first, filters, an agent's promote, bulk dismiss.
    const stream = (await api(`/community/stream?topicId=${topicId}&sentiment=negative`)).body.data;
    expect(stream[0]).toMatchObject({ kind: 'post', id: small.id, topic: { name: 'Acme Bank' }, author: { username: 'quiet_kim', followers: 40 } });
    expect((await api(`/community/stream?minFollowers=100000&status=all`)).body.data.map((p: { kind: string; id: string }) => p.kind)).toEqual(['mention', 'post']);
    const promoted = await api(`/community/posts/${small.id}/promote`, { method: 'POST' });
    expect(promoted.body.conversationId).toEqual(expect.any(String));
    expect((await t.prisma.conversation.findUniqueOrThrow({ where: { id: promoted.body.conversationId } })).type).toBe('mention');
    const calm = (await api(`/community/stream?topicId=${topicId}&limit=10`)).body.data.map((p: { id: string }) => p.id);
    expect((await api('/community/posts/dismiss', { body: { postIds: calm } })).body).toEqual({ dismissed: 10, resolved: 0 });
    expect((await api(`/community/stream?topicId=${topicId}&limit=200`)).body.data.some((p: { id: string }) => calm.includes(p.id))).toBe(false);
  });

  it('waits for the reset a 429 on search reports, and stops at the monthly read cap', async () => {
    const reset = Math.ceil(Date.now() / 1000) + 3;
    x.searchRateLimitNext(reset);
    const limitedAt = searches().length;
    posts().push({ id: nextId(), text: 'is acmebank down again?', author_id: '901' });
    await eventually(() => t.prisma.listenedPost.findFirst({ where: { tweetId: posts().at(-1)!.id } }), { what: 'read after the reset', timeoutMs: 20_000 });
    const after = searches().slice(limitedAt);
    expect(after[1]!.at).toBeGreaterThanOrEqual(reset * 1000);

    // The month's reads at the cap. The poller is the counter's one writer and adds its reads to
    // what it read before the poll: a poll in flight when the test writes puts its own sum back,
    // so the cap is written until it stays for a whole poll interval.
    const capped = { month: new Date().toISOString().slice(0, 7), reads: 10_000 };
    const reads = async () => ((await t.prisma.channelCursor.findUniqueOrThrow({ where: { inboxId_key: { inboxId, key: 'x:usage' } } })).value as { reads: number }).reads;
    await eventually(async () => {
      await t.prisma.channelCursor.update({ where: { inboxId_key: { inboxId, key: 'x:usage' } }, data: { value: capped } });
      await new Promise((r) => setTimeout(r, 1_500));
      return (await reads()) >= 10_000 || null;
    }, { what: 'the read cap kept', timeoutMs: 20_000 });
    const before = searches().length;
    await new Promise((r) => setTimeout(r, 2_500));
    expect(searches().length).toBe(before);
  });

  it('charts share of voice against a competitor per day, equal to a direct count of the posts, with CSV', async () => {
    // A new month's budget (the test before used this one up).
    await t.prisma.channelCursor.delete({ where: { inboxId_key: { inboxId, key: 'x:usage' } } });
    const rival = (await api('/community/topics', { body: { inboxId, name: 'Globex Bank', query: 'globexbank OR "globex bank"', kind: 'competitor' } })).body;
    const yesterday = new Date(Date.now() - 86_400_000).toISOString();
    x.search.set('globexbank OR "globex bank"', [
      ...Array.from({ length: 6 }, (_, i) => ({ id: nextId(), text: `globex bank is great, best app (${i})`, author_id: '901', created_at: yesterday })),
      ...Array.from({ length: 4 }, (_, i) => ({ id: nextId(), text: `globex bank app crashed again, terrible (${i})`, author_id: '900' })),
    ]);
    await eventually(async () => (await t.prisma.listenedPost.count({ where: { topicId: rival.id } })) === 10 || null, { what: 'the competitor\'s posts' });
    const r = (await api('/reports/share-of-voice')).body;
    const all = await t.prisma.listenedPost.findMany({ select: { topicId: true, sentimentLabel: true, followers: true, postedAt: true } });
    for (const topic of r.topics as Array<{ topicId: string; posts: number; share: number; negative: number; reach: number; days: Array<{ day: string; posts: number }> }>) {
      const mine = all.filter((p) => p.topicId === topic.topicId);
      expect(topic.posts).toBe(mine.length);
      expect(topic.share).toBeCloseTo(mine.length / all.length, 10);
      expect(topic.negative).toBe(mine.filter((p) => p.sentimentLabel === 'negative').length);
      expect(topic.reach).toBe(mine.reduce((a, p) => a + p.followers, 0));
      for (const d of topic.days) expect(d.posts).toBe(mine.filter((p) => p.postedAt.toISOString().slice(0, 10) === d.day).length);
    }
    const globex = r.topics.find((x: { name: string }) => x.name === 'Globex Bank');
    expect(globex.days).toHaveLength(2);
    const csv = await fetch(`${t.url}/api/v1/reports/share-of-voice.csv`, { headers: { authorization: `Bearer ${admin}` } });
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = (await csv.text()).trim().split('\n');
    expect(lines[0]).toBe('topic,kind,day,posts,negative,positive,sentiment,reach,share_of_voice_in_range');
    expect(lines.filter((l) => l.startsWith('Globex Bank,competitor,'))).toHaveLength(2);
  });
});
