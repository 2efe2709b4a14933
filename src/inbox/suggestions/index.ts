// The index of solved conversations that suggested replies search: for each resolved private
// conversation, what the customer wrote (their first messages) and the answer an agent sent
// last, one BM25 index per language (bm25.ts), in this process's memory. It is filled
// from the database and kept current by reading what was resolved since (resolved_at, its
// partial index), so every web process has its own copy and none needs the network.
// Conversations a customer rated 1 or 2 are left out: their answer did not help.
import type { Database } from '../../platform/db/client';
import type { Logger } from '../../platform/logger';
import { twoLetterLanguage } from '../../sentiment/language';
import { Bm25Index } from './bm25';
import { answerKey, answerTemplate, firstNameOf, isIndexedLanguage, termsOf } from './text';

export interface SolvedConversation {
  id: string;
  reference: number;
  inboxId: string;
  rating: number | null;
  key: string;
}

interface Row {
  id: string;
  reference: number;
  inboxId: string;
  language: string | null;
  resolvedAt: Date;
  name: string | null;
  question: string | null;
  answer: string | null;
  rating: number | null;
}

const PAGE = 20_000;

/** A query term found in more than this share of the documents says little: left out (the rarer terms decide). */
const COMMON = 0.08;
/** The rarest terms of a query are kept whatever their share. */
const KEEP_RAREST = 3;

interface Indexed extends SolvedConversation {
  language: string;
  terms: string[];
}

export class SuggestionIndex {
  private readonly indexes = new Map<string, Bm25Index>();
  /** Documents by their number in the index, and the numbers by conversation id. */
  private readonly docs: Array<Indexed | undefined> = [];
  private readonly numberOf = new Map<string, number>();
  private readonly free: number[] = [];
  /** The answers by key: one template however many customers got it. */
  readonly answers = new Map<string, { template: string; uses: number }>();
  /** Where reading stopped: (resolved_at, id) of the last conversation read. */
  private cursor = { at: new Date(0), id: '00000000-0000-0000-0000-000000000000' };
  private refreshing: Promise<void> | null = null;
  private lastRefresh = 0;

  constructor(private readonly o: { db: Database; logger: Logger; refreshMs?: number }) {}

  get size(): number {
    return this.numberOf.size;
  }

  private indexFor(language: string): Bm25Index {
    let index = this.indexes.get(language);
    if (!index) this.indexes.set(language, (index = new Bm25Index()));
    return index;
  }

  /** Reads what was resolved since the last time (at most every refreshMs; at once the first time). */
  async refresh(force = false): Promise<void> {
    if (!force && Date.now() - this.lastRefresh < (this.o.refreshMs ?? 5_000)) return;
    this.refreshing ??= this.load().finally(() => {
      this.refreshing = null;
      this.lastRefresh = Date.now();
    });
    return this.refreshing;
  }

  private async load(): Promise<void> {
    const started = Date.now();
    let added = 0;
    for (;;) {
      const { rows } = await this.o.db.pool.query<Row>(
        `SELECT c.id, c.reference, c.inbox_id AS "inboxId", c.language, c.resolved_at AS "resolvedAt", ct.name,
                (SELECT string_agg(q.text, ' ') FROM (SELECT m.text FROM messages m WHERE m.conversation_id = c.id AND m.direction = 'inbound' ORDER BY m.sent_at LIMIT 3) q) AS question,
                (SELECT m.text FROM messages m WHERE m.conversation_id = c.id AND m.direction = 'outbound' AND m.sender_type = 'agent'
                   AND m.delivery_status IS DISTINCT FROM 'failed' ORDER BY m.sent_at DESC LIMIT 1) AS answer,
                (SELECT max(s.rating) FROM surveys s WHERE s.conversation_id = c.id AND s.rating IS NOT NULL) AS rating
           FROM conversations c JOIN contacts ct ON ct.id = c.contact_id
          WHERE c.status = 'resolved' AND (c.resolved_at, c.id) > ($1, $2::uuid) AND c.type = 'direct'
          ORDER BY c.resolved_at, c.id LIMIT ${PAGE}`,
        [this.cursor.at, this.cursor.id],
      );
      for (const r of rows) if (this.add(r)) added++;
      if (rows.length) this.cursor = { at: rows.at(-1)!.resolvedAt, id: rows.at(-1)!.id };
      if (rows.length < PAGE) break;
      this.o.logger.info({ indexed: this.size }, 'indexing solved conversations for suggestions');
    }
    if (added) this.o.logger.info({ added, indexed: this.size, ms: Date.now() - started }, 'suggestion index updated');
  }

  private add(r: Row): boolean {
    const at = this.numberOf.get(r.id);
    if (at !== undefined) {
      const was = this.docs[at]!;
      this.indexes.get(was.language)!.remove(at, was.terms);
      const a = this.answers.get(was.key);
      if (a) a.uses--;
      this.docs[at] = undefined;
      this.numberOf.delete(r.id);
      this.free.push(at);
    }
    if (!r.question || !r.answer || (r.rating !== null && r.rating <= 2)) return false;
    const language = twoLetterLanguage(r.language);
    const lang = isIndexedLanguage(language) ? language : 'en';
    const terms = termsOf(r.question.slice(0, 2_000), lang);
    if (!terms.length) return false;
    const template = answerTemplate(r.answer, { firstName: firstNameOf(r.name), reference: r.reference });
    const key = answerKey(template);
    const answer = this.answers.get(key);
    if (answer) answer.uses++;
    else this.answers.set(key, { template, uses: 1 });
    const n = this.free.pop() ?? this.docs.length;
    this.docs[n] = { id: r.id, reference: r.reference, inboxId: r.inboxId, rating: r.rating, key, language: lang, terms };
    this.numberOf.set(r.id, n);
    this.indexFor(lang).add(n, terms);
    return true;
  }

  /** The solved conversations most like this text, in its language, among these inboxes ('all': any), best first. */
  search(text: string, language: string | null, inboxIds: string[] | 'all', limit = 40): Array<SolvedConversation & { score: number }> {
    const lang = isIndexedLanguage(language) ? language : 'en';
    const index = this.indexes.get(lang);
    if (!index) return [];
    // The rarest terms, and the others unless most documents have them: the query stays small at any size.
    const total = index.documentCount || 1;
    const terms = [...new Set(termsOf(text.slice(0, 2_000), lang))].filter((t) => index.df(t) > 0).sort((a, b) => index.df(a) - index.df(b));
    const kept = terms.filter((t, i) => i < KEEP_RAREST || index.df(t) / total <= COMMON);
    if (!kept.length) return [];
    const allowed = inboxIds === 'all' ? null : new Set(inboxIds);
    const hits = index.search(kept, limit, allowed ? (id) => allowed.has(this.docs[id]!.inboxId) : undefined);
    const out: Array<SolvedConversation & { score: number }> = [];
    for (const h of hits) {
      const d = this.docs[h.id]!;
      out.push({ id: d.id, reference: d.reference, inboxId: d.inboxId, rating: d.rating, key: d.key, score: h.score });
    }
    return out;
  }
}
