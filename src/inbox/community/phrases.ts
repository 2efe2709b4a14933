// The phrases driving a spike ("checkout", "error 502"): words and two-word phrases far more
// common in the spike's posts than in the topic's posts before it (log-odds of the share of
// posts containing them, smoothed), said by at least three posts and a fifth of the spike.
// The topic's own words are in every post before and after, so they never stand out.
const STOP = new Set(
  ('a an and are as at be been but by can could did do does for from had has have how i if in into is it its just me my no not of on or our so than that the their ' +
    'them then there these they this to too us was we were what when where which who why will with would you your yours im ive dont cant wont youre thats rt amp via')
    .split(' '),
);

/** The words of a post in order, lower-case, without links, @handles or stop words (null where one was: no phrase spans it). */
function words(text: string): Array<string | null> {
  return text
    .toLowerCase()
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/@\w+/g, ' ')
    .split(/[^\p{L}\p{N}#]+/u)
    .filter(Boolean)
    .map((w) => w.replace(/^#/, ''))
    .map((w) => (STOP.has(w) || (w.length < 3 && !/^\d+$/.test(w)) ? null : w));
}

/** The terms of one post, once each: its words and adjacent pairs. */
function terms(text: string): Set<string> {
  const ws = words(text);
  const out = new Set<string>();
  ws.forEach((w, i) => {
    if (!w) return;
    out.add(w);
    const next = ws[i + 1];
    if (next) out.add(`${w} ${next}`);
  });
  return out;
}

export function drivingPhrases(spike: string[], before: string[], max = 3): string[] {
  const count = (texts: string[]) => {
    const n = new Map<string, number>();
    for (const t of texts) for (const term of terms(t)) n.set(term, (n.get(term) ?? 0) + 1);
    return n;
  };
  const inSpike = count(spike);
  const inBefore = count(before);
  const least = Math.max(3, Math.ceil(spike.length / 5));
  const scored = [...inSpike.entries()]
    .filter(([, n]) => n >= least)
    .map(([term, n]) => ({ term, n, score: Math.log((n + 0.5) / (spike.length + 1)) - Math.log(((inBefore.get(term) ?? 0) + 0.5) / (before.length + 1)) }))
    .filter((t) => t.score > Math.log(3))
    .sort((a, b) => b.score - a.score || b.n - a.n);
  // A phrase says more than its words: "error 502" rather than "error" and "502".
  const chosen: typeof scored = [];
  for (const t of scored) {
    if (chosen.length >= max) break;
    if (chosen.some((c) => c.term.split(' ').includes(t.term) || t.term.split(' ').every((w) => c.term.split(' ').includes(w)))) continue;
    const phrase = scored.find((p) => p.term.includes(' ') && p.term.split(' ').includes(t.term) && p.n >= 0.8 * t.n);
    const pick = !t.term.includes(' ') && phrase ? phrase : t;
    if (!chosen.includes(pick)) chosen.push(pick);
  }
  return chosen.map((c) => c.term);
}
