// Writes src/sentiment/models/README.md from the model files: what each model is, what it
// was trained on and under which licence, and how it did on held-out data.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { ModelFile } from '../model';

export function writeModelCard(dir: string): void {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json.gz') && f !== 'word-clusters.json.gz').sort();
  const lines = [
    '# Shipped models',
    '',
    'Written by `npm run train` (src/sentiment/training/train-cli.ts); do not edit by hand.',
    'Each file is a gzipped JSON linear model (`inbox-linear-model/1`) loaded by src/sentiment/model.ts.',
    '',
  ];
  for (const f of files) {
    const m = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(dir, f))).toString('utf8')) as ModelFile;
    lines.push(`## ${f}: ${m.task} (${m.version})`, '', `Classes: ${m.classes.join(', ')}.`, '', 'Trained on:', '');
    for (const t of m.trainedOn) lines.push(`- ${t.source}: ${t.rows} rows. Licence: ${t.licence}.`);
    lines.push('', 'Held-out figures (rows never used in training):', '', '```json', JSON.stringify(stripPerClass(m.metrics), null, 2), '```', '');
  }
  const clusters = path.join(dir, 'word-clusters.json.gz');
  if (fs.existsSync(clusters)) {
    const c = JSON.parse(zlib.gunzipSync(fs.readFileSync(clusters)).toString('utf8')) as { source: string; licence: string };
    lines.push('## word-clusters.json.gz', '', `${c.source}. Licence: ${c.licence}.`, '');
  }
  lines.push(
    '## Licence note',
    '',
    'Each model carries the terms of the data it was trained on (listed above). The English sentiment model',
    'and the airline part of the complaint model learned from the "Twitter US Airline Sentiment" data (CC BY-NC-SA',
    '4.0: non-commercial, attribution, share alike) and from SemEval tweets (CC BY 3.0 under Twitter\'s terms); the',
    'Spanish, French, German, Portuguese and Italian models from research tweet sets whose terms are the source',
    'campaigns\' own or unstated. Only BANKING77 (CC BY 4.0), the Bitext support requests (CDLA-Sharing-1.0) and the',
    'CFPB complaints (US public data) are clearly open for commercial use. For a model with no third-party data in',
    'it, retrain on your own labelled conversations (agents\' corrections plus a labelled export):',
    '`npm run train -- --task sentiment --data your.csv --text-column text --label-column label`.',
    '',
  );
  fs.writeFileSync(path.join(dir, 'README.md'), lines.join('\n'));
}

function stripPerClass(metrics: Record<string, unknown>): unknown {
  return JSON.parse(JSON.stringify(metrics), (k, v) => (k === 'perClass' ? undefined : v));
}
