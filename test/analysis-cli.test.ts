// `npm run eval` and `npm run train` on a user's own labelled data and taxonomy, as a user
// runs them: real processes, real CSV files, the model files they write.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TextClassifier } from '../src/sentiment/classifier';
import { LinearModel } from '../src/sentiment/model';
import { readClusters } from '../src/sentiment/shipped-models';
import { tokenise } from '../src/sentiment/text/tokens';

const ROOT = path.resolve(import.meta.dirname, '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inbox-analysis-cli-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// A taxonomy the shipped model has never seen, in a CSV with its own column names.
const TOPICS: Record<string, { subjects: string[]; problems: string[] }> = {
  shipping: { subjects: ['parcel', 'package', 'courier', 'delivery', 'shipment', 'tracking number'], problems: ['has not arrived', 'went to the wrong address', 'is stuck at the depot', 'shows no update', 'was left outside'] },
  billing: { subjects: ['invoice', 'card payment', 'monthly charge', 'bank statement', 'subscription fee', 'direct debit'], problems: ['is wrong', 'was taken twice', 'is higher than agreed', 'has an unknown fee', 'was charged after I cancelled'] },
  login: { subjects: ['password', 'login page', 'two-factor code', 'account email', 'sign-in link', 'username'], problems: ['does not work', 'never arrives', 'keeps failing', 'was changed by someone', 'locks me out'] },
};

function writeCsv(file: string, pick: (i: number) => boolean): string {
  const lines = ['message,topic'];
  for (const [topic, t] of Object.entries(TOPICS)) {
    let i = 0;
    for (const s of t.subjects) for (const p of t.problems) if (pick(i++)) lines.push(`"Hi, my ${s} ${p}, can you help?",${topic}`);
  }
  const target = path.join(dir, file);
  fs.writeFileSync(target, `${lines.join('\n')}\n`);
  return target;
}

// Every fourth combination is kept out of training.
const trainCsv = writeCsv('train.csv', (i) => i % 4 !== 0);
const evalCsv = writeCsv('eval.csv', (i) => i % 4 === 0);

function run(script: string, args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--no-warnings', script, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, DOTENV_CONFIG_QUIET: 'true' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('npm run eval --train-on', () => {
  it('trains a fresh model on the user\'s file and reports it as JSON on the last line', () => {
    const r = run('src/sentiment/evaluation/eval-cli.ts', ['--data', evalCsv, '--train-on', trainCsv, '--task', 'complaint', '--text-column', 'message', '--label-column', 'topic', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const last = r.stdout.trim().split('\n').at(-1)!;
    const result = JSON.parse(last) as { accuracy: number; macroF1: number; perClass: Record<string, { precision: number; recall: number; f1: number }> };
    expect(Object.keys(result.perClass).sort()).toEqual(['billing', 'login', 'shipping']);
    expect(result.macroF1).toBeGreaterThan(0.8);
    expect(result.accuracy).toBeGreaterThan(0.8);
  });

  it('prints the table and confusion matrix without --json', () => {
    const r = run('src/sentiment/evaluation/eval-cli.ts', ['--data', evalCsv, '--train-on', trainCsv, '--task', 'complaint', '--text-column', 'message', '--label-column', 'topic']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/macro-F1/);
    expect(r.stdout).toMatch(/confusion/);
    expect(r.stdout).toMatch(/shipping/);
  });

  it('says what is wrong with a missing column', () => {
    const r = run('src/sentiment/evaluation/eval-cli.ts', ['--data', evalCsv, '--task', 'complaint', '--text-column', 'body', '--label-column', 'topic']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/body/);
  });
});

describe('npm run train --task', () => {
  it('writes a model file for the user\'s own taxonomy that loads and classifies', () => {
    const out = path.join(dir, 'models');
    const r = run('src/sentiment/training/train-cli.ts', ['--task', 'complaint', '--data', trainCsv, '--text-column', 'message', '--label-column', 'topic', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/wrote .*complaint\.json\.gz/);
    const table = LinearModel.load(path.join(out, 'complaint.json.gz'));
    const model = new TextClassifier(table, readClusters(path.join(out, 'word-clusters.json.gz')), 0);
    expect([...model.classes].sort()).toEqual(['billing', 'login', 'shipping']);
    // Rows it held out: the file's deterministic test split and everything in eval.csv.
    const rows = fs.readFileSync(evalCsv, 'utf8').trim().split('\n').slice(1).map((l) => /^"(.*)",(\w+)$/.exec(l)!);
    const right = rows.filter(([, text, topic]) => model.classify(tokenise(text!)).label === topic).length;
    expect(right / rows.length).toBeGreaterThan(0.75);
    expect(r.stdout).toMatch(/macro-F1/);
  });
});
