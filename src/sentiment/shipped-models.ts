// The models that ship with the product (src/sentiment/models/, written by `npm run train`),
// loaded once on first use. No download: the files are in the repository.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { TextClassifier } from './classifier';
import type { WordClusters } from './features';
import { LinearModel } from './model';
import type { ClustersFile } from './training/word-clusters';

export const MODELS_DIR = path.resolve(import.meta.dirname, 'models');

export interface ShippedModels {
  sentiment: TextClassifier;
  complaint: TextClassifier;
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
  // Both models read the same features: one table, two heads, one look-up per feature.
  const table = LinearModel.load(file('sentiment.json.gz'), file('complaint.json.gz'));
  return { clusters, sentiment: new TextClassifier(table, clusters, 0), complaint: new TextClassifier(table, clusters, 1) };
}

export function shippedModels(): ShippedModels {
  loaded ??= loadModels();
  return loaded;
}
