// Both queue adapters honour one contract: what the inbox relies on, whichever runs.
import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { BullQueueBackend } from '../src/platform/queue/bullmq';
import { MemoryQueueBackend } from '../src/platform/queue/memory';
import { PermanentJobError, type DeadLetter, type QueueBackend, type QueueBackendOptions } from '../src/platform/queue/types';
import { eventually } from './helpers/http';

type Factory = (o: QueueBackendOptions) => QueueBackend;

const adapters: Array<[string, Factory]> = [
  ['in-process', (o) => new MemoryQueueBackend(o)],
  ['BullMQ on Redis', (o) => new BullQueueBackend({ ...o, redisUrl: inject('redisUrl'), prefix: `qc${crypto.randomBytes(4).toString('hex')}` })],
];

describe.each(adapters)('queue contract: %s', (_name, make) => {
  let backend: QueueBackend;
  let dead: DeadLetter[];
  const open = (o: Partial<QueueBackendOptions> = {}) => {
    dead = [];
    backend = make({ attempts: 3, backoffMs: 20, onDeadLetter: async (l) => void dead.push(l), ...o });
    return backend;
  };
  afterEach(async () => backend?.close());

  it('delivers every job once, with its data', async () => {
    const q = open();
    const seen: number[] = [];
    q.process<{ n: number }>('work', async (job) => void seen.push(job.data.n), { concurrency: 4 });
    await q.addBulk('work', Array.from({ length: 50 }, (_, n) => ({ name: 'n', data: { n } })));
    await eventually(() => seen.length === 50, { what: '50 jobs' });
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, n) => n));
  });

  it('does not add a job whose id is already waiting', async () => {
    const q = open();
    await q.add('dedupe', 'x', { v: 1 }, { jobId: 'same-id' });
    await q.add('dedupe', 'x', { v: 2 }, { jobId: 'same-id' });
    expect(await q.count('dedupe')).toBe(1);
    const seen: unknown[] = [];
    q.process('dedupe', async (job) => void seen.push(job.data));
    await eventually(() => seen.length === 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(seen).toEqual([{ v: 1 }]);
  });

  it('retries a failing job with backoff, then succeeds', async () => {
    const q = open();
    const attempts: number[] = [];
    q.process('flaky', async (job) => {
      attempts.push(job.attempt);
      if (job.attempt < 3) throw new Error('not yet');
    });
    await q.add('flaky', 'x', {});
    await eventually(() => attempts.length === 3, { what: 'three attempts' });
    await new Promise((r) => setTimeout(r, 100));
    expect(attempts).toEqual([1, 2, 3]);
    expect(dead).toEqual([]);
  });

  it('records a dead letter once after the last attempt', async () => {
    const q = open();
    q.process('doomed', async () => {
      throw new Error('provider down');
    });
    await q.add('doomed', 'send', { id: 7 }, { jobId: 'doomed-1' });
    await eventually(() => dead.length === 1, { what: 'dead letter' });
    await new Promise((r) => setTimeout(r, 150));
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ queue: 'doomed', jobId: 'doomed-1', name: 'send', data: { id: 7 }, error: 'provider down', attempts: 3 });
  });

  it('does not retry a permanent failure', async () => {
    const q = open();
    let calls = 0;
    q.process('permanent', async () => {
      calls++;
      throw new PermanentJobError('bad address');
    });
    await q.add('permanent', 'x', {});
    await eventually(() => dead.length === 1);
    expect(calls).toBe(1);
  });

  it('runs a delayed job only after its delay, and a removed one never', async () => {
    const q = open();
    const ran: string[] = [];
    q.process('timers', async (job) => void ran.push(job.id));
    const added = Date.now();
    await q.add('timers', 't', {}, { jobId: 'later', delayMs: 300 });
    await q.add('timers', 't', {}, { jobId: 'cancelled', delayMs: 300 });
    await q.remove('timers', 'cancelled');
    await eventually(() => ran.includes('later'));
    expect(Date.now() - added).toBeGreaterThanOrEqual(250);
    await new Promise((r) => setTimeout(r, 300));
    expect(ran).toEqual(['later']);
  });

  it('runs at most `concurrency` jobs at once', async () => {
    const q = open();
    let running = 0;
    let peak = 0;
    q.process(
      'limited',
      async () => {
        peak = Math.max(peak, ++running);
        await new Promise((r) => setTimeout(r, 20));
        running--;
      },
      { concurrency: 3 },
    );
    await q.addBulk('limited', Array.from({ length: 12 }, () => ({ name: 'x', data: {} })));
    await eventually(async () => (await q.count('limited')) === 0 && running === 0, { what: 'drain' });
    expect(peak).toBe(3);
  });

  it('close waits for running jobs to finish', async () => {
    const q = open();
    let finished = false;
    q.process('slow', async () => {
      await new Promise((r) => setTimeout(r, 200));
      finished = true;
    });
    await q.add('slow', 'x', {});
    await eventually(async () => (await q.count('slow')) >= 1);
    await new Promise((r) => setTimeout(r, 50));
    await q.close();
    expect(finished).toBe(true);
  });
});
