// Telegram as an inbox: a bot customers write to in a private chat. Updates arrive on a webhook
// that Telegram calls with the secret token we gave it (X-Telegram-Bot-Api-Secret-Token; 403 and
// nothing stored otherwise); photos and documents are fetched through the Bot API and kept in the
// attachment store; an edited message updates the stored one; /start gets the inbox's greeting.
// Replies go back with grammY's Bot API client into the same chat.
import crypto from 'node:crypto';
import { Router, type Request } from 'express';
import { Api, GrammyError, HttpError } from 'grammy';
import type { Inbox } from '../../platform/db/client';
import { ForbiddenError, NotFoundError, ProviderError } from '../../platform/errors';
import { PermanentJobError } from '../../platform/queue';
import type { Connector, ConnectorContext, OutboundMessage, SendResult } from '../../inbox/channels/contract';
import { fileOf, telegramToInboundMessage, type TgMessage, type TgUpdate } from './inbound';
import { telegramInboxConfigSchema, telegramMessageId, telegramWebhookPath } from './setup';

/** Telegram's Bot API refuses downloads above 20 MB. */
const MAX_FILE_BYTES = 20 * 1024 * 1024;

const apiRoot = (ctx: ConnectorContext) => ctx.config.TELEGRAM_API_URL.replace(/\/$/, '');
const clientFor = (ctx: ConnectorContext, inbox: Inbox) => new Api(ctx.secrets.get(inbox, 'botToken'), { apiRoot: apiRoot(ctx) });

function sameSecret(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = crypto.createHash('sha256').update(given).digest();
  const b = crypto.createHash('sha256').update(expected).digest();
  return crypto.timingSafeEqual(a, b);
}

async function verified(ctx: ConnectorContext, req: Request): Promise<Inbox> {
  const inbox = await ctx.inboxes.find(String(req.params.inboxId));
  if (!inbox || inbox.kind !== 'telegram') throw new NotFoundError('Telegram inbox');
  if (!sameSecret(req.header('x-telegram-bot-api-secret-token'), ctx.secrets.get(inbox, 'webhookSecret'))) {
    throw new ForbiddenError('The secret token (X-Telegram-Bot-Api-Secret-Token) does not match the one given to setWebhook');
  }
  return inbox;
}

/** The message's file, fetched once through the Bot API and kept in the attachment store. */
async function storeFile(ctx: ConnectorContext, inbox: Inbox, m: TgMessage) {
  const file = fileOf(m);
  if (!file) return [];
  if ((file.file_size ?? 0) > MAX_FILE_BYTES) return [];
  const api = clientFor(ctx, inbox);
  const info = await api.getFile(file.file_id);
  if (!info.file_path) return [];
  const res = await fetch(`${apiRoot(ctx)}/file/bot${ctx.secrets.get(inbox, 'botToken')}/${info.file_path}`);
  if (!res.ok) throw new ProviderError('downloading a Telegram file', `HTTP ${res.status}`);
  const bytes = Buffer.from(await res.arrayBuffer());
  return [{ fileName: file.fileName, contentType: file.contentType, size: bytes.length, storageKey: await ctx.attachments.put(bytes) }];
}

function routes(ctx: ConnectorContext): Router {
  const router = Router();
  router.post('/webhooks/telegram/:inboxId', async (req, res) => {
    const inbox = await verified(ctx, req);
    const update = (req.body ?? {}) as TgUpdate;
    if (update.edited_message) {
      const m = update.edited_message;
      await ctx.messages.edited(inbox.id, telegramMessageId(m.chat.id, m.message_id), m.text ?? m.caption ?? '');
    } else if (update.message) {
      const m = update.message;
      if (m.chat.type === 'private' && m.text?.trim() === '/start') {
        // Opening the chat: the inbox's greeting, not a conversation.
        const cfg = telegramInboxConfigSchema.parse(inbox.config ?? {});
        await clientFor(ctx, inbox).sendMessage(m.chat.id, cfg.greeting);
      } else {
        const message = telegramToInboundMessage(m, await storeFile(ctx, inbox, m));
        if (message) await ctx.intake.accept(inbox.id, message);
      }
    }
    // Telegram retries anything but 2xx; a stored update answered again is stored once (its id).
    res.status(200).json({ ok: true });
  });
  return router;
}

async function send(ctx: ConnectorContext, out: OutboundMessage): Promise<SendResult> {
  const chat = out.conversation.threadKey?.startsWith('chat:') ? out.conversation.threadKey.slice('chat:'.length) : out.identities.find((i) => i.kind === 'telegram')?.address;
  if (!chat) throw new PermanentJobError('this conversation has no Telegram chat');
  try {
    const sent = await clientFor(ctx, out.inbox).sendMessage(chat, out.message.text);
    return { externalId: telegramMessageId(chat, sent.message_id), status: 'sent', metadata: { telegram: { chatId: Number(chat), messageId: sent.message_id } } };
  } catch (err) {
    if (err instanceof GrammyError) {
      // 429 and server trouble pass; a blocked bot, a deleted chat or a too-long text will not.
      throw new ProviderError('sending to Telegram', `${err.error_code}: ${err.description}`, err.error_code === 429 || err.error_code >= 500);
    }
    if (err instanceof HttpError) throw new ProviderError('sending to Telegram', err.message, true);
    throw err;
  }
}

export const telegramConnector: Connector = {
  kind: 'telegram',
  configSchema: telegramInboxConfigSchema,
  routes,
  send,
  async testConnection(ctx, inbox) {
    const cfg = telegramInboxConfigSchema.parse(inbox.config ?? {});
    try {
      const api = clientFor(ctx, inbox);
      const me = await api.getMe();
      const hook = await api.getWebhookInfo();
      const url = `${ctx.publicUrl()}${telegramWebhookPath(inbox.id)}`;
      return [
        cfg.botUsername && cfg.botUsername.toLowerCase() !== me.username.toLowerCase()
          ? { name: 'bot', ok: false, message: `The token belongs to @${me.username}, not @${cfg.botUsername}.` }
          : { name: 'bot', ok: true, message: `The token works for @${me.username}.` },
        hook.url === url
          ? { name: 'webhook', ok: true, message: `Telegram sends updates to ${url}${hook.last_error_message ? ` (its last error: ${hook.last_error_message})` : ''}.` }
          : { name: 'webhook', ok: false, message: `Telegram sends updates to ${hook.url || 'nowhere'}: call setWebhook with url ${url} and this inbox's secret_token.` },
      ];
    } catch (err) {
      if (err instanceof GrammyError && err.error_code === 401) return [{ name: 'bot', ok: false, message: 'Telegram refused the bot token (401): copy it again from @BotFather.' }];
      return [{ name: 'bot', ok: false, message: `Telegram could not be reached: ${(err as Error).message}` }];
    }
  },
  describeNewInbox: (ctx, inbox) => ({
    webhookUrl: `${ctx.publicUrl()}${telegramWebhookPath(inbox.id)}`,
    next: 'Set the environment variables named in secretRefs.botToken (from @BotFather) and secretRefs.webhookSecret (any 1–256 letters, digits, _ or -), then call https://api.telegram.org/bot<token>/setWebhook with url = webhookUrl and secret_token = that secret.',
  }),
  documentation: [
    {
      method: 'post', path: '/webhooks/telegram/:inboxId', tag: 'channels', auth: 'none',
      summary: 'Telegram: the webhook of a Telegram inbox (an Update), verified by the X-Telegram-Bot-Api-Secret-Token header given to setWebhook',
      responses: { 200: 'Handled (a repeated update is stored once)', 403: 'Wrong or missing secret token: nothing stored', 404: 'Unknown Telegram inbox' },
    },
  ],
};
