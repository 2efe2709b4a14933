// Meta signs every webhook it posts (WhatsApp, Messenger, Instagram) with the app secret:
// X-Hub-Signature-256 is "sha256=" and the HMAC-SHA256 of the raw body.
import crypto from 'node:crypto';

export function metaSignature(appSecret: string, raw: Buffer): string {
  return `sha256=${crypto.createHmac('sha256', appSecret).update(raw).digest('hex')}`;
}

/** The body is the one Meta signed with this secret (compared in constant time). */
export function signedByMeta(appSecret: string, raw: Buffer | undefined, given: string | undefined): boolean {
  if (!raw || !given) return false;
  const want = Buffer.from(metaSignature(appSecret, raw));
  const got = Buffer.from(given);
  return want.length === got.length && crypto.timingSafeEqual(want, got);
}
