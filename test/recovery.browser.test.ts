// Complaint recovery in Chromium: an agent moves a complaint case's stage and logs a refund from
// the conversation's complaint panel; a customer rates from the survey page on a phone
// (390×844), one click from the email's link, and may change the rating. Screenshots.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { surveyToken } from '../src/inbox/surveys/token';
import { startTestApp, type TestApp } from './helpers/app';
import { launchBrowser, logIn, screenshot } from './helpers/browser';
import { createAgent, createInbox, PASSWORD } from './helpers/fixtures';
import { eventually, request } from './helpers/http';

let t: TestApp;
let browser: Browser;
let page: Page;
let conversationId: string;
const POLL = { timeout: 15_000 };

beforeAll(async () => {
  t = await startTestApp();
  const agent = await createAgent(t.prisma, { role: 'supervisor', name: 'Sam Supervisor' });
  const { inbox, token } = await createInbox(t.prisma, { memberIds: [agent.id] });
  const r = await request(`${t.url}/api/v1/inboxes/${inbox.id}/messages`, { token, body: { externalId: 'angry-1', from: { name: 'Cleo Clark', email: 'cleo@customer.test' }, text: 'You charged me twice and nobody answers. This is unacceptable, I want a refund now!' } });
  conversationId = (await eventually(() => t.prisma.message.findUnique({ where: { id: r.body.id } }), { what: 'stored' })).conversationId;
  await eventually(async () => (await t.prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } })).complaintStage, { what: 'the complaint case' });
  browser = await launchBrowser();
  page = await (await browser.newContext()).newPage();
  await logIn(page, t.url, agent.email, PASSWORD);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('complaint recovery in the app', () => {
  it('moves the stage and logs a refund from the complaint panel', async () => {
    await page.locator(`[data-conversation-id="${conversationId}"]`).click();
    const panel = page.getByRole('region', { name: 'Complaint' });
    await expect.poll(() => panel.getByLabel('Recovery stage').inputValue(), POLL).toBe('acknowledged');
    await panel.getByLabel('Recovery stage').selectOption('investigating');
    await expect.poll(async () => (await t.prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } })).complaintStage, POLL).toBe('investigating');
    await panel.getByLabel('Remedy', { exact: true }).selectOption('refund');
    await panel.getByLabel('Amount').fill('20');
    await panel.getByLabel('Currency').fill('eur');
    await panel.getByRole('button', { name: 'Log remedy' }).click();
    await expect.poll(() => panel.getByRole('list', { name: 'Remedies' }).innerText(), POLL).toContain('Refund 20.00 EUR · approved');
    await expect.poll(() => panel.getByLabel('Recovery stage').inputValue(), POLL).toBe('remedied');
    await expect.poll(() => page.getByText('Remedy: refund 20.00 EUR').count(), POLL).toBe(1);
    await screenshot(page, 'complaint-panel');
    // The supervisors' view: open cases by stage and age.
    await page.getByRole('link', { name: 'Reports' }).click();
    const open = page.getByRole('table', { name: 'Open complaints by stage and age' });
    await expect.poll(async () => (await open.getByRole('row').filter({ hasText: 'Remedied' }).innerText()).replace(/\s+/g, ' '), POLL).toMatch(/Remedied 1 0 0 0 1 #\d+/);
  });

  it('takes a rating from the survey page on a phone, in one click, and lets it change', async () => {
    const contact = await t.prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } });
    const survey = await t.prisma.survey.create({ data: { conversationId, kind: 'satisfaction', status: 'sent', sentAt: new Date(), dueAt: new Date(), contactId: contact.contactId, channel: 'api' } });
    const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })).newPage();
    await phone.goto(`${t.url}/survey/${surveyToken(survey.id, t.app.services.config.appSecret)}?rating=4`);
    await phone.getByRole('status').filter({ hasText: 'Thank you' }).waitFor(POLL);
    expect((await t.prisma.survey.findUniqueOrThrow({ where: { id: survey.id } })).rating).toBe(4);
    expect(await phone.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth')).toBe(0);
    await screenshot(phone, 'survey-page-phone');
    await phone.locator('label.rate', { hasText: '5' }).click();
    await phone.getByLabel(/Anything you would like to tell us/).fill('Quick refund, thanks');
    await phone.getByRole('button', { name: 'Send' }).click();
    await expect.poll(async () => (await t.prisma.survey.findUniqueOrThrow({ where: { id: survey.id } })).rating, POLL).toBe(5);
    expect((await t.prisma.survey.findUniqueOrThrow({ where: { id: survey.id } })).comment).toBe('Quick refund, thanks');
  });
});
