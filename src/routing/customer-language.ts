// Which language to speak to a customer in: the contact's own (set by an agent, by the site, or
// remembered from before), else the language of what they just wrote, else the inbox's, else
// English — the first of these the product has texts in. "pt-BR" without Brazilian texts falls
// back to "pt" before moving on.
const THREE_TO_TWO: Record<string, string> = { eng: 'en', spa: 'es', por: 'pt', fra: 'fr', deu: 'de', ita: 'it', nld: 'nl', ara: 'ar' };

const normal = (code: string | null | undefined): string | null => {
  if (!code || code === 'und') return null;
  const c = code.trim().replace('_', '-');
  const base = c.split('-')[0]!.toLowerCase();
  const two = THREE_TO_TWO[base] ?? (base.length === 2 ? base : null);
  if (!two) return null;
  const region = c.split('-')[1];
  return region ? `${two}-${region.toUpperCase()}` : two;
};

/** The languages to try, in order, each with its base language after it ("pt-BR", "pt"), no repeats, English last. */
export function languageChain(o: { contact?: string | null; detected?: string | null; inbox?: string | null }): string[] {
  const chain: string[] = [];
  for (const code of [o.contact, o.detected, o.inbox, 'en']) {
    const n = normal(code);
    if (!n) continue;
    for (const c of n.includes('-') ? [n, n.split('-')[0]!] : [n]) if (!chain.includes(c)) chain.push(c);
  }
  return chain;
}

/** The first language of the chain the product has texts in. */
export function customerLanguage(o: { contact?: string | null; detected?: string | null; inbox?: string | null }, available: readonly string[]): string {
  return languageChain(o).find((l) => available.includes(l)) ?? 'en';
}
