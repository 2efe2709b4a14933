// Suggested replies for an open conversation, made here, with nothing sent anywhere: the
// answers agents sent in the solved conversations most like this one (the index's neighbours
// vote for their answer, by similarity, a good rating counting more), and the knowledge base's
// article for the question — up to three, each with why ("like #1042, resolved, rated 5") and
// filled in for this customer. What agents do with them (used, edited, ignored) is recorded and
// moves an answer up or down for everyone.
import type { Database } from '../../platform/db/client';
import { twoLetterLanguage } from '../../sentiment/language';
import type { KnowledgeBase } from '../knowledge/articles';
import { articleText } from '../knowledge/markdown';
import type { SuggestionIndex } from './index';
import { fillAnswer, firstNameOf } from './text';

export interface Suggestion {
  kind: 'answer' | 'article';
  /** The answer's fingerprint, or article:<id>: what feedback is recorded against. */
  key: string;
  text: string;
  reason: string;
  score: number;
  source: { conversationId?: string; reference?: number; rating?: number | null; customers?: number; articleId?: string; title?: string; url?: string };
}

export const SUGGESTION_ACTIONS = ['used', 'edited', 'ignored'] as const;
export type SuggestionAction = (typeof SUGGESTION_ACTIONS)[number] | 'shown';

const NEIGHBOURS = 40;
const WEIGHTS_TTL_MS = 30_000;

export class Suggestions {
  private weights: { at: number; byKey: Map<string, number> } | null = null;

  constructor(private readonly o: { db: Database; index: SuggestionIndex; knowledge: KnowledgeBase; publicUrl: () => string }) {}

  /** Up to `limit` suggestions for the conversation, from the inboxes the agent sees. */
  async forConversation(conversationId: string, inboxIds: string[] | 'all', limit = 3): Promise<Suggestion[]> {
    const [{ rows }] = await Promise.all([
      this.o.db.pool.query<{ reference: number; language: string | null; name: string | null; inboxId: string; text: string | null }>(
        `SELECT c.reference, c.language, ct.name, c.inbox_id AS "inboxId",
                (SELECT string_agg(q.text, ' ') FROM (SELECT m.text FROM messages m WHERE m.conversation_id = c.id AND m.direction = 'inbound' ORDER BY m.sent_at DESC LIMIT 3) q) AS text
           FROM conversations c JOIN contacts ct ON ct.id = c.contact_id WHERE c.id = $1`,
        [conversationId],
      ),
      this.o.index.refresh(),
    ]);
    const c = rows[0];
    if (!c?.text) return [];
    const language = twoLetterLanguage(c.language);
    const customer = { firstName: firstNameOf(c.name), reference: c.reference };
    const [answers, articles, weights] = await Promise.all([
      Promise.resolve(this.answers(c.text, language, inboxIds, conversationId, customer)),
      this.o.knowledge.search({ q: c.text, language, inboxId: c.inboxId, inboxIds, published: true, limit: 1 }),
      this.feedbackWeights(),
    ]);
    for (const a of answers) a.score *= weights.get(a.key) ?? 1;
    answers.sort((a, b) => b.score - a.score);
    const article = articles[0] && articles[0].rank > 0.05 ? this.articleSuggestion(articles[0].id, articles[0].title, articles[0].rank, c.inboxId) : null;
    const picked = article ? [...answers.slice(0, 1), await article, ...answers.slice(1)] : answers;
    return picked.slice(0, limit);
  }

  private answers(text: string, language: string | null, inboxIds: string[] | 'all', self: string, customer: { firstName: string | null; reference: number }): Suggestion[] {
    const hits = this.o.index.search(text, language, inboxIds, NEIGHBOURS + 1).filter((h) => h.id !== self).slice(0, NEIGHBOURS);
    const votes = new Map<string, { score: number; best: (typeof hits)[number] }>();
    for (const h of hits) {
      const score = h.score * (h.rating !== null && h.rating >= 4 ? 1.15 : 1);
      const v = votes.get(h.key);
      if (!v) votes.set(h.key, { score, best: h });
      else v.score += score;
    }
    const total = [...votes.values()].reduce((a, v) => a + v.score, 0) || 1;
    return [...votes.entries()].map(([key, v]) => {
      const answer = this.o.index.answers.get(key)!;
      const rated = v.best.rating !== null ? `, rated ${v.best.rating}` : '';
      const others = answer.uses > 1 ? ` · sent to ${answer.uses} customers` : '';
      return {
        kind: 'answer' as const,
        key,
        text: fillAnswer(answer.template, customer),
        reason: `like #${v.best.reference}, resolved${rated}${others}`,
        score: v.score / total,
        source: { conversationId: v.best.id, reference: v.best.reference, rating: v.best.rating, customers: answer.uses },
      };
    });
  }

  private async articleSuggestion(id: string, title: string, rank: number, inboxId: string): Promise<Suggestion> {
    const a = await this.o.knowledge.get(id);
    const url = `${this.o.publicUrl()}/help/${inboxId}/articles/${a.id}`;
    return { kind: 'article', key: `article:${a.id}`, text: articleText(a.body), reason: `help article "${title}"`, score: rank, source: { articleId: a.id, title, url } };
  }

  /** Agents' use of an answer over the last 90 days: used and edited raise it, ignored lowers it (between ×0.5 and ×1.5). */
  private async feedbackWeights(): Promise<Map<string, number>> {
    if (this.weights && Date.now() - this.weights.at < WEIGHTS_TTL_MS) return this.weights.byKey;
    const { rows } = await this.o.db.pool.query<{ key: string; used: number; ignored: number }>(
      `SELECT key, count(*) FILTER (WHERE action IN ('used', 'edited'))::int AS used, count(*) FILTER (WHERE action = 'ignored')::int AS ignored
         FROM suggestion_events WHERE created_at > now() - interval '90 days' AND action <> 'shown' GROUP BY key`,
    );
    const byKey = new Map(rows.map((r) => [r.key, Math.min(1.5, Math.max(0.5, 1 + 0.15 * Math.log1p(r.used) - 0.2 * Math.log1p(r.ignored)))]));
    this.weights = { at: Date.now(), byKey };
    return byKey;
  }

  async record(agentId: string, conversationId: string, items: Array<{ key: string; kind: string }>, action: SuggestionAction): Promise<void> {
    if (!items.length) return;
    await this.o.db.pool.query(
      `INSERT INTO suggestion_events (agent_id, conversation_id, key, kind, action) SELECT $1, $2, k, t, $5 FROM unnest($3::text[], $4::text[]) AS x(k, t)`,
      [agentId, conversationId, items.map((i) => i.key), items.map((i) => i.kind), action],
    );
    if (action !== 'shown') this.weights = null;
  }
}
