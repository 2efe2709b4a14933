// Share of voice and trend: per listening topic (our brand's and competitors'), per day, how many
// posts, how they felt and how many people they could reach, over a date range; each topic's
// share of all the topics' posts. Read from the posts themselves (by when they were posted).
import type pg from 'pg';

export interface ShareOfVoiceRange {
  from: Date;
  /** Exclusive. */
  end: Date;
  /** Whose days (IANA). */
  timeZone: string;
  /** The inboxes counted; null: all. */
  inboxIds: string[] | null;
}

export interface TopicVoice {
  topicId: string;
  name: string;
  kind: string;
  posts: number;
  /** Of all the topics' posts in the range, 0..1. */
  share: number;
  negative: number;
  neutral: number;
  positive: number;
  /** The mean sentiment score, -1..1 (null without posts). */
  sentiment: number | null;
  /** Followers of the authors, summed over posts: how many could have seen them. */
  reach: number;
  days: Array<{ day: string; posts: number; negative: number; positive: number; sentiment: number | null; reach: number }>;
}

export async function readShareOfVoice(db: pg.Pool, r: ShareOfVoiceRange): Promise<{ topics: TopicVoice[]; total: number }> {
  const { rows } = await db.query<{ topic_id: string; name: string; kind: string; day: string; posts: number; negative: number; neutral: number; positive: number; score_sum: number; reach: string }>(
    `SELECT t.id AS topic_id, t.name, t.kind, to_char(p.posted_at AT TIME ZONE $4, 'YYYY-MM-DD') AS day, count(*)::int AS posts,
            count(*) FILTER (WHERE p.sentiment_label = 'negative')::int AS negative, count(*) FILTER (WHERE p.sentiment_label = 'neutral')::int AS neutral,
            count(*) FILTER (WHERE p.sentiment_label = 'positive')::int AS positive, COALESCE(sum(p.sentiment_score), 0)::float8 AS score_sum, sum(p.followers)::text AS reach
       FROM listening_topics t JOIN listened_posts p ON p.topic_id = t.id AND p.posted_at >= $1 AND p.posted_at < $2
      WHERE ($3::uuid[] IS NULL OR t.inbox_id = ANY($3::uuid[]))
      GROUP BY t.id, t.name, t.kind, 4 ORDER BY t.kind, t.name, 4`,
    [r.from, r.end, r.inboxIds, r.timeZone],
  );
  const byTopic = new Map<string, TopicVoice & { scoreSum: number }>();
  for (const row of rows) {
    const t = byTopic.get(row.topic_id) ?? { topicId: row.topic_id, name: row.name, kind: row.kind, posts: 0, share: 0, negative: 0, neutral: 0, positive: 0, sentiment: null, reach: 0, days: [], scoreSum: 0 };
    t.posts += row.posts;
    t.negative += row.negative;
    t.neutral += row.neutral;
    t.positive += row.positive;
    t.scoreSum += row.score_sum;
    t.reach += Number(row.reach);
    t.days.push({ day: row.day, posts: row.posts, negative: row.negative, positive: row.positive, sentiment: row.posts ? row.score_sum / row.posts : null, reach: Number(row.reach) });
    byTopic.set(row.topic_id, t);
  }
  const total = [...byTopic.values()].reduce((a, t) => a + t.posts, 0);
  const topics = [...byTopic.values()].map(({ scoreSum, ...t }) => ({ ...t, share: total ? t.posts / total : 0, sentiment: t.posts ? scoreSum / t.posts : null }));
  topics.sort((a, b) => b.posts - a.posts);
  return { topics, total };
}

/** One CSV row per topic and day. */
export function shareOfVoiceCsvRows(r: { topics: TopicVoice[] }): string[][] {
  const round = (x: number | null) => (x === null ? '' : x.toFixed(3));
  return [
    ['topic', 'kind', 'day', 'posts', 'negative', 'positive', 'sentiment', 'reach', 'share_of_voice_in_range'],
    ...r.topics.flatMap((t) => t.days.map((d) => [t.name, t.kind, d.day, String(d.posts), String(d.negative), String(d.positive), round(d.sentiment), String(d.reach), round(t.share)])),
  ];
}
