import type { Connector } from '../../inbox/channels/contract';
import { testEmailConnection } from './connection-test';
import { MailboxReader } from './imap-reader';
import { sendEmail } from './send';
import { emailInboxConfigSchema } from './setup';
import { imapPassword } from './transport';

export const emailConnector: Connector = {
  kind: 'email',
  configSchema: emailInboxConfigSchema,
  send: sendEmail,
  testConnection: testEmailConnection,
  async startInbox(ctx, inbox) {
    const cfg = emailInboxConfigSchema.parse(inbox.config ?? {});
    const password = imapPassword(ctx.secrets, inbox);
    const timing = { retryMinMs: ctx.config.EMAIL_RETRY_MIN_MS, retryMaxMs: 60_000 };
    const readers = cfg.imap.mailboxes.map((box) => new MailboxReader({ ctx, inbox, cfg, mailbox: box, password, timing }));
    for (const r of readers) r.start();
    return { stop: async () => void (await Promise.all(readers.map((r) => r.stop()))) };
  },
  describeNewInbox: (_ctx, inbox) => {
    const cfg = emailInboxConfigSchema.parse(inbox.config ?? {});
    return {
      next: `Set the environment variable named in secretRefs.password on the worker, then POST /api/v1/inboxes/${inbox.id}/test-connection. Mail sent to ${cfg.address} arrives within seconds (IMAP IDLE).`,
    };
  },
};
