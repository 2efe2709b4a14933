// The simple baseline every figure is measured beside: TF-IDF over lower-cased words and word
// pairs (no stemming, negation, emoji, word lists or clusters), a softmax regression trained
// on the same rows as ours, in the same run. If a model cannot beat this, it is not earning
// its complexity.
import type { FeatureVector } from '../features';
import { hashName } from '../features';
import { trainSoftmax, type Example } from '../training/softmax-regression';
import type { LabelledText } from '../training/datasets';

const WORD = /[\p{L}\p{N}']+/gu;

function terms(text: string): number[] {
  const words = text.toLowerCase().replace(/https?:\/\/\S+|@\w+/g, ' ').match(WORD) ?? [];
  const out = words.map((w) => hashName(`w:${w}`));
  for (let i = 1; i < words.length; i++) out.push(hashName(`b:${words[i - 1]} ${words[i]}`));
  return out;
}

export interface Baseline {
  predict(text: string): string;
}

export function trainTfidfBaseline(train: LabelledText[], classes: string[]): Baseline {
  const index = new Map(classes.map((c, i) => [c, i]));
  const docs = train.filter((r) => index.has(r.label)).map((r) => ({ terms: terms(r.text), y: index.get(r.label)! }));
  const df = new Map<number, number>();
  for (const d of docs) for (const t of new Set(d.terms)) df.set(t, (df.get(t) ?? 0) + 1);
  const idf = (t: number) => Math.log((1 + docs.length) / (1 + (df.get(t) ?? 0))) + 1;
  const vector = (ts: number[]): FeatureVector => {
    const tf = new Map<number, number>();
    for (const t of ts) tf.set(t, (tf.get(t) ?? 0) + 1);
    const keys = new Uint32Array(tf.size);
    const values = new Float32Array(tf.size);
    let i = 0;
    let norm = 0;
    for (const [t, n] of tf) {
      keys[i] = t;
      values[i] = n * idf(t);
      norm += values[i]! * values[i]!;
      i++;
    }
    for (let j = 0; j < i; j++) values[j]! /= Math.sqrt(norm) || 1;
    return { keys, values, size: i };
  };
  const examples: Example[] = docs.map((d) => ({ x: vector(d.terms), y: d.y }));
  const trained = trainSoftmax(examples, { classes: classes.length, epochs: 15, learningRate: 0.2, l2: 1e-5 });
  const row = new Map<number, number>();
  trained.hashes.forEach((h, r) => row.set(h, r));
  const k = classes.length;
  return {
    predict(text) {
      const x = vector(terms(text));
      const z = Array.from(trained.bias);
      for (let i = 0; i < x.size; i++) {
        const r = row.get(x.keys[i]!);
        if (r === undefined) continue;
        for (let c = 0; c < k; c++) z[c]! += trained.weights[r * k + c]! * x.values[i]!;
      }
      let best = 0;
      for (let c = 1; c < k; c++) if (z[c]! > z[best]!) best = c;
      return classes[best]!;
    },
  };
}
