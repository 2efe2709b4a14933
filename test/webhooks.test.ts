// Account-wide outbound webhooks against a real HTTP receiver: signed deliveries the README's
// recipe verifies, retries until a failing receiver recovers (the event arrives once, under one
// id), event filters, the delivery log and replay, switching off after repeated failures and
// sending what waited when switched on again, and private addresses refused by default.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app';
import { createAgent, createInbox } from './helpers/fixtures';
import { eventually, login, request } from './helpers/http';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  answered: number;
}

/** A receiver whose answer per path is set by the test: a list of statuses to give in turn, then 200. */
function receiver() {
  const received: Record<string, Received[]> = {};
  const plans: Record<string, number[]> = {};
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const status = plans[req.url!]?.shift() ?? 200;
      (received[req.url!] ??= []).push({ headers: req.headers, body, answered: status });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'thanks' : 'not now');
    });
  });
  return { server, received, plans, url: (p: string) => `http://127.0.0.1:${(server.address() as AddressInfo).port}${p}` };
}

/** The verification recipe exactly as the README shows it. */
function readmeRecipe(): (secret: string, headers: Record<string, unknown>, rawBody: string) => boolean {
  const readme = fs.readFileSync(path.resolve(import.meta.dirname, '../README.md'), 'utf8');
  const code = /<!-- webhook-recipe[^>]*-->\s*```js\n([\s\S]*?)```/.exec(readme)![1]!;
  return new Function('require', `${code}\nreturn verifyInboxWebhook;`)(createRequire(import.meta.url)) as ReturnType<typeof readmeRecipe>;
}

let t: TestApp;
let admin: string;
const r = receiver();
const api = (p: string, body?: unknown, method?: string) => request(`${t.url}/api/v1${p}`, { token: admin, body, method });

beforeAll(async () => {
  await new Promise<void>((done) => r.server.listen(0, '127.0.0.1', done));
  t = await startTestApp({ env: { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_MIN_MS: '50', WEBHOOK_DISABLE_AFTER: '8' } });
  admin = await login(t.url, (await createAgent(t.prisma, { role: 'admin' })).email);
});
afterAll(async () => {
  await t?.close();
  r.server.close();
});

describe('outbound webhooks', () => {
  let inbox: { id: string; token: string };
  const post = (externalId: string, text = 'My order never arrived') =>
    request(`${t.url}/api/v1/inboxes/${inbox.id}/messages`, { token: inbox.token, body: { externalId, from: { email: `${externalId}@example.com` }, text } });

  beforeAll(async () => {
    const c = await createInbox(t.prisma);
    inbox = { id: c.inbox.id, token: c.token };
  });

  it('is for admins only', async () => {
    const agent = await login(t.url, (await createAgent(t.prisma)).email);
    expect((await request(`${t.url}/api/v1/webhooks`, { token: agent })).status).toBe(403);
  });

  it('delivers a signed event once to a receiver that fails five times first, and the README recipe verifies it', async () => {
    const created = await api('/webhooks', { url: r.url('/flaky'), events: ['conversation.created'] });
    expect(created.status).toBe(201);
    const secret: string = created.body.secret;
    expect(secret).toMatch(/^whsec_/);
    expect((await api('/webhooks')).body.data[0]).not.toHaveProperty('secret');
    r.plans['/flaky'] = [500, 502, 503, 429, 500];
    await post('flaky-1');
    await eventually(() => r.received['/flaky']?.some((x) => x.answered === 200), { what: 'the delivery after five failures', timeoutMs: 20_000 });
    const attempts = r.received['/flaky']!;
    expect(attempts.map((a) => a.answered)).toEqual([500, 502, 503, 429, 500, 200]);
    // One event, one id, however many attempts.
    expect(new Set(attempts.map((a) => a.headers['x-inbox-delivery'])).size).toBe(1);
    expect(attempts.every((a) => a.headers['idempotency-key'] === a.headers['x-inbox-delivery'])).toBe(true);
    const delivered = attempts.at(-1)!;
    const event = JSON.parse(delivered.body);
    expect(event).toMatchObject({ id: delivered.headers['x-inbox-delivery'], type: 'conversation.created', data: { conversation: { inbox: { id: inbox.id } } } });

    const verify = readmeRecipe();
    expect(verify(secret, delivered.headers, delivered.body)).toBe(true);
    expect(verify(secret, delivered.headers, delivered.body.replace('conversation', 'c0nversation'))).toBe(false);
    expect(verify(`${secret}x`, delivered.headers, delivered.body)).toBe(false);
    const old = String(Math.floor(Date.now() / 1000) - 3_600);
    const resigned = `sha256=${crypto.createHmac('sha256', secret).update(`${old}.${delivered.body}`).digest('hex')}`;
    expect(verify(secret, { 'x-inbox-timestamp': old, 'x-inbox-signature': resigned }, delivered.body)).toBe(false);

    const log = await api(`/webhooks/${created.body.id}/deliveries`);
    expect(log.body.data).toHaveLength(1);
    expect(log.body.data[0]).toMatchObject({ status: 'delivered', attempts: 6, lastStatusCode: 200, responseExcerpt: 'thanks', event: 'conversation.created' });
    expect(log.body.data[0].lastLatencyMs).toBeGreaterThanOrEqual(0);

    // Replay: the same delivery, the same id, again.
    expect((await api(`/webhooks/${created.body.id}/deliveries/${log.body.data[0].id}/replay`, {})).status).toBe(202);
    await eventually(() => r.received['/flaky']!.length === 7);
    expect(r.received['/flaky']![6]!.headers['x-inbox-delivery']).toBe(delivered.headers['x-inbox-delivery']);
    await api(`/webhooks/${created.body.id}`, undefined, 'DELETE');
  });

  it('sends only the events subscribed to: a resolve, not the messages', async () => {
    const created = await api('/webhooks', { url: r.url('/resolved'), events: ['conversation.resolved'] });
    await post('resolve-1');
    const m = await eventually(() => t.prisma.message.findFirst({ where: { externalId: 'resolve-1' } }));
    expect((await api(`/conversations/${m!.conversationId}/status`, { status: 'resolved' })).status).toBe(200);
    await eventually(() => r.received['/resolved']?.length === 1);
    expect(JSON.parse(r.received['/resolved']![0]!.body)).toMatchObject({ type: 'conversation.resolved', data: { conversation: { id: m!.conversationId, status: 'resolved' } } });
    await post('resolve-2');
    await eventually(async () => (await t.prisma.inboundReceipt.count({ where: { status: 'pending' } })) === 0);
    expect(r.received['/resolved']).toHaveLength(1);
    await api(`/webhooks/${created.body.id}`, undefined, 'DELETE');
  });

  it('switches an endpoint off after repeated failures, keeps its deliveries, and sends them when switched on', async () => {
    const created = await api('/webhooks', { url: r.url('/down'), events: ['*'] });
    r.plans['/down'] = Array(100).fill(500);
    await post('down-1');
    const off = await eventually(async () => {
      const e = await t.prisma.webhookEndpoint.findUnique({ where: { id: created.body.id } });
      return e && !e.enabled ? e : null;
    }, { what: 'the endpoint switched off', timeoutMs: 30_000 });
    expect(off.disabledReason).toMatch(/switched off after 8 failed attempts in a row \(last: HTTP 500\)/);
    const waiting = await t.prisma.webhookDelivery.count({ where: { endpointId: created.body.id, status: 'pending' } });
    expect(waiting).toBeGreaterThan(0);
    r.plans['/down'] = [];
    const before = r.received['/down']!.length;
    expect((await api(`/webhooks/${created.body.id}`, { enabled: true }, 'PATCH')).body).toMatchObject({ enabled: true, disabledReason: null });
    await eventually(async () => (await t.prisma.webhookDelivery.count({ where: { endpointId: created.body.id, status: 'pending' } })) === 0, { what: 'the waiting deliveries sent', timeoutMs: 20_000 });
    expect(r.received['/down']!.slice(before).every((x) => x.answered === 200)).toBe(true);
    await api(`/webhooks/${created.body.id}`, undefined, 'DELETE');
  });

  it('rotates the secret: the next delivery is signed with the new one', async () => {
    const created = await api('/webhooks', { url: r.url('/rotate'), events: ['*'] });
    const rotated = await api(`/webhooks/${created.body.id}/secret`, {});
    expect(rotated.body.secret).not.toBe(created.body.secret);
    expect((await api(`/webhooks/${created.body.id}/ping`, {})).status).toBe(202);
    await eventually(() => r.received['/rotate']?.length === 1);
    const ping = r.received['/rotate']![0]!;
    expect(JSON.parse(ping.body).type).toBe('ping');
    const verify = readmeRecipe();
    expect(verify(rotated.body.secret, ping.headers, ping.body)).toBe(true);
    expect(verify(created.body.secret, ping.headers, ping.body)).toBe(false);
    await api(`/webhooks/${created.body.id}`, undefined, 'DELETE');
  });
});

describe('webhook URLs by default', () => {
  let strict: TestApp;
  beforeAll(async () => {
    strict = await startTestApp();
  });
  afterAll(async () => strict?.close());

  it('refuses loopback, private, link-local and unique-local addresses, and non-http schemes', async () => {
    const token = await login(strict.url, (await createAgent(strict.prisma, { role: 'admin' })).email);
    for (const url of ['http://127.0.0.1:9/x', 'http://localhost/x', 'http://10.1.2.3/x', 'http://192.168.0.10/x', 'http://169.254.169.254/latest/meta-data', 'http://[::1]/x', 'http://[fd00::1]/x', 'http://[::ffff:127.0.0.1]/x']) {
      const res = await request(`${strict.url}/api/v1/webhooks`, { token, body: { url, events: ['*'] } });
      expect(res.status, url).toBe(400);
      expect(res.body.error.message, url).toMatch(/private or loopback address.*WEBHOOK_ALLOW_PRIVATE/);
    }
    const ftp = await request(`${strict.url}/api/v1/webhooks`, { token, body: { url: 'ftp://example.com/x', events: ['*'] } });
    expect(ftp.body.error.message).toMatch(/http:\/\/ or https:\/\//);
    const bad = await request(`${strict.url}/api/v1/webhooks`, { token, body: { url: 'https://example.com/x', events: ['message.exploded'] } });
    expect(bad.status).toBe(400);
    expect(await strict.prisma.webhookEndpoint.count()).toBe(0);
  });
});
