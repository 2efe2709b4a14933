// The side effects of the inbox's domain events, registered in one place: what happens after a
// change commits, beside the write paths rather than inside them. Adding a side effect (an
// outbound webhook, say) is a line here, never an edit of a write path.
//
// Not here, on purpose: audit rows and report rollups. They are written in the same
// transaction as the change they record (rollups by database triggers), so a crash between the
// commit and a listener can never lose one; a listener runs after the commit, at most once.
import type { Logger } from '../platform/logger';
import type { Database } from '../platform/db/client';
import { forwardAlerts } from './channels/alerts';
import type { ConnectorContext } from './channels/contract';
import type { ConnectorRegistry } from './channels/registry';
import type { InboxEventBus } from './events';
import { broadcastInboxEvents, type RoomEmitter } from './realtime/broadcaster';
import type { EventLog } from './realtime/event-log';
import { webhookEventsOf, type Webhooks } from './webhooks/webhooks';

export interface InboxListenerOptions {
  /** Live updates to agents' sockets (every process: the web's own sockets, or Redis from a worker). */
  realtime: RoomEmitter;
  /** Where live events are kept for sockets that reconnect (shared through Redis when there is one). */
  eventLog: EventLog;
  /** Account-wide outbound webhooks: each process records deliveries for the events it emits. */
  webhooks: Webhooks;
  logger: Logger;
  /** Escalations and rule notifications posted to alert channels (Slack): where routing runs, the worker. */
  alerts: { db: Database; connectors: ConnectorRegistry; ctx: ConnectorContext; logger: Logger } | null;
}

/** Registers every listener; answers the function that removes them. */
export function listenToInboxEvents(events: InboxEventBus, o: InboxListenerOptions): () => void {
  const offs = [
    broadcastInboxEvents(events, o.realtime, o.eventLog),
    events.on('*', (e) => {
      for (const w of webhookEventsOf(e)) void o.webhooks.publish(w.event, w.data).catch((err: unknown) => o.logger.warn({ err, event: w.event }, 'could not record a webhook delivery'));
    }),
  ];
  if (o.alerts) offs.push(forwardAlerts(events, o.alerts.db, o.alerts.connectors, o.alerts.ctx, o.alerts.logger));
  return () => offs.forEach((off) => off());
}
