// The agent's own locale and time zone in Chromium: German dates in Berlin time on the
// messages, the customer's language and local time in the conversation's header ("Spanisch ·
// 11:05 · Madrid"), the app's words in German; in Spanish for a Spanish-speaking agent; an
// Arabic locale turns the app right to left without anything overflowing. Screenshots.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app';
import { launchBrowser, logIn, screenshot } from './helpers/browser';
import { createAgent, createInbox, PASSWORD } from './helpers/fixtures';
import { eventually, login, request } from './helpers/http';

const POLL = { timeout: 15_000 };
let t: TestApp;
let browser: Browser;
let email: string;
let token: string;
let conversationId: string;
let sentAt: Date;

beforeAll(async () => {
  t = await startTestApp({ env: { ROUTING_DEFAULTS: 'true' } });
  const ada = await createAgent(t.prisma, { role: 'admin', name: 'Ada Admin' });
  email = ada.email;
  token = await login(t.url, ada.email);
  const { inbox, token: inboxToken } = await createInbox(t.prisma, { name: 'Tienda', memberIds: [ada.id] });
  await request(`${t.url}/api/v1/inboxes/${inbox.id}/messages`, { token: inboxToken, body: { externalId: 'es-1', from: { name: 'Lucía Fernández', email: 'lucia@cliente.test' }, text: 'Hola, mi pedido 7788 no ha llegado todavía. ¿Pueden ayudarme?' } });
  const m = await eventually(() => t.prisma.message.findFirst({ where: { externalId: 'es-1' } }), { what: 'stored' });
  conversationId = m.conversationId;
  sentAt = m.sentAt;
  await t.prisma.contact.update({ where: { id: m.contactId! }, data: { language: 'es', timeZone: 'Europe/Madrid' } });
  await request(`${t.url}/api/v1/canned-responses`, { token, body: { shortcut: 'on-it', title: 'On it', text: '{greeting} we are on it and will write today.', variants: { es: '{greeting} ya estamos en ello y te escribimos hoy.' } } });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('the agent\'s locale', () => {
  it('shows dates in German in Berlin time, and the customer\'s language and local time', async () => {
    await request(`${t.url}/api/v1/auth/preferences`, { token, method: 'PUT', body: { locale: 'de', timeZone: 'Europe/Berlin' } });
    const page = await (await browser.newContext({ locale: 'en-US', timezoneId: 'America/New_York' })).newPage();
    await logIn(page, t.url, email, PASSWORD);
    await page.locator(`[data-conversation-id="${conversationId}"]`).click();
    const berlin = new Intl.DateTimeFormat('de', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Berlin' }).format(sentAt);
    await page.locator('article time').filter({ hasText: berlin }).first().waitFor(POLL);
    const madrid = new Intl.DateTimeFormat('de', { timeStyle: 'short', timeZone: 'Europe/Madrid' }).format(new Date());
    await expect.poll(() => page.locator('.customer-locale').innerText(), POLL).toMatch(new RegExp(`^Spanisch · (${madrid.replace(':', '\\:')}|\\d\\d:\\d\\d) · Madrid$`));
    expect(await page.evaluate<string>('document.documentElement.lang')).toBe('de');
    // The app's words in German.
    await page.getByRole('link', { name: 'Einstellungen' }).waitFor(POLL);
    expect(await page.locator('#composer-text').getAttribute('placeholder')).toBe('Antwort an den Kunden schreiben…');
    // A saved answer with a Spanish variant: the Spanish customer gets it, greeted in Spanish.
    await page.locator('.composer-tools select').last().selectOption({ label: '/on-it — On it' });
    expect(await page.locator('#composer-text').inputValue()).toBe('Hola Lucía: ya estamos en ello y te escribimos hoy.');
    await screenshot(page, 'locale-german-berlin');
    // Reports count the agent's days (Berlin's), and say so.
    await page.getByRole('link', { name: 'Berichte' }).click();
    await expect
      .poll(async () => {
        const zone = await page.locator('.report-zone').innerText({ timeout: 5_000 }).catch(() => '');
        if (!zone.startsWith('Tage nach')) await page.reload();
        return zone;
      }, POLL)
      .toBe('Tage nach der Uhrzeit von Europe/Berlin.');
    await page.close();
  });

  it('speaks Spanish to a Spanish-speaking agent', async () => {
    // Before logging in: the browser's language, the server's refusal said in it.
    const before = await (await browser.newContext({ locale: 'es-ES' })).newPage();
    await before.goto(t.url);
    await before.getByLabel('Correo electrónico').fill(email);
    await before.getByLabel('Contraseña').fill('not-the-password');
    await before.getByRole('button', { name: 'Iniciar sesión' }).click();
    await before.getByRole('alert').filter({ hasText: 'El correo o la contraseña no son correctos.' }).waitFor(POLL);
    await before.close();
    await request(`${t.url}/api/v1/auth/preferences`, { token, method: 'PUT', body: { locale: 'es', timeZone: 'Europe/Madrid' } });
    const page = await (await browser.newContext()).newPage();
    await logIn(page, t.url, email, PASSWORD);
    await page.getByRole('link', { name: 'Ajustes' }).waitFor(POLL);
    await page.getByRole('navigation', { name: 'Vistas' }).getByRole('button', { name: 'Sin asignar' }).waitFor(POLL);
    // What happened to the conversation, said in Spanish (the server stores the English line and the facts).
    const ada = await t.prisma.agent.findFirstOrThrow({ where: { email } });
    expect((await request(`${t.url}/api/v1/conversations/${conversationId}/assign`, { token, body: { assigneeId: ada.id } })).status).toBe(200);
    expect((await request(`${t.url}/api/v1/conversations/${conversationId}/assign`, { token, body: { assigneeId: null } })).status).toBe(200);
    await page.locator(`[data-conversation-id="${conversationId}"]`).click();
    await page.locator('.activity').filter({ hasText: 'Asignada a Ada Admin por Ada Admin' }).waitFor(POLL);
    await page.locator('.activity').filter({ hasText: 'Sin asignar por Ada Admin' }).waitFor(POLL);
    await page.getByRole('button', { name: 'Asignármela' }).waitFor(POLL);
    await page.getByRole('region', { name: 'Traspaso' }).waitFor(POLL);
    expect(await page.locator('#composer-text').getAttribute('placeholder')).toBe('Escribe una respuesta al cliente…');
    await screenshot(page, 'locale-spanish');
    await page.close();
  });

  it('shows a Portuguese customer the acknowledgement in Portuguese, with the salutation they prefer', async () => {
    const { inbox, token: inboxToken } = await createInbox(t.prisma, { name: 'Loja', memberIds: [(await t.prisma.agent.findFirstOrThrow({ where: { email } })).id] });
    await request(`${t.url}/api/v1/contacts/by-identity/email/joao.silva@cliente.test`, { token, method: 'PUT', body: { name: 'João Silva', language: 'pt-PT', title: 'mr', formality: 'formal' } });
    await request(`${t.url}/api/v1/inboxes/${inbox.id}/messages`, { token: inboxToken, body: { externalId: 'pt-1', from: { name: 'João Silva', email: 'joao.silva@cliente.test' }, text: 'A minha encomenda 4471 chegou partida.' } });
    const m = await eventually(() => t.prisma.message.findFirst({ where: { externalId: 'pt-1' } }), { what: 'stored' });
    const page = await (await browser.newContext()).newPage();
    await logIn(page, t.url, email, PASSWORD);
    await page.locator(`[data-conversation-id="${m.conversationId}"]`).click();
    await page.getByRole('article').filter({ hasText: /^.*Prezado Sr\. Silva, / }).waitFor(POLL);
    await screenshot(page, 'acknowledgement-portuguese');
    await page.close();
  });

  it('turns the app right to left for Arabic, with nothing overflowing', async () => {
    await request(`${t.url}/api/v1/auth/preferences`, { token, method: 'PUT', body: { locale: 'ar', timeZone: 'Asia/Dubai' } });
    for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
      const page = await (await browser.newContext({ viewport })).newPage();
      await logIn(page, t.url, email, PASSWORD);
      await page.locator(`[data-conversation-id="${conversationId}"]`).click();
      await page.locator('.customer-locale').waitFor(POLL);
      expect(await page.evaluate<string>('document.documentElement.dir')).toBe('rtl');
      expect(await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth')).toBe(0);
      await screenshot(page, `locale-arabic-rtl-${viewport.width}`);
      await page.close();
    }
  });
});
