// Realtime delivery of inbox events to agents' browsers, to the rooms of rooms.ts: an event
// about a conversation reaches those who see it (its inbox, its team there, its assignee there).
// The emitter is the socket.io namespace in a web process, or a Redis emitter in a worker
// process; with the Redis adapter every web node delivers to its own sockets.
import type { InboxEventBus } from '../events';
import type { EventLog } from './event-log';
import { agentRoom, conversationRoom, EXCEPT, leftRooms, placeRooms } from './rooms';

interface Broadcast {
  emit(event: string, ...args: unknown[]): unknown;
  except(room: string | string[]): Broadcast;
}

export interface RoomEmitter {
  to(room: string | string[]): Broadcast;
  /** Sockets in a room, to cut them (a deactivated agent's). */
  in(room: string): { disconnectSockets(close?: boolean): unknown };
}


/**
 * Every inbox event to the rooms that may see it, logged first (event-log.ts) so that each
 * carries an `eventId` a reconnecting socket can replay from. Appends resolve in order, so
 * events go out in the order they happened; if the log fails they still go out, without an id.
 */
export function broadcastInboxEvents(events: InboxEventBus, emitter: RoomEmitter, log: EventLog): () => void {
  return events.on('*', (event) => {
    const rooms =
      event.type === 'agent.mentioned'
        ? [agentRoom(event.agentId)]
        : // The timeline's own lines: only to those viewing it (an inbox of ten agents gets one frame per change, not one per line).
          event.type === 'message.updated' || (event.type === 'message.created' && event.audience === 'viewers')
          ? [conversationRoom(event.conversationId)]
          : placeRooms(event);
    send(rooms, event.type, event);
    // Those who saw it only through its old team or assignee (a role that sees its team's or its own) are told it left them, and nothing more.
    if (event.type !== 'conversation.updated') return;
    const left = leftRooms(event, rooms);
    if (left.length) send([...left, ...rooms.map((r) => `${EXCEPT}${r}`)], 'conversation.hidden', { type: 'conversation.hidden', inboxId: event.inboxId, conversationId: event.conversation.id });
  });

  function send(rooms: string[], type: string, payload: object): void {
    const to = rooms.filter((r) => !r.startsWith(EXCEPT));
    const except = rooms.filter((r) => r.startsWith(EXCEPT)).map((r) => r.slice(EXCEPT.length));
    const target = () => (except.length ? emitter.to(to).except(except) : emitter.to(to));
    void log.append(rooms, type, payload).then(
      (eventId) => target().emit(type, { ...payload, eventId }),
      () => target().emit(type, payload),
    );
  }
}
