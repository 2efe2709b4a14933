// Follows one mailbox of an email inbox over IMAP: backfill on first start, then IDLE for
// push; resumes from the last UID it stored (per UIDVALIDITY), resyncs when UIDVALIDITY
// changes, reconnects with backoff. A mail that cannot be read is recorded once as a dead
// letter and skipped; nothing else moves the cursor past a mail that was not stored.
import type { ImapFlow, MailboxObject } from 'imapflow';
import type { Inbox } from '../../platform/db/client';
import { ValidationError, errorMessage } from '../../platform/errors';
import type { Logger } from '../../platform/logger';
import type { ConnectorContext } from '../../inbox/channels/contract';
import { readMail } from './parse';
import type { EmailInboxConfig } from './setup';
import { explainMailError, openImap } from './transport';

interface Cursor {
  uidValidity: string;
  lastUid: number;
  /** Start of the window the first backfill read: a resync reads the same window. */
  since: string;
}

const CHUNK = 250;
/** Even with IDLE, look again this often: some servers drop IDLE silently. */
const POLL_MS = 5 * 60_000;

export interface ReaderTiming {
  retryMinMs: number;
  retryMaxMs: number;
}

export interface MailboxReaderOptions {
  ctx: ConnectorContext;
  inbox: Inbox;
  cfg: EmailInboxConfig;
  /** The folder read (INBOX by default in the inbox's settings). */
  mailbox: string;
  /** The IMAP password (from the inbox's secret reference). */
  password: string;
  /** Reconnect back-off (EMAIL_RETRY_MIN_MS, doubling up to a minute). */
  timing: ReaderTiming;
}

/** Failures that are about the mail itself: recorded and skipped. Others (database down) are retried. */
class UnreadableMail extends Error {}

export class MailboxReader {
  private stopped = false;
  private client: ImapFlow | null = null;
  private wake: (() => void) | null = null;
  private loop: Promise<void> = Promise.resolve();
  private readonly log: Logger;
  private readonly cursorKey: string;

  private readonly ctx: ConnectorContext;
  private readonly inbox: Inbox;
  private readonly cfg: EmailInboxConfig;
  private readonly mailbox: string;
  private readonly password: string;
  private readonly timing: ReaderTiming;

  constructor(o: MailboxReaderOptions) {
    ({ ctx: this.ctx, inbox: this.inbox, cfg: this.cfg, mailbox: this.mailbox, password: this.password, timing: this.timing } = o);
    const { ctx, inbox, mailbox } = o;
    this.log = ctx.logger.child({ inboxId: inbox.id, mailbox });
    this.cursorKey = `imap:${mailbox}`;
  }

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    const c = this.client;
    if (c?.usable) await c.logout().catch(() => c.close());
    else c?.close();
    await this.loop;
  }

  private async run(): Promise<void> {
    let attempt = 0;
    while (!this.stopped) {
      try {
        await this.session(() => (attempt = 0));
      } catch (err) {
        if (this.stopped) break;
        this.log.warn({ err: explainMailError('IMAP', this.cfg.imap, err) }, 'mailbox connection lost');
      }
      if (this.stopped) break;
      const delay = Math.min(this.timing.retryMaxMs, this.timing.retryMinMs * 2 ** attempt) * (0.75 + Math.random() / 4);
      attempt++;
      this.log.info({ inMs: Math.round(delay), attempt }, 'reconnecting to the mailbox');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, delay);
        this.wake = () => (clearTimeout(t), resolve());
      });
    }
  }

  private async session(connected: () => void): Promise<void> {
    const client = openImap(this.cfg, this.password);
    this.client = client;
    let dirty = true;
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.on('error', (err: unknown) => this.log.debug({ err: errorMessage(err) }, 'IMAP error'));
    client.on('exists', () => {
      dirty = true;
      this.wake?.();
    });
    try {
      await client.connect();
      const box = await client.mailboxOpen(this.mailbox);
      connected();
      this.log.info({ exists: box.exists, uidValidity: String(box.uidValidity) }, 'mailbox open');
      await this.catchUp(client, box);
      while (!this.stopped && client.usable) {
        if (dirty) {
          dirty = false;
          await this.fetchNew(client, box);
          // Mail that arrived while we were fetching: fetch again before waiting.
          if (dirty) continue;
        }
        await Promise.race([
          closed,
          new Promise<void>((resolve) => {
            const t = setTimeout(() => ((dirty = true), resolve()), POLL_MS);
            this.wake = () => (clearTimeout(t), resolve());
          }),
        ]);
      }
    } finally {
      if (client.usable) await client.logout().catch(() => client.close());
    }
    if (!this.stopped) throw new Error('the IMAP connection closed');
  }

  /** First start: the backfill window. UIDVALIDITY changed: read the same window again (stored mail is skipped as a duplicate). */
  private async catchUp(client: ImapFlow, box: MailboxObject): Promise<void> {
    const cursor = await this.ctx.cursors.get<Cursor>(this.inbox.id, this.cursorKey);
    const uidValidity = String(box.uidValidity);
    if (cursor && cursor.uidValidity === uidValidity) return;
    const since = cursor ? new Date(cursor.since) : new Date(Date.now() - this.cfg.backfillDays * 86_400_000);
    if (cursor) this.log.warn({ was: cursor.uidValidity, now: uidValidity }, 'UIDVALIDITY changed: reading the mailbox again');
    const found = this.cfg.backfillDays > 0 || cursor ? await client.search({ since }, { uid: true }) : [];
    const uids = (found || []).sort((a, b) => a - b);
    const lastUid = Math.max(0, Number(box.uidNext ?? 1) - 1);
    // Everything before uidNext is now either read or older than the window.
    await this.process(client, uids, cursor ? 'resync' : 'backfill', { uidValidity, lastUid: 0, since: since.toISOString() });
    await this.ctx.cursors.set(this.inbox.id, this.cursorKey, { uidValidity, lastUid: Math.max(lastUid, uids.at(-1) ?? 0), since: since.toISOString() });
  }

  private async fetchNew(client: ImapFlow, box: MailboxObject): Promise<void> {
    const cursor = await this.ctx.cursors.get<Cursor>(this.inbox.id, this.cursorKey);
    if (!cursor || cursor.uidValidity !== String(box.uidValidity)) return this.catchUp(client, box);
    const found = await client.search({ uid: `${cursor.lastUid + 1}:*` }, { uid: true });
    // "n:*" always matches the newest mail, even when it is older than n.
    const uids = (found || []).filter((u) => u > cursor.lastUid).sort((a, b) => a - b);
    if (uids.length) await this.process(client, uids, 'new mail', cursor);
  }

  private async process(client: ImapFlow, uids: number[], label: string, cursor: Cursor): Promise<void> {
    if (!uids.length) return;
    const started = performance.now();
    let done = 0;
    for (let i = 0; i < uids.length; i += CHUNK) {
      const chunk = uids.slice(i, i + CHUNK);
      const mails: Array<{ uid: number; source: Buffer }> = [];
      // Collected first: no other IMAP command may run inside a FETCH.
      for await (const m of client.fetch(chunk.join(','), { uid: true, source: true }, { uid: true })) {
        if (m.source) mails.push({ uid: m.uid, source: m.source });
      }
      await Promise.all(mails.map((m) => this.store(m.uid, m.source, cursor.uidValidity)));
      done += chunk.length;
      if (cursor.lastUid < chunk.at(-1)! && label !== 'backfill' && label !== 'resync') {
        cursor = { ...cursor, lastUid: chunk.at(-1)! };
        await this.ctx.cursors.set(this.inbox.id, this.cursorKey, { ...cursor });
      }
      if (uids.length > CHUNK) this.log.info({ done, total: uids.length, label }, `${label}: ${done}/${uids.length} mails`);
    }
    this.log.info({ mails: uids.length, label, ms: Math.round(performance.now() - started) }, `${label}: stored`);
  }

  private async store(uid: number, source: Buffer, uidValidity: string): Promise<void> {
    const key = `${this.mailbox}/${uidValidity}/${uid}`;
    try {
      const read = await readMail(source, { address: this.cfg.address, maxAttachmentBytes: this.cfg.maxAttachmentBytes }).catch((err: unknown) => {
        throw new UnreadableMail(`the mail could not be parsed: ${errorMessage(err)}`);
      });
      if (read.kind === 'delivery-report') {
        const { status, reason, originalMessageIds } = read.report;
        let matched = 0;
        for (const id of originalMessageIds) {
          const found = status === 'delayed' ? await this.ctx.deliveryReports.delayed(this.inbox.id, id, reason) : await this.ctx.deliveryReports.report(this.inbox.id, id, status, reason);
          if (found) matched++;
        }
        this.log.info({ uid, matched, status, reason }, matched ? 'delivery report recorded on the mail it is about' : 'delivery report on mail we did not send: ignored');
        return;
      }
      const attachments = [];
      for (const a of read.attachments) {
        const storageKey = a.content ? await this.ctx.attachments.put(a.content) : undefined;
        attachments.push({ fileName: a.fileName, contentType: a.contentType, size: a.size, inline: a.inline, storageKey });
      }
      const metadata = { ...read.message.metadata, email: { ...(read.message.metadata?.email as object), mailbox: this.mailbox, uid } };
      await this.ctx.intake.accept(this.inbox.id, { ...read.message, attachments, metadata }).catch((err: unknown) => {
        if (err instanceof ValidationError) throw new UnreadableMail(`the mail could not be stored: ${err.message}: ${JSON.stringify(err.details)}`);
        throw err;
      });
    } catch (err) {
      if (!(err instanceof UnreadableMail)) throw err;
      const fresh = await this.ctx.deadLetters.record(this.inbox.id, key, err.message, { mailbox: this.mailbox, uid, uidValidity, bytes: source.length });
      if (fresh) this.log.warn({ uid, err: err.message }, 'mail kept as a dead letter and skipped');
    }
  }
}
