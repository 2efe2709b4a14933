// A lightweight agent socket for load tests: speaks socket.io's wire protocol (Engine.IO v4
// over WebSocket) just enough to join /agents with a token and keep the connection alive,
// and counts the events it receives without parsing them. The server does exactly the work
// it does for a browser; the load generator does not spend its CPU decoding JSON.
import WebSocket from 'ws';

export interface RawAgentSocket {
  received: number;
  close(): void;
}

export function connectRawAgent(baseUrl: string, token: string): Promise<RawAgentSocket> {
  // No UTF-8 validation: the frames are counted, never read.
  const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, { skipUTF8Validation: true, perMessageDeflate: false });
  const socket: RawAgentSocket = { received: 0, close: () => ws.close() };
  return new Promise((resolve, reject) => {
    ws.on('message', (data: Buffer) => {
      const kind = data[0];
      if (kind === 0x30 /* '0' open */) ws.send(`40/agents,${JSON.stringify({ token })}`);
      else if (kind === 0x32 /* '2' ping */) ws.send('3');
      else if (kind === 0x34 /* '4' message */) {
        const packet = data[1];
        if (packet === 0x30 /* '0' connect ack */) resolve(socket);
        else if (packet === 0x34 /* '4' connect error */) reject(new Error(`agent socket refused: ${data.toString()}`));
        else if (packet === 0x32 /* '2' event */) socket.received++;
      }
    });
    ws.on('error', reject);
  });
}
