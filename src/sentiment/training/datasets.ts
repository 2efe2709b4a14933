// Labelled text for training and evaluation: the shared customer-service data (read from
// ../shared/data, never copied into the repository), any CSV a user brings, and the
// corrections agents made in the product. Splits are deterministic (a hash of each row's id),
// so the held-out rows are the same in every run and never reach training.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { AIRLINE_REASON, BANKING_INTENT, CFPB_ISSUE, SUPPORT_INTENT } from '../taxonomy';

export interface LabelledText {
  id: string;
  text: string;
  label: string;
  /** How much this example counts (e.g. the annotators' confidence). */
  weight: number;
  source: string;
}

export type Split = 'train' | 'validation' | 'test';

export const DEFAULT_DATA_DIR = path.resolve(import.meta.dirname, '../../../../shared/data');

export const SOURCES = {
  airline: { file: 'airline-tweets/dev.csv', licence: 'CC BY-NC-SA 4.0 (Figure Eight "Twitter US Airline Sentiment"): non-commercial, attribute, share alike' },
  support: { file: 'support-requests/dev.csv', licence: 'CDLA-Sharing-1.0 (Bitext customer-support sample)' },
  complaints: { file: 'consumer-complaints/narratives.csv', licence: 'US government public data (CFPB Consumer Complaint Database)' },
  xlmt: { file: 'xlm-t-sentiment/train.csv', licence: 'research data: XLM-T/UMSAB (Apache-2.0 repository), each language under its source campaign\'s terms (InterTASS, DEFT, SB-10K, SENTIPOLC, SentiBR, SemEval) and Twitter\'s' },
  spanishAirline: { file: 'spanish-airline-tweets/train.csv', licence: 'research data: no licence stated (Kaggle-in-class "Spanish Airlines Tweets"), Twitter\'s terms' },
  germanRail: { file: 'germeval2017-db/train.csv', licence: 'research data: no licence stated (GermEval 2017, TU Darmstadt and Deutsche Bahn)' },
  irony: { file: 'tweeteval-irony/train.csv', licence: 'research data: SemEval-2018 Task 3 via TweetEval, no licence of its own; Twitter\'s terms' },
  banking: { file: 'banking77/train.csv', licence: 'CC BY 4.0 (BANKING77, PolyAI)' },
  tweets: { file: 'tweeteval-sentiment/train.csv', licence: 'CC BY 3.0 (SemEval-2013–2016 Task 4) under Twitter\'s terms: no redistribution of the tweets' },
} as const;

/** The sets added later share one layout: text,label,lang,source. */
export type SharedSet = 'xlmt' | 'spanishAirline' | 'germanRail' | 'tweets' | 'irony';


/**
 * Rows of a shared set (optionally one language of it), as sentiment examples. The id is the
 * text itself, so a retweet or a duplicate falls into the same split as its original.
 */
export function sharedSet(dataDir: string, set: SharedSet, lang?: string): LabelledText[] {
  const file = path.join(dataDir, SOURCES[set].file);
  if (!fs.existsSync(file)) return [];
  return readCsv(file)
    .filter((r) => !lang || r.lang === lang)
    .map((r) => ({ id: `${set}:${r.text}`, text: r.text ?? '', label: r.label ?? '', weight: 1, source: set }))
    .filter((e) => e.text.trim() && e.label);
}

export function readCsv(file: string): Array<Record<string, string>> {
  return parse(fs.readFileSync(file), { columns: true, skip_empty_lines: true, relax_column_count: true, bom: true }) as Array<Record<string, string>>;
}

/** 20 % test, 15 % validation, 65 % train, by a hash of the id. */
export function splitOf(id: string): Split {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  const bucket = (h >>> 0) % 100;
  return bucket < 20 ? 'test' : bucket < 35 ? 'validation' : 'train';
}

const num = (s: string | undefined, fallback: number) => {
  const n = Number(s);
  return Number.isFinite(n) && n > 0 ? n : fallback;
};

/** Airline tweets with their 3-way sentiment, weighted by the annotators' confidence. */
export function airlineSentiment(dataDir: string): LabelledText[] {
  return readCsv(path.join(dataDir, SOURCES.airline.file)).map((r) => ({
    id: `airline:${r.tweet_id}`,
    text: r.text ?? '',
    label: r.airline_sentiment ?? '',
    weight: num(r.airline_sentiment_confidence, 1),
    source: 'airline',
  }));
}

/** Complaint types from all three sources, mapped to the default taxonomy. */
export function complaintExamples(dataDir: string): LabelledText[] {
  const out: LabelledText[] = [];
  for (const r of readCsv(path.join(dataDir, SOURCES.airline.file))) {
    const label =
      r.airline_sentiment === 'negative' ? AIRLINE_REASON[r.negativereason ?? ''] : r.airline_sentiment === 'positive' ? 'praise' : 'question';
    if (label) out.push({ id: `airline:${r.tweet_id}`, text: r.text ?? '', label, weight: num(r.negativereason_confidence, 1) * 0.5 + 0.5, source: 'airline' });
  }
  readCsv(path.join(dataDir, SOURCES.support.file)).forEach((r, i) => {
    const label = SUPPORT_INTENT[r.intent ?? ''];
    if (label) out.push({ id: `support:${i}:${r.utterance}`, text: r.utterance ?? '', label, weight: 1, source: 'support' });
  });
  for (const r of readCsv(path.join(dataDir, SOURCES.complaints.file))) {
    const label = CFPB_ISSUE[r.Issue ?? ''];
    if (label) out.push({ id: `complaints:${r['Complaint ID']}`, text: r['Consumer complaint narrative'] ?? '', label, weight: 1, source: 'complaints' });
  }
  const banking = path.join(dataDir, SOURCES.banking.file);
  if (fs.existsSync(banking)) {
    for (const r of readCsv(banking)) {
      const label = BANKING_INTENT[r.label ?? ''];
      if (label) out.push({ id: `banking:${r.text}`, text: r.text ?? '', label, weight: 1, source: 'banking' });
    }
  }
  return out.filter((e) => e.text.trim());
}

/** BANKING77 intents that are plain questions or requests (no trouble in them): neutral examples. */
const BANKING_QUESTIONS = new Set(
  'visa_or_mastercard country_support why_verify_identity fiat_currency_support order_physical_card getting_spare_card disposable_card_limits supported_cards_and_currencies change_pin automatic_top_up top_up_by_cash_or_cheque exchange_rate edit_personal_details transfer_timing card_delivery_estimate age_limit transfer_into_account exchange_via_app apple_pay_or_google_pay verify_my_identity get_physical_card topping_up_by_card get_disposable_virtual_card top_up_limits getting_virtual_card receiving_money atm_support card_acceptance activate_my_card card_about_to_expire'.split(' '),
);

/** Bitext support intents that ask something (no trouble reported): neutral examples. */
const SUPPORT_QUESTIONS = new Set(['contact_customer_service', 'check_payment_methods', 'check_refund_policy', 'check_cancellation_fee', 'check_invoices', 'newsletter_subscription', 'contact_human_agent']);

/**
 * Questions and requests as neutral sentiment examples, so that "how do I reset my password?",
 * an address change or the opening hours are not read as complaints: the BANKING77 queries of
 * the question intents above (weight 0.5) and the Bitext support requests that ask something
 * (0.3). (All the support requests were tried: template-made, they taught the model that any
 * sentence naming a delivery is neutral, even with an angry emoji after it.)
 */
export function neutralRequests(dataDir: string): LabelledText[] {
  const out: LabelledText[] = [];
  const support = path.join(dataDir, SOURCES.support.file);
  if (fs.existsSync(support)) {
    readCsv(support).forEach((r, i) => {
      if (SUPPORT_QUESTIONS.has(r.intent ?? '') && r.utterance?.trim()) out.push({ id: `support:${i}:${r.utterance}`, text: r.utterance, label: 'neutral', weight: 0.3, source: 'support' });
    });
  }
  const banking = path.join(dataDir, SOURCES.banking.file);
  if (fs.existsSync(banking)) {
    for (const r of readCsv(banking)) {
      if (BANKING_QUESTIONS.has(r.label ?? '') && r.text?.trim()) out.push({ id: `banking:${r.text}`, text: r.text, label: 'neutral', weight: 0.5, source: 'banking' });
    }
  }
  return out;
}

/** Any CSV with a text and a label column (a user's own data and taxonomy). */
export function csvExamples(file: string, textColumn: string, labelColumn: string, idColumn?: string): LabelledText[] {
  const rows = readCsv(file);
  if (rows.length && !(textColumn in rows[0]!)) throw new Error(`${file} has no column "${textColumn}" (columns: ${Object.keys(rows[0]!).join(', ')})`);
  if (rows.length && !(labelColumn in rows[0]!)) throw new Error(`${file} has no column "${labelColumn}" (columns: ${Object.keys(rows[0]!).join(', ')})`);
  return rows
    .map((r, i) => ({ id: idColumn ? String(r[idColumn]) : `${i}:${r[textColumn]}`, text: r[textColumn] ?? '', label: (r[labelColumn] ?? '').trim(), weight: 1, source: path.basename(file) }))
    .filter((e) => e.text.trim() && e.label);
}

export const bySplit = (rows: LabelledText[], split: Split) => rows.filter((r) => splitOf(r.id) === split);
