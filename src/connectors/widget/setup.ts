// Chat widget inbox settings, and the values a site needs to embed it: the script tag and
// the secret it signs its logged-in users with.
import crypto from 'node:crypto';
import { z } from 'zod';

/** The widget's own words a site may change, per language ("fr", "pt-BR"…). */
export const WIDGET_TEXT_KEYS = ['greeting', 'offlineNotice', 'launcher', 'placeholder', 'send', 'name', 'email', 'articles', 'solved', 'person'] as const;
const widgetTexts = z.record(z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'a language code such as fr or pt-BR'), z.partialRecord(z.enum(WIDGET_TEXT_KEYS), z.string().trim().min(1).max(300)));

/** The greeting and the away notice in the languages the widget speaks (a site's own text for its language wins). */
export const WIDGET_DEFAULTS: Record<string, { greeting: string; offlineNotice: string }> = {
  en: { greeting: 'Hi! How can we help?', offlineNotice: "We're away right now. Leave a message and we'll answer as soon as we're back — by email too if you leave your address." },
  es: { greeting: '¡Hola! ¿En qué podemos ayudarte?', offlineNotice: 'Ahora no estamos disponibles. Déjanos un mensaje y te responderemos en cuanto volvamos, también por correo si nos dejas tu dirección.' },
  fr: { greeting: 'Bonjour ! Comment pouvons-nous vous aider ?', offlineNotice: 'Nous sommes absents pour le moment. Laissez-nous un message : nous vous répondrons dès notre retour, aussi par e-mail si vous laissez votre adresse.' },
  de: { greeting: 'Hallo! Wie können wir helfen?', offlineNotice: 'Wir sind gerade nicht da. Hinterlassen Sie uns eine Nachricht – wir antworten, sobald wir zurück sind, auch per E-Mail, wenn Sie Ihre Adresse angeben.' },
  pt: { greeting: 'Olá! Como podemos ajudar?', offlineNotice: 'De momento não estamos disponíveis. Deixe uma mensagem e respondemos assim que voltarmos, também por email se nos deixar o seu endereço.' },
};

const origin = z.union([z.literal('*'), z.url({ protocol: /^https?$/ }).transform((u) => new URL(u).origin)]);

export const widgetInboxConfigSchema = z
  .object({
    /** Sites allowed to embed the widget, e.g. ["https://shop.example"]; "*" allows any (not recommended). */
    allowedOrigins: z.array(origin).min(1, 'name at least one site (e.g. "https://shop.example"), or "*" for any').max(50),
    greeting: z.string().trim().max(300).default(WIDGET_DEFAULTS.en!.greeting),
    /** Said outside business hours (the inbox's routing settings). */
    offlineNotice: z.string().trim().max(300).default(WIDGET_DEFAULTS.en!.offlineNotice),
    /** The widget's words per language, over the built-in ones (en, es, fr, de, pt): greeting, offlineNotice, launcher, placeholder, send… */
    texts: widgetTexts.default({}),
    /** Ask for a name and an email before the first message (both optional for the visitor). */
    preChatForm: z.boolean().default(true),
    /** An email inbox that sends agents' replies to visitors who left, so they can answer by mail. */
    emailFallbackInboxId: z.uuid().optional(),
    maxMessageChars: z.number().int().min(1).max(10_000).default(5_000),
    perVisitorPerMinute: z.number().int().min(1).max(600).default(20),
    perIpPerMinute: z.number().int().min(1).max(6_000).default(120),
  })
  .strict();

export type WidgetInboxConfig = z.infer<typeof widgetInboxConfigSchema>;

/** The secret a site signs its users with (derived: nothing secret is stored). */
export function identitySecret(appSecret: string, inboxId: string): string {
  return crypto.createHmac('sha256', appSecret).update(`widget-identity:${inboxId}`).digest('base64url');
}

/** What the site computes on its server for a logged-in user: hex HMAC-SHA256(secret, "<userId>:<email>"). */
export function userHash(secret: string, userId: string, email: string): string {
  return crypto.createHmac('sha256', secret).update(`${userId}:${email.toLowerCase()}`).digest('hex');
}

/**
 * The widget's words for a visitor's language: the site's own for it, else the built-in ones;
 * `greeting` and `offlineNotice` set for the inbox (not the defaults) are its words in any language
 * it has no text of its own for.
 */
export function widgetTextsFor(cfg: WidgetInboxConfig, language: string | null): { language: string; greeting: string; offlineNotice: string; texts: Partial<Record<(typeof WIDGET_TEXT_KEYS)[number], string>> } {
  const wanted = language?.toLowerCase().split('-')[0] ?? 'en';
  const lang = wanted in WIDGET_DEFAULTS ? wanted : 'en';
  const own = cfg.texts[language ?? ''] ?? cfg.texts[wanted] ?? {};
  const builtIn = WIDGET_DEFAULTS[lang]!;
  const pick = (k: 'greeting' | 'offlineNotice') => own[k] ?? (cfg[k] !== WIDGET_DEFAULTS.en![k] ? cfg[k] : builtIn[k]);
  return { language: lang, greeting: pick('greeting'), offlineNotice: pick('offlineNotice'), texts: own };
}

export function embedSnippet(publicUrl: string, inboxId: string): string {
  return `<script src="${publicUrl}/widget.js" data-inbox="${inboxId}" async></script>`;
}
