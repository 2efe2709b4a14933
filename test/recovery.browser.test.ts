// Complaint recovery in Chromium: an agent moves a complaint case's stage and logs a refund from
// the conversation's complaint panel; a customer rates from the survey page on a phone
// (390×844), one click from the email's link, and may change the rating. An incident opened
// from the Incidents page links the conversations its rule matches, more are ticked in the list
// and linked in bulk, its banner shows on each; it is resolved (each customer updated) and the
// linked conversations resolved in one step. Screenshots.
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
let token: string;
let inboxId: string;
const POLL = { timeout: 15_000 };

beforeAll(async () => {
  t = await startTestApp({ env: { INCIDENT_SWEEP_MS: '300' } });
  const agent = await createAgent(t.prisma, { role: 'supervisor', name: 'Sam Supervisor' });
  const { inbox, token: inboxToken } = await createInbox(t.prisma, { memberIds: [agent.id] });
  token = inboxToken;
  inboxId = inbox.id;
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
    await expect.poll(() => panel.getByRole('list', { name: 'Remedies' }).innerText(), POLL).toContain('Refund €20.00 · approved');
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

  it('opens an incident, links by rule and by ticking conversations, shows its banner, resolves it and its conversations', async () => {
    const ids: string[] = [];
    for (const [i, name] of ['Dora Diaz', 'Eli Evans'].entries()) {
      const r = await request(`${t.url}/api/v1/inboxes/${inboxId}/messages`, { token, body: { externalId: `card-${i}`, from: { name, email: `card${i}@customer.test` }, text: `My card payment failed at checkout again (${i})` } });
      ids.push((await eventually(() => t.prisma.message.findUnique({ where: { id: r.body.id } }), { what: 'stored' })).conversationId);
    }
    await page.getByRole('link', { name: 'Incidents' }).click();
    const form = page.getByRole('form', { name: 'Open an incident' });
    await form.getByLabel('Title').fill('Card payments failing');
    await form.getByLabel(/Link messages containing/).fill('card payment, error 502');
    await form.getByRole('button', { name: 'Open incident' }).click();
    const detail = page.getByRole('region', { name: 'Card payments failing' });
    await expect.poll(() => detail.getByRole('status').first().innerText(), POLL).toContain('2 linked');

    // The angry customer, ticked in the list and linked in bulk.
    await page.getByRole('link', { name: 'Inbox' }).click();
    await page.getByLabel(/^Select #\d+$/).first().waitFor(POLL);
    const ref = (await t.prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } })).reference;
    await page.getByLabel(`Select #${ref}`).check();
    const bar = page.getByRole('region', { name: 'Link 1 selected to incident' });
    await bar.getByRole('combobox').selectOption({ label: 'Card payments failing' });
    await bar.getByRole('button', { name: 'Link 1 selected to incident' }).click();
    await expect.poll(() => t.prisma.incidentLink.count(), POLL).toBe(3);

    await page.locator(`[data-conversation-id="${ids[0]}"]`).click();
    const banner = page.locator('.incident-banner');
    await expect.poll(() => banner.innerText(), POLL).toMatch(/Incident:\s*Card payments failing — Investigating/);
    await screenshot(page, 'incident-banner');

    await banner.getByRole('link', { name: 'Card payments failing' }).click();
    await detail.getByRole('button', { name: 'Identified' }).click();
    await expect.poll(() => detail.locator('h3 .tag').innerText(), POLL).toBe('Identified');
    await detail.getByRole('button', { name: 'Resolve and update customers' }).click();
    await expect.poll(() => detail.getByRole('status').first().innerText(), POLL).toContain('3 updated');
    await detail.getByRole('button', { name: 'Resolve 3 linked conversations' }).click();
    await expect.poll(() => detail.getByRole('status').filter({ hasText: 'conversations resolved' }).innerText(), POLL).toBe('3 conversations resolved');
    await screenshot(page, 'incident-resolved');
    expect(await t.prisma.conversation.count({ where: { id: { in: [...ids, conversationId] }, status: 'resolved' } })).toBe(3);
    const updates = await t.prisma.message.findMany({ where: { conversationId: { in: [...ids, conversationId] }, senderType: 'system', text: { contains: 'has been fixed' } } });
    expect(updates).toHaveLength(3);
  });
});
