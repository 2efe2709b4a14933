// An X inbox on the product, reading a local stand-in of X's API.
import { expect } from 'vitest';
import type { TestApp } from './app';
import { request } from './http';
import type { FakeX } from './fake-x';

export const BRAND_ID = '1000000000000000001';

export async function createXInbox(t: TestApp, admin: string, fake: FakeX, o: { pollSeconds?: number; monthlyReadCap?: number } = {}): Promise<string> {
  for (const k of ['appKey', 'appSecret', 'accessToken', 'accessSecret']) process.env[`TEST_X_${k.toUpperCase()}`] = `test-${k}`;
  const r = await request(`${t.url}/api/v1/inboxes`, {
    token: admin,
    body: {
      kind: 'twitter',
      name: 'Acme on X',
      config: { handle: '@acme', userId: BRAND_ID, pollSeconds: o.pollSeconds ?? 1, ...(o.monthlyReadCap ? { monthlyReadCap: o.monthlyReadCap } : {}) },
      secretRefs: Object.fromEntries(['appKey', 'appSecret', 'accessToken', 'accessSecret'].map((k) => [k, `env:TEST_X_${k.toUpperCase()}`])),
    },
  });
  expect(r.status).toBe(201);
  void fake;
  await t.app.worker!.channels.rescan();
  return r.body.id as string;
}
