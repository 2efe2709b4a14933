// Runs the channels that pull from their provider (IMAP today; X polling next) in the
// worker role: one reader per inbox across every worker process, guaranteed by a PostgreSQL
// advisory lock held while it runs. Inboxes created, changed or removed are picked up on the
// next scan; a reader that cannot start (a missing secret) is retried on each scan.
import type pg from 'pg';
import type { Database, Inbox } from '../../platform/db/client';
import { errorMessage } from '../../platform/errors';
import type { Logger } from '../../platform/logger';
import type { ConnectorRegistry } from './registry';
import type { ConnectorContext } from './contract';

interface Running {
  version: string;
  stop(): Promise<void>;
}

export interface ChannelRunnerOptions {
  db: Database;
  connectors: ConnectorRegistry;
  /** Handed to each connector's startInbox. */
  ctx: ConnectorContext;
  logger: Logger;
  /** How often inboxes are looked at for ones to start, stop or restart (CHANNEL_RESCAN_MS, default 10 s). */
  rescanMs: number;
}

export class ChannelRunner {
  private readonly running = new Map<string, Running>();
  private readonly failing = new Map<string, string>();
  private lockClient: pg.PoolClient | null = null;
  private timer: NodeJS.Timeout | null = null;
  private scanning: Promise<void> | null = null;
  private stopped = false;

  private readonly db: Database;
  private readonly connectors: ConnectorRegistry;
  private readonly ctx: ConnectorContext;
  private readonly logger: Logger;
  private readonly rescanMs: number;

  constructor(o: ChannelRunnerOptions) {
    ({ db: this.db, connectors: this.connectors, ctx: this.ctx, logger: this.logger, rescanMs: this.rescanMs } = o);
  }

  start(): void {
    this.stopped = false;
    const tick = () => {
      void this.rescan().finally(() => {
        if (!this.stopped) this.timer = setTimeout(tick, this.rescanMs);
      });
    };
    tick();
  }

  /** Readers this process runs, and inboxes whose reader could not start (metrics, health). */
  health(): { running: number; failing: number } {
    return { running: this.running.size, failing: this.failing.size };
  }

  /** Starts, restarts and stops readers to match the inboxes now (also called after an inbox changes). */
  rescan(): Promise<void> {
    this.scanning ??= this.scan().finally(() => (this.scanning = null));
    return this.scanning;
  }

  /** Inbox ids this process reads now. */
  runningInboxes(): string[] {
    return [...this.running.keys()];
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.scanning;
    await Promise.all([...this.running.keys()].map((id) => this.stopOne(id)));
    this.lockClient?.release();
    this.lockClient = null;
  }

  private async scan(): Promise<void> {
    if (this.stopped) return;
    const kinds = this.connectors.all().filter((c) => c.startInbox).map((c) => c.kind);
    if (!kinds.length) return;
    try {
      const inboxes = await this.db.prisma.inbox.findMany({ where: { kind: { in: kinds } } });
      const wanted = new Map(inboxes.map((i) => [i.id, i]));
      for (const id of [...this.running.keys()]) {
        const inbox = wanted.get(id);
        if (!inbox || this.running.get(id)!.version !== versionOf(inbox)) await this.stopOne(id);
      }
      for (const inbox of inboxes) if (!this.running.has(inbox.id) && !this.stopped) await this.startOne(inbox);
    } catch (err) {
      this.logger.warn({ err: errorMessage(err) }, 'could not scan inboxes for channel readers; next scan retries');
      // The lock connection may be what failed: its locks are gone with it.
      if (this.lockClient) {
        this.lockClient.release(true);
        this.lockClient = null;
        await Promise.all([...this.running.keys()].map((id) => this.stopOne(id, false)));
      }
    }
  }

  private async lock(inboxId: string, take: boolean): Promise<boolean> {
    this.lockClient ??= await this.db.pool.connect();
    const fn = take ? 'pg_try_advisory_lock' : 'pg_advisory_unlock';
    const { rows } = await this.lockClient.query<{ ok: boolean }>(`SELECT ${fn}(hashtext('channel-reader'), hashtext($1)) AS ok`, [inboxId]);
    return rows[0]!.ok;
  }

  private async startOne(inbox: Inbox): Promise<void> {
    const connector = this.connectors.get(inbox.kind);
    if (!(await this.lock(inbox.id, true))) return; // another worker reads it
    try {
      const handle = await connector.startInbox!(this.ctx, inbox);
      this.running.set(inbox.id, { version: versionOf(inbox), stop: handle.stop });
      this.failing.delete(inbox.id);
      this.logger.info({ inboxId: inbox.id, kind: inbox.kind, name: inbox.name }, 'channel reader started');
    } catch (err) {
      await this.lock(inbox.id, false);
      const reason = errorMessage(err);
      // Said once per distinct reason, not on every scan.
      if (this.failing.get(inbox.id) !== reason) this.logger.error({ inboxId: inbox.id, name: inbox.name, err: reason }, 'channel reader cannot start');
      this.failing.set(inbox.id, reason);
    }
  }

  private async stopOne(inboxId: string, unlock = true): Promise<void> {
    const r = this.running.get(inboxId);
    this.running.delete(inboxId);
    await r?.stop().catch((err: unknown) => this.logger.warn({ inboxId, err: errorMessage(err) }, 'channel reader did not stop cleanly'));
    if (unlock && this.lockClient) await this.lock(inboxId, false).catch(() => {});
  }
}

const versionOf = (i: Inbox) => `${i.updatedAt.getTime()}|${JSON.stringify(i.config)}|${JSON.stringify(i.secretRefs)}`;
