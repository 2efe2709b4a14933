// What a role may do and which conversations it sees. The three built-in roles and any custom
// role an admin builds are rows of this one table; routes name the permission they need (see
// the `permission` of each route in src/inbox/api) and test/authorization-matrix.test.ts
// checks every route against it.
import type { AgentRole, Visibility } from '../../platform/db/client';

export const PERMISSIONS = {
  'conversations.reply': 'Reply to customers and start conversations',
  'conversations.note': 'Write private notes',
  'conversations.assign': 'Assign, label and correct the analysis',
  'conversations.resolve': 'Open, mark pending, snooze and resolve',
  'conversations.delete': 'Delete conversations',
  'conversations.export': 'Export (CSV)',
  'contacts.edit': 'Edit contacts: their details and attribute values',
  'contacts.merge': 'Merge contacts and conversations',
  'contacts.privacy': 'Export everything held about a contact, and erase a contact',
  'incidents.manage': 'Open incidents, link conversations to them, move and resolve them',
  'community.manage': 'Manage listening topics and their alerts',
  'knowledge.manage': 'Write help articles and macros',
  'reports.view': 'See reports',
  'people.view': 'See every agent, team and member, routing rule and service level',
  'settings.manage': 'Manage inboxes, agents, roles, teams, rules, service levels and webhooks',
} as const;

export type Permission = keyof typeof PERMISSIONS;
export const PERMISSION_NAMES = Object.keys(PERMISSIONS) as Permission[];

/**
 * Which conversations a role sees. Every level but `all` stays inside the inboxes the agent is a
 * member of: `inbox` all of theirs; `team` those given to one of their teams or to them; `own`
 * those assigned to them.
 */
export const VISIBILITIES = { own: 'Assigned to them', team: 'Their teams\' and their own', inbox: 'Everything in their inboxes', all: 'Every inbox' } as const satisfies Record<Visibility, string>;

export interface RoleDefinition {
  visibility: Visibility;
  permissions: readonly Permission[];
}

const WORK: Permission[] = ['conversations.reply', 'conversations.note', 'conversations.assign', 'conversations.resolve', 'contacts.edit', 'incidents.manage'];

export const BUILT_IN_ROLES: Record<AgentRole, RoleDefinition> = {
  admin: { visibility: 'all', permissions: PERMISSION_NAMES },
  supervisor: { visibility: 'inbox', permissions: [...WORK, 'conversations.export', 'contacts.merge', 'reports.view', 'people.view', 'community.manage', 'knowledge.manage'] },
  // Reports of their own inboxes, as before roles existed; the directory of everyone is not theirs.
  agent: { visibility: 'inbox', permissions: [...WORK, 'reports.view'] },
};

/** What a route needs: one permission, all of several (a list), or any one of several (a message is a reply or a note). */
export type PermissionNeed = Permission | readonly Permission[] | { anyOf: readonly Permission[] };

export function satisfies(have: ReadonlySet<Permission>, need: PermissionNeed | undefined): boolean {
  if (need === undefined) return true;
  if (typeof need === 'string') return have.has(need);
  if ('anyOf' in need) return need.anyOf.some((p) => have.has(p));
  return need.every((p) => have.has(p));
}

export function describeNeed(need: PermissionNeed): string {
  const names = (ps: readonly Permission[], joint: string) => ps.map((p) => PERMISSIONS[p].toLowerCase()).join(joint);
  if (typeof need === 'string') return PERMISSIONS[need].toLowerCase();
  return 'anyOf' in need ? names(need.anyOf, ' or ') : names(need, ' and ');
}

export const isPermission = (v: string): v is Permission => v in PERMISSIONS;
