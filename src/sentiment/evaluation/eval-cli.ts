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
import { airlineSentiment, bySplit, complaintExamples, csvExamples, DEFAULT_DATA_DIR, type LabelledText } from '../training/datasets';
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
