// Agents' replies on an API inbox go to the inbox's webhook, signed like every webhook we
// send (src/platform/http/webhook-signature.ts).
import { ProviderError } from '../../platform/errors';
import { signedWebhookHeaders } from '../../platform/http/webhook-signature';
import type { ConnectorContext, OutboundMessage, SendResult } from '../../inbox/channels/contract';
import { apiInboxConfigSchema, webhookSecret } from './setup';

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
  let res: Response;
  try {
    res = await fetch(config.webhookUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...signedWebhookHeaders(webhookSecret(ctx.config.appSecret, out.inbox.id), body),
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
