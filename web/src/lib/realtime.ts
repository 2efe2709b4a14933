// The live connection to /agents. The session cookie authenticates it; reconnects by itself.
import { io, type Socket } from 'socket.io-client';

export function connectRealtime(): Socket {
  return io('/agents', { transports: ['websocket', 'polling'], withCredentials: true });
}
