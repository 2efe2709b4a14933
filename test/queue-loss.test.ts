// Redis restarting under the product: when it comes back empty (no persistence) or after being
// away, the worker re-queues every unfinished message at once from PostgreSQL instead of
// waiting for the periodic sweep's grace period (30 s).
import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BullQueueBackend } from '../src/platform/queue/bullmq';
import { startTestApp, type TestApp } from './helpers/app';
import { createInbox } from './helpers/fixtures';
import { eventually, request } from './helpers/http';
import { canConnect, freePort } from './helpers/ports';

/** A Redis of this file's own on a fixed port, killed and started again by the tests, never persisting. */
let port = 0;
let redis: ChildProcess | null = null;
async function startRedis() {
  redis = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--protected-mode', 'no'], { stdio: 'ignore' });
  await eventually(() => canConnect(port), { what: 'redis-server listening' });
}
async function killRedis() {
  const exited = new Promise((r) => redis!.once('exit', r));
  redis!.kill('SIGKILL');
  await exited;
  redis = null;
}

beforeAll(async () => {
  port = await freePort();
  await startRedis();
});
afterAll(async () => {
  if (redis) await killRedis();
});

describe('the queue losing its jobs', () => {
  it('notices Redis coming back empty, and coming back after being away', async () => {
    const queue = new BullQueueBackend({ redisUrl: `redis://127.0.0.1:${port}`, prefix: 'loss', attempts: 1, backoffMs: 10, onDeadLetter: async () => {} });
    const reasons: string[] = [];
    const stop = queue.watchForLoss((why) => reasons.push(why), 100);
    const client = new Redis(`redis://127.0.0.1:${port}`);
    try {
      await eventually(async () => (await client.exists('loss:alive')) === 1, { what: 'the marker set' });
      expect(reasons).toEqual([]);
      await client.flushall();
      await eventually(() => reasons.includes('Redis came back empty'), { what: 'the loss noticed' });
      await killRedis();
      await startRedis();
      await eventually(() => reasons.length >= 2, { what: 'the return noticed' });
      expect(reasons.slice(1).every((r) => r === 'Redis is back' || r === 'Redis came back empty')).toBe(true);
    } finally {
      stop();
      client.disconnect();
      await queue.close();
    }
  });

  describe('with the product running', () => {
    let worker: TestApp;
    let web: TestApp;
    beforeAll(async () => {
      // The web process queues under another prefix than the worker reads: its jobs are never
      // taken, as if Redis had lost them, so only the worker's re-queue from PostgreSQL can thread them.
      worker = await startTestApp({ role: 'worker', queuePrefix: 'worker', env: { REDIS_URL: `redis://127.0.0.1:${port}` } });
      web = await startTestApp({ role: 'web', queuePrefix: 'elsewhere', database: worker.db, env: { REDIS_URL: `redis://127.0.0.1:${port}` } });
    });
    afterAll(async () => {
      await web?.close();
      await worker?.close();
    });

    it('re-queues every unfinished message at once when Redis comes back, and threads each once', async () => {
      const { inbox, token } = await createInbox(web.prisma);
      const post = (i: number) => request(`${web.url}/api/v1/inboxes/${inbox.id}/messages`, { token, body: { externalId: `lost-${i}`, from: { email: `c${i % 10}@example.com` }, text: `Message ${i}: where is my order?` } });
      const accepted = await Promise.all(Array.from({ length: 60 }, (_, i) => post(i)));
      expect(accepted.every((r) => r.status === 202)).toBe(true);
      expect(await web.prisma.inboundReceipt.count({ where: { status: 'pending' } })).toBe(60);
      await killRedis();
      await startRedis();
      // The periodic sweep would leave these for its grace period (30 s); the worker notices Redis came back and takes them now.
      await eventually(async () => (await worker.prisma.inboundReceipt.count({ where: { status: 'pending' } })) === 0, { what: 'every receipt processed', timeoutMs: 20_000 });
      expect(await worker.prisma.message.count({ where: { inboxId: inbox.id } })).toBe(60);
      expect(await worker.prisma.conversation.count({ where: { inboxId: inbox.id } })).toBe(10);
    });
  });

  describe('a client sending again what was never queued', () => {
    let web: TestApp;
    beforeAll(async () => {
      web = await startTestApp({ role: 'web', queuePrefix: 'resend', env: { REDIS_URL: `redis://127.0.0.1:${port}` } });
    });
    afterAll(async () => web?.close());

    it('queues a stored, unthreaded message again when its sender retries it', async () => {
      const { inbox, token } = await createInbox(web.prisma);
      const post = () => request(`${web.url}/api/v1/inboxes/${inbox.id}/messages`, { token, body: { externalId: 'resend-1', from: { email: 'r@example.com' }, text: 'Hello?' } });
      expect((await post()).status).toBe(202);
      // As if the web process died between storing the receipt and queueing it: no job.
      const client = new Redis(`redis://127.0.0.1:${port}`);
      for (const key of await client.keys('resend:inbound:*')) await client.del(key);
      expect(await web.app.services.queue.count('inbound')).toBe(0);
      const again = await post();
      client.disconnect();
      expect(again.status).toBe(202);
      expect(again.body.duplicate).toBe(true);
      expect(await web.app.services.queue.count('inbound')).toBe(1);
    });
  });
});
