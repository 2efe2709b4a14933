// Which keys of the reference catalogue a language misses (or has as a different kind: a
// text where a function of arguments is expected): CI fails listing them (test/i18n.test.ts).
export function missingKeys(reference: unknown, candidate: unknown, at = ''): string[] {
  if (typeof reference === 'function') return typeof candidate === 'function' ? [] : [at];
  if (typeof reference === 'string') return typeof candidate === 'string' ? [] : [at];
  if (!reference || typeof reference !== 'object') return [];
  const c = (candidate && typeof candidate === 'object' ? candidate : {}) as Record<string, unknown>;
  return Object.entries(reference as Record<string, unknown>).flatMap(([k, v]) => (k in c ? missingKeys(v, c[k], at ? `${at}.${k}` : k) : [at ? `${at}.${k}` : k]));
}
