// The community manager in the agent app: a public complaint on X arrives in Mentions; they
// take it private from the conversation, linking it to the customer's private conversation
// and answering publicly, all in Chromium against the real product and a stand-in of X. In the
// Community view, a new negative post by a big account (a listening topic found it) appears
// live at the top; "Take private" makes it a conversation and opens it with the bridge; calm
// posts are dismissed in bulk. Screenshots, on a desktop and a phone.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app';
import { launchBrowser, logIn, screenshot } from './helpers/browser';
import { createAgent, createInbox, PASSWORD } from './helpers/fixtures';
import { login, request } from './helpers/http';
import type { ListenedPostInput } from '../src/inbox/channels/contract';
import { eventually } from './helpers/email-app';
import { startFakeX, type FakeX } from './helpers/fake-x';
import { BRAND_ID, createXInbox } from './helpers/x-inbox';

let t: TestApp;
let x: FakeX;
let browser: Browser;
let adaEmail: string;
const POLL = { timeout: 15_000 };

beforeAll(async () => {
  x = await startFakeX({ brandId: BRAND_ID, brandHandle: 'acme' });
  x.users.set('88', { id: '88', username: 'max_travels', name: 'Max', followers: 48_000 });
  t = await startTestApp({ env: { TWITTER_API_URL: x.apiUrl } });
  const ada = await createAgent(t.prisma, { role: 'admin', name: 'Ada Admin' });
  adaEmail = ada.email;
  await createXInbox(t, await login(t.url, ada.email), x);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
  await x?.stop();
});

describe('community manager', () => {
  it('takes a public complaint private from the Mentions view', async () => {
    // Max already wrote privately (the shop's system, API channel).
    const { inbox, token } = await createInbox(t.prisma, { name: 'Orders' });
    await request(`${t.url}/api/v1/inboxes/${inbox.id}/messages`, { token, body: { externalId: 'o-1', from: { name: 'Max', email: 'max@customer.test' }, text: 'Where is my refund for booking QX1?' } });
    const privateMessage = await eventually(() => t.prisma.message.findFirst({ where: { externalId: 'o-1' }, include: { conversation: true } }), 'private conversation');
    x.mentions.push({ id: '1950000000000000001', text: '@acme three weeks and still no refund. Shameful service.', author_id: '88', retweets: 9 });
    const mention = await eventually(() => t.prisma.message.findFirst({ where: { externalId: 'tweet:1950000000000000001' } }), 'mention');

    const page = await (await browser.newContext()).newPage();
    await logIn(page, t.url, adaEmail, PASSWORD);
    await page.getByRole('button', { name: 'Public mentions' }).click();
    await page.locator(`[data-conversation-id="${mention.conversationId}"]`).click();
    const bridge = page.getByRole('region', { name: 'Take it private' });
    await bridge.getByLabel('Private conversation #').fill(`#${privateMessage.conversation.reference}`);
    await bridge.getByRole('button', { name: 'Link and reply' }).click();
    await bridge.getByRole('status').filter({ hasText: `Linked to #${privateMessage.conversation.reference}` }).waitFor();
    await screenshot(page, 'community-bridge');

    const linked = await t.prisma.conversation.findUniqueOrThrow({ where: { id: privateMessage.conversationId } });
    expect(linked).toMatchObject({ linkedConversationId: mention.conversationId, priorityFloor: 60 });
    await expect.poll(() => x.calls.find((c) => c.path === '/2/tweets')?.body?.reply?.in_reply_to_tweet_id, POLL).toBe('1950000000000000001');
    await page.close();
  });

  it('shows a new negative high-reach post live at the top of the Community view, takes it private, and dismisses in bulk', async () => {
    const admin = await login(t.url, adaEmail);
    const xInbox = (await t.prisma.inbox.findFirstOrThrow({ where: { kind: 'twitter' } })).id;
    const topic = (await request(`${t.url}/api/v1/community/topics`, { token: admin, body: { inboxId: xInbox, name: 'Acme Air', query: '"acme air" OR acmeair' } })).body;
    let n = 0;
    const post = (text: string, username: string, followers: number): ListenedPostInput => {
      const id = String(1960000000000000000n + BigInt(++n));
      return {
        postId: id, text, url: `https://x.com/${username}/status/${id}`, author: { id: String(500 + n), username, followers }, postedAt: new Date().toISOString(),
        metrics: { retweets: 3, likes: 10, replies: 0, quotes: 0 },
        asMention: { externalId: `tweet:${id}`, from: { identities: [{ kind: 'twitter', address: username }] }, text, conversationType: 'mention', thread: { key: `tweet:${id}` }, metadata: { twitter: { tweetId: id, username, url: `https://x.com/${username}/status/${id}`, reach: { followers } } } },
      };
    };
    const listening = t.app.services.listening;
    await listening.accept(xInbox, topic.id, [post('flying acme air to lisbon tomorrow', 'calm_one', 30), post('acmeair lounge looks nice', 'calm_two', 45)]);
    const { inbox, token } = await createInbox(t.prisma, { name: 'Bookings' });
    await request(`${t.url}/api/v1/inboxes/${inbox.id}/messages`, { token, body: { externalId: 'b-1', from: { name: 'Rita', email: 'rita@customer.test' }, text: 'My booking ZK9 was cancelled without notice.' } });
    const privateOne = await eventually(() => t.prisma.message.findFirst({ where: { externalId: 'b-1' }, include: { conversation: true } }), 'private conversation');

    const page = await (await browser.newContext()).newPage();
    await logIn(page, t.url, adaEmail, PASSWORD);
    await page.getByRole('link', { name: 'Community' }).click();
    const stream = page.getByRole('list', { name: 'Community stream' });
    await expect.poll(() => stream.getByRole('listitem').count(), POLL).toBeGreaterThanOrEqual(2);
    // Arrives while the view is open.
    await listening.accept(xInbox, topic.id, [post('Acme Air cancelled my flight and kept my money. Disgusting, worst airline, never again!', 'rita_flies', 210_000)]);
    await expect.poll(() => stream.getByRole('listitem').first().innerText(), POLL).toContain('@rita_flies');
    const top = stream.getByRole('listitem').first();
    expect(await top.innerText()).toMatch(/210,000 followers/);
    expect(await top.innerText()).toMatch(/Negative/);
    await screenshot(page, 'community-stream');

    // A competitor's topic, added from the view.
    await page.getByText(/^Listening topics \(\d+\)$/).click();
    const form = page.getByRole('form', { name: 'Add topic' });
    await form.getByLabel('Name').fill('Globex Air');
    await form.getByLabel('Query').fill('"globex air" -is:retweet');
    await form.getByLabel('Whose').selectOption('competitor');
    await form.getByRole('button', { name: 'Add topic' }).click();
    await expect.poll(() => page.getByRole('table', { name: 'Listening topics' }).innerText(), POLL).toContain('"globex air" -is:retweet');
    expect(await t.prisma.listeningTopic.findFirst({ where: { name: 'Globex Air' } })).toMatchObject({ kind: 'competitor', query: '"globex air" -is:retweet' });

    // Bulk dismiss the calm ones.
    await page.getByLabel('Select the post by @calm_one').check();
    await page.getByLabel('Select the post by @calm_two').check();
    await page.getByRole('button', { name: 'Dismiss 2 selected' }).click();
    await page.getByRole('status').filter({ hasText: '2 dismissed' }).waitFor(POLL);
    expect(await t.prisma.listenedPost.count({ where: { topicId: topic.id, status: 'dismissed' } })).toBe(2);
    await expect.poll(() => stream.getByRole('listitem').count(), POLL).toBe(2);

    // Take the angry one private: it becomes a conversation, opened with the bridge.
    await top.getByRole('button', { name: 'Take private' }).click();
    const bridge = page.getByRole('region', { name: 'Take it private' });
    await bridge.getByLabel('Private conversation #').fill(`#${privateOne.conversation.reference}`);
    await bridge.getByRole('button', { name: 'Link and reply' }).click();
    await bridge.getByRole('status').filter({ hasText: `Linked to #${privateOne.conversation.reference}` }).waitFor(POLL);
    const promoted = await t.prisma.listenedPost.findFirstOrThrow({ where: { username: 'rita_flies' } });
    expect(promoted.status).toBe('promoted');
    const linked = await t.prisma.conversation.findUniqueOrThrow({ where: { id: privateOne.conversationId } });
    expect(linked.linkedConversationId).not.toBeNull();

    // Reports: the topic's share of voice.
    await page.getByRole('link', { name: 'Reports' }).click();
    const voice = page.getByRole('table', { name: 'Share of voice by topic' });
    await expect.poll(async () => (await voice.getByRole('row').filter({ hasText: 'Acme Air' }).innerText()).replace(/\s+/g, ' '), POLL).toMatch(/^Acme Air 3 100%/);
    await voice.scrollIntoViewIfNeeded();
    await screenshot(page, 'share-of-voice');

    // On a phone: the stream reads without sideways scrolling.
    const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })).newPage();
    await logIn(phone, t.url, adaEmail, PASSWORD);
    await phone.goto(`${t.url}/#community`);
    await phone.getByRole('list', { name: 'Community stream' }).waitFor(POLL);
    expect(await phone.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth')).toBe(0);
    await screenshot(phone, 'community-stream-phone');
    await page.close();
    await phone.close();
  });
});
