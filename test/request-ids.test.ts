// A request id follows what a request starts: the answer carries it (the caller's own, or a new
// one), and the queue job the request added logs under it in the worker — through the
// in-process queue and through BullMQ on Redis.
import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app';
import { createAgent, createInbox } from './helpers/fixtures';
import { eventually, login, request } from './helpers/http';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe.each([{ queue: 'in-process', redis: false }, { queue: 'BullMQ', redis: true }])('request ids ($queue queue)', ({ redis }) => {
  it('answers with the caller\u2019s id or a new one, and the job the request added logs under it', async () => {
    const lines: string[] = [];
    t = await startTestApp({ redis, logLines: lines, env: { LOG_LEVEL: 'info' } });
    const agent = await createAgent(t.prisma, { role: 'admin' });
    // An API inbox whose reply webhook refuses: sending the reply fails in the worker, which logs it.
    const { inbox } = await createInbox(t.prisma, { config: { webhookUrl: 'http://127.0.0.1:9/replies' } });
    const token = await login(t.url, agent.email);

    const fresh = await request(`${t.url}/api/v1/auth/me`, { token });
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const refused = await request(`${t.url}/api/v1/auth/me`, { token, headers: { 'x-request-id': 'not valid!' } });
    expect(refused.headers.get('x-request-id')).not.toBe('not valid!');

    const started = await request(`${t.url}/api/v1/conversations`, { token, headers: { 'x-request-id': 'req-test-42' }, body: { inboxId: inbox.id, to: { email: 'ids@example.test' }, text: 'Hello' } });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    expect(started.headers.get('x-request-id')).toBe('req-test-42');
    const failed = await eventually(
      () => lines.map((l) => JSON.parse(l) as { msg: string; requestId?: string; messageId?: string }).find((l) => l.msg === 'sending a reply failed' && l.messageId === started.body.message.id),
      { what: 'the worker logs the failed send' },
    );
    expect(failed.requestId).toBe('req-test-42');
  });
});
