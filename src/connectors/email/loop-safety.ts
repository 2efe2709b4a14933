// RFC 3834 and the habits of real mail systems: which mail was sent by a machine (and so
// must never be answered automatically), and which mail is a bounce.
import type { ParsedMail } from 'mailparser';

type HeaderLines = ParsedMail['headerLines'];

function header(lines: HeaderLines, name: string): string | null {
  const line = lines.find((l) => l.key === name)?.line;
  if (line == null) return null;
  return line.slice(line.indexOf(':') + 1).replace(/\s+/g, ' ').trim();
}

const MACHINE_SENDER = /^(mailer-daemon|postmaster|no-?reply|do-?not-?reply|bounces?|auto-?reply|autoresponder)([+._-].*)?$/i;

/** Why this mail was sent by a machine, or null when a person sent it. */
export function automatedReason(lines: HeaderLines, fromAddress: string | null): string | null {
  const autoSubmitted = header(lines, 'auto-submitted');
  if (autoSubmitted && autoSubmitted.toLowerCase().split(';')[0]!.trim() !== 'no') return `Auto-Submitted: ${autoSubmitted}`;
  const precedence = header(lines, 'precedence');
  if (precedence && /^(bulk|list|junk|auto_reply)$/i.test(precedence)) return `Precedence: ${precedence}`;
  if (header(lines, 'list-id') != null) return 'List-Id (mailing list)';
  if (header(lines, 'list-unsubscribe') != null) return 'List-Unsubscribe (bulk mail)';
  const suppress = header(lines, 'x-auto-response-suppress');
  if (suppress && !/^none$/i.test(suppress)) return `X-Auto-Response-Suppress: ${suppress}`;
  if (header(lines, 'x-autoreply') != null || header(lines, 'x-autorespond') != null) return 'X-Autoreply';
  const returnPath = header(lines, 'return-path');
  if (returnPath === '<>') return 'empty Return-Path (a bounce or notification)';
  const local = fromAddress?.split('@')[0];
  if (local && MACHINE_SENDER.test(local)) return `machine sender (${fromAddress})`;
  return null;
}

export interface Bounce {
  /** Message-IDs of the mail that bounced, as found in the report. */
  originalMessageIds: string[];
  reason: string;
}

const MESSAGE_ID_LINE = /^(?:original-)?message-id:\s*(<[^>\s]+>)/gim;

/** A delivery status notification (RFC 3464) or a bounce that looks like one; null otherwise. */
export function bounceOf(mail: ParsedMail, fromAddress: string | null): Bounce | null {
  const type = mail.headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  const isReport = type?.value === 'multipart/report' && /delivery-status/i.test(type.params?.['report-type'] ?? '');
  const fromDaemon = !!fromAddress && /^(mailer-daemon|postmaster)@/i.test(fromAddress);
  if (!isReport && !(fromDaemon && /undeliver|delivery (status|failure)|returned mail|failure notice/i.test(mail.subject ?? ''))) return null;
  const ids = new Set<string>();
  for (const a of mail.attachments) {
    if (!/^(message\/rfc822|text\/rfc822-headers|message\/delivery-status)$/i.test(a.contentType)) continue;
    for (const m of a.content.toString('utf8').matchAll(MESSAGE_ID_LINE)) ids.add(m[1]!);
  }
  for (const m of (mail.text ?? '').matchAll(MESSAGE_ID_LINE)) ids.add(m[1]!);
  const body = mail.text ?? '';
  const diagnostic = /^diagnostic-code:\s*(?:smtp;\s*)?(.+)$/im.exec(body)?.[1];
  const status = /^status:\s*([245]\.\d{1,3}\.\d{1,3})/im.exec(body)?.[1];
  const recipient = /^final-recipient:\s*(?:rfc822;\s*)?(.+)$/im.exec(body)?.[1];
  const reason = [
    'bounced',
    recipient ? `for ${recipient.trim()}` : null,
    diagnostic ? `: ${diagnostic.trim()}` : status ? `: status ${status}` : `: ${mail.subject ?? 'delivery failed'}`,
  ]
    .filter(Boolean)
    .join(' ')
    .replace(' :', ':');
  return { originalMessageIds: [...ids], reason };
}
