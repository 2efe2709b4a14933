// Assignment, executed. The agents, their memberships and their open loads are read in one
// query and kept as a snapshot for a second; each decision (src/routing/assignment.ts,
// pure) is made on it and counted into it at once, so a batch of hundreds of conversations
// is assigned in memory, balanced, without a query per conversation. Conversations nobody
// has room for wait unassigned in the queue; when capacity frees up the router reads the
// queue's head (highest priority first) and `handOut` gives it to whoever has room.
import type { Database } from '../../platform/db/client';
import { chooseAgent, type AssignmentNeed, type Candidate } from '../../routing/assignment';
import type { RuleAction } from '../../routing/rules';
import type { Actor } from '../conversations/state/transitions';
import type { RoutingPlan } from './plan';
import type { RoutingSubject } from './subjects';

/** How old the snapshot may be before a batch reads it again. */
const POOL_TTL_MS = 1_000;
/** When nobody fits, a snapshot older than this is checked against the database (an agent just added, or put online). */
const POOL_RECHECK_MS = 100;
/** Conversations handed out from the queue at most per batch. */
const MAX_HAND_OUT = 500;

export type AgentCandidate = Candidate & { name: string };

interface Pool {
  at: number;
  /** Agents and memberships as they were read (see fingerprint()). */
  fingerprint: string;
  agents: AgentCandidate[];
  byId: Map<string, AgentCandidate>;
  /** Online agents who may work each inbox (admins work them all). */
  byInbox: Map<string, AgentCandidate[]>;
  admins: AgentCandidate[];
  teams: Map<string, { id: string; name: string }>;
}

const SYSTEM: Actor = { type: 'system', name: 'assignment' };

export class Assigner {
  private pool?: Pool;
  /** This batch's assignments, not committed yet: counted again into a snapshot read mid-batch. */
  private pending = new Map<string, { n: number; at: Date }>();

  constructor(private readonly db: Database) {}

  /** At the start of a batch: a fresh snapshot when asked (loads changed) or when it is older than a second. */
  async beginBatch(o: { refresh: boolean }): Promise<void> {
    this.pending = new Map();
    if (o.refresh || !this.pool || Date.now() - this.pool.at > POOL_TTL_MS) await this.load();
  }

  /** Forget the snapshot (a batch failed: its counted assignments never happened). */
  reset(): void {
    this.pool = undefined;
    this.pending = new Map();
  }

  isOnline(agentId: string): boolean {
    return this.pool?.byId.get(agentId)?.availability === 'online';
  }

  /** Room left among online agents, and the inboxes it is in (null: an admin with room works every inbox). */
  room(): { free: number; inboxIds: string[] | null } {
    let free = 0;
    const inboxes = new Set<string>();
    let anywhere = false;
    for (const a of this.pool?.agents ?? []) {
      if (a.availability !== 'online' || a.openLoad >= a.capacity) continue;
      free += a.capacity - a.openLoad;
      if (a.role === 'admin') anywhere = true;
      for (const i of a.inboxIds) inboxes.add(i);
    }
    return { free: Math.min(free, MAX_HAND_OUT), inboxIds: anywhere ? null : [...inboxes] };
  }

  /**
   * Assigns to the agent the action names, or the best available one. False when it is not
   * open, already someone's (unless they are excluded), or nobody eligible has room: it then
   * waits in the queue.
   */
  async assign(plan: RoutingPlan, s: RoutingSubject, actor: Actor, a: Extract<RuleAction, { type: 'assign' }>, o: { exclude?: string[]; reason?: string } = {}): Promise<boolean> {
    if (s.status !== 'open') return false;
    if (s.assigneeId && !o.exclude?.includes(s.assigneeId)) return false;
    const team = a.teamId ? await this.team(a.teamId) : undefined;
    if (a.teamId && !team) {
      plan.audit('routing.action_skipped', s, { action: 'assign', reason: `no team ${a.teamId}` });
      return false;
    }
    let agent: AgentCandidate | null;
    if (a.agentId) {
      agent = await this.named(a.agentId);
      const why = !agent ? 'that agent does not exist' : agent.role !== 'admin' && !agent.inboxIds.includes(s.inboxId) ? `${agent.name} is not a member of this conversation's inbox` : null;
      if (why) {
        plan.audit('routing.action_skipped', s, { action: 'assign', agentId: a.agentId, reason: why });
        return false;
      }
    } else {
      const need: AssignmentNeed = {
        inboxId: s.inboxId, teamId: a.teamId ?? s.teamId, skill: a.skill, language: s.language, channel: s.channel,
        strategy: a.strategy ?? s.routing.assignment?.strategy ?? 'balanced', exclude: o.exclude,
      };
      agent = await this.choose(need);
      if (!agent) return false;
    }
    this.count(agent!, plan.now);
    plan.assign(actor, s, { agent: { id: agent!.id, name: agent!.name }, ...(team ? { team } : {}), reason: o.reason });
    return true;
  }

  /** Moves it to a team without choosing an agent (the team's queue). */
  async moveToTeam(plan: RoutingPlan, s: RoutingSubject, actor: Actor, teamId: string, reason: string): Promise<void> {
    const team = await this.team(teamId);
    if (!team) plan.audit('routing.action_skipped', s, { action: 'assign', reason: `no team ${teamId}` });
    else plan.assign(actor, s, { team, reason });
  }

  /** An escalation with no second-line team: to a supervisor, over capacity if need be (escalations must land somewhere). */
  toSupervisor(plan: RoutingPlan, s: RoutingSubject, actor: Actor, exclude: string[], why: string): boolean {
    const supervisors = (this.pool?.agents ?? []).filter((a) => a.role === 'supervisor' || a.role === 'admin');
    const chosen = chooseAgent(supervisors.map((x) => ({ ...x, capacity: Math.max(x.capacity, x.openLoad + 1) })), { inboxId: s.inboxId, strategy: 'balanced', exclude });
    if (!chosen) return false;
    const agent = this.pool!.byId.get(chosen.id)!;
    this.count(agent, plan.now);
    plan.assign(actor, s, { agent: { id: agent.id, name: agent.name }, reason: `escalated: ${why}` });
    return true;
  }

  /** The queue's head, highest priority first, to whoever has room now. */
  async handOut(plan: RoutingPlan, waiting: RoutingSubject[]): Promise<number> {
    let n = 0;
    for (const s of waiting) {
      if (s.assigneeId || s.status !== 'open' || !s.waitingSince) continue;
      if (await this.assign(plan, s, SYSTEM, { type: 'assign', strategy: s.routing.assignment?.strategy ?? 'balanced' }, { reason: 'capacity freed up' })) n++;
    }
    return n;
  }

  /** An agent went offline: their open conversations go to others, or back to the queue. */
  async requeue(plan: RoutingPlan, theirs: RoutingSubject[], agentId: string): Promise<void> {
    for (const s of theirs) {
      if (s.assigneeId !== agentId || s.status !== 'open') continue;
      const moved = await this.assign(plan, s, SYSTEM, { type: 'assign', strategy: 'balanced' }, { exclude: [agentId], reason: 'the assignee went offline' });
      if (!moved) plan.assign(SYSTEM, s, { agent: null, reason: 'the assignee went offline; back in the queue' });
    }
  }

  private count(agent: AgentCandidate, now: Date): void {
    agent.openLoad++;
    agent.lastAssignedAt = now;
    this.pending.set(agent.id, { n: (this.pending.get(agent.id)?.n ?? 0) + 1, at: now });
  }

  private async choose(need: AssignmentNeed): Promise<AgentCandidate | null> {
    const pick = () => {
      const p = this.pool!;
      return chooseAgent([...(p.byInbox.get(need.inboxId) ?? []), ...p.admins], need) as AgentCandidate | null;
    };
    let chosen = pick();
    if (!chosen && (await this.recheck())) chosen = pick();
    return chosen;
  }

  private async named(id: string): Promise<AgentCandidate | null> {
    if (!this.pool!.byId.has(id)) await this.recheck();
    return this.pool!.byId.get(id) ?? null;
  }

  private async team(id: string): Promise<{ id: string; name: string } | undefined> {
    if (!this.pool!.teams.has(id)) await this.recheck();
    return this.pool!.teams.get(id);
  }

  /**
   * Nobody fits: reads the snapshot again if agents, teams or memberships changed since (a
   * cheap fingerprint first: when every agent is full, each batch misses, and the full read
   * costs milliseconds). Loads freed by resolves come as capacity.freed events instead.
   */
  private async recheck(): Promise<boolean> {
    if (Date.now() - this.pool!.at < POOL_RECHECK_MS) return false;
    const now = await this.fingerprint();
    if (now === this.pool!.fingerprint) {
      this.pool!.at = Date.now();
      return false;
    }
    await this.load();
    return true;
  }

  private async fingerprint(): Promise<string> {
    const { rows } = await this.db.pool.query<{ f: string }>(
      `SELECT concat_ws('/', (SELECT count(*) || ':' || COALESCE(max(updated_at)::text, '') FROM agents), (SELECT count(*) FROM inbox_members),
                        (SELECT count(*) FROM team_members), (SELECT count(*) FROM teams)) AS f`,
    );
    return rows[0]!.f;
  }

  /** One query for agents, memberships and open loads (counted for online agents only), one for teams. */
  private async load(): Promise<void> {
    const [fingerprint, agents, teams] = await Promise.all([
      this.fingerprint(),
      this.db.pool.query<AgentCandidate>(
        // The effective role: a custom role replaces the built-in one (one that sees every inbox counts as an admin here,
        // one that sees the directory as a supervisor, an escalation target).
        `SELECT a.id, a.name,
                CASE WHEN r.id IS NULL THEN a.role::text WHEN r.visibility = 'all' THEN 'admin' WHEN 'people.view' = ANY(r.permissions) THEN 'supervisor' ELSE 'agent' END AS role,
                a.availability::text AS availability, a.capacity, a.last_assigned_at AS "lastAssignedAt", a.skills, a.languages,
                COALESCE((SELECT array_agg(m.team_id) FROM team_members m WHERE m.agent_id = a.id), '{}') AS "teamIds",
                COALESCE((SELECT array_agg(m.inbox_id) FROM inbox_members m WHERE m.agent_id = a.id), '{}') AS "inboxIds",
                CASE WHEN a.availability = 'online'
                     THEN (SELECT count(*)::int FROM conversations c WHERE c.assignee_id = a.id AND c.status = 'open') ELSE 0 END AS "openLoad"
           FROM agents a LEFT JOIN roles r ON r.id = a.custom_role_id WHERE a.active`,
      ),
      this.db.pool.query<{ id: string; name: string }>('SELECT id, name FROM teams'),
    ]);
    const byInbox = new Map<string, AgentCandidate[]>();
    const admins: AgentCandidate[] = [];
    for (const a of agents.rows) {
      // Assignments this batch decided are not committed yet: the database does not count them.
      const mine = this.pending.get(a.id);
      if (mine) {
        a.openLoad += mine.n;
        a.lastAssignedAt = mine.at;
      }
      if (a.availability !== 'online') continue;
      if (a.role === 'admin') admins.push(a);
      else for (const i of a.inboxIds) byInbox.set(i, [...(byInbox.get(i) ?? []), a]);
    }
    this.pool = {
      at: Date.now(), fingerprint, agents: agents.rows, byId: new Map(agents.rows.map((a) => [a.id, a])), byInbox, admins,
      teams: new Map(teams.rows.map((t) => [t.id, t])),
    };
  }
}
