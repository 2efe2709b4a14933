// Text in, signals out. Pure: no I/O, safe to call anywhere.
import { lexiconSentiment } from './lexicon-baseline';
import type { AnalysisContext, MessageSignals } from './types';

export type * from './types';

export const MODEL_VERSION = 'afinn-baseline-1';

export function analyzeMessage(text: string, context: AnalysisContext = {}): MessageSignals {
  const lex = lexiconSentiment(text);
  const urgency = context.isPublic ? [{ cue: 'public_exposure', phrase: '(public post)', weight: 0.2 }] : [];
  const negativity = lex.signal.label === 'negative' ? lex.signal.confidence : 0;
  const escalationRisk = Math.min(1, negativity * 0.6 + urgency.reduce((s, u) => s + u.weight, 0));
  return {
    sentiment: lex.signal,
    complaint: null,
    urgency,
    language: { code: 'und', confidence: 0 },
    escalationRisk,
    explanation: { sentiment: lex.explanation, complaint: [], rules: urgency.map((u) => `cue:${u.cue}`) },
    modelVersion: MODEL_VERSION,
  };
}
