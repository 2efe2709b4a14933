// A WhatsApp Business phone number (Meta's Cloud API) as an inbox. Secret references:
// accessToken (a system user's token), appSecret (signs the webhooks), verifyToken (the
// subscription handshake's token, any string you choose).
import { z } from 'zod';

export const whatsappTemplateSchema = z.object({
  /** As approved in WhatsApp Manager, e.g. "order_update". */
  name: z.string().regex(/^[a-z0-9_]{1,512}$/, 'a template name: lower-case letters, digits and _'),
  /** Its language code, e.g. "en_US", "es". */
  language: z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'a language code such as en_US'),
  /** How many {{n}} parameters its body takes. */
  parameters: z.number().int().min(0).max(10).default(0),
  /** Its body as approved, for agents to read ({{1}}… where the parameters go). */
  text: z.string().max(1_024).optional(),
});

export const whatsappInboxConfigSchema = z
  .object({
    /** The Cloud API's id of the business phone number (not the number itself). */
    phoneNumberId: z.string().regex(/^\d{5,25}$/, 'the numeric phone number id from WhatsApp Manager'),
    /** The business number as customers see it (E.164), shown to agents. */
    displayPhoneNumber: z.string().optional(),
    apiVersion: z.string().regex(/^v\d+\.\d+$/).default('v21.0'),
    // One name may be approved in several languages (the composer offers the customer's first).
    templates: z.array(whatsappTemplateSchema).max(100).default([])
      .refine((list) => new Set(list.map((x) => `${x.name}/${x.language}`)).size === list.length, 'each template once per language'),
    /** Outside the customer's 24-hour window automatic messages go as this template (no parameters), or not at all. */
    automaticTemplate: z.string().optional(),
  })
  .strict();

export type WhatsappInboxConfig = z.infer<typeof whatsappInboxConfigSchema>;
export const whatsappWebhookPath = (inboxId: string) => `/webhooks/whatsapp/${inboxId}`;
/** WhatsApp's customer-service window: replies are free-form for 24 hours after the customer's last message. */
export const WINDOW_MS = 24 * 3_600_000;
