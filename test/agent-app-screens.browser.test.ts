// The agent app on a phone (390×844) and a desktop (1440×900), in Debian's Chromium against
// the real product: the list, a conversation, reports and settings at both sizes, with
// screenshots in test-results/screenshots (screen-<page>-<width>.png). On the phone nothing
// is wider than the screen, the list and the conversation take turns (back navigation), and
// controls are touch-sized. What was read on the phone is read on the desktop (unread state is
// the agent's, on the server). An admin creates an SMS inbox from Settings.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app';
import { launchBrowser, logIn, screenshot } from './helpers/browser';
import { createAgent, createInbox, PASSWORD } from './helpers/fixtures';
import { eventually, request } from './helpers/http';

let t: TestApp;
let browser: Browser;
let admin: { email: string };

const SIZES = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1440, height: 900 },
] as const;
const POLL = { timeout: 15_000 };

beforeAll(async () => {
  t = await startTestApp();
  admin = await createAgent(t.prisma, { name: 'Ada Admin', role: 'admin' });
  const { inbox, token } = await createInbox(t.prisma, { memberIds: [] });
  const texts = [
    'You charged me twice for order 4471 and nobody answers my emails. I want my money back today!',
    'Hello, could you tell me when my parcel will arrive? Tracking has not moved since Monday.',
    'Thanks a lot, the replacement arrived and works perfectly.',
  ];
  for (const [i, text] of texts.entries()) {
    const r = await request(`${t.url}/api/v1/inboxes/${inbox.id}/messages`, { token, body: { externalId: `screen-${i}`, from: { email: `customer${i}@example.com`, name: `Customer With A Rather Long Name ${i}` }, text } });
    await eventually(() => t.prisma.message.findUnique({ where: { id: r.body.id } }));
  }
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** How far the page can scroll sideways (0: it fits). */
// Written as strings: they run in the page, and the tests compile without the DOM's types.
const sideways = (page: Page) => page.evaluate<number>('Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - document.documentElement.clientWidth');

/** Visible buttons and links smaller than a fingertip (44 px high). */
const smallTargets = (page: Page) =>
  page.evaluate<string[]>(
    `[...document.querySelectorAll('button, a.button, select')]
      .filter((e) => e.offsetParent !== null && e.getBoundingClientRect().height < 44)
      .map((e) => e.textContent.trim() || e.getAttribute('aria-label') || e.tagName)`,
  );

describe('the agent app on a phone and on a desktop', () => {
  for (const size of SIZES) {
    it(`fits ${size.width}×${size.height}: list, conversation, reports and settings`, async () => {
      const page = await (await browser.newContext({ viewport: { width: size.width, height: size.height }, hasTouch: size.name === 'phone' })).newPage();
      await logIn(page, t.url, admin.email, PASSWORD);
      const rows = page.getByRole('list').first().getByRole('button');
      await expect.poll(() => rows.count(), POLL).toBe(3);
      expect(await sideways(page), 'the list scrolls sideways').toBe(0);
      await screenshot(page, `screen-list-${size.width}`);
      if (size.name === 'desktop') {
        // Read on the phone (another browser, nothing shared but the server): read here too.
        await expect.poll(() => rows.first().getAttribute('class'), POLL).not.toMatch(/unread/);
        expect(await rows.nth(1).getAttribute('class')).toMatch(/unread/);
      }

      await rows.first().click();
      const conversation = page.getByRole('main', { name: /Conversation #\d+/ });
      await conversation.getByText('Why this priority').waitFor();
      const back = page.getByRole('button', { name: 'Back to the list' });
      if (size.name === 'phone') {
        // One pane at a time: the list gives way to the conversation, and comes back.
        expect(await rows.first().isVisible()).toBe(false);
        expect(await back.isVisible()).toBe(true);
      } else {
        expect(await rows.first().isVisible()).toBe(true);
        expect(await back.isVisible()).toBe(false);
      }
      expect(await sideways(page), 'the conversation scrolls sideways').toBe(0);
      await screenshot(page, `screen-conversation-${size.width}`);
      if (size.name === 'phone') {
        expect(await smallTargets(page)).toEqual([]);
        await back.click();
        await expect.poll(() => rows.first().isVisible(), POLL).toBe(true);
      }

      await page.getByRole('link', { name: 'Reports' }).click();
      const reports = page.getByRole('main', { name: 'Reports' });
      await reports.getByRole('heading', { name: 'Customer messages per day' }).waitFor();
      // One day of data: the sentiment is a figure, not a lone dot.
      await expect.poll(async () => (await reports.getByRole('region', { name: 'Average sentiment per day' }).textContent()) ?? '', POLL).toMatch(/[+-]?\d\.\d\d/);
      expect(await sideways(page), 'reports scroll sideways').toBe(0);
      // Thirty days of axis labels, thinned to what fits.
      expect(await reports.locator('svg.chart').first().locator('text.tick').count()).toBeLessThanOrEqual(7);
      await screenshot(page, `screen-reports-${size.width}`);

      await page.getByRole('link', { name: 'Settings' }).click();
      await page.getByRole('main', { name: 'Settings' }).getByRole('heading', { name: 'Inboxes' }).waitFor();
      expect(await sideways(page), 'settings scroll sideways').toBe(0);
      await screenshot(page, `screen-settings-${size.width}`);
      if (size.name === 'phone') expect(await smallTargets(page)).toEqual([]);
      await page.close();
    });
  }

  it('creates an SMS inbox from Settings, its auth token a reference to the environment', async () => {
    const page = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    await logIn(page, t.url, admin.email, PASSWORD);
    await page.getByRole('link', { name: 'Settings' }).click();
    const form = page.getByRole('form', { name: 'New SMS number (Twilio)' });
    await form.getByLabel('Name').fill('Text us');
    await form.getByLabel('Our number').fill('+1 415 555 0100');
    await form.getByLabel('Twilio Account SID').fill('AC0123456789abcdef0123456789abcdef');
    // A wrong SID is refused with the server's reason, and nothing is created.
    await form.getByLabel('Twilio Account SID').fill('AC123');
    await form.getByLabel('Auth token').fill('TWILIO_AUTH_TOKEN');
    await form.getByRole('button', { name: 'Add' }).click();
    await expect.poll(async () => (await page.getByRole('region', { name: 'Inboxes' }).getByRole('alert').textContent().catch(() => '')) ?? '', POLL).toMatch(/Account SID/);
    expect(await t.prisma.inbox.count({ where: { kind: 'sms' } })).toBe(0);
    await form.getByLabel('Twilio Account SID').fill('AC0123456789abcdef0123456789abcdef');
    await form.getByRole('button', { name: 'Add' }).click();
    const inbox = await eventually(() => t.prisma.inbox.findFirst({ where: { kind: 'sms' } }), { what: 'the SMS inbox', timeoutMs: POLL.timeout });
    expect(inbox.name).toBe('Text us');
    expect(inbox.config).toMatchObject({ provider: 'twilio', phoneNumber: '+14155550100', accountSid: 'AC0123456789abcdef0123456789abcdef' });
    expect(inbox.secretRefs).toEqual({ authToken: 'env:TWILIO_AUTH_TOKEN' });
    // Listed, with a connection test.
    const listed = page.getByRole('region', { name: 'Inboxes' }).getByRole('listitem').filter({ hasText: 'Text us' });
    await listed.waitFor();
    expect(await listed.getByRole('button', { name: 'Test connection' }).count()).toBe(1);
    await page.close();
  });
});

describe('routing rules as a form', () => {
  it('builds a rule — when, if, then — with the server\'s reasons shown, and keeps the JSON as an advanced view', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await logIn(page, t.url, admin.email, PASSWORD);
    await page.getByRole('link', { name: 'Settings' }).click();
    const form = page.getByRole('form', { name: 'New rule' });
    await form.getByLabel('Name').fill('Refunds to the desk');
    await form.getByLabel('When').selectOption({ label: 'a customer writes' });
    await form.getByLabel('Condition 1: what').selectOption({ label: 'complaint type' });
    await form.getByLabel('Condition 1: how').selectOption({ label: 'is one of' });
    await form.getByLabel('Condition 1: value').fill('refund, billing');
    await form.getByRole('button', { name: '+ Condition' }).click();
    await form.getByLabel('Condition 2: what').selectOption({ label: 'within business hours' });
    await form.getByLabel('Condition 2: value').selectOption({ label: 'no' });
    await form.getByLabel('Action 1: what').selectOption({ label: 'add label' });
    // Blank after trimming: the browser lets it through, the server says why not.
    await form.getByLabel('Action 1: label').fill('   ');
    await form.getByRole('button', { name: 'Add rule' }).click();
    const rules = page.getByRole('region', { name: 'Routing rules' });
    await expect.poll(async () => (await rules.getByRole('alert').textContent().catch(() => '')) ?? '', POLL).toMatch(/label/);
    expect(await t.prisma.routingRule.count({ where: { name: 'Refunds to the desk' } })).toBe(0);
    await form.getByLabel('Action 1: label').fill('refund-desk');
    await form.getByRole('button', { name: '+ Action' }).click();
    await form.getByLabel('Action 2: what').selectOption({ label: 'raise priority to' });
    await form.getByLabel('Action 2: at least').fill('60');
    // The advanced view shows exactly what will be sent.
    await page.getByText('Advanced: the rule as JSON').click();
    const preview = JSON.parse((await page.getByLabel('What the form will send').textContent()) ?? '{}');
    await form.getByRole('button', { name: 'Add rule' }).click();
    const rule = await eventually(() => t.prisma.routingRule.findFirst({ where: { name: 'Refunds to the desk' } }), { what: 'the rule', timeoutMs: POLL.timeout });
    const expected = {
      event: 'message.created',
      conditions: [{ field: 'complaintCategory', op: 'in', value: ['refund', 'billing'] }, { field: 'businessHours', op: 'eq', value: false }],
      actions: [{ type: 'add_label', label: 'refund-desk' }, { type: 'set_priority', atLeast: 60 }],
    };
    expect(rule).toMatchObject(expected);
    expect(preview).toMatchObject(expected);
    await rules.getByRole('cell', { name: 'Refunds to the desk', exact: true }).waitFor();
    await screenshot(page, 'screen-rule-builder-1440');
    await page.close();
  });
});

describe('the send guard', () => {
  it('sends a reply typed before the timeline was read: reading it is not the customer writing meanwhile', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await logIn(page, t.url, admin.email, PASSWORD);
    // The timeline's answer is held back until the agent has typed (a slow network, a busy server).
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await page.route(/\/api\/v1\/conversations\/[0-9a-f-]{36}$/, async (route) => {
      await held;
      await route.continue();
    });
    const rows = page.getByRole('list').first().getByRole('button');
    await expect.poll(() => rows.count(), POLL).toBeGreaterThan(0);
    await rows.last().click();
    await page.getByLabel('Reply').fill('Typed before the timeline came');
    release();
    const conversation = page.getByRole('main', { name: /Conversation #\d+/ });
    await conversation.getByRole('region', { name: 'Messages' }).getByText('Thanks a lot, the replacement arrived').waitFor();
    await page.getByRole('button', { name: 'Send' }).click();
    await eventually(() => t.prisma.message.findFirst({ where: { text: 'Typed before the timeline came' } }), { what: 'the reply stored', timeoutMs: POLL.timeout });
    expect(await page.getByRole('alert').filter({ hasText: 'wrote since you started typing' }).count()).toBe(0);
    await page.close();
  });
});
