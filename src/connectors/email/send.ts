// Sends an agent's reply (or an automatic one) over the inbox's SMTP server.
import type { Transporter } from 'nodemailer';
import { ProviderError } from '../../platform/errors';
import { PermanentJobError } from '../../platform/queue';
import type { ConnectorContext, OutboundMessage, SendResult } from '../../inbox/channels/contract';
import { composeMail } from './compose';
import { emailInboxConfigSchema } from './setup';
import { explainMailError, smtpPassword, smtpTransport } from './transport';

// One pooled transport per inbox and settings: SMTP connections are reused across replies.
const transports = new Map<string, { settings: string; transport: Transporter }>();

function transportFor(ctx: ConnectorContext, out: OutboundMessage, cfg: ReturnType<typeof emailInboxConfigSchema.parse>): Transporter {
  const password = smtpPassword(ctx.secrets, out.inbox);
  const settings = JSON.stringify([cfg.smtp, cfg.address, password.length, out.inbox.updatedAt]);
  const known = transports.get(out.inbox.id);
  if (known && known.settings === settings) return known.transport;
  known?.transport.close();
  const transport = smtpTransport(cfg, password);
  transports.set(out.inbox.id, { settings, transport });
  return transport;
}

export async function sendEmail(ctx: ConnectorContext, out: OutboundMessage): Promise<SendResult> {
  const cfg = emailInboxConfigSchema.parse(out.inbox.config ?? {});
  const email = out.identities.find((i) => i.kind === 'email')?.address ?? out.contact.email;
  if (!email) throw new PermanentJobError('the customer has no email address to reply to');
  const mail = composeMail(cfg, out, { address: email, name: out.contact.name });
  let transport: Transporter;
  try {
    transport = transportFor(ctx, out, cfg);
  } catch (err) {
    throw new PermanentJobError(err instanceof Error ? err.message : String(err));
  }
  try {
    const info = (await transport.sendMail(mail)) as { messageId?: string; response?: string; rejected?: unknown[] };
    return { externalId: mail.messageId, status: 'sent', metadata: { email: { messageId: mail.messageId, to: email, smtpResponse: info.response ?? null } } };
  } catch (err) {
    const code = (err as { responseCode?: number }).responseCode;
    // 5xx: the server said no for good (unknown recipient, refused login); 4xx and network errors may pass later.
    const permanent = typeof code === 'number' && code >= 500 && code < 600;
    throw new ProviderError(`sending mail to ${email}`, explainMailError('SMTP', cfg.smtp, err), !permanent);
  }
}

export function closeTransports(): void {
  for (const t of transports.values()) t.transport.close();
  transports.clear();
}
