// Localisation through the product: a Portuguese customer (their language and title on the
// contact, formal) gets the acknowledgement in Portuguese with the right salutation, though
// they wrote a few words the analysis reads otherwise; an agent's language and time zone are
// kept and checked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app';
import { createAgent, createInbox } from './helpers/fixtures';
import { eventually, login, request } from './helpers/http';

let t: TestApp;
let admin: string;

beforeAll(async () => {
  t = await startTestApp({ env: { ROUTING_DEFAULTS: 'true' } });
  const ada = await createAgent(t.prisma, { role: 'admin', name: 'Ada Admin' });
  admin = await login(t.url, ada.email);
});
afterAll(async () => {
  await t?.close();
});

describe('localisation', () => {
  it('acknowledges a Portuguese customer in Portuguese, with the salutation their title and preference want', async () => {
    const { inbox, token } = await createInbox(t.prisma, { name: 'Loja' });
    // The shop's CRM knows João: his language, his title, that he prefers formal address.
    const synced = await request(`${t.url}/api/v1/contacts/by-identity/email/joao.silva@cliente.test`, { token: admin, method: 'PUT', body: { name: 'João Silva', language: 'pt-PT', title: 'mr', formality: 'formal' } });
    expect(synced.status, JSON.stringify(synced.body)).toBeLessThan(300);
    await request(`${t.url}/api/v1/inboxes/${inbox.id}/messages`, { token, body: { externalId: 'pt-1', from: { name: 'João Silva', email: 'joao.silva@cliente.test' }, text: 'Order 4471 refund please' } });
    const m = await eventually(() => t.prisma.message.findFirst({ where: { externalId: 'pt-1' } }), { what: 'stored' });
    const ack = await eventually(() => t.prisma.message.findFirst({ where: { conversationId: m.conversationId, direction: 'outbound', senderType: 'system' } }), { what: 'acknowledgement', timeoutMs: 15_000 });
    expect(ack.text).toMatch(/^Prezado Sr\. Silva, /);
    expect(ack.text).toMatch(/A sua referência é #\d+\.$/);
  });

  it('keeps an agent\'s language and time zone, and refuses ones that do not exist', async () => {
    expect((await request(`${t.url}/api/v1/auth/preferences`, { token: admin, method: 'PUT', body: { locale: 'de', timeZone: 'Europe/Berlin' } })).body).toEqual({ locale: 'de', timeZone: 'Europe/Berlin' });
    expect((await request(`${t.url}/api/v1/auth/me`, { token: admin })).body.preferences).toEqual({ locale: 'de', timeZone: 'Europe/Berlin' });
    const bad = await request(`${t.url}/api/v1/auth/preferences`, { token: admin, method: 'PUT', body: { locale: 'de', timeZone: 'Europe/Atlantis' } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('an IANA time zone such as Europe/Madrid');
  });
});
