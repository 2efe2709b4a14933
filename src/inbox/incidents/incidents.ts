// Incidents: open one, move it on, link conversations and public mentions to it (one, a
// selection, or its rule: rule-match.ts, applied to new messages by the pipeline), resolve the linked conversations in one step. The updates to
// customers on resolve are sent by the worker (updates.ts), not by the request that resolved it.
import type { Database, Incident, IncidentStatus, Prisma } from '../../platform/db/client';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors';
import { isUuid } from '../../platform/ttl-cache';
import type { Actor, ConversationActions } from '../conversations/actions';
import { INCIDENT_RULE_MATCH, normaliseKeywords } from './rule-match';

export const INCIDENT_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const satisfies readonly IncidentStatus[];

/** Without a start, a rule looks this far back: the customers who wrote before anyone opened the incident. */
const RULE_LOOKBACK_MS = 24 * 3_600_000;

export interface IncidentRuleInput {
  /** A complaint type (billing, delay…); any when null. */
  category?: string | null;
  keywords?: string[];
  from?: Date | null;
  until?: Date | null;
}

export interface IncidentInput {
  title?: string;
  description?: string | null;
  status?: IncidentStatus;
  /** null: no rule. */
  rule?: IncidentRuleInput | null;
  /** The update sent on resolve, by language ("en", "es"…). */
  updateTexts?: Record<string, string>;
  notify?: boolean;
}

export interface LinkedConversation {
  conversationId: string;
  reference: number;
  type: 'direct' | 'mention';
  status: string;
  channel: string;
  contactName: string | null;
  preview: string | null;
  linkedBy: string;
  linkedAt: Date;
  notifiedAt: Date | null;
  updateMessageId: string | null;
  updateStatus: string | null;
  skippedReason: string | null;
}

export interface IncidentsOptions {
  db: Database;
  actions: ConversationActions;
  now?: () => Date;
}

export class Incidents {
  private readonly now: () => Date;

  constructor(private readonly o: IncidentsOptions) {
    this.now = o.now ?? (() => new Date());
  }

  async create(agentId: string | null, input: IncidentInput & { title: string }): Promise<Incident> {
    const incident = await this.o.db.prisma.incident.create({
      data: { title: input.title, description: input.description ?? null, status: input.status ?? 'investigating', createdById: agentId, ...this.ruleData(input.rule), ...this.rest(input) },
    });
    return this.afterWrite(incident, input);
  }

  async update(id: string, input: IncidentInput): Promise<Incident> {
    const before = await this.find(id);
    const data: Prisma.IncidentUpdateInput = { ...this.rest(input) };
    if (input.title !== undefined) data.title = input.title;
    if (input.description !== undefined) data.description = input.description;
    if (input.rule !== undefined) Object.assign(data, this.ruleData(input.rule));
    if (input.status && input.status !== before.status) {
      data.status = input.status;
      data.resolvedAt = input.status === 'resolved' ? this.now() : null;
    }
    const incident = await this.o.db.prisma.incident.update({ where: { id }, data });
    return this.afterWrite(incident, input);
  }

  /** Links conversations (they must exist); answers how many were not linked before. */
  async link(id: string, conversationIds: string[], by: 'agent' | 'bulk', agentId: string | null): Promise<number> {
    const incident = await this.find(id);
    if (incident.status === 'resolved') throw new ConflictError('The incident is resolved: reopen it to link more conversations');
    const ids = [...new Set(conversationIds)];
    const found = await this.o.db.prisma.conversation.findMany({ where: { id: { in: ids } }, select: { id: true } });
    if (found.length !== ids.length) throw new NotFoundError('Conversation');
    const { count } = await this.o.db.prisma.incidentLink.createMany({
      data: ids.map((conversationId) => ({ incidentId: id, conversationId, linkedBy: by, agentId })),
      skipDuplicates: true,
    });
    return count;
  }

  async unlink(id: string, conversationId: string): Promise<void> {
    const { count } = await this.o.db.prisma.incidentLink.deleteMany({ where: { incidentId: id, conversationId, notifiedAt: null } });
    if (!count) {
      const link = await this.o.db.prisma.incidentLink.findUnique({ where: { incidentId_conversationId: { incidentId: id, conversationId } } });
      if (!link) throw new NotFoundError('Linked conversation');
      throw new ConflictError('The customer was already updated about this incident: the link stays as the record of it');
    }
  }

  /**
   * Links every conversation with a customer message matching the incident's rule, written
   * inside its window. The pipeline links new ones as they arrive; this finds those before.
   */
  async linkByRule(id: string): Promise<number> {
    const i = await this.find(id);
    if (!i.ruleEnabled || !i.ruleFrom) return 0;
    const { rowCount } = await this.o.db.pool.query(
      `INSERT INTO incident_links (incident_id, conversation_id, linked_by)
       SELECT DISTINCT i.id, m.conversation_id, 'rule'
         FROM incidents i
         JOIN conversations c ON c.status IN ('open', 'pending', 'snoozed', 'resolved') AND c.last_message_at >= i.rule_from
         JOIN messages m ON m.conversation_id = c.id AND m.created_at >= i.rule_from AND m.direction = 'inbound'
         LEFT JOIN message_signals s ON s.message_id = m.id
         CROSS JOIN LATERAL (SELECT s.complaint_category AS category, c.complaint_category AS conversation_category) u
        WHERE i.id = $1 AND ${INCIDENT_RULE_MATCH}
       ON CONFLICT DO NOTHING`,
      [id],
    );
    return rowCount ?? 0;
  }

  /** Resolves every linked conversation (of those `visible`) not resolved yet, one activity line each; answers how many. */
  async resolveConversations(actor: Actor, id: string, visible: Prisma.ConversationWhereInput = {}): Promise<number> {
    const incident = await this.find(id);
    const open = await this.o.db.prisma.conversation.findMany({
      where: { AND: [visible, { incidentLinks: { some: { incidentId: id } }, status: { not: 'resolved' } }] },
      select: { id: true },
    });
    for (const c of open) await this.o.actions.setStatus(actor, c.id, { status: 'resolved', reason: `incident "${incident.title}" resolved` });
    return open.length;
  }

  async find(id: string): Promise<Incident> {
    const incident = isUuid(id) ? await this.o.db.prisma.incident.findUnique({ where: { id } }) : null;
    if (!incident) throw new NotFoundError('Incident');
    return incident;
  }

  /** The linked conversations the caller sees (`where`: their visibility), newest link first, with each update's fate. */
  async linked(id: string, visible: Prisma.ConversationWhereInput): Promise<LinkedConversation[]> {
    const links = await this.o.db.prisma.incidentLink.findMany({
      where: { incidentId: id, conversation: visible },
      orderBy: { linkedAt: 'desc' },
      take: 5_000,
      include: { conversation: { select: { reference: true, type: true, status: true, lastMessagePreview: true, inbox: { select: { kind: true } }, contact: { select: { name: true, email: true } } } } },
    });
    const updates = await this.o.db.prisma.message.findMany({
      where: { id: { in: links.flatMap((l) => (l.updateMessageId ? [l.updateMessageId] : [])) } },
      select: { id: true, deliveryStatus: true },
    });
    const statusOf = new Map(updates.map((u) => [u.id, u.deliveryStatus]));
    return links.map((l) => ({
      conversationId: l.conversationId,
      reference: l.conversation.reference,
      type: l.conversation.type,
      status: l.conversation.status,
      channel: l.conversation.inbox.kind,
      contactName: l.conversation.contact.name ?? l.conversation.contact.email,
      preview: l.conversation.lastMessagePreview,
      linkedBy: l.linkedBy,
      linkedAt: l.linkedAt,
      notifiedAt: l.notifiedAt,
      updateMessageId: l.updateMessageId,
      updateStatus: l.updateMessageId ? (statusOf.get(l.updateMessageId) ?? null) : null,
      skippedReason: l.skippedReason,
    }));
  }

  private ruleData(rule: IncidentRuleInput | null | undefined): Partial<Prisma.IncidentCreateInput> {
    if (rule === undefined) return {};
    if (rule === null) return { ruleEnabled: false };
    const keywords = normaliseKeywords(rule.keywords ?? []);
    if (!rule.category && !keywords.length) throw new ValidationError('A rule needs a complaint type, keywords, or both (otherwise it would link every message)');
    if (rule.from && rule.until && rule.until <= rule.from) throw new ValidationError('The rule\'s window ends before it starts');
    return {
      ruleEnabled: true,
      ruleCategory: rule.category ?? null,
      ruleKeywords: keywords,
      ruleFrom: rule.from ?? new Date(this.now().getTime() - RULE_LOOKBACK_MS),
      ruleUntil: rule.until ?? null,
    };
  }

  private rest(input: IncidentInput): Partial<Prisma.IncidentCreateInput> {
    return {
      ...(input.updateTexts !== undefined ? { updateTexts: input.updateTexts } : {}),
      ...(input.notify !== undefined ? { notify: input.notify } : {}),
    };
  }

  private async afterWrite(incident: Incident, input: IncidentInput): Promise<Incident> {
    if (input.rule && incident.status !== 'resolved') await this.linkByRule(incident.id);
    return incident;
  }
}
