// API channel settings. The API channel is the generic way in: any system can post customer
// messages with the inbox's token, and receives agents' replies on its webhook.
import crypto from 'node:crypto';
import { z } from 'zod';

export const apiInboxConfigSchema = z
  .object({
    /** Agents' replies are POSTed here, signed (see outbound.ts). Without it, replies are only stored. */
    webhookUrl: z.url({ protocol: /^https?$/ }).optional(),
  })
  .strict();

export type ApiInboxConfig = z.infer<typeof apiInboxConfigSchema>;

/** The secret that signs this inbox's webhooks: derived, so nothing secret is stored. */
export function webhookSecret(appSecret: string, inboxId: string): string {
  return crypto.createHmac('sha256', appSecret).update(`api-webhook:${inboxId}`).digest('base64url');
}
