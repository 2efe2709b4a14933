// A Slack channel as an inbox (e.g. a shared channel with a customer): its id, and the
// bot token and signing secret as references to the environment.
import { z } from 'zod';

export const slackInboxConfigSchema = z
  .object({
    /** The channel customers write in, e.g. C0123456789. */
    channelId: z.string().regex(/^[CGD][A-Z0-9]{5,}$/, 'a Slack channel id such as C0123456789'),
    /** An internal channel for escalations (and, with alertOn "all", every routing notification). */
    alertChannelId: z.string().regex(/^[CGD][A-Z0-9]{5,}$/, 'a Slack channel id such as C0123456789').optional(),
    alertOn: z.enum(['escalations', 'all']).default('escalations'),
  })
  .strict();

export type SlackInboxConfig = z.infer<typeof slackInboxConfigSchema>;

/** The id we store for a Slack message: unique in a workspace. */
export const slackMessageId = (channel: string, ts: string) => `${channel}:${ts}`;
