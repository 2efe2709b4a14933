// Realtime delivery of inbox events to agents' browsers. Rooms: `inbox:<id>` for members of
// an inbox, `admins` for admins (who see every inbox), `agent:<id>` for one agent.
// The emitter is the socket.io namespace in a web process, or a Redis emitter in a worker
// process; with the Redis adapter every web node delivers to its own sockets.
import type { InboxEventBus } from '../events';

export interface RoomEmitter {
  to(room: string | string[]): { emit(event: string, ...args: unknown[]): unknown };
}

export const inboxRoom = (inboxId: string) => `inbox:${inboxId}`;
export const agentRoom = (agentId: string) => `agent:${agentId}`;
export const conversationRoom = (conversationId: string) => `conversation:${conversationId}`;
export const ADMINS_ROOM = 'admins';

export function broadcastInboxEvents(events: InboxEventBus, emitter: RoomEmitter): () => void {
  return events.on('*', (event) => {
    if (event.type === 'agent.mentioned') emitter.to(agentRoom(event.agentId)).emit(event.type, event);
    // The timeline's own lines: only to those viewing it (an inbox of ten agents gets one frame per change, not one per line).
    else if (event.type === 'message.updated' || (event.type === 'message.created' && event.audience === 'viewers')) emitter.to(conversationRoom(event.conversationId)).emit(event.type, event);
    else emitter.to([inboxRoom(event.inboxId), ADMINS_ROOM]).emit(event.type, event);
  });
}
