// Settings → Webhooks in Chromium: an admin subscribes a receiver, reads the secret once,
// sends a test event and reads its delivery in the log; a receiver that answers 500 shows why.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app';
import { launchBrowser, logIn, screenshot } from './helpers/browser';
import { createAgent, PASSWORD } from './helpers/fixtures';

let t: TestApp;
let browser: Browser;
let page: Page;
const answers: number[] = [];
const receiver = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(answers.shift() ?? 200).end('ok'));
});
const POLL = { timeout: 15_000 };

beforeAll(async () => {
  await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
  t = await startTestApp({ env: { WEBHOOK_ALLOW_PRIVATE: 'true' } });
  const admin = await createAgent(t.prisma, { role: 'admin' });
  browser = await launchBrowser();
  page = await (await browser.newContext()).newPage();
  await logIn(page, t.url, admin.email, PASSWORD);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
  receiver.close();
});

describe('webhooks in Settings', () => {
  it('subscribes a receiver, shows the secret once, and logs a test delivery', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    const section = page.getByRole('region', { name: 'Webhooks' });
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    await section.getByLabel('Receiver URL').fill(url);
    await section.getByLabel('conversation.resolved').check();
    await section.getByRole('button', { name: 'Add' }).click();
    await expect.poll(() => section.getByRole('status').innerText(), POLL).toMatch(/shown this once: whsec_/);
    await expect.poll(() => section.getByRole('listitem').first().innerText(), POLL).toContain(url);
    answers.push(500);
    await section.getByRole('button', { name: 'Send a test event' }).click();
    const log = section.getByRole('table', { name: 'Deliveries' });
    await expect.poll(async () => (await log.count()) && log.innerText(), POLL).toMatch(/ping\s+failed · 1 attempt · HTTP 500/);
    await log.getByRole('button', { name: 'Send again' }).click();
    await expect.poll(() => log.innerText(), POLL).toMatch(/ping\s+delivered · 2 attempts · HTTP 200/);
    await screenshot(page, 'settings-webhooks');
  });
});
