// Classification metrics: accuracy, macro-F1, per-class precision / recall / F1 and the
// confusion matrix (rows: truth, columns: prediction).

export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface Metrics {
  accuracy: number;
  macroF1: number;
  perClass: Record<string, ClassMetrics>;
  confusion: { labels: string[]; matrix: number[][] };
  n: number;
}

export function evaluate(truth: string[], predicted: string[], labels?: string[]): Metrics {
  const classes = labels ?? [...new Set([...truth, ...predicted])].sort();
  const at = new Map(classes.map((c, i) => [c, i]));
  const matrix = classes.map(() => classes.map(() => 0));
  let correct = 0;
  truth.forEach((t, i) => {
    const p = predicted[i]!;
    if (t === p) correct++;
    const ti = at.get(t);
    const pi = at.get(p);
    if (ti !== undefined && pi !== undefined) matrix[ti]![pi]!++;
  });
  const perClass: Record<string, ClassMetrics> = {};
  let f1Sum = 0;
  let counted = 0;
  classes.forEach((c, i) => {
    const tp = matrix[i]![i]!;
    const support = matrix[i]!.reduce((s, v) => s + v, 0);
    const predictedAs = matrix.reduce((s, row) => s + row[i]!, 0);
    const precision = predictedAs ? tp / predictedAs : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    perClass[c] = { precision, recall, f1, support };
    // Macro-F1 averages the classes present in the truth.
    if (support > 0) {
      f1Sum += f1;
      counted++;
    }
  });
  return { accuracy: truth.length ? correct / truth.length : 0, macroF1: counted ? f1Sum / counted : 0, perClass, confusion: { labels: classes, matrix }, n: truth.length };
}

export function formatMetrics(m: Metrics): string {
  const pct = (x: number) => (x * 100).toFixed(1).padStart(5);
  const width = Math.max(8, ...m.confusion.labels.map((l) => l.length));
  const lines = [
    `examples ${m.n}   accuracy ${pct(m.accuracy)} %   macro-F1 ${pct(m.macroF1)} %`,
    '',
    `${'class'.padEnd(width)}  precision  recall     F1  support`,
    ...Object.entries(m.perClass).map(([c, v]) => `${c.padEnd(width)}  ${pct(v.precision)} %  ${pct(v.recall)} %  ${pct(v.f1)} %  ${String(v.support).padStart(7)}`),
    '',
    'confusion (rows: truth, columns: predicted)',
    `${''.padEnd(width)}  ${m.confusion.labels.map((l) => l.slice(0, 8).padStart(8)).join(' ')}`,
    ...m.confusion.matrix.map((row, i) => `${m.confusion.labels[i]!.padEnd(width)}  ${row.map((v) => String(v).padStart(8)).join(' ')}`),
  ];
  return lines.join('\n');
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** The figures as plain JSON, rounded (the `--json` output and the model files' metrics). */
export function metricsSummary(m: Metrics, o: { confusion?: boolean } = {}) {
  return {
    n: m.n,
    accuracy: round3(m.accuracy),
    macroF1: round3(m.macroF1),
    perClass: Object.fromEntries(Object.entries(m.perClass).map(([c, v]) => [c, { precision: round3(v.precision), recall: round3(v.recall), f1: round3(v.f1), support: v.support }])),
    ...(o.confusion ? { confusion: m.confusion } : {}),
  };
}
