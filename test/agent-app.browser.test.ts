// The agent app in a real browser (Debian's Chromium, headless) against the real product:
// log in, see an angry message arrive live at the top, open it, read why, reply, and see the
// reply sent; a second agent sees the first one there; an agent outside the inbox cannot
// open it. Screenshots are saved under test-results/screenshots.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app';
import { launchBrowser, logIn, screenshot } from './helpers/browser';
import { createAgent, createInbox, PASSWORD } from './helpers/fixtures';
import { eventually, request } from './helpers/http';
import { sentimentLanguages } from '../src/sentiment/shipped-models';

let t: TestApp;
let browser: Browser;
let inbox: { id: string; token: string };
let mia: { email: string; name: string };
let noah: { email: string };
let otto: { email: string };
let ada: { email: string };

const post = (body: unknown) => request(`${t.url}/api/v1/inboxes/${inbox.id}/messages`, { token: inbox.token, body });

beforeAll(async () => {
  // The production build of the agent app, as `npm start` serves it.
  t = await startTestApp();
  const a = await createAgent(t.prisma, { name: 'Mia Member' });
  const b = await createAgent(t.prisma, { name: 'Noah Member' });
  const c = await createAgent(t.prisma, { name: 'Otto Outsider' });
  ada = await createAgent(t.prisma, { name: 'Ada Admin', role: 'admin' });
  await t.prisma.routingRule.create({ data: { name: 'Label VIPs', event: 'message.created', conditions: [], actions: [{ type: 'add_label', label: 'vip' }], enabled: false } });
  const created = await createInbox(t.prisma, { memberIds: [a.id, b.id] });
  inbox = { id: created.inbox.id, token: created.token };
  mia = a;
  noah = b;
  otto = c;
  await post({ externalId: 'calm-1', from: { email: 'calm@example.com', name: 'Cal Calm' }, text: 'Hello, what are your opening hours on Saturday?' });
  await t.prisma.cannedResponse.create({ data: { shortcut: 'refund-sent', title: 'Refund sent', text: 'Hi {name}, your refund is on its way.' } });
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

// The machine may be busy with other suites: waits are generous, nothing here times anything.
const POLL = { timeout: 15_000 };
const rows = (page: Page) => page.getByRole('list').first().getByRole('button');

describe('the agent app in Chromium', () => {
  let conversationId: string;
  let miaPage: Page;

  it('shows an angry message live at the top of the list', async () => {
    miaPage = await (await browser.newContext()).newPage();
    await logIn(miaPage, t.url, mia.email, PASSWORD);
    await expect.poll(() => rows(miaPage).count(), POLL).toBe(1);
    const r = await post({
      externalId: 'angry-1', from: { email: 'angry@example.com', name: 'Ann Angry' },
      text: 'This is the third time I write. You charged me twice and nobody answers. Worst service ever, I want my money back!',
    });
    conversationId = (await eventually(() => t.prisma.message.findUnique({ where: { id: r.body.id } }))).conversationId;
    // Without a reload: the socket brings it, and it goes to the top.
    await expect.poll(() => rows(miaPage).count(), POLL).toBe(2);
    await expect.poll(() => rows(miaPage).first().getAttribute('data-conversation-id'), POLL).toBe(conversationId);
    expect(await rows(miaPage).first().textContent()).toMatch(/Ann Angry/);
    expect(await rows(miaPage).first().textContent()).toMatch(/Negative/);
    expect(await rows(miaPage).first().getAttribute('class')).toMatch(/unread/);
    await screenshot(miaPage, 'list');
  });

  it('opens it with the explanation of its priority, and sends a reply', async () => {
    await rows(miaPage).first().click();
    const conversation = miaPage.getByRole('main', { name: /Conversation #\d+/ });
    await conversation.getByText('Why this priority').waitFor();
    // The factors and the words that moved the analysis.
    await expect.poll(async () => (await conversation.textContent()) ?? '', POLL).toMatch(/negativity \(sentiment -[01]\.\d+\)/);
    await expect.poll(async () => (await conversation.textContent()) ?? '', POLL).toMatch(/repeat_contact|third time/i);
    await miaPage.getByLabel('Reply').fill('I am sorry, Ann. I have refunded the second charge just now.');
    await miaPage.getByRole('button', { name: 'Send' }).click();
    const reply = await eventually(() => t.prisma.message.findFirst({ where: { conversationId, direction: 'outbound', deliveryStatus: 'sent' } }), { what: 'the reply sent', timeoutMs: POLL.timeout });
    expect(reply.text).toBe('I am sorry, Ann. I have refunded the second charge just now.');
    // In the timeline (the composer may still hold the text for a moment: the delivery can be faster than the browser).
    await conversation.getByRole('region', { name: 'Messages' }).getByText('I am sorry, Ann.').waitFor();
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

  it('filters, searches and moves with the keyboard', async () => {
    await miaPage.getByLabel('Sentiment').selectOption('negative');
    await expect.poll(async () => (await rows(miaPage).allTextContents()).join(' | '), POLL).toMatch(/^[^|]*Ann Angry[^|]*$/);
    // A question about opening hours is no complaint: it is under neutral, found by its words.
    await miaPage.getByLabel('Sentiment').selectOption('neutral');
    await miaPage.getByRole('searchbox').fill('opening hours');
    // Waits for the list the filters ask for (the one before them has one row too).
    await expect.poll(async () => (await rows(miaPage).allTextContents()).join(' | '), POLL).toMatch(/^[^|]*Cal Calm[^|]*$/);
    await miaPage.getByRole('searchbox').fill('');
    await miaPage.getByLabel('Sentiment').selectOption('');
    await expect.poll(() => rows(miaPage).count(), POLL).toBe(2);
    // j moves to the next conversation, k to the previous one.
    const order = await rows(miaPage).evaluateAll((els) => els.map((e) => e.getAttribute('data-conversation-id')));
    const at = order.indexOf(conversationId);
    const [away, back] = at < order.length - 1 ? ['j', 'k'] : ['k', 'j'];
    const selected = () => miaPage.locator('.row[aria-current="true"]').getAttribute('data-conversation-id');
    await miaPage.locator('body').click({ position: { x: 5, y: 400 } });
    await miaPage.keyboard.press(away);
    await expect.poll(selected, POLL).toBe(order[at + (away === 'j' ? 1 : -1)]);
    await miaPage.keyboard.press(back);
    await expect.poll(selected, POLL).toBe(conversationId);
  });

  it('stops a reply when the customer wrote meanwhile, until the agent sends anyway', async () => {
    // The agent starts typing with the timeline in view (typed before it is read, what it then
    // shows counts as seen: the previous test has just switched conversations, so wait for it).
    await miaPage.getByRole('region', { name: 'Messages' }).getByText('This is the third time I write', { exact: false }).waitFor({ timeout: 15_000 });
    await miaPage.getByLabel('Reply').fill('One more thing about your refund');
    await post({ externalId: 'angry-2', from: { email: 'angry@example.com' }, text: 'Hello? I am still waiting for an answer!' });
    await miaPage.getByRole('region', { name: 'Messages' }).getByText('Hello? I am still waiting for an answer!').waitFor({ timeout: 15_000 });
    await miaPage.getByRole('button', { name: 'Send' }).click();
    await miaPage.getByRole('alert').filter({ hasText: 'wrote since you started typing' }).waitFor();
    expect(await t.prisma.message.count({ where: { conversationId, text: 'One more thing about your refund' } })).toBe(0);
    await miaPage.getByRole('button', { name: 'Send anyway' }).click();
    await eventually(() => t.prisma.message.findFirst({ where: { conversationId, text: 'One more thing about your refund' } }), { what: 'the reply after the guard' });
  });

  it('shows reports for a date range, with a CSV download', async () => {
    await miaPage.getByRole('link', { name: 'Reports' }).click();
    const reports = miaPage.getByRole('main', { name: 'Reports' });
    await reports.getByRole('heading', { name: 'Complaint types' }).waitFor();
    await expect.poll(async () => (await reports.textContent()) ?? '', POLL).toMatch(/api: \d+/);
    // Which languages the analysis reads, and how many of the team's corrections the models learned from.
    const stored = await t.prisma.analysisCorrection.count();
    const models = reports.getByRole('region', { name: 'Analysis models' });
    await expect.poll(async () => (await models.textContent()) ?? '', POLL).toContain(`Sentiment models for: ${sentimentLanguages().join(', ')};`);
    expect(await models.getByTestId('corrections-learned').textContent()).toMatch(new RegExp(`learned from 0 of your agents’ corrections; ${stored} (is|are) stored`));
    await screenshot(miaPage, 'reports');
    // Fetched by the page itself, with its session cookie, as the download link would be.
    const href = (await miaPage.getByRole('link', { name: 'Download CSV' }).getAttribute('href'))!;
    const csv = await miaPage.evaluate(async (url) => {
      const res = await fetch(url);
      return { type: res.headers.get('content-type'), text: await res.text() };
    }, href);
    expect(csv.type).toMatch(/text\/csv/);
    expect(csv.text.split('\n')[0]).toBe('day,channel,messages,negative,neutral,positive,avg_sentiment');
    expect(csv.text).toMatch(/,api,\d+,/);
    await miaPage.getByRole('link', { name: 'Inbox' }).click();
  });

  it('shows a formatted message in a sandbox, with no script and no remote content', async () => {
    const r = await post({
      externalId: 'html-1', from: { email: 'html@example.com', name: 'Hana Html' }, text: 'See the table',
      html: '<p>See the <b>table</b></p><script>window.parent.hacked = 1</script><img src="https://tracker.example/pixel.gif"><p onclick="alert(1)">click</p>',
    });
    const m = await eventually(() => t.prisma.message.findUnique({ where: { id: r.body.id } }));
    await miaPage.locator(`[data-conversation-id="${m.conversationId}"]`).click();
    const frame = miaPage.frameLocator('iframe.html');
    await frame.locator('b', { hasText: 'table' }).waitFor();
    const html = await miaPage.locator('iframe.html').getAttribute('srcdoc');
    // The remote image is kept only as data-blocked-src (not loaded) until someone allows it.
    expect(html).not.toMatch(/<script|onclick|\ssrc="https?:/);
    expect(html).toMatch(/data-blocked-src/);
    expect(await miaPage.locator('iframe.html').getAttribute('sandbox')).toBe('');
    expect(await miaPage.evaluate(() => (globalThis as { hacked?: number }).hacked)).toBeUndefined();
  });

  it('inserts a saved answer with the customer\'s name', async () => {
    await miaPage.locator(`[data-conversation-id="${conversationId}"]`).click();
    await miaPage.getByLabel('Insert a saved answer').selectOption({ label: '/refund-sent — Refund sent' });
    await expect.poll(() => miaPage.getByLabel('Reply').inputValue(), POLL).toBe('Hi Ann, your refund is on its way.');
    await miaPage.getByLabel('Reply').fill('');
  });

  it('lets an admin manage saved answers and routing rules in Settings', async () => {
    const page = await (await browser.newContext()).newPage();
    await logIn(page, t.url, ada.email, PASSWORD);
    await page.getByRole('link', { name: 'Settings' }).click();
    const saved = page.getByRole('region', { name: 'Saved answers' });
    await saved.getByLabel('Shortcut').fill('delay-sorry');
    await saved.getByLabel('Title').fill('Sorry for the delay');
    await saved.getByLabel(/^Text/).fill('Hi {name}, sorry for the wait.');
    await saved.getByRole('button', { name: 'Add' }).click();
    await saved.getByText('/delay-sorry — Sorry for the delay').waitFor();
    expect(await t.prisma.cannedResponse.count({ where: { shortcut: 'delay-sorry' } })).toBe(1);
    // A bad shortcut is refused with the server's reason.
    await saved.getByLabel('Shortcut').fill('Bad Shortcut!');
    await saved.getByLabel('Title').fill('x');
    await saved.getByLabel(/^Text/).fill('x');
    await saved.getByRole('button', { name: 'Add' }).click();
    await saved.getByRole('alert').filter({ hasText: 'shortcut: letters, digits and dashes' }).waitFor();
    const rules = page.getByRole('region', { name: 'Routing rules' });
    await rules.getByRole('row', { name: /Label VIPs/ }).getByRole('checkbox').click(); // checked once the server has it
    await expect.poll(async () => (await t.prisma.routingRule.findFirstOrThrow({ where: { name: 'Label VIPs' } })).enabled, POLL).toBe(true);
    await expect.poll(() => rules.getByRole('row', { name: /Label VIPs/ }).getByRole('checkbox').isChecked(), POLL).toBe(true);
    // Rules from JSON: the advanced view beside the rule form.
    await rules.getByText('Advanced: the rule as JSON').click();
    const fromJson = rules.getByRole('form', { name: 'Add a rule from JSON' });
    await fromJson.getByLabel('Rule JSON').fill(JSON.stringify({ name: 'Gold first', event: 'message.created', conditions: [{ field: 'tier', op: 'eq', value: 'gold' }], actions: [{ type: 'set_priority', atLeast: 70 }] }));
    await fromJson.getByRole('button', { name: 'Add' }).click();
    await rules.getByRole('row', { name: /Gold first/ }).waitFor();
    await fromJson.getByLabel('Rule JSON').fill('{ "name": "broken", "event": "message.created", "actions": [{ "type": "teleport" }] }');
    await fromJson.getByRole('button', { name: 'Add' }).click();
    await rules.getByRole('alert').filter({ hasText: 'actions' }).waitFor();
    await screenshot(page, 'settings');
    await page.close();
    // Agents see no Settings.
    expect(await miaPage.getByRole('link', { name: 'Settings' }).count()).toBe(0);
  });

  it('lets an admin add an email inbox and test its connection, with the failure in words', async () => {
    const page = await (await browser.newContext()).newPage();
    await logIn(page, t.url, ada.email, PASSWORD);
    await page.getByRole('link', { name: 'Settings' }).click();
    const form = page.getByRole('form', { name: 'New email inbox' });
    await form.getByLabel('Name').fill('Mail desk');
    await form.getByLabel('Address customers write to').fill('desk@acme.test');
    await form.getByLabel('IMAP host').fill('127.0.0.1');
    await form.getByLabel('IMAP port').fill('1');
    await form.getByLabel('SMTP host').fill('127.0.0.1');
    await form.getByLabel('SMTP port').fill('1');
    await form.getByLabel('Security').selectOption('none');
    await form.getByLabel(/^Password/).fill('DESK_MAIL_PASSWORD');
    await form.getByRole('button', { name: 'Add' }).click();
    const row = page.getByRole('listitem').filter({ hasText: 'Mail desk' });
    await row.getByRole('button', { name: 'Test connection' }).click();
    // No such variable on this machine: said first, before any network attempt.
    await row.getByText('environment variable DESK_MAIL_PASSWORD (its password) is not set').first().waitFor();
    await row.getByRole('button', { name: 'Unreadable mail' }).click();
    await row.getByText('None: every mail was read.').waitFor();
    const inbox = await t.prisma.inbox.findFirstOrThrow({ where: { name: 'Mail desk' } });
    expect(inbox.config).toMatchObject({ address: 'desk@acme.test', imap: { port: 1, security: 'none' } });
    await screenshot(page, 'settings-email-inbox');
    await page.close();
  });

  it('keeps the conversation from an agent outside its inbox', async () => {
    const ottoPage = await (await browser.newContext()).newPage();
    await logIn(ottoPage, t.url, otto.email, PASSWORD);
    await expect.poll(() => ottoPage.locator(`[data-conversation-id="${conversationId}"]`).count(), POLL).toBe(0);
    // Not even by asking the API directly with the browser's session.
    const status = await ottoPage.evaluate(async (id) => (await fetch(`/api/v1/conversations/${id}`)).status, conversationId);
    expect(status).toBe(404);
  });
});
