// Sends stored replies through their channel's connector and records what happened on each
// message: sent/delivered, or failed with the reason, visible to the agent.
//
// In batches, like the pipeline: the jobs running at the same time (an acknowledgement for
// every new conversation of a burst) are delivered together with a handful of statements —
// the messages with their conversation, inbox, contact and identities in one; the loop
// guards for automatic messages in one; the history connectors quote in one; the outcomes in
// one — and the sends themselves side by side. Each message keeps its own queue job, so a
// failure is retried (or dead-lettered) for that message alone.
import { Batcher } from '../../platform/batcher';
import type { Database, Inbox } from '../../platform/db/client';
import { SqlParams } from '../../platform/db/sql';
import type { Logger } from '../../platform/logger';
import { PermanentJobError, type Job } from '../../platform/queue';
import { ProviderError, errorMessage } from '../../platform/errors';
import type { ConnectorRegistry } from '../channels/registry';
import type { ConnectorContext, OutboundMessage, SendResult } from '../channels/contract';
import { conversationToken } from '../conversations/reply-token';
import { CHANNEL_IDENTITY, consentRefusal, purposeOf, type ConsentPurpose } from '../contacts/consent';
import { unsubscribeUrl } from '../contacts/unsubscribe';
import type { InboxEventBus } from '../events';
import type { OutboundJob } from '../queues';
import { loadMessageViews } from '../views';

const HISTORY = 20;

export interface OutboundDeliveryOptions {
  db: Database;
  connectors: ConnectorRegistry;
  ctx: ConnectorContext;
  events: InboxEventBus;
  logger: Logger;
  /** Automatic messages one contact may get per hour, whatever the rules say (default 3). */
  automaticPerHour?: number;
  /** Messages delivered together at most (default 100). */
  maxBatchSize?: number;
  /** Told of each send by channel: sent, or failed (an attempt that will be retried counts too) (metrics). */
  onSend?: (channel: string, outcome: 'sent' | 'failed') => void;
}

interface Outgoing {
  id: string;
  text: string;
  html: string | null;
  subject: string | null;
  senderType: 'contact' | 'agent' | 'system';
  createdAt: Date;
  metadata: Record<string, unknown>;
  externalId: string | null;
  deliveryStatus: string | null;
  conversation: { id: string; reference: number; subject: string | null; threadKey: string | null; type: 'direct' | 'mention'; contactId: string };
  inbox: Inbox;
  contact: { id: string; name: string | null; email: string | null; phone: string | null };
  identities: Array<{ kind: string; address: string; optedOut: boolean; unsubscribed: string[] }>;
  agent: { id: string; name: string } | null;
  doNotContact: boolean;
  language: string | null;
}

type HistoryRow = OutboundMessage['history'][number] & { forMessage: string };

/** What becomes of one message: a status (moved only from queued when `ifQueued`), an error, metadata, the provider's id. */
interface Outcome {
  id: string;
  status: 'queued' | 'sent' | 'delivered' | 'failed';
  ifQueued: boolean;
  error: string | null;
  metadata: Record<string, unknown>;
  externalId: string | null;
  /** Thrown to the message's job after the outcome is written: retried, or not (PermanentJobError). */
  raise?: Error;
}

export class OutboundDelivery {
  private readonly batcher: Batcher<Job<OutboundJob>, void>;
  private readonly automaticPerHour: number;

  constructor(private readonly o: OutboundDeliveryOptions) {
    this.automaticPerHour = o.automaticPerHour ?? 3;
    // Several batches at once: one slow provider (an SMTP server taking seconds) must not hold up the others.
    this.batcher = new Batcher({ run: (jobs) => this.deliverBatch(jobs), maxBatchSize: o.maxBatchSize ?? 100, maxInFlight: 4 });
  }

  /** Sends the job's message (batched with the others being sent now); throws for the queue to retry. */
  deliver(job: Job<OutboundJob>): Promise<void> {
    return this.batcher.submit(job);
  }

  private async deliverBatch(jobs: Array<Job<OutboundJob>>): Promise<Array<void | Error>> {
    const ids = [...new Set(jobs.map((j) => j.data.messageId))];
    const messages = await this.load(ids);
    // Gone, or already done by an earlier attempt: nothing to send twice.
    const sendable = messages.filter((m) => m.deliveryStatus === 'queued');
    const [refusals, history] = await Promise.all([this.automaticRefusals(sendable.filter((m) => m.senderType === 'system')), this.history(sendable)]);
    const attemptOf = new Map(jobs.map((j) => [j.data.messageId, j]));
    const outcomes = await Promise.all(sendable.map((m) => this.send(m, refusals.get(m.id) ?? null, history.get(m.id) ?? [], attemptOf.get(m.id)!)));
    sendable.forEach((m, i) => this.o.onSend?.(m.inbox.kind, outcomes[i]!.error ? 'failed' : 'sent'));
    await this.record(outcomes);
    const raised = new Map(outcomes.flatMap((x) => (x.raise ? [[x.id, x.raise] as const] : [])));
    return jobs.map((j) => raised.get(j.data.messageId));
  }

  private async send(m: Outgoing, refusal: string | null, history: OutboundMessage['history'], job: Job<OutboundJob>): Promise<Outcome> {
    const base = { id: m.id, metadata: m.metadata, externalId: m.externalId };
    const connector = this.o.connectors.find(m.inbox.kind);
    if (!connector) {
      const error = `no connector is installed for channel ${m.inbox.kind}`;
      return { ...base, status: 'failed', ifQueued: false, error, raise: new PermanentJobError(error) };
    }
    // Switched on after this was queued, or an automatic message: nothing goes to someone who asked not to be contacted.
    if (m.doNotContact) {
      this.o.logger.info({ messageId: m.id }, 'not sent: the customer asked not to be contacted');
      return { ...base, status: 'failed', ifQueued: false, error: 'Not sent: the customer asked not to be contacted ("do not contact" is on)' };
    }
    // Their consent for this purpose on this channel (STOP, an unsubscribe link); agents' answers go unless opted out of everything.
    const purpose = purposeOf(m);
    const refused = consentRefusal(m.identities, m.inbox.kind, purpose);
    if (refused) {
      this.o.logger.info({ messageId: m.id, purpose }, 'not sent: no consent');
      return { ...base, status: 'failed', ifQueued: false, error: `Not sent: ${refused}` };
    }
    if (refusal) {
      this.o.logger.info({ messageId: m.id, refusal }, 'automatic message not sent');
      return { ...base, status: 'failed', ifQueued: false, error: `Not sent: ${refusal}` };
    }
    const c = m.conversation;
    const out: OutboundMessage = {
      message: { id: m.id, text: m.text, html: m.html, subject: m.subject ?? c.subject, automatic: m.senderType === 'system', createdAt: m.createdAt },
      conversation: { id: c.id, reference: c.reference, subject: c.subject, threadKey: c.threadKey, type: c.type, token: conversationToken(c.reference, this.o.ctx.config.appSecret) },
      inbox: m.inbox,
      contact: m.contact,
      language: m.language,
      identities: m.identities,
      ...(purpose !== 'support' ? { unsubscribeUrl: this.unsubscribeUrl(m, purpose) } : {}),
      ...(surveyOf(m.metadata) ? { survey: surveyOf(m.metadata)! } : {}),
      ...(templateOf(m.metadata) ? { template: templateOf(m.metadata)! } : {}),
      ...(typeof m.metadata.privateReplyTo === 'string' ? { privateReplyTo: m.metadata.privateReplyTo } : {}),
      history,
      agent: m.agent,
    };
    let result: SendResult;
    try {
      result = await connector.send(this.o.ctx, out);
    } catch (err) {
      const permanent = err instanceof PermanentJobError || (err instanceof ProviderError && !err.retryable);
      const last = permanent || job.attempt >= job.maxAttempts;
      this.o.logger.warn({ err: errorMessage(err), messageId: m.id, attempt: job.attempt, last }, 'sending a reply failed');
      // Still queued while retries remain, with the reason visible to the agent meanwhile.
      return { ...base, status: last ? 'failed' : 'queued', ifQueued: false, error: errorMessage(err), raise: permanent ? new PermanentJobError(errorMessage(err)) : err instanceof Error ? err : new Error(String(err)) };
    }
    if (result.opened) await this.opened(m, result.opened);
    // Sent: whatever happens now must not make the job send it again. The status moves only
    // from queued: a chat visitor may already have read it (the push precedes this write).
    return { id: m.id, status: result.status, ifQueued: true, error: null, metadata: { ...m.metadata, ...result.metadata }, externalId: result.externalId ?? m.externalId };
  }

  /** The send opened a thread (a private reply → a DM): the conversation takes its key, the contact the customer's address there, so their answer joins it. */
  private async opened(m: Outgoing, opened: NonNullable<SendResult['opened']>): Promise<void> {
    try {
      await this.o.db.pool.query('UPDATE conversations SET thread_key = $2, updated_at = now() WHERE id = $1', [m.conversation.id, opened.threadKey]);
      if (opened.identity) {
        await this.o.db.pool.query(
          'INSERT INTO contact_identities (contact_id, kind, address) VALUES ($1, $2::"IdentityKind", $3) ON CONFLICT (kind, address) DO NOTHING',
          [m.conversation.contactId, opened.identity.kind, opened.identity.address],
        );
      }
    } catch (err) {
      // Sent all the same: never send it again for this; the agent can link an answer by hand.
      this.o.logger.warn({ err: errorMessage(err), messageId: m.id }, 'recording the thread a send opened failed');
    }
  }

  /** The link that stops this purpose for the identity the channel sends to. */
  private unsubscribeUrl(m: Outgoing, purpose: Exclude<ConsentPurpose, 'support'>): string | undefined {
    const kind = CHANNEL_IDENTITY[m.inbox.kind];
    const identity = m.identities.find((i) => i.kind === kind);
    if (!identity || !kind) return undefined;
    return unsubscribeUrl(this.o.ctx.publicUrl(), { kind, address: identity.address, purpose }, this.o.ctx.config.appSecret);
  }

  /** The messages with everything a connector is given, in one statement. */
  private async load(ids: string[]): Promise<Outgoing[]> {
    const { rows } = await this.o.db.pool.query<Outgoing>(
      `SELECT m.id, m.text, m.html, m.subject, m.sender_type::text AS "senderType", m.created_at AS "createdAt", m.metadata, m.external_id AS "externalId",
              m.delivery_status::text AS "deliveryStatus", ct.do_not_contact AS "doNotContact", COALESCE(ct.language, c.language) AS language,
              json_build_object('id', c.id, 'reference', c.reference, 'subject', c.subject, 'threadKey', c.thread_key, 'type', c.type, 'contactId', c.contact_id) AS conversation,
              json_build_object('id', i.id, 'name', i.name, 'kind', i.kind, 'config', i.config, 'secretRefs', i.secret_refs, 'routing', i.routing, 'tokenHash', i.token_hash,
                                'teamId', i.team_id, 'createdAt', i.created_at, 'updatedAt', i.updated_at) AS inbox,
              json_build_object('id', ct.id, 'name', ct.name, 'email', ct.email, 'phone', ct.phone) AS contact,
              COALESCE((SELECT json_agg(json_build_object('kind', ci.kind, 'address', ci.address, 'optedOut', ci.opted_out, 'unsubscribed', ci.unsubscribed) ORDER BY ci.created_at)
                          FROM contact_identities ci WHERE ci.contact_id = ct.id), '[]'::json) AS identities,
              CASE WHEN a.id IS NULL THEN NULL ELSE json_build_object('id', a.id, 'name', a.name) END AS agent
         FROM messages m
         JOIN conversations c ON c.id = m.conversation_id
         JOIN inboxes i ON i.id = c.inbox_id
         JOIN contacts ct ON ct.id = c.contact_id
         LEFT JOIN agents a ON a.id = m.agent_id
        WHERE m.id = ANY($1::uuid[])`,
      [ids],
    );
    // JSON carries dates as text: the connectors are given the Inbox as Prisma shapes it.
    for (const r of rows) Object.assign(r.inbox, { createdAt: new Date(r.inbox.createdAt), updatedAt: new Date(r.inbox.updatedAt) });
    return rows;
  }

  /**
   * Loop safety for every channel: nothing automatic answers a machine (auto-replies, bulk
   * mail: two robots answering each other forever), and one contact gets a bounded number
   * of automatic messages per hour whatever the rules say (those sent together counted too).
   */
  private async automaticRefusals(automatic: Outgoing[]): Promise<Map<string, string>> {
    const refusals = new Map<string, string>();
    if (!automatic.length) return refusals;
    const contacts = [...new Set(automatic.map((m) => m.conversation.contactId))];
    const conversations = [...new Set(automatic.map((m) => m.conversation.id))];
    const [machines, recent] = await Promise.all([
      // Both walk the (conversation_id, created_at) index: the newest messages, the last hour's.
      this.o.db.pool.query<{ id: string; automated: boolean | null }>(
        `SELECT v.id, (SELECT (m.metadata->>'automated')::boolean FROM messages m WHERE m.conversation_id = v.id AND m.direction = 'inbound' ORDER BY m.created_at DESC LIMIT 1) AS automated
           FROM unnest($1::uuid[]) AS v(id)`,
        [conversations],
      ),
      // The contacts' conversations first, then each one's automatic messages of the last hour
      // (a partial index holds only automatic messages): spelled out, so the plan cannot
      // wander over all messages while the tables grow faster than their statistics.
      this.o.db.pool.query<{ contact_id: string; n: number }>(
        `WITH theirs AS MATERIALIZED (SELECT id, contact_id FROM conversations WHERE contact_id = ANY($1::uuid[]))
         SELECT t.contact_id, sum(x.n)::int AS n FROM theirs t
          CROSS JOIN LATERAL (SELECT count(*) AS n FROM messages m
                               WHERE m.conversation_id = t.id AND m.created_at > now() - interval '1 hour' AND m.sender_type = 'system' AND m.direction = 'outbound'
                                 AND m.delivery_status IN ('sending', 'sent', 'delivered', 'read')) x
          GROUP BY t.contact_id`,
        [contacts],
      ),
    ]);
    const machine = new Set(machines.rows.filter((r) => r.automated).map((r) => r.id));
    const sent = new Map(recent.rows.map((r) => [r.contact_id, r.n]));
    for (const m of automatic) {
      const contact = m.conversation.contactId;
      const n = sent.get(contact) ?? 0;
      if (machine.has(m.conversation.id)) refusals.set(m.id, "the customer's last message was sent by a machine (auto-reply or bulk mail); answering it automatically could start a loop");
      else if (n >= this.automaticPerHour) refusals.set(m.id, `this contact already got ${n} automatic messages in the last hour (limit ${this.automaticPerHour})`);
      else sent.set(contact, n + 1);
    }
    return refusals;
  }

  /** Each message's conversation before it, newest 20, oldest first (for quoting and threading headers). */
  private async history(messages: Outgoing[]): Promise<Map<string, OutboundMessage['history']>> {
    const out = new Map<string, OutboundMessage['history']>();
    if (!messages.length) return out;
    const { rows } = await this.o.db.pool.query<HistoryRow>(
      `SELECT v.message_id AS "forMessage", h.* FROM unnest($1::uuid[], $2::uuid[]) AS v(message_id, conversation_id)
         CROSS JOIN LATERAL (
           SELECT m.direction::text AS direction, m.text, m.external_id AS "externalId", m.sent_at AS "sentAt", m.metadata, COALESCE(a.name, ct.name) AS "senderName"
             FROM messages m LEFT JOIN agents a ON a.id = m.agent_id LEFT JOIN contacts ct ON ct.id = m.contact_id
            WHERE m.conversation_id = v.conversation_id AND m.direction IN ('inbound', 'outbound') AND m.id <> v.message_id
            ORDER BY m.sent_at DESC LIMIT ${HISTORY}) h`,
      [messages.map((m) => m.id), messages.map((m) => m.conversation.id)],
    );
    for (const { forMessage, ...h } of rows) out.set(forMessage, [...(out.get(forMessage) ?? []), h]);
    for (const list of out.values()) list.reverse();
    return out;
  }

  /**
   * Every outcome in one statement, then told to the agents viewing the conversations. A
   * provider id already on another message (its echo was stored first) is kept aside in the
   * metadata as providerId.
   */
  private async record(outcomes: Outcome[]): Promise<void> {
    if (!outcomes.length) return;
    try {
      await this.write(outcomes);
    } catch (err) {
      // The sends happened: a failed write must not make every job send again. One by one, so
      // only a message whose own write fails is retried (an echo stored meanwhile: its id aside).
      this.o.logger.warn({ err: errorMessage(err), messages: outcomes.length }, 'recording deliveries together failed; recording them one by one');
      for (const x of outcomes) {
        try {
          await this.write([x]).catch((e: unknown) => ((e as { code?: string }).code === '23505' ? this.write([x], { idTaken: true }) : Promise.reject(e)));
        } catch (one) {
          x.raise ??= one instanceof Error ? one : new Error(String(one));
        }
      }
    }
    for (const m of await loadMessageViews(this.o.db.pool, outcomes.map((x) => x.id))) {
      this.o.events.emit({ type: 'message.updated', inboxId: m.inboxId, conversationId: m.conversationId, message: m });
    }
  }

  private async write(outcomes: Outcome[], o: { idTaken?: boolean } = {}): Promise<void> {
    const p = new SqlParams();
    const col = (f: (x: Outcome) => unknown, type: string) => p.column(outcomes, f, type);
    await this.o.db.pool.query(
      `WITH v AS (
         SELECT v.*, ${o.idTaken ? 'v.external_id IS NOT NULL' : `EXISTS (SELECT 1 FROM messages o JOIN messages me ON me.id = v.id
                              WHERE o.inbox_id = me.inbox_id AND o.external_id = v.external_id AND o.id <> v.id)`} AS taken
           FROM unnest(${col((x) => x.id, 'uuid[]')}, ${col((x) => x.status, 'text[]')}, ${col((x) => x.ifQueued, 'bool[]')}, ${col((x) => x.error, 'text[]')},
                       ${col((x) => JSON.stringify(x.metadata), 'jsonb[]')}, ${col((x) => x.externalId, 'text[]')})
             AS v(id, status, if_queued, error, metadata, external_id)
       )
       UPDATE messages m SET
           delivery_status = CASE WHEN NOT v.if_queued OR m.delivery_status = 'queued' THEN v.status::"DeliveryStatus" ELSE m.delivery_status END,
           delivery_error = v.error,
           metadata = CASE WHEN v.taken AND v.external_id IS DISTINCT FROM m.external_id THEN v.metadata || jsonb_build_object('providerId', v.external_id) ELSE v.metadata END,
           external_id = CASE WHEN v.taken THEN m.external_id ELSE v.external_id END
         FROM v WHERE m.id = v.id`,
      p.values,
    );
  }
}

/** The survey a message asks about (metadata.survey, written by src/inbox/surveys). */
function templateOf(metadata: Record<string, unknown>): OutboundMessage['template'] | null {
  const t = metadata.template as { name?: unknown; language?: unknown; parameters?: unknown } | undefined;
  if (!t || typeof t.name !== 'string' || typeof t.language !== 'string') return null;
  return { name: t.name, language: t.language, parameters: Array.isArray(t.parameters) ? t.parameters.map(String) : [] };
}

function surveyOf(metadata: Record<string, unknown>): { id: string; kind: string } | null {
  const s = metadata.survey as { id?: unknown; kind?: unknown } | undefined;
  return s && typeof s.id === 'string' && typeof s.kind === 'string' ? { id: s.id, kind: s.kind } : null;
}
