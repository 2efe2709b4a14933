// A synthetic stream of posts about a topic, per 5-minute window, for the spike detector: a
// daily rhythm (quiet nights, a busy afternoon), quieter weekends, day-to-day noise, Poisson
// counts, about 15 % negative — and spikes planted where asked. Seeded: the same seed, the
// same stream. Used by test/spikes.test.ts and bench/spikes.ts.
import type { WindowCount } from '../../src/inbox/community/spikes';
import { random } from '../../src/sentiment/training/softmax-regression';

export const WINDOWS_PER_DAY = 288;
export const WINDOWS_PER_WEEK = 7 * WINDOWS_PER_DAY;

export interface PlantedSpike {
  /** Window index where it starts, and how many windows it lasts. */
  at: number;
  windows: number;
  /** Volume multiplied by this; the negative share set to `negativeShare` when given. */
  volume: number;
  negativeShare?: number;
}

function poisson(rand: () => number, lambda: number): number {
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = rand();
  while (p > limit) {
    k++;
    p *= rand();
  }
  return k;
}

function binomial(rand: () => number, n: number, p: number): number {
  let k = 0;
  for (let i = 0; i < n; i++) if (rand() < p) k++;
  return k;
}

/** The expected posts of a window: 3 at night, up to 30 in the afternoon, weekends at 60 %. */
export function rhythm(index: number): number {
  const hour = ((index % WINDOWS_PER_DAY) * 5) / 60;
  const weekday = Math.floor(index / WINDOWS_PER_DAY) % 7;
  const daytime = hour >= 6 && hour <= 22 ? Math.sin((Math.PI * (hour - 6)) / 16) : 0;
  return (3 + 27 * daytime) * (weekday >= 5 ? 0.6 : 1);
}

export function syntheticStream(o: { weeks: number; seed: number; spikes?: PlantedSpike[] }): WindowCount[] {
  const rand = random(o.seed);
  const days = o.weeks * 7;
  const dayFactor = Array.from({ length: days }, () => 0.9 + 0.2 * rand());
  const dayNegative = Array.from({ length: days }, () => 0.12 + 0.06 * rand());
  return Array.from({ length: o.weeks * WINDOWS_PER_WEEK }, (_, i) => {
    const day = Math.floor(i / WINDOWS_PER_DAY);
    const spike = o.spikes?.find((s) => i >= s.at && i < s.at + s.windows);
    const volume = poisson(rand, rhythm(i) * dayFactor[day]! * (spike?.volume ?? 1));
    return { volume, negative: binomial(rand, volume, spike?.negativeShare ?? dayNegative[day]!) };
  });
}
