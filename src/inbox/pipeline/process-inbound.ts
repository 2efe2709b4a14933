// The one path every inbound message takes: contact → conversation → message + signals →
// priority, in one transaction, then domain events. Messages that arrive together are
// handled as one batch (src/platform/batcher.ts): the same decisions, message by message,
// but five round trips and one commit for all of them (see docs/ARCHITECTURE.md, Hot paths).
//
// Idempotent: receipts are locked and marked processed in the same transaction, and a
// message whose (inbox, external id) is already stored is not stored again.
import crypto from 'node:crypto';
import type pg from 'pg';
import { Batcher } from '../../platform/batcher';
import type { Database, Inbox } from '../../platform/db/client';
import { together, withPipelinedTransaction } from '../../platform/db/sql';
import type { Logger } from '../../platform/logger';
import { analyzeMessage, type MessageSignals } from '../../sentiment';
import type { PriorityWeights } from '../../routing/priority';
import { resolveContacts, type ResolvedContacts } from '../contacts/resolve';
import { AWAITS_SURVEY, decideThread, latestConversations, loadThreadCandidates, type ThreadCandidates, type ThreadDecision, type ThreadRequest } from '../conversations/threading';
import { parseConversationToken } from '../conversations/reply-token';
import { sanitiseHtml, previewOf } from '../messages/sanitise';
import type { InboxEventBus } from '../events';
import type { InboxDirectory } from '../inboxes/directory';
import { loadConversationViews, messageView, type ConversationView } from '../views';
import type { RoutingRules, SlaPolicies } from '../routing/sla-policies';
import { MESSAGE_RULE_EVENTS } from '../../routing/rules';
import { applyMessage, type ConversationState } from '../conversations/state/message';
import { inboundMessageSchema, type InboundMessage } from './inbound-message';
import { AlreadyStored, messageMetadata, writeBatch, type MessageRow } from './write-batch';

export interface PipelineOptions {
  db: Database;
  events: InboxEventBus;
  inboxes: InboxDirectory;
  logger: Logger;
  reopenWindowMs: number;
  priorityWeights: PriorityWeights;
  appSecret: string;
  slaPolicies: SlaPolicies;
  /** Whether routing listens to customer messages: the outbox row is written only then. */
  rules: Pick<RoutingRules, 'listenTo'>;
  /** After a batch committed (routing drains the outbox rows the batch wrote, if any; timers are scheduled). */
  onCommitted?: (conversations: ReadonlyArray<Pick<ConversationState, 'id' | 'firstResponseDueAt' | 'nextResponseDueAt' | 'slaPolicyId'>>, batch: { routed: boolean }) => Promise<void>;
  now?: () => Date;
  /** Messages handled in one transaction at most (default 128). */
  maxBatchSize?: number;
  /** Told of every batch written: how many messages and how long it took (metrics). */
  onBatch?: (size: number, seconds: number) => void;
}

export type ProcessOutcome =
  | { status: 'processed'; messageId: string; conversationId: string; createdConversation: boolean }
  | { status: 'already-processed' | 'missing' | 'duplicate' };

// A conversation's state as the pipeline updates it (see conversations/state/message.ts), with its contact's value and tier.
const STATE_COLUMNS = `c.id, c.inbox_id AS "inboxId", c.contact_id AS "contactId", c.type::text AS type, c.status::text AS status, c.subject,
  c.thread_key AS "threadKey", c.team_id AS "teamId", c.waiting_since AS "waitingSince", c.first_response_at AS "firstResponseAt",
  c.last_message_at AS "lastMessageAt", c.last_inbound_at AS "lastInboundAt", c.last_message_preview AS "lastMessagePreview",
  c.complaint_category AS "complaintCategory", c.sentiment_score AS "sentimentScore", c.sentiment_label AS "sentimentLabel",
  COALESCE(c.sentiment_series, ARRAY[]::float8[]) AS "sentimentSeries", c.sentiment_slope AS "sentimentSlope", c.escalation_risk AS "escalationRisk",
  c.escalation_risk AS "previousRisk", c.language, c.first_response_due_at AS "firstResponseDueAt", c.next_response_due_at AS "nextResponseDueAt",
  c.resolution_due_at AS "resolutionDueAt", c.sla_policy_id AS "slaPolicyId", c.created_at AS "createdAt", c.priority_floor AS "priorityFloor",
  ct.customer_value AS "customerValue", ct.tier, c.priority, c.priority_reason AS "priorityReason", c.resolved_at AS "resolvedAt",
  c.snoozed_until AS "snoozedUntil", ${AWAITS_SURVEY}`;
const STATE_JOIN = 'JOIN contacts ct ON ct.id = c.contact_id';

/** A language identified less surely than this yields to the conversation's earlier language. */
const UNCERTAIN_LANGUAGE = 0.6;

/** A stored conversation's state; its status and `resolvedAt` make it a thread candidate too. */
type LoadedState = Omit<ConversationState, 'isNew' | 'addedMessages' | 'changes' | 'opened'>;

interface ReceiptRow {
  id: string;
  inbox_id: string;
  payload: unknown;
  message_id: string;
}

interface Item {
  receiptId: string;
  messageId: string;
  inbox: Inbox;
  message: InboundMessage;
  signals: MessageSignals | null;
}

interface Written {
  outcomes: Map<string, ProcessOutcome | Error>;
  states: ConversationState[];
  messages: MessageRow[];
  contacts: ResolvedContacts | null;
  /** The conversations as this batch left them, read inside its transaction. */
  views: ConversationView[];
  /** Whether the batch wrote routing outbox rows. */
  routed: boolean;
}

const asError = (e: unknown) => (e instanceof Error ? e : new Error(String(e)));

export class InboundPipeline {
  private readonly now: () => Date;
  private readonly batcher: Batcher<string, ProcessOutcome>;
  private readonly parseToken: (t: string) => number | null;

  constructor(private readonly o: PipelineOptions) {
    this.now = o.now ?? (() => new Date());
    this.parseToken = (t) => parseConversationToken(t, o.appSecret);
    // One batch at a time: messages are threaded in the order they arrived (a reply never
    // overtakes the message it answers), and the next batch gathers while this one commits.
    this.batcher = new Batcher({ run: (ids) => this.runIsolated(ids), maxBatchSize: o.maxBatchSize ?? 128, maxInFlight: 1 });
  }

  /** Threads, stores and scores the message of one receipt (batched with others arriving now). */
  process(receiptId: string): Promise<ProcessOutcome> {
    return this.batcher.submit(receiptId);
  }

  /** One bad message must not fail the messages batched with it: on error, each goes alone. */
  private async runIsolated(ids: string[]): Promise<Array<ProcessOutcome | Error>> {
    const started = performance.now();
    try {
      const done = await this.runBatch(ids);
      this.o.onBatch?.(ids.length, (performance.now() - started) / 1000);
      return done;
    } catch (err) {
      if (ids.length === 1) return [asError(err)];
      const out: Array<ProcessOutcome | Error> = [];
      for (const id of ids) out.push(await this.runBatch([id]).then((r) => r[0]!, asError));
      return out;
    }
  }

  private async runBatch(ids: string[]): Promise<Array<ProcessOutcome | Error>> {
    let skip = new Set<string>();
    for (;;) {
      try {
        const written = await withPipelinedTransaction(
          this.o.db.pipelined,
          { text: `SELECT id, inbox_id, payload, message_id FROM inbound_receipts WHERE id = ANY($1::uuid[]) AND status <> 'processed' ORDER BY id FOR UPDATE`, values: [ids] },
          (client, receipts: pg.QueryResult<ReceiptRow>) => this.write(client, ids, skip, receipts.rows),
          // The receipts are durable since the 202, and a receipt this transaction did not mark
          // processed is threaded again by the sweeper: its commit need not wait for the disk.
          { asyncCommit: true },
        );
        this.publish(written);
        // Not awaited: the next batch need not wait for Redis (the sweepers redo it if it is lost).
        if (written.states.length) void this.o.onCommitted?.(written.states, { routed: written.routed }).catch((err: unknown) => this.o.logger.warn({ err }, 'after-commit work failed; the sweepers will do it'));
        return ids.map((id) => written.outcomes.get(id) ?? { status: 'missing' });
      } catch (err) {
        // A message of the batch was stored by another path meanwhile (e.g. our own reply
        // echoed back by the provider): record it as a duplicate and run the rest again.
        if (!(err instanceof AlreadyStored)) throw err;
        skip = new Set([...skip, ...err.messageIds]);
      }
    }
  }

  /** `rows`: the batch's receipts not processed yet, locked by the transaction's first statement. */
  private async write(client: pg.PoolClient, ids: string[], duplicates: Set<string>, rows: ReceiptRow[]): Promise<Written> {
    const now = this.now();
    const outcomes = new Map<string, ProcessOutcome | Error>();
    const locked = new Map(rows.map((r) => [r.id, r]));
    let items: Item[] = [];
    const finished: Array<{ receiptId: string; messageId: string }> = [];
    for (const id of ids) {
      const r = locked.get(id);
      if (!r) {
        outcomes.set(id, { status: 'already-processed' });
      } else if (duplicates.has(r.message_id)) {
        outcomes.set(id, { status: 'duplicate' });
        finished.push({ receiptId: id, messageId: await this.storedMessageId(client, r) });
      } else {
        try {
          items.push(await this.prepare(id, r));
        } catch (err) {
          outcomes.set(id, asError(err));
        }
      }
    }
    if (!items.length) {
      if (finished.length) await writeBatch(client, { conversations: [], messages: [], receipts: finished, openReasons: new Map() });
      return { outcomes, states: [], messages: [], contacts: null, views: [], routed: false };
    }

    // One batch at a time per contact (locked as they are found): two messages arriving together never open two conversations.
    // NO KEY UPDATE: serialises batches of one contact without blocking inserts that only reference it (messages, conversations).
    const contacts = await resolveContacts(client, items.map((i) => i.message.from), { lock: true });
    const asked: ThreadRequest[] = items.map((i, n) => ({ inboxId: i.inbox.id, contactId: contacts.ids[n]!, message: i.message }));
    // The conversation each contact would continue is locked and loaded while the other candidates are read: one round trip.
    const [latest, found] = await together(client, () => this.lockLatest(client, asked), () => loadThreadCandidates(client, asked, this.parseToken));
    for (const c of latest.values()) found.addLatest(c);
    const decided = asked.map((req) => this.decide(req, found, now));
    // The same mail reached another of our inboxes first: it is already in the inbox, once.
    const kept = decided.flatMap((d, n) => (d.reason === 'same-message' ? [] : [n]));
    decided.forEach((d, n) => {
      if (d.reason !== 'same-message') return;
      outcomes.set(items[n]!.receiptId, { status: 'duplicate' });
      finished.push({ receiptId: items[n]!.receiptId, messageId: items[n]!.messageId });
    });
    items = kept.map((n) => items[n]!);
    contacts.ids = kept.map((n) => contacts.ids[n]!);
    const requests = kept.map((n) => asked[n]!);
    const decisions = kept.map((n) => decided[n]!);
    if (!items.length) {
      await writeBatch(client, { conversations: [], messages: [], receipts: finished, openReasons: new Map() });
      return { outcomes, states: [], messages: [], contacts: null, views: [], routed: false };
    }
    const states = await this.loadStates(client, items, requests, decisions, contacts, now, latest);
    const [policies, routed] = await Promise.all([this.o.slaPolicies.all(), this.o.rules.listenTo(MESSAGE_RULE_EVENTS)]);

    const messages: MessageRow[] = items.map((item, n) => {
      const state = states.get(decisions[n]!.conversationId)!;
      const inbound = item.message.direction === 'inbound';
      const sentAt = item.message.sentAt ? new Date(item.message.sentAt) : now;
      const signals = applyMessage(state, { sentAt, preview: previewOf(item.message.text || item.message.subject || ''), inbound, signals: this.withLanguagePrior(item, state.language), reopens: decisions[n]!.reopens, answersSurvey: decisions[n]!.answersSurvey }, now, this.o.priorityWeights, policies);
      outcomes.set(item.receiptId, { status: 'processed', messageId: item.messageId, conversationId: state.id, createdConversation: state.isNew });
      finished.push({ receiptId: item.receiptId, messageId: item.messageId });
      const allowRemoteImages = (item.inbox.config as { allowRemoteImages?: boolean }).allowRemoteImages === true;
      return {
        id: item.messageId,
        conversationId: state.id,
        inboxId: item.inbox.id,
        inbound,
        contactId: requests[n]!.contactId,
        message: item.message,
        html: item.message.html ? sanitiseHtml(item.message.html, { allowRemoteImages }) : null,
        threadReason: decisions[n]!.reason,
        sentAt,
        createdAt: now,
        signals,
        attachmentIds: item.message.attachments.map(() => crypto.randomUUID()),
      };
    });
    const openReasons = new Map<string, string>();
    for (const d of decisions) if (!openReasons.has(d.conversationId)) openReasons.set(d.conversationId, d.reason);
    const all = [...states.values()];
    // Sent together (pipeline mode); read before COMMIT: the events then go out the moment it returns, each message with its conversation.
    const [, views] = await together(
      client,
      () => writeBatch(client, { conversations: all, messages, receipts: finished, openReasons, routed }),
      () => loadConversationViews(client, all.map((s) => s.id)),
    );
    return { outcomes, states: all, messages, contacts, views, routed: routed && messages.some((m) => m.inbound) };
  }

  /** Parses and scores one receipt's message. Analysis is pure and needs no lock but the receipt's. */
  private async prepare(receiptId: string, r: { inbox_id: string; payload: unknown; message_id: string }): Promise<Item> {
    const inbox = await this.o.inboxes.get(r.inbox_id);
    const message = inboundMessageSchema.parse(r.payload);
    const signals =
      message.direction === 'inbound'
        ? analyzeMessage(message.text || message.subject || '', { channel: inbox.kind, isPublic: message.conversationType === 'mention' })
        : null;
    return { receiptId, messageId: r.message_id, inbox, message, signals };
  }

  /**
   * A message whose language was uncertain ("gracias!", "ok merci") is read again in the
   * customer's earlier language, once the conversation is known.
   */
  private withLanguagePrior(item: Item, earlier: string | null): MessageSignals | null {
    const s = item.signals;
    if (!s || !earlier || earlier === 'und' || s.language.code === earlier || (s.language.code !== 'und' && s.language.confidence >= UNCERTAIN_LANGUAGE)) return s;
    return analyzeMessage(item.message.text || item.message.subject || '', { channel: item.inbox.kind, isPublic: item.message.conversationType === 'mention', languagePrior: earlier });
  }

  private async storedMessageId(client: pg.PoolClient, r: { inbox_id: string; payload: unknown }): Promise<string> {
    const externalId = (r.payload as { externalId: string }).externalId;
    const { rows } = await client.query<{ id: string }>('SELECT id FROM messages WHERE inbox_id = $1 AND external_id = $2', [r.inbox_id, externalId]);
    return rows[0]!.id;
  }

  /** Decides one message's conversation; a new one gets its id now so later messages of the batch can join it. */
  private decide(req: ThreadRequest, found: ThreadCandidates, now: Date): ThreadDecision & { conversationId: string } {
    const d = decideThread(req, found, { now, reopenWindowMs: this.o.reopenWindowMs, parseToken: this.parseToken });
    if (d.reason === 'same-message') return { ...d, conversationId: d.conversationId! };
    const conversationId = d.conversationId ?? crypto.randomUUID();
    found.remember(req, { id: conversationId, inboxId: req.inboxId, contactId: req.contactId, type: req.message.conversationType, status: 'open', resolvedAt: null });
    return { ...d, conversationId };
  }

  /** The latest conversation of each (inbox, contact) asked about, locked, as state and as thread candidate. */
  private async lockLatest(client: pg.PoolClient, asked: ThreadRequest[]): Promise<Map<string, LoadedState>> {
    const [sql, values] = latestConversations(asked, STATE_COLUMNS, { join: STATE_JOIN, lock: true });
    if (!values[0].length) return new Map();
    const { rows } = await client.query<LoadedState>(sql, values);
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** The current state of every conversation the batch touches (locked), and blank states for new ones. */
  private async loadStates(
    client: pg.PoolClient,
    items: Item[],
    requests: ThreadRequest[],
    decisions: Array<ThreadDecision & { conversationId: string }>,
    contacts: ResolvedContacts,
    now: Date,
    loaded: Map<string, LoadedState>,
  ): Promise<Map<string, ConversationState>> {
    const states = new Map<string, ConversationState>();
    const existing = [...new Set(decisions.filter((d) => d.reason !== 'new').map((d) => d.conversationId))];
    // Joined by a token, thread key or reply rather than as the contact's latest: not locked yet.
    const missing = existing.filter((id) => !loaded.has(id));
    const rows = missing.length
      ? (await client.query<LoadedState>(`SELECT ${STATE_COLUMNS} FROM conversations c ${STATE_JOIN} WHERE c.id = ANY($1::uuid[]) ORDER BY c.id FOR NO KEY UPDATE OF c`, [missing])).rows
      : [];
    for (const id of existing) {
      const r = loaded.get(id) ?? rows.find((x) => x.id === id);
      if (!r) continue;
      states.set(id, { ...r, isNew: false, addedMessages: 0, changes: new Set(), opened: null });
    }
    decisions.forEach((d, n) => {
      if (states.has(d.conversationId)) return;
      const { inbox, message } = items[n]!;
      const contactId = requests[n]!.contactId;
      states.set(d.conversationId, {
        id: d.conversationId, isNew: true, inboxId: inbox.id, contactId, type: message.conversationType, status: 'open',
        subject: message.subject ?? null, threadKey: message.thread.key ?? null, teamId: inbox.teamId, waitingSince: null, firstResponseAt: null, snoozedUntil: null, resolvedAt: null,
        lastMessageAt: message.sentAt ? new Date(message.sentAt) : now, lastInboundAt: null, lastMessagePreview: null, complaintCategory: null,
        sentimentScore: null, sentimentLabel: null, sentimentSeries: [], sentimentSlope: null, escalationRisk: null, previousRisk: null, language: null, firstResponseDueAt: null, nextResponseDueAt: null,
        resolutionDueAt: null, slaPolicyId: null, createdAt: now, priorityFloor: 0,
        customerValue: contacts.byId.get(contactId)?.customerValue ?? null, tier: contacts.byId.get(contactId)?.tier ?? null, priority: 0, priorityReason: null,
        addedMessages: 0, changes: new Set(), opened: 'created',
      });
    });
    return states;
  }

  /**
   * After commit, from what the transaction wrote and read (no query). A new conversation is
   * announced first; every message then carries its conversation; a conversation the batch
   * reopened also gets conversation.updated, as any status change does.
   */
  private publish(w: Written): void {
    const stateOf = new Map(w.states.map((s) => [s.id, s]));
    const viewOf = new Map(w.views.map((v) => [v.id, v]));
    for (const view of w.views) {
      const s = stateOf.get(view.id)!;
      if (s.isNew) this.o.events.emit({ type: 'conversation.created', inboxId: view.inbox.id, conversation: view });
    }
    for (const m of w.messages) {
      this.o.events.emit({ type: 'message.created', inboxId: m.inboxId, conversationId: m.conversationId, message: this.messageViewOf(m, w.contacts), conversation: viewOf.get(m.conversationId) });
    }
    for (const view of w.views) {
      const s = stateOf.get(view.id)!;
      if (!s.isNew && s.changes.has('status')) this.o.events.emit({ type: 'conversation.updated', inboxId: view.inbox.id, conversation: view, changes: [...s.changes] });
    }
  }

  private messageViewOf(m: MessageRow, contacts: ResolvedContacts | null) {
    return messageView({
      id: m.id,
      conversationId: m.conversationId,
      inboxId: m.inboxId,
      direction: m.inbound ? 'inbound' : 'outbound',
      senderType: m.inbound ? 'contact' : 'agent',
      agentId: null,
      agentName: null,
      contactId: m.inbound ? m.contactId : null,
      contactName: m.inbound ? (contacts?.byId.get(m.contactId)?.name ?? null) : null,
      text: m.message.text,
      html: m.html,
      subject: m.message.subject ?? null,
      externalId: m.message.externalId,
      threadReason: m.threadReason,
      deliveryStatus: m.inbound ? 'received' : 'sent',
      deliveryError: null,
      metadata: messageMetadata(m.message),
      sentAt: m.sentAt,
      createdAt: m.createdAt,
      signals: m.signals
        ? {
            sentiment: m.signals.sentiment,
            complaint: m.signals.complaint,
            urgency: m.signals.urgency,
            escalationRisk: m.signals.escalationRisk,
            language: m.signals.language.code,
            explanation: m.signals.explanation,
            modelVersion: m.signals.modelVersion,
          }
        : null,
      attachments: m.message.attachments.map((a, i) => ({ id: m.attachmentIds[i]!, fileName: a.fileName, contentType: a.contentType, size: a.size, url: a.storageKey ? `/api/v1/attachments/${m.attachmentIds[i]!}` : (a.url ?? null), inline: a.inline ?? false })),
    });
  }
}
