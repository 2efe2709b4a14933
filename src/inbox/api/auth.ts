import type { Request, Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { Redis } from 'ioredis';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import { z } from 'zod';
import { ForbiddenError } from '../../platform/errors';
import { bearerToken, readCookie } from '../../platform/http/auth-header';
import { SESSION_COOKIE, type SessionAgent } from '../agents/sessions';
import { isApiToken } from '../agents/api-tokens';
import type { InboxServices } from '../services';
import type { PermissionNeed } from '../agents/permissions';
import type { ApiRouter } from '../../platform/http/api-router';
import { isTimeZone } from '../../platform/time-zones';

/**
 * What a route needs beyond a logged-in caller. `permission`: of the caller's role
 * (agents/permissions.ts). `conversation`: the path parameter naming a conversation the caller
 * must see (404 otherwise). `wholeInboxes`: figures kept per inbox (reports), which a role that
 * sees only its team's or its own conversations cannot be shown.
 */
export interface RouteAccess {
  permission?: PermissionNeed;
  conversation?: string;
  wholeInboxes?: true;
}

export type AgentApi = ApiRouter<SessionAgent, RouteAccess>;

/** Finds the agent of a request (Bearer token first, then the web app's session cookie) and checks what the route needs. */
export function authorise(s: InboxServices) {
  return async (req: Request, _res: Response, route: { scope: string; access?: RouteAccess }): Promise<SessionAgent> => {
    const bearer = bearerToken(req);
    if (!bearer) refuseCrossSite(req, new URL(s.connectorContext.publicUrl()).origin);
    const agent = isApiToken(bearer) ? await s.apiTokens.authenticate(bearer, route.scope) : await s.sessions.authenticate(bearer ?? readCookie(req.headers.cookie, SESSION_COOKIE));
    const need = route.access;
    if (!need) return agent;
    // Sight first: a conversation the caller does not see is 404 whatever the permission.
    if (need.conversation) await s.access.conversation(agent, String(req.params[need.conversation]));
    if (need.permission) await s.access.require(agent, need.permission);
    if (need.wholeInboxes && (await s.access.scope(agent))) throw new ForbiddenError('Reports count whole inboxes; your role sees only some of their conversations');
    return agent;
  };
}

/**
 * CSRF: a change made with the session cookie must come from our own pages. Browsers say where
 * a request comes from (Origin, Sec-Fetch-Site); another site's form or script is refused even
 * where a browser would send the SameSite=Lax cookie. Bearer tokens are never sent by a browser
 * on its own, so they need no check.
 */
function refuseCrossSite(req: Request, publicOrigin: string): void {
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return;
  const site = req.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') throw new ForbiddenError('A request from another site cannot use your session');
  const origin = req.headers.origin;
  if (origin && origin !== publicOrigin && origin !== `${req.protocol}://${req.get('host')}`) throw new ForbiddenError('A request from another site cannot use your session');
}

/**
 * Ten wrong guesses per address and IP per quarter hour, then 429: counted in Redis when there
 * is one, so every web process shares the count (in memory otherwise). If Redis is away the
 * request goes through: the per-account lockout in PostgreSQL still holds.
 */
export const loginLimiter = (redis: Redis | null, prefix: string) => limiter(redis, `${prefix}:rate:login:`, { limit: 10, onlyFailures: true, message: 'Too many failed logins; wait 15 minutes and try again' });

/** Three reset mails per address and IP per quarter hour. */
export const resetRequestLimiter = (redis: Redis | null, prefix: string) => limiter(redis, `${prefix}:rate:reset:`, { limit: 3, onlyFailures: false, message: 'Too many reset requests; wait 15 minutes and try again' });

function limiter(redis: Redis | null, keyPrefix: string, o: { limit: number; onlyFailures: boolean; message: string }) {
  return rateLimit({
    windowMs: 15 * 60_000,
    ...(redis ? { store: new RedisStore({ sendCommand: (command: string, ...args: string[]) => redis.call(command, ...args) as Promise<RedisReply>, prefix: keyPrefix }), passOnStoreError: true } : {}),
    limit: o.limit,
    skipSuccessfulRequests: o.onlyFailures,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => `${ipKeyGenerator(req.ip ?? '')}|${String((req.body as { email?: unknown })?.email ?? '').toLowerCase()}`,
    handler: (_req, res) => {
      res.status(429).json({ error: { code: 'too_many_attempts', message: o.message } });
    },
  });
}

export function authRoutes(api: AgentApi, s: InboxServices): void {
  const secure = s.config.publicUrl.startsWith('https:');
  api.route(
    {
      method: 'post', path: '/auth/login', tag: 'auth', auth: 'none',
      summary: 'Log in with email and password (and `code`, the authenticator app\'s or a recovery code, when two-factor login is on); returns a token and sets the session cookie',
      body: z.object({ email: z.string().trim().min(1).max(320), password: z.string().min(1).max(200), code: z.string().trim().max(40).optional() }),
      responses: { 401: 'Email or password is wrong; or code two_factor_required / two_factor_wrong', 403: 'The account is deactivated', 429: 'Too many failed attempts (the address and IP, or the account: locked for 15 minutes)' },
    },
    async ({ body, req, res }) => {
      const { token, agent, expiresAt } = await s.sessions.login({ ...body, userAgent: req.headers['user-agent'], ip: req.ip });
      res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure, path: '/', expires: expiresAt });
      return { token, agent, expiresAt: expiresAt.toISOString() };
    },
  );
  api.route({ method: 'post', path: '/auth/logout', tag: 'auth', auth: 'agent', summary: 'End this session' }, async ({ req, res }) => {
    const token = bearerToken(req) ?? readCookie(req.headers.cookie, SESSION_COOKIE);
    if (token) await s.sessions.logout(token);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    return undefined;
  });
  api.route({ method: 'get', path: '/auth/me', tag: 'auth', auth: 'agent', summary: 'The logged-in agent, their role (its permissions and which conversations it sees) and the inboxes they can see' }, async ({ caller }) => {
    const [grant, own] = await Promise.all([s.access.grant(caller), s.db.prisma.agent.findUniqueOrThrow({ where: { id: caller.id }, select: { totpEnabled: true, locale: true, timeZone: true } })]);
    return {
      agent: caller,
      role: { name: grant.customRole?.name ?? grant.role, custom: !!grant.customRole, visibility: grant.visibility },
      permissions: [...grant.permissions],
      inboxIds: grant.inboxIds,
      teamIds: grant.teamIds,
      twoFactorEnabled: own.totpEnabled,
      preferences: { locale: own.locale, timeZone: own.timeZone },
    };
  });

  api.route(
    {
      method: 'put', path: '/auth/preferences', tag: 'account', auth: 'agent',
      body: z.object({
        locale: z.string().regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'a language such as es or pt-BR').nullable(),
        timeZone: z.string().refine(isTimeZone, 'an IANA time zone such as Europe/Madrid').nullable(),
      }).strict(),
      summary: 'Your language and time zone for the app (null: the browser\'s): dates, numbers and countdowns as you read them',
    },
    async ({ caller, body }) => {
      const saved = await s.db.prisma.agent.update({ where: { id: caller.id }, data: { locale: body.locale, timeZone: body.timeZone }, select: { locale: true, timeZone: true } });
      // Their reports will be read in their days: start counting those now.
      s.reportZones.prepare(saved.timeZone);
      return saved;
    },
  );
}
