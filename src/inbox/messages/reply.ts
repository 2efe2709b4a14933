// Agents' replies and private notes. The reply is stored first (status queued), then its id
// goes to the outbound queue; the database row, not the queue, is what a sweeper trusts.
import { queryableOf, type Database, type Prisma, type Tx } from '../../platform/db/client';
import type { QueueBackend } from '../../platform/queue';
import type { Logger } from '../../platform/logger';
import type { Access } from '../access';
import { AppError } from '../../platform/errors';
import type { InboxEventBus } from '../events';
import type { PriorityWeights } from '../../routing/priority';
import { answeredByAgent } from '../conversations/state/message';
import { writeConversationState } from '../conversations/state/write';
import { QUEUES, type OutboundJob } from '../queues';
import { loadConversationView, loadMessageView, type MessageView } from '../views';
import { previewOf, sanitiseHtml } from './sanitise';

/** An agent's answer stops the customer's wait: these change (conversations/state/message.ts). */
const ANSWERED = ['waitingSince', 'firstResponseAt', 'firstResponseDueAt', 'nextResponseDueAt', 'priority', 'priorityReason'] as const;

export interface ReplyInput {
  text: string;
  html?: string;
  /** A private note: visible to agents only, never sent. */
  private?: boolean;
  /** Stored with the message for its channel: the template it goes as, the comment it answers privately. */
  metadata?: Record<string, unknown>;
}

export interface AutomaticReplyInput {
  text: string;
  /** A richer form for channels that show HTML (email): links as buttons. Sanitised like any HTML. */
  html?: string;
  /** Why it was sent (rule name, acknowledgement...): shown in the conversation's activity. */
  reason: string;
  metadata?: Record<string, unknown>;
}

/**
 * Runs in the transaction that stores an automatic message, with its id: a claim that must commit
 * with it (an incident's update). Throwing rolls the message back.
 */
export type WithinReply = (tx: Tx, messageId: string) => Promise<void>;

export interface RepliesOptions {
  db: Database;
  /** Where a stored reply is queued for its channel's sender. */
  queue: QueueBackend;
  events: InboxEventBus;
  logger: Logger;
  /** The priority formula's weights (PRIORITY_WEIGHTS): a reply recomputes the conversation's score. */
  priorityWeights: PriorityWeights;
  /** The clock; default the system's. */
  now?: () => Date;
  /** Only agents who see the conversation are told of a mention in it. */
  access?: Pick<Access, 'agentSees'>;
}

export class Replies {
  private readonly db: Database;
  private readonly queue: QueueBackend;
  private readonly events: InboxEventBus;
  private readonly logger: Logger;
  private readonly priorityWeights: PriorityWeights;
  private readonly now: () => Date;
  private readonly access: RepliesOptions['access'];

  constructor(o: RepliesOptions) {
    ({ db: this.db, queue: this.queue, events: this.events, logger: this.logger, priorityWeights: this.priorityWeights, access: this.access } = o);
    this.now = o.now ?? (() => new Date());
  }

  /** An agent's reply or note. Agents @mentioned in a note are told. */
  async fromAgent(agentId: string, conversationId: string, input: ReplyInput): Promise<MessageView> {
    const isNote = !!input.private;
    if (!isNote) await this.refuseIfDoNotContact(conversationId);
    const mentioned = isNote ? await this.mentionedIn(input.text, agentId, conversationId) : [];
    const view = await this.write(conversationId, {
      direction: isNote ? 'note' : 'outbound',
      senderType: 'agent',
      agentId,
      text: input.text,
      html: input.html ? sanitiseHtml(input.html) : null,
      deliveryStatus: isNote ? null : 'queued',
      metadata: { ...(isNote ? {} : (input.metadata ?? {})), ...(mentioned.length ? { mentions: mentioned.map((m) => m.id) } : {}) },
    }, !isNote);
    for (const m of mentioned) {
      this.events.emit({ type: 'agent.mentioned', inboxId: view.inboxId, conversationId, agentId: m.id, text: input.text.slice(0, 200), from: view.sender.name ?? 'An agent' });
    }
    return view;
  }

  /** A reply to someone who asked not to be contacted is refused at once, with the reason (a note is fine). */
  private async refuseIfDoNotContact(conversationId: string): Promise<void> {
    const { rows } = await this.db.pool.query<{ since: Date | null }>(
      `SELECT ct.do_not_contact_at AS since FROM conversations c JOIN contacts ct ON ct.id = c.contact_id WHERE c.id = $1 AND ct.do_not_contact`,
      [conversationId],
    );
    if (rows[0]) throw new AppError(409, 'do_not_contact', `The customer asked not to be contacted ("do not contact" is on${rows[0].since ? ` since ${rows[0].since.toISOString().slice(0, 10)}` : ''}); write a note, or switch it off on the contact`);
  }

  /** Agents named as @First or @"First Last" (case-insensitive), not the writer. */
  private async mentionedIn(text: string, writerId: string, conversationId: string): Promise<Array<{ id: string }>> {
    if (!text.includes('@')) return [];
    const place = await this.db.prisma.conversation.findUniqueOrThrow({ where: { id: conversationId }, select: { inboxId: true, teamId: true, assigneeId: true } });
    const lower = text.toLowerCase();
    const agents = await this.db.prisma.agent.findMany({ where: { active: true }, select: { id: true, name: true } });
    const named = (n: string) => new RegExp(`(^|\\s)@${n.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`).test(lower);
    const mentioned = agents.filter((a) => a.id !== writerId && (named(a.name) || named(a.name.split(' ')[0]!)));
    if (!this.access) return mentioned;
    const seeing = await Promise.all(mentioned.map((a) => this.access!.agentSees(a.id, place)));
    return mentioned.filter((_, i) => seeing[i]);
  }

  /** A message the system sends on its own (acknowledgement, rule): marked automatic. */
  async automatic(conversationId: string, input: AutomaticReplyInput, within?: WithinReply): Promise<MessageView> {
    return this.write(conversationId, {
      direction: 'outbound',
      senderType: 'system',
      agentId: null,
      text: input.text,
      html: input.html ?? null,
      deliveryStatus: 'queued',
      metadata: { automatic: true, reason: input.reason, ...input.metadata },
    }, false, within);
  }

  private async write(
    conversationId: string,
    m: Pick<Prisma.MessageUncheckedCreateInput, 'direction' | 'senderType' | 'agentId' | 'text' | 'html' | 'deliveryStatus'> & { metadata: Record<string, unknown> },
    /** An agent's answer stops the customer's wait; notes and automatic messages do not. */
    answersCustomer: boolean,
    within?: WithinReply,
  ) {
    const now = this.now();
    const message = await this.db.prisma.$transaction(async (tx) => {
      const c = await tx.conversation.findUniqueOrThrow({ where: { id: conversationId }, include: { contact: { select: { customerValue: true } } } });
      const message = await tx.message.create({
        data: { ...m, metadata: m.metadata as Prisma.InputJsonValue, conversationId, inboxId: c.inboxId, sentAt: now },
        select: { id: true, inboxId: true, deliveryStatus: true },
      });
      if (within) await within(tx, message.id);
      // The list shows the conversation's last human words: notes and automatic messages do not replace them.
      const shown = m.direction !== 'note' && m.senderType !== 'system';
      const row = { id: conversationId, ...answeredByAgent({ ...c, customerValue: c.contact.customerValue }, now, this.priorityWeights) };
      await writeConversationState(queryableOf(tx), 'update', {
        rows: [row],
        fields: answersCustomer ? ANSWERED : [],
        others: [
          { column: 'message_count', type: 'int[]', value: () => 1, update: 'c.message_count + v.message_count' },
          ...(shown ? [{ column: 'last_message_at', type: 'timestamptz[]', value: () => now }, { column: 'last_message_preview', type: 'text[]', value: () => previewOf(m.text) }] : []),
        ],
      });
      return message;
    });
    if (message.deliveryStatus === 'queued') await this.enqueue(message.id);
    const [view, conversation] = await Promise.all([loadMessageView(this.db.pool, message.id), loadConversationView(this.db.pool, conversationId)]);
    this.events.emit({ type: 'message.created', inboxId: message.inboxId, conversationId, message: view, conversation });
    return view;
  }

  async enqueue(messageId: string): Promise<void> {
    try {
      await this.queue.add<OutboundJob>(QUEUES.outbound, 'send', { messageId }, { jobId: `out-${messageId}` });
    } catch (err) {
      this.logger.warn({ err, messageId }, 'could not queue a reply; the sweeper will retry');
    }
  }
}
