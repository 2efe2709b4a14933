// What a channel remembers between runs, per inbox: cursors (how far it has read) and dead
// letters (items it could not read, kept once so they are shown to admins and skipped).
import type { Database, Prisma } from '../../platform/db/client';
import type { CursorStore, DeadLetterStore } from './contract';

export class ChannelCursors implements CursorStore {
  constructor(private readonly db: Database) {}

  async get<T>(inboxId: string, key: string): Promise<T | null> {
    const row = await this.db.prisma.channelCursor.findUnique({ where: { inboxId_key: { inboxId, key } } });
    return (row?.value as T | undefined) ?? null;
  }

  async set(inboxId: string, key: string, value: Prisma.InputJsonValue): Promise<void> {
    await this.db.prisma.channelCursor.upsert({
      where: { inboxId_key: { inboxId, key } },
      create: { inboxId, key, value },
      update: { value },
    });
  }
}

export interface DeadLetterView {
  id: string;
  key: string;
  error: string;
  detail: unknown;
  createdAt: string;
}

export class ChannelDeadLetters implements DeadLetterStore {
  constructor(private readonly db: Database) {}

  /** Records an item once; answers false when it was already recorded. */
  async record(inboxId: string, key: string, error: string, detail: Prisma.InputJsonValue = {}): Promise<boolean> {
    const rows = await this.db.prisma.$executeRaw`
      INSERT INTO channel_dead_letters (inbox_id, key, error, detail) VALUES (${inboxId}::uuid, ${key}, ${error.slice(0, 2000)}, ${JSON.stringify(detail)}::jsonb)
      ON CONFLICT (inbox_id, key) DO NOTHING`;
    return rows > 0;
  }

  async has(inboxId: string, key: string): Promise<boolean> {
    return (await this.db.prisma.channelDeadLetter.count({ where: { inboxId, key } })) > 0;
  }

  async list(inboxId: string, limit = 100): Promise<DeadLetterView[]> {
    const rows = await this.db.prisma.channelDeadLetter.findMany({ where: { inboxId }, orderBy: { id: 'desc' }, take: limit });
    return rows.map((r) => ({ id: String(r.id), key: r.key, error: r.error, detail: r.detail, createdAt: r.createdAt.toISOString() }));
  }
}
