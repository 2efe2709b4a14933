// Email inbox settings: the address customers write to, how to read it (IMAP) and how to
// send from it (SMTP). The password is a secret reference (secretRefs.password, and
// secretRefs.smtpPassword when SMTP uses another), never stored.
import { z } from 'zod';

const security = z.enum(['tls', 'starttls', 'none']);
const host = z.string().trim().min(1).max(253).regex(/^[A-Za-z0-9.-]+$|^\[[0-9a-fA-F:]+\]$/, 'must be a host name or address');
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[?::1\]?)$/i;

const server = (defaults: { port: number; security: z.infer<typeof security> }) =>
  z
    .object({
      host,
      port: z.number().int().min(1).max(65535).default(defaults.port),
      security: security.default(defaults.security),
      /** The login; the inbox address when not given. */
      username: z.string().trim().min(1).max(320).optional(),
    })
    .strict()
    // Passwords never cross a network in clear text; plain connections are for a local relay or tests.
    .refine((s) => s.security !== 'none' || LOOPBACK.test(s.host), { message: 'security "none" (no TLS) is only allowed to this machine (localhost); use "tls" or "starttls"', path: ['security'] });

export const emailInboxConfigSchema = z
  .object({
    /** The address customers write to, e.g. support@acme.example. */
    address: z.email().max(320),
    /** Shown as the sender of replies, e.g. "Acme Support". */
    fromName: z.string().trim().max(100).optional(),
    imap: server({ port: 993, security: 'tls' }).extend({
      /** Folders to read; INBOX by default. */
      mailboxes: z.array(z.string().min(1).max(200)).min(1).max(20).default(['INBOX']),
    }),
    smtp: server({ port: 587, security: 'starttls' }),
    /** How many days of mail the first start reads. */
    backfillDays: z.number().int().min(0).max(365).default(14),
    /** Reply-To carries a per-conversation token (support+<token>@...). Turn off if the mail server has no plus-addressing. */
    plusAddressing: z.boolean().default(true),
    /** Attachments larger than this are listed but not kept. */
    maxAttachmentBytes: z.number().int().min(0).max(100 * 1024 * 1024).default(25 * 1024 * 1024),
    /** Show remote images in mail (they tell the sender when an agent read it). Off by default. */
    allowRemoteImages: z.boolean().default(false),
  })
  .strict();

export type EmailInboxConfig = z.infer<typeof emailInboxConfigSchema>;
export type ServerSettings = EmailInboxConfig['smtp'];

/** support@acme.example + token → support+token@acme.example */
export function replyAddress(address: string, token: string): string {
  const at = address.lastIndexOf('@');
  return `${address.slice(0, at)}+${token}@${address.slice(at + 1)}`;
}

/** The token in a plus address of our own inbox address, if any (support+<token>@acme.example). */
export function tokenInAddress(ours: string, candidate: string): string | null {
  const at = ours.lastIndexOf('@');
  const local = ours.slice(0, at).toLowerCase();
  const domain = ours.slice(at + 1).toLowerCase();
  const c = candidate.toLowerCase();
  if (!c.endsWith(`@${domain}`)) return null;
  const cLocal = c.slice(0, c.length - domain.length - 1);
  return cLocal.startsWith(`${local}+`) ? cLocal.slice(local.length + 1) || null : null;
}
