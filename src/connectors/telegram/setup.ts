// A Telegram bot as an inbox: customers write to the bot in private chats. The bot token and
// the webhook's secret token are secret references (secretRefs.botToken, secretRefs.webhookSecret).
import { z } from 'zod';

export const telegramInboxConfigSchema = z
  .object({
    /** The bot's @username, without @ (shown to agents; the connection test checks it). */
    botUsername: z.string().regex(/^@?[A-Za-z0-9_]{5,32}$/, 'a bot username such as acme_support_bot').transform((u) => u.replace(/^@/, '')).optional(),
    /** What the bot answers to /start (a customer opening the chat). */
    greeting: z.string().trim().min(1).max(4_096).default('Hello! Write your question here and our team will answer in this chat.'),
  })
  .strict();

export type TelegramInboxConfig = z.infer<typeof telegramInboxConfigSchema>;

export const telegramWebhookPath = (inboxId: string) => `/webhooks/telegram/${inboxId}`;
/** A message's id: unique per chat. */
export const telegramMessageId = (chatId: number | string, messageId: number | string) => `tg:${chatId}:${messageId}`;
