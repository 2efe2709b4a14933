// An XSS corpus (test/fixtures/xss/vectors.txt: 60 known payloads, each in five places: the
// customer's name, the subject, the text, the HTML and a file name, so 300 in all) received by
// the product and rendered in the agent app in Chromium. Each payload, if it ran, would post a
// message to the page (which works even from a sandboxed frame) or open a dialog; the page
// counts both. None may run; no javascript: link may reach the page.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app';
import { launchBrowser, logIn, screenshot } from './helpers/browser';
import { createAgent, createInbox, PASSWORD } from './helpers/fixtures';
import { eventually } from './helpers/http';

const RUN = "top.postMessage('xss','*')";
const vectors = fs
  .readFileSync(path.resolve(import.meta.dirname, 'fixtures/xss/vectors.txt'), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => l.replaceAll('RUN', RUN));

let t: TestApp;
let browser: Browser;
let page: Page;
let dialogs = 0;
const conversations: string[] = [];

beforeAll(async () => {
  t = await startTestApp();
  const admin = await createAgent(t.prisma, { role: 'admin' });
  const { inbox } = await createInbox(t.prisma);
  // Through the intake, as every channel's connector hands a message in.
  for (const [i, v] of vectors.entries()) {
    await t.app.services.intake.accept(inbox.id, {
      externalId: `xss-${i}`,
      from: { name: v.slice(0, 200), identities: [{ kind: 'email', address: `xss${i}@example.com` }] },
      subject: v.slice(0, 500),
      text: v,
      html: `<p>payload ${i}</p>${v}`,
      attachments: [{ fileName: v.slice(0, 255), contentType: 'text/html', size: v.length, url: 'https://files.example.com/x' }],
    });
  }
  await eventually(async () => (await t.prisma.inboundReceipt.count({ where: { status: 'pending' } })) === 0, { timeoutMs: 30_000 });
  conversations.push(...(await t.prisma.conversation.findMany({ where: { inboxId: inbox.id }, select: { id: true } })).map((c) => c.id));
  browser = await launchBrowser();
  page = await (await browser.newContext()).newPage();
  page.on('dialog', (d) => {
    dialogs++;
    void d.dismiss();
  });
  await page.addInitScript(() => {
    (globalThis as unknown as { __xss: number }).__xss = 0;
    (globalThis as unknown as { addEventListener(type: string, f: (e: { data: unknown }) => void): void }).addEventListener('message', (e) => {
      if (e.data === 'xss') (globalThis as unknown as { __xss: number }).__xss++;
    });
  });
  await logIn(page, t.url, admin.email, PASSWORD);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const ran = () => page.evaluate(() => (globalThis as unknown as { __xss: number }).__xss);

describe('the XSS corpus in the agent app', () => {
  it(`renders ${vectors.length} payloads in names, subjects, texts, HTML and file names without running any`, async () => {
    expect(vectors.length * 5).toBeGreaterThanOrEqual(100);
    // The list shows every name, subject and preview.
    await expect.poll(() => page.locator('[data-conversation-id]').count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(Math.min(vectors.length, 100));
    for (const [n, id] of conversations.entries()) {
      await page.locator(`[data-conversation-id="${id}"]`).click();
      const message = page.locator('article.message-inbound');
      await message.first().waitFor();
      // The HTML pane loaded (a payload inside would have had its chance).
      await message.first().locator('iframe.html').waitFor();
      if (n === 0) {
        // The detector hears a message frame: script run inside one (by the test, past its sandbox) is counted.
        const inside = page.frames().find((f) => f !== page.mainFrame())!;
        await inside.evaluate((run) => new Function(run)(), RUN);
        await expect.poll(ran, { timeout: 5_000 }).toBe(1);
        await page.evaluate(() => void ((globalThis as unknown as { __xss: number }).__xss = 0));
      }
      if (n === 0 || n === 7 || n === 45) await screenshot(page, `xss-${n}`);
    }
    await page.waitForTimeout(500);
    expect(await ran()).toBe(0);
    expect(dialogs).toBe(0);
    // No executable link reached the page or a frame's document.
    expect(await page.locator('a[href^="javascript:" i], a[href^="data:" i], [src^="javascript:" i]').count()).toBe(0);
    // The page's own module script aside, no script element or handler attribute anywhere.
    expect(await page.locator('script:not([src^="/assets/"]), [onerror], [onload], [onclick], [onfocus]').count()).toBe(0);
    const frames = page.frames().filter((f) => f !== page.mainFrame());
    expect(frames.length).toBeGreaterThan(0);
    for (const frame of frames) expect(await frame.locator('script, [onerror], [onload], [onclick], [onfocus], a[href^="javascript:" i]').count()).toBe(0);
  });
});
