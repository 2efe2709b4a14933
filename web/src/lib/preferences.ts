// The agent's language and time zone applied: the app's words, dates and numbers, and the
// page's direction, before anything renders with them.
import { directionOf, setPreferences } from './format';
import { switchCatalogue } from './text';

export function applyPreferences(p: { locale: string | null; timeZone: string | null }): void {
  setPreferences(p);
  const language = p.locale ?? navigator.language;
  switchCatalogue(language);
  document.documentElement.lang = language;
  document.documentElement.dir = directionOf(language);
}
