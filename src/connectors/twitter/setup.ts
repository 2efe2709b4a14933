// An X (Twitter) brand account as an inbox: public mentions and direct messages. The API is
// pay-per-use, so reading is capped per month. OAuth 1.0a user-context keys are secret
// references: secretRefs.appKey, appSecret, accessToken, accessSecret.
import { z } from 'zod';

export const twitterInboxConfigSchema = z
  .object({
    /** The brand account's handle, without @. */
    handle: z.string().regex(/^@?[A-Za-z0-9_]{1,15}$/, 'an X handle such as acme_support').transform((h) => h.replace(/^@/, '')),
    /** The brand account's numeric user id. */
    userId: z.string().regex(/^\d{1,20}$/, 'the numeric X user id of the account'),
    /** How often mentions and DMs are read (the API's rate limits and price favour a minute or more). */
    pollSeconds: z.number().int().min(1).max(3_600).default(60),
    directMessages: z.boolean().default(true),
    /** false: reading paused (nothing is read or spent; replies still go out), e.g. while setting up, or the demo's inbox. */
    reading: z.boolean().default(true),
    /** Posts read per calendar month (UTC) at most; reading stops at the cap until next month. */
    monthlyReadCap: z.number().int().min(1).max(10_000_000).default(10_000),
  })
  .strict();

export type TwitterInboxConfig = z.infer<typeof twitterInboxConfigSchema>;

export const tweetId = (id: string) => `tweet:${id}`;
export const dmId = (id: string) => `dm:${id}`;
