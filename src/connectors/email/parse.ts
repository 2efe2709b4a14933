// A raw RFC 5322 mail → what the inbox needs: an InboundMessage (with the threading hints
// in the order threading.ts weighs them), or a delivery report on something we sent.
// The bytes are repaired first (mime-repair.ts), then parsed by mailparser.
import crypto from 'node:crypto';
import { convert as htmlToText } from 'html-to-text';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import type { InboundMessageInput } from '../../inbox/channels/contract';
import { deliveryStatusOf, type DeliveryStatusReport } from './delivery-status';
import { embedInlineImages, type InlineImage } from './inline-images';
import { automatedReason } from './loop-safety';
import { markerIn } from './marker';
import { repairMime } from './mime-repair';
import { newContentOf } from './quoted';
import { tokenInAddress } from './setup';
import { sniffContentType } from '../../platform/files/sniff';

export interface MailAttachment {
  fileName: string;
  contentType: string;
  size: number;
  inline: boolean;
  /** Null when over the size limit: listed for the agent, bytes not kept. */
  content: Buffer | null;
}

export type ReadMail =
  | { kind: 'message'; message: InboundMessageInput & { externalId: string }; attachments: MailAttachment[]; inlineImages: InlineImage[] }
  | { kind: 'delivery-report'; report: DeliveryStatusReport; messageId: string };

export interface ReadOptions {
  /** The inbox's own address: plus-addressed tokens are read from it; mail from it is ours. */
  address: string;
  maxAttachmentBytes: number;
  /** Inline images up to this many bytes in all are shown in place; the rest stay files. */
  maxInlineImageBytes?: number;
}

export const DEFAULT_INLINE_IMAGE_BYTES = 3 * 2 ** 20;
/** The intake takes HTML up to 5,000,000 characters: embedded images (base64, 4/3 of their bytes) stay under it. */
const HTML_ROOM = 4_900_000;

/** Text parts some clients send instead of the mail ("This is an HTML message…"): not the customer's words. */
const PLACEHOLDER_TEXT = /^(this is an? (html|multi-?part|mime)[\w -]{0,20} (e-?mail|message)|your (e-?mail|mail) (client|program|reader|software) does not support html|to view this (e-?mail|message)[^.]{0,60}html)/i;

/** The mail as text for the list, the analysis and search: its text part, or its HTML as text when the text part is empty or a placeholder. */
function textOf(mail: ParsedMail, html: string | undefined): string {
  const text = mail.text ?? '';
  if (text.trim() && !PLACEHOLDER_TEXT.test(text.trim())) return text;
  if (!html) return text;
  return htmlToText(html, {
    wordwrap: false,
    selectors: [
      { selector: 'img', format: 'skip' },
      { selector: 'a', options: { ignoreHref: true } },
    ],
  });
}

const addresses = (a: AddressObject | AddressObject[] | undefined) =>
  (Array.isArray(a) ? a : a ? [a] : []).flatMap((o) => o.value).filter((v) => !!v.address).map((v) => ({ address: v.address!.toLowerCase(), name: v.name || undefined }));

const bracket = (id: string) => (id.startsWith('<') ? id : `<${id}>`);
const idsOf = (v: string | string[] | undefined) => (Array.isArray(v) ? v : v ? v.split(/\s+/) : []).map((x) => x.trim()).filter(Boolean).map(bracket);

/**
 * Without a Message-ID, a stable one from what the mail says, never random: the same mail
 * fetched twice (a restart, a resync) gets the same id and is stored once.
 */
export function derivedMessageId(raw: Buffer, mail: ParsedMail): string {
  const canonical = ['from', 'to', 'cc', 'date', 'subject'].map((k) => mail.headerLines.find((l) => l.key === k)?.line ?? '').join('\n');
  const bodyAt = raw.indexOf('\r\n\r\n') >= 0 ? raw.indexOf('\r\n\r\n') : raw.indexOf('\n\n');
  const body = bodyAt >= 0 ? raw.subarray(bodyAt) : Buffer.alloc(0);
  const digest = crypto.createHash('sha256').update(canonical).update('\0').update(body).digest('hex').slice(0, 32);
  return `<${digest}@derived.inbox.invalid>`;
}

/** Who sent it and what it says: two mails with one Message-ID but different fingerprints are two mails. */
function fingerprintOf(from: string, mail: ParsedMail): string {
  return crypto.createHash('sha256').update(from).update('\0').update(mail.subject ?? '').update('\0').update((mail.text ?? '').trim()).digest('hex').slice(0, 16);
}

/** A repair that fails leaves the mail as it came, for mailparser to read as best it can. */
function repairedOrAsIs(raw: Buffer): { raw: Buffer; warnings: string[] } {
  try {
    return repairMime(raw);
  } catch (err) {
    return { raw, warnings: [`the mail's structure could not be checked (${err instanceof Error ? err.message : String(err)})`] };
  }
}

export async function readMail(raw: Buffer, o: ReadOptions): Promise<ReadMail> {
  const repaired = repairedOrAsIs(raw);
  const mail = await simpleParser(repaired.raw, { skipImageLinks: true, skipTextLinks: true });
  const ours = o.address.toLowerCase();
  const from = addresses(mail.from)[0] ?? addresses(mail.replyTo)[0] ?? null;
  const messageId = mail.messageId ? bracket(mail.messageId.trim()) : derivedMessageId(raw, mail);

  const report = deliveryStatusOf(mail, from?.address ?? null);
  if (report) return { kind: 'delivery-report', report, messageId };
  if (!from) throw new Error('the mail has no sender address (From)');

  const to = addresses(mail.to);
  const cc = addresses(mail.cc);
  const deliveredTo = mail.headerLines.filter((l) => /^(delivered-to|x-original-to|envelope-to)$/.test(l.key)).map((l) => l.line.slice(l.line.indexOf(':') + 1).trim().toLowerCase());
  const recipients = [...to.map((t) => t.address), ...cc.map((c) => c.address), ...deliveredTo];
  const conversationToken = recipients.map((r) => tokenInAddress(ours, r)).find((t) => t) ?? undefined;

  // Mail from our own address (a teammate answering in their mail client): our side of the
  // customer's conversation, filed under the customer it went to.
  const fromUs = from.address === ours || tokenInAddress(ours, from.address) != null;
  const customer = fromUs ? (to.find((t) => t.address !== ours && !tokenInAddress(ours, t.address)) ?? null) : from;
  if (!customer) throw new Error('a mail from our own address to nobody else: nothing to file it under');

  // Each file as its bytes show it, before anything is shown in place or stored (a "PNG" that is an HTML page is neither).
  for (const a of mail.attachments) if (a.content?.length) a.contentType = (await sniffContentType(a.content, a.contentType)).contentType;
  const parsedHtml = typeof mail.html === 'string' ? mail.html : undefined;
  const inline = parsedHtml ? embedInlineImages(parsedHtml, mail.attachments, Math.min(o.maxInlineImageBytes ?? DEFAULT_INLINE_IMAGE_BYTES, ((HTML_ROOM - parsedHtml.length) * 3) / 4)) : null;
  const html = inline?.html;
  const text = textOf(mail, parsedHtml);
  const fresh = newContentOf(text);
  const automated = fromUs ? null : automatedReason(mail.headerLines, from.address);
  const sentAt = mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date : undefined;

  const attachments: MailAttachment[] = mail.attachments
    // Images shown in place are not listed twice.
    .filter((a) => !inline?.embedded.has(a))
    .map((a) => ({
      fileName: (a.filename || `attachment.${a.contentType.split('/')[1] ?? 'bin'}`).slice(0, 255),
      contentType: a.contentType,
      size: a.size,
      inline: a.contentDisposition === 'inline',
      content: a.size <= o.maxAttachmentBytes ? a.content : null,
    }));

  return {
    kind: 'message',
    attachments,
    inlineImages: inline?.images ?? [],
    message: {
      externalId: messageId,
      from: { name: customer.name, identities: [{ kind: 'email', address: customer.address }] },
      text: fresh.text || (mail.subject ?? ''),
      html,
      subject: mail.subject?.slice(0, 998),
      sentAt: sentAt && sentAt.getTime() < Date.now() + 86_400_000 ? sentAt.toISOString() : undefined,
      direction: fromUs ? 'outbound' : 'inbound',
      automated: !!automated,
      thread: {
        conversationToken,
        inReplyTo: mail.inReplyTo ? idsOf(mail.inReplyTo)[0] : undefined,
        references: idsOf(mail.references).slice(-100),
        bodyToken: markerIn(text, html) ?? undefined,
        sameAcrossInboxes: true,
        // A new mail without any link to a thread is a new conversation (unlike chat).
        continueOpen: false,
      },
      contentKey: fingerprintOf(from.address, mail),
      metadata: {
        email: {
          messageId,
          to: to.map((t) => t.address),
          ...(cc.length ? { cc: cc.map((c) => c.address) } : {}),
          ...(fresh.trimmed ? { quotedTextTrimmed: true } : {}),
          ...(automated ? { automatedReason: automated } : {}),
          ...(repaired.warnings.length ? { warnings: repaired.warnings } : {}),
        },
      },
    },
  };
}
