// The socket.io rooms of the agents' namespace. An agent joins the rooms of what their role
// sees (access.ts: rooms): `admins` for every inbox; `inbox:<id>` for all of an inbox; for a
// role that sees only its teams' or its own conversations, `inbox:<id>:team:<id>` and
// `inbox:<id>:agent:<id>`. An event about a conversation goes to every room that sees it.
import type { InboxEvent } from '../events';

export const ADMINS_ROOM = 'admins';
export const inboxRoom = (inboxId: string) => `inbox:${inboxId}`;
export const inboxTeamRoom = (inboxId: string, teamId: string) => `inbox:${inboxId}:team:${teamId}`;
export const inboxAgentRoom = (inboxId: string, agentId: string) => `inbox:${inboxId}:agent:${agentId}`;
/** One agent's own events (mentions), wherever the conversation is. */
export const agentRoom = (agentId: string) => `agent:${agentId}`;
export const conversationRoom = (conversationId: string) => `conversation:${conversationId}`;

interface Place {
  teamId: string | null;
  assigneeId: string | null;
}

/** The conversation's team and assignee as the event tells them. */
function placesOf(event: InboxEvent): Place[] {
  const places: Place[] = [];
  if ('conversation' in event && event.conversation) places.push({ teamId: event.conversation.team?.id ?? null, assigneeId: event.conversation.assignee?.id ?? null });
  if ('place' in event && event.place) places.push(event.place);
  return places;
}

/** In a logged event's rooms: sockets in this room are left out (replay honours it as the live send did). */
export const EXCEPT = '!';

/** The rooms that saw the conversation before a change (its old team's, its old assignee's) and do not now. */
export function leftRooms(event: Extract<InboxEvent, { type: 'conversation.updated' }>, now: string[]): string[] {
  if (!event.was) return [];
  const before = new Set<string>();
  if (event.was.teamId) before.add(inboxTeamRoom(event.inboxId, event.was.teamId));
  if (event.was.assigneeId) before.add(inboxAgentRoom(event.inboxId, event.was.assigneeId));
  return [...before].filter((r) => !now.includes(r));
}

export function placeRooms(event: InboxEvent): string[] {
  const rooms = new Set([inboxRoom(event.inboxId), ADMINS_ROOM]);
  for (const p of placesOf(event)) {
    if (p.teamId) rooms.add(inboxTeamRoom(event.inboxId, p.teamId));
    if (p.assigneeId) rooms.add(inboxAgentRoom(event.inboxId, p.assigneeId));
  }
  return [...rooms];
}
