// SMS inbox settings: our number and the provider account. The auth token is a secret
// reference (secretRefs.authToken), never stored.
import { z } from 'zod';
import { e164 } from '../../inbox/channels/contract';

export const smsInboxConfigSchema = z
  .object({
    provider: z.literal('twilio').default('twilio'),
    /** Our number in E.164, e.g. +14155550100. */
    phoneNumber: z.string().transform(e164).refine((n) => /^\+[1-9]\d{6,14}$/.test(n), 'an E.164 phone number such as +14155550100'),
    /** Twilio Account SID (AC…): an identifier, not a secret. */
    accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'a Twilio Account SID: AC followed by 32 hex digits'),
    /** Who answers STOP / START / HELP: "provider" (Twilio's Advanced Opt-Out, the default) or "us". */
    keywordReplies: z.enum(['provider', 'us']).default('provider'),
    helpText: z.string().max(300).default('Reply STOP to unsubscribe. Msg&data rates may apply.'),
  })
  .strict();

export type SmsInboxConfig = z.infer<typeof smsInboxConfigSchema>;
