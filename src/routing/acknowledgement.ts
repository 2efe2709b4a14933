// The automatic acknowledgement: tells the customer at once that we have their message,
// what it is about, when to expect an answer, and their reference. Chosen by complaint type,
// language and expected wait. Inboxes can override the texts (config.acknowledgement.texts).
import { DateTime } from 'luxon';
import { isOpen, nextOpening, type BusinessHours } from './business-hours';
import { customerLanguage } from './customer-language';
import { salutation, type Tone } from './salutation';

export interface AcknowledgementSettings {
  enabled: boolean;
  /** At most one acknowledgement per conversation in this many minutes. */
  periodMinutes: number;
  /** Texts by language (ISO 639-3) and key; {name}, {reference}, {wait} are filled in. */
  texts?: Record<string, Partial<Record<AckKey, string>>>;
}

export const DEFAULT_ACKNOWLEDGEMENT: AcknowledgementSettings = { enabled: true, periodMinutes: 24 * 60 };

type AckKey = 'greeting' | 'refund' | 'billing' | 'delivery' | 'lost_damaged' | 'delay' | 'account' | 'cancellation' | 'default' | 'wait_open' | 'wait_closed' | 'closing';

const TEXTS: Record<string, Record<AckKey, string>> = {
  eng: {
    greeting: 'Hi {name},',
    refund: 'thank you for writing to us about your refund. We have your message and will check the payment for you.',
    billing: 'thank you for writing to us about your bill. We have your message and will look at the charges for you.',
    delivery: 'thank you for writing to us about your delivery. We have your message and will track it down for you.',
    lost_damaged: 'we are sorry about your lost or damaged item. We have your message and will sort it out with you.',
    delay: 'we are sorry about the delay. We have your message and will look into it right away.',
    account: 'thank you for writing to us about your account. We have your message and will help you get back in.',
    cancellation: 'thank you for your message. We have it, and someone will take care of your request.',
    default: 'thank you for your message. We have it, and someone from our team will answer you.',
    wait_open: 'You can expect an answer {wait}.',
    wait_closed: 'Our team is away right now; we will be back {wait}.',
    closing: 'Your reference is #{reference}.',
  },
  spa: {
    greeting: 'Hola {name}:',
    refund: 'gracias por escribirnos sobre su reembolso. Hemos recibido su mensaje y revisaremos el pago.',
    billing: 'gracias por escribirnos sobre su factura. Hemos recibido su mensaje y revisaremos los cargos.',
    delivery: 'gracias por escribirnos sobre su envío. Hemos recibido su mensaje y lo localizaremos.',
    lost_damaged: 'lamentamos lo ocurrido con su artículo. Hemos recibido su mensaje y lo resolveremos con usted.',
    delay: 'lamentamos el retraso. Hemos recibido su mensaje y lo revisaremos de inmediato.',
    account: 'gracias por escribirnos sobre su cuenta. Hemos recibido su mensaje y le ayudaremos a acceder.',
    cancellation: 'gracias por su mensaje. Lo hemos recibido y atenderemos su solicitud.',
    default: 'gracias por su mensaje. Lo hemos recibido y alguien de nuestro equipo le responderá.',
    wait_open: 'Recibirá una respuesta {wait}.',
    wait_closed: 'Nuestro equipo no está disponible ahora; volveremos {wait}.',
    closing: 'Su referencia es #{reference}.',
  },
  por: {
    greeting: 'Olá {name},',
    refund: 'obrigado por nos escrever sobre o seu reembolso. Recebemos a sua mensagem e vamos verificar o pagamento.',
    billing: 'obrigado por nos escrever sobre a sua fatura. Recebemos a sua mensagem e vamos verificar os valores.',
    delivery: 'obrigado por nos escrever sobre a sua entrega. Recebemos a sua mensagem e vamos localizá-la.',
    lost_damaged: 'lamentamos o que aconteceu com o seu artigo. Recebemos a sua mensagem e vamos resolver isto consigo.',
    delay: 'lamentamos o atraso. Recebemos a sua mensagem e vamos analisá-la de imediato.',
    account: 'obrigado por nos escrever sobre a sua conta. Recebemos a sua mensagem e vamos ajudá-lo a aceder.',
    cancellation: 'obrigado pela sua mensagem. Recebemo-la e vamos tratar do seu pedido.',
    default: 'obrigado pela sua mensagem. Recebemo-la e alguém da nossa equipa irá responder-lhe.',
    wait_open: 'Receberá uma resposta {wait}.',
    wait_closed: 'A nossa equipa não está disponível neste momento; voltaremos {wait}.',
    closing: 'A sua referência é #{reference}.',
  },
  deu: {
    greeting: 'Hallo {name},',
    refund: 'vielen Dank für Ihre Nachricht zu Ihrer Erstattung. Wir haben sie erhalten und prüfen die Zahlung für Sie.',
    billing: 'vielen Dank für Ihre Nachricht zu Ihrer Rechnung. Wir haben sie erhalten und prüfen die Beträge für Sie.',
    delivery: 'vielen Dank für Ihre Nachricht zu Ihrer Lieferung. Wir haben sie erhalten und gehen der Sendung nach.',
    lost_damaged: 'es tut uns leid, dass Ihr Artikel verloren oder beschädigt ist. Wir haben Ihre Nachricht erhalten und klären das mit Ihnen.',
    delay: 'es tut uns leid, dass es länger dauert. Wir haben Ihre Nachricht erhalten und kümmern uns sofort darum.',
    account: 'vielen Dank für Ihre Nachricht zu Ihrem Konto. Wir haben sie erhalten und helfen Ihnen, wieder hineinzukommen.',
    cancellation: 'vielen Dank für Ihre Nachricht. Wir haben sie erhalten und kümmern uns um Ihr Anliegen.',
    default: 'vielen Dank für Ihre Nachricht. Wir haben sie erhalten, und jemand aus unserem Team antwortet Ihnen.',
    wait_open: 'Sie erhalten eine Antwort {wait}.',
    wait_closed: 'Unser Team ist gerade nicht erreichbar; wir sind {wait} wieder da.',
    closing: 'Ihre Referenz ist #{reference}.',
  },
  fra: {
    greeting: 'Bonjour {name},',
    refund: 'merci de nous avoir écrit au sujet de votre remboursement. Nous avons bien reçu votre message et vérifierons le paiement.',
    billing: 'merci de nous avoir écrit au sujet de votre facture. Nous avons bien reçu votre message et vérifierons les montants.',
    delivery: 'merci de nous avoir écrit au sujet de votre livraison. Nous avons bien reçu votre message et allons la retrouver.',
    lost_damaged: 'nous sommes désolés pour votre article perdu ou abîmé. Nous avons bien reçu votre message et allons régler cela avec vous.',
    delay: 'nous sommes désolés pour ce retard. Nous avons bien reçu votre message et nous en occupons tout de suite.',
    account: 'merci de nous avoir écrit au sujet de votre compte. Nous avons bien reçu votre message et allons vous aider.',
    cancellation: 'merci pour votre message. Nous l’avons bien reçu et traiterons votre demande.',
    default: 'merci pour votre message. Nous l’avons bien reçu et quelqu’un de notre équipe vous répondra.',
    wait_open: 'Vous recevrez une réponse {wait}.',
    wait_closed: 'Notre équipe est absente pour le moment ; nous serons de retour {wait}.',
    closing: 'Votre référence est le n° {reference}.',
  },
};

const WAIT: Record<string, { minutes: (n: number) => string; hours: (n: number) => string; at: (d: string) => string }> = {
  eng: { minutes: (n) => `within about ${n} minutes`, hours: (n) => `within about ${n} hour${n === 1 ? '' : 's'}`, at: (d) => `on ${d}` },
  spa: { minutes: (n) => `en unos ${n} minutos`, hours: (n) => `en unas ${n} hora${n === 1 ? '' : 's'}`, at: (d) => `el ${d}` },
  fra: { minutes: (n) => `d’ici environ ${n} minutes`, hours: (n) => `d’ici environ ${n} heure${n === 1 ? '' : 's'}`, at: (d) => `le ${d}` },
  por: { minutes: (n) => `dentro de cerca de ${n} minutos`, hours: (n) => `dentro de cerca de ${n} hora${n === 1 ? '' : 's'}`, at: (d) => `na ${d}` },
  deu: { minutes: (n) => `in etwa ${n} Minuten`, hours: (n) => `in etwa ${n} Stunde${n === 1 ? '' : 'n'}`, at: (d) => `am ${d}` },
};
const LOCALE: Record<string, string> = { eng: 'en', spa: 'es', fra: 'fr', por: 'pt', deu: 'de' };
const ISO3 = Object.fromEntries(Object.entries(LOCALE).map(([k, v]) => [v, k]));
/** The languages the acknowledgement is written in (ISO 639-1). */
export const ACKNOWLEDGEMENT_LANGUAGES = Object.values(LOCALE);

export interface AcknowledgementInput {
  name: string | null;
  reference: number;
  complaintCategory: string | null;
  /** The language of the message (ISO 639-3, as detected). */
  language: string | null;
  /** The contact's own language (set by an agent or the site), before the detected one. */
  contactLanguage?: string | null;
  /** The inbox's language, after the detected one. */
  inboxLanguage?: string | null;
  /** How to greet: the contact's title, their preference, the inbox's tone (default informal). */
  title?: string | null;
  formality?: string | null;
  tone?: Tone;
  now: Date;
  businessHours: BusinessHours | null;
  /** Expected minutes to an answer while open (e.g. from the queue length and the SLA). */
  expectedWaitMinutes: number;
  settings?: AcknowledgementSettings;
}

/** Only name the subject when the analysis is fairly sure of it: a wrong guess reads worse than none. */
export const ACK_TOPIC_MIN_CONFIDENCE = 0.5;

/**
 * Whether to acknowledge now: never a machine (loops), never someone who opted out, at most
 * once per period per conversation.
 */
export function acknowledgementDue(o: { settings: AcknowledgementSettings; automated: boolean; optedOut: boolean; acknowledgedAt: Date | null; now: Date }): boolean {
  if (!o.settings.enabled || o.automated || o.optedOut) return false;
  return !o.acknowledgedAt || o.acknowledgedAt.getTime() < o.now.getTime() - o.settings.periodMinutes * 60_000;
}

/** The acknowledgement's topic: the complaint type when the analysis is fairly sure of it. */
export function acknowledgementTopic(signal: { complaintCategory: string | null; complaintConfidence: number | null } | null): string | null {
  return signal && (signal.complaintConfidence ?? 0) >= ACK_TOPIC_MIN_CONFIDENCE ? signal.complaintCategory : null;
}

/**
 * The wait quoted to the customer, in minutes: until the response due time when there is
 * one, else ten minutes per conversation ahead of theirs in the inbox's queue.
 */
export function expectedWaitMinutes(o: { due: Date | null; now: Date; queueAhead: number }): number {
  return o.due ? Math.max(5, (o.due.getTime() - o.now.getTime()) / 60_000) : Math.max(10, o.queueAhead * 10);
}

export function acknowledgementText(i: AcknowledgementInput): string {
  const lang = ISO3[customerLanguage({ contact: i.contactLanguage, detected: i.language, inbox: i.inboxLanguage }, ACKNOWLEDGEMENT_LANGUAGES)] ?? 'eng';
  const own = i.settings?.texts?.[lang] ?? {};
  const t = (k: AckKey) => own[k] ?? TEXTS[lang]![k];
  const key = (i.complaintCategory && i.complaintCategory in TEXTS.eng! ? i.complaintCategory : 'default') as AckKey;
  const open = isOpen(i.businessHours, i.now);
  const wait = WAIT[lang]!;
  let when: string;
  if (open) {
    const m = Math.max(5, Math.round(i.expectedWaitMinutes / 5) * 5);
    when = m < 90 ? wait.minutes(m) : wait.hours(Math.round(m / 60));
  } else {
    const back = DateTime.fromJSDate(nextOpening(i.businessHours, i.now), { zone: i.businessHours!.timeZone }).setLocale(LOCALE[lang]!);
    when = wait.at(back.toLocaleString({ weekday: 'long', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' }));
  }
  const fill = (s: string) => s.replaceAll('{name}', i.name?.split(' ')[0] || (lang === 'eng' ? 'there' : '')).replaceAll('{reference}', String(i.reference)).replaceAll('{wait}', when);
  // The inbox's own greeting when it wrote one; else as the language and tone want ("Estimada Sra. López:").
  const tone: Tone = i.formality === 'formal' || i.formality === 'informal' ? i.formality : (i.tone ?? 'informal');
  const greeting = own.greeting ? fill(own.greeting).replace(/\s+([,:])$/, '$1') : salutation({ language: LOCALE[lang]!, tone, name: i.name, title: i.title });
  return `${greeting} ${fill(t(key))} ${fill(t(open ? 'wait_open' : 'wait_closed'))} ${fill(t('closing'))}`;
}
