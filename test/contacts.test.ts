// The contact directory through the API: search by every kind of identity, paging, edits with
// custom attributes checked against their definitions, a CRM's sync by identity (created once,
// then updated), and an agent seeing only the contacts of conversations they see.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app';
import { createAgent, createInbox } from './helpers/fixtures';
import { eventually, login, request } from './helpers/http';

let t: TestApp;
let admin: string;
let agent: string;
let inboxA: string;
let inboxB: string;
const api = (path: string, token: string, init: { method?: string; body?: unknown } = {}) => request(`${t.url}/api/v1${path}`, { token, ...init });

beforeAll(async () => {
  t = await startTestApp();
  admin = await login(t.url, (await createAgent(t.prisma, { role: 'admin' })).email);
  const member = await createAgent(t.prisma, { name: 'Mo Member' });
  agent = await login(t.url, member.email);
  inboxA = (await createInbox(t.prisma, { memberIds: [member.id] })).inbox.id;
  inboxB = (await createInbox(t.prisma)).inbox.id;
});
afterAll(async () => t?.close());

const sync = (kind: string, address: string, body: Record<string, unknown> = {}) => api(`/contacts/by-identity/${kind}/${encodeURIComponent(address)}`, admin, { method: 'PUT', body });
const search = async (q: string, token = admin) => ((await api(`/contacts?q=${encodeURIComponent(q)}`, token)).body.data as Array<{ id: string }>).map((c) => c.id);

describe('the contact directory', () => {
  it('finds a contact by every kind of identity', async () => {
    const made = {
      email: (await sync('email', 'Rosa.Diaz@Example.com', { name: 'Rosa Díaz' })).body.contact.id,
      phone: (await sync('phone', '+34 612 345 678', { name: 'Pau Ferrer' })).body.contact.id,
      twitter: (await sync('twitter', '@NightOwl_88', { name: 'Night Owl' })).body.contact.id,
      slack: (await sync('slack', 'U0SLACKUSR', {})).body.contact.id,
      widget: (await sync('widget', 'visitor-7f3k2', {})).body.contact.id,
      api: (await sync('api', 'crm-000123', {})).body.contact.id,
    };
    expect(await search('rosa.diaz@')).toEqual([made.email]);
    expect(await search('@example.com')).toContain(made.email);
    expect(await search('612 345 678')).toEqual([made.phone]);
    expect(await search('nightowl')).toEqual([made.twitter]);
    expect(await search('U0SLACK')).toEqual([made.slack]);
    expect(await search('visitor-7f3k')).toEqual([made.widget]);
    expect(await search('crm-000123')).toEqual([made.api]);
    expect(await search('Díaz')).toEqual([made.email]);
    const found = (await api(`/contacts/${made.phone}`, admin)).body.contact;
    expect(found).toMatchObject({ name: 'Pau Ferrer', phone: '+34612345678', identities: [{ kind: 'phone', address: '+34612345678', optedOut: false }] });
    expect((await api('/contacts?q=ab', admin)).status).toBe(400);
  });

  it('pages newest first by cursor, each contact once', async () => {
    for (let i = 0; i < 7; i++) await sync('api', `page-${i}`, { name: `Pager ${i}` });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const r = await api(`/contacts?limit=3${cursor ? `&cursor=${cursor}` : ''}`, admin);
      seen.push(...(r.body.data as Array<{ id: string }>).map((c) => c.id));
      cursor = r.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(await t.prisma.contact.count());
    expect((await api('/contacts?cursor=not-a-cursor', admin)).status).toBe(400);
  });

  it('checks attribute values against their definitions, naming each field', async () => {
    expect((await api('/contact-attributes', admin, { body: { key: 'plan', label: 'Plan', type: 'list', options: ['free', 'pro'] } })).status).toBe(201);
    expect((await api('/contact-attributes', admin, { body: { key: 'seats', label: 'Seats', type: 'number' } })).status).toBe(201);
    expect((await api('/contact-attributes', admin, { body: { key: 'renewal', label: 'Renewal', type: 'date' } })).status).toBe(201);
    expect((await api('/contact-attributes', admin, { body: { key: 'tags', label: 'Tags', type: 'list' } })).status).toBe(400);
    expect((await api('/contact-attributes', admin, { body: { key: 'plan', label: 'Again', type: 'text' } })).status).toBe(409);
    expect((await api('/contact-attributes', agent, { body: { key: 'x', label: 'X', type: 'text' } })).status).toBe(403);
    const id = (await sync('email', 'attrs@example.com', { name: 'Ada Attr' })).body.contact.id;
    const bad = await api(`/contacts/${id}`, admin, { method: 'PATCH', body: { attributes: { plan: 'gold', seats: 'many', renewal: '2027-13-45', colour: 'red' } } });
    expect(bad.status).toBe(400);
    expect((bad.body.error.details as Array<{ path: string }>).map((d) => d.path).sort()).toEqual(['attributes.colour', 'attributes.plan', 'attributes.renewal', 'attributes.seats']);
    expect((await api(`/contacts/${id}`, admin, { method: 'PATCH', body: { timeZone: 'Mars/Olympus' } })).body.error.details[0].path).toBe('timeZone');
    const good = await api(`/contacts/${id}`, admin, { method: 'PATCH', body: { attributes: { plan: 'pro', seats: '12', renewal: '2027-03-01' }, tier: 'gold', language: 'es', timeZone: 'Europe/Madrid', customerValue: 1200 } });
    expect(good.status).toBe(200);
    expect(good.body).toMatchObject({ attributes: { plan: 'pro', seats: 12, renewal: '2027-03-01' }, tier: 'gold', language: 'es', timeZone: 'Europe/Madrid', customerValue: 1200 });
    // A null clears one value; the others stay.
    expect((await api(`/contacts/${id}`, admin, { method: 'PATCH', body: { attributes: { seats: null } } })).body.attributes).toEqual({ plan: 'pro', renewal: '2027-03-01' });
  });

  it('syncs by identity from a CRM: created once, then updated, never twice', async () => {
    const first = await sync('email', 'Shopper@Example.org', { name: 'Sam Shopper', customerValue: 500, tier: 'silver' });
    const again = await sync('email', 'shopper@example.org', { customerValue: 900, attributes: { plan: 'free' } });
    expect([first.body.created, again.body.created]).toEqual([true, false]);
    expect(again.body.contact).toMatchObject({ id: first.body.contact.id, name: 'Sam Shopper', customerValue: 900, tier: 'silver', attributes: { plan: 'free' } });
    expect(await t.prisma.contactIdentity.count({ where: { address: 'shopper@example.org' } })).toBe(1);
    expect((await sync('fax', '123')).status).toBe(400);
    expect((await api(`/contacts/by-identity/email/x%40y.z`, agent, { method: 'PUT', body: {} })).status).toBe(403);
  });

  it('shows an agent only the contacts of conversations they see', async () => {
    const start = (inboxId: string, email: string) => api('/conversations', admin, { body: { inboxId, to: { email, name: email.split('@')[0] }, text: 'Hello' } });
    const mine = (await start(inboxA, 'inbox-a-customer@example.net')).body.conversation.contact.id;
    const theirs = (await start(inboxB, 'inbox-b-customer@example.net')).body.conversation.contact.id;
    const listed = ((await api('/contacts?limit=200', agent)).body.data as Array<{ id: string }>).map((c) => c.id);
    expect(listed).toContain(mine);
    expect(listed).not.toContain(theirs);
    expect(await search('inbox-b-customer@', agent)).toEqual([]);
    expect((await api(`/contacts/${theirs}`, agent)).status).toBe(404);
    expect((await api(`/contacts/${theirs}`, agent, { method: 'PATCH', body: { tier: 'gold' } })).status).toBe(404);
    expect((await api(`/contacts/${mine}`, agent, { method: 'PATCH', body: { tier: 'gold' } })).body.tier).toBe('gold');
  });
});

describe('do not contact', () => {
  it('refuses an agent\u2019s reply with the reason, keeps notes, and sends no acknowledgement', async () => {
    const r = await startTestApp({ env: { ROUTING_DEFAULTS: 'true' } });
    try {
      const token = await login(r.url, (await createAgent(r.prisma, { role: 'admin' })).email);
      const inbox = await createInbox(r.prisma);
      const call = (path: string, init: { method?: string; body?: unknown } = {}) => request(`${r.url}/api/v1${path}`, { token, ...init });
      const post = (externalId: string, email: string) => request(`${r.url}/api/v1/inboxes/${inbox.inbox.id}/messages`, { token: inbox.token, body: { externalId, from: { email }, text: 'Where is my order?' } });
      // One customer asked not to be contacted before writing; the other did not.
      const quiet = (await call(`/contacts/by-identity/email/${encodeURIComponent('quiet@example.com')}`, { method: 'PUT', body: { doNotContact: true } })).body.contact;
      expect(quiet).toMatchObject({ doNotContact: true, doNotContactAt: expect.any(String) });
      const q = await post('q-1', 'quiet@example.com');
      const n = await post('n-1', 'normal@example.com');
      const messages = (id: string) => r.prisma.message.findMany({ where: { conversation: { messages: { some: { id } } } } });
      // The other customer's acknowledgement arriving means routing has handled both (one batch, in order).
      await eventually(async () => ((await messages(n.body.id)).some((m) => m.senderType === 'system' && m.direction === 'outbound') ? true : null), { what: 'an acknowledgement to the other customer' });
      // Routing's events are written with the message (an outbox) and deleted once handled.
      const { conversationId } = await eventually(() => r.prisma.message.findUnique({ where: { id: q.body.id } }), { what: 'the quiet customer\u2019s message stored' });
      await eventually(async () => ((await r.prisma.routingEvent.count({ where: { conversationId } })) === 0 ? true : null), { what: 'routing done with it' });
      expect((await messages(q.body.id)).filter((m) => m.direction === 'outbound')).toEqual([]);
      const reply = await call(`/conversations/${conversationId}/messages`, { body: { text: 'Hello!' } });
      expect(reply.status).toBe(409);
      expect(reply.body.error).toMatchObject({ code: 'do_not_contact', message: expect.stringMatching(/asked not to be contacted/) });
      expect((await call(`/conversations/${conversationId}/messages`, { body: { text: 'Called them instead.', private: true } })).status).toBe(201);
      // Off again: replies go.
      await call(`/contacts/${quiet.id}`, { method: 'PATCH', body: { doNotContact: false } });
      expect((await call(`/conversations/${conversationId}/messages`, { body: { text: 'Hello!' } })).status).toBe(201);
    } finally {
      await r.close();
    }
  });
});
