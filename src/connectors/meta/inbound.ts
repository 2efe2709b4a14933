// What Meta posts to the app's webhook for a page (Messenger) or an Instagram account, as
// InboundMessageInput: pure, tested with recorded payloads (test/channel-payloads.test.ts).
// Direct messages are `messaging` events (threaded by the customer's page-scoped id); comments
// under the posts are `changes` (Instagram's `comments`, a page's `feed`), each top-level
// comment with its replies a public conversation (a mention) carrying the post's link and reach.
import type { InboundMessageInput } from '../../inbox/channels/contract';

export type MetaPlatform = 'messenger' | 'instagram';

export interface MetaAttachment { type?: string; payload?: { url?: string; title?: string } }
export interface MetaMessagingEvent {
  sender?: { id?: string };
  recipient?: { id?: string };
  timestamp?: number;
  message?: { mid?: string; text?: string; is_echo?: boolean; is_deleted?: boolean; attachments?: MetaAttachment[]; reply_to?: { mid?: string } };
  message_edit?: { mid?: string; text?: string };
  delivery?: { mids?: string[]; watermark?: number };
  read?: { mid?: string; watermark?: number };
}
export interface MetaChange { field?: string; value?: Record<string, unknown> }
export interface MetaEntry { id?: string; time?: number; messaging?: MetaMessagingEvent[]; changes?: MetaChange[] }
export interface MetaWebhook { object?: string; entry?: MetaEntry[] }

/** A comment under a post, either platform's. */
export interface MetaComment {
  id: string;
  postId: string;
  /** The top-level comment its thread hangs from (itself when it is one). */
  threadId: string;
  from: { id: string; name?: string; username?: string };
  text: string;
  createdAt?: string;
  verb: 'add' | 'edited' | 'remove' | 'hide' | 'unhide';
}

/** What we know of the post a comment is under. */
export interface MetaPost { url?: string; likes: number; comments: number; reach?: number }

export const platformOf = (object: string | undefined): MetaPlatform | null => (object === 'page' ? 'messenger' : object === 'instagram' ? 'instagram' : null);
/** A customer's direct-message thread with the page or account. */
export const dmThreadKey = (platform: MetaPlatform, userId: string) => `${platform === 'instagram' ? 'igsid' : 'psid'}:${userId}`;
export const commentThreadKey = (threadId: string) => `comment:${threadId}`;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : undefined);
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});

/** The comment a change carries, or null (a like, a post of the page, another field). */
export function commentOf(change: MetaChange, platform: MetaPlatform): MetaComment | null {
  const v = obj(change.value);
  if (platform === 'instagram') {
    if (change.field !== 'comments' && change.field !== 'live_comments') return null;
    const id = str(v.id), from = obj(v.from), media = obj(v.media);
    if (!id || !str(from.id) || !str(media.id)) return null;
    return { id, postId: str(media.id)!, threadId: str(v.parent_id) ?? id, from: { id: str(from.id)!, username: str(from.username) }, text: str(v.text) ?? '', verb: 'add' };
  }
  if (change.field !== 'feed' || v.item !== 'comment') return null;
  const id = str(v.comment_id), postId = str(v.post_id), from = obj(v.from);
  if (!id || !postId || !str(from.id)) return null;
  const parent = str(v.parent_id);
  const verb = (['add', 'edited', 'remove', 'hide', 'unhide'] as const).find((x) => x === v.verb) ?? 'add';
  const created = typeof v.created_time === 'number' ? new Date(v.created_time * 1000).toISOString() : undefined;
  // A top-level comment's parent is the post; a reply's is the comment it answers.
  return { id, postId, threadId: !parent || parent === postId ? id : parent, from: { id: str(from.id)!, name: str(from.name) }, text: str(v.message) ?? '', ...(created ? { createdAt: created } : {}), verb };
}

/** A public comment: a mention conversation per comment thread, with the post's link and reach. */
export function commentToInboundMessage(c: MetaComment, platform: MetaPlatform, post: MetaPost): InboundMessageInput {
  const handle = c.from.username ?? c.from.name;
  return {
    externalId: c.id,
    from: { name: c.from.name ?? c.from.username, identities: [{ kind: platform, address: c.from.id }] },
    text: c.text,
    ...(c.createdAt ? { sentAt: c.createdAt } : {}),
    conversationType: 'mention',
    thread: { key: commentThreadKey(c.threadId), continueOpen: false },
    metadata: {
      meta: {
        platform,
        commentId: c.id,
        postId: c.postId,
        threadId: c.threadId,
        ...(handle ? { username: handle } : {}),
        ...(post.url ? { url: post.url } : {}),
        reach: { followers: 0, likes: post.likes, replies: post.comments, ...(post.reach !== undefined ? { reach: post.reach } : {}) },
      },
    },
  };
}

/** A customer's direct message, or null for what is not one (our own echoes, deletions, empty events). `stored`: its attachments, kept by the connector. */
export function messageToInboundMessage(
  e: MetaMessagingEvent,
  platform: MetaPlatform,
  o: { name?: string; stored?: Array<{ fileName: string; contentType: string; size: number; storageKey: string }> } = {},
): InboundMessageInput | null {
  const m = e.message;
  const userId = e.sender?.id;
  if (!m?.mid || m.is_echo || m.is_deleted || !userId) return null;
  const links = (m.attachments ?? []).filter((a) => a.type === 'fallback' || a.type === 'share' || a.type === 'story_mention').map((a) => a.payload?.url).filter(Boolean);
  const text = [m.text ?? '', ...links].filter(Boolean).join('\n');
  return {
    externalId: m.mid,
    from: { ...(o.name ? { name: o.name } : {}), identities: [{ kind: platform, address: userId }] },
    text,
    ...(e.timestamp ? { sentAt: new Date(e.timestamp).toISOString() } : {}),
    conversationType: 'direct',
    thread: { key: dmThreadKey(platform, userId), continueOpen: true, ...(m.reply_to?.mid ? { inReplyTo: m.reply_to.mid } : {}) },
    attachments: o.stored ?? [],
    metadata: { meta: { platform, userId } },
  };
}

/** The attachments of a message whose bytes should be kept (images, video, audio, files). */
export function mediaOf(e: MetaMessagingEvent): Array<{ type: string; url: string }> {
  return (e.message?.attachments ?? [])
    .filter((a) => ['image', 'video', 'audio', 'file'].includes(a.type ?? '') && a.payload?.url)
    .map((a) => ({ type: a.type!, url: a.payload!.url! }));
}
