// The chat widget as a customer meets it: a shop page on another origin embeds the script
// tag; the visitor chats in Chromium; the agent answers from the API. Text stays text.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app';
import { launchBrowser, logIn, screenshot } from './helpers/browser';
import { createAgent, PASSWORD } from './helpers/fixtures';
import { login, request } from './helpers/http';

let t: TestApp;
let browser: Browser;
let shop: http.Server;
let shopUrl: string;
let admin: string;
const POLL = { timeout: 15_000 };

beforeAll(async () => {
  t = await startTestApp();
  admin = await login(t.url, (await createAgent(t.prisma, { role: 'admin', name: 'Ada Admin' })).email);
  shop = http.createServer();
  await new Promise<void>((r) => shop.listen(0, '127.0.0.1', r));
  shopUrl = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`;
  const inbox = await request(`${t.url}/api/v1/inboxes`, { token: admin, body: { kind: 'widget', name: 'Shop chat', config: { allowedOrigins: [shopUrl] } } });
  expect(inbox.status).toBe(201);
  shop.on('request', (_req, res) => {
    res.setHeader('content-type', 'text/html');
    res.end(`<!doctype html><html><head><title>Kettle shop</title></head><body><h1>Kettles</h1><p>The best kettles.</p><script src="${t.url}/widget.js" data-inbox="${inbox.body.id}" async></script></body></html>`);
  });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  shop?.close();
  await t?.close();
});

describe('chat widget in a browser', () => {
  it('lets a visitor on another site chat with an agent, showing every text as text', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(shopUrl);
    // The host page is usable at once: the script is async.
    await page.getByRole('heading', { name: 'Kettles' }).waitFor();
    await page.getByRole('button', { name: 'Chat with us' }).click();
    const chat = page.getByRole('region', { name: 'Chat' });
    await chat.getByText('Hi! How can we help?').waitFor();
    await chat.getByPlaceholder('Your name (optional)').fill('Vera');
    await chat.getByRole('textbox', { name: 'Message' }).fill('<img src=x onerror="window.pwned=1"> is my kettle broken?');
    await chat.getByRole('button', { name: 'Send' }).click();

    const stored = await expect.poll(() => t.prisma.message.findFirst({ where: { direction: 'inbound' } }), POLL).toBeTruthy().then(() => t.prisma.message.findFirstOrThrow({ where: { direction: 'inbound' } }));
    expect(stored.text).toBe('<img src=x onerror="window.pwned=1"> is my kettle broken?');
    const r = await request(`${t.url}/api/v1/conversations/${stored.conversationId}/messages`, { token: admin, body: { text: 'Not broken: <b>descale</b> it.' } });
    expect(r.status).toBe(201);
    await chat.getByText('Not broken: <b>descale</b> it.').waitFor();
    await chat.getByText('<img src=x onerror="window.pwned=1"> is my kettle broken?').waitFor();
    expect(await page.evaluate(() => (globalThis as { pwned?: number }).pwned)).toBeUndefined();
    // The visitor saw it while the chat was open: read.
    await expect.poll(async () => (await t.prisma.message.findUniqueOrThrow({ where: { id: r.body.id } })).deliveryStatus, POLL).toBe('read');
    await screenshot(page, 'widget');

    // A reload (the same visitor, from the browser's storage) shows the history, once.
    await page.reload();
    await page.getByRole('button', { name: 'Chat with us' }).click();
    await chat.getByText('Not broken: <b>descale</b> it.').waitFor();
    expect(await chat.getByRole('listitem').count()).toBe(2);
    await page.close();
  });

  it('previews the widget on a page of the product itself', async () => {
    const inbox = await t.prisma.inbox.findFirstOrThrow({ where: { kind: 'widget', name: 'Shop chat' } });
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${t.url}/widget/preview/${inbox.id}`);
    await page.getByRole('heading', { name: 'Shop chat' }).waitFor();
    await page.getByRole('button', { name: 'Chat with us' }).click();
    const chat = page.getByRole('region', { name: 'Chat' });
    await chat.getByRole('textbox', { name: 'Message' }).fill('Trying the preview');
    await chat.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => t.prisma.message.count({ where: { text: 'Trying the preview' } }), POLL).toBe(1);
    expect((await fetch(`${t.url}/widget/preview/00000000-0000-0000-0000-000000000000`)).status).toBe(404);
    await page.close();
  });

  it('speaks the page\'s language: French on a page with lang="fr", a site\'s own words over the built-in ones', async () => {
    const inbox = await t.prisma.inbox.findFirstOrThrow({ where: { kind: 'widget', name: 'Shop chat' } });
    await t.prisma.inbox.update({ where: { id: inbox.id }, data: { config: { ...(inbox.config as object), texts: { fr: { send: 'Envoyer le message' } } } } });
    t.app.services.inboxes.invalidate(inbox.id);
    const page = await (await browser.newContext({ locale: 'en-US' })).newPage();
    await page.goto(`${t.url}/widget/preview/${inbox.id}?lang=fr`);
    await page.getByRole('button', { name: 'Discuter avec nous' }).click();
    const chat = page.getByRole('region', { name: 'Discussion' });
    await chat.getByText('Bonjour ! Comment pouvons-nous vous aider ?').waitFor();
    await chat.getByRole('textbox', { name: 'Message' }).fill('Où est mon colis ?');
    await chat.getByRole('button', { name: 'Envoyer le message' }).click();
    await expect.poll(() => t.prisma.message.count({ where: { text: 'Où est mon colis ?' } }), POLL).toBe(1);
    await screenshot(page, 'widget-french');
    await page.close();
  });

  it('shows admins the embed snippet of a widget inbox, ready to copy', async () => {
    const page = await (await browser.newContext()).newPage();
    const ada = await t.prisma.agent.findFirstOrThrow({ where: { role: 'admin' } });
    await logIn(page, t.url, ada.email, PASSWORD);
    await page.getByRole('link', { name: 'Settings' }).click();
    const form = page.getByRole('form', { name: 'New chat widget' });
    await form.getByLabel('Name').fill('Help centre chat');
    await form.getByLabel(/^Sites allowed/).fill('https://help.example');
    await form.getByRole('button', { name: 'Add' }).click();
    const inbox = await expect.poll(() => t.prisma.inbox.findFirst({ where: { name: 'Help centre chat' } }), POLL).toBeTruthy().then(() => t.prisma.inbox.findFirstOrThrow({ where: { name: 'Help centre chat' } }));
    expect(inbox.config).toMatchObject({ allowedOrigins: ['https://help.example'] });
    const row = page.getByRole('listitem').filter({ hasText: 'Help centre chat' });
    await row.getByText(`<script src="${t.url}/widget.js" data-inbox="${inbox.id}" async></script>`).waitFor();
    await page.close();
  });
});
