// Rate limits are counted in Redis, so two web processes share one count: ten wrong passwords
// spread over both, and the next try on either is refused; a chat visitor's messages the same.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app';
import { request } from './helpers/http';
import { createInbox } from './helpers/fixtures';
import { connectVisitor } from './helpers/visitor';

let one: TestApp;
let two: TestApp;

beforeAll(async () => {
  // One installation: one database, one Redis prefix.
  const queuePrefix = `rl${Date.now().toString(36)}`;
  one = await startTestApp({ role: 'web', redis: true, queuePrefix });
  two = await startTestApp({ role: 'web', redis: true, database: one.db, queuePrefix });
});
afterAll(async () => {
  await two?.close();
  await one?.close();
});

describe('login rate limits across web processes', () => {
  it('counts failures from both processes together', async () => {
    // An address with no account: only the rate limit can refuse it (no account to lock).
    const attempt = (app: TestApp) => request(`${app.url}/api/v1/auth/login`, { body: { email: 'nobody-here@acme.test', password: 'wrong-password' } });
    for (let i = 0; i < 10; i++) expect((await attempt(i % 2 ? one : two)).status).toBe(401);
    const next = await attempt(one);
    expect(next.status).toBe(429);
    expect((await attempt(two)).status).toBe(429);
    expect(next.body.error.code).toBe('too_many_attempts');
  });
});

describe('chat widget rate limits across web processes', () => {
  it('counts one visitor\u2019s messages on both processes together', async () => {
    const { inbox } = await createInbox(one.prisma, { kind: 'widget', config: { allowedOrigins: ['*'], perVisitorPerMinute: 4 } });
    const first = await connectVisitor(one.url, { inboxId: inbox.id });
    const second = await connectVisitor(two.url, { inboxId: inbox.id, visitor: { id: first.session.visitorId, token: first.session.visitorToken } });
    try {
      const answers = [];
      for (let i = 0; i < 5; i++) answers.push(await (i % 2 ? second : first).send(`hello ${i}`));
      expect(answers.map((a) => a.ok)).toEqual([true, true, true, true, false]);
      expect(answers.at(-1)).toMatchObject({ error: expect.stringMatching(/too quickly/) });
    } finally {
      first.close();
      second.close();
    }
  });
});
