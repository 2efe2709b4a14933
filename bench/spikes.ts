// Spike alerts on synthetic streams (test/helpers/synthetic-stream.ts): for many seeds, a
// month with its daily and weekly rhythm and noise and three planted spikes in its last week.
// Prints, per sensitivity, the false alarms per spike-free week (goal 0), the planted spikes
// found and how many windows after they began, and the smallest spike found reliably.
import { detectSpikes } from '../src/inbox/community/spikes';
import { syntheticStream, WINDOWS_PER_DAY, WINDOWS_PER_WEEK, type PlantedSpike } from '../test/helpers/synthetic-stream';

const SEEDS = Number(process.env.SEEDS ?? 40);
const WEEKS = 4;
const at = (week: number, day: number, hour: number) => week * WINDOWS_PER_WEEK + day * WINDOWS_PER_DAY + hour * 12;

for (const sensitivity of [4, 4.5, 5, 6]) {
  let falseAlarms = 0;
  let found = 0;
  let planted = 0;
  let lateness = 0;
  const bySize = new Map<number, { found: number; of: number }>();
  for (let seed = 1; seed <= SEEDS; seed++) {
    const size = [1.6, 2, 2.5, 3][seed % 4]!;
    const spikes: PlantedSpike[] = [
      { at: at(WEEKS - 1, 1, 10), windows: 3, volume: size },
      { at: at(WEEKS - 1, 3, 15), windows: 6, volume: 5 },
      { at: at(WEEKS - 1, 2, 13), windows: 4, volume: 1, negativeShare: 0.6 },
    ];
    const alerts = detectSpikes(syntheticStream({ weeks: WEEKS, seed, spikes }), { sensitivity, cooldownMinutes: 60 });
    falseAlarms += alerts.filter((a) => a.index < (WEEKS - 1) * WINDOWS_PER_WEEK).length;
    for (const [k, p] of spikes.entries()) {
      planted++;
      const hit = alerts.find((a) => a.index >= p.at && a.index < p.at + p.windows + 1);
      if (hit) {
        found++;
        lateness += hit.index - p.at;
      }
      if (k === 0) {
        const b = bySize.get(size) ?? { found: 0, of: 0 };
        b.of++;
        if (hit) b.found++;
        bySize.set(size, b);
      }
    }
  }
  const sizes = [...bySize.entries()].sort((a, b) => a[0] - b[0]).map(([s, b]) => `×${s}: ${b.found}/${b.of}`).join(', ');
  console.log(
    `sensitivity ${sensitivity}: ${falseAlarms} false alarms in ${SEEDS * (WEEKS - 1)} spike-free weeks (${(falseAlarms / (SEEDS * (WEEKS - 1))).toFixed(3)} a week); ` +
      `${found}/${planted} planted spikes found, ${(lateness / Math.max(found, 1)).toFixed(2)} windows after they began on average; half-hour spikes at 10:00 by size: ${sizes}`,
  );
}
