// Who may see and do what. An agent's role (built-in, or a custom one an admin made) gives
// permissions and a visibility (agents/permissions.ts); their inbox and team memberships narrow
// it. A conversation outside what they see answers 404, not 403, so its existence is not
// revealed; something they see but may not do answers 403 with the reason.
import type { AgentRole, Prisma, PrismaClient, Visibility } from '../platform/db/client';
import { ForbiddenError, NotFoundError } from '../platform/errors';
import { isUuid } from '../platform/ttl-cache';
import { BUILT_IN_ROLES, describeNeed, isPermission, satisfies, type Permission, type PermissionNeed } from './agents/permissions';
import type { SessionAgent } from './agents/sessions';
import type { ConversationScope } from './conversations/list';
import { ADMINS_ROOM, agentRoom, inboxAgentRoom, inboxRoom, inboxTeamRoom } from './realtime/rooms';

export interface Grant {
  agentId: string;
  role: AgentRole;
  customRole: { id: string; name: string } | null;
  visibility: Visibility;
  permissions: ReadonlySet<Permission>;
  /** The inboxes they see: 'all', or those they are a member of. */
  inboxIds: 'all' | string[];
  teamIds: string[];
}

/** What decides whether one conversation is visible. */
export interface ConversationPlace {
  inboxId: string;
  teamId: string | null;
  assigneeId: string | null;
}

export class Access {
  /** One look-up per request: the agent object is the request's own (sessions.authenticate makes it). */
  private readonly grants = new WeakMap<SessionAgent, Promise<Grant>>();

  constructor(private readonly prisma: PrismaClient) {}

  grant(agent: SessionAgent): Promise<Grant> {
    let g = this.grants.get(agent);
    if (!g) {
      g = this.load(agent.id);
      this.grants.set(agent, g);
      g.catch(() => this.grants.delete(agent));
    }
    return g;
  }

  private async load(agentId: string): Promise<Grant> {
    const a = await this.prisma.agent.findUniqueOrThrow({
      where: { id: agentId },
      select: { role: true, customRole: { select: { id: true, name: true, visibility: true, permissions: true } }, inboxes: { select: { inboxId: true } }, teams: { select: { teamId: true } } },
    });
    const role = a.customRole ? { visibility: a.customRole.visibility, permissions: a.customRole.permissions.filter(isPermission) } : BUILT_IN_ROLES[a.role];
    return {
      agentId,
      role: a.role,
      customRole: a.customRole ? { id: a.customRole.id, name: a.customRole.name } : null,
      visibility: role.visibility,
      permissions: new Set(role.permissions),
      inboxIds: role.visibility === 'all' ? 'all' : a.inboxes.map((m) => m.inboxId),
      teamIds: a.teams.map((m) => m.teamId),
    };
  }

  /** Whether another agent (not the caller) sees a conversation: who is told of a mention. */
  async agentSees(agentId: string, place: ConversationPlace): Promise<boolean> {
    return sees(await this.load(agentId), place);
  }

  /** 'all', else the ids of the agent's inboxes. */
  async inboxIds(agent: SessionAgent): Promise<'all' | string[]> {
    return (await this.grant(agent)).inboxIds;
  }

  /** Narrower than the inboxes (own or team visibility), else null. */
  async scope(agent: SessionAgent): Promise<ConversationScope | null> {
    return scopeOf(await this.grant(agent));
  }

  async conversationWhere(agent: SessionAgent): Promise<Prisma.ConversationWhereInput> {
    const g = await this.grant(agent);
    const inboxes: Prisma.ConversationWhereInput = g.inboxIds === 'all' ? {} : { inboxId: { in: g.inboxIds } };
    if (g.visibility === 'own') return { ...inboxes, assigneeId: g.agentId };
    if (g.visibility === 'team') return { ...inboxes, OR: [{ assigneeId: g.agentId }, { teamId: { in: g.teamIds } }] };
    return inboxes;
  }

  async canSeeInbox(agent: SessionAgent, inboxId: string): Promise<boolean> {
    const ids = await this.inboxIds(agent);
    return ids === 'all' || ids.includes(inboxId);
  }

  async can(agent: SessionAgent, need: PermissionNeed): Promise<boolean> {
    return satisfies((await this.grant(agent)).permissions, need);
  }

  /** 403 with what the role lacks. */
  async require(agent: SessionAgent, need: PermissionNeed): Promise<void> {
    if (!(await this.can(agent, need))) throw new ForbiddenError(`Your role does not allow this (${describeNeed(need)})`);
  }

  /** The conversation, or 404 when it does not exist or is not the agent's to see. Looked up once per request (the route's check, then its handler). */
  conversation(agent: SessionAgent, id: string): Promise<{ id: string; inboxId: string; contactId: string }> {
    let seen = this.seen.get(agent);
    if (!seen) this.seen.set(agent, (seen = new Map()));
    let found = seen.get(id);
    if (!found) {
      found = this.conversationNow(agent, id);
      seen.set(id, found);
    }
    return found;
  }

  private readonly seen = new WeakMap<SessionAgent, Map<string, Promise<{ id: string; inboxId: string; contactId: string }>>>();

  /** The same, looked up now: for a long-lived caller (a socket), where a conversation may have moved since. */
  async conversationNow(agent: SessionAgent, id: string): Promise<{ id: string; inboxId: string; contactId: string }> {
    const c = isUuid(id) ? await this.prisma.conversation.findUnique({ where: { id }, select: { id: true, inboxId: true, contactId: true, teamId: true, assigneeId: true } }) : null;
    if (!c || !sees(await this.grant(agent), c)) throw new NotFoundError('Conversation');
    return { id: c.id, inboxId: c.inboxId, contactId: c.contactId };
  }

  /** The socket rooms whose events the agent may receive (see realtime/broadcaster.ts). */
  async rooms(agent: SessionAgent): Promise<string[]> {
    const g = await this.grant(agent);
    if (g.inboxIds === 'all') return [agentRoom(agent.id), ADMINS_ROOM];
    const inboxes = g.inboxIds;
    const narrowed =
      g.visibility === 'inbox'
        ? inboxes.map(inboxRoom)
        : inboxes.flatMap((i) => [inboxAgentRoom(i, agent.id), ...(g.visibility === 'team' ? g.teamIds.map((t) => inboxTeamRoom(i, t)) : [])]);
    return [agentRoom(agent.id), ...narrowed];
  }
}

export function scopeOf(g: Grant): ConversationScope | null {
  return g.visibility === 'own' ? { agentId: g.agentId, teamIds: null } : g.visibility === 'team' ? { agentId: g.agentId, teamIds: g.teamIds } : null;
}

export function sees(g: Grant, c: ConversationPlace): boolean {
  if (g.inboxIds !== 'all' && !g.inboxIds.includes(c.inboxId)) return false;
  if (g.visibility === 'own') return c.assigneeId === g.agentId;
  if (g.visibility === 'team') return c.assigneeId === g.agentId || (c.teamId !== null && g.teamIds.includes(c.teamId));
  return true;
}
