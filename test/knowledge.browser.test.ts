// Answers at hand, in Chromium against the real product: a visitor typing "reset password" in
// the chat widget is offered the article, reads it, and "Talk to a person" starts a conversation
// that shows the agent what they read; in that conversation the composer offers suggested
// replies with their reasons (from solved conversations, and the article), "Use" fills the reply
// in, and the hand-over summary links to the customer's message; the Knowledge page edits an
// article into a new version. Screenshots.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app';
import { launchBrowser, logIn, screenshot } from './helpers/browser';
import { createAgent, createInbox, PASSWORD } from './helpers/fixtures';
import { eventually, login, request } from './helpers/http';
import { SUPPORT_INTENTS } from './fixtures/support-conversations';

const POLL = { timeout: 15_000 };
let t: TestApp;
let browser: Browser;
let adaEmail: string;
let admin: string;
let widgetId: string;

beforeAll(async () => {
  t = await startTestApp({ env: { ROUTING_DEFAULTS: 'false', SUGGESTION_REFRESH_MS: '0' } });
  const ada = await createAgent(t.prisma, { role: 'admin', name: 'Ada Admin' });
  adaEmail = ada.email;
  admin = await login(t.url, ada.email);
  widgetId = (await createInbox(t.prisma, { kind: 'widget', name: 'Shop chat', config: { allowedOrigins: ['*'] }, memberIds: [ada.id] })).inbox.id;
  const api = (p: string, body?: unknown) => request(`${t.url}/api/v1${p}`, { token: admin, ...(body ? { body } : {}) });
  await api('/knowledge/articles', { title: 'Reset your password', body: 'Choose **Forgot password** on the login page and open the link we email you.', status: 'published', tags: ['password', 'login'], inboxId: widgetId });
  // Solved conversations the suggestions learn from (the API channel, answered and resolved).
  const { inbox: orders, token } = await createInbox(t.prisma, { name: 'Orders', memberIds: [ada.id] });
  let n = 0;
  for (const text of SUPPORT_INTENTS.password!.solved.slice(0, 6)) {
    const id = `s-${++n}`;
    await request(`${t.url}/api/v1/inboxes/${orders.id}/messages`, { token, body: { externalId: id, from: { name: 'Ann Lee', email: `a${n}@customer.test` }, text } });
    const m = await eventually(() => t.prisma.message.findFirst({ where: { externalId: id } }), { what: id });
    await api(`/conversations/${m.conversationId}/messages`, { text: SUPPORT_INTENTS.password!.answer.replace('{name}', 'Ann') });
    await api(`/conversations/${m.conversationId}/status`, { status: 'resolved' });
  }
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('knowledge in the widget and the composer', () => {
  it('offers the article as the visitor types; "Talk to a person" hands over with what they read; the composer suggests with reasons', async () => {
    const visitor = await (await browser.newContext()).newPage();
    await visitor.goto(`${t.url}/widget/preview/${widgetId}`);
    await visitor.getByRole('button', { name: 'Chat with us' }).click();
    const chat = visitor.getByRole('region', { name: 'Chat' });
    await chat.getByRole('textbox', { name: 'Message' }).pressSequentially('reset password', { delay: 30 });
    const help = chat.getByRole('region', { name: 'Articles that may help' });
    await help.getByRole('button', { name: 'Reset your password' }).click();
    await help.getByText('Choose Forgot password on the login page').waitFor(POLL);
    await screenshot(visitor, 'widget-self-service');
    await help.getByRole('button', { name: 'Talk to a person' }).click();
    const question = await eventually(() => t.prisma.message.findFirst({ where: { inboxId: widgetId, direction: 'inbound' } }), { what: 'the hand-over' });
    expect(question.text).toBe('reset password');
    expect(question.metadata).toMatchObject({ selfService: { read: [{ title: 'Reset your password' }], query: 'reset password' } });

    const page = await (await browser.newContext()).newPage();
    await logIn(page, t.url, adaEmail, PASSWORD);
    await page.locator(`[data-conversation-id="${question.conversationId}"]`).click();
    await page.getByRole('note').filter({ hasText: 'Before asking (searched "reset password"), they read: Reset your password' }).waitFor(POLL);
    const suggestions = page.getByRole('region', { name: 'Suggested replies' });
    await suggestions.getByText(/like #\d+, resolved · sent to 6 customers/).waitFor(POLL);
    await suggestions.getByText('help article "Reset your password"').waitFor(POLL);
    const summary = page.getByRole('region', { name: 'Hand-over' });
    await summary.getByText('Unanswered: reset password').waitFor(POLL);
    await screenshot(page, 'composer-suggestions');
    const answer = suggestions.getByRole('listitem').filter({ hasText: /like #\d+/ });
    await answer.getByRole('button', { name: 'Use' }).click();
    expect(await page.locator('#composer-text').inputValue()).toBe('Hi, to reset your password choose "Forgot password" on the login page and follow the link we email you.');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => t.prisma.suggestionEvent.count({ where: { conversationId: question.conversationId, action: 'used' } }), POLL).toBe(1);
    // Any article, found in the composer, goes in as a link to the help page.
    await page.getByRole('button', { name: 'Article…' }).click();
    const picker = page.getByRole('group', { name: 'Insert a help article' });
    await picker.getByRole('searchbox').fill('password');
    await picker.getByRole('listitem').filter({ hasText: 'Reset your password' }).getByRole('button', { name: 'As link' }).click();
    await expect.poll(() => page.locator('#composer-text').inputValue(), POLL).toBe(`Reset your password: ${t.url}/help/${widgetId}/articles/${(await t.prisma.article.findFirstOrThrow()).id}`);

    // The Knowledge page: the article edited into version 2.
    await page.getByRole('link', { name: 'Knowledge' }).click();
    await page.getByRole('list', { name: 'Articles' }).getByRole('button', { name: 'Reset your password' }).click();
    const editor = page.getByRole('form', { name: 'Article' });
    await editor.getByLabel('Text (Markdown)').fill('Choose **Forgot password** on the login page. The link works for one hour.');
    await editor.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved: version 2.' }).waitFor(POLL);
    await screenshot(page, 'knowledge-editor');
    await visitor.close();
    await page.close();
  });
});
