// The words of a customer's message as the suggestion index counts them: lower-cased, split on
// anything that is not a letter or digit, stop words dropped, stemmed in the message's language
// (natural's Porter stemmers), so "resetting my passwords" and "reset password" meet.
// And an answer as a template: the customer's first name and the conversation's reference
// become {name} and {reference}, so one answer sent to many customers is one suggestion,
// filled in again for the customer at hand.
import crypto from 'node:crypto';
// natural's stemmers alone: its index loads everything it has, and something in there breaks
// typescript-eslint's parser in the same process (the lint test saw it).
import natural from 'natural/lib/natural/stemmers/index.js';

type Stemmer = { stem(word: string): string };
const STEMMERS: Record<string, Stemmer> = {
  en: natural.PorterStemmer, es: natural.PorterStemmerEs, fr: natural.PorterStemmerFr, de: natural.PorterStemmerDe, it: natural.PorterStemmerIt,
  pt: natural.PorterStemmerPt, nl: natural.PorterStemmerNl, ru: natural.PorterStemmerRu, sv: natural.PorterStemmerSv, no: natural.PorterStemmerNo,
};

// The commonest function words: they say nothing about what the customer needs.
const STOP = new Set([
  ...'a an the and or but if of to in on at by for from with about as into is are was were be been am do does did have has had i me my we our you your it its this that these those there here can could would should will shall may might must not no please hi hello hey thanks thank so just very what which who how when where why'.split(' '),
  ...'el la los las un una y o de del en con por para que es mi me yo tu su se lo al hola gracias'.split(' '),
  ...'der die das ein eine und oder von zu mit für ist ich mein meine sie es nicht hallo danke'.split(' '),
  ...'le la les un une et ou de des du en avec pour est je mon ma mes vous il elle pas bonjour merci'.split(' '),
]);

export const isIndexedLanguage = (language: string | null): language is string => !!language && language in STEMMERS;

/** The terms of a text in a language (English stemming when the language has no stemmer). */
export function termsOf(text: string, language: string | null): string[] {
  const stemmer = STEMMERS[language ?? 'en'] ?? STEMMERS.en!;
  const out: string[] = [];
  for (const word of text.toLowerCase().normalize('NFC').split(/[^\p{L}\p{N}]+/u)) {
    if (word.length < 2 || STOP.has(word)) continue;
    out.push(/^\d+$/.test(word) ? word : stemmer.stem(word));
  }
  return out;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** An agent's answer as a template: the customer's first name → {name}, the conversation's reference → {reference}. */
export function answerTemplate(answer: string, o: { firstName: string | null; reference: number }): string {
  let t = answer.replace(new RegExp(`#${o.reference}\\b`, 'g'), '{reference}');
  if (o.firstName && o.firstName.length > 1) t = t.replace(new RegExp(`\\b${escape(o.firstName)}\\b`, 'g'), '{name}');
  return t.trim();
}

/** The same answer whoever it was sent to: its template, spaces and case aside, numbers (order numbers) aside. */
export function answerKey(template: string): string {
  const norm = template.toLowerCase().replace(/\d{3,}/g, '#').replace(/\s+/g, ' ').trim();
  return crypto.createHash('sha1').update(norm).digest('hex').slice(0, 16);
}

/** The template filled for this customer ("Hi {name}," without a name reads "Hi,"). */
export function fillAnswer(template: string, o: { firstName: string | null; reference: number }): string {
  const named = o.firstName ? template.replaceAll('{name}', o.firstName) : template.replace(/\s*\{name\}/g, '');
  return named.replaceAll('{reference}', `#${o.reference}`);
}

export const firstNameOf = (name: string | null | undefined): string | null => {
  const first = name?.trim().split(/\s+/)[0];
  return first && /\p{L}/u.test(first) && !first.includes('@') ? first : null;
};
