// Trains a multinomial logistic regression (softmax) over sparse hashed features with
// AdaGrad and L2 regularisation. Written here because no maintained JavaScript library
// trains sparse linear models at this size: ml-logistic-regression works on dense matrices
// (10,000 × 100,000 would not fit), TensorFlow.js has no sparse training, and natural's
// classifier takes hours on 10,000 examples.
import type { FeatureVector } from '../features';
import { softmax } from '../model';

export interface Example {
  x: FeatureVector;
  y: number;
  /** Example weight (e.g. to balance classes); 1 by default. */
  weight?: number;
}

export interface TrainOptions {
  classes: number;
  epochs?: number;
  learningRate?: number;
  l2?: number;
  /** Features seen in fewer examples than this are dropped. */
  minCount?: number;
  seed?: number;
  onEpoch?: (epoch: number, loss: number) => void;
}

export interface TrainedWeights {
  hashes: Uint32Array;
  /** rows × classes */
  weights: Float32Array;
  bias: Float64Array;
}

/** A small deterministic PRNG (mulberry32) so that training is reproducible. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function trainSoftmax(examples: Example[], o: TrainOptions): TrainedWeights {
  const k = o.classes;
  const minCount = o.minCount ?? 2;
  // Vocabulary: features present in at least minCount examples.
  const df = new Map<number, number>();
  for (const e of examples) {
    const seen = new Set<number>();
    for (let i = 0; i < e.x.size; i++) seen.add(e.x.keys[i]!);
    for (const h of seen) df.set(h, (df.get(h) ?? 0) + 1);
  }
  const rowOf = new Map<number, number>();
  const hashes: number[] = [];
  for (const [h, c] of df) if (c >= minCount) rowOf.set(h, hashes.push(h) - 1);
  const rows = hashes.length;
  const W = new Float64Array(rows * k);
  const G = new Float64Array(rows * k).fill(1e-8);
  const b = new Float64Array(k);
  const Gb = new Float64Array(k).fill(1e-8);
  const lr = o.learningRate ?? 0.5;
  const l2 = o.l2 ?? 1e-5;
  const rand = random(o.seed ?? 7);
  const order = examples.map((_, i) => i);
  // Rows of each example resolved once.
  const idx = examples.map((e) => {
    const r = new Int32Array(e.x.size);
    for (let i = 0; i < e.x.size; i++) r[i] = rowOf.get(e.x.keys[i]!) ?? -1;
    return r;
  });
  const z = new Float64Array(k);
  for (let epoch = 0; epoch < (o.epochs ?? 15); epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    let loss = 0;
    for (const n of order) {
      const e = examples[n]!;
      const r = idx[n]!;
      const weight = e.weight ?? 1;
      for (let c = 0; c < k; c++) z[c] = b[c]!;
      for (let i = 0; i < e.x.size; i++) {
        if (r[i]! < 0) continue;
        const base = r[i]! * k;
        const v = e.x.values[i]!;
        for (let c = 0; c < k; c++) z[c]! += W[base + c]! * v;
      }
      const p = softmax(z);
      loss -= weight * Math.log(p[e.y]! + 1e-12);
      for (let c = 0; c < k; c++) {
        const g = weight * (p[c]! - (c === e.y ? 1 : 0));
        Gb[c]! += g * g;
        b[c]! -= (lr * g) / Math.sqrt(Gb[c]!);
        for (let i = 0; i < e.x.size; i++) {
          if (r[i]! < 0) continue;
          const at = r[i]! * k + c;
          const gw = g * e.x.values[i]! + l2 * W[at]!;
          G[at]! += gw * gw;
          W[at]! -= (lr * gw) / Math.sqrt(G[at]!);
        }
      }
    }
    o.onEpoch?.(epoch + 1, loss / examples.length);
  }
  return { hashes: Uint32Array.from(hashes), weights: Float32Array.from(W), bias: b };
}
