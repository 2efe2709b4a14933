// What X's API v2 answers, as InboundMessageInput: pure, tested with recorded payloads
// (test/channel-payloads.test.ts). A mention is a public conversation threaded by the tweet's
// conversation; a DM a private one by its DM conversation.
import type { InboundMessageInput, ListenedPostInput } from '../../inbox/channels/contract';
import { dmId, tweetId } from './setup';

export interface XUser {
  id: string;
  name?: string;
  username: string;
  public_metrics?: { followers_count?: number };
}
export interface Tweet {
  id: string;
  text: string;
  author_id?: string;
  created_at?: string;
  conversation_id?: string;
  public_metrics?: { retweet_count?: number; like_count?: number; reply_count?: number; quote_count?: number };
  lang?: string;
  entities?: { mentions?: Array<{ username?: string }>; hashtags?: Array<{ tag?: string }> };
}
export interface DmEvent {
  id: string;
  event_type: string;
  text?: string;
  sender_id?: string;
  dm_conversation_id?: string;
  created_at?: string;
}
/** A public mention, with its reach (the author's followers, the tweet's engagement). */
export function mentionToInboundMessage(t: Tweet, author: XUser | undefined): InboundMessageInput {
  const username = author?.username ?? `id:${t.author_id ?? 'unknown'}`;
  return {
    externalId: tweetId(t.id),
    from: { name: author?.name, identities: [{ kind: 'twitter', address: username }] },
    text: t.text,
    sentAt: t.created_at,
    conversationType: 'mention',
    thread: { key: `tweet:${t.conversation_id ?? t.id}`, continueOpen: false },
    metadata: {
      twitter: {
        tweetId: t.id,
        authorId: t.author_id,
        username,
        url: `https://x.com/${username}/status/${t.id}`,
        reach: {
          followers: author?.public_metrics?.followers_count ?? 0,
          retweets: t.public_metrics?.retweet_count ?? 0,
          likes: t.public_metrics?.like_count ?? 0,
          replies: t.public_metrics?.reply_count ?? 0,
          quotes: t.public_metrics?.quote_count ?? 0,
        },
      },
    },
  };
}

/** A direct message; null for what is not a customer's message (other event types, our own, no conversation). */
export function dmToInboundMessage(e: DmEvent, sender: XUser | undefined, brandUserId: string): InboundMessageInput | null {
  if (e.event_type !== 'MessageCreate' || e.sender_id === brandUserId || !e.dm_conversation_id) return null;
  return {
    externalId: dmId(e.id),
    from: { name: sender?.name, identities: [{ kind: 'twitter', address: sender?.username ?? `id:${e.sender_id}` }] },
    text: e.text ?? '',
    sentAt: e.created_at,
    conversationType: 'direct',
    thread: { key: `dm:${e.dm_conversation_id}`, continueOpen: false },
    metadata: { twitter: { dmEventId: e.id, dmConversationId: e.dm_conversation_id, senderId: e.sender_id, username: sender?.username } },
  };
}

/** A post a listening topic found; promoted, it enters as the mention it would have been. */
export function listenedPost(t: Tweet, author: XUser | undefined): ListenedPostInput {
  const asMention = mentionToInboundMessage(t, author);
  const username = author?.username ?? `id:${t.author_id ?? 'unknown'}`;
  return {
    postId: t.id,
    text: t.text,
    url: `https://x.com/${username}/status/${t.id}`,
    author: { id: t.author_id, username, name: author?.name, followers: author?.public_metrics?.followers_count ?? 0 },
    postedAt: t.created_at,
    language: t.lang,
    metrics: { retweets: t.public_metrics?.retweet_count ?? 0, likes: t.public_metrics?.like_count ?? 0, replies: t.public_metrics?.reply_count ?? 0, quotes: t.public_metrics?.quote_count ?? 0 },
    asMention,
  };
}
