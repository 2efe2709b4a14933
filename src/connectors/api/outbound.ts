// Agents' replies on an API inbox go to the inbox's webhook, signed the way Stripe and
// GitHub sign theirs: X-Inbox-Signature: sha256=HMAC(secret, `${timestamp}.${body}`).
import crypto from 'node:crypto';
import { ProviderError } from '../../platform/errors';
import type { ConnectorContext, OutboundMessage, SendResult } from '../../inbox/channels/contract';
import { apiInboxConfigSchema, webhookSecret } from './setup';

export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export async function sendApiReply(ctx: ConnectorContext, out: OutboundMessage): Promise<SendResult> {
  const config = apiInboxConfigSchema.parse(out.inbox.config ?? {});
  if (!config.webhookUrl) return { status: 'sent', metadata: { delivery: 'stored (no webhook configured)' } };
  const body = JSON.stringify({
    event: 'message.created',
    message: { id: out.message.id, text: out.message.text, html: out.message.html, automatic: out.message.automatic, createdAt: out.message.createdAt.toISOString() },
    conversation: { id: out.conversation.id, reference: out.conversation.reference },
    contact: out.contact,
    agent: out.agent,
  });
  const timestamp = String(Math.floor(Date.now() / 1000));
  let res: Response;
  try {
    res = await fetch(config.webhookUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-inbox-timestamp': timestamp,
        'x-inbox-signature': signWebhook(webhookSecret(ctx.config.appSecret, out.inbox.id), timestamp, body),
        'idempotency-key': out.message.id,
      },
      body,
      signal: AbortSignal.timeout(10_000),
    });
  } catch (err) {
    throw new ProviderError(`sending reply ${out.message.id} to webhook ${config.webhookUrl}`, err);
  }
  if (!res.ok) {
    // 4xx other than 408/429 will not get better by retrying.
    const retryable = res.status >= 500 || res.status === 408 || res.status === 429;
    throw new ProviderError(`sending reply ${out.message.id} to webhook ${config.webhookUrl}`, `HTTP ${res.status}`, retryable);
  }
  return { status: 'delivered' };
}
