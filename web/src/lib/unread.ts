// Unread state, per agent, kept on the server (POST /conversations/:id/read): it follows the
// agent to every browser and phone. The list answers the agent's read marks beside its rows;
// a row is unread when its last message is newer than the mark, or there is none.
import { api } from './api';

const readAt = new Map<string, number>();

/** Takes the read marks a list page answered (conversation id → ISO time). */
export function rememberReads(reads: Record<string, string> | undefined): void {
  for (const [id, at] of Object.entries(reads ?? {})) readAt.set(id, Math.max(readAt.get(id) ?? 0, Date.parse(at)));
}

export function isUnread(conversationId: string, lastMessageAt: string): boolean {
  const seen = readAt.get(conversationId);
  return seen === undefined || Date.parse(lastMessageAt) > seen;
}

/** Open means read, up to the newest message shown: remembered here at once, and on the server. */
export function markRead(conversationId: string, at: string): void {
  const t = Date.parse(at);
  if ((readAt.get(conversationId) ?? 0) >= t) return;
  readAt.set(conversationId, t);
  void api(`/conversations/${conversationId}/read`, { body: { at } }).catch(() => readAt.delete(conversationId));
}
