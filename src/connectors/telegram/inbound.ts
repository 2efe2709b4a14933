// What Telegram's Bot API delivers (an Update with a message or an edited message, in a private
// chat with the bot) as InboundMessageInput: pure, tested with recorded payloads
// (test/channel-payloads.test.ts). Files are fetched before (the connector stores them and
// passes their storage keys): a URL with the bot's token in it is never stored.
import type { InboundMessageInput } from '../../inbox/channels/contract';
import { telegramMessageId } from './setup';

export interface TgUser {
  id: number;
  is_bot?: boolean;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}
export interface TgFile {
  file_id: string;
  file_unique_id: string;
  file_size?: number;
  file_name?: string;
  mime_type?: string;
  width?: number;
  height?: number;
}
export interface TgMessage {
  message_id: number;
  date: number;
  edit_date?: number;
  chat: { id: number; type: 'private' | 'group' | 'supergroup' | 'channel'; username?: string; first_name?: string };
  from?: TgUser;
  text?: string;
  caption?: string;
  photo?: TgFile[];
  document?: TgFile;
  reply_to_message?: { message_id: number };
}
export interface TgUpdate {
  update_id: number;
  message?: TgMessage;
  edited_message?: TgMessage;
}

/** The file of a message worth keeping: the largest size of a photo, or the document. */
export function fileOf(m: TgMessage): (TgFile & { fileName: string; contentType: string }) | null {
  if (m.document) return { ...m.document, fileName: m.document.file_name ?? 'document', contentType: m.document.mime_type ?? 'application/octet-stream' };
  const photo = m.photo?.at(-1);
  return photo ? { ...photo, fileName: `photo-${m.message_id}.jpg`, contentType: 'image/jpeg' } : null;
}

/** A customer's message in a private chat; null for anything else (groups, channels, other bots). */
export function telegramToInboundMessage(m: TgMessage, stored: Array<{ fileName: string; contentType: string; size: number; storageKey: string }> = []): InboundMessageInput | null {
  if (m.chat.type !== 'private' || !m.from || m.from.is_bot) return null;
  const name = [m.from.first_name, m.from.last_name].filter(Boolean).join(' ');
  return {
    externalId: telegramMessageId(m.chat.id, m.message_id),
    from: { name, identities: [{ kind: 'telegram', address: String(m.from.id) }] },
    text: m.text ?? m.caption ?? '',
    sentAt: new Date(m.date * 1000).toISOString(),
    thread: { key: `chat:${m.chat.id}`, continueOpen: true, ...(m.reply_to_message ? { inReplyTo: telegramMessageId(m.chat.id, m.reply_to_message.message_id) } : {}) },
    attachments: stored,
    metadata: { telegram: { chatId: m.chat.id, messageId: m.message_id, username: m.from.username, languageCode: m.from.language_code } },
  };
}
