// Every word the agent app shows, from the catalogue of the agent's language (Account →
// Language, else the browser's): English, Spanish, French, German, Portuguese; others in English.
import { en, type Catalogue } from './i18n/en';
import { es } from './i18n/es';
import { de } from './i18n/de';
import { fr } from './i18n/fr';
import { pt } from './i18n/pt';

export const CATALOGUES: Record<string, Catalogue> = { en, es, fr, de, pt };

/** The words in use: a live binding, switched by switchCatalogue before the app renders. */
export let t: Catalogue = en;

/** Switches to the catalogue of a language ("es-MX" → es); English when there is none. */
export function switchCatalogue(locale: string | undefined): void {
  t = CATALOGUES[(locale ?? 'en').toLowerCase().split('-')[0]!] ?? en;
}

// The browser's language until the agent's own is known (none outside a browser: tests).
switchCatalogue((globalThis as { navigator?: { language?: string } }).navigator?.language ?? 'en');
