// An agent's reply as a mail that threads in every client: our own Message-ID (derived from
// the message id, so a retried send is recognisably the same mail), In-Reply-To and
// References, a Reply-To carrying the conversation token, the quoted history, text and HTML
// parts, and the hidden marker for clients that drop all of that.
import type { SendMailOptions } from 'nodemailer';
import type { OutboundMessage } from '../../inbox/channels/contract';
import { markerText } from './marker';
import { replyAddress, type EmailInboxConfig } from './setup';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const paragraphs = (text: string) =>
  text
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');

export const ourMessageId = (messageId: string, address: string) => `<${messageId}@${address.slice(address.lastIndexOf('@') + 1)}>`;

/** Mail ids only (other channels' ids never go into References). */
const isMailId = (id: string | null): id is string => !!id && /^<[^<>\s]+@[^<>\s]+>$/.test(id);

/** The footer of an automatic email in the customer's language (English otherwise). */
const FOOTER: Record<string, { why: string; stopText: string; stopLink: string }> = {
  en: { why: 'You received this automatic message about your request.', stopText: 'To stop automatic emails', stopLink: 'Stop automatic emails' },
  es: { why: 'Ha recibido este mensaje automático sobre su solicitud.', stopText: 'Para dejar de recibir correos automáticos', stopLink: 'Dejar de recibir correos automáticos' },
  fr: { why: 'Vous avez reçu ce message automatique au sujet de votre demande.', stopText: 'Pour ne plus recevoir d’e-mails automatiques', stopLink: 'Ne plus recevoir d’e-mails automatiques' },
  de: { why: 'Sie haben diese automatische Nachricht zu Ihrem Anliegen erhalten.', stopText: 'Keine automatischen E-Mails mehr', stopLink: 'Keine automatischen E-Mails mehr erhalten' },
  pt: { why: 'Recebeu esta mensagem automática sobre o seu pedido.', stopText: 'Para deixar de receber emails automáticos', stopLink: 'Deixar de receber emails automáticos' },
};
const ISO3: Record<string, string> = { eng: 'en', spa: 'es', fra: 'fr', deu: 'de', por: 'pt' };
function footerWords(language: string | null | undefined) {
  const base = (language ?? 'en').toLowerCase().split('-')[0]!;
  return FOOTER[ISO3[base] ?? base] ?? FOOTER.en!;
}

export function composeMail(cfg: EmailInboxConfig, out: OutboundMessage, to: { address: string; name: string | null }): SendMailOptions & { messageId: string } {
  const messageId = ourMessageId(out.message.id, cfg.address);
  const mailHistory = out.history.filter((h) => isMailId(h.externalId));
  const lastInbound = [...out.history].reverse().find((h) => h.direction === 'inbound' && isMailId(h.externalId));
  const references = [...new Set(mailHistory.map((h) => h.externalId!))].slice(-20);
  const quoted = lastInbound ?? [...out.history].reverse().find((h) => h.direction === 'inbound');

  const baseSubject = out.message.subject ?? out.conversation.subject ?? `Conversation #${out.conversation.reference}`;
  const subject = lastInbound && !/^(re|aw|sv|antw?)\s*:/i.test(baseSubject) ? `Re: ${baseSubject}` : baseSubject;
  const marker = markerText(out.conversation.token);

  const quoteHeader = quoted ? `On ${quoted.sentAt.toUTCString()}, ${quoted.senderName ?? to.name ?? to.address} wrote:` : '';
  // An automatic message or survey says how to stop them (support answers still go), in the customer's language.
  const footer = footerWords(out.language);
  const unsubscribe = out.unsubscribeUrl ? `${footer.why} ${footer.stopText}: ${out.unsubscribeUrl}` : '';
  const text = [
    out.message.text,
    unsubscribe ? `\n--\n${unsubscribe}` : '',
    quoted ? `\n${quoteHeader}\n${quoted.text.split('\n').map((l) => `> ${l}`).join('\n')}` : '',
    `\n[${marker}]`,
  ].join('\n');
  const html = [
    '<div>',
    out.message.html ?? paragraphs(out.message.text),
    '</div>',
    quoted ? `<div><p>${escapeHtml(quoteHeader)}</p><blockquote style="margin:0 0 0 .8ex;border-left:1px solid #ccc;padding-left:1ex">${paragraphs(quoted.text)}</blockquote></div>` : '',
    out.unsubscribeUrl ? `<p style="font-size:12px;color:#666">${footer.why} <a href="${escapeHtml(out.unsubscribeUrl)}">${footer.stopLink}</a></p>` : '',
    // Hidden from the reader, kept by clients that quote our HTML.
    `<div style="display:none;max-height:0;overflow:hidden;font-size:1px;color:transparent">${marker}</div>`,
  ].join('\n');

  const headers: Record<string, string> = { 'X-Inbox-Conversation': String(out.conversation.reference) };
  if (out.message.automatic) {
    // RFC 3834: an automatic answer says so, and asks other robots not to answer it.
    headers['Auto-Submitted'] = 'auto-replied';
    headers['X-Auto-Response-Suppress'] = 'All';
    headers.Precedence = 'auto_reply';
  }
  if (out.unsubscribeUrl) {
    // RFC 2369 / RFC 8058: the mail client's own "Unsubscribe" button, one click (a POST).
    headers['List-Unsubscribe'] = `<${out.unsubscribeUrl}>`;
    headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  }

  return {
    messageId,
    from: { name: cfg.fromName ?? out.inbox.name, address: cfg.address },
    to: { name: to.name ?? '', address: to.address },
    replyTo: cfg.plusAddressing ? replyAddress(cfg.address, out.conversation.token) : cfg.address,
    subject,
    ...(lastInbound ? { inReplyTo: lastInbound.externalId! } : {}),
    ...(references.length ? { references } : {}),
    text,
    html,
    headers,
  };
}
