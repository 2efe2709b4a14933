// Escalation: when a conversation is going wrong (a missed response time, a high escalation
// risk, a customer getting angrier) it is raised in priority and moved to second line: the
// inbox's escalation team, else a supervisor. Guarded against ping-pong: a conversation that
// has already changed hands often in the last hour stays where it is and a supervisor is
// told instead. Escalating again within the cool-down only records why.

export const PING_PONG_WINDOW_MS = 60 * 60_000;
export const PING_PONG_LIMIT = 3;
export const ESCALATION_COOLDOWN_MS = 30 * 60_000;
/** An escalated conversation's priority is at least this. */
export const ESCALATED_PRIORITY = 80;

export interface EscalationState {
  level: number;
  lastEscalatedAt: Date | null;
  /** Assignments of this conversation within PING_PONG_WINDOW_MS. */
  recentAssignments: number;
  priority: number;
}

export interface EscalationPlan {
  level: number;
  priority: number;
  /** Move it to second line now. */
  reassign: boolean;
  /** Why not reassigned, when not. */
  held?: 'ping-pong' | 'cooling-down';
}

export function planEscalation(s: EscalationState, now: Date): EscalationPlan {
  const priority = Math.min(100, Math.max(ESCALATED_PRIORITY, s.priority + 20));
  if (s.lastEscalatedAt && now.getTime() - s.lastEscalatedAt.getTime() < ESCALATION_COOLDOWN_MS) {
    return { level: s.level, priority, reassign: false, held: 'cooling-down' };
  }
  if (s.recentAssignments >= PING_PONG_LIMIT) return { level: s.level + 1, priority, reassign: false, held: 'ping-pong' };
  return { level: s.level + 1, priority, reassign: true };
}
