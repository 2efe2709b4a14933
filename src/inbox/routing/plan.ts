// The unit of work of one routing batch. Routing decides in memory, on the batch's
// conversations (subjects.ts): each decision changes a subject and records what is to be
// written (activity lines, automatic replies, audit rows, labels, assignments, outbox rows)
// and what is to be told afterwards (notifications, escalations). write-plan.ts writes it
// all with a few set-based statements in one transaction; nothing here does I/O.
import crypto from 'node:crypto';
import { raisePriorityFloor } from '../../routing/priority';
import { actorLabel, assignmentActivity, statusChange, type Activity, type Actor, type StatusInput } from '../conversations/state/transitions';
import type { InboxEvent } from '../events';
import type { PriorityReason, RoutingSubject } from './subjects';

export interface PlannedMessage {
  id: string;
  conversationId: string;
  inboxId: string;
  direction: 'activity' | 'outbound';
  text: string;
  /** Automatic replies wait in `queued` for the outbound queue; activity lines have none. */
  deliveryStatus: 'queued' | null;
  metadata: Record<string, unknown>;
  sentAt: Date;
}

export interface PlannedAudit {
  type: string;
  conversationId: string;
  inboxId: string;
  data: Record<string, unknown>;
}

export type Notice = Extract<InboxEvent, { type: 'notification' | 'conversation.escalated' }>;

/** What changed on a conversation; status, assignee and team changes are also told as conversation.updated. */
export type Change = 'assignee' | 'team' | 'status' | 'priority' | 'labels' | 'escalation' | 'acknowledged' | 'messageCount';

export class RoutingPlan {
  readonly messages: PlannedMessage[] = [];
  readonly audits: PlannedAudit[] = [];
  readonly labels: Array<{ conversationId: string; name: string }> = [];
  /** Agents given a conversation, and when (round robin and tie-breaks). */
  readonly agentsAssigned = new Map<string, Date>();
  /** Agents who lost a conversation here (resolved, snoozed, handed on): they may have room now. */
  readonly released = new Set<string>();
  readonly notices: Notice[] = [];
  /** The conversations to write back, with what changed on each. */
  readonly changes = new Map<string, { subject: RoutingSubject; what: Set<Change> }>();
  /** Outbox events this batch handled (deleted with the batch's writes). */
  readonly handled: string[] = [];

  constructor(readonly now: Date) {}

  changed(s: RoutingSubject, ...what: Change[]): void {
    const entry = this.changes.get(s.id) ?? { subject: s, what: new Set<Change>() };
    for (const w of what) entry.what.add(w);
    this.changes.set(s.id, entry);
  }

  /**
   * A line in the conversation's timeline and its audit row. Lines of one conversation get
   * increasing times (a millisecond apart) so the timeline shows them in the order decided.
   */
  activity(actor: Actor, s: RoutingSubject, a: Activity, ...what: Change[]): void {
    this.messages.push({
      id: crypto.randomUUID(), conversationId: s.id, inboxId: s.inboxId, direction: 'activity', text: a.text, deliveryStatus: null,
      metadata: { activity: a.kind, actor, ...a.data }, sentAt: this.nextTime(s),
    });
    this.audit(`conversation.${a.kind}`, s, { actor, ...a.data });
    this.changed(s, ...what);
  }

  /** A message the system sends the customer on its own (an acknowledgement): marked automatic. */
  automaticReply(s: RoutingSubject, m: { text: string; reason: string; metadata: Record<string, unknown> }): void {
    this.messages.push({
      id: crypto.randomUUID(), conversationId: s.id, inboxId: s.inboxId, direction: 'outbound', text: m.text, deliveryStatus: 'queued',
      metadata: { automatic: true, reason: m.reason, ...m.metadata }, sentAt: this.nextTime(s),
    });
    s.addedMessages++;
    this.changed(s, 'messageCount');
  }

  audit(type: string, s: RoutingSubject, data: Record<string, unknown>): void {
    this.audits.push({ type, conversationId: s.id, inboxId: s.inboxId, data });
  }

  /** In-app notification to the conversation's inbox room and the supervisors. */
  notify(s: RoutingSubject, text: string, from: string, kind: 'escalation' | 'rule'): void {
    this.notices.push({ type: 'notification', inboxId: s.inboxId, conversationId: s.id, text: `#${s.reference}: ${text}`, from, kind, place: { teamId: s.teamId, assigneeId: s.assigneeId } });
  }

  /** Told to the alert channels (a Slack channel of the team), whoever took it. */
  escalated(s: RoutingSubject, text: string): void {
    this.notices.push({ type: 'conversation.escalated', inboxId: s.inboxId, conversationId: s.id, text, place: { teamId: s.teamId, assigneeId: s.assigneeId } });
  }

  // --- transitions of a subject's state, each with its activity line ---

  setStatus(actor: Actor, s: RoutingSubject, input: StatusInput): void {
    const { fields, activity } = statusChange(s.status, input, actor, this.now);
    const assignee = s.assigneeId;
    Object.assign(s, fields);
    this.activity(actor, s, activity, 'status');
    if (assignee && s.status !== 'open') this.released.add(assignee);
  }

  /** `agent` / `team`: the new ones (null clears, undefined leaves as is). */
  assign(actor: Actor, s: RoutingSubject, change: { agent?: { id: string; name: string } | null; team?: { id: string; name: string } | null; reason?: string }): void {
    const before = s.assigneeId;
    if (change.agent !== undefined) {
      s.assigneeId = change.agent?.id ?? null;
      if (change.agent) this.agentsAssigned.set(change.agent.id, this.now);
    }
    if (change.team !== undefined) s.teamId = change.team?.id ?? null;
    s.recentAssignments++;
    this.activity(actor, s, assignmentActivity(change, actor), 'assignee', 'team');
    if (before && before !== s.assigneeId) this.released.add(before);
  }

  raisePriority(actor: Actor, s: RoutingSubject, atLeast: number, why: string): void {
    const raised = raisePriorityFloor(s, atLeast, why);
    if (!raised) return;
    s.priority = raised.priority;
    s.priorityFloor = raised.priorityFloor;
    s.priorityReason = raised.priorityReason as PriorityReason;
    this.activity(actor, s, { text: `Priority raised to at least ${atLeast} by ${why}`, kind: 'priority_raised', data: { atLeast, by: why } }, 'priority');
  }

  addLabels(actor: Actor, s: RoutingSubject, names: string[]): void {
    const clean = [...new Set(names.map((n) => n.trim().toLowerCase()).filter(Boolean))];
    for (const name of clean) {
      if (s.labels.includes(name)) continue;
      s.labels.push(name);
      this.labels.push({ conversationId: s.id, name });
    }
    this.activity(actor, s, { text: `Labelled ${clean.join(', ')} by ${actorLabel(actor)}`, kind: 'labelled', data: { added: clean } }, 'labels');
  }

  private readonly lines = new Map<string, number>();

  private nextTime(s: RoutingSubject): Date {
    const n = this.lines.get(s.id) ?? 0;
    this.lines.set(s.id, n + 1);
    return new Date(this.now.getTime() + n);
  }
}
