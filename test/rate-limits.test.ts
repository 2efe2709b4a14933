// Login attempts are counted in Redis, so two web processes share one count: ten wrong
// passwords spread over both, and the next try on either is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app';
import { request } from './helpers/http';

let one: TestApp;
let two: TestApp;

beforeAll(async () => {
  one = await startTestApp({ role: 'web', redis: true });
  two = await startTestApp({ role: 'web', redis: true, database: one.db });
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
