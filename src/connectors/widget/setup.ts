// Chat widget inbox settings, and the values a site needs to embed it: the script tag and
// the secret it signs its logged-in users with.
import crypto from 'node:crypto';
import { z } from 'zod';

const origin = z.union([z.literal('*'), z.url({ protocol: /^https?$/ }).transform((u) => new URL(u).origin)]);

export const widgetInboxConfigSchema = z
  .object({
    /** Sites allowed to embed the widget, e.g. ["https://shop.example"]; "*" allows any (not recommended). */
    allowedOrigins: z.array(origin).min(1, 'name at least one site (e.g. "https://shop.example"), or "*" for any').max(50),
    greeting: z.string().trim().max(300).default('Hi! How can we help?'),
    /** Said outside business hours (the inbox's routing settings). */
    offlineNotice: z.string().trim().max(300).default("We're away right now. Leave a message and we'll answer as soon as we're back — by email too if you leave your address."),
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

export function embedSnippet(publicUrl: string, inboxId: string): string {
  return `<script src="${publicUrl}/widget.js" data-inbox="${inboxId}" async></script>`;
}
