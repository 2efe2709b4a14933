// One head of a trained table plus the feature extraction it was trained with: text in,
// calibrated probabilities, a decision and the features that explain it out. Heads of the
// same table share one feature extraction and one row look-up per message (pass them in).
import { extractFeatures, type FeatureVector, type WordClusters } from './features';
import type { Contribution, LinearModel, ModelFile } from './model';
import type { Tokenised } from './text/tokens';

export interface Classification {
  label: string;
  probabilities: Record<string, number>;
  /** Probability of the chosen label. */
  confidence: number;
  explanation: Contribution[];
}

/** Features and table rows of one message, computed once for every head. */
export interface Prepared {
  features: FeatureVector;
  rows: Int32Array;
}

export class TextClassifier {
  readonly file: ModelFile;

  constructor(
    readonly model: LinearModel,
    private readonly clusters: WordClusters | undefined,
    private readonly head = 0,
  ) {
    this.file = model.heads[head]!;
    if (this.file.features.clusters && !clusters) throw new Error(`model ${this.file.version} needs the word clusters file`);
  }

  get version(): string {
    return this.file.version;
  }

  get classes(): string[] {
    return this.file.classes;
  }

  prepare(t: Tokenised): Prepared {
    const s = this.file.features;
    const features = extractFeatures(t, { charNgrams: s.charNgrams, clusters: s.clusters ? this.clusters : undefined, clusterWeight: s.clusterWeight });
    return { features, rows: this.model.rowsOf(features) };
  }

  classify(t: Tokenised, o: { explain?: number; prepared?: Prepared; probabilities?: boolean } = {}): Classification {
    const { features, rows } = o.prepared ?? this.prepare(t);
    const p = this.model.probabilities(features, rows, this.head);
    let c = 0;
    for (let i = 1; i < p.length; i++) if (p[i]! > p[c]!) c = i;
    const classes = this.file.classes;
    const probabilities: Record<string, number> = {};
    if (o.probabilities !== false) for (let i = 0; i < classes.length; i++) probabilities[classes[i]!] = Math.round(p[i]! * 10_000) / 10_000;
    return { label: classes[c]!, probabilities, confidence: p[c]!, explanation: o.explain === 0 ? [] : this.model.explain(features, rows, this.head, c, o.explain ?? 6) };
  }
}
