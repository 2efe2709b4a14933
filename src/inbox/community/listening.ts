// The listening stream: posts a topic found that do not @-mention the brand. Each is stored once
// per topic with the analysis of its words and its author's reach, and told to the community
// view live; it stays out of the agents' queue unless its topic's promotion rule fires
// (negative, a complaint, an author with at least N followers) or an agent promotes it —
// then it enters the pipeline as the channel delivers a mention, and becomes a conversation.
import { analyzeMessage } from '../../sentiment';
import type { Database, Prisma } from '../../platform/db/client';
import { NotFoundError } from '../../platform/errors';
import type { Logger } from '../../platform/logger';
import type { Intake, ListenedPostInput, ListeningPort } from '../channels/contract';
import { opensComplaint } from '../complaints/cases';
import type { InboxEventBus } from '../events';
import { POST_VIEW_COLUMNS, type ListenedPostView } from './posts';
import { WINDOW_MS } from './spikes';

export interface ListeningOptions {
  db: Database;
  intake: Intake;
  events: InboxEventBus;
  logger: Logger;
}

/** Whether a topic's rule promotes a post to the agents' queue. */
export function promotes(rule: { promoteMinFollowers: number | null }, post: { sentimentLabel: string | null; complaintCategory: string | null; followers: number }): boolean {
  return rule.promoteMinFollowers !== null && opensComplaint(post.complaintCategory, post.sentimentLabel) && post.followers >= rule.promoteMinFollowers;
}

export class Listening implements ListeningPort {
  constructor(private readonly o: ListeningOptions) {}

  async topics(inboxId: string): Promise<Array<{ id: string; query: string }>> {
    return this.o.db.prisma.listeningTopic.findMany({ where: { inboxId, enabled: true }, select: { id: true, query: true }, orderBy: { createdAt: 'asc' } });
  }

  async accept(inboxId: string, topicId: string, posts: ListenedPostInput[]): Promise<{ stored: number }> {
    const topic = await this.o.db.prisma.listeningTopic.findUnique({ where: { id: topicId } });
    if (!topic || topic.inboxId !== inboxId) throw new NotFoundError('Listening topic');
    const rows = posts.map((p) => {
      const signals = analyzeMessage(p.text, { channel: 'twitter', isPublic: true });
      return {
        topicId, inboxId, tweetId: p.postId, authorId: p.author.id ?? null, username: p.author.username, authorName: p.author.name ?? null,
        followers: p.author.followers, text: p.text, url: p.url, language: signals.language.code,
        retweets: p.metrics.retweets, likes: p.metrics.likes, replies: p.metrics.replies, quotes: p.metrics.quotes,
        postedAt: p.postedAt ? new Date(p.postedAt) : new Date(),
        sentimentLabel: signals.sentiment.label, sentimentScore: signals.sentiment.score, complaintCategory: signals.complaint?.category ?? null,
        escalationRisk: signals.escalationRisk, message: p.asMention as unknown as Prisma.InputJsonValue,
      };
    });
    // Stored once per topic (a poll read again after a crash adds nothing), counted in their windows with them.
    const created = await this.o.db.prisma.$transaction(async (tx) => {
      const stored = await tx.listenedPost.createManyAndReturn({ data: rows, skipDuplicates: true, select: { id: true, sentimentLabel: true, complaintCategory: true, followers: true, postedAt: true } });
      const windows = new Map<number, { volume: number; negative: number }>();
      for (const p of stored) {
        const start = Math.floor(p.postedAt.getTime() / WINDOW_MS) * WINDOW_MS;
        const w = windows.get(start) ?? { volume: 0, negative: 0 };
        w.volume++;
        if (p.sentimentLabel === 'negative') w.negative++;
        windows.set(start, w);
      }
      if (windows.size) {
        const entries = [...windows.entries()];
        await tx.$executeRaw`
          INSERT INTO topic_windows (topic_id, window_start, volume, negative)
          SELECT ${topicId}::uuid, to_timestamp(s / 1000.0), v, n FROM unnest(${entries.map(([k]) => k)}::bigint[], ${entries.map(([, w]) => w.volume)}::int[], ${entries.map(([, w]) => w.negative)}::int[]) AS u(s, v, n)
          ON CONFLICT (topic_id, window_start) DO UPDATE SET volume = topic_windows.volume + excluded.volume, negative = topic_windows.negative + excluded.negative`;
      }
      return stored;
    });
    for (const post of created) {
      if (promotes(topic, post)) await this.promote(post.id, 'rule').catch((err: unknown) => this.o.logger.warn({ err, postId: post.id }, 'promoting a listened post failed'));
    }
    if (created.length) {
      for (const view of await this.views(created.map((c) => c.id))) this.o.events.emit({ type: 'community.post', inboxId, post: view });
    }
    return { stored: created.length };
  }

  /** Makes the post a conversation in the agents' queue (once; again answers the same message). */
  async promote(postId: string, by: string): Promise<{ messageId: string }> {
    const post = await this.o.db.prisma.listenedPost.findUnique({ where: { id: postId } });
    if (!post) throw new NotFoundError('Post');
    if (post.messageId) return { messageId: post.messageId };
    const accepted = await this.o.intake.accept(post.inboxId, post.message as unknown as Parameters<Intake['accept']>[1]);
    await this.o.db.prisma.listenedPost.updateMany({ where: { id: postId, messageId: null }, data: { status: 'promoted', messageId: accepted.messageId, promotedBy: by } });
    return { messageId: accepted.messageId };
  }

  /** Dismisses new posts (bulk); answers how many changed. */
  async dismiss(postIds: string[], inboxIds: 'all' | string[]): Promise<number> {
    const { count } = await this.o.db.prisma.listenedPost.updateMany({
      where: { id: { in: postIds }, status: 'new', ...(inboxIds === 'all' ? {} : { inboxId: { in: inboxIds } }) },
      data: { status: 'dismissed' },
    });
    return count;
  }

  async views(ids: string[]): Promise<ListenedPostView[]> {
    if (!ids.length) return [];
    const { rows } = await this.o.db.pool.query<ListenedPostView>(
      `SELECT ${POST_VIEW_COLUMNS} FROM listened_posts p JOIN listening_topics t ON t.id = p.topic_id WHERE p.id = ANY($1::uuid[]) ORDER BY p.created_at DESC`,
      [ids],
    );
    return rows;
  }
}
