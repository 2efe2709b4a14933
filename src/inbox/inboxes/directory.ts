// Looks up inboxes for the hot paths (every inbound webhook and pipeline run) with a short
// cache, and checks inbox tokens. Tokens are stored only as SHA-256 hashes.
import crypto from 'node:crypto';
import type { ChannelKind, Inbox, PrismaClient } from '../../platform/db/client';
import { NotFoundError, UnauthorizedError } from '../../platform/errors';
import { TtlCache, isUuid } from '../../platform/ttl-cache';
import type { InboxLookup } from '../channels/contract';

export const hashToken = (token: string) => crypto.createHash('sha256').update(token).digest('hex');
export const newToken = (bytes = 24) => crypto.randomBytes(bytes).toString('base64url');

export class InboxDirectory implements InboxLookup {
  private cache = new TtlCache<string, Inbox | null>(5_000);

  constructor(private readonly prisma: PrismaClient) {}

  async find(id: string): Promise<Inbox | null> {
    if (!isUuid(id)) return null;
    const cached = this.cache.get(id);
    if (cached !== undefined) return cached;
    const inbox = await this.prisma.inbox.findUnique({ where: { id } });
    this.cache.set(id, inbox);
    return inbox;
  }

  async get(id: string): Promise<Inbox> {
    const inbox = await this.find(id);
    if (!inbox) throw new NotFoundError('Inbox');
    return inbox;
  }

  /** The inbox, if `token` is its API token. Unknown inbox: 404; wrong token: 401. */
  async authenticate(id: string, token: string | undefined): Promise<Inbox> {
    const inbox = await this.get(id);
    if (!token) throw new UnauthorizedError('This inbox needs its token: send "Authorization: Bearer <inbox token>"');
    const given = Buffer.from(hashToken(token));
    const expected = Buffer.from(inbox.tokenHash ?? '');
    if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) {
      throw new UnauthorizedError('The inbox token is not valid for this inbox');
    }
    return inbox;
  }

  /** Uncached: an inbox created a moment ago must take its first webhook. */
  async ofKind(kinds: ChannelKind[]): Promise<Inbox[]> {
    return this.prisma.inbox.findMany({ where: { kind: { in: kinds } }, orderBy: { createdAt: 'asc' } });
  }

  invalidate(id: string): void {
    this.cache.delete(id);
  }
}
