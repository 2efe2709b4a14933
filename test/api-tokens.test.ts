// API tokens: shown once and kept hashed, acting as their owner within their scopes (the
// OpenAPI document names each route's scope), expiring, revocable, last use recorded, never
// reaching account routes, and dead with their owner's deactivation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_SCOPES } from '../src/inbox/agents/api-tokens';
import { startTestApp, type TestApp } from './helpers/app';
import { createAgent, createInbox } from './helpers/fixtures';
import { eventually, login, request } from './helpers/http';

let t: TestApp;
let owner: { id: string; session: string };
let conversationId: string;
const api = (p: string, token: string, body?: unknown, method?: string) => request(`${t.url}/api/v1${p}`, { token, body, method });

beforeAll(async () => {
  t = await startTestApp();
  const a = await createAgent(t.prisma);
  owner = { id: a.id, session: await login(t.url, a.email) };
  const { inbox, token } = await createInbox(t.prisma, { memberIds: [a.id] });
  await request(`${t.url}/api/v1/inboxes/${inbox.id}/messages`, { token, body: { externalId: 'tok-1', from: { email: 'c@example.com' }, text: 'Where is my order?' } });
  conversationId = (await eventually(() => t.prisma.message.findFirst({ where: { externalId: 'tok-1' } })))!.conversationId;
});
afterAll(async () => t?.close());

describe('API tokens', () => {
  it('reads with a read scope, is refused a write, and never reaches account routes', async () => {
    const created = await api('/auth/tokens', owner.session, { name: 'CRM sync', scopes: ['conversations:read'], expiresInDays: 30 });
    expect(created.status).toBe(201);
    const token: string = created.body.token;
    expect(token).toMatch(/^inbx_/);
    const stored = await t.prisma.apiToken.findUniqueOrThrow({ where: { id: created.body.id } });
    expect(stored.tokenHash).not.toContain(token.slice(5));
    const listed = await api('/auth/tokens', owner.session);
    expect(listed.body.data[0]).toMatchObject({ name: 'CRM sync', scopes: ['conversations:read'], prefix: token.slice(0, 11) });
    expect(JSON.stringify(listed.body)).not.toContain(token);

    const list = await api('/conversations', token);
    expect(list.status).toBe(200);
    expect(list.body.data.map((c: { id: string }) => c.id)).toContain(conversationId);
    const write = await api(`/conversations/${conversationId}/messages`, token, { text: 'Hello' });
    expect(write.status).toBe(403);
    expect(write.body.error.message).toMatch(/lacks the scope conversations:write/);
    expect((await api('/reports/summary', token)).status).toBe(403);
    expect((await api('/auth/tokens', token)).status).toBe(403);
    expect((await api('/auth/password', token, { currentPassword: 'x', newPassword: 'y' })).status).toBe(403);
    expect((await t.prisma.apiToken.findUniqueOrThrow({ where: { id: created.body.id } })).lastUsedAt).not.toBeNull();
  });

  it('writes with a write scope as its owner, and stops when revoked or expired', async () => {
    const created = await api('/auth/tokens', owner.session, { name: 'Bot', scopes: ['conversations:write'] });
    const token: string = created.body.token;
    const reply = await api(`/conversations/${conversationId}/messages`, token, { text: 'On its way' });
    expect(reply.status).toBe(201);
    expect((await t.prisma.message.findUniqueOrThrow({ where: { id: reply.body.id } })).agentId).toBe(owner.id);
    expect((await api('/conversations', token)).status).toBe(200);
    await t.prisma.apiToken.update({ where: { id: created.body.id }, data: { expiresAt: new Date(Date.now() - 1_000) } });
    expect((await api('/conversations', token)).status).toBe(401);
    const other = await api('/auth/tokens', owner.session, { name: 'Temp', scopes: ['conversations:read'] });
    expect((await api(`/auth/tokens/${other.body.id}`, owner.session, undefined, 'DELETE')).status).toBe(200);
    expect((await api('/conversations', other.body.token)).status).toBe(401);
  });

  it('refuses unknown scopes and service tokens from non-admins; the OpenAPI document names scopes', async () => {
    expect((await api('/auth/tokens', owner.session, { name: 'X', scopes: ['everything'] })).status).toBe(400);
    expect((await api('/auth/tokens', owner.session, { name: 'X', scopes: ['reports:read'], kind: 'service' })).status).toBe(403);
    const doc = (await request(`${t.url}/api/v1/openapi.json`)).body;
    expect(doc.paths['/api/v1/conversations'].get['x-token-scope']).toBe('conversations:read');
    expect(doc.paths['/api/v1/conversations/{id}/messages'].post['x-token-scope']).toBe('conversations:write');
    // Every route a token may call names a scope a token can be given (account routes stay with people).
    const scopes = Object.values(doc.paths as Record<string, Record<string, { 'x-token-scope'?: string }>>).flatMap((ops) => Object.values(ops).map((op) => op['x-token-scope']).filter((x): x is string => !!x));
    expect(scopes.filter((x) => !/^(auth|account):/.test(x) && !TOKEN_SCOPES.includes(x))).toEqual([]);
  });

  it('dies with its owner\u2019s deactivation', async () => {
    const admin = await login(t.url, (await createAgent(t.prisma, { role: 'admin' })).email);
    const a = await createAgent(t.prisma);
    const token = (await api('/auth/tokens', await login(t.url, a.email), { name: 'Mine', scopes: ['conversations:read'] })).body.token;
    expect((await api('/conversations', token)).status).toBe(200);
    expect((await api(`/agents/${a.id}/deactivate`, admin, {})).status).toBe(200);
    expect((await api('/conversations', token)).status).toBe(401);
  });
});
