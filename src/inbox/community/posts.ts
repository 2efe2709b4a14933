// A listened post as the API and the live stream show it.
export interface ListenedPostView {
  kind: 'post';
  id: string;
  topic: { id: string; name: string; kind: string };
  inboxId: string;
  author: { username: string; name: string | null; followers: number };
  text: string;
  url: string;
  postedAt: Date;
  receivedAt: Date;
  sentiment: string | null;
  sentimentScore: number | null;
  complaintCategory: string | null;
  escalationRisk: number | null;
  reach: { followers: number; retweets: number; likes: number; replies: number; quotes: number };
  status: 'new' | 'dismissed' | 'promoted';
  /** Promoted: the conversation it became (once the pipeline stored it). */
  conversationId: string | null;
}

/** The columns of listened_posts (aliased p) and its topic (t) a view is made of, for SQL. */
export const POST_VIEW_COLUMNS = `
  'post' AS kind, 'twitter' AS channel, p.id, json_build_object('id', t.id, 'name', t.name, 'kind', t.kind) AS topic, p.inbox_id AS "inboxId",
  json_build_object('username', p.username, 'name', p.author_name, 'followers', p.followers) AS author,
  p.text, p.url, p.posted_at AS "postedAt", p.created_at AS "receivedAt", p.sentiment_label AS sentiment, p.sentiment_score AS "sentimentScore",
  p.complaint_category AS "complaintCategory", p.escalation_risk AS "escalationRisk",
  json_build_object('followers', p.followers, 'retweets', p.retweets, 'likes', p.likes, 'replies', p.replies, 'quotes', p.quotes) AS reach,
  p.status, (SELECT m.conversation_id FROM messages m WHERE m.id = p.message_id) AS "conversationId"`;

/**
 * A public message's author, link and reach, whichever network it came from (X keeps them
 * under metadata.twitter, Messenger and Instagram comments under metadata.meta), over \`m\`.
 */
export const PUBLIC_POST = "COALESCE(m.metadata->'twitter', m.metadata->'meta')";

/** A spike alert as the app and the alert channels show it. */
export interface SpikeAlertView {
  id: string;
  topic: { id: string; name: string; kind: string };
  windowStart: Date;
  kind: 'volume' | 'negative';
  volume: number;
  negative: number;
  expected: number;
  observed: number;
  phrases: string[];
  samplePosts: Array<{ id: string; username: string; followers: number; text: string; url: string; sentiment: string | null }>;
  incidentId: string | null;
  /** One line: what happened, in words. */
  text: string;
  createdAt: Date;
}
