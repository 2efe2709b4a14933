// Which conversation does an inbound message belong to? Strongest evidence first:
//   0. the very same message (one mail sent to two of our addresses) already stored from
//      this contact in another inbox: a duplicate, stored once
//   1. a conversation token we issued (reply-to address, widget session)
//   2. the provider's own thread id (Slack thread_ts, X conversation id)
//   3. In-Reply-To, then References newest first — only messages of the same contact, so
//      customers answering the same bulk mail are never merged
//   4. a conversation token found in the body (the marker our mails carry, quoted back by a
//      client that dropped the headers)
//   5. the contact's open conversation in this inbox (chat, SMS, API; not email)
//   6. otherwise a new conversation.
// A resolved conversation is reopened only within the reopen window. The decision carries
// its reason, stored on the message so agents (and tests) see why it landed where it did.
//
// Loading candidates is one round of queries for a whole batch, sent at once; deciding is pure.
import type { Queryable } from '../../platform/db/sql';
import type { InboundMessage } from '../pipeline/inbound-message';

export type ThreadReason =
  | 'same-message' | 'conversation-token' | 'thread-key' | 'in-reply-to' | 'references' | 'body-marker' | 'open-conversation' | 'reopened' | 'new';

export interface ThreadDecision {
  conversationId: string | null;
  reason: ThreadReason;
  /** The conversation is resolved and this message reopens it. */
  reopens: boolean;
  /** A bare rating (1–5) answering the conversation's survey: it neither reopens nor makes anyone wait. */
  answersSurvey?: boolean;
}

export interface Candidate {
  id: string;
  inboxId: string;
  contactId: string;
  type: string;
  status: string;
  resolvedAt: Date | null;
  /** A survey of it was sent (the customer may answer by replying 1–5). */
  awaitsSurvey?: boolean;
}

export interface ThreadRequest {
  inboxId: string;
  contactId: string;
  message: InboundMessage;
}

/** What the database knows that could decide the threads of a batch. */
export class ThreadCandidates {
  readonly byReference = new Map<number, Candidate>();
  readonly byThreadKey = new Map<string, Candidate>();
  readonly byExternalId = new Map<string, Candidate[]>();
  readonly latest = new Map<string, Candidate>();

  static threadKey = (inboxId: string, key: string) => `${inboxId}|${key}`;
  static latestKey = (inboxId: string, contactId: string, type: string) => `${inboxId}|${contactId}|${type}`;

  addLatest(c: Candidate): void {
    this.latest.set(ThreadCandidates.latestKey(c.inboxId, c.contactId, c.type), c);
  }

  /** Makes a decision of this batch visible to the messages after it in the same batch. */
  remember(req: ThreadRequest, c: Candidate): void {
    if (req.message.thread.key) this.byThreadKey.set(ThreadCandidates.threadKey(req.inboxId, req.message.thread.key), c);
    this.byExternalId.set(req.message.externalId, [...(this.byExternalId.get(req.message.externalId) ?? []), c]);
    this.latest.set(ThreadCandidates.latestKey(req.inboxId, req.contactId, c.type), c);
  }
}

/** Whether a survey of conversation `c` was sent and may be answered by a reply. */
export const AWAITS_SURVEY = `EXISTS (SELECT 1 FROM surveys sv WHERE sv.conversation_id = c.id AND sv.status IN ('sent', 'answered')) AS "awaitsSurvey"`;
const CANDIDATE = `c.id, c.inbox_id AS "inboxId", c.contact_id AS "contactId", c.type::text AS type, c.status::text AS status, c.resolved_at AS "resolvedAt", ${AWAITS_SURVEY}`;

/** A reply that is only a rating: "4", " 5. ", "2!" */
export const RATING_REPLY = /^\s*([1-5])\s*[.!]?\s*$/;

/**
 * Per inbox, contact and type asked about, the conversation a message continues: one that is
 * not resolved, else the last resolved one. A statement selecting `columns` of `c`
 * (conversations) and its values; `lock` locks those conversations, in id order.
 */
export function latestConversations(reqs: ThreadRequest[], columns: string, o: { join?: string; lock?: boolean } = {}): [string, [string[], string[]]] {
  const open = reqs.filter((r) => r.message.thread.continueOpen !== false);
  const latest = `SELECT DISTINCT ON (c.inbox_id, c.contact_id, c.type) c.id FROM conversations c
        WHERE (c.inbox_id, c.contact_id) IN (SELECT * FROM unnest($1::uuid[], $2::uuid[]))
        ORDER BY c.inbox_id, c.contact_id, c.type, (c.status = 'resolved'), COALESCE(c.resolved_at, c.last_message_at) DESC`;
  return [
    `SELECT ${columns} FROM conversations c ${o.join ?? ''} WHERE c.id IN (${latest}) ${o.lock ? 'ORDER BY c.id FOR NO KEY UPDATE OF c' : ''}`,
    [open.map((r) => r.inboxId), open.map((r) => r.contactId)],
  ];
}

/**
 * The candidates for a whole batch, independent statements sent at once. Each contact's
 * latest conversation is not among them: the caller locks and loads it with its state
 * (latestConversations) and adds it (ThreadCandidates.addLatest).
 */
export async function loadThreadCandidates(db: Queryable, reqs: ThreadRequest[], parseToken: (t: string) => number | null): Promise<ThreadCandidates> {
  const out = new ThreadCandidates();
  // Independent reads: queued at once, so a pipelined connection sends them together.
  const reads: Array<Promise<void>> = [];
  const tokens = reqs.flatMap((r) => [r.message.thread.conversationToken, r.message.thread.bodyToken]).filter((t): t is string => !!t);
  const references = tokens.map(parseToken).filter((x): x is number => x != null);
  if (references.length) {
    reads.push(
      db.query<Candidate & { reference: number }>(`SELECT ${CANDIDATE}, c.reference FROM conversations c WHERE c.reference = ANY($1::int[])`, [references]).then(({ rows }) => {
        for (const r of rows) out.byReference.set(r.reference, r);
      }),
    );
  }
  const keyed = reqs.filter((r) => r.message.thread.key);
  if (keyed.length) {
    reads.push(
      db
        .query<Candidate & { threadKey: string }>(
          `SELECT DISTINCT ON (c.inbox_id, c.thread_key) ${CANDIDATE}, c.thread_key AS "threadKey" FROM conversations c
            WHERE (c.inbox_id, c.thread_key) IN (SELECT * FROM unnest($1::uuid[], $2::text[]))
            ORDER BY c.inbox_id, c.thread_key, c.created_at DESC`,
          [keyed.map((r) => r.inboxId), keyed.map((r) => r.message.thread.key)],
        )
        .then(({ rows }) => {
          for (const r of rows) out.byThreadKey.set(ThreadCandidates.threadKey(r.inboxId, r.threadKey), r);
        }),
    );
  }
  const refs = [
    ...new Set(
      reqs
        .flatMap((r) => [r.message.thread.inReplyTo, ...(r.message.thread.references ?? []), r.message.thread.sameAcrossInboxes ? r.message.externalId : undefined])
        .filter((x): x is string => !!x),
    ),
  ];
  if (refs.length) {
    reads.push(
      db
        .query<Candidate & { externalId: string }>(
          `SELECT ${CANDIDATE}, m.external_id AS "externalId" FROM messages m JOIN conversations c ON c.id = m.conversation_id
            WHERE m.external_id = ANY($1::text[]) AND c.contact_id = ANY($2::uuid[])`,
          [refs, [...new Set(reqs.map((r) => r.contactId))]],
        )
        .then(({ rows }) => {
          for (const r of rows) out.byExternalId.set(r.externalId, [...(out.byExternalId.get(r.externalId) ?? []), r]);
        }),
    );
  }
  await Promise.all(reads);
  return out;
}

export function decideThread(
  req: ThreadRequest,
  found: ThreadCandidates,
  o: { now: Date; reopenWindowMs: number; parseToken: (t: string) => number | null },
): ThreadDecision {
  const { message: msg } = req;
  const usable = (c: Candidate | undefined): c is Candidate =>
    !!c && (c.status !== 'resolved' || !c.resolvedAt || o.now.getTime() - c.resolvedAt.getTime() <= o.reopenWindowMs);
  const rating = RATING_REPLY.test(msg.text);
  const decide = (c: Candidate, reason: ThreadReason): ThreadDecision =>
    rating && c.awaitsSurvey && c.status === 'resolved' ? { conversationId: c.id, reason, reopens: false, answersSurvey: true } : { conversationId: c.id, reason, reopens: c.status === 'resolved' };

  if (msg.thread.sameAcrossInboxes) {
    const c = found.byExternalId.get(msg.externalId)?.find((x) => x.contactId === req.contactId && x.inboxId !== req.inboxId);
    if (c) return { conversationId: c.id, reason: 'same-message', reopens: false };
  }
  const byToken = (t: string | undefined) => {
    const reference = t ? o.parseToken(t) : null;
    return reference == null ? undefined : found.byReference.get(reference);
  };
  const tokened = byToken(msg.thread.conversationToken);
  // Signed by us: proof the sender received our message, whichever address they now write from.
  if (usable(tokened)) return decide(tokened, 'conversation-token');
  if (msg.thread.key) {
    const c = found.byThreadKey.get(ThreadCandidates.threadKey(req.inboxId, msg.thread.key));
    if (usable(c)) return decide(c, 'thread-key');
  }
  const refs: Array<[string, ThreadReason]> = [];
  if (msg.thread.inReplyTo) refs.push([msg.thread.inReplyTo, 'in-reply-to']);
  for (const r of [...(msg.thread.references ?? [])].reverse()) if (r !== msg.thread.inReplyTo) refs.push([r, 'references']);
  for (const [id, reason] of refs) {
    const c = found.byExternalId.get(id)?.find((x) => x.contactId === req.contactId);
    if (usable(c)) return decide(c, reason);
  }
  const marked = byToken(msg.thread.bodyToken);
  if (usable(marked)) return decide(marked, 'body-marker');
  if (msg.thread.continueOpen !== false) {
    const c = found.latest.get(ThreadCandidates.latestKey(req.inboxId, req.contactId, msg.conversationType));
    if (c && c.status !== 'resolved') return decide(c, 'open-conversation');
    if (usable(c)) return rating && c.awaitsSurvey ? decide(c, 'reopened') : { conversationId: c.id, reason: 'reopened', reopens: true };
  }
  return { conversationId: null, reason: 'new', reopens: false };
}
