// Trained linear (softmax) classifiers over hashed features, as shipped in
// src/sentiment/models/*.json.gz. Several models that read the same features are held as
// heads of one table: a feature's weights for every head sit side by side, so scoring a
// message for sentiment and complaint type costs one probe and one cache line per feature.
// Probabilities are temperature-calibrated, then shifted by per-class offsets tuned on
// validation data (a change of class priors), so the decision is simply the most probable.
import fs from 'node:fs';
import zlib from 'node:zlib';
import { CHAR_NGRAM_MARK, type FeatureVector } from './features';

/** How text was turned into features for this model; inference must do the same. */
export interface FeatureSettings {
  charNgrams: boolean;
  clusters: boolean;
  clusterWeight: number;
}

export interface ModelFile {
  format: 'inbox-linear-model/1';
  task: string;
  version: string;
  classes: string[];
  createdAt: string;
  /** What it was trained on, with licences: shown in the README and the API. */
  trainedOn: Array<{ source: string; rows: number; licence: string }>;
  /** Figures on held-out data, measured when it was trained. */
  metrics: Record<string, unknown>;
  features: FeatureSettings;
  temperature: number;
  bias: number[];
  offsets: number[];
  /** base64 of a Uint32Array of feature hashes, one per row. */
  featureHashes: string;
  featureNames: string[];
  /** base64 of an Int8Array (rows × classes), weight = value × scale[class]. */
  weights: string;
  scales: number[];
}

export interface Contribution {
  feature: string;
  weight: number;
}

export function readModelFile(path: string): ModelFile {
  return JSON.parse(zlib.gunzipSync(fs.readFileSync(path)).toString('utf8')) as ModelFile;
}

/**
 * The bytes of a base64 string as an ArrayBuffer of their own. (A small Buffer is a slice of
 * Node's shared pool: its `.buffer` is the whole pool, not these bytes.)
 */
function bytesOf(base64: string): ArrayBuffer {
  const b = Buffer.from(base64, 'base64');
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

export class LinearModel {
  /** Weights per table row: every head's classes side by side. */
  private readonly weights: Float32Array;
  private readonly width: number;
  /** Where each head's columns start in a row. */
  private readonly columns: number[];
  private readonly table: Uint32Array;
  private readonly rows: Int32Array;
  private readonly mask: number;
  private readonly names: string[] = [];
  /** 1 for character n-gram features, which explanations leave out. */
  private readonly isFragment: Uint8Array;
  /** Per head, each row's mean weight over the head's classes (for explanations). */
  private readonly means: Float32Array[];

  constructor(readonly heads: ModelFile[]) {
    const settings = JSON.stringify(heads[0]!.features);
    if (heads.some((h) => JSON.stringify(h.features) !== settings)) throw new Error('models that share a table must read the same features');
    this.columns = [];
    let width = 0;
    for (const h of heads) {
      this.columns.push(width);
      width += h.classes.length;
    }
    this.width = width;
    const perHead = heads.map((h) => ({ hashes: new Uint32Array(bytesOf(h.featureHashes)), q: new Int8Array(bytesOf(h.weights)) }));
    const total = perHead.reduce((s, h) => s + h.hashes.length, 0);
    let size = 1;
    while (size < total * 2) size <<= 1;
    this.mask = size - 1;
    this.table = new Uint32Array(size);
    this.rows = new Int32Array(size).fill(-1);
    // At most one row per feature of every head: written in place, trimmed after (a number[] grown by push took ~0.3 s).
    const rowWeights = new Float32Array(total * width);
    let nextRow = 0;
    heads.forEach((h, m) => {
      const k = h.classes.length;
      const { hashes, q } = perHead[m]!;
      for (let r = 0; r < hashes.length; r++) {
        let row = this.row(hashes[r]!);
        if (row < 0) {
          row = nextRow++;
          let i = hashes[r]! & this.mask;
          while (this.rows[i] !== -1) i = (i + 1) & this.mask;
          this.table[i] = hashes[r]!;
          this.rows[i] = row;
          this.names[row] = h.featureNames[r] ?? '?';
        }
        for (let c = 0; c < k; c++) rowWeights[row * width + this.columns[m]! + c] = q[r * k + c]! * h.scales[c]!;
      }
    });
    this.weights = rowWeights.slice(0, nextRow * width);
    this.isFragment = Uint8Array.from(this.names, (n) => (n.startsWith(CHAR_NGRAM_MARK) ? 1 : 0));
    this.means = heads.map((h, m) => {
      const k = h.classes.length;
      const means = new Float32Array(nextRow);
      for (let r = 0; r < nextRow; r++) {
        let sum = 0;
        for (let c = 0; c < k; c++) sum += this.weights[r * width + this.columns[m]! + c]!;
        means[r] = sum / k;
      }
      return means;
    });
  }

  static load(...paths: string[]): LinearModel {
    return new LinearModel(paths.map(readModelFile));
  }

  private row(hash: number): number {
    let i = hash & this.mask;
    for (;;) {
      const r = this.rows[i]!;
      if (r === -1) return -1;
      if (this.table[i] === hash) return r;
      i = (i + 1) & this.mask;
    }
  }

  /** The table row of each feature of x (-1: unknown to every head). */
  rowsOf(x: FeatureVector): Int32Array {
    const rows = new Int32Array(x.size);
    for (let i = 0; i < x.size; i++) rows[i] = this.row(x.keys[i]!);
    return rows;
  }

  /**
   * Probabilities of head `h` (sum to 1): temperature-calibrated, then shifted by the tuned
   * offsets, so label, confidence and score always agree.
   */
  probabilities(x: FeatureVector, rows: Int32Array, h = 0): Float64Array {
    const head = this.heads[h]!;
    const k = head.classes.length;
    const col = this.columns[h]!;
    const z = new Float64Array(k);
    for (let c = 0; c < k; c++) z[c] = head.bias[c]!;
    const w = this.weights;
    for (let i = 0; i < x.size; i++) {
      const r = rows[i]!;
      if (r < 0) continue;
      const v = x.values[i]!;
      const base = r * this.width + col;
      for (let c = 0; c < k; c++) z[c]! += w[base + c]! * v;
    }
    for (let c = 0; c < k; c++) z[c] = z[c]! / head.temperature + head.offsets[c]!;
    return softmax(z);
  }

  /** Raw scores (logits) of head `h`, before calibration. */
  logits(x: FeatureVector, rows: Int32Array, h = 0): Float64Array {
    const head = this.heads[h]!;
    const k = head.classes.length;
    const z = Float64Array.from(head.bias);
    for (let i = 0; i < x.size; i++) {
      const r = rows[i]!;
      if (r < 0) continue;
      for (let c = 0; c < k; c++) z[c]! += this.weights[r * this.width + this.columns[h]! + c]! * x.values[i]!;
    }
    return z;
  }

  /**
   * The words, phrases and signals that pushed hardest towards class c of head h (or
   * against it), strongest first: evidence for c relative to the head's average class.
   */
  explain(x: FeatureVector, rows: Int32Array, h: number, c: number, top = 6): Contribution[] {
    const col = this.columns[h]!;
    const w = this.weights;
    const means = this.means[h]!;
    const bestRows: number[] = [];
    const bestWeights: number[] = [];
    for (let i = 0; i < x.size; i++) {
      const r = rows[i]!;
      if (r < 0 || this.isFragment[r]) continue;
      const contribution = (w[r * this.width + col + c]! - means[r]!) * x.values[i]!;
      if (contribution === 0) continue;
      const seen = bestRows.indexOf(r);
      if (seen >= 0) {
        bestWeights[seen]! += contribution;
        continue;
      }
      // Keep the `top` strongest in a small sorted list.
      let at = bestRows.length;
      while (at > 0 && Math.abs(bestWeights[at - 1]!) < Math.abs(contribution)) at--;
      if (at >= top) continue;
      bestRows.splice(at, 0, r);
      bestWeights.splice(at, 0, contribution);
      if (bestRows.length > top) {
        bestRows.pop();
        bestWeights.pop();
      }
    }
    return bestRows.map((r, i) => ({ feature: this.names[r] ?? '?', weight: Math.round(bestWeights[i]! * 1000) / 1000 }));
  }
}

export function softmax(z: ArrayLike<number>, temperature = 1): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < z.length; i++) max = Math.max(max, z[i]! / temperature);
  const p = new Float64Array(z.length);
  let sum = 0;
  for (let i = 0; i < z.length; i++) sum += p[i] = Math.exp(z[i]! / temperature - max);
  for (let i = 0; i < z.length; i++) p[i]! /= sum;
  return p;
}
