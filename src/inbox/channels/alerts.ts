// Routing's notifications (escalations, rules' "notify") and spikes of posts about the brand
// (src/inbox/community/spike-watch.ts) also go to the internal channels that take alerts, e.g. a Slack channel of the support team. Each channel's inbox settings
// say whether and where; a failed alert is logged, never retried into a flood.
import type { Database, Inbox } from '../../platform/db/client';
import { errorMessage } from '../../platform/errors';
import type { Logger } from '../../platform/logger';
import { TtlCache } from '../../platform/ttl-cache';
import type { ConnectorRegistry } from './registry';
import type { ChannelAlert, ConnectorContext } from './contract';
import type { InboxEventBus } from '../events';

export function forwardAlerts(events: InboxEventBus, db: Database, connectors: ConnectorRegistry, ctx: ConnectorContext, logger: Logger): () => void {
  const kinds = connectors.all().filter((c) => c.alert).map((c) => c.kind);
  if (!kinds.length) return () => {};
  const sinks = new TtlCache<'all', Inbox[]>(30_000);
  const forward = (alert: ChannelAlert) =>
    void (async () => {
      const inboxes = (await sinks.getOrLoad('all', () => db.prisma.inbox.findMany({ where: { kind: { in: kinds } } }))) ?? [];
      for (const inbox of inboxes) {
        await connectors
          .get(inbox.kind)
          .alert!(ctx, inbox, alert)
          .catch((err: unknown) => logger.warn({ inboxId: inbox.id, err: errorMessage(err) }, 'alert not posted'));
      }
    })().catch((err: unknown) => logger.warn({ err: errorMessage(err) }, 'alerts not forwarded'));
  const offEscalated = events.on('conversation.escalated', (e) => forward({ text: e.text, kind: 'escalation', conversationId: e.conversationId }));
  // Escalations come once, above; a rule's "notify" comes here.
  const offNotified = events.on('notification', (e) => {
    if (e.kind !== 'escalation') forward({ text: e.text, kind: 'rule', conversationId: e.conversationId });
  });
  // A spike with its sample posts, so the channel sees what people say without opening the app.
  const offSpike = events.on('community.alert', (e) =>
    forward({ text: [e.alert.text, ...e.alert.samplePosts.map((p) => `> @${p.username} (${p.followers} followers): ${p.text} ${p.url}`)].join('\n'), kind: 'spike', link: '/#community' }));
  return () => {
    offEscalated();
    offNotified();
    offSpike();
  };
}
