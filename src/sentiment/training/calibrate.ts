// Making probabilities honest and decisions fit the goal, on validation data the model did
// not train on: temperature scaling (one number that softens or sharpens every softmax),
// then per-class offsets added to log-probabilities before taking the best class.
import { evaluate } from '../evaluation/metrics';
import { softmax } from '../model';

/** The temperature that minimises negative log-likelihood. */
export function fitTemperature(logits: Float64Array[], y: number[]): number {
  let best = 1;
  let bestLoss = Infinity;
  for (let t = 0.4; t <= 4; t += 0.05) {
    let loss = 0;
    logits.forEach((z, i) => (loss -= Math.log(softmax(z, t)[y[i]!]! + 1e-12)));
    if (loss < bestLoss) {
      bestLoss = loss;
      best = Math.round(t * 100) / 100;
    }
  }
  return best;
}

export type Objective = (truth: number[], predicted: number[]) => number;

export const macroF1Objective =
  (k: number): Objective =>
  (truth, predicted) => {
    const labels = Array.from({ length: k }, (_, i) => String(i));
    return evaluate(truth.map(String), predicted.map(String), labels).macroF1;
  };

const decide = (p: Float64Array, offsets: number[]) => {
  let best = 0;
  let s = -Infinity;
  for (let c = 0; c < p.length; c++) {
    const v = Math.log(p[c]! + 1e-12) + offsets[c]!;
    if (v > s) {
      s = v;
      best = c;
    }
  }
  return best;
};

/** Coordinate ascent on per-class offsets (class 0 stays at 0) to maximise the objective. */
export function tuneOffsets(probs: Float64Array[], y: number[], k: number, objective: Objective): number[] {
  const offsets = new Array<number>(k).fill(0);
  const score = () => objective(y, probs.map((p) => decide(p, offsets)));
  let best = score();
  for (let round = 0; round < 3; round++) {
    for (let c = 1; c < k; c++) {
      let bestValue = offsets[c]!;
      for (let step = -20; step <= 20; step++) {
        offsets[c] = step / 10;
        const s = score();
        if (s > best + 1e-9) {
          best = s;
          bestValue = offsets[c]!;
        }
      }
      offsets[c] = bestValue;
    }
  }
  return offsets;
}

/** Expected calibration error: how far confidence is from accuracy, over 10 bins. */
export function calibrationError(confidences: number[], correct: boolean[]): { ece: number; bins: Array<{ from: number; to: number; n: number; confidence: number; accuracy: number }> } {
  const bins = Array.from({ length: 10 }, (_, i) => ({ from: i / 10, to: (i + 1) / 10, n: 0, confidence: 0, accuracy: 0 }));
  confidences.forEach((c, i) => {
    const b = bins[Math.min(9, Math.floor(c * 10))]!;
    b.n++;
    b.confidence += c;
    b.accuracy += correct[i] ? 1 : 0;
  });
  let ece = 0;
  for (const b of bins) {
    if (!b.n) continue;
    b.confidence /= b.n;
    b.accuracy /= b.n;
    ece += (b.n / confidences.length) * Math.abs(b.confidence - b.accuracy);
  }
  return { ece, bins: bins.filter((b) => b.n) };
}
