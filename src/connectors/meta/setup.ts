// Facebook Messenger and Instagram (Meta's Messenger Platform) as inboxes: one Meta app, one
// webhook URL for all its pages and accounts (/webhooks/meta), each page or Instagram account an
// inbox. Secret references: pageAccessToken (the page's token; for Instagram, the linked
// page's), appSecret (signs the webhooks), verifyToken (the subscription handshake's token).
import { z } from 'zod';

const graphId = (what: string) => z.string().regex(/^\d{5,25}$/, `the numeric ${what} id`);

const common = {
  apiVersion: z.string().regex(/^v\d+\.\d+$/).default('v21.0'),
  /** Answer within 7 days instead of 24 hours with Meta's HUMAN_AGENT tag (the app needs that permission). */
  humanAgentTag: z.boolean().default(false),
  /** Read comments under the posts as public conversations (mentions). */
  comments: z.boolean().default(true),
};

export const messengerInboxConfigSchema = z
  .object({
    /** The Facebook page's id. */
    pageId: graphId('Facebook page'),
    pageName: z.string().max(200).optional(),
    ...common,
  })
  .strict();

export const instagramInboxConfigSchema = z
  .object({
    /** The Instagram professional account's id (the webhook's entry id). */
    accountId: graphId('Instagram account'),
    /** The Facebook page linked to it: messages are sent through it. */
    pageId: graphId('linked Facebook page'),
    username: z.string().max(100).optional(),
    ...common,
  })
  .strict();

export type MessengerInboxConfig = z.infer<typeof messengerInboxConfigSchema>;
export type InstagramInboxConfig = z.infer<typeof instagramInboxConfigSchema>;
export type MetaInboxConfig = (MessengerInboxConfig | InstagramInboxConfig) & { platform: 'messenger' | 'instagram'; entryId: string };

/** One URL for the whole Meta app: entries are routed to inboxes by their page or account id. */
export const META_WEBHOOK_PATH = '/webhooks/meta';
/** Messenger's and Instagram's standard messaging window. */
export const WINDOW_MS = 24 * 3_600_000;
/** With the HUMAN_AGENT tag. */
export const HUMAN_AGENT_WINDOW_MS = 7 * 24 * 3_600_000;
