// The knowledge base: help articles (Markdown, one language each, tags, for one inbox or all,
// for customers or for agents only), draft or published, every saved change kept as a version.
// Search is PostgreSQL's full-text search in the article's language (kb_ts_config: stemming per
// language, title and tags weighing more than the body), the words of the question OR-ed and
// ranked, so a customer's sentence finds the article that shares most of its words.
import type { Database } from '../../platform/db/client';
import { NotFoundError } from '../../platform/errors';
import { withTransaction, type Queryable } from '../../platform/db/sql';
import { isUuid } from '../../platform/ttl-cache';

export interface ArticleInput {
  title: string;
  body: string;
  language: string;
  tags: string[];
  inboxId: string | null;
  audience: 'customers' | 'agents';
  status: 'draft' | 'published';
}

export interface ArticleHit {
  id: string;
  title: string;
  language: string;
  tags: string[];
  inboxId: string | null;
  status: string;
  audience: string;
  rank: number;
  snippet: string;
}

export type KnowledgeEventKind = 'view' | 'helpful' | 'not_helpful' | 'deflected' | 'handed_over';

const COLUMNS = `a.id, a.title, a.language, a.tags, a.inbox_id AS "inboxId", a.status::text AS status, a.audience`;

export class KnowledgeBase {
  constructor(private readonly db: Database) {}

  async create(input: ArticleInput, agentId: string | null) {
    return withTransaction(this.db.pool, async (client) => {
      const { rows } = await client.query<{ id: string }>(
        `INSERT INTO articles (id, inbox_id, title, body, language, tags, audience, status, created_by_id, updated_by_id, published_at, updated_at)
         VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7::"ArticleStatus", $8, $8, CASE WHEN $7 = 'published' THEN now() END, now()) RETURNING id`,
        [input.inboxId, input.title, input.body, input.language, input.tags, input.audience, input.status, agentId],
      );
      await this.keepVersion(client, rows[0]!.id, agentId);
      return rows[0]!;
    }).then((r) => this.get(r.id));
  }

  /** A saved change is a new version (the old ones stay readable). */
  async update(id: string, patch: Partial<ArticleInput>, agentId: string | null) {
    await this.get(id);
    await withTransaction(this.db.pool, async (client) => {
      const sets: string[] = [];
      const values: unknown[] = [id];
      const set = (column: string, value: unknown, cast = '') => {
        values.push(value);
        sets.push(`${column} = $${values.length}${cast}`);
      };
      if (patch.title !== undefined) set('title', patch.title);
      if (patch.body !== undefined) set('body', patch.body);
      if (patch.language !== undefined) set('language', patch.language);
      if (patch.tags !== undefined) set('tags', patch.tags);
      if (patch.inboxId !== undefined) set('inbox_id', patch.inboxId);
      if (patch.audience !== undefined) set('audience', patch.audience);
      if (patch.status !== undefined) {
        set('status', patch.status, '::"ArticleStatus"');
        sets.push(`published_at = CASE WHEN $${values.length} = 'published' THEN COALESCE(published_at, now()) ELSE published_at END`);
      }
      set('updated_by_id', agentId);
      await client.query(`UPDATE articles SET ${sets.join(', ')}, version = version + 1, updated_at = now() WHERE id = $1`, values);
      await this.keepVersion(client, id, agentId);
    });
    return this.get(id);
  }

  private async keepVersion(client: Queryable, id: string, agentId: string | null): Promise<void> {
    await client.query(
      `INSERT INTO article_versions (article_id, version, title, body, language, tags, status, edited_by_id)
       SELECT id, version, title, body, language, tags, status, $2 FROM articles WHERE id = $1`,
      [id, agentId],
    );
  }

  async get(id: string) {
    const a = isUuid(id) ? await this.db.prisma.article.findUnique({ where: { id } }) : null;
    if (!a) throw new NotFoundError('Article');
    return a;
  }

  async remove(id: string): Promise<void> {
    await this.get(id);
    await this.db.prisma.article.delete({ where: { id } });
  }

  versions(id: string) {
    return this.db.prisma.articleVersion.findMany({ where: { articleId: id }, orderBy: { version: 'desc' }, select: { version: true, title: true, body: true, language: true, tags: true, status: true, editedById: true, createdAt: true } });
  }

  /** Articles for a list (no query: the reader's language first) or a question (searched in the reader's language; in all when none of theirs matches), best first. */
  async search(o: { q?: string; language?: string | null; inboxId?: string | null; inboxIds?: string[] | 'all'; published?: boolean; audience?: 'customers'; limit?: number }): Promise<ArticleHit[]> {
    const limit = o.limit ?? 10;
    const run = async (language: string | null) => {
      const { rows } = await this.db.pool.query<ArticleHit>(
        `WITH q AS (
           SELECT CASE WHEN $1::text IS NULL THEN NULL ELSE (
             SELECT to_tsquery(kb_ts_config(COALESCE($2, 'en')), string_agg(quote_literal(l), ' | '))
               FROM unnest(tsvector_to_array(to_tsvector(kb_ts_config(COALESCE($2, 'en')), $1))) l) END AS q)
         SELECT ${COLUMNS},
                CASE WHEN q.q IS NULL THEN 0 ELSE ts_rank_cd(a.search_vector, q.q, 1) END::float8 AS rank,
                CASE WHEN q.q IS NULL THEN left(a.body, 200) ELSE ts_headline(kb_ts_config(a.language), a.body, q.q, 'MaxWords=24, MinWords=8, StartSel=«, StopSel=»') END AS snippet
           FROM articles a, q
          WHERE ($1::text IS NULL OR (q.q IS NOT NULL AND a.search_vector @@ q.q))
            AND ($1::text IS NULL OR $2::text IS NULL OR split_part(a.language, '-', 1) = split_part($2, '-', 1))
            AND ($3::uuid IS NULL OR a.inbox_id IS NULL OR a.inbox_id = $3)
            AND ($4::boolean OR a.inbox_id IS NULL OR a.inbox_id = ANY($5::uuid[]))
            AND (NOT $6::boolean OR a.status = 'published')
            AND ($7::text IS NULL OR a.audience = $7)
          ORDER BY (split_part(a.language, '-', 1) = split_part(COALESCE($2, a.language), '-', 1)) DESC, rank DESC, a.updated_at DESC
          LIMIT $8`,
        [o.q?.trim() || null, language, o.inboxId ?? null, o.inboxIds === undefined || o.inboxIds === 'all', o.inboxIds === 'all' || !o.inboxIds ? [] : o.inboxIds, o.published ?? false, o.audience ?? null, limit],
      );
      return rows;
    };
    const mine = await run(o.language ?? null);
    return mine.length || !o.language || !o.q ? mine : run(null);
  }

  /** What a customer did with an article (a view counts on the article too). */
  async event(kind: KnowledgeEventKind, o: { articleId?: string | null; inboxId?: string | null; visitorId?: string | null; conversationId?: string | null }): Promise<void> {
    await this.db.pool.query(`INSERT INTO knowledge_events (kind, article_id, inbox_id, visitor_id, conversation_id) VALUES ($1, $2, $3, $4, $5)`, [kind, o.articleId ?? null, o.inboxId ?? null, o.visitorId ?? null, o.conversationId ?? null]);
    if (o.articleId && kind !== 'deflected' && kind !== 'handed_over') {
      const column = kind === 'view' ? 'views' : kind === 'helpful' ? 'helpful' : 'not_helpful';
      await this.db.pool.query(`UPDATE articles SET ${column} = ${column} + 1 WHERE id = $1`, [o.articleId]);
    }
  }
}
