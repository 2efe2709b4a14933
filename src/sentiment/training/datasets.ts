// Labelled text for training and evaluation: the shared customer-service data (read from
// ../shared/data, never copied into the repository), any CSV a user brings, and the
// corrections agents made in the product. Splits are deterministic (a hash of each row's id),
// so the held-out rows are the same in every run and never reach training.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { AIRLINE_REASON, CFPB_ISSUE, SUPPORT_INTENT } from '../taxonomy';

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
} as const;

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
  return out.filter((e) => e.text.trim());
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
