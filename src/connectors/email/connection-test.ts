// "Test connection": log in to IMAP, open every configured folder, greet the SMTP server
// and authenticate. Each step answers in words an admin can act on.
import type { Inbox } from '../../platform/db/client';
import { errorMessage } from '../../platform/errors';
import type { ConnectionCheck, ConnectorContext } from '../../inbox/channels/contract';
import { emailInboxConfigSchema } from './setup';
import { explainMailError, imapPassword, openImap, smtpPassword, smtpTransport } from './transport';

export async function testEmailConnection(ctx: ConnectorContext, inbox: Inbox): Promise<ConnectionCheck[]> {
  const cfg = emailInboxConfigSchema.parse(inbox.config ?? {});
  const checks: ConnectionCheck[] = [];
  const secret = (get: () => string) => {
    try {
      return get();
    } catch (err) {
      return new Error(errorMessage(err));
    }
  };

  const imapPass = secret(() => imapPassword(ctx.secrets, inbox));
  if (imapPass instanceof Error) {
    checks.push({ name: 'imap', ok: false, message: imapPass.message });
  } else {
    const client = openImap(cfg, imapPass);
    client.on('error', () => {});
    try {
      await client.connect();
      const missing: string[] = [];
      for (const box of cfg.imap.mailboxes) {
        const status = await client.status(box, { messages: true }).catch(() => false as const);
        if (!status) missing.push(box);
      }
      checks.push(
        missing.length
          ? { name: 'imap', ok: false, message: `Logged in to ${cfg.imap.host}, but the folder${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')} do${missing.length > 1 ? '' : 'es'} not exist.` }
          : { name: 'imap', ok: true, message: `Logged in to ${cfg.imap.host}:${cfg.imap.port} and opened ${cfg.imap.mailboxes.join(', ')}.` },
      );
    } catch (err) {
      checks.push({ name: 'imap', ok: false, message: explainMailError('IMAP', cfg.imap, err) });
    } finally {
      if (client.usable) await client.logout().catch(() => client.close());
      else client.close();
    }
  }

  const smtpPass = secret(() => smtpPassword(ctx.secrets, inbox));
  if (smtpPass instanceof Error) {
    checks.push({ name: 'smtp', ok: false, message: smtpPass.message });
  } else {
    const transport = smtpTransport(cfg, smtpPass);
    try {
      await transport.verify();
      checks.push({ name: 'smtp', ok: true, message: `The SMTP server ${cfg.smtp.host}:${cfg.smtp.port} accepted the login.` });
    } catch (err) {
      checks.push({ name: 'smtp', ok: false, message: explainMailError('SMTP', cfg.smtp, err) });
    } finally {
      transport.close();
    }
  }
  return checks;
}
