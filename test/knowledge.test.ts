// The knowledge base: articles written and versioned, searched in their language (stemmed:
// "resetting passwords" finds "Reset your password", "contraseñas" the Spanish one), the public
// help page per inbox (its words in the reader's language, Markdown rendered and cleaned,
// "Was this helpful?"), drafts and agents-only articles kept off it; the widget's self-service:
// articles as the visitor types, one read, "this solved it" counted, and a question handed to
// a person with what they read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app';
import { createAgent, createInbox } from './helpers/fixtures';
import { eventually, login, request } from './helpers/http';
import { connectVisitor } from './helpers/visitor';

let t: TestApp;
let admin: string;
let agent: string;
let widgetId: string;
const api = (p: string, init: { method?: string; body?: unknown; token?: string } = {}) => request(`${t.url}/api/v1${p}`, { token: admin, ...init });
const articles: Record<string, string> = {};

beforeAll(async () => {
  t = await startTestApp({ env: { ROUTING_DEFAULTS: 'false' } });
  admin = await login(t.url, (await createAgent(t.prisma, { role: 'admin', name: 'Ada Admin' })).email);
  agent = await login(t.url, (await createAgent(t.prisma, { role: 'agent', name: 'Ben Agent' })).email);
  widgetId = (await createInbox(t.prisma, { kind: 'widget', name: 'Website chat', config: { allowedOrigins: ['*'] } })).inbox.id;
});
afterAll(async () => {
  await t?.close();
});

describe('knowledge base', () => {
  it('writes, versions and publishes articles; only those who manage it may', async () => {
    const r = await api('/knowledge/articles', { body: { title: 'Reset your password', body: 'Choose **Forgot password** on the login page.\n\n<script>alert(1)</script>\n\n- You get an email\n- Follow its link', tags: ['login', 'account'], inboxId: widgetId } });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ version: 1, status: 'draft', language: 'en' });
    articles.password = r.body.id;
    const v2 = await api(`/knowledge/articles/${articles.password}`, { method: 'PATCH', body: { status: 'published', body: 'Choose **Forgot password** on the login page.\n\n<script>alert(1)</script>\n\n- We email you a link\n- Follow it within an hour' } });
    expect(v2.body).toMatchObject({ version: 2, status: 'published' });
    const versions = (await api(`/knowledge/articles/${articles.password}/versions`)).body.data;
    expect(versions.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([[2, 'published'], [1, 'draft']]);
    expect(versions[1].body).toContain('You get an email');
    articles.es = (await api('/knowledge/articles', { body: { title: 'Restablecer la contraseña', body: 'Elige **¿Olvidaste tu contraseña?** en la página de inicio de sesión.', language: 'es', status: 'published' } })).body.id;
    articles.draft = (await api('/knowledge/articles', { body: { title: 'Password policy (draft)', body: 'Twelve characters at least.' } })).body.id;
    articles.internal = (await api('/knowledge/articles', { body: { title: 'Password resets for VIPs', body: 'Escalate VIP password resets to the security team.', audience: 'agents', status: 'published' } })).body.id;
    articles.refund = (await api('/knowledge/articles', { body: { title: 'Refunds', body: 'Refunds reach your card within 5–10 days.', status: 'published', inboxId: widgetId } })).body.id;
    // An agent reads and searches, but does not write.
    expect((await api('/knowledge/articles', { token: agent, body: { title: 'x', body: 'y' } })).status).toBe(403);
    expect((await api(`/knowledge/articles/${articles.password}`, { token: agent })).body).toMatchObject({ title: 'Reset your password', html: expect.stringContaining('<strong>Forgot password</strong>') });
    expect((await api(`/knowledge/articles/${articles.password}`)).body.html).not.toContain('<script');
  });

  it('searches in the article\'s language, stemmed', async () => {
    const en = (await api('/knowledge/articles?q=resetting%20passwords')).body.data.map((a: { id: string }) => a.id);
    // Agents see the internal article too.
    expect(en.slice(0, 2).sort()).toEqual([articles.password, articles.internal].sort());
    const es = (await api(`/knowledge/articles?q=${encodeURIComponent('olvidé mis contraseñas')}&language=es`)).body.data;
    expect(es.map((a: { id: string }) => a.id)).toEqual([articles.es]);
    const published = (await api('/knowledge/articles?q=password&status=published')).body.data.map((a: { id: string }) => a.id);
    expect(published).not.toContain(articles.draft);
  });

  it('serves a public help page in the reader\'s language, with the article rendered and "Was this helpful?"', async () => {
    const list = await fetch(`${t.url}/help/${widgetId}`, { headers: { 'accept-language': 'es-ES,es;q=0.9' } });
    const html = await list.text();
    expect(list.status).toBe(200);
    expect(html).toContain('<html lang="es">');
    expect(html).toContain('Ayuda');
    // Published for this inbox's customers (or for all inboxes); never a draft or an agents-only article.
    expect(html).toContain('Restablecer la contraseña');
    expect(html).toContain('Reset your password');
    expect(html).not.toContain('Password policy');
    expect(html).not.toContain('VIPs');
    const found = await (await fetch(`${t.url}/help/${widgetId}?q=forgot+password&lang=en`)).text();
    expect(found).toMatch(/1 article for "forgot password"|articles for "forgot password"/);
    const page = await fetch(`${t.url}/help/${widgetId}/articles/${articles.password}?lang=en`);
    const body = await page.text();
    expect(body).toContain('<strong>Forgot password</strong>');
    expect(body).not.toContain('<script>alert');
    expect(body).toContain('Was this helpful?');
    const vote = await fetch(`${t.url}/help/${widgetId}/articles/${articles.password}/feedback?lang=en`, { method: 'POST', body: new URLSearchParams({ helpful: 'yes' }), redirect: 'manual' });
    expect(vote.status).toBe(303);
    expect(await (await fetch(`${t.url}${vote.headers.get('location')}`)).text()).toContain('Thank you for telling us.');
    expect(await t.prisma.article.findUniqueOrThrow({ where: { id: articles.password } })).toMatchObject({ helpful: 1, views: 2 });
    expect((await fetch(`${t.url}/help/${widgetId}/articles/${articles.draft}`)).status).toBe(404);
    expect((await fetch(`${t.url}/help/${widgetId}/articles/${articles.internal}`)).status).toBe(404);
  });

  it('offers articles in the widget as the visitor types; "this solved it" counts, a hand-over carries what they read', async () => {
    const v = await connectVisitor(t.url, { inboxId: widgetId });
    try {
      const found = await v.socket.timeout(5_000).emitWithAck('help:search', { q: 'reset password', language: 'en-GB' });
      expect(found.articles[0]).toMatchObject({ id: articles.password, title: 'Reset your password' });
      const read = await v.socket.timeout(5_000).emitWithAck('help:article', { id: articles.password });
      expect(read.article.text).toContain('We email you a link');
      expect(read.article.text).not.toContain('**');
      // Not this inbox's customers' article: not given.
      expect((await v.socket.timeout(5_000).emitWithAck('help:article', { id: articles.internal })).ok).toBe(false);
      await v.socket.timeout(5_000).emitWithAck('help:feedback', { id: articles.password, solved: true });
      await eventually(() => t.prisma.knowledgeEvent.findFirst({ where: { kind: 'deflected', articleId: articles.password } }), { what: 'the deflection' });
      // Another question: read, not solved, handed to a person.
      await v.socket.timeout(5_000).emitWithAck('help:article', { id: articles.refund });
      const sent = await v.send('My refund has not arrived after two weeks', { selfService: { read: [articles.refund!], query: 'refund not arrived' } });
      expect(sent.ok).toBe(true);
      const m = await eventually(() => t.prisma.message.findUnique({ where: { id: sent.id } }), { what: 'the question stored' });
      expect(m.metadata).toMatchObject({ selfService: { read: [{ id: articles.refund, title: 'Refunds' }], query: 'refund not arrived' } });
      expect(await t.prisma.knowledgeEvent.count({ where: { kind: 'handed_over', inboxId: widgetId } })).toBe(1);
      // The report: one solved by an article, one handed over after reading; the articles read and rated.
      const report = (await api('/reports/knowledge')).body;
      expect(report.deflection).toEqual({ deflected: 1, handedOver: 1, rate: 0.5 });
      expect(report.articles.find((a: { id: string }) => a.id === articles.password)).toMatchObject({ title: 'Reset your password', views: 3, helpful: 2, notHelpful: 0, helpfulShare: 1 });
      expect(report.articles.find((a: { id: string }) => a.id === articles.refund)).toMatchObject({ views: 1, helpful: 0 });
    } finally {
      v.close();
    }
  });
});
