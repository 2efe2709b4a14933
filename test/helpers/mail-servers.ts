// Real mail servers for the email channel's tests, on loopback: Debian's Dovecot (IMAP)
// started per test file in its own folder, and an SMTP receiver (npm smtp-server) that
// keeps every mail it is given.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { ensureDebianPackage } from '../setup/debian';
import { eventually } from './http';
import { canConnect, freePort } from './ports';

export const MAIL_PASSWORD = 'imap-test-secret';

export interface Dovecot {
  host: string;
  port: number;
  /** Puts a raw mail into a user's mailbox, as delivery would. */
  deliver(user: string, raw: string | Buffer, mailbox?: string): Promise<void>;
  /** An IMAP session as the user (for changing the mailbox under the product's feet). */
  session<T>(user: string, fn: (c: ImapFlow) => Promise<T>): Promise<T>;
  /** Stops the server, keeping its mail (start() brings it back). */
  halt(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

const waitFor = async (check: () => Promise<boolean>, what: string) => void (await eventually(check, { what, timeoutMs: 5_000 }));

export async function startDovecot(users: string[]): Promise<Dovecot> {
  ensureDebianPackage('dovecot', 'dovecot-imapd', 'the email channel is tested against a real IMAP server');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dovecot-'));
  fs.chmodSync(dir, 0o755);
  for (const d of ['run', 'state', 'mail']) fs.mkdirSync(path.join(dir, d));
  const root = process.getuid?.() === 0;
  const me = os.userInfo().username;
  if (root) execFileSync('chown', ['nobody:nogroup', path.join(dir, 'mail')]);
  fs.writeFileSync(path.join(dir, 'users'), users.map((u) => `${u}:{PLAIN}${MAIL_PASSWORD}\n`).join(''));
  const port = await freePort();
  fs.writeFileSync(
    path.join(dir, 'dovecot.conf'),
    `protocols = imap
listen = 127.0.0.1
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:${dir}/mail/%u/Maildir
mail_uid = ${root ? 'nobody' : me}
mail_gid = ${root ? 'nogroup' : me}
first_valid_uid = 1
${root ? '' : `default_internal_user = ${me}\ndefault_login_user = ${me}\ndefault_internal_group = ${me}\n`}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/users
}
userdb {
  driver = static
  args = home=${dir}/mail/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
`,
  );
  const conf = path.join(dir, 'dovecot.conf');
  const pidFile = path.join(dir, 'run', 'master.pid');
  const start = async () => {
    // Detached stdio: dovecot daemonises, and a pipe left open would hold the test runner.
    const p = spawn('dovecot', ['-c', conf], { stdio: 'ignore' });
    await new Promise((r) => p.once('exit', r));
    await waitFor(() => canConnect(port), `Dovecot listening on ${port} (see ${dir}/dovecot.log)`);
  };
  const stop = async () => {
    if (!fs.existsSync(pidFile)) return;
    const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      return;
    }
    await waitFor(async () => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    }, 'Dovecot stopping');
  };
  await start();
  const session = async <T>(user: string, fn: (c: ImapFlow) => Promise<T>): Promise<T> => {
    const c = new ImapFlow({ host: '127.0.0.1', port, secure: false, auth: { user, pass: MAIL_PASSWORD }, logger: false });
    c.on('error', () => {});
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.logout().catch(() => c.close());
    }
  };
  return {
    host: '127.0.0.1',
    port,
    start,
    session,
    deliver: (user, raw, mailbox = 'INBOX') =>
      session(user, async (c) => {
        await c.append(mailbox, typeof raw === 'string' ? Buffer.from(raw.replace(/\r?\n/g, '\r\n')) : raw);
      }),
    halt: stop,
    stop: async () => {
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface CapturedMail {
  raw: Buffer;
  parsed: ParsedMail;
  envelope: { from: string; to: string[] };
}

export interface SmtpCapture {
  port: number;
  mails: CapturedMail[];
  /** Called for each mail received (an auto-responder, a bounce generator). */
  onMail: ((m: CapturedMail) => void | Promise<void>) | null;
  /** Reject the next n mails with this SMTP reply code (e.g. 451 try later, 550 no such user). */
  rejectNext(n: number, code: number): void;
  stop(): Promise<void>;
}

export async function startSmtpCapture(): Promise<SmtpCapture> {
  const port = await freePort();
  let rejects = 0;
  let rejectCode = 451;
  const capture: SmtpCapture = {
    port,
    mails: [],
    onMail: null,
    rejectNext: (n, code) => {
      rejects = n;
      rejectCode = code;
    },
    stop: () => new Promise((r) => server.close(() => r())),
  };
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: false,
    onAuth: (auth, _session, cb) => (auth.password === MAIL_PASSWORD ? cb(null, { user: auth.username }) : cb(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }))),
    onData: (stream, session, cb) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (rejects > 0) {
          rejects--;
          return cb(Object.assign(new Error(rejectCode >= 500 ? 'No such user here' : 'Try again later'), { responseCode: rejectCode }));
        }
        const raw = Buffer.concat(chunks);
        void simpleParser(raw).then(async (parsed) => {
          const m: CapturedMail = {
            raw,
            parsed,
            envelope: { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address) },
          };
          capture.mails.push(m);
          cb();
          await capture.onMail?.(m);
        });
      });
    },
    logger: false,
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return capture;
}
