// Fits one classifier: features → softmax regression → temperature and decision offsets
// tuned on validation rows → weights pruned and quantised to 8 bits → a model file.
import crypto from 'node:crypto';
import { TextClassifier } from '../classifier';
import type { WordClusters } from '../features';
import { LinearModel, type FeatureSettings, type ModelFile } from '../model';
import { tokenise } from '../text/tokens';
import { fitTemperature, macroF1Objective, tuneOffsets, type Objective } from './calibrate';
import type { LabelledText } from './datasets';
import { trainSoftmax, type Example } from './softmax-regression';
import { extractFeatures } from '../features';

export interface FitOptions {
  task: string;
  /** Class order in the model; by default every label seen, sorted. */
  classes?: string[];
  features: FeatureSettings;
  clusters?: WordClusters;
  epochs?: number;
  learningRate?: number;
  l2?: number;
  /** Class balancing: example weight × (n / (k · n_class))^balance. 0: none, 1: full. */
  balance?: number;
  /** What the decision offsets maximise on validation (default: macro-F1). */
  objective?: (k: number, classes: string[]) => Objective;
  trainedOn: ModelFile['trainedOn'];
  log: (line: string) => void;
}

/** Fewer validation rows than this fit noise: calibration and offsets are left neutral. */
const MIN_CALIBRATION_ROWS = 50;

export interface Fitted {
  file: ModelFile;
  classifier: TextClassifier;
}

/**
 * Fits on `train`, tunes calibration and decision offsets on `validation`, then (with
 * `refit`) trains again on both with the same settings, keeping the calibration.
 */
export function fitClassifier(train: LabelledText[], validation: LabelledText[], o: FitOptions & { refit?: boolean }): Fitted {
  const first = fitOnce(train, validation, o);
  if (!o.refit) return first;
  o.log(`${o.task}: training again on training + validation rows with the tuned settings`);
  const final = fitOnce([...train, ...validation], [], o);
  final.file.temperature = first.file.temperature;
  final.file.offsets = first.file.offsets;
  final.file.version = versionOf(final.file, o.task);
  return { file: final.file, classifier: new TextClassifier(new LinearModel([final.file]), o.clusters) };
}

function fitOnce(train: LabelledText[], validation: LabelledText[], o: FitOptions): Fitted {
  const classes = o.classes ?? [...new Set(train.map((e) => e.label))].sort();
  const k = classes.length;
  const index = new Map(classes.map((c, i) => [c, i]));
  const names = new Map<number, string>();
  const featureOptions = { charNgrams: o.features.charNgrams, clusters: o.features.clusters ? o.clusters : undefined, clusterWeight: o.features.clusterWeight, names };
  o.log(`${o.task}: extracting features from ${train.length} training and ${validation.length} validation texts`);
  const toExample = (e: LabelledText): Example | null => {
    const y = index.get(e.label);
    return y === undefined ? null : { x: extractFeatures(tokenise(e.text), featureOptions), y, weight: e.weight };
  };
  const examples = train.map(toExample).filter((e): e is Example => !!e);
  const counts = new Array<number>(k).fill(0);
  for (const e of examples) counts[e.y]!++;
  const balance = o.balance ?? 1;
  for (const e of examples) e.weight = (e.weight ?? 1) * Math.pow(examples.length / (k * Math.max(1, counts[e.y]!)), balance);
  o.log(`${o.task}: training on ${examples.length} examples, ${k} classes (${classes.map((c, i) => `${c} ${counts[i]}`).join(', ')})`);
  const trained = trainSoftmax(examples, {
    classes: k,
    epochs: o.epochs ?? 25,
    learningRate: o.learningRate ?? 0.2,
    l2: o.l2 ?? 1e-5,
    onEpoch: (epoch, loss) => o.log(`${o.task}: epoch ${epoch}/${o.epochs ?? 25}, loss ${loss.toFixed(4)}`),
  });

  // Prune weights that barely matter, then quantise each class's weights to 8 bits.
  const keep: number[] = [];
  for (let r = 0; r < trained.hashes.length; r++) {
    let max = 0;
    for (let c = 0; c < k; c++) max = Math.max(max, Math.abs(trained.weights[r * k + c]!));
    if (max >= 0.01) keep.push(r);
  }
  const scales = Array.from({ length: k }, (_, c) => {
    let max = 0;
    for (const r of keep) max = Math.max(max, Math.abs(trained.weights[r * k + c]!));
    return max / 127 || 1;
  });
  const q = new Int8Array(keep.length * k);
  keep.forEach((r, i) => {
    for (let c = 0; c < k; c++) q[i * k + c] = Math.round(trained.weights[r * k + c]! / scales[c]!);
  });
  const hashes = Uint32Array.from(keep.map((r) => trained.hashes[r]!));
  const file: ModelFile = {
    format: 'inbox-linear-model/1',
    task: o.task,
    version: '',
    classes,
    createdAt: new Date().toISOString(),
    trainedOn: o.trainedOn,
    metrics: {},
    features: o.features,
    temperature: 1,
    bias: [...trained.bias],
    offsets: new Array<number>(k).fill(0),
    featureHashes: Buffer.from(hashes.buffer).toString('base64'),
    featureNames: [...hashes].map((h) => names.get(h) ?? '?'),
    weights: Buffer.from(q.buffer).toString('base64'),
    scales,
  };
  o.log(`${o.task}: kept ${keep.length} of ${trained.hashes.length} features`);

  // Calibrate on validation rows, with the quantised weights the product will use.
  const draft = new TextClassifier(new LinearModel([file]), o.clusters);
  const val = validation.filter((e) => index.has(e.label));
  if (val.length && val.length < MIN_CALIBRATION_ROWS) {
    o.log(`${o.task}: only ${val.length} validation rows, too few to calibrate on: temperature 1, no decision offsets`);
  }
  if (val.length < MIN_CALIBRATION_ROWS) {
    file.version = versionOf(file, o.task);
    return { file, classifier: draft };
  }
  const logits = val.map((e) => {
    const { features, rows } = draft.prepare(tokenise(e.text));
    return draft.model.logits(features, rows, 0);
  });
  const y = val.map((e) => index.get(e.label)!);
  file.temperature = fitTemperature(logits, y);
  const probs = logits.map((z) => {
    const p = new Float64Array(k);
    let max = -Infinity;
    for (let c = 0; c < k; c++) max = Math.max(max, z[c]! / file.temperature);
    let sum = 0;
    for (let c = 0; c < k; c++) sum += p[c] = Math.exp(z[c]! / file.temperature - max);
    for (let c = 0; c < k; c++) p[c]! /= sum;
    return p;
  });
  file.offsets = tuneOffsets(probs, y, k, (o.objective ?? macroF1Objective)(k, classes));
  o.log(`${o.task}: temperature ${file.temperature}, decision offsets ${file.offsets.map((v, i) => `${classes[i]} ${v}`).join(', ')}`);
  file.version = versionOf(file, o.task);
  return { file, classifier: new TextClassifier(new LinearModel([file]), o.clusters) };
}

const versionOf = (file: ModelFile, task: string) =>
  `${task}-${file.createdAt.slice(0, 10).replaceAll('-', '')}-${crypto
    .createHash('sha256')
    .update(file.weights)
    .update(JSON.stringify([file.bias, file.temperature, file.offsets, file.classes]))
    .digest('hex')
    .slice(0, 8)}`;
