// Roles: the three built in, and custom ones admins build from the permission table
// (agents/permissions.ts). An agent's custom role replaces their built-in role's permissions
// and visibility; changing a role reaches its agents' next request and their live sockets at once.
import { z } from 'zod';
import { Visibility } from '../../platform/db/client';
import { ConflictError, NotFoundError } from '../../platform/errors';
import { isUuid } from '../../platform/ttl-cache';
import { BUILT_IN_ROLES, PERMISSION_NAMES, PERMISSIONS, VISIBILITIES, type Permission } from '../agents/permissions';
import type { InboxServices } from '../services';
import type { AgentApi } from './auth';

const roleBody = z
  .object({
    name: z.string().trim().min(1).max(60),
    description: z.string().trim().max(300).nullable().optional(),
    visibility: z.enum(Visibility).describe(Object.entries(VISIBILITIES).map(([k, v]) => `${k}: ${v}`).join('; ')),
    permissions: z.array(z.enum(PERMISSION_NAMES as [Permission, ...Permission[]])).max(PERMISSION_NAMES.length),
    remedyLimit: z.number().min(0).max(1e9).nullable().optional().describe('the largest remedy (refund, credit) its agents give without approval; null: any'),
  })
  .strict();

const manage = { permission: 'settings.manage' } as const;

export function roleRoutes(api: AgentApi, s: InboxServices): void {
  const { prisma } = s.db;
  const view = (r: { id: string; name: string; description: string | null; visibility: Visibility; permissions: string[]; remedyLimit: number | null; _count?: { agents: number } }) => ({
    id: r.id, name: r.name, description: r.description, visibility: r.visibility, permissions: r.permissions, remedyLimit: r.remedyLimit, builtIn: false, agents: r._count?.agents ?? 0,
  });
  const find = async (id: string) => {
    const r = isUuid(id) ? await prisma.role.findUnique({ where: { id }, include: { _count: { select: { agents: true } } } }) : null;
    if (!r) throw new NotFoundError('Role');
    return r;
  };
  const agentsOf = async (roleId: string) => (await prisma.agent.findMany({ where: { customRoleId: roleId }, select: { id: true } })).map((a) => a.id);

  api.route(
    { method: 'get', path: '/roles', tag: 'roles', auth: 'agent', access: manage, summary: 'The built-in and custom roles, and the permissions and visibilities a role is built from' },
    async () => {
      const custom = await prisma.role.findMany({ orderBy: { name: 'asc' }, include: { _count: { select: { agents: true } } } });
      return {
        permissions: PERMISSIONS,
        visibilities: VISIBILITIES,
        data: [
          ...Object.entries(BUILT_IN_ROLES).map(([name, r]) => ({
            id: name, name, description: null, visibility: r.visibility, permissions: r.permissions, builtIn: true,
            remedyLimit: name === 'admin' ? null : name === 'supervisor' ? s.config.REMEDY_LIMIT_SUPERVISOR : s.config.REMEDY_LIMIT_AGENT,
          })),
          ...custom.map(view),
        ],
      };
    },
  );

  api.route(
    { method: 'post', path: '/roles', tag: 'roles', auth: 'agent', access: manage, body: roleBody, summary: 'Create a custom role', responses: { 201: 'The role', 409: 'Name already used' } },
    async ({ body, res }) => {
      if (await prisma.role.findUnique({ where: { name: body.name }, select: { id: true } })) throw new ConflictError(`A role named ${body.name} already exists`);
      if (body.name in BUILT_IN_ROLES) throw new ConflictError(`${body.name} is a built-in role`);
      const r = await prisma.role.create({ data: { name: body.name, description: body.description ?? null, visibility: body.visibility, permissions: [...new Set(body.permissions)], remedyLimit: body.remedyLimit ?? null } });
      res.status(201);
      return view(r);
    },
  );

  api.route(
    { method: 'put', path: '/roles/:id', tag: 'roles', auth: 'agent', access: manage, body: roleBody, summary: 'Change a custom role; its agents have the new permissions at once', responses: { 404: 'No such custom role', 409: 'Name already used' } },
    async ({ req, body }) => {
      const before = await find(String(req.params.id));
      const clash = await prisma.role.findUnique({ where: { name: body.name }, select: { id: true } });
      if ((clash && clash.id !== before.id) || body.name in BUILT_IN_ROLES) throw new ConflictError(`A role named ${body.name} already exists`);
      const r = await prisma.role.update({ where: { id: before.id }, data: { name: body.name, description: body.description ?? null, visibility: body.visibility, permissions: [...new Set(body.permissions)], ...(body.remedyLimit !== undefined ? { remedyLimit: body.remedyLimit } : {}) }, include: { _count: { select: { agents: true } } } });
      s.accessChanged(await agentsOf(r.id));
      return view(r);
    },
  );

  api.route(
    { method: 'delete', path: '/roles/:id', tag: 'roles', auth: 'agent', access: manage, summary: 'Delete a custom role no agent has', responses: { 204: 'Deleted', 404: 'No such custom role', 409: 'Agents still have it' } },
    async ({ req }) => {
      const r = await find(String(req.params.id));
      if (r._count.agents) throw new ConflictError(`${r._count.agents} agent(s) still have the role ${r.name}; give them another role first`);
      await prisma.role.delete({ where: { id: r.id } });
    },
  );
}
