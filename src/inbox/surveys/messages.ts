// What a survey says, per channel and in the customer's language (English, Spanish, German,
// French, Portuguese; English otherwise). Email: five one-click rating links and a comment page; the chat
// widget: a rating card (it reads the message's metadata); SMS, X, Slack and others: "reply 1–5".
import type { SurveyKind } from '../../platform/db/client';
import { customerLanguage } from '../../routing/customer-language';

const TEXTS = {
  en: {
    ask: (ref: number) => `How did we do with your conversation #${ref}?`,
    followUp: (name: string, ref: number) => `Hi${name ? ` ${name}` : ''}, we wanted to check that all is well now after your complaint (#${ref}). How satisfied are you with how we put it right?`,
    reply: 'Reply with a number from 1 (very bad) to 5 (very good).',
    click: 'Click a number from 1 (very bad) to 5 (very good):',
    more: 'Tell us more',
  },
  es: {
    ask: (ref: number) => `¿Qué tal le atendimos en su conversación #${ref}?`,
    followUp: (name: string, ref: number) => `Hola${name ? ` ${name}` : ''}, queremos comprobar que todo va bien tras su reclamación (#${ref}). ¿Qué tan satisfecho está con la solución?`,
    reply: 'Responda con un número del 1 (muy mal) al 5 (muy bien).',
    click: 'Pulse un número del 1 (muy mal) al 5 (muy bien):',
    more: 'Cuéntenos más',
  },
  de: {
    ask: (ref: number) => `Wie zufrieden waren Sie mit unserem Gespräch #${ref}?`,
    followUp: (name: string, ref: number) => `Hallo${name ? ` ${name}` : ''}, wir möchten sichergehen, dass nach Ihrer Beschwerde (#${ref}) alles in Ordnung ist. Wie zufrieden sind Sie mit unserer Lösung?`,
    reply: 'Antworten Sie mit einer Zahl von 1 (sehr schlecht) bis 5 (sehr gut).',
    click: 'Klicken Sie eine Zahl von 1 (sehr schlecht) bis 5 (sehr gut):',
    more: 'Mehr erzählen',
  },
  pt: {
    ask: (ref: number) => `Como correu o atendimento na sua conversa #${ref}?`,
    followUp: (name: string, ref: number) => `Olá${name ? ` ${name}` : ''}, queremos confirmar que está tudo bem depois da sua reclamação (#${ref}). Qual é a sua satisfação com a solução?`,
    reply: 'Responda com um número de 1 (muito mau) a 5 (muito bom).',
    click: 'Clique num número de 1 (muito mau) a 5 (muito bom):',
    more: 'Conte-nos mais',
  },
  fr: {
    ask: (ref: number) => `Comment avons-nous géré votre conversation n° ${ref} ?`,
    followUp: (name: string, ref: number) => `Bonjour${name ? ` ${name}` : ''}, nous voulions vérifier que tout va bien après votre réclamation (n° ${ref}). Êtes-vous satisfait de notre solution ?`,
    reply: 'Répondez par un chiffre de 1 (très mauvais) à 5 (très bien).',
    click: 'Cliquez sur un chiffre de 1 (très mauvais) à 5 (très bien) :',
    more: 'En dire plus',
  },
};

export type SurveyLanguage = keyof typeof TEXTS;
/** The survey's language for a contact's or a message's language ("pt-BR", "spa"…), English otherwise. */
export const surveyLanguage = (tag: string | null): SurveyLanguage => customerLanguage({ contact: tag }, Object.keys(TEXTS)) as SurveyLanguage;
export const surveyTexts = (tag: string | null) => TEXTS[surveyLanguage(tag)];

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function surveyMessage(o: { kind: SurveyKind; channel: string; reference: number; name: string | null; language: string | null; url: string }): { text: string; html?: string } {
  const t = surveyTexts(o.language);
  const first = o.name?.split(/\s+/)[0] ?? '';
  const question = o.kind === 'follow_up' ? t.followUp(first, o.reference) : t.ask(o.reference);
  if (o.channel === 'email') {
    const links = [1, 2, 3, 4, 5].map((n) => `${n}: ${o.url}?rating=${n}`).join('\n');
    const buttons = [1, 2, 3, 4, 5]
      .map((n) => `<a href="${escapeHtml(`${o.url}?rating=${n}`)}" style="display:inline-block;padding:8px 14px;margin:2px;border:1px solid #888;border-radius:4px;text-decoration:none">${n}</a>`)
      .join(' ');
    return {
      text: `${question}\n${t.click}\n${links}\n${t.more}: ${o.url}`,
      html: `<p>${escapeHtml(question)}</p><p>${escapeHtml(t.click)}</p><p>${buttons}</p><p><a href="${escapeHtml(o.url)}">${escapeHtml(t.more)}</a></p>`,
    };
  }
  // The widget shows a rating card for it; every other channel reads the words.
  return { text: `${question} ${t.reply}` };
}
