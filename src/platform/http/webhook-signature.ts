// How every webhook we send is signed (the way Stripe and GitHub sign theirs):
//   X-Inbox-Timestamp: <unix seconds>
//   X-Inbox-Signature: sha256=<hex HMAC-SHA256(secret, `${timestamp}.${body}`)>
// The receiver recomputes it over the raw body and rejects old timestamps (replays).
import crypto from 'node:crypto';

export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** The headers that carry the signature of `body`, signed now. */
export function signedWebhookHeaders(secret: string, body: string, now = Date.now()): Record<string, string> {
  const timestamp = String(Math.floor(now / 1000));
  return { 'x-inbox-timestamp': timestamp, 'x-inbox-signature': signWebhook(secret, timestamp, body) };
}
