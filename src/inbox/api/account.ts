// An agent's own account (password, two-factor login, sessions) and the admin's hand in
// others' (invitations, reset links, deactivation). Links carry signed, expiring tokens; the
// agent app's /invite and /reset pages use them.
import { z } from 'zod';
import { ConflictError, NotFoundError } from '../../platform/errors';
import { bearerToken, readCookie } from '../../platform/http/auth-header';
import { SESSION_COOKIE } from '../agents/sessions';
import { TOKEN_SCOPES } from '../agents/api-tokens';
import type { InboxServices } from '../services';
import type { AgentApi } from './auth';

const password = z.string().min(1).max(200);
const role = z.enum(['admin', 'supervisor', 'agent']);

export function accountRoutes(api: AgentApi, s: InboxServices): void {
  const { prisma } = s.db;
  const link = (path: string, token: string) => `${s.connectorContext.publicUrl()}/${path}#${token}`;
  const agent = async (id: string) => {
    const found = z.uuid().safeParse(id).success ? await prisma.agent.findUnique({ where: { id }, select: { id: true, name: true } }) : null;
    if (!found) throw new NotFoundError('Agent');
    return found;
  };
  const sessionToken = (req: Parameters<typeof bearerToken>[0]) => bearerToken(req) ?? readCookie(req.headers.cookie, SESSION_COOKIE);

  api.route(
    { method: 'post', path: '/auth/password', tag: 'account', auth: 'agent', body: z.object({ currentPassword: password, newPassword: password }), summary: 'Change your password; your other sessions end', responses: { 400: 'The new password breaks the policy (the reason says how)', 401: 'The current password is wrong' } },
    async ({ caller, body, req }) => {
      const token = sessionToken(req);
      await s.lifecycle.changePassword(caller.id, body.currentPassword, body.newPassword, token ? await s.sessions.idOf(token) : null);
      return { changed: true };
    },
  );

  api.route({ method: 'get', path: '/auth/sessions', tag: 'account', auth: 'agent', summary: 'Your sessions: when and where each began; `current` is this one' }, async ({ caller, req }) => {
    const token = sessionToken(req);
    const current = token ? await s.sessions.idOf(token) : null;
    const rows = await prisma.agentSession.findMany({ where: { agentId: caller.id, expiresAt: { gt: new Date() } }, orderBy: { createdAt: 'desc' }, select: { id: true, createdAt: true, expiresAt: true, userAgent: true, ip: true } });
    return { data: rows.map((r) => ({ ...r, current: r.id === current })) };
  });

  api.route({ method: 'delete', path: '/auth/sessions/:id', tag: 'account', auth: 'agent', summary: 'End one of your sessions (log out another device)', responses: { 404: 'No such session of yours' } }, async ({ caller, req }) => {
    const id = String(req.params.id);
    const { count } = z.uuid().safeParse(id).success ? await prisma.agentSession.deleteMany({ where: { id, agentId: caller.id } }) : { count: 0 };
    if (!count) throw new NotFoundError('Session');
    return { ended: id };
  });

  api.route({ method: 'get', path: '/auth/tokens', tag: 'account', auth: 'agent', summary: 'Your API tokens (never the tokens themselves): name, scopes, expiry, last used' }, async ({ caller }) => ({
    scopes: TOKEN_SCOPES,
    data: await prisma.apiToken.findMany({ where: { agentId: caller.id }, orderBy: { createdAt: 'desc' }, omit: { tokenHash: true } }),
  }));

  api.route(
    {
      method: 'post', path: '/auth/tokens', tag: 'account', auth: 'agent',
      body: z.object({ name: z.string().trim().min(1).max(100), scopes: z.array(z.enum(TOKEN_SCOPES as [string, ...string[]])).min(1).max(TOKEN_SCOPES.length), expiresInDays: z.number().int().min(1).max(730).optional(), kind: z.enum(['personal', 'service']).default('personal') }),
      summary: 'Create an API token acting as you within its scopes and your role (service tokens: those who manage settings); the token is shown this once',
      responses: { 201: '{ ...token, token }', 403: 'A service token, without the permission to manage settings' },
    },
    async ({ caller, body, res }) => {
      if (body.kind === 'service') await s.access.require(caller, 'settings.manage');
      res.status(201);
      return s.apiTokens.create(caller, body);
    },
  );

  api.route({ method: 'delete', path: '/auth/tokens/:id', tag: 'account', auth: 'agent', summary: 'Revoke one of your API tokens', responses: { 404: 'No such token of yours' } }, async ({ caller, req }) => {
    const id = String(req.params.id);
    const { count } = z.uuid().safeParse(id).success ? await prisma.apiToken.deleteMany({ where: { id, agentId: caller.id } }) : { count: 0 };
    if (!count) throw new NotFoundError('API token');
    return { revoked: id };
  });

  api.route({ method: 'post', path: '/auth/2fa/setup', tag: 'account', auth: 'agent', summary: 'Start two-factor login: a secret and an otpauth:// URI for an authenticator app', responses: { 409: 'Already on' } }, async ({ caller }) =>
    s.lifecycle.startTwoFactor(caller.id),
  );

  api.route(
    { method: 'post', path: '/auth/2fa/enable', tag: 'account', auth: 'agent', body: z.object({ code: z.string().trim().max(10) }), summary: 'Turn two-factor login on with a current code; answers ten recovery codes, shown this once', responses: { 400: 'The code is wrong, or no set-up was started' } },
    async ({ caller, body }) => s.lifecycle.enableTwoFactor(caller.id, body.code),
  );

  api.route(
    { method: 'post', path: '/auth/2fa/disable', tag: 'account', auth: 'agent', body: z.object({ password }), summary: 'Turn two-factor login off (your password again)', responses: { 401: 'The password is wrong' } },
    async ({ caller, body }) => {
      await s.lifecycle.disableTwoFactor(caller.id, body.password);
      return { enabled: false };
    },
  );

  api.route(
    { method: 'post', path: '/auth/2fa/recovery-codes', tag: 'account', auth: 'agent', body: z.object({ password }), summary: 'Replace your recovery codes (the old ones stop working); shown this once' },
    async ({ caller, body }) => s.lifecycle.newRecoveryCodes(caller.id, body.password),
  );

  api.route(
    { method: 'post', path: '/agents/invitations', tag: 'account', auth: 'agent', access: { permission: 'settings.manage' }, body: z.object({ email: z.email().max(320), name: z.string().trim().min(1).max(200), role: role.default('agent'), customRoleId: z.uuid().optional() }), summary: 'Invite someone: a link to set their password, good for 7 days; with customRoleId they get that custom role', responses: { 201: '{ link, expiresAt }', 404: 'No such custom role', 409: 'An agent with that email exists' } },
    async ({ body, res }) => {
      if (await prisma.agent.findUnique({ where: { email: body.email.toLowerCase() }, select: { id: true } })) throw new ConflictError('An agent with that email exists');
      if (body.customRoleId && !(await prisma.role.findUnique({ where: { id: body.customRoleId }, select: { id: true } }))) throw new NotFoundError('Role');
      const { token, expiresAt } = s.lifecycle.invite(body);
      res.status(201);
      return { link: link('invite', token), expiresAt: expiresAt.toISOString() };
    },
  );

  api.route({ method: 'get', path: '/auth/invitation', tag: 'account', auth: 'none', query: z.object({ token: z.string().max(2_000) }), summary: 'Who an invitation is for', responses: { 400: 'Not a valid link', 410: 'Expired' } }, async ({ query }) =>
    s.lifecycle.describeInvitation(query.token),
  );

  api.route(
    { method: 'post', path: '/auth/invitation', tag: 'account', auth: 'none', body: z.object({ token: z.string().max(2_000), password }), summary: 'Accept an invitation: choose a password; then log in', responses: { 201: '{ email }', 400: 'Not a valid link, or the password breaks the policy', 409: 'Already accepted', 410: 'Expired' } },
    async ({ body, res }) => {
      const created = await s.lifecycle.acceptInvitation(body.token, body.password);
      res.status(201);
      return { email: created.email };
    },
  );

  api.route({ method: 'post', path: '/agents/:id/password-reset', tag: 'account', auth: 'agent', access: { permission: 'settings.manage' }, summary: 'A link for an agent to choose a new password, good once for 24 hours', responses: { 404: 'No such agent' } }, async ({ req }) => {
    const { id } = await agent(String(req.params.id));
    const { token, expiresAt } = await s.lifecycle.resetLink(id);
    return { link: link('reset', token), expiresAt: expiresAt.toISOString() };
  });

  api.route(
    {
      method: 'post', path: '/auth/password-reset/request', tag: 'account', auth: 'none', body: z.object({ email: z.string().trim().min(3).max(320) }),
      summary: 'Forgot your password: a reset link is mailed to the address if it is an active agent\'s. The answer is the same either way',
      responses: { 202: 'If the address has an account, a link is on its way', 429: 'Too many requests from this address and IP', 503: 'Reset by email is not set up here (SYSTEM_SMTP_URL): ask an admin' },
    },
    async ({ body, res }) => {
      s.passwordResetMail.request(body.email);
      res.status(202);
      return { message: 'If that address has an account, a link to choose a new password is on its way.' };
    },
  );

  api.route(
    { method: 'post', path: '/auth/password-reset', tag: 'account', auth: 'none', body: z.object({ token: z.string().max(2_000), password }), summary: 'Choose a new password with a reset link; every session ends', responses: { 400: 'Not a valid link, or the password breaks the policy', 410: 'Expired or already used' } },
    async ({ body }) => {
      await s.lifecycle.resetPassword(body.token, body.password);
      return { changed: true };
    },
  );

  api.route({ method: 'post', path: '/agents/:id/deactivate', tag: 'account', auth: 'agent', access: { permission: 'settings.manage' }, summary: 'Deactivate an agent: no login, sessions and sockets cut now, open conversations handed back to assignment, history kept', responses: { 400: 'Yourself, or the last active admin', 404: 'No such agent' } }, async ({ req, caller }) => {
    const { id } = await agent(String(req.params.id));
    return s.lifecycle.deactivate(id, { id: caller.id, name: caller.name });
  });

  api.route({ method: 'post', path: '/agents/:id/reactivate', tag: 'account', auth: 'agent', access: { permission: 'settings.manage' }, summary: 'Let a deactivated agent log in again', responses: { 404: 'No such agent' } }, async ({ req }) => {
    const { id } = await agent(String(req.params.id));
    await s.lifecycle.reactivate(id);
    return { active: true };
  });
}
