// Who a widget visitor is, and whether they are here. An anonymous visitor gets an id and a
// token we signed (kept in their browser); a site may vouch for a logged-in user with an
// HMAC of their id and email, which makes them the same contact on every device. Claims
// that are not signed are ignored.
import crypto from 'node:crypto';
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
