// What the analysis says about one message. Pure data: no database, no network.

export type SentimentLabel = 'negative' | 'neutral' | 'positive';

export interface SentimentSignal {
  label: SentimentLabel;
  /** -1 (very negative) .. 1 (very positive). */
  score: number;
  /** Probability of the chosen label. */
  confidence: number;
  probabilities: Record<SentimentLabel, number>;
}

export interface ComplaintSignal {
  category: string;
  confidence: number;
}

export interface UrgencyCue {
  /** legal_threat, chargeback, churn_intent, repeat_contact, safety, urgent_words, public_exposure... */
  cue: string;
  /** The words in the message that triggered it. */
  phrase: string;
  weight: number;
}

export interface ExplanationItem {
  /** A token, phrase, feature or rule name. */
  feature: string;
  /** How much it moved the decision (signed; positive pushes towards the chosen answer). */
  weight: number;
}

export interface Explanation {
  sentiment: ExplanationItem[];
  complaint: ExplanationItem[];
  rules: string[];
}

export interface MessageSignals {
  sentiment: SentimentSignal;
  complaint: ComplaintSignal | null;
  urgency: UrgencyCue[];
  language: { code: string; confidence: number };
  /** 0..1: how likely this customer is to escalate (complain publicly, leave, sue). */
  escalationRisk: number;
  explanation: Explanation;
  modelVersion: string;
}

export interface AnalysisContext {
  channel?: string;
  /** A public post (mention) rather than a private message. */
  isPublic?: boolean;
  /** What the customer is worth, when known (e.g. yearly revenue). */
  customerValue?: number | null;
  /** Sentiment scores of the customer's earlier messages in this conversation, oldest first. */
  previousScores?: number[];
  /** The customer's earlier language (ISO 639-3): an uncertain language identification yields to it. */
  languagePrior?: string | null;
}
