// The live connection to /agents. The session cookie authenticates it; it reconnects by itself
// and then says the last event it saw, so the server replays what it missed (a `replay` event
// ends the replay: not `complete` means reload instead).
import { io, type Socket } from 'socket.io-client';

/** Event ids are "<ms>-<seq>": compared as two numbers. */
export function compareEventIds(a: string, b: string): number {
  const [am = 0, as = 0] = a.split('-').map(Number);
  const [bm = 0, bs = 0] = b.split('-').map(Number);
  return am - bm || as - bs;
}

export interface Realtime {
  socket: Socket;
  /** The newest event id seen, if any. */
  lastEventId(): string | undefined;
}

export function connectRealtime(): Realtime {
  let last: string | undefined;
  const socket = io('/agents', {
    transports: ['websocket', 'polling'],
    withCredentials: true,
    // Read at every (re)connection attempt.
    auth: (cb) => cb(last ? { lastEventId: last } : {}),
  });
  // Refused while the server could not check the session (its database restarting): try again shortly.
  socket.on('connect_error', (err) => {
    if (err.message === 'unavailable') setTimeout(() => socket.connect(), 1_000);
  });
  // The server cuts an agent's sockets when their role or memberships change: back at once, into the rooms of what they see now
  // (a deactivated agent is refused and the app's next request logs them out).
  socket.on('disconnect', (reason) => {
    if (reason === 'io server disconnect') setTimeout(() => socket.connect(), 500);
  });
  socket.onAny((_event: string, payload: unknown) => {
    const id = (payload as { eventId?: unknown } | null)?.eventId;
    if (typeof id === 'string' && (!last || compareEventIds(id, last) > 0)) last = id;
  });
  return { socket, lastEventId: () => last };
}

/**
 * Applies an event to an entity only if it is newer than the last one applied to it: a
 * replayed event can arrive after a newer live one about the same conversation or message.
 */
export function newerFor(applied: Map<string, string>, key: string, eventId: unknown): boolean {
  if (typeof eventId !== 'string') return true;
  const before = applied.get(key);
  if (before && compareEventIds(eventId, before) <= 0) return false;
  applied.set(key, eventId);
  return true;
}
