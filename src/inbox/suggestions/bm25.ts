// A small in-memory BM25 index with top-k search. Written here rather than taken from a
// search library because those return and sort every match: at 100,000 solved conversations
// the words customers share ("order", "account") match tens of thousands of them, and a query
// took ~100 ms (MiniSearch, measured by bench/suggestions). Here postings are flat arrays,
// scores accumulate in one reused array, and only the best k are ordered: a few milliseconds.
const K1 = 1.2;
const B = 0.75;

interface Postings { docs: number[]; tfs: number[] }

export class Bm25Index {
  private readonly postings = new Map<string, Postings>();
  private readonly lengths: number[] = [];
  private readonly alive: boolean[] = [];
  private live = 0;
  private totalLength = 0;
  private deleted = 0;
  private scores = new Float64Array(0);

  get documentCount(): number {
    return this.live;
  }

  /** Documents having the term (removed ones no longer count). */
  df(term: string): number {
    return this.dfs.get(term) ?? 0;
  }
  private readonly dfs = new Map<string, number>();

  /** Adds document `id` (a small integer, not in use) with its terms. */
  add(id: number, terms: string[]): void {
    const tf = new Map<string, number>();
    for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + 1);
    for (const [t, n] of tf) {
      let p = this.postings.get(t);
      if (!p) this.postings.set(t, (p = { docs: [], tfs: [] }));
      p.docs.push(id);
      p.tfs.push(n);
      this.dfs.set(t, (this.dfs.get(t) ?? 0) + 1);
    }
    this.lengths[id] = terms.length;
    this.alive[id] = true;
    this.live++;
    this.totalLength += terms.length;
  }

  /** Removes document `id` (its terms, as added): skipped by searches, dropped from the postings when many are. */
  remove(id: number, terms: string[]): void {
    if (!this.alive[id]) return;
    this.alive[id] = false;
    this.live--;
    this.deleted++;
    this.totalLength -= this.lengths[id]!;
    for (const t of new Set(terms)) {
      const n = (this.dfs.get(t) ?? 1) - 1;
      if (n > 0) this.dfs.set(t, n);
      else this.dfs.delete(t);
    }
    if (this.deleted > 1_000 && this.deleted > this.live / 5) this.compact();
  }

  private compact(): void {
    for (const [t, p] of this.postings) {
      const docs: number[] = [];
      const tfs: number[] = [];
      p.docs.forEach((d, i) => {
        if (this.alive[d]) {
          docs.push(d);
          tfs.push(p.tfs[i]!);
        }
      });
      if (docs.length) this.postings.set(t, { docs, tfs });
      else this.postings.delete(t);
    }
    this.deleted = 0;
  }

  /** The k best documents for these terms (each counted once), best first; `keep` filters documents. */
  search(terms: string[], k: number, keep?: (id: number) => boolean): Array<{ id: number; score: number }> {
    if (!this.live) return [];
    if (this.scores.length < this.lengths.length) this.scores = new Float64Array(Math.max(this.lengths.length, this.scores.length * 2));
    const scores = this.scores;
    const avg = this.totalLength / this.live;
    const touched: number[] = [];
    for (const t of new Set(terms)) {
      const p = this.postings.get(t);
      const df = this.dfs.get(t);
      if (!p || !df) continue;
      const idf = Math.log(1 + (this.live - df + 0.5) / (df + 0.5));
      for (let i = 0; i < p.docs.length; i++) {
        const d = p.docs[i]!;
        if (!this.alive[d]) continue;
        const tf = p.tfs[i]!;
        if (scores[d] === 0) touched.push(d);
        scores[d]! += (idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * this.lengths[d]!) / avg));
      }
    }
    // The k best, through a small min-heap; the scores array is cleared for the next search.
    const heap: Array<{ id: number; score: number }> = [];
    const down = (i: number) => {
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && heap[l]!.score < heap[m]!.score) m = l;
        if (r < heap.length && heap[r]!.score < heap[m]!.score) m = r;
        if (m === i) return;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    };
    for (const d of touched) {
      const score = scores[d]!;
      scores[d] = 0;
      if (keep && !keep(d)) continue;
      if (heap.length < k) {
        heap.push({ id: d, score });
        for (let i = heap.length - 1; i > 0; ) {
          const parent = (i - 1) >> 1;
          if (heap[parent]!.score <= heap[i]!.score) break;
          [heap[parent], heap[i]] = [heap[i]!, heap[parent]!];
          i = parent;
        }
      } else if (score > heap[0]!.score) {
        heap[0] = { id: d, score };
        down(0);
      }
    }
    return heap.sort((a, b) => b.score - a.score || a.id - b.id);
  }
}
