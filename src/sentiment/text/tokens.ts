// From raw customer text to the tokens the models read: URLs and @mentions normalised,
// emoji and emoticons named, contractions expanded, words lower-cased and stemmed
// (natural's Porter stemmer, cached: it costs ~4 µs a word), negation scope marked
// ("not good" → good with a NEG_ mark until the next punctuation), and the shape signals
// a word list misses: ALL-CAPS words, repeated punctuation, elongated words.
import { createRequire } from 'node:module';

// Only natural's stemmer: loading all of natural takes ~0.7 s.
const require = createRequire(import.meta.url);
const { stem: porterStem } = require('natural/lib/natural/stemmers/porter_stemmer.js') as { stem(word: string): string };

/**
 * Words (letters of any script, with their combining marks and inner hyphens), numbers, and
 * every other non-space character on its own — natural's WordPunctTokenizer, but for every
 * script rather than Latin-1 only (it cut Arabic, Polish or Turkish words into letters).
 */
const TOKEN = /[\p{L}\p{M}-]+|[0-9._]+|\S/gu;

/**
 * One distinct word, shared by every token that spells it: its stem is computed once, and
 * feature code may keep what it derives from the word here (see features.ts).
 */
export interface Lexeme {
  /** Lower-cased surface form (for explanations and lexicon look-ups). */
  word: string;
  /** Stemmed; placeholders (xxurl, xxemosad...) stay as they are. */
  stem: string;
  derived?: unknown;
}

export interface Token {
  lexeme: Lexeme;
  stem: string;
  word: string;
  negated: boolean;
}

export interface TextShape {
  capsWords: number;
  exclamations: number;
  questions: number;
  /** Runs like "!!!" or "?!?". */
  repeatedPunctuation: number;
  /** Words with a letter three times in a row ("sooo"). */
  elongated: number;
  mentions: number;
  urls: number;
  tokens: number;
}

export interface Tokenised {
  tokens: Token[];
  shape: TextShape;
}

const EMOTICON = /(^|\s)((?:[:;=]-?[)\]D]|\(-?[:;=]|<3|\^_\^|:-?\*)|(?:[:;=]-?[([/\\|]|[)\]]-?[:=]|:'-?\(|D-?:|>:-?\())(?=\s|$)/g;
const HAPPY_EMOTICON = /^(?:[:;=]-?[)\]D]|\(-?[:;=]|<3|\^_\^|:-?\*)$/;
const LINK_OR_HANDLE = /https?:\/\/\S+|www\.\S+|(^|[^\w])@\w+/gi;

// Emoji by feeling; other pictographs become a neutral marker.
const POSITIVE_EMOJI = new Set([...'\u{263A}\u{2764}\u{1F44D}\u{1F44F}\u{1F64C}\u{1F64F}\u{2705}\u{1F389}\u{1F38A}\u{2B50}\u{1F31F}\u{1F642}\u{1F643}\u{1F929}\u{1F970}'].map((c) => c.codePointAt(0)!));
const NEGATIVE_EMOJI = new Set([...'\u{1F612}\u{1F614}\u{1F615}\u{1F61E}\u{1F61F}\u{1F62D}\u{1F62E}\u{1F62F}\u{1F630}\u{1F641}\u{2639}\u{1F92C}\u{1F92F}\u{1F44E}\u{1F4A9}\u{1F494}\u{1F595}\u{1F624}\u{1F644}\u{1F611}\u{1F610}\u{274C}\u{1F6AB}'].map((c) => c.codePointAt(0)!));
const EMOJI = /\p{Extended_Pictographic}/gu;
// Placeholders are plain letters so that the word tokenizer keeps each one a single token.
export const PLACEHOLDER = { url: 'xxurl', user: 'xxuser', happy: 'xxemohappy', sad: 'xxemosad', other: 'xxemoother' } as const;
const PLACEHOLDERS = new Set<string>(Object.values(PLACEHOLDER));
export const isPlaceholder = (word: string) => PLACEHOLDERS.has(word);
function emojiName(e: string): string {
  const cp = e.codePointAt(0)!;
  if ((cp >= 0x1f600 && cp <= 0x1f60f) || (cp >= 0x1f617 && cp <= 0x1f61d) || (cp >= 0x1f495 && cp <= 0x1f49f) || POSITIVE_EMOJI.has(cp)) return ` ${PLACEHOLDER.happy} `;
  if ((cp >= 0x1f620 && cp <= 0x1f62b) || NEGATIVE_EMOJI.has(cp)) return ` ${PLACEHOLDER.sad} `;
  return ` ${PLACEHOLDER.other} `;
}

// Contractions carry negation: "can't" → "can not", "didnt" → "did not", so the negator is its own token.
const CONTRACTION = /\b(can|won)['’]?t\b|n['’]t\b|\b(dont|doesnt|didnt|isnt|wasnt|arent|werent|havent|hasnt|hadnt|wouldnt|couldnt|shouldnt)\b|['’](s|re|ve|ll|d|m)\b/gi;
function expand(m: string, canWon: string | undefined, bare: string | undefined, clitic: string | undefined): string {
  if (canWon) return canWon.toLowerCase() === 'won' ? 'will not' : `${canWon} not`;
  if (bare) return `${bare.slice(0, -2)} not`;
  if (clitic) return ` ${clitic}`;
  return ' not';
}

const isWordStart = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c > 127;
const isPunctuationRun = (t: string) => /^[.,!?;:]+$/.test(t);

/** "sooo" → "soo": three or more of a letter in a row, without a regex per word. */
function squeeze(word: string): string | null {
  let run = 1;
  let found = false;
  for (let i = 1; i < word.length; i++) {
    run = word.charCodeAt(i) === word.charCodeAt(i - 1) ? run + 1 : 1;
    if (run >= 3 && /\p{L}/u.test(word[i]!)) found = true;
  }
  return found ? word.replace(/(\p{L})\1{2,}/gu, '$1$1') : null;
}

const NEGATORS = new Set(['not', 'no', 'never', 'nobody', 'nothing', 'none', 'neither', 'nor', 'nowhere', 'cannot', 'without', 'hardly', 'barely']);

/** A word that opens a negation scope ("not", "never", "without"...). */
export const isNegator = (word: string) => NEGATORS.has(word);
const lexemes = new Map<string, Lexeme>();
const LEXEME_CACHE_MAX = 200_000;

function lexemeOf(word: string): Lexeme {
  let l = lexemes.get(word);
  if (l === undefined) {
    l = { word, stem: /^[a-z]+$/.test(word) && word.length > 2 && !NEGATORS.has(word) && !PLACEHOLDERS.has(word) ? porterStem(word) : word };
    if (lexemes.size >= LEXEME_CACHE_MAX) lexemes.clear();
    lexemes.set(word, l);
  }
  return l;
}

export function tokenise(raw: string): Tokenised {
  const shape: TextShape = { capsWords: 0, exclamations: 0, questions: 0, repeatedPunctuation: 0, elongated: 0, mentions: 0, urls: 0, tokens: 0 };
  let text = raw.replace(LINK_OR_HANDLE, (m: string, pre: string | undefined) => {
    if (m.startsWith('http') || m.toLowerCase().startsWith('www.')) {
      shape.urls++;
      return ` ${PLACEHOLDER.url} `;
    }
    shape.mentions++;
    return `${pre ?? ''} ${PLACEHOLDER.user} `;
  });
  text = text.replace(EMOTICON, (_m, pre: string, e: string) => `${pre} ${HAPPY_EMOTICON.test(e) ? PLACEHOLDER.happy : PLACEHOLDER.sad} `);
  text = text.replace(EMOJI, emojiName);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 33 || c === 63) {
      if (c === 33) shape.exclamations++;
      else shape.questions++;
      const next = text.charCodeAt(i + 1);
      if ((next === 33 || next === 63) && !(i > 0 && (text.charCodeAt(i - 1) === 33 || text.charCodeAt(i - 1) === 63))) shape.repeatedPunctuation++;
    }
  }
  text = text.replace(CONTRACTION, expand);
  const tokens: Token[] = [];
  let negated = false;
  for (const t of text.match(TOKEN) ?? []) {
    if (!isWordStart(t.charCodeAt(0))) {
      if (isPunctuationRun(t)) negated = false;
      continue;
    }
    let word = t.toLowerCase();
    if (t.length > 1 && word !== t && t === t.toUpperCase()) shape.capsWords++;
    const squeezed = word.length > 2 ? squeeze(word) : null;
    if (squeezed) {
      shape.elongated++;
      word = squeezed;
    }
    const lexeme = lexemeOf(word);
    if (NEGATORS.has(word)) {
      negated = true;
      tokens.push({ lexeme, stem: lexeme.stem, word, negated: false });
      continue;
    }
    tokens.push({ lexeme, stem: lexeme.stem, word, negated });
  }
  shape.tokens = tokens.length;
  return { tokens, shape };
}
