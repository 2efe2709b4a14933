// The agent app in a real browser (Debian's Chromium, headless) against the real product:
// log in, see an angry message arrive live at the top, open it, read why, reply, and see the
// reply sent; a second agent sees the first one there; an agent outside the inbox cannot
// open it. Screenshots are saved under test-results/screenshots.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app';
import { launchBrowser, logIn, screenshot } from './helpers/browser';
import { createAgent, createInbox, PASSWORD } from './helpers/fixtures';
import { eventually, request } from './helpers/http';

let t: TestApp;
let browser: Browser;
let inbox: { id: string; token: string };
let mia: { email: string; name: string };
let noah: { email: string };
let otto: { email: string };

const post = (body: unknown) => request(`${t.url}/api/v1/inboxes/${inbox.id}/messages`, { token: inbox.token, body });

beforeAll(async () => {
  // The production build of the agent app, as `npm start` serves it.
  execFileSync(process.execPath, [path.resolve(import.meta.dirname, '../scripts/build-web.mjs'), '--if-stale'], { stdio: 'ignore' });
  t = await startTestApp();
  const a = await createAgent(t.prisma, { name: 'Mia Member' });
  const b = await createAgent(t.prisma, { name: 'Noah Member' });
  const c = await createAgent(t.prisma, { name: 'Otto Outsider' });
  const created = await createInbox(t.prisma, { memberIds: [a.id, b.id] });
  inbox = { id: created.inbox.id, token: created.token };
  mia = a;
  noah = b;
  otto = c;
  await post({ externalId: 'calm-1', from: { email: 'calm@example.com', name: 'Cal Calm' }, text: 'Hello, what are your opening hours on Saturday?' });
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const rows = (page: Page) => page.getByRole('list').first().getByRole('button');

describe('the agent app in Chromium', () => {
  let conversationId: string;
  let miaPage: Page;

  it('shows an angry message live at the top of the list', async () => {
    miaPage = await (await browser.newContext()).newPage();
    await logIn(miaPage, t.url, mia.email, PASSWORD);
    await expect.poll(() => rows(miaPage).count()).toBe(1);
    const r = await post({
      externalId: 'angry-1', from: { email: 'angry@example.com', name: 'Ann Angry' },
      text: 'This is the third time I write. You charged me twice and nobody answers. Worst service ever, I want my money back!',
    });
    conversationId = (await eventually(() => t.prisma.message.findUnique({ where: { id: r.body.id } }))).conversationId;
    // Without a reload: the socket brings it, and it goes to the top.
    await expect.poll(() => rows(miaPage).count()).toBe(2);
    await expect.poll(() => rows(miaPage).first().getAttribute('data-conversation-id')).toBe(conversationId);
    expect(await rows(miaPage).first().textContent()).toMatch(/Ann Angry/);
    expect(await rows(miaPage).first().textContent()).toMatch(/Negative/);
    await screenshot(miaPage, 'list');
  });

  it('opens it with the explanation of its priority, and sends a reply', async () => {
    await rows(miaPage).first().click();
    const conversation = miaPage.getByRole('main', { name: /Conversation #\d+/ });
    await conversation.getByText('Why this priority').waitFor();
    // The factors and the words that moved the analysis.
    await expect.poll(async () => (await conversation.textContent()) ?? '').toMatch(/negativity \(sentiment -[01]\.\d+\)/);
    await expect.poll(async () => (await conversation.textContent()) ?? '').toMatch(/repeat_contact|third time/i);
    await miaPage.getByLabel('Reply').fill('I am sorry, Ann. I have refunded the second charge just now.');
    await miaPage.getByRole('button', { name: 'Send' }).click();
    const reply = await eventually(() => t.prisma.message.findFirst({ where: { conversationId, direction: 'outbound', deliveryStatus: 'sent' } }), { what: 'the reply sent' });
    expect(reply.text).toBe('I am sorry, Ann. I have refunded the second charge just now.');
    await conversation.getByText('I am sorry, Ann.').waitFor();
    await screenshot(miaPage, 'conversation');
  });

  it('tells an agent who else has the conversation open', async () => {
    const noahPage = await (await browser.newContext()).newPage();
    await logIn(noahPage, t.url, noah.email, PASSWORD);
    await noahPage.locator(`[data-conversation-id="${conversationId}"]`).click();
    await miaPage.getByText('Also here: Noah Member').waitFor();
    await noahPage.getByText('Also here: Mia Member').waitFor();
    await noahPage.getByLabel('Reply').fill('Checking the refund');
    await miaPage.getByText('Noah Member is typing…').waitFor();
    await noahPage.close();
  });

  it('keeps the conversation from an agent outside its inbox', async () => {
    const ottoPage = await (await browser.newContext()).newPage();
    await logIn(ottoPage, t.url, otto.email, PASSWORD);
    await expect.poll(() => ottoPage.locator(`[data-conversation-id="${conversationId}"]`).count()).toBe(0);
    // Not even by asking the API directly with the browser's session.
    const status = await ottoPage.evaluate(async (id) => (await fetch(`/api/v1/conversations/${id}`)).status, conversationId);
    expect(status).toBe(404);
  });
});
