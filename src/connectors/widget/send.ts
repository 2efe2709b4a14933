// An agent's reply to a website visitor: pushed to every tab and device of the thread. When
// nobody of the thread is connected and an email is known, it also goes by email (through
// the inbox's fallback email inbox), and the customer's answer by mail threads back into the
// same conversation by the reply token.
import { PermanentJobError } from '../../platform/queue';
import { errorMessage } from '../../platform/errors';
import type { ConnectorContext, OutboundMessage, SendResult } from '../../inbox/channels/contract';
import { WIDGET_NAMESPACE } from './namespace';
import { widgetInboxConfigSchema } from './setup';
import { widgetRoom } from './visitors';

export async function sendToVisitor(ctx: ConnectorContext, out: OutboundMessage): Promise<SendResult> {
  const threadKey = out.conversation.threadKey;
  if (!threadKey) throw new PermanentJobError('this conversation has no widget visitor');
  const cfg = widgetInboxConfigSchema.parse(out.inbox.config ?? {});
  ctx.realtime.emit(WIDGET_NAMESPACE, widgetRoom(out.inbox.id, threadKey), 'message', {
    id: out.message.id,
    direction: 'outbound',
    text: out.message.text,
    author: out.agent?.name.split(' ')[0] ?? out.inbox.name,
    automatic: out.message.automatic,
    sentAt: out.message.createdAt.toISOString(),
    // A survey: the widget shows a rating card.
    ...(out.survey ? { survey: out.survey } : {}),
  });
  const externalId = `widget:${out.message.id}`;
  if (await ctx.presence.online(out.inbox.id, threadKey)) return { externalId, status: 'delivered' };

  const email = out.identities.find((i) => i.kind === 'email')?.address ?? out.contact.email;
  if (!cfg.emailFallbackInboxId || !email) return { externalId, status: 'sent', metadata: { widget: { visitorAway: true } } };
  try {
    const mail = await ctx.relay(cfg.emailFallbackInboxId, out);
    return { externalId, status: 'sent', metadata: { widget: { visitorAway: true, emailedTo: email }, email: mail.metadata?.email ?? null } };
  } catch (err) {
    // Shown in the widget when they come back; the mail copy is what failed.
    ctx.logger.warn({ err: errorMessage(err), messageId: out.message.id }, 'widget reply could not be copied by email');
    return { externalId, status: 'sent', metadata: { widget: { visitorAway: true, emailFailed: errorMessage(err) } } };
  }
}
