// How a message changes its conversation: pure arithmetic on the conversation's state. A
// customer's or a teammate's message arriving through the pipeline is applied message by
// message through a batch; an agent's answer from the app, once. Both are written by
// write.ts.
import type { ConversationStatus } from '../../../platform/db/client';
import { inConversation, type MessageSignals } from '../../../sentiment';
import { conversationPriority, type ConversationPriorityFields, type Priority, type PriorityWeights } from '../../../routing/priority';
import { choosePolicy, dueTimes, type SlaPolicy } from '../../../routing/sla';
import type { ConversationStateColumns } from './write';

export interface ConversationState {
  id: string;
  isNew: boolean;
  inboxId: string;
  contactId: string;
  type: 'direct' | 'mention';
  status: ConversationStatus;
  subject: string | null;
  threadKey: string | null;
  teamId: string | null;
  waitingSince: Date | null;
  firstResponseAt: Date | null;
  snoozedUntil: Date | null;
  resolvedAt: Date | null;
  lastMessageAt: Date;
  lastInboundAt: Date | null;
  lastMessagePreview: string | null;
  complaintCategory: string | null;
  sentimentScore: number | null;
  sentimentLabel: string | null;
  /** The customer's message scores, oldest first (the last 20), and the recent slope. */
  sentimentSeries: number[];
  sentimentSlope: number | null;
  escalationRisk: number | null;
  /** The language of the customer's latest message (assignment matches it to agents). */
  language: string | null;
  firstResponseDueAt: Date | null;
  nextResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
  slaPolicyId: string | null;
  createdAt: Date;
  customerValue: number | null;
  tier: string | null;
  priorityFloor: number;
  /** Escalation risk before this batch (routing reacts to a rise). */
  previousRisk: number | null;
  priority: number;
  priorityReason: { factors: Priority['factors']; computedAt: string } | null;
  addedMessages: number;
  changes: Set<string>;
  /** Why it was created or reopened in this batch, for the audit log. */
  opened: 'created' | 'reopened' | null;
}

export interface AppliedMessage {
  sentAt: Date;
  preview: string;
  inbound: boolean;
  signals: MessageSignals | null;
  reopens: boolean;
  /** A bare rating answering the conversation's survey: stored, and it changes nothing else. */
  answersSurvey?: boolean;
}

/**
 * Applies one message to its conversation. Returns the message's signals as they are to be
 * stored: its escalation risk now counts the conversation (trajectory, public post, value).
 */
export function applyMessage(c: ConversationState, m: AppliedMessage, now: Date, weights: PriorityWeights, policies: readonly SlaPolicy[] = []): MessageSignals | null {
  c.addedMessages++;
  // A rating in answer to the survey: kept as a message (the survey sweep records it), the conversation stays as it was.
  if (m.answersSurvey && m.inbound) {
    c.lastInboundAt = m.sentAt;
    return m.signals;
  }
  // Out-of-order delivery must not move the conversation back in time.
  if (m.sentAt >= c.lastMessageAt || c.addedMessages === 1) {
    c.lastMessageAt = m.sentAt > c.lastMessageAt ? m.sentAt : c.lastMessageAt;
    c.lastMessagePreview = m.preview;
  }
  c.changes.add('lastMessageAt').add('messageCount');
  if (!m.inbound) {
    // A teammate answered from the provider's own app: the customer is no longer waiting.
    c.waitingSince = null;
    c.firstResponseAt ??= m.sentAt;
    applySla(c, policies);
    setPriority(c, conversationPriority(c, now, weights), now);
    c.changes.add('waitingSince').add('priority');
    return null;
  }
  const { signals: s, trajectory } = inConversation(m.signals!, { previousScores: c.sentimentSeries, isPublic: c.type === 'mention', customerValue: c.customerValue });
  c.sentimentSeries = trajectory.series;
  c.sentimentSlope = trajectory.slope;
  c.waitingSince ??= m.sentAt;
  c.lastInboundAt = m.sentAt;
  c.sentimentScore = s.sentiment.score;
  c.sentimentLabel = s.sentiment.label;
  c.complaintCategory = s.complaint?.category ?? c.complaintCategory;
  c.escalationRisk = s.escalationRisk;
  c.language = s.language.code;
  c.changes.add('sentiment').add('priority').add('waitingSince');
  if (c.status !== 'open') {
    // A customer writing wakes a snoozed, pending or resolved conversation.
    if (c.status === 'resolved' && !c.isNew) c.opened ??= 'reopened';
    c.status = 'open';
    c.snoozedUntil = null;
    c.resolvedAt = null;
    c.changes.add('status');
  }
  applySla(c, policies);
  setPriority(c, conversationPriority(c, now, weights, s.urgency.reduce((sum, u) => sum + u.weight, 0)), now);
  return s;
}

/** Due times from the conversation's service level (policy chosen by inbox, priority, tier). */
function applySla(c: ConversationState, policies: readonly SlaPolicy[]): void {
  const policy = choosePolicy(policies, { inboxId: c.inboxId, priority: Math.max(c.priority, c.priorityFloor), tier: c.tier });
  const due = dueTimes(policy, { status: c.status, createdAt: c.createdAt, waitingSince: c.waitingSince, firstResponseAt: c.firstResponseAt, resolvedAt: null });
  c.slaPolicyId = policy?.id ?? null;
  c.firstResponseDueAt = due.firstResponseDueAt;
  c.nextResponseDueAt = due.nextResponseDueAt;
  // The resolution clock starts once and keeps running.
  c.resolutionDueAt ??= due.resolutionDueAt;
  c.changes.add('sla');
}

function setPriority(c: ConversationState, p: Priority, now: Date): void {
  Object.assign(c, storedPriority(p, now));
}

/** A computed priority as stored: the score and why. */
export function storedPriority(p: Priority, now: Date): Pick<ConversationState, 'priority' | 'priorityReason'> {
  return { priority: p.score, priorityReason: { factors: p.factors, computedAt: now.toISOString() } };
}

export type AnsweredState = Pick<ConversationStateColumns, 'waitingSince' | 'firstResponseAt' | 'firstResponseDueAt' | 'nextResponseDueAt' | 'priority' | 'priorityReason'>;

/** An agent answered from the app: the customer waits no more, nothing is due until they write again, and the score drops to its answered share. */
export function answeredByAgent(c: ConversationPriorityFields, now: Date, weights: PriorityWeights): AnsweredState {
  const answered = { waitingSince: null, firstResponseAt: c.firstResponseAt ?? now, firstResponseDueAt: null, nextResponseDueAt: null };
  return { ...answered, ...storedPriority(conversationPriority({ ...c, ...answered }, now, weights), now) };
}
