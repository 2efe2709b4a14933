// Text in, signals out: sentiment (trained model, or a word list for other languages),
// complaint type, urgency cues, language, escalation risk, and the explanation of each.
// Pure: no database, no network; models are files loaded once.
import { findCues } from './cues';
import { isComplaintWord, isPraiseWord } from './features';
import { detectLanguage } from './language';
import { lexiconFallback } from './lexicon-fallback';
import { escalationRisk } from './risk';
import { languageSentimentModel, shippedModels } from './shipped-models';
import { isNegator, tokenise, type Tokenised } from './text/tokens';
import { trajectory, TRAJECTORY_WINDOW, type Trajectory } from './trajectory';
import type { AnalysisContext, ExplanationItem, MessageSignals, SentimentLabel, SentimentSignal, UrgencyCue } from './types';

/** The complaint model knows English: on another language its confidence is scaled down. */
const FOREIGN_CONFIDENCE_SCALE = 0.5;
/** How sure the irony model must be before positive words in a complaint are read as sarcasm (it is right ~60 % of the time overall). */
const IRONY_FLIPS = 0.7;
const IRONY_MAX_LENGTH = 320;
/** Types that are not complaints: praise words there are meant. */
const NOT_A_COMPLAINT = new Set(['praise', 'question', 'other']);
/** A question the model calls negative less surely than this, with no negative word, negation or cue in it, is neutral. */
const PLAIN_QUESTION_BELOW = 0.6;

function isPlainQuestion(t: Tokenised, cues: readonly UrgencyCue[]): boolean {
  return t.shape.questions > 0 && t.shape.exclamations === 0 && cues.length === 0 && !t.tokens.some((x) => x.negated || isNegator(x.word) || isComplaintWord(x.word));
}

/** A complaint type less likely than this is not given: "other" says we do not know, rather than a guess. */
const ABSTAIN_BELOW = 0.25;
/** Churn words ("cancel my subscription", "switching to") make it a cancellation unless the model is surer of another type. */
const CHURN_OVERRULES = 0.7;

export function modelVersion(): string {
  const m = shippedModels();
  return `${m.sentiment.version}+${m.complaint.version}`;
}

/** The complaint types the shipped model can answer (the taxonomy it was trained on). */
export function complaintTypes(): string[] {
  return shippedModels().complaint.classes;
}

export function analyzeMessage(text: string, context: AnalysisContext = {}): MessageSignals {
  const models = shippedModels();
  const tokens = tokenise(text);
  const language = detectLanguage(text, { prior: context.languagePrior });
  const english = language.code === 'eng' || language.code === 'und';
  // Both English models are heads of one table: features and row look-ups once for both.
  const prepared = models.sentiment.prepare(tokens);
  const rules: string[] = [`language:${language.code}`];

  let sentiment: SentimentSignal;
  let sentimentExplanation: ExplanationItem[];
  let version = models.sentiment.version;
  const own = english ? null : languageSentimentModel(language.code);
  const fallback = english || own ? null : lexiconFallback(text, language.code);
  if (english || own) {
    const c = (own ?? models.sentiment).classify(tokens, english ? { prepared } : {});
    const p = c.probabilities as Record<SentimentLabel, number>;
    sentiment = { label: c.label as SentimentLabel, score: round(p.positive - p.negative), confidence: round(c.confidence), probabilities: p };
    sentimentExplanation = c.explanation;
    if (own) {
      version = own.version;
      rules.push(`sentiment:model:${language.code}`);
    }
  } else if (fallback) {
    // No model for this language: its word list stands in, less sure.
    const rest = (1 - fallback.confidence) / 2;
    sentiment = { label: fallback.label, score: round(fallback.score), confidence: round(fallback.confidence), probabilities: { negative: rest, neutral: rest, positive: rest, [fallback.label]: fallback.confidence } as Record<SentimentLabel, number> };
    sentimentExplanation = [{ feature: `word list (${language.code})`, weight: Math.round(fallback.score * 1000) / 1000 }];
    rules.push(`sentiment:lexicon-fallback:${language.code}`);
  } else {
    // Neither a model nor a word list: say so, rather than read it with another language's model.
    sentiment = { label: 'neutral', score: 0, confidence: round(1 / 3), probabilities: { negative: round(1 / 3), neutral: round(1 / 3), positive: round(1 / 3) } };
    sentimentExplanation = [];
    rules.push(`sentiment:unknown:${language.code} has no model or word list`);
  }

  const complaint = models.complaint.classify(tokens, { explain: 4, prepared, probabilities: false });
  const complaintConfidence = round(complaint.confidence * (english ? 1 : FOREIGN_CONFIDENCE_SCALE));
  if (!english) rules.push(`complaint:English model on ${language.code}, confidence halved`);
  const cues = findCues(text);
  let category = complaint.label;
  if (cues.some((c) => c.cue === 'churn_intent') && category !== 'cancellation' && complaint.confidence < CHURN_OVERRULES) {
    // Leaving is the complaint that matters most; the words that say it outrank an unsure guess.
    rules.push(`complaint:cancellation, from the churn words (the model said ${category} at ${round(complaint.confidence)})`);
    category = 'cancellation';
  } else if (complaint.confidence < ABSTAIN_BELOW) {
    rules.push(`complaint:abstained, best guess ${category} at ${round(complaint.confidence)}`);
    category = 'other';
  }
  if (context.isPublic) cues.push({ cue: 'public_exposure', phrase: '(public post)', weight: 0 });
  for (const c of cues) rules.push(`cue:${c.cue} “${c.phrase}”`);
  // Sarcasm is learned from tweets: read in messages of about that length.
  if (english && models.irony && text.length <= IRONY_MAX_LENGTH && !NOT_A_COMPLAINT.has(category) && tokens.tokens.some((t) => !t.negated && isPraiseWord(t.word))) {
    const irony = models.irony.classify(tokens, { prepared, explain: 0, probabilities: false });
    if (irony.label === 'irony' && irony.confidence >= IRONY_FLIPS) {
      // Praise words about a complaint ("late again, just perfect"): sarcasm. The complaint is read without them, so
      // it ranks at least as the same complaint said plainly would; if that is not negative, the praise is read reversed.
      const core = models.sentiment.classify({ tokens: tokens.tokens.filter((t) => t.negated || !isPraiseWord(t.word)), shape: { ...tokens.shape, exclamations: 0 } }, {});
      const c = core.probabilities as Record<SentimentLabel, number>;
      const s0 = sentiment.probabilities;
      const p = core.label === 'negative' ? c : { negative: s0.positive, neutral: s0.neutral, positive: s0.negative };
      if (p.negative > s0.negative) {
        sentiment = { label: 'negative', score: round(p.positive - p.negative), confidence: round(p.negative), probabilities: p };
        if (core.label === 'negative') sentimentExplanation = core.explanation;
        rules.push(`irony:${round(irony.confidence)}: praise words in a ${category} complaint read as sarcasm`);
      }
    }
  }
  if (english && sentiment.label === 'negative' && sentiment.probabilities.negative < PLAIN_QUESTION_BELOW && isPlainQuestion(tokens, cues)) {
    // A question with no complaint in its words ("what are your opening hours on Saturday?") is not a complaint.
    const p = sentiment.probabilities;
    // The model's lean is kept as the runner-up: negative and neutral trade places.
    const probabilities = { negative: p.neutral, neutral: p.negative, positive: p.positive };
    sentiment = { label: 'neutral', score: round(probabilities.positive - probabilities.negative), confidence: round(probabilities.neutral), probabilities };
    rules.push(`neutral: a question with no complaint words (the model leaned negative at ${p.negative})`);
  }
  const { risk, rules: riskRules } = assessRisk(sentiment.probabilities.negative, cues, context, sentiment.score);
  rules.push(...riskRules);

  return {
    sentiment,
    complaint: { category, confidence: complaintConfidence },
    urgency: cues,
    language,
    escalationRisk: risk,
    explanation: { sentiment: sentimentExplanation, complaint: complaint.explanation, rules },
    modelVersion: `${version}+${models.complaint.version}`,
  };
}

/**
 * The message's risk once its conversation is known: the trajectory of the customer's
 * earlier messages, public exposure and customer value. Returns new signals (risk and the
 * risk rules replaced) and the conversation's new trajectory.
 */
export function inConversation(signals: MessageSignals, context: AnalysisContext): { signals: MessageSignals; trajectory: Trajectory } {
  const { risk, rules, trajectory: t } = assessRisk(signals.sentiment.probabilities.negative, signals.urgency, context, signals.sentiment.score);
  const kept = signals.explanation.rules.filter((r) => !r.startsWith('risk:') && !r.startsWith('trajectory:'));
  return { signals: { ...signals, escalationRisk: risk, explanation: { ...signals.explanation, rules: [...kept, ...rules] } }, trajectory: t };
}

function assessRisk(negativeProbability: number, cues: UrgencyCue[], context: AnalysisContext, score: number) {
  const t = trajectory(context.previousScores ?? [], score);
  const { risk, parts } = escalationRisk({ negativeProbability, cues, slope: t.slope, isPublic: !!context.isPublic, customerValue: context.customerValue });
  const rules = parts.map((part) => `risk:${part.source} +${part.share}`);
  if (t.series.length >= 2) rules.unshift(`trajectory:slope ${t.slope} over the last ${Math.min(t.series.length, TRAJECTORY_WINDOW)} messages`);
  return { risk, rules, trajectory: t };
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;
