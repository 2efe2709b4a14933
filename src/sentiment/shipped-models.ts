// The models that ship with the product (src/sentiment/models/, written by `npm run train`),
// loaded once on first use. No download: the files are in the repository.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { APP_FILES } from '../platform/paths';
import { TextClassifier } from './classifier';
import type { WordClusters } from './features';
import { LinearModel, readModelFile } from './model';
import type { ClustersFile } from './training/word-clusters';

export const MODELS_DIR = APP_FILES.models;

export interface ShippedModels {
  sentiment: TextClassifier;
  complaint: TextClassifier;
  /** Sarcasm in English praise words; null when its file is absent. */
  irony: TextClassifier | null;
  clusters: WordClusters;
}

let loaded: ShippedModels | undefined;

export function readClusters(file: string): WordClusters {
  const c = JSON.parse(zlib.gunzipSync(fs.readFileSync(file)).toString('utf8')) as ClustersFile;
  return new Map(Object.entries(c.words));
}

export function loadModels(dir = MODELS_DIR): ShippedModels {
  const file = (name: string) => {
    const p = path.join(dir, name);
    if (!fs.existsSync(p)) throw new Error(`model file ${p} is missing: run \`npm run train\``);
    return p;
  };
  const clusters = readClusters(file('word-clusters.json.gz'));
  // The English models read the same features: one table, a head each, one look-up per feature.
  const irony = path.join(dir, 'irony.json.gz');
  const hasIrony = fs.existsSync(irony);
  const table = LinearModel.load(file('sentiment.json.gz'), file('complaint.json.gz'), ...(hasIrony ? [irony] : []));
  return {
    clusters,
    sentiment: new TextClassifier(table, clusters, 0),
    complaint: new TextClassifier(table, clusters, 1),
    irony: hasIrony ? new TextClassifier(table, clusters, 2) : null,
  };
}

export function shippedModels(): ShippedModels {
  loaded ??= loadModels();
  return loaded;
}

const languageModels = new Map<string, TextClassifier | null>();

/** The sentiment model of a language other than English (sentiment-<ISO 639-3>.json.gz), or null when none ships. */
export function languageSentimentModel(code: string, dir = MODELS_DIR): TextClassifier | null {
  let m = languageModels.get(code);
  if (m === undefined) {
    const file = path.join(dir, `sentiment-${code}.json.gz`);
    m = /^[a-z]{3}$/.test(code) && fs.existsSync(file) ? new TextClassifier(LinearModel.load(file), undefined, 0) : null;
    languageModels.set(code, m);
  }
  return m;
}

/** The languages (ISO 639-3) with a sentiment model of their own, English first. */
export function sentimentLanguages(dir = MODELS_DIR): string[] {
  const own = fs.readdirSync(dir).flatMap((f) => /^sentiment-([a-z]{3})\.json\.gz$/.exec(f)?.[1] ?? []);
  return ['eng', ...own.sort()];
}

/** What a shipped model is and learned from: shown to agents and admins. */
export interface ModelSummary {
  file: string;
  task: string;
  version: string;
  /** ISO 639-3 of the text it reads. */
  language: string;
  classes: string[];
  trainedOn: Array<{ source: string; rows: number; licence: string }>;
  /** Agents' corrections it learned from (0 when trained without DATABASE_URL). */
  correctionsLearned: number;
  createdAt: string;
}

let summaries: ModelSummary[] | undefined;

export function modelSummaries(dir = MODELS_DIR): ModelSummary[] {
  if (summaries && dir === MODELS_DIR) return summaries;
  const out = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json.gz') && f !== 'word-clusters.json.gz')
    .sort()
    .map((f): ModelSummary => {
      const m = readModelFile(path.join(dir, f));
      const language = /^sentiment-([a-z]{3})\.json\.gz$/.exec(f)?.[1] ?? 'eng';
      const correctionsLearned = m.trainedOn.filter((t) => t.licence === 'your own data').reduce((sum, t) => sum + t.rows, 0);
      return { file: f, task: m.task, version: m.version, language, classes: m.classes, trainedOn: m.trainedOn, correctionsLearned, createdAt: m.createdAt };
    });
  if (dir === MODELS_DIR) summaries = out;
  return out;
}
