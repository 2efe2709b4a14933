// Sentiment for languages the trained model does not know, from the word lists natural ships
// (SentiCon for Spanish, AFINN for Portuguese, Pattern for French, German, Italian and Dutch).
// Word lists are weak, so their answers carry low confidence. Loaded on first use (~0.2 s).
import { createRequire } from 'node:module';
import type { SentimentLabel } from './types';

const require = createRequire(import.meta.url);
const NATURAL = 'natural/lib/natural';

const LANGUAGES: Record<string, { name: string; vocabulary: string; suffix: string }> = {
  spa: { name: 'Spanish', vocabulary: 'senticon', suffix: 'es' },
  por: { name: 'Portuguese', vocabulary: 'afinn', suffix: 'pt' },
  fra: { name: 'French', vocabulary: 'pattern', suffix: 'fr' },
  deu: { name: 'German', vocabulary: 'pattern', suffix: 'de' },
  ita: { name: 'Italian', vocabulary: 'pattern', suffix: 'it' },
  nld: { name: 'Dutch', vocabulary: 'pattern', suffix: 'nl' },
};

interface Analyzer {
  tokenize(text: string): string[];
  score(words: string[]): number;
}

const analyzers = new Map<string, Analyzer>();

function analyzer(code: string): Analyzer | null {
  const lang = LANGUAGES[code];
  if (!lang) return null;
  let a = analyzers.get(code);
  if (!a) {
    const SentimentAnalyzer = require(`${NATURAL}/sentiment/SentimentAnalyzer.js`) as new (language: string, stemmer: unknown, type: string) => { getSentiment(words: string[]): number };
    const stemmer = require(`${NATURAL}/stemmers/porter_stemmer_${lang.suffix}.js`) as unknown;
    const Tokenizer = require(`${NATURAL}/tokenizers/aggressive_tokenizer_${lang.suffix}.js`) as new () => { tokenize(t: string): string[] };
    const sa = new SentimentAnalyzer(lang.name, stemmer, lang.vocabulary);
    const tokenizer = new Tokenizer();
    a = { tokenize: (t) => tokenizer.tokenize(t.toLowerCase()), score: (w) => (w.length ? sa.getSentiment(w) : 0) };
    analyzers.set(code, a);
  }
  return a;
}


/** A score in -1..1, a label and a low confidence, or null when no word list exists for the language. */
export function lexiconFallback(text: string, code: string): { label: SentimentLabel; score: number; confidence: number } | null {
  const a = analyzer(code);
  if (!a) return null;
  const raw = a.score(a.tokenize(text));
  const score = Math.max(-1, Math.min(1, raw * 4));
  const label: SentimentLabel = score < -0.05 ? 'negative' : score > 0.05 ? 'positive' : 'neutral';
  return { label, score, confidence: Math.min(0.55, 0.4 + Math.abs(score) * 0.3) };
}
