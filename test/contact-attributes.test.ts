// Custom contact attributes at work: a routing rule's condition on one (a contact on the
// enterprise plan gets a label and a higher priority as their message arrives), the
// conversation list filtered by one, and the directory's search finding attribute values.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app';
import { createAgent, createInbox } from './helpers/fixtures';
import { eventually, login, request } from './helpers/http';

let t: TestApp;
let admin: string;
let inbox: { id: string; token: string };
const api = (path: string, init: { method?: string; body?: unknown } = {}) => request(`${t.url}/api/v1${path}`, { token: admin, ...init });
const post = (externalId: string, email: string) => request(`${t.url}/api/v1/inboxes/${inbox.id}/messages`, { token: inbox.token, body: { externalId, from: { email }, text: 'The export button does nothing.' } });

beforeAll(async () => {
  t = await startTestApp();
  admin = await login(t.url, (await createAgent(t.prisma, { role: 'admin' })).email);
  const made = await createInbox(t.prisma);
  inbox = { id: made.inbox.id, token: made.token };
  await api('/contact-attributes', { method: 'POST', body: { key: 'plan', label: 'Plan', type: 'list', options: ['free', 'enterprise'] } });
  await api('/contact-attributes', { method: 'POST', body: { key: 'seats', label: 'Seats', type: 'number' } });
  await api('/contacts/by-identity/email/big@corp.test', { method: 'PUT', body: { name: 'Big Corp Buyer', attributes: { plan: 'enterprise', seats: 250 } } });
  await api('/contacts/by-identity/email/small@home.test', { method: 'PUT', body: { name: 'Home User', attributes: { plan: 'free', seats: 1 } } });
});
afterAll(async () => t?.close());

describe('contact attributes', () => {
  it('drive a routing rule', async () => {
    const rule = await api('/routing/rules', {
      method: 'POST',
      body: { name: 'Enterprise first', event: 'message.created', conditions: [{ field: 'attribute', key: 'plan', op: 'eq', value: 'enterprise' }, { field: 'attribute', key: 'seats', op: 'gte', value: 100 }], actions: [{ type: 'add_label', label: 'enterprise' }, { type: 'set_priority', atLeast: 80 }] },
    });
    expect(rule.status).toBe(201);
    expect((await api('/routing/rules', { method: 'POST', body: { name: 'No key', event: 'message.created', conditions: [{ field: 'attribute', op: 'eq', value: 'x' }], actions: [{ type: 'escalate' }] } })).status).toBe(400);
    await post('big-1', 'big@corp.test');
    await post('small-1', 'small@home.test');
    const big = await eventually(async () => {
      const c = (await api('/conversations?q=big@corp.test')).body.data[0];
      return c?.labels.length && c;
    }, { what: 'the rule to label the enterprise conversation' });
    expect(big.labels.map((l: { name: string }) => l.name)).toEqual(['enterprise']);
    expect(big.priority).toBeGreaterThanOrEqual(80);
    const small = await eventually(async () => (await api('/conversations?q=small@home.test')).body.data[0], { what: 'the other conversation' });
    expect(small.labels).toEqual([]);
  });

  it('filter the conversation list', async () => {
    const enterprise = (await api('/conversations?attribute=plan:enterprise')).body.data;
    expect(enterprise.map((c: { contact: { name: string } }) => c.contact.name)).toEqual(['Big Corp Buyer']);
    expect((await api('/conversations?attribute=seats:1')).body.data.map((c: { contact: { name: string } }) => c.contact.name)).toEqual(['Home User']);
    const unknown = await api('/conversations?attribute=shoe:42');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/No contact attribute shoe/);
  });

  it('are found by the directory\'s search', async () => {
    const found = (await api('/contacts?q=enterpri')).body.data.map((c: { name: string }) => c.name);
    expect(found).toEqual(['Big Corp Buyer']);
  });

  it('puts contacts in companies by name', async () => {
    const buyer = (await api('/contacts?q=big@corp.test')).body.data[0];
    const edited = await api(`/contacts/${buyer.id}`, { method: 'PATCH', body: { company: 'Big Corp', customerValue: 120000 } });
    expect(edited.body).toMatchObject({ company: { name: 'Big Corp' }, customerValue: 120000, preferredChannel: 'api' });
    const other = (await api('/contacts?q=small@home.test')).body.data[0];
    expect((await api(`/contacts/${other.id}`, { method: 'PATCH', body: { company: 'big corp' } })).body.company.id).toBe(edited.body.company.id);
    const companies = (await api('/companies?q=corp')).body.data;
    expect(companies).toEqual([expect.objectContaining({ name: 'Big Corp', contacts: 2 })]);
    expect((await api('/companies', { method: 'POST', body: { name: 'BIG CORP' } })).status).toBe(409);
    expect((await api(`/contacts/${other.id}`, { method: 'PATCH', body: { company: null } })).body.company).toBeNull();
  });
});
