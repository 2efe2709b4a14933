// API tokens for integrations: `inbx_…`, acting as the agent who owns them but only within
// their scopes (`<area>:read` / `<area>:write`, the area being the route's tag in the OpenAPI
// document, which names each route's scope). Kept as SHA-256 only, shown once, with an expiry
// and the last time each was used. Account routes (passwords, two-factor, tokens) never take one.
import { ForbiddenError, UnauthorizedError } from '../../platform/errors';
import type { PrismaClient } from '../../platform/db/client';
import { hashToken, newToken } from '../inboxes/directory';
import type { SessionAgent } from './sessions';

export const TOKEN_PREFIX = 'inbx_';
/** Areas a token may be given (the API's tags); auth and account stay with people. */
export const TOKEN_AREAS = ['conversations', 'contacts', 'inboxes', 'agents', 'teams', 'labels', 'roles', 'routing', 'reports', 'analysis', 'canned', 'attachments', 'community', 'webhooks', 'audit', 'knowledge', 'macros'] as const;
export const TOKEN_SCOPES = TOKEN_AREAS.flatMap((a) => [`${a}:read`, `${a}:write`]);
/** Writing an area includes reading it. */
const grants = (scopes: string[], needed: string) => scopes.includes(needed) || (needed.endsWith(':read') && scopes.includes(needed.replace(/:read$/, ':write')));
const USED_EVERY_MS = 60_000;

export const isApiToken = (token: string | undefined): token is string => !!token?.startsWith(TOKEN_PREFIX);

export class ApiTokens {
  constructor(private readonly prisma: PrismaClient) {}

  async create(owner: SessionAgent, t: { name: string; scopes: string[]; expiresInDays?: number; kind: 'personal' | 'service' }) {
    const token = `${TOKEN_PREFIX}${newToken(32)}`;
    const row = await this.prisma.apiToken.create({
      data: { agentId: owner.id, name: t.name, kind: t.kind, scopes: t.scopes, tokenHash: hashToken(token), prefix: token.slice(0, TOKEN_PREFIX.length + 6), expiresAt: t.expiresInDays ? new Date(Date.now() + t.expiresInDays * 86_400_000) : null },
      omit: { tokenHash: true },
    });
    return { ...row, token };
  }

  /** The owner the token acts as, if it is valid and grants this scope. */
  async authenticate(token: string, scope: string): Promise<SessionAgent> {
    const row = await this.prisma.apiToken.findUnique({ where: { tokenHash: hashToken(token) }, include: { agent: { select: { id: true, email: true, name: true, role: true, availability: true, active: true } } } });
    if (!row || (row.expiresAt && row.expiresAt < new Date())) throw new UnauthorizedError('This API token is not valid or has expired');
    if (!row.agent.active) throw new UnauthorizedError('The owner of this API token is deactivated');
    if (!grants(row.scopes, scope)) throw new ForbiddenError(`This API token lacks the scope ${scope}`);
    if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > USED_EVERY_MS) {
      await this.prisma.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } }).catch(() => {});
    }
    const { active: _active, ...agent } = row.agent;
    return agent;
  }
}
