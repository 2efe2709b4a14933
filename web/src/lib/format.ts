// Dates, times, numbers and durations as the agent reads them: through Intl, in their own
// language and time zone (Account → Language and time zone), else the browser's.
let prefs: { locale?: string; timeZone?: string } = {};

/** Set from /auth/me once the agent is known; undefined fields fall back to the browser's. */
export function setPreferences(p: { locale: string | null; timeZone: string | null }): void {
  prefs = { ...(p.locale ? { locale: p.locale } : {}), ...(p.timeZone ? { timeZone: p.timeZone } : {}) };
}

/** Right-to-left languages turn the whole app around. */
export const directionOf = (language: string): 'rtl' | 'ltr' => (['ar', 'he', 'fa', 'ur'].includes(language.split('-')[0]!) ? 'rtl' : 'ltr');

export const agentLocale = (): string | undefined => prefs.locale;
export const agentTimeZone = (): string | undefined => prefs.timeZone;

/** "4 Dec 2026, 14:05" in the agent's locale and zone. */
export function formatDateTime(d: string | Date): string {
  return new Intl.DateTimeFormat(prefs.locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: prefs.timeZone }).format(new Date(d));
}

export function formatTime(d: string | Date, timeZone = prefs.timeZone): string {
  return new Intl.DateTimeFormat(prefs.locale, { timeStyle: 'short', timeZone }).format(new Date(d));
}

export function formatNumber(n: number): string {
  return new Intl.NumberFormat(prefs.locale).format(n);
}

/** An amount of money in the agent's locale ("12,50 €"); a code Intl does not know shows as written. */
export function formatMoney(amount: number, currency: string | null): string {
  if (!currency) return formatNumber(amount);
  try {
    return new Intl.NumberFormat(prefs.locale, { style: 'currency', currency }).format(amount);
  } catch {
    return `${formatNumber(amount)} ${currency}`;
  }
}

/** A language's name in the agent's language ("spa", "es" → "Spanish" / "español"). */
export function languageName(code: string): string {
  const two: Record<string, string> = { eng: 'en', spa: 'es', por: 'pt', fra: 'fr', deu: 'de', ita: 'it', nld: 'nl', ara: 'ar', rus: 'ru', pol: 'pol', tur: 'tr', jpn: 'ja', cmn: 'zh', hin: 'hi' };
  try {
    return new Intl.DisplayNames(prefs.locale ? [prefs.locale] : undefined, { type: 'language' }).of(two[code] ?? code) ?? code;
  } catch {
    return code;
  }
}

/** The customer's local time and where: "14:05 in Madrid". */
export function localTimeOf(timeZone: string, now = new Date()): string {
  const city = timeZone.split('/').at(-1)!.replaceAll('_', ' ');
  return `${formatTime(now, timeZone)} · ${city}`;
}
