// Escalation, executed: planEscalation (src/routing/escalation.ts) decides whether to move
// the conversation, hold it (ping-pong) or only note why (cool-down); this raises its
// priority, hands it to second line (the inbox's escalation team, else a supervisor) and
// tells the supervisors and the alert channels.
import { ESCALATED_PRIORITY, planEscalation } from '../../routing/escalation';
import { actorLabel, type Actor } from '../conversations/state/transitions';
import type { Assigner } from './assigner';
import type { RoutingPlan } from './plan';
import type { RoutingSubject } from './subjects';

export async function escalate(plan: RoutingPlan, s: RoutingSubject, actor: Actor, why: string, assigner: Assigner): Promise<void> {
  const decided = planEscalation({ level: s.escalationLevel, lastEscalatedAt: s.escalatedAt, recentAssignments: s.recentAssignments, priority: s.priority }, plan.now);
  if (decided.held === 'cooling-down') {
    // Escalated moments ago: note why it would have escalated again, change nothing.
    plan.audit('conversation.escalation_held', s, { reason: why, held: decided.held });
    return;
  }
  plan.raisePriority(actor, s, ESCALATED_PRIORITY, `escalation (${why})`);
  let where: string;
  let tellSupervisors: boolean;
  if (decided.reassign) {
    const team = s.routing.escalationTeamId;
    const exclude = s.assigneeId ? [s.assigneeId] : [];
    const reason = `escalated: ${why}`;
    const moved = team
      ? await assigner.assign(plan, s, actor, { type: 'assign', strategy: 'balanced', teamId: team }, { exclude, reason })
      : assigner.toSupervisor(plan, s, actor, exclude, why);
    if (team && !moved) await assigner.moveToTeam(plan, s, actor, team, reason);
    where = team ? 'moved to second line' : moved ? 'handed to a supervisor' : 'no supervisor available: supervisors notified';
    tellSupervisors = !team && !moved;
  } else {
    where = `kept with its assignee: it changed hands ${s.recentAssignments} times in the last hour (ping-pong guard); supervisors notified`;
    tellSupervisors = true;
  }
  s.escalationLevel = decided.level;
  s.escalatedAt = plan.now;
  plan.activity(actor, s, { text: `Escalated because ${why}: ${where}`, kind: 'escalated', data: { reason: why, level: decided.level, held: decided.held ?? null } }, 'escalation');
  if (tellSupervisors) plan.notify(s, `Escalation: ${why}`, actorLabel(actor), 'escalation');
  plan.escalated(s, `#${s.reference}: Escalation: ${why} (${where})`);
}
