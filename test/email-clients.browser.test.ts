// Real clients' mail in the agent app (Debian's Chromium against the real product, mail read
// over IMAP from Dovecot): an Apple Mail message shows its two inline images in place and
// lists no files; a Japanese subject reads right in the list and in the conversation.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, logIn, screenshot } from './helpers/browser';
import { emailWorld, eventually, type EmailWorld } from './helpers/email-app';
import { createAgent, PASSWORD } from './helpers/fixtures';

const CLIENTS = path.resolve(import.meta.dirname, 'fixtures/email/clients');
const POLL = { timeout: 15_000 };
let w: EmailWorld;
let browser: Browser;
let page: Page;

async function land(file: string, externalId: string) {
  await w.imap.deliver('support@acme.test', fs.readFileSync(path.join(CLIENTS, file)));
  return eventually(() => w.t.prisma.message.findFirst({ where: { externalId } }), `${file} stored`);
}

beforeAll(async () => {
  w = await emailWorld({ users: ['support@acme.test'] });
  await w.addInbox('Support', 'support@acme.test');
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await w?.close();
});

describe('mail from real clients in the agent app', () => {
  it('shows an Apple Mail message with its two inline images in place and no files', async () => {
    const m = await land('01-apple-mail-two-inline-images.eml', '<apple1@clients.test>');
    expect(await w.t.prisma.attachment.count({ where: { messageId: m.id } })).toBe(0);
    const admin = await createAgent(w.t.prisma, { role: 'admin', name: 'Ivy Inline' });
    page = await (await browser.newContext()).newPage();
    await logIn(page, w.t.url, admin.email, PASSWORD);
    await page.locator(`[data-conversation-id="${m.conversationId}"]`).click();
    const message = page.locator(`[data-message-id="${m.id}"]`);
    await message.waitFor();
    const frame = message.frameLocator('iframe.html');
    const images = frame.locator('img');
    await expect.poll(() => images.count(), POLL).toBe(2);
    // Both decoded and drawn at their own size: the bytes reached the page.
    await expect.poll(() => images.evaluateAll((els) => els.map((e) => (e as unknown as { naturalWidth: number }).naturalWidth)), POLL).toEqual([24, 16]);
    expect(await message.locator('.attachments').count()).toBe(0);
    await screenshot(page, 'email-inline-images');
  });

  it('shows a Shift_JIS subject in Japanese in the list and the conversation', async () => {
    const m = await land('14-shift-jis-encoded-word-subject.eml', '<sjis1@clients.test>');
    const row = page.locator(`[data-conversation-id="${m.conversationId}"]`);
    await expect.poll(() => row.innerText(), POLL).toContain('注文した商品が届きません');
    await row.click();
    const message = page.locator(`[data-message-id="${m.id}"]`);
    await expect.poll(() => message.locator('.subject').innerText(), POLL).toBe('注文した商品が届きません');
    expect(await message.innerText()).toContain('一週間待っています');
    await expect.poll(() => page.getByRole('heading').filter({ hasText: '注文した商品が届きません' }).count(), POLL).toBeGreaterThan(0);
    await screenshot(page, 'email-japanese-subject');
  });
});
