// Connections to the inbox's mail servers, and what their failures mean in plain words.
import { ImapFlow } from 'imapflow';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Inbox } from '../../platform/db/client';
import type { SecretResolver } from '../../inbox/channels/contract';
import type { EmailInboxConfig, ServerSettings } from './setup';

export function imapPassword(secrets: SecretResolver, inbox: Inbox): string {
  return secrets.get(inbox, 'password');
}

export function smtpPassword(secrets: SecretResolver, inbox: Inbox): string {
  const refs = (inbox.secretRefs ?? {}) as Record<string, unknown>;
  return secrets.get(inbox, refs.smtpPassword ? 'smtpPassword' : 'password');
}

export function openImap(cfg: EmailInboxConfig, password: string): ImapFlow {
  const s = cfg.imap;
  return new ImapFlow({
    host: s.host,
    port: s.port,
    // Without TLS from the start, imapflow upgrades with STARTTLS whenever the server offers it.
    secure: s.security === 'tls',
    auth: { user: s.username ?? cfg.address, pass: password },
    logger: false,
    connectionTimeout: 15_000,
    greetingTimeout: 10_000,
    socketTimeout: 5 * 60_000,
    // Re-issue IDLE every few minutes: some servers and NATs drop silent connections.
    maxIdleTime: 4 * 60_000,
    // IDLE soon after our last command (default 15 s): new mail is pushed within a second.
    // Our commands come in bursts, so the extra IDLE round trips are rare.
    autoIdleDelay: 250,
  });
}

export function smtpTransport(cfg: EmailInboxConfig, password: string): Transporter {
  const s = cfg.smtp;
  return nodemailer.createTransport({
    host: s.host,
    port: s.port,
    secure: s.security === 'tls',
    requireTLS: s.security === 'starttls',
    ignoreTLS: s.security === 'none',
    auth: { user: s.username ?? cfg.address, pass: password },
    connectionTimeout: 15_000,
    greetingTimeout: 10_000,
    socketTimeout: 60_000,
  });
}

interface MailError {
  code?: string;
  responseCode?: number;
  response?: string;
  authenticationFailed?: boolean;
  serverResponseCode?: string;
  responseText?: string;
  message?: string;
}

/** A failure of a mail server connection, said so that an admin knows what to change. */
export function explainMailError(kind: 'IMAP' | 'SMTP', server: ServerSettings, err: unknown): string {
  const e = (err ?? {}) as MailError;
  const where = `${kind} server ${server.host}:${server.port}`;
  const msg = e.message ?? String(err);
  if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') return `The ${kind} server name "${server.host}" could not be found. Check the host name.`;
  if (e.code === 'ECONNREFUSED') return `Nothing answered at ${where}. Check the port and that the server is running.`;
  if (e.code === 'ETIMEDOUT' || e.code === 'ETIMEOUT' || e.code === 'CONNECT_TIMEOUT' || /timed? ?out/i.test(msg)) return `The ${where} did not answer in time. Check the host, the port and any firewall in between.`;
  if (e.authenticationFailed || e.code === 'EAUTH' || e.serverResponseCode === 'AUTHENTICATIONFAILED' || e.responseCode === 535) {
    return `The ${kind} server refused the username or password (${server.username ?? 'the inbox address'}). Check them; some providers need an app password.`;
  }
  if (/wrong version number|ssl3_get_record|packet length too long|EPROTO/i.test(msg) || e.code === 'EPROTO') {
    return `The TLS handshake with ${where} failed: the port may expect ${server.security === 'tls' ? 'STARTTLS (security "starttls", usually port 587 or 143)' : 'TLS from the start (security "tls", usually port 465 or 993)'}.`;
  }
  if (/self[- ]signed|certificate|CERT_/i.test(msg)) return `The certificate of ${where} is not trusted: ${msg}`;
  if (/STARTTLS/i.test(msg)) return `The ${where} does not offer STARTTLS. Use security "tls" or a port that supports STARTTLS.`;
  if (e.code === 'ECONNRESET' || /closed|reset/i.test(msg)) return `The ${where} closed the connection: ${msg}`;
  return `${where}: ${e.responseText ?? e.response ?? msg}`;
}
