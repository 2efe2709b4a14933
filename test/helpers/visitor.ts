// A website visitor's side of the chat widget, speaking its socket.io protocol like
// web/widget/widget.ts does.
import { io, type Socket } from 'socket.io-client';

export interface VisitorSession { visitorId: string; visitorToken: string; open: boolean; notice: string | null; greeting: string; identified: boolean }

export interface TestVisitor {
  socket: Socket;
  session: VisitorSession;
  received: Array<Record<string, any>>;
  typing: Array<{ typing: boolean; name: string }>;
  send(text: string, o?: { clientId?: string; name?: string; email?: string; selfService?: { read: string[]; query?: string } }): Promise<Record<string, any>>;
  history(): Promise<Array<Record<string, any>>>;
  close(): void;
}

export function connectVisitor(baseUrl: string, o: { inboxId: string; origin?: string; visitor?: { id: string; token: string }; user?: Record<string, string> }): Promise<TestVisitor> {
  return new Promise((resolve, reject) => {
    const socket = io(`${baseUrl}/widget`, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      extraHeaders: o.origin ? { origin: o.origin } : {},
      auth: { inboxId: o.inboxId, visitor: o.visitor, user: o.user },
    });
    const received: TestVisitor['received'] = [];
    const typing: TestVisitor['typing'] = [];
    socket.on('message', (m: Record<string, any>) => received.push(m));
    socket.on('typing', (t: { typing: boolean; name: string }) => typing.push(t));
    socket.once('connect_error', reject);
    socket.once('session', (session: VisitorSession) =>
      resolve({
        socket,
        session,
        received,
        typing,
        send: (text, m = {}) => socket.timeout(10_000).emitWithAck('message', { clientId: m.clientId ?? `c${Math.random().toString(36).slice(2, 14)}`, text, name: m.name, email: m.email, ...(m.selfService ? { selfService: m.selfService } : {}) }),
        history: async () => ((await socket.timeout(10_000).emitWithAck('history', {})) as { messages: Array<Record<string, any>> }).messages,
        close: () => socket.disconnect(),
      }),
    );
  });
}
