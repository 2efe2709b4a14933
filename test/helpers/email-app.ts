// The product with real email inboxes: Dovecot holds the mailboxes, an SMTP receiver
// captures what we send, and the inboxes are created through the API as an admin would.
import { startTestApp, type TestApp } from './app';
import { createAgent } from './fixtures';
import { eventually as poll, login, request } from './http';
import { MAIL_PASSWORD, startDovecot, startSmtpCapture, type Dovecot, type SmtpCapture } from './mail-servers';

export interface EmailWorld {
  t: TestApp;
  imap: Dovecot;
  smtp: SmtpCapture;
  admin: string;
  inboxes: Record<string, string>;
  /** Creates an email inbox for `address` (a Dovecot user) through the API. */
  addInbox(name: string, address: string, extra?: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

export async function emailWorld(o: { users: string[]; env?: Record<string, string>; now?: () => Date }): Promise<EmailWorld> {
  const imap = await startDovecot(o.users);
  const smtp = await startSmtpCapture();
  // Inbox secrets are read from the worker's environment, as in production.
  process.env.SUPPORT_MAIL_PASSWORD = MAIL_PASSWORD;
  const t = await startTestApp({ env: { CHANNEL_RESCAN_MS: '200', EMAIL_RETRY_MIN_MS: '100', ...o.env }, now: o.now });
  const adminAgent = await createAgent(t.prisma, { role: 'admin', name: 'Ada Admin' });
  const admin = await login(t.url, adminAgent.email);
  const world: EmailWorld = {
    t, imap, smtp, admin, inboxes: {},
    addInbox: async (name, address, extra = {}) => {
      const r = await request<{ id: string }>(`${t.url}/api/v1/inboxes`, {
        token: admin,
        body: {
          kind: 'email',
          name,
          config: {
            address,
            fromName: name,
            imap: { host: imap.host, port: imap.port, security: 'none' },
            smtp: { host: '127.0.0.1', port: smtp.port, security: 'none' },
            ...extra,
          },
          secretRefs: { password: 'env:SUPPORT_MAIL_PASSWORD' },
          memberIds: [adminAgent.id],
        },
      });
      if (r.status !== 201) throw new Error(`creating the inbox failed: ${r.status} ${JSON.stringify(r.body)}`);
      world.inboxes[name] = r.body.id;
      await t.app.worker!.channels.rescan();
      return r.body.id;
    },
    close: async () => {
      await t.close();
      await smtp.stop();
      await imap.stop();
    },
  };
  return world;
}

/** The suite's poll (helpers/http.ts) with the channels' longer default: real servers take their time. */
export const eventually = <T>(check: () => Promise<T | null | undefined | false>, what: string, ms = 15_000): Promise<T> => poll(check, { what, timeoutMs: ms });
