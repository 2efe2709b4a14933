// Unread state, per agent and browser: when each conversation was last opened here. A row is
// unread when its last message is newer than that.
const KEY = 'inbox.read';

function load(): Record<string, string> {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? '{}') as Record<string, string>;
  } catch {
    return {};
  }
}

export function isUnread(conversationId: string, lastMessageAt: string): boolean {
  const seen = load()[conversationId];
  return !seen || Date.parse(lastMessageAt) > Date.parse(seen);
}

export function markRead(conversationId: string, at: string): void {
  const all = load();
  all[conversationId] = at;
  // Keep the newest 2,000 so the store stays small.
  const entries = Object.entries(all).sort((a, b) => Date.parse(b[1]) - Date.parse(a[1])).slice(0, 2_000);
  localStorage.setItem(KEY, JSON.stringify(Object.fromEntries(entries)));
}
