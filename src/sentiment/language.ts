// Which language is this? Plain English is recognised by its function words in about a
// microsecond — most messages of an English-speaking support team. Other text goes to
// franc-min (trigram statistics, ~100 µs), limited to languages support teams commonly see,
// and only when there is enough text for trigrams to mean anything: short messages
// ("thx!!", "@united ugh") default to English with low confidence rather than to a guess.
import { franc } from 'franc-min';
import { isPlaceholder, type Token } from './text/tokens';

export interface Language {
  /** ISO 639-3 code ("eng", "spa"...), or "und" when there is nothing to tell from. */
  code: string;
  confidence: number;
}

const ENGLISH = new Set(
  'the a an and or but to of in on at for with from by is are was were be been am i im you he she it its we they my your our their me us them this that these those not no have has had do does did will would can could should what when where why how please thanks thank thx hi hello there here just still yet again get got now'.split(' '),
);

/** Languages franc may answer with (ISO 639-3). */
const CANDIDATES = ['eng', 'spa', 'por', 'fra', 'deu', 'ita', 'nld', 'pol', 'swe', 'dan', 'nob', 'fin', 'tur', 'rus', 'ukr', 'ara', 'hin', 'jpn', 'cmn', 'kor', 'vie', 'ind', 'ron', 'ces', 'ell', 'heb'];
/** Fewer letters than this (after removing handles and links) is too little for trigrams. */
const MIN_LETTERS = 25;
const STRIP = /https?:\/\/\S+|www\.\S+|[@#][\w-]+/g;
const WORD = /[a-z']+/g;
/** A letter outside Latin scripts (emoji, punctuation and symbols do not count). */
const OTHER_SCRIPT = /(?![\p{Script=Latin}])\p{L}/u;

/** Whether a lower-cased word is one of the English function words the fast path counts. */
export const isEnglishFunctionWord = (word: string) => ENGLISH.has(word);

/** `tokens`, when given, are the message's tokens (their words are counted instead of splitting again). */
export function detectLanguage(text: string, tokens?: readonly Token[]): Language {
  let english = 0;
  let words = 0;
  if (tokens) {
    for (const t of tokens) {
      if (isPlaceholder(t.word)) continue;
      words++;
      if (ENGLISH.has(t.word)) english++;
    }
  } else {
    for (const w of text.replace(STRIP, ' ').toLowerCase().match(WORD) ?? []) {
      words++;
      if (ENGLISH.has(w.replace(/'/g, ''))) english++;
    }
  }
  // Letters outside Latin scripts point to a language franc must look at.
  const otherScript = OTHER_SCRIPT.test(text);
  if (!otherScript && english >= 1 && english / Math.max(1, words) >= 0.1) {
    return { code: 'eng', confidence: Math.min(0.99, 0.6 + english / words) };
  }
  const clean = text.replace(STRIP, ' ');
  const letters = clean.replace(/[^\p{L}]/gu, '').length;
  if (letters < MIN_LETTERS) {
    if (!letters) return { code: 'und', confidence: 0 };
    return otherScript ? { code: 'und', confidence: 0 } : { code: 'eng', confidence: 0.3 };
  }
  const code = franc(clean, { minLength: MIN_LETTERS, only: CANDIDATES });
  return { code, confidence: code === 'und' ? 0 : Math.min(0.9, 0.4 + letters / 300) };
}
