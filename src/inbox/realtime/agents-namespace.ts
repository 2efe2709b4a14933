// The /agents socket.io namespace: authenticated with the same session token as the API
// (auth.token, or the web app's cookie), joined to the rooms of what the agent sees before
// the connection completes, so no event can slip past between connect and join.
import type { Namespace, Server, Socket } from 'socket.io';
import { readCookie } from '../../platform/http/auth-header';
import { isUuid, TtlCache } from '../../platform/ttl-cache';
import type { ChannelKind } from '../../platform/db/client';
import { SESSION_COOKIE, type SessionAgent } from '../agents/sessions';
import type { InboxServices } from '../services';
import { conversationRoom, EXCEPT } from './rooms';
import { compareEventIds, isEventId } from './event-log';
import { isDatabaseUnavailable } from '../../platform/db/availability';

export const AGENTS_NAMESPACE = '/agents';

type Ack = (answer: { ok: true } | { ok: false; error: { code: string; message: string } }) => void;

/** Tells everyone viewing a conversation who is viewing it (collision detection), across web nodes. */
async function announceViewers(nsp: Namespace, conversationId: string): Promise<void> {
  const sockets = await nsp.in(conversationRoom(conversationId)).fetchSockets();
  const viewers = [...new Map(sockets.map((x) => [(x.data.agent as SessionAgent).id, { id: (x.data.agent as SessionAgent).id, name: (x.data.agent as SessionAgent).name }])).values()];
  nsp.to(conversationRoom(conversationId)).emit('presence', { conversationId, viewers });
}

/** Events replayed to one reconnecting socket at most; past that it is told to reload. */
const REPLAY_LIMIT = 5_000;

/**
 * Sends a reconnecting socket the events it missed since `lastEventId`, for the rooms it is in
 * (or one room it just joined), then `replay` { from, count, complete }. Not complete: the log
 * no longer reaches back that far (or was lost), and the client reloads what it shows.
 */
async function replay(socket: Socket, s: InboxServices, lastEventId: unknown, onlyRoom?: string): Promise<void> {
  if (!isEventId(lastEventId)) return;
  // Not from before an event this socket has already been sent.
  const sent = socket.data.lastEventId as string | undefined;
  const from = !onlyRoom && sent && compareEventIds(sent, lastEventId) > 0 ? sent : lastEventId;
  const missed = await s.eventLog.since(from, REPLAY_LIMIT).catch(() => null);
  let count = 0;
  for (const e of missed ?? []) {
    if (!e.rooms.some((r) => (onlyRoom ? r === onlyRoom : socket.rooms.has(r)))) continue;
    if (e.rooms.some((r) => r.startsWith(EXCEPT) && socket.rooms.has(r.slice(EXCEPT.length)))) continue;
    socket.emit(e.event, { ...e.payload, eventId: e.id });
    count++;
  }
  socket.emit('replay', { from, ...(onlyRoom ? { room: onlyRoom } : {}), count, complete: !!missed && missed.length < REPLAY_LIMIT });
}

/**
 * After this process's Redis subscription was down: each of its sockets is sent what the log has
 * after the last event it was sent (or told to reload when the log lost it too).
 */
export async function catchUpLocalSockets(nsp: Namespace, s: InboxServices): Promise<void> {
  for (const socket of nsp.sockets.values()) {
    const last = (socket.data.lastEventId as string | undefined) ?? (socket.handshake.auth as { lastEventId?: unknown })?.lastEventId;
    await replay(socket, s, last).catch(() => {});
  }
}

export function attachAgentNamespace(io: Server, s: InboxServices): Namespace {
  const nsp = io.of(AGENTS_NAMESPACE);
  // Typing events come several a second: the conversation's channel is looked up once a minute.
  const channels = new TtlCache<string, { inboxId: string; kind: ChannelKind; threadKey: string | null }>(60_000);
  const conversationChannel = (id: string) =>
    channels.getOrLoad(id, async () => {
      const c = await s.db.prisma.conversation.findUnique({ where: { id }, select: { inboxId: true, threadKey: true, inbox: { select: { kind: true } } } });
      return c ? { inboxId: c.inboxId, kind: c.inbox.kind, threadKey: c.threadKey } : null;
    });
  nsp.use(async (socket, next) => {
    try {
      const token = (socket.handshake.auth as { token?: unknown })?.token;
      const agent = await s.sessions.authenticate(typeof token === 'string' ? token : readCookie(socket.handshake.headers.cookie, SESSION_COOKIE));
      socket.data.agent = agent;
      await socket.join(await s.access.rooms(agent));
      next();
    } catch (err) {
      // The database restarting is not a refusal: the client tries again (socket.io does not, after a middleware error).
      next(new Error(isDatabaseUnavailable(err) ? 'unavailable' : 'unauthorized'));
    }
  });
  nsp.on('connection', (socket: Socket) => {
    const agent = socket.data.agent as SessionAgent;
    // The newest event this socket was sent: where a catch-up starts.
    socket.onAnyOutgoing((_event: string, payload: unknown) => {
      const id = (payload as { eventId?: unknown } | null)?.eventId;
      if (isEventId(id) && (!socket.data.lastEventId || compareEventIds(id, socket.data.lastEventId as string) > 0)) socket.data.lastEventId = id;
    });
    // Joined to its rooms already (above): whatever it missed while away comes first.
    void replay(socket, s, (socket.handshake.auth as { lastEventId?: unknown })?.lastEventId);
    socket.on('conversation:join', async (payload: unknown, ack?: Ack) => {
      const id = (payload as { conversationId?: unknown })?.conversationId;
      const lastEventId = (payload as { lastEventId?: unknown })?.lastEventId;
      const reply = typeof ack === 'function' ? ack : () => {};
      try {
        if (typeof id !== 'string' || !isUuid(id)) throw new Error('bad id');
        await s.access.conversationNow(agent, id);
        await socket.join(conversationRoom(id));
        reply({ ok: true });
        // Rejoining after a reconnect: the timeline's lines it missed meanwhile.
        await replay(socket, s, lastEventId, conversationRoom(id));
        await announceViewers(nsp, id);
      } catch {
        reply({ ok: false, error: { code: 'not_found', message: 'Conversation not found' } });
      }
    });
    socket.on('conversation:leave', async (payload: unknown) => {
      const id = (payload as { conversationId?: unknown })?.conversationId;
      if (typeof id !== 'string' || !isUuid(id)) return;
      await socket.leave(conversationRoom(id));
      await announceViewers(nsp, id);
    });
    // Typing: told to the others viewing the conversation, never stored.
    socket.on('conversation:typing', (payload: unknown) => {
      const p = payload as { conversationId?: unknown; typing?: unknown };
      if (typeof p?.conversationId !== 'string' || !socket.rooms.has(conversationRoom(p.conversationId))) return;
      socket.to(conversationRoom(p.conversationId)).emit('typing', { conversationId: p.conversationId, agent: { id: agent.id, name: agent.name }, typing: p.typing === true });
      // Channels that show typing to the customer (the chat widget) are told too.
      void conversationChannel(p.conversationId)
        .then((c) => c && s.connectors.find(c.kind)?.agentTyping?.(s.connectorContext, c, { name: agent.name }, p.typing === true))
        .catch(() => {});
    });
    socket.on('disconnecting', () => {
      const rooms = [...socket.rooms].filter((r) => r.startsWith('conversation:'));
      // After the socket has left its rooms.
      setImmediate(() => rooms.forEach((r) => void announceViewers(nsp, r.slice('conversation:'.length)).catch(() => {})));
    });
  });
  return nsp;
}
