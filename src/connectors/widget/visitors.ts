// Who a widget visitor is, and whether they are here. An anonymous visitor gets an id and a
// token we signed (kept in their browser); a site may vouch for a logged-in user with an
// HMAC of their id and email, which makes them the same contact on every device. Claims
// that are not signed are ignored.
import crypto from 'node:crypto';
import type { Database } from '../../platform/db/client';
import { identitySecret, userHash } from './setup';

export interface VisitorClaim {
  visitor?: { id?: unknown; token?: unknown };
  user?: { id?: unknown; email?: unknown; name?: unknown; hash?: unknown };
}

export interface Visitor {
  id: string;
  token: string;
  /** Verified by the site's signature. */
  user: { id: string; email: string; name?: string } | null;
  threadKey: string;
}

const sign = (appSecret: string, inboxId: string, visitorId: string) =>
  crypto.createHmac('sha256', appSecret).update(`widget-visitor:${inboxId}:${visitorId}`).digest('base64url').slice(0, 32);

const same = (a: string, b: string) => a.length === b.length && crypto.timingSafeEqual(Buffer.from(a), Buffer.from(b));

export function identifyVisitor(appSecret: string, inboxId: string, claim: VisitorClaim): Visitor {
  const v = claim.visitor;
  const known = typeof v?.id === 'string' && typeof v.token === 'string' && /^[A-Za-z0-9_-]{16,64}$/.test(v.id) && same(sign(appSecret, inboxId, v.id), v.token);
  const id = known ? (v!.id as string) : crypto.randomBytes(16).toString('base64url');
  const u = claim.user;
  let user: Visitor['user'] = null;
  if (typeof u?.id === 'string' && typeof u.email === 'string' && typeof u.hash === 'string' && u.id.length <= 200 && /^[^\s@]+@[^\s@]+$/.test(u.email)) {
    if (same(userHash(identitySecret(appSecret, inboxId), u.id, u.email), u.hash.toLowerCase())) {
      user = { id: u.id, email: u.email.toLowerCase(), ...(typeof u.name === 'string' ? { name: u.name.slice(0, 200) } : {}) };
    }
  }
  return { id, token: sign(appSecret, inboxId, id), user, threadKey: user ? `user:${user.id}` : `visitor:${id}` };
}

export const widgetRoom = (inboxId: string, threadKey: string) => `widget:${inboxId}:${threadKey}`;

/** Presence in the database, so a worker knows whether a reply was seen. */
export class VisitorPresence {
  constructor(private readonly db: Database) {}

  async connected(inboxId: string, v: Visitor): Promise<void> {
    await this.db.pool.query(
      `INSERT INTO widget_visitors (id, inbox_id, thread_key, connected_at, disconnected_at, last_seen_at) VALUES ($1, $2, $3, now(), NULL, now())
       ON CONFLICT (id) DO UPDATE SET thread_key = EXCLUDED.thread_key, connected_at = now(), disconnected_at = NULL, last_seen_at = now()`,
      [v.id, inboxId, v.threadKey],
    );
  }

  async disconnected(visitorId: string): Promise<void> {
    await this.db.pool.query('UPDATE widget_visitors SET disconnected_at = now(), last_seen_at = now() WHERE id = $1', [visitorId]);
  }

  async seen(visitorIds: string[]): Promise<void> {
    if (visitorIds.length) await this.db.pool.query('UPDATE widget_visitors SET last_seen_at = now() WHERE id = ANY($1::text[])', [visitorIds]);
  }

  /** Someone of this thread is connected now (a crashed web node's visitors count as gone after two minutes). */
  async online(inboxId: string, threadKey: string): Promise<boolean> {
    const { rows } = await this.db.pool.query(
      `SELECT 1 FROM widget_visitors WHERE inbox_id = $1 AND thread_key = $2 AND disconnected_at IS NULL AND last_seen_at > now() - interval '2 minutes' LIMIT 1`,
      [inboxId, threadKey],
    );
    return rows.length > 0;
  }
}
