// An agent's socket that was away is sent what it missed when it comes back: every live event
// carries an eventId, the socket reconnects saying the last one it saw, and the events after it
// for its rooms (only those) are replayed, then `replay` { complete }. A log that no longer
// reaches back says complete: false (the app reloads). In memory alone, and through Redis.
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app';
import { createAgent, createInbox } from './helpers/fixtures';
import { collect, connectAgent, eventually, login, nextEvent, request } from './helpers/http';
import { compareEventIds } from '../src/inbox/realtime/event-log';

function reconnect(url: string, token: string, lastEventId: string): { socket: Socket; events: Array<[string, any]>; replayed: Promise<{ count: number; complete: boolean }> } {
  const socket = io(`${url}/agents`, { auth: { token, lastEventId }, transports: ['websocket'], reconnection: false, forceNew: true });
  const events: Array<[string, any]> = [];
  socket.onAny((name: string, payload: unknown) => events.push([name, payload]));
  return { socket, events, replayed: nextEvent(socket, 'replay') };
}

describe.each([
  ['in memory', false],
  ['through Redis', true],
] as const)('replaying missed events %s', (_name, redis) => {
  let t: TestApp;
  let member: { token: string };
  let mine: { id: string; token: string };
  let other: { id: string; token: string };
  const post = (inbox: { id: string; token: string }, externalId: string, text: string) =>
    request(`${t.url}/api/v1/inboxes/${inbox.id}/messages`, { token: inbox.token, body: { externalId, from: { email: `${externalId}@example.com` }, text } });

  beforeAll(async () => {
    t = await startTestApp({ redis });
    const agent = await createAgent(t.prisma);
    member = { token: await login(t.url, agent.email) };
    const a = await createInbox(t.prisma, { memberIds: [agent.id] });
    const b = await createInbox(t.prisma, { name: 'Not theirs' });
    mine = { id: a.inbox.id, token: a.token };
    other = { id: b.inbox.id, token: b.token };
  });
  afterAll(async () => t?.close());

  it('sends a reconnecting socket the events it missed for its rooms, in order, and no others', async () => {
    const first = await connectAgent(t.url, member.token);
    const created = collect(first, 'conversation.created');
    await post(mine, `${redis}-before`, 'Hello there');
    await eventually(() => created.length === 1);
    const lastSeen: string = created[0].eventId;
    expect(lastSeen).toMatch(/^\d+-\d+$/);
    first.disconnect();

    // While away: two new conversations in its inbox, one in an inbox it cannot see.
    await post(mine, `${redis}-away-1`, 'My parcel never arrived');
    await post(other, `${redis}-hidden`, 'Not for this agent');
    await post(mine, `${redis}-away-2`, 'Still waiting for my refund');
    await eventually(async () => (await t.prisma.inboundReceipt.count({ where: { status: 'pending' } })) === 0);

    const back = reconnect(t.url, member.token, lastSeen);
    const replay = await back.replayed;
    back.socket.disconnect();
    expect(replay).toMatchObject({ complete: true });
    const missed = back.events.filter(([name]) => name === 'conversation.created').map(([, e]) => e);
    expect(missed.map((e) => e.conversation.contact.email)).toEqual([`${redis}-away-1@example.com`, `${redis}-away-2@example.com`]);
    expect(back.events.some(([, e]) => e?.inboxId === other.id)).toBe(false);
    const ids = back.events.filter(([name]) => name !== 'replay').map(([, e]) => e.eventId as string);
    expect(ids.every((id) => compareEventIds(id, lastSeen) > 0)).toBe(true);
    expect([...ids].sort(compareEventIds)).toEqual(ids);
    expect(replay.count).toBe(ids.length);
  });

  it('says the replay is not complete when the log does not reach back that far', async () => {
    const back = reconnect(t.url, member.token, '1-0');
    expect(await back.replayed).toMatchObject({ complete: false });
    back.socket.disconnect();
  });

  it('replays a conversation\u2019s own lines when its room is joined again with the last id seen', async () => {
    const socket = await connectAgent(t.url, member.token);
    const seen = collect(socket, 'message.created');
    const r = await post(mine, `${redis}-timeline`, 'Where is my order?');
    expect(r.status).toBe(202);
    const conversationId = (await eventually(() => t.prisma.message.findFirst({ where: { externalId: `${redis}-timeline` } })))!.conversationId;
    await eventually(() => seen.some((e) => e.conversationId === conversationId));
    const lastSeen = seen.at(-1).eventId as string;
    socket.disconnect();
    // Assigning writes an activity line: a line of the timeline only viewers of the conversation are sent.
    const assigned = await request(`${t.url}/api/v1/conversations/${conversationId}/assign`, { token: member.token, body: { assigneeId: 'me' } });
    expect(assigned.status).toBe(200);
    const again = await connectAgent(t.url, member.token);
    const lines = collect(again, 'message.created');
    const replayed = nextEvent(again, 'replay', (e: { room?: string }) => e.room === `conversation:${conversationId}`);
    const ack = await again.emitWithAck('conversation:join', { conversationId, lastEventId: lastSeen });
    expect(ack).toEqual({ ok: true });
    expect(await replayed).toMatchObject({ complete: true });
    expect(lines.filter((e) => e.conversationId === conversationId).map((e) => e.message.direction)).toContain('activity');
    again.disconnect();
  });
});
