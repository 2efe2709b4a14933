// GET /metrics (Prometheus text format) moves with traffic: HTTP requests by route pattern,
// pipeline batches, the backlog, sends per channel, agents' sockets; and a token guards it when set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app';
import { createAgent, createInbox } from './helpers/fixtures';
import { connectAgent, eventually, login, request } from './helpers/http';

let t: TestApp;
const scrape = async (headers: Record<string, string> = {}) => {
  const r = await fetch(`${t.url}/metrics`, { headers });
  expect(r.headers.get('content-type')).toMatch(/^text\/plain/);
  return r.text();
};
/** The value of a series (labels matched as given, in any order), 0 when absent. */
function value(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    const m = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return 0;
}

beforeAll(async () => {
  t = await startTestApp({ env: { METRICS_TOKEN: 'a-metrics-token-for-tests' } });
});
afterAll(async () => t?.close());

describe('metrics', () => {
  it('refuses a scrape without the token when one is set', async () => {
    expect((await fetch(`${t.url}/metrics`)).status).toBe(401);
  });

  it('moves with traffic: requests, pipeline batches, sends per channel, sockets', async () => {
    const auth = { authorization: 'Bearer a-metrics-token-for-tests' };
    const before = await scrape(auth);
    expect(before).toContain('inbox_process_resident_memory_bytes');
    const route = { method: 'POST', route: '/api/v1/inboxes/:inboxId/messages', status: '202' };
    const { inbox, token } = await createInbox(t.prisma);
    for (let i = 0; i < 5; i++) {
      const r = await request(`${t.url}/api/v1/inboxes/${inbox.id}/messages`, { token, body: { externalId: `m-${i}`, from: { email: `c${i}@example.com` }, text: 'Where is my order?' } });
      expect(r.status).toBe(202);
    }
    await eventually(async () => (await t.prisma.inboundReceipt.count({ where: { status: 'pending' } })) === 0);
    const agent = await createAgent(t.prisma, { role: 'admin' });
    const session = await login(t.url, agent.email);
    const socket = await connectAgent(t.url, session);
    const conversation = await t.prisma.conversation.findFirstOrThrow({ where: { inboxId: inbox.id } });
    const reply = await request(`${t.url}/api/v1/conversations/${conversation.id}/messages`, { token: session, body: { text: 'On its way!' } });
    expect(reply.status).toBe(201);
    await eventually(async () => (await t.prisma.message.findUnique({ where: { id: reply.body.id } }))?.deliveryStatus !== 'queued');

    const after = await scrape(auth);
    socket.disconnect();
    expect(value(after, 'inbox_http_request_duration_seconds_count', route) - value(before, 'inbox_http_request_duration_seconds_count', route)).toBe(5);
    // The raw path with its id is never a label: one series per route pattern.
    expect(after).not.toContain(`/api/v1/inboxes/${inbox.id}/messages`);
    expect(value(after, 'inbox_pipeline_batch_size_sum') - value(before, 'inbox_pipeline_batch_size_sum')).toBe(5);
    expect(value(after, 'inbox_pipeline_batch_duration_seconds_count')).toBeGreaterThan(value(before, 'inbox_pipeline_batch_duration_seconds_count'));
    expect(value(after, 'inbox_outbound_sends_total', { channel: 'api', outcome: 'sent' })).toBe(1);
    expect(value(after, 'inbox_agent_sockets')).toBe(1);
    expect(value(after, 'inbox_pending_messages')).toBe(0);
    expect(after).toMatch(/^inbox_queue_jobs\{queue="inbound"\} \d+$/m);
    expect(after).toMatch(/^inbox_routing_lag_seconds \d/m);
  });
});
