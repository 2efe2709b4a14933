// The word-list (AFINN) baseline: the `sentiment` package's score with its negation
// handling, mapped to a label. Kept as the reference the trained model is measured against
// and as the fallback for languages the trained model does not know.
import Sentiment from 'sentiment';
import type { ExplanationItem, SentimentLabel, SentimentSignal } from './types';

const afinn = new Sentiment();

export interface LexiconResult {
  signal: SentimentSignal;
  /** AFINN's raw sum and per-token contributions. */
  raw: number;
  comparative: number;
  explanation: ExplanationItem[];
}

export function lexiconSentiment(text: string): LexiconResult {
  const r = afinn.analyze(text);
  // comparative = score / tokens; scale so that a clearly worded sentence reaches about ±1.
  const score = Math.max(-1, Math.min(1, r.comparative * 2));
  const label: SentimentLabel = r.score < 0 ? 'negative' : r.score > 0 ? 'positive' : 'neutral';
  // A word list is never very sure: confidence grows with the strength of the evidence.
  const strength = Math.min(1, Math.abs(r.score) / 6);
  const confidence = label === 'neutral' ? 0.5 : 0.5 + 0.35 * strength;
  const rest = (1 - confidence) / 2;
  const probabilities = { negative: rest, neutral: rest, positive: rest, [label]: confidence } as Record<SentimentLabel, number>;
  const explanation = r.calculation
    .flatMap((c) => Object.entries(c))
    .map(([feature, weight]) => ({ feature, weight: Number(weight) }))
    .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight))
    .slice(0, 8);
  return { signal: { label, score, confidence, probabilities }, raw: r.score, comparative: r.comparative, explanation };
}
