// The community manager in the agent app: a public complaint on X arrives in Mentions; they
// take it private from the conversation, linking it to the customer's private conversation
// and answering publicly, all in Chromium against the real product and a stand-in of X.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app';
import { launchBrowser, logIn, screenshot } from './helpers/browser';
import { createAgent, createInbox, PASSWORD } from './helpers/fixtures';
import { login, request } from './helpers/http';
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
    await page.getByRole('button', { name: 'Mentions' }).click();
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
});
