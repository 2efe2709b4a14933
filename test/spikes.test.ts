// The spike detector on a synthetic stream: a week of baseline with its daily and weekly
// rhythm and noise (the detector compares with the two hours before), a second spike-free week
// (now with the same hour of last week), and a third with three planted spikes of different
// sizes — a doubling and a half, a fivefold burst, and a wave of negative posts at the usual
// volume. Each alerts within two windows, once per cooldown; the spike-free weeks raise no
// alarm. bench/spikes.ts prints the false alarms over many seeds.
import { describe, expect, it } from 'vitest';
import { baselineOffsets, binomialTail, detectSpikes, normalTail, poissonTail } from '../src/inbox/community/spikes';
import { syntheticStream, WINDOWS_PER_DAY, WINDOWS_PER_WEEK, type PlantedSpike } from './helpers/synthetic-stream';

const at = (week: number, day: number, hour: number) => week * WINDOWS_PER_WEEK + day * WINDOWS_PER_DAY + hour * 12;
const SETTINGS = { sensitivity: 5, cooldownMinutes: 60 };

describe('spike detection', () => {
  it('computes its tails right', () => {
    expect(poissonTail(0, 3)).toBe(1);
    expect(poissonTail(1, 3)).toBeCloseTo(1 - Math.exp(-3), 10);
    expect(poissonTail(10, 3)).toBeCloseTo(0.0011025, 6);
    expect(binomialTail(3, 3, 0.5)).toBeCloseTo(0.125, 10);
    expect(binomialTail(2, 3, 0.5)).toBeCloseTo(0.5, 10);
    expect(normalTail(0)).toBeCloseTo(0.5, 6);
    expect(normalTail(3)).toBeCloseTo(0.0013499, 6);
    // The same hour of past weeks once there is a week; the two hours before until then.
    expect(baselineOffsets(100)).toHaveLength(24);
    expect(baselineOffsets(WINDOWS_PER_DAY * 2 + 10)).toHaveLength(24);
    expect(baselineOffsets(WINDOWS_PER_WEEK + 10)).toEqual(Array.from({ length: 12 }, (_, j) => WINDOWS_PER_WEEK - (j - 6)));
    expect(baselineOffsets(5 * WINDOWS_PER_WEEK)).toHaveLength(48);
  });

  it('finds three planted spikes of different sizes within two windows, once each, and nothing in spike-free weeks', () => {
    const planted: PlantedSpike[] = [
      { at: at(2, 1, 10), windows: 3, volume: 2.5 }, // Tuesday 10:00, half an hour of two and a half times the usual
      { at: at(2, 3, 15), windows: 6, volume: 5 }, // Thursday 15:00, a fivefold burst lasting half an hour
      { at: at(2, 2, 13), windows: 4, volume: 1, negativeShare: 0.6 }, // Wednesday 13:00, as many posts as usual but most of them negative
    ];
    const stream = syntheticStream({ weeks: 3, seed: 20261204, spikes: planted });
    const alerts = detectSpikes(stream, SETTINGS);
    const falseAlarms = alerts.filter((a) => !planted.some((p) => a.index >= p.at && a.index < p.at + p.windows));
    console.log(`spikes: ${alerts.length} alerts; false alarms in the two spike-free weeks: ${falseAlarms.filter((a) => a.index < 2 * WINDOWS_PER_WEEK).length}, in the spiked week: ${falseAlarms.filter((a) => a.index >= 2 * WINDOWS_PER_WEEK).length}`);
    for (const p of planted) {
      const mine = alerts.filter((a) => a.index >= p.at && a.index < p.at + 12);
      expect(mine, `spike at ${p.at}`).toHaveLength(1);
      expect(mine[0]!.index - p.at, `spike at ${p.at}: windows late`).toBeLessThanOrEqual(1);
      expect(mine[0]!.kind).toBe(p.negativeShare ? 'negative' : 'volume');
    }
    expect(falseAlarms).toEqual([]);
  });
});
