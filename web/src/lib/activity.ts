// An activity line in the agent's language. The server stores the line's English text and,
// beside it, what happened as data (kind, actor, names, times); the kinds said here are read
// from that data, any other line shows its stored text.
import type { Message } from './types';
import { formatDateTime } from './format';
import { t } from './text';

type Actor = { type: 'agent'; name: string } | { type: 'rule'; name: string } | { type: 'system'; name?: string };
interface ActivityData {
  activity?: string;
  actor?: Actor;
  from?: string;
  to?: string;
  reason?: string;
  snoozedUntil?: string;
  assigneeId?: string | null;
  assigneeName?: string;
  teamId?: string | null;
  teamName?: string;
  added?: string[];
  removed?: string;
  atLeast?: number;
  by?: string;
}

const actorName = (a: Actor | undefined): string => (!a ? t.activity.system : a.type === 'agent' ? a.name : a.type === 'rule' ? t.activity.rule(a.name) : (a.name ?? t.activity.system));

export function activityText(m: Pick<Message, 'text' | 'metadata'>): string {
  const d = (m.metadata ?? {}) as ActivityData;
  const by = actorName(d.actor);
  const withReason = (line: string) => (d.reason ? `${line} (${d.reason})` : line);
  switch (d.activity) {
    case 'status': {
      if (!d.from && d.to === 'open') return t.activity.snoozeEnded;
      const what =
        d.to === 'snoozed' && d.snoozedUntil ? t.activity.snoozed(formatDateTime(d.snoozedUntil))
        : d.to === 'resolved' ? t.activity.resolved
        : d.to === 'pending' ? t.activity.pending
        : d.to === 'open' ? (d.from === 'resolved' ? t.activity.reopened : t.activity.opened)
        : null;
      return what ? withReason(t.activity.by(what, by)) : m.text;
    }
    case 'assigned': {
      const parts: string[] = [];
      if (d.assigneeId !== undefined) {
        if (d.assigneeId === null) parts.push(t.activity.unassigned);
        else if (d.assigneeName) parts.push(t.activity.assignedTo(d.assigneeName));
        else return m.text;
      }
      if (d.teamId !== undefined) {
        if (d.teamId === null) parts.push(t.activity.leftTeam);
        else if (d.teamName) parts.push(t.activity.movedToTeam(d.teamName));
        else return m.text;
      }
      return parts.length ? withReason(t.activity.by(parts.join(', '), by)) : m.text;
    }
    case 'labelled':
      return d.added?.length ? t.activity.by(t.activity.labelled(d.added.join(', ')), by) : m.text;
    case 'unlabelled':
      return d.removed ? t.activity.by(t.activity.unlabelled(d.removed), by) : m.text;
    case 'acknowledged':
      return t.activity.by(t.activity.acknowledged, by);
    case 'priority_raised':
      return d.atLeast != null && d.by ? t.activity.by(t.activity.priorityRaised(d.atLeast), d.by) : m.text;
    default:
      return m.text;
  }
}
