// bench/analysis: messages/s and memory for the full analysis of a message (language,
// tokens, sentiment, complaint type, urgency cues, escalation risk, explanations), on one
// core, and how long the models take to load.
//
//   npm run bench:analysis -- [--seconds 10]
//
// Texts: the airline tweets and consumer complaints of ../shared/data when present, else the
// sample messages in test/fixtures/analysis.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readCsv, DEFAULT_DATA_DIR, SOURCES } from '../src/sentiment/training/datasets';

const { values: args } = parseArgs({ options: { seconds: { type: 'string', default: '10' } } });
const log = (...a: unknown[]) => console.log('[bench:analysis]', ...a);
const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;

function texts(): { name: string; texts: string[] } {
  const airline = path.join(DEFAULT_DATA_DIR, SOURCES.airline.file);
  if (fs.existsSync(airline)) {
    const tweets = readCsv(airline).map((r) => r.text ?? '');
    const long = readCsv(path.join(DEFAULT_DATA_DIR, SOURCES.complaints.file)).map((r) => r['Consumer complaint narrative'] ?? '');
    return { name: `${tweets.length} airline tweets`, texts: tweets, ...(long.length ? { long } : {}) };
  }
  const sample = readCsv(path.resolve(import.meta.dirname, '../test/fixtures/analysis/sentiment.csv')).map((r) => r.text ?? '');
  return { name: `${sample.length} sample messages (test/fixtures)`, texts: sample };
}

const before = process.memoryUsage();
let t = performance.now();
const { analyzeMessage } = await import('../src/sentiment');
const { shippedModels } = await import('../src/sentiment/shipped-models');
shippedModels();
const loadMs = performance.now() - t;
const loaded = process.memoryUsage();
log(`node ${process.version}, one core; models loaded in ${loadMs.toFixed(0)} ms (import included), heap +${mb(loaded.heapUsed - before.heapUsed)}, rss ${mb(loaded.rss)}`);

const { name, texts: corpus } = texts();
for (const text of corpus.slice(0, 2000)) analyzeMessage(text); // warm-up
let n = 0;
const seconds = Number(args.seconds);
t = performance.now();
const end = t + seconds * 1000;
while (performance.now() < end) {
  for (let i = 0; i < 1000; i++) analyzeMessage(corpus[n++ % corpus.length]!);
}
const elapsed = (performance.now() - t) / 1000;
const after = process.memoryUsage();
log(`full analysis of ${name}: ${(n / elapsed).toFixed(0)} messages/s on one core (${((elapsed / n) * 1e6).toFixed(1)} µs a message; goal ≥ 50,000/s), rss ${mb(after.rss)}, heap ${mb(after.heapUsed)}`);

const long = path.join(DEFAULT_DATA_DIR, SOURCES.complaints.file);
if (fs.existsSync(long)) {
  const narratives = readCsv(long).map((r) => r['Consumer complaint narrative'] ?? '');
  const chars = narratives.reduce((s, x) => s + x.length, 0) / narratives.length;
  t = performance.now();
  for (const x of narratives) analyzeMessage(x);
  const e = (performance.now() - t) / 1000;
  log(`email-length text (${narratives.length} consumer complaints, ${chars.toFixed(0)} characters on average): ${(narratives.length / e).toFixed(0)} messages/s`);
}
