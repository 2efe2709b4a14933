// What a resolved incident tells each linked customer, in their language (English, Spanish,
// German, French; English otherwise) unless the incident has its own text for that language.
// Short enough for an SMS and a public reply on X.
const TEXTS = {
  en: (title: string, what: string | null) => `Update: ${what ?? `the problem "${title}" has been fixed`}. Thank you for your patience. If something is still not right for you, just reply.`,
  es: (title: string, what: string | null) => `Actualización: ${what ?? `el problema «${title}» está resuelto`}. Gracias por su paciencia. Si algo sigue sin funcionar, responda a este mensaje.`,
  de: (title: string, what: string | null) => `Update: ${what ?? `das Problem „${title}“ ist behoben`}. Danke für Ihre Geduld. Wenn bei Ihnen noch etwas nicht stimmt, antworten Sie einfach.`,
  fr: (title: string, what: string | null) => `Mise à jour : ${what ?? `le problème « ${title} » est résolu`}. Merci de votre patience. Si quelque chose ne va toujours pas, répondez simplement.`,
};

export type UpdateLanguage = keyof typeof TEXTS;
export const UPDATE_LANGUAGES = Object.keys(TEXTS) as UpdateLanguage[];

/** The analysis names languages in ISO 639-3; contacts in BCP 47. */
const FROM_639_3: Record<string, string> = { eng: 'en', spa: 'es', deu: 'de', fra: 'fr', ita: 'it', por: 'pt', nld: 'nl' };

/**
 * The update for a customer: in their language (the contact's, else that of their latest
 * message), from the incident's own texts or the template.
 */
export function incidentUpdateText(o: { title: string; description: string | null; texts: Record<string, string>; language: string | null; messageLanguage?: string | null }): string {
  const detected = o.messageLanguage ? FROM_639_3[o.messageLanguage] : undefined;
  const base = (o.language ?? detected ?? 'en').toLowerCase().slice(0, 2);
  const own = o.texts[base];
  if (own?.trim()) return own.trim();
  const template = TEXTS[(base in TEXTS ? base : 'en') as UpdateLanguage];
  // The description is the agent's words in one language: only said to customers of that language (English by default).
  const what = o.description?.trim() && (base === 'en' || !(base in TEXTS)) ? o.description.trim().replace(/[.!]+$/, '') : null;
  return template(o.title, what);
}
