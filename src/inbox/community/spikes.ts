// Spike detection for a listening topic, per 5-minute window: its volume and its negative share
// against a baseline. With a week of history or more, the baseline is the same hour of the
// week in past weeks (up to four: the 12 windows of that hour in each) — Monday 9:00 is
// compared with Mondays at 9:00, not with Sunday night; with a day or more, the same hour of
// the days before (the daily rhythm: a morning is not a spike because the night was quiet);
// before that, the two hours before. The median (robust to an earlier spike in the samples),
// with a margin for day-to-day swings, is the expected volume; the window — or it and the one
// before together, so a smaller but lasting spike shows by its second window — is a spike when
// so many posts (or negative posts) would be this unlikely by chance (exact Poisson and binomial
// tails) — rarer than `sensitivity` standard deviations of a normal distribution — and also at
// least 1.5 times what was expected and not tiny. After an alert the topic is quiet for
// `cooldownMinutes`. Pure: the worker feeds it counts
// (spike-watch.ts); test/spikes.test.ts feeds it a synthetic month.

export const WINDOW_MS = 5 * 60_000;
const WEEK = (7 * 24 * 60 * 60_000) / WINDOW_MS;
const DAY = (24 * 60 * 60_000) / WINDOW_MS;
const HOUR = (60 * 60_000) / WINDOW_MS;
const MAX_WEEKS = 4;
/** Today may run this much above the days it is compared with without being a spike (volume, negative share). */
const MARGIN = 1.15;
const SHARE_MARGIN = 1.25;

export interface WindowCount {
  volume: number;
  negative: number;
}

export interface SpikeSettings {
  /** How unlikely by chance, in standard deviations of a normal distribution (5 ≈ once in 3.5 million windows). */
  sensitivity: number;
  cooldownMinutes: number;
  /** A window with fewer posts never alerts (default 10). */
  minVolume?: number;
  /** Nor a negative spike with fewer negative posts (default 6). */
  minNegative?: number;
}

export interface Spike {
  kind: 'volume' | 'negative';
  /** Volume: posts expected and seen; negative: the negative share expected and seen. */
  expected: number;
  observed: number;
  volume: number;
  negative: number;
  /** 1, or 2 when the window and the one before were a spike together. */
  windows?: number;
}

/** The windows a baseline for window `i` reads, as offsets before it (positive numbers), given how much history there is. */
export function baselineOffsets(i: number): number[] {
  const around = (back: number) => Array.from({ length: HOUR }, (_, j) => back - (j - HOUR / 2));
  const weeks = Array.from({ length: MAX_WEEKS }, (_, k) => k + 1).filter((k) => i - k * WEEK - HOUR / 2 >= 0);
  if (weeks.length) return weeks.flatMap((k) => around(k * WEEK));
  const days = Array.from({ length: 6 }, (_, k) => k + 1).filter((k) => i - k * DAY - HOUR / 2 >= 0);
  if (days.length) return days.flatMap((k) => around(k * DAY));
  return Array.from({ length: Math.min(i, 2 * HOUR) }, (_, j) => j + 1);
}

/**
 * The baseline of a window from the counts at its offsets: their median volume; the negative
 * share of them and the last day together (the share has little daily rhythm, and an hour's
 * posts are too few to know it).
 */
export function baselineOf(samples: WindowCount[], lastDay: WindowCount[] = []): { volume: number; negativeShare: number } | null {
  // Under an hour of history: nothing to compare with yet.
  if (samples.length < HOUR) return null;
  const median = medianOf(samples.map((s) => s.volume));
  const all = [...samples, ...lastDay];
  const total = all.reduce((a, s) => a + s.volume, 0);
  const negative = all.reduce((a, s) => a + s.negative, 0);
  // A little prior: a topic never negative before is not "infinitely" surprised by one negative post.
  return { volume: Math.max(median * MARGIN, 0.5), negativeShare: Math.min(0.95, ((negative + 1) / (total + 10)) * SHARE_MARGIN) };
}

/** Whether the window is a spike against its baseline (volume first: the bigger story). */
export function spikeOf(w: WindowCount, base: { volume: number; negativeShare: number }, s: SpikeSettings): Spike | null {
  const alpha = normalTail(s.sensitivity);
  if (w.volume >= (s.minVolume ?? 10) && w.volume >= 1.5 * base.volume && poissonTail(w.volume, base.volume) < alpha) {
    return { kind: 'volume', expected: base.volume, observed: w.volume, volume: w.volume, negative: w.negative };
  }
  const share = w.volume ? w.negative / w.volume : 0;
  if (w.negative >= (s.minNegative ?? 6) && share >= 2 * base.negativeShare && binomialTail(w.negative, w.volume, base.negativeShare) < alpha) {
    return { kind: 'negative', expected: base.negativeShare, observed: share, volume: w.volume, negative: w.negative };
  }
  return null;
}

/**
 * Runs the detector over a whole series (consecutive windows, oldest first), as the worker does
 * window by window: answers the spikes with their window's index. Cooldown: none within
 * `cooldownMinutes` of the last alert.
 */
export function detectSpikes(series: WindowCount[], s: SpikeSettings): Array<Spike & { index: number }> {
  const cooldown = Math.ceil((s.cooldownMinutes * 60_000) / WINDOW_MS);
  const found: Array<Spike & { index: number }> = [];
  let last = -Infinity;
  for (let i = 0; i < series.length; i++) {
    if (i - last < cooldown) continue;
    const spike = spikeAt(i, (back) => series[i - back], s);
    if (!spike) continue;
    found.push({ ...spike, index: i });
    last = i;
  }
  return found;
}

/** The spike at the window `back = 0` of a series read backwards (undefined: no data), alone or with the window before. */
export function spikeAt(_i: number, at: (back: number) => WindowCount | undefined, s: SpikeSettings): Spike | null {
  const baseFor = (back: number) => {
    const offsets = baselineOffsets(_i - back);
    const present = (o: number) => at(back + o);
    const lastDay = Array.from({ length: Math.min(DAY, _i - back) }, (_, j) => present(j + 1)).filter((w): w is WindowCount => !!w);
    const samples = offsets.map(present).filter((w): w is WindowCount => !!w);
    const base = baselineOf(samples, lastDay);
    // The first day (the two hours before): follow the trend, so a morning rising is not a spike.
    if (base && offsets.length === 2 * HOUR && offsets[0] === 1 && samples.length === 2 * HOUR) {
      const recent = medianOf(samples.slice(0, HOUR).map((w) => w.volume));
      const earlier = medianOf(samples.slice(HOUR).map((w) => w.volume));
      base.volume = Math.max((recent + Math.max(0, recent - earlier) * 0.55) * MARGIN, 0.5);
    }
    return base;
  };
  const now = at(0);
  const base = now && baseFor(0);
  if (!now || !base) return null;
  const alone = spikeOf(now, base, s);
  if (alone) return { ...alone, windows: 1 };
  const before = at(1);
  const baseBefore = before && baseFor(1);
  if (!before || !baseBefore) return null;
  const pooled = spikeOf(
    { volume: now.volume + before.volume, negative: now.negative + before.negative },
    { volume: base.volume + baseBefore.volume, negativeShare: (base.negativeShare + baseBefore.negativeShare) / 2 },
    { ...s, minVolume: 2 * (s.minVolume ?? 10), minNegative: 2 * (s.minNegative ?? 6) },
  );
  return pooled && { ...pooled, windows: 2 };
}

/** P(X ≥ k) for X ~ Poisson(λ), summed from k upwards (the tail we need is small). */
export function poissonTail(k: number, lambda: number): number {
  if (k <= 0) return 1;
  let term = Math.exp(-lambda + k * Math.log(lambda) - logFactorial(k));
  let sum = 0;
  for (let j = k; j < k + 1_000 && term > 1e-300; j++) {
    sum += term;
    term *= lambda / (j + 1);
    if (term < sum * 1e-15) break;
  }
  return Math.min(1, sum);
}

/** P(X ≥ k) for X ~ Binomial(n, p). */
export function binomialTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  let sum = 0;
  for (let j = k; j <= n; j++) sum += Math.exp(logFactorial(n) - logFactorial(j) - logFactorial(n - j) + j * Math.log(p) + (n - j) * Math.log1p(-p));
  return Math.min(1, sum);
}

/** P(Z ≥ z) for a standard normal Z (Abramowitz and Stegun 26.2.17, error below 7.5e-8 relative to the values used here). */
export function normalTail(z: number): number {
  const t = 1 / (1 + 0.2316419 * Math.abs(z));
  const d = Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI);
  const p = d * t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  return z >= 0 ? p : 1 - p;
}

function medianOf(values: number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

const logFactorials: number[] = [0];
function logFactorial(n: number): number {
  for (let i = logFactorials.length; i <= n; i++) logFactorials[i] = logFactorials[i - 1]! + Math.log(i);
  return logFactorials[n]!;
}
