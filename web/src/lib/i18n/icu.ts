// ICU messages (plurals, selects) through intl-messageformat, each compiled once per language.
import { IntlMessageFormat } from 'intl-messageformat';

const compiled = new Map<string, IntlMessageFormat>();

export function icu(locale: string, message: string, values: Record<string, string | number | boolean>): string {
  const key = `${locale}\u0000${message}`;
  let f = compiled.get(key);
  if (!f) compiled.set(key, (f = new IntlMessageFormat(message, locale)));
  return String(f.format(values));
}
