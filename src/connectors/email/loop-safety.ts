// RFC 3834 and the habits of real mail systems: which mail was sent by a machine (and so
// must never be answered automatically). Bounces are read in delivery-status.ts.
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
