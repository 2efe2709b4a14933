import { describe, expect, it } from 'vitest';
import { Batcher } from '../src/platform/batcher';

describe('Batcher (group commit)', () => {
  it('handles items submitted together as one batch and answers each caller with its own result', async () => {
    const batches: number[][] = [];
    const b = new Batcher<number, number>({ maxBatchSize: 100, maxInFlight: 1, run: async (xs) => (batches.push(xs), xs.map((x) => x * 2)) });
    expect(await Promise.all([1, 2, 3].map((x) => b.submit(x)))).toEqual([2, 4, 6]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('gathers what arrives while a batch runs into the next one, keeping order with one in flight', async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const b = new Batcher<number, number>({
      maxBatchSize: 100,
      maxInFlight: 1,
      run: async (xs) => {
        batches.push(xs);
        if (xs[0] === 1) await gate;
        return xs;
      },
    });
    const first = b.submit(1);
    await new Promise((r) => setImmediate(r));
    const later = [2, 3, 4].map((x) => b.submit(x));
    release();
    await Promise.all([first, ...later]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('splits at the maximum batch size', async () => {
    const sizes: number[] = [];
    const b = new Batcher<number, number>({ maxBatchSize: 2, maxInFlight: 4, run: async (xs) => (sizes.push(xs.length), xs) });
    await Promise.all([1, 2, 3, 4, 5].map((x) => b.submit(x)));
    expect(sizes).toEqual([2, 2, 1]);
  });

  it('rejects only the items whose result is an error', async () => {
    const b = new Batcher<number, number>({ maxBatchSize: 10, maxInFlight: 1, run: async (xs) => xs.map((x) => (x === 2 ? new Error('bad two') : x)) });
    const results = await Promise.allSettled([1, 2, 3].map((x) => b.submit(x)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('bad two');
  });
});
