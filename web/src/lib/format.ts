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

/** Today's date (YYYY-MM-DD) in a zone. */
export function todayIn(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

export function formatTime(d: string | Date, timeZone = prefs.timeZone): string {
  return new Intl.DateTimeFormat(prefs.locale, { timeStyle: 'short', timeZone }).format(new Date(d));
}

/** A span of minutes in the agent's words: "45 min", "2 hr, 5 min" / "2 Std., 5 Min." (Intl units). */
export function formatDuration(minutes: number): string {
  const m = Math.round(Math.abs(minutes));
  const unit = (n: number, u: 'minute' | 'hour' | 'day') => new Intl.NumberFormat(prefs.locale, { style: 'unit', unit: u, unitDisplay: 'short' }).format(n);
  const list = (parts: string[]) => new Intl.ListFormat(prefs.locale, { type: 'unit', style: 'narrow' }).format(parts);
  if (m < 60) return unit(m, 'minute');
  if (m < 48 * 60) return m % 60 ? list([unit(Math.floor(m / 60), 'hour'), unit(m % 60, 'minute')]) : unit(m / 60, 'hour');
  const h = Math.round(m / 60);
  return h % 24 ? list([unit(Math.floor(h / 24), 'day'), unit(h % 24, 'hour')]) : unit(h / 24, 'day');
}

/** A file's size: "12 kB" / "1,5 MB" as the agent's locale writes it. */
export function formatSize(bytes: number): string {
  const [n, unit] = bytes >= 1_000_000 ? [bytes / 1_000_000, 'megabyte'] : [Math.max(1, Math.round(bytes / 1_000)), 'kilobyte'];
  return new Intl.NumberFormat(prefs.locale, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 1 }).format(n);
}

/** A day of a report ("2026-12-04" → "4 Dec" / "4. Dez."): the date as written, no zone shift. */
export function formatDay(day: string): string {
  return new Intl.DateTimeFormat(prefs.locale, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
}

/** A score from -1 to 1 with two decimals ("-0,72"); `signed` writes + for positives. */
export function formatScore(v: number, signed = false): string {
  return formatNumber(v, { minimumFractionDigits: 2, maximumFractionDigits: 2, ...(signed ? { signDisplay: 'exceptZero' } : {}) });
}

export function formatNumber(n: number, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(prefs.locale, options).format(n);
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
  const two: Record<string, string> = { eng: 'en', spa: 'es', por: 'pt', fra: 'fr', deu: 'de', ita: 'it', nld: 'nl', ara: 'ar', rus: 'ru', pol: 'pl', tur: 'tr', jpn: 'ja', cmn: 'zh', hin: 'hi' };
  try {
    return new Intl.DisplayNames(prefs.locale ? [prefs.locale] : undefined, { type: 'language' }).of(two[code] ?? code.replace('_', '-')) ?? code;
  } catch {
    return code;
  }
}

/** The customer's local time and where: "14:05 in Madrid". */
export function localTimeOf(timeZone: string, now = new Date()): string {
  const city = timeZone.split('/').at(-1)!.replaceAll('_', ' ');
  return `${formatTime(now, timeZone)} · ${city}`;
}
