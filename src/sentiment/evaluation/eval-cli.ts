// npm run eval — measures a model on labelled text it did not train on.
//
//   npm run eval                               the shipped models on the held-out split of ../shared/data
//   npm run eval -- --data FILE.csv --task sentiment|complaint --text-column C --label-column L
//                  [--train-on OTHER.csv]      train a fresh model on OTHER.csv (same columns) first
//                  [--split test]              only the rows of the deterministic test split
//                  [--json]                    end with one JSON line: { accuracy, macroF1, perClass, ... }
//
// Prints accuracy, macro-F1, per-class precision/recall/F1, the confusion matrix and, for
// sentiment, the AFINN word-list baseline on the same rows. With the shipped complaint model,
// labels from the shared data's own taxonomies are mapped to the default one.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { calibrationError } from '../training/calibrate';
import { airlineSentiment, bySplit, complaintExamples, csvExamples, DEFAULT_DATA_DIR, sharedSet, splitOf, type LabelledText } from '../training/datasets';
import { trainTfidfBaseline } from './tfidf-baseline';
import { analyzeMessage } from '../analyze';
import { lexiconFallback } from '../lexicon-fallback';
import { fitClassifier } from '../training/fit';
import { lexiconSentiment } from '../lexicon-baseline';
import { shippedModels } from '../shipped-models';
import type { TextClassifier } from '../classifier';
import { toTaxonomy } from '../taxonomy';
import { tokenise } from '../text/tokens';
import { evaluate, formatMetrics, metricsSummary } from './metrics';

const USAGE = `npm run eval [-- options]
  (no options)            the shipped models on the held-out split of ../shared/data, with the AFINN baseline
  --data FILE.csv --task sentiment|complaint [--text-column text] [--label-column label]
  --train-on OTHER.csv    train a fresh model on OTHER.csv (same columns) before evaluating
  --split test            evaluate only the deterministic test split of FILE.csv (needed when training on it too)
  --json                  end with one JSON line: { accuracy, macroF1, perClass, ... }`;

const { values: args } = parseArgs({
  options: {
    data: { type: 'string' },
    task: { type: 'string', default: 'sentiment' },
    'text-column': { type: 'string', default: 'text' },
    'label-column': { type: 'string', default: 'label' },
    'train-on': { type: 'string' },
    split: { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}

const quiet = args.json;
const say = (s: string) => {
  if (!quiet) console.log(s);
};

function measure(classifier: TextClassifier, rows: LabelledText[], task: string) {
  const predicted: string[] = [];
  const confidences: number[] = [];
  for (const r of rows) {
    const c = classifier.classify(tokenise(r.text), { explain: 0 });
    predicted.push(c.label);
    confidences.push(c.confidence);
  }
  const truth = rows.map((r) => r.label);
  const metrics = evaluate(truth, predicted, [...new Set([...classifier.classes, ...truth])]);
  const calibration = calibrationError(confidences, truth.map((t, i) => t === predicted[i]));
  const result: Record<string, unknown> = { task, model: classifier.version, ...metricsSummary(metrics, { confusion: true }), calibration: { ece: round(calibration.ece), bins: calibration.bins.map((b) => ({ ...b, confidence: round(b.confidence), accuracy: round(b.accuracy) })) } };
  say(formatMetrics(metrics));
  say(`calibration: expected calibration error ${(calibration.ece * 100).toFixed(1)} % (${calibration.bins.map((b) => `${b.from.toFixed(1)}-${b.to.toFixed(1)}: conf ${(b.confidence * 100).toFixed(0)} % acc ${(b.accuracy * 100).toFixed(0)} % n ${b.n}`).join('; ')})`);
  if (task === 'sentiment') {
    const afinn = evaluate(truth, rows.map((r) => lexiconSentiment(r.text).signal.label), classifier.classes);
    result.afinnBaseline = metricsSummary(afinn, { confusion: true });
    say(`\nAFINN word-list baseline on the same rows:\n${formatMetrics(afinn)}`);
  }
  return result;
}

/**
 * Sentiment as the product reads it: language identification, then the language's model (or
 * word list), over the test split of every shared sentiment set, per language, beside the
 * AFINN word list and the language's own word list on the same rows.
 */
function wholeAnalysis(): Array<Record<string, unknown>> {
  const sets: Array<[string, LabelledText[], string]> = [
    ['airline tweets (en)', airlineSentiment(DEFAULT_DATA_DIR), 'eng'],
    ['general English tweets', sharedSet(DEFAULT_DATA_DIR, 'tweets'), 'eng'],
    // Not its English part: those are SemEval tweets, which the general English tweets (trained on) contain too.
    ...(['es', 'fr', 'de', 'pt', 'it', 'ar', 'hi'] as const).map((l): [string, LabelledText[], string] => [`multilingual tweets, ${l}`, sharedSet(DEFAULT_DATA_DIR, 'xlmt', l), ISO3_OF[l]]),
    ['Spanish airline tweets', sharedSet(DEFAULT_DATA_DIR, 'spanishAirline'), 'spa'],
    ['German rail posts', sharedSet(DEFAULT_DATA_DIR, 'germanRail'), 'deu'],
  ];
  const classes = ['negative', 'neutral', 'positive'];
  const table: Array<Record<string, unknown>> = [];
  say('\n== sentiment through the whole analysis (language identification, then the language’s model), test splits ==');
  say(`${'set'.padEnd(28)} ${'rows'.padStart(6)}  ${'ours'.padStart(6)}  ${'TF-IDF LR'.padStart(9)}  ${'AFINN'.padStart(6)}  ${'word list'.padStart(9)}  language right`);
  for (const [name, rows, code] of sets) {
    const test = bySplit(rows, 'test');
    if (!test.length) continue;
    const truth = test.map((r) => r.label);
    const signals = test.map((r) => analyzeMessage(r.text));
    const ours = evaluate(truth, signals.map((s) => s.sentiment.label), classes);
    const afinn = evaluate(truth, test.map((r) => lexiconSentiment(r.text).signal.label), classes);
    const words = code === 'eng' ? afinn : evaluate(truth, test.map((r) => lexiconFallback(r.text, code)?.label ?? 'neutral'), classes);
    // Trained on the rows of this set our models could train on (train and validation splits).
    const baseline = trainTfidfBaseline(rows.filter((r) => splitOf(r.id) !== 'test'), classes);
    const tfidf = evaluate(truth, test.map((r) => baseline.predict(r.text)), classes);
    const languageRight = signals.filter((s) => s.language.code === code).length / test.length;
    table.push({ set: name, rows: test.length, macroF1: round(ours.macroF1), accuracy: round(ours.accuracy), tfidfLogisticRegression: round(tfidf.macroF1), afinn: round(afinn.macroF1), wordList: round(words.macroF1), languageRight: round(languageRight) });
    say(`${name.padEnd(28)} ${String(test.length).padStart(6)}  ${ours.macroF1.toFixed(3).padStart(6)}  ${tfidf.macroF1.toFixed(3).padStart(9)}  ${afinn.macroF1.toFixed(3).padStart(6)}  ${words.macroF1.toFixed(3).padStart(9)}  ${(languageRight * 100).toFixed(1)} %`);
  }
  return table;
}

const ISO3_OF = { es: 'spa', fr: 'fra', de: 'deu', pt: 'por', it: 'ita', ar: 'ara', hi: 'hin' } as const;

async function main() {
  const task = args.task!;
  if (!['sentiment', 'complaint'].includes(task) && !args['train-on']) throw new Error('--task must be sentiment or complaint (or bring --train-on for your own task)');
  const results: Array<Record<string, unknown>> = [];
  if (!args.data) {
    // The shipped models on the held-out rows of the shared data.
    say(`held-out split of ${DEFAULT_DATA_DIR}`);
    const models = shippedModels();
    say('\n== sentiment, airline tweets (test split) ==');
    results.push({ data: 'airline tweets, test split', ...measure(models.sentiment, bySplit(airlineSentiment(DEFAULT_DATA_DIR), 'test'), 'sentiment') });
    results.push({ data: 'the whole analysis, per set and language', table: wholeAnalysis() });
    const complaints = bySplit(complaintExamples(DEFAULT_DATA_DIR), 'test');
    for (const [name, rows] of [
      ['airline complaints (negative tweets, reasons mapped)', complaints.filter((r) => r.source === 'airline' && !['praise', 'question'].includes(r.label))],
      ['support requests', complaints.filter((r) => r.source === 'support')],
      ['consumer complaints (long text)', complaints.filter((r) => r.source === 'complaints')],
    ] as const) {
      say(`\n== complaint type, ${name} (test split) ==`);
      results.push({ data: `${name}, test split`, ...measure(models.complaint, rows, 'complaint') });
    }
  } else {
    let rows = csvExamples(args.data, args['text-column']!, args['label-column']!);
    if (args.split) rows = bySplit(rows, args.split as 'test');
    let classifier: TextClassifier;
    if (args['train-on']) {
      const train = csvExamples(args['train-on'], args['text-column']!, args['label-column']!);
      say(`training a fresh ${task} model on ${train.length} rows of ${path.basename(args['train-on'])}`);
      // Training on the file being evaluated: its test rows stay out of training.
      const sameFile = path.resolve(args['train-on']) === path.resolve(args.data);
      if (sameFile && !args.split) throw new Error('training and evaluating on the same file needs --split test, so the evaluated rows are held out');
      const fitRows = sameFile ? bySplit(train, 'train') : bySplit(train, 'train').concat(bySplit(train, 'test'));
      classifier = fitClassifier(fitRows, bySplit(train, 'validation'), {
        task,
        features: { charNgrams: false, clusters: true, clusterWeight: 0.3 },
        clusters: shippedModels().clusters,
        refit: true,
        trainedOn: [{ source: path.basename(args['train-on']), rows: train.length, licence: 'provided by the user' }],
        log: (l) => say(l),
      }).classifier;
    } else {
      const models = shippedModels();
      classifier = task === 'sentiment' ? models.sentiment : models.complaint;
      if (task === 'sentiment') rows = rows.map((r) => ({ ...r, label: r.label.toLowerCase() }));
      else rows = rows.map((r) => ({ ...r, label: toTaxonomy(r.label) }));
    }
    say(`evaluating on ${rows.length} rows of ${path.basename(args.data)}`);
    results.push({ data: path.basename(args.data), ...measure(classifier, rows, task) });
  }
  if (args.json) console.log(JSON.stringify(results.length === 1 ? results[0] : { ...results[0], results }));
}

const round = (x: number) => Math.round(x * 1000) / 1000;

main().catch((err: unknown) => {
  console.error(`evaluation failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
