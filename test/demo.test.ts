// What `npm start` shows a first-time user: the demo agents, inboxes and conversations, and
// the chat widget to try as a customer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app';
import { eventually, request } from './helpers/http';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: { DEMO_DATA: 'true', DEMO_ADMIN_EMAIL: 'demo-admin@example.com', DEMO_ADMIN_PASSWORD: 'demo-password-1' } });
});
afterAll(async () => t?.close());

describe('demo data', () => {
  it('logs the demo admin in and shows conversations in every demo inbox kind, the chat widget included', async () => {
    const demo = t.app.demo!;
    expect(demo.email).toBe('demo-admin@example.com');
    const login = await request(`${t.url}/api/v1/auth/login`, { body: { email: demo.email, password: 'demo-password-1' } });
    expect(login.status).toBe(200);
    const inboxes = await request(`${t.url}/api/v1/inboxes`, { token: login.body.token });
    expect(inboxes.body.data.map((i: { kind: string }) => i.kind).sort()).toEqual(['api', 'api', 'instagram', 'messenger', 'telegram', 'twitter', 'whatsapp', 'widget']);
    const list = await request(`${t.url}/api/v1/conversations?limit=200`, { token: login.body.token });
    expect(list.body.data.length).toBeGreaterThan(3);
    const preview = await fetch(`${t.url}/widget/preview/${demo.widgetInboxId}`);
    expect(preview.status).toBe(200);
    expect(await preview.text()).toContain(`data-inbox="${demo.widgetInboxId}"`);
  });

  it('has a customer record to show: a plan attribute, and a duplicate to review', async () => {
    const token = (await request(`${t.url}/api/v1/auth/login`, { body: { email: t.app.demo!.email, password: 'demo-password-1' } })).body.token;
    expect((await request(`${t.url}/api/v1/conversations?attribute=plan:business`, { token })).body.data.map((c: { contact: { name: string } }) => c.contact.name)).toContain('Dana Whitfield');
    await request(`${t.url}/api/v1/contacts/suggestions/scan`, { token, method: 'POST' });
    const suggestions = (await request(`${t.url}/api/v1/contacts/suggestions`, { token })).body.data;
    expect(suggestions).toEqual([expect.objectContaining({ evidence: expect.arrayContaining([expect.objectContaining({ kind: 'verified_email', detail: 'dana.whitfield@example.net' })]) })]);
  });

  it('has an active incident with the app crash linked, and its rule links the next report', async () => {
    const token = (await request(`${t.url}/api/v1/auth/login`, { body: { email: t.app.demo!.email, password: 'demo-password-1' } })).body.token;
    const [incident] = (await request(`${t.url}/api/v1/incidents`, { token })).body.data;
    expect(incident).toMatchObject({ title: 'Photo upload crashes the iOS app', status: 'identified', linked: 1 });
    const r = await request(`${t.url}/api/v1/inboxes/${t.app.demo!.apiInbox.id}/messages`, { token: t.app.demo!.apiInbox.token, body: { externalId: 'demo-test-crash', from: { email: 'new.reporter@example.com' }, text: 'The app crashed when I tried to upload my profile photo' } });
    expect(r.status).toBe(202);
    await eventually(async () => ((await request(`${t.url}/api/v1/incidents/${incident.id}`, { token })).body.counts.linked === 2) || null, { what: 'the new report linked by the rule', timeoutMs: 20_000 });
  });

  it('has the community manager\'s side without any network: mentions, two listening topics, share of voice', async () => {
    const token = (await request(`${t.url}/api/v1/auth/login`, { body: { email: t.app.demo!.email, password: 'demo-password-1' } })).body.token;
    const stream = (await request(`${t.url}/api/v1/community/stream?status=all`, { token })).body.data as Array<{ kind: string }>;
    expect(stream.filter((i) => i.kind === 'mention').length).toBeGreaterThanOrEqual(3);
    expect(stream.filter((i) => i.kind === 'post').length).toBeGreaterThanOrEqual(9);
    const topics = (await request(`${t.url}/api/v1/community/topics`, { token })).body.data;
    expect(topics.map((x: { kind: string }) => x.kind).sort()).toEqual(['brand', 'competitor']);
    const voice = (await request(`${t.url}/api/v1/reports/share-of-voice`, { token })).body;
    expect(voice.total).toBe(9);
    // The X inbox reads nothing (no keys, no network): no reader failing in the logs.
    const x = (await request(`${t.url}/api/v1/inboxes`, { token })).body.data.find((i: { kind: string }) => i.kind === 'twitter');
    expect(x.config.reading).toBe(false);
  });

  it('has the newer channels to try: a WhatsApp window closed (templates offered), Instagram comments beside X', async () => {
    const token = (await request(`${t.url}/api/v1/auth/login`, { body: { email: t.app.demo!.email, password: 'demo-password-1' } })).body.token;
    const list = (await request(`${t.url}/api/v1/conversations?limit=200`, { token })).body.data as Array<{ id: string; contact: { name: string } }>;
    const nora = list.find((c) => c.contact.name === 'Nora Ibsen')!;
    const rules = (await request(`${t.url}/api/v1/conversations/${nora.id}/reply-rules`, { token })).body;
    expect(rules).toMatchObject({ channel: 'whatsapp', templateRequired: true, notice: expect.stringContaining('choose a template') });
    const stream = (await request(`${t.url}/api/v1/community/stream?status=all`, { token })).body.data as Array<{ channel: string }>;
    expect(new Set(stream.map((i) => i.channel))).toEqual(new Set(['twitter', 'instagram', 'messenger']));
    expect(list.some((c) => c.contact.name === 'Ivan Petrov')).toBe(true);
    // Without keys nothing is sent: no acknowledgement queued to fail on those inboxes.
    await new Promise((r) => setTimeout(r, 500));
    const quiet = (await t.prisma.inbox.findMany({ where: { kind: { in: ['whatsapp', 'instagram', 'messenger', 'telegram'] } }, select: { id: true } })).map((i) => i.id);
    expect(quiet).toHaveLength(4);
    expect(await t.prisma.message.count({ where: { senderType: 'system', direction: 'outbound', inboxId: { in: quiet } } })).toBe(0);
  });

  it('has help articles and macros: the help page, the widget\'s articles and the composer\'s suggestions', async () => {
    const token = (await request(`${t.url}/api/v1/auth/login`, { body: { email: t.app.demo!.email, password: 'demo-password-1' } })).body.token;
    const help = await (await fetch(`${t.url}/help/${t.app.demo!.widgetInboxId}?lang=en`)).text();
    expect(help).toContain('Reset your password');
    expect(help).not.toContain('(internal)');
    expect((await request(`${t.url}/api/v1/macros`, { token })).body.data.map((m: { name: string }) => m.name)).toEqual(['Ask for the order number', 'Refund approved']);
    const greg = (await request(`${t.url}/api/v1/conversations?limit=200`, { token })).body.data.find((c: { contact: { name: string } }) => c.contact.name === 'Greg Novak');
    const suggestions = (await request(`${t.url}/api/v1/conversations/${greg.id}/suggestions`, { token })).body.data;
    expect(suggestions.some((s: { kind: string; source: { title?: string } }) => s.kind === 'article' && s.source.title === 'Refunds and returns')).toBe(true);
  });
});
