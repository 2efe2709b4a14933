// Turns tokenised text into a sparse feature vector: stemmed words (negation-marked), word
// bigrams, character 3-5-grams inside words, word clusters (groups of words that GloVe
// vectors place together, so "dreadful" helps where only "awful" was seen in training),
// and a few dense signals (AFINN word-list
// scores from the `sentiment` package, emoji, ALL-CAPS, repeated punctuation...). Feature
// names are hashed (FNV-1a, 32 bit) as they are built, so nothing is allocated per n-gram;
// names are kept only when asked for (training, explanations).
import { createRequire } from 'node:module';
import { PLACEHOLDER, type Lexeme, type Tokenised } from './text/tokens';

const require = createRequire(import.meta.url);
// A Map, not the object: a plain-object look-up would find "constructor" and friends.
const AFINN = new Map(Object.entries(require('sentiment/languages/en/labels.json') as Record<string, number>));

/** A word the AFINN list scores as positive ("great", "perfect", "amazing"). */
export const isPraiseWord = (word: string) => (AFINN.get(word) ?? 0) > 0;

/** A word the AFINN list scores as negative ("late", "broken", "awful"). */
export const isComplaintWord = (word: string) => (AFINN.get(word) ?? 0) < 0;

export interface FeatureVector {
  keys: Uint32Array;
  values: Float32Array;
  size: number;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function fnv(h: number, s: string, from = 0, to = s.length): number {
  for (let i = from; i < to; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}
const fnvChar = (h: number, c: number) => Math.imul(h ^ c, FNV_PRIME) >>> 0;

export const hashName = (name: string) => fnv(FNV_OFFSET, name);

/** Names of character n-gram features start with this; explanations leave them out (fragments of words mean little to agents). */
export const CHAR_NGRAM_MARK = '\u2026';

// Namespace seeds: the hash of "w:", "b:", "c:" and "x:".
const W = fnv(FNV_OFFSET, 'w:');
const K = fnv(FNV_OFFSET, 'k:');
const C = fnv(FNV_OFFSET, 'c:');
const NEG = 'NEG_';

/** Word → cluster id (see training/word-clusters.ts). */
export type WordClusters = Map<string, number>;

/** What one word contributes, computed once per word and kept on its lexeme. */
interface WordFeatures {
  clusters: WordClusters | undefined;
  w: number;
  wNeg: number;
  cluster: number;
  k: number;
  kNeg: number;
  afinn: number;
}

function wordFeatures(lexeme: Lexeme, clusters: WordClusters | undefined): WordFeatures {
  const known = lexeme.derived as WordFeatures | undefined;
  if (known && known.clusters === clusters) return known;
  const cluster = clusters?.get(lexeme.word) ?? -1;
  const k = cluster >= 0 ? fnvChar(fnvChar(K, cluster & 0xff), cluster >>> 8) : 0;
  const kNeg = cluster >= 0 ? fnvChar(fnvChar(fnv(K, NEG), cluster & 0xff), cluster >>> 8) : 0;
  const f: WordFeatures = { clusters, w: fnv(W, lexeme.stem), wNeg: fnv(fnv(W, NEG), lexeme.stem), cluster, k, kNeg, afinn: AFINN.get(lexeme.word) ?? 0 };
  lexeme.derived = f;
  return f;
}

/** Mixes two 32-bit hashes into one (for word pairs). */
function mix(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ b;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export interface ExtractOptions {
  charNgrams?: boolean;
  clusters?: WordClusters;
  /** Value of a cluster feature relative to a word feature. */
  clusterWeight?: number;
  /** Record each feature's readable name (training, explanations). */
  names?: Map<number, string>;
}

/** Dense signals, each scaled to about 0..1. */
const DENSE = ['afinn_pos', 'afinn_neg', 'afinn_pos_n', 'afinn_neg_n', 'caps', 'exclaim', 'repeat_punct', 'elongated', 'question', 'emo_happy', 'emo_sad', 'short'] as const;
const DENSE_HASH = Object.fromEntries(DENSE.map((d) => [d, hashName(`x:${d}`)])) as Record<(typeof DENSE)[number], number>;

export function extractFeatures(t: Tokenised, o: ExtractOptions = {}): FeatureVector {
  // Exact upper bound: word, bigram and cluster per token, plus 3-, 4- and 5-grams of "<word>".
  let cap = DENSE.length;
  for (const tok of t.tokens) cap += 3 + (o.charNgrams === false ? 0 : 3 * (tok.word.length + 2));
  const clusterWeight = o.clusterWeight ?? 0.3;
  const keys = new Uint32Array(cap);
  const values = new Float32Array(cap);
  let n = 0;
  // No closure per feature: names are only built when asked for (training).
  const names = o.names;
  let pos = 0;
  let neg = 0;
  let posN = 0;
  let negN = 0;
  let happy = 0;
  let sad = 0;
  const toks = t.tokens;
  let prevHash = 0;
  for (let i = 0; i < toks.length; i++) {
    const tok = toks[i]!;
    const f = wordFeatures(tok.lexeme, o.clusters);
    const h = tok.negated ? f.wNeg : f.w;
    keys[n] = h;
    values[n++] = 1;
    if (names && !names.has(h)) names.set(h, `${tok.negated ? NEG : ''}${tok.stem}`);
    if (f.cluster >= 0) {
      const hk = tok.negated ? f.kNeg : f.k;
      keys[n] = hk;
      values[n++] = clusterWeight;
      if (names && !names.has(hk)) names.set(hk, `${tok.negated ? NEG : ''}~${tok.word}`);
    }
    if (i > 0) {
      // Bigram of stems: the two words' hashes mixed, no string built.
      const hb = mix(prevHash, f.w);
      keys[n] = hb;
      values[n++] = 1;
      if (names && !names.has(hb)) names.set(hb, `${toks[i - 1]!.stem} ${tok.stem}`);
    }
    prevHash = f.w;
    if (o.charNgrams !== false && tok.stem.charCodeAt(0) !== 95 /* _placeholder_ */) {
      const w = tok.word;
      const L = w.length + 2; // with < and > as word boundaries
      for (let len = 3; len <= 5; len++) {
        for (let s = 0; s + len <= L; s++) {
          let hc = C;
          for (let j = s; j < s + len; j++) hc = fnvChar(hc, j === 0 ? 60 : j === L - 1 ? 62 : w.charCodeAt(j - 1));
          keys[n] = hc;
          values[n++] = 0.5;
          if (names && !names.has(hc)) names.set(hc, `${CHAR_NGRAM_MARK}${`<${w}>`.slice(s, s + len)}`);
        }
      }
    }
    if (tok.word === PLACEHOLDER.happy) happy++;
    else if (tok.word === PLACEHOLDER.sad) sad++;
    const a = f.afinn;
    if (a !== 0) {
      // Negation flips the word's polarity, as the `sentiment` package does.
      const v = tok.negated ? -a : a;
      if (v > 0) {
        pos += v;
        posN++;
      } else {
        neg -= v;
        negN++;
      }
    }
  }
  const s = t.shape;
  // Sparse part scaled to unit length, so long messages do not dominate short ones.
  let norm = 0;
  for (let i = 0; i < n; i++) norm += values[i]! * values[i]!;
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 1;
  for (let i = 0; i < n; i++) values[i]! *= scale;
  const dense = (name: (typeof DENSE)[number], v: number) => {
    if (v === 0) return;
    keys[n] = DENSE_HASH[name];
    values[n++] = v;
    if (names && !names.has(DENSE_HASH[name])) names.set(DENSE_HASH[name], `[${name.replaceAll('_', ' ')}]`);
  };
  dense('afinn_pos', Math.min(1, pos / 10));
  dense('afinn_neg', Math.min(1, neg / 10));
  dense('afinn_pos_n', Math.min(1, posN / 4));
  dense('afinn_neg_n', Math.min(1, negN / 4));
  dense('caps', Math.min(1, s.capsWords / 3));
  dense('exclaim', Math.min(1, s.exclamations / 3));
  dense('repeat_punct', Math.min(1, s.repeatedPunctuation / 2));
  dense('elongated', Math.min(1, s.elongated / 2));
  dense('question', Math.min(1, s.questions / 2));
  dense('emo_happy', Math.min(1, happy / 2));
  dense('emo_sad', Math.min(1, sad / 2));
  dense('short', s.tokens <= 4 ? 1 : 0);
  return { keys, values, size: n };
}
