// A short token naming a conversation, put where a customer's reply will carry it back
// (an email Reply-To address, a widget session). HMAC-signed so that nobody can guess their
// way into another customer's conversation.
import crypto from 'node:crypto';

const SIG_LENGTH = 10;

function sign(reference: number, secret: string): string {
  return crypto.createHmac('sha256', secret).update(`conversation:${reference}`).digest('base64url').slice(0, SIG_LENGTH).toLowerCase();
}

/** e.g. "c1k2.x7f3a9q0bd": base-36 reference, dot, signature. Lower case: email local parts may be case-folded. */
export function conversationToken(reference: number, secret: string): string {
  return `c${reference.toString(36)}.${sign(reference, secret)}`;
}

/** The conversation reference in a token, or null when the token is malformed or forged. */
export function parseConversationToken(token: string, secret: string): number | null {
  const m = /^c([0-9a-z]{1,12})\.([0-9a-z_-]{10})$/.exec(token.toLowerCase());
  if (!m) return null;
  const reference = parseInt(m[1]!, 36);
  if (!Number.isSafeInteger(reference)) return null;
  const expected = sign(reference, secret);
  const given = m[2]!;
  return crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(given)) ? reference : null;
}
