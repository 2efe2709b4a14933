// How a conversation's status and assignment change, and how each change reads in its
// timeline. Pure: shared by agents' actions (conversations/actions.ts) and routing
// (routing/plan.ts), so a rule that resolves a conversation leaves it exactly as an agent would.
import type { ConversationStatus } from '../../../platform/db/client';
import { ValidationError } from '../../../platform/errors';

/** Who made a change: an agent, a routing rule, or the system itself. */
export type Actor = { type: 'agent'; id: string; name: string } | { type: 'rule'; name: string } | { type: 'system'; name?: string };

export const actorLabel = (a: Actor) => (a.type === 'agent' ? a.name : a.type === 'rule' ? `rule "${a.name}"` : (a.name ?? 'the system'));

/** An activity line: the text agents read in the timeline, its kind, and what the audit log keeps. */
export type Activity = { text: string; kind: string; data: Record<string, unknown> };

export interface StatusInput {
  status: ConversationStatus;
  snoozedUntil?: Date | null;
  reason?: string;
}

/** The columns a status change sets (those it leaves alone are absent). */
export interface StatusFields {
  status: ConversationStatus;
  snoozedUntil?: Date | null;
  resolvedAt?: Date | null;
  waitingSince?: Date | null;
  firstResponseDueAt?: Date | null;
  nextResponseDueAt?: Date | null;
  resolutionDueAt?: Date | null;
}

export function statusChange(from: ConversationStatus, input: StatusInput, actor: Actor, now: Date): { fields: StatusFields; activity: Activity } {
  let fields: StatusFields;
  let text: string;
  switch (input.status) {
    case 'snoozed':
      if (!input.snoozedUntil || input.snoozedUntil <= now) {
        throw new ValidationError('Snoozing needs a time in the future', [{ path: 'snoozedUntil', message: 'must be in the future' }]);
      }
      // Waiting on the customer or on time: no response is due from us meanwhile.
      fields = { status: 'snoozed', snoozedUntil: input.snoozedUntil, resolvedAt: null, firstResponseDueAt: null, nextResponseDueAt: null };
      text = `Snoozed until ${input.snoozedUntil.toISOString()}`;
      break;
    case 'resolved':
      // A resolved conversation has nobody waiting on it.
      fields = { status: 'resolved', resolvedAt: now, snoozedUntil: null, waitingSince: null, firstResponseDueAt: null, nextResponseDueAt: null, resolutionDueAt: null };
      text = 'Resolved';
      break;
    case 'pending':
      fields = { status: 'pending', snoozedUntil: null, resolvedAt: null, firstResponseDueAt: null, nextResponseDueAt: null };
      text = 'Marked pending (waiting on the customer)';
      break;
    default:
      fields = { status: input.status, snoozedUntil: null, resolvedAt: null };
      text = from === 'resolved' ? 'Reopened' : 'Opened';
  }
  return {
    fields,
    // The data says it again for the app to say in its agent's language and time (web/src/lib/activity.ts).
    activity: {
      text: `${text} by ${actorLabel(actor)}${input.reason ? ` (${input.reason})` : ''}`,
      kind: 'status',
      data: { from, to: input.status, reason: input.reason, ...(input.status === 'snoozed' ? { snoozedUntil: input.snoozedUntil!.toISOString() } : {}) },
    },
  };
}

/**
 * The activity line of an assignment. `agent`: the new assignee (null: unassigned, undefined:
 * unchanged); `team` likewise.
 */
export function assignmentActivity(
  change: { agent?: { id: string; name: string } | null; team?: { id: string; name: string } | null; reason?: string },
  actor: Actor,
): Activity {
  const parts: string[] = [];
  if (change.agent !== undefined) parts.push(change.agent ? `Assigned to ${change.agent.name}` : 'Unassigned');
  if (change.team !== undefined) parts.push(change.team ? `moved to team ${change.team.name}` : 'removed from its team');
  return {
    text: `${parts.join(', ')} by ${actorLabel(actor)}${change.reason ? ` (${change.reason})` : ''}`,
    kind: 'assigned',
    data: {
      assigneeId: change.agent === undefined ? undefined : (change.agent?.id ?? null),
      teamId: change.team === undefined ? undefined : (change.team?.id ?? null),
      // Names as they were then, for the line in any language.
      assigneeName: change.agent?.name,
      teamName: change.team?.name,
      reason: change.reason,
    },
  };
}
