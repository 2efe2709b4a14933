// What the knowledge base and the suggestions did over a date range: self-service (questions
// solved by an article in the widget, against those handed to a person: the deflection rate),
// each article's views and helpfulness, and each agent's use of suggested replies.
import type { Queryable } from '../../platform/db/sql';

export interface KnowledgeReport {
  deflection: { deflected: number; handedOver: number; rate: number | null };
  articles: Array<{ id: string; title: string; views: number; helpful: number; notHelpful: number; helpfulShare: number | null }>;
  suggestions: Array<{ agentId: string; name: string; shown: number; used: number; edited: number; ignored: number; useRate: number | null }>;
}

export async function readKnowledgeReport(db: Queryable, range: { from: Date; end: Date; inboxIds: string[] | null }): Promise<KnowledgeReport> {
  const scope = [range.from, range.end, range.inboxIds === null, range.inboxIds ?? []];
  const [deflection, articles, suggestions] = await Promise.all([
    db.query<{ deflected: number; handedOver: number }>(
      `SELECT count(*) FILTER (WHERE kind = 'deflected')::int AS deflected, count(*) FILTER (WHERE kind = 'handed_over')::int AS "handedOver"
         FROM knowledge_events WHERE created_at >= $1 AND created_at < $2 AND ($3::boolean OR inbox_id = ANY($4::uuid[]))`,
      scope,
    ),
    db.query<KnowledgeReport['articles'][number]>(
      `SELECT a.id, a.title, count(*) FILTER (WHERE e.kind = 'view')::int AS views, count(*) FILTER (WHERE e.kind = 'helpful')::int AS helpful,
              count(*) FILTER (WHERE e.kind = 'not_helpful')::int AS "notHelpful"
         FROM knowledge_events e JOIN articles a ON a.id = e.article_id
        WHERE e.created_at >= $1 AND e.created_at < $2 AND ($3::boolean OR e.inbox_id = ANY($4::uuid[]))
        GROUP BY a.id, a.title ORDER BY views DESC, a.title LIMIT 100`,
      scope,
    ),
    db.query<KnowledgeReport['suggestions'][number]>(
      `SELECT s.agent_id AS "agentId", ag.name, count(*) FILTER (WHERE s.action = 'shown')::int AS shown, count(*) FILTER (WHERE s.action = 'used')::int AS used,
              count(*) FILTER (WHERE s.action = 'edited')::int AS edited, count(*) FILTER (WHERE s.action = 'ignored')::int AS ignored
         FROM suggestion_events s JOIN agents ag ON ag.id = s.agent_id JOIN conversations c ON c.id = s.conversation_id
        WHERE s.created_at >= $1 AND s.created_at < $2 AND ($3::boolean OR c.inbox_id = ANY($4::uuid[]))
        GROUP BY s.agent_id, ag.name ORDER BY ag.name`,
      scope,
    ),
  ]);
  const d = deflection.rows[0]!;
  return {
    deflection: { ...d, rate: d.deflected + d.handedOver ? d.deflected / (d.deflected + d.handedOver) : null },
    articles: articles.rows.map((a) => ({ ...a, helpfulShare: a.helpful + a.notHelpful ? a.helpful / (a.helpful + a.notHelpful) : null })),
    // Shown counts each suggestion offered; used and edited each one sent.
    suggestions: suggestions.rows.map((x) => ({ ...x, useRate: x.shown ? (x.used + x.edited) / x.shown : null })),
  };
}
