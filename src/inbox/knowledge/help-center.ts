// The knowledge base as customers see it, for channels (the widget's self-service) and the
// public help page: published articles for customers, of one inbox or of all.
import type { Database } from '../../platform/db/client';
import type { HelpCenterPort } from '../channels/contract';
import type { KnowledgeBase } from './articles';
import { articleText } from './markdown';

export class HelpCenter implements HelpCenterPort {
  constructor(private readonly db: Database, private readonly kb: KnowledgeBase) {}

  async search(inboxId: string, q: string, language: string | null, limit = 3) {
    const hits = await this.kb.search({ q, language, inboxId, published: true, audience: 'customers', limit });
    return hits.map((h) => ({ id: h.id, title: h.title, snippet: h.snippet }));
  }

  /** The article when it is published for this inbox's customers. */
  async published(inboxId: string, id: string) {
    const a = await this.kb.get(id).catch(() => null);
    return a && a.status === 'published' && a.audience === 'customers' && (!a.inboxId || a.inboxId === inboxId) ? a : null;
  }

  async article(inboxId: string, id: string, visitorId?: string) {
    const a = await this.published(inboxId, id);
    if (!a) return null;
    await this.kb.event('view', { articleId: a.id, inboxId, visitorId });
    return { id: a.id, title: a.title, text: articleText(a.body), language: a.language };
  }

  async record(kind: 'helpful' | 'not_helpful' | 'deflected' | 'handed_over', o: { inboxId: string; articleId?: string; visitorId?: string }) {
    if (o.articleId && !(await this.published(o.inboxId, o.articleId))) return;
    await this.kb.event(kind, o);
  }

  /** Titles of articles (what a visitor read before asking), in the order given. */
  async titles(ids: string[]): Promise<Array<{ id: string; title: string }>> {
    if (!ids.length) return [];
    const rows = await this.db.prisma.article.findMany({ where: { id: { in: ids } }, select: { id: true, title: true } });
    return ids.flatMap((id) => rows.filter((r) => r.id === id));
  }
}
