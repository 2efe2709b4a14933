// Agent sessions: an opaque random token, given to the agent once; we keep only its hash.
// The same token works as a Bearer token (API, sockets) and as the web app's cookie.
import type { Agent, PrismaClient } from '../../platform/db/client';
import { UnauthorizedError } from '../../platform/errors';
import { hashToken, newToken } from '../inboxes/directory';
import { verifyPassword } from './passwords';

export const SESSION_COOKIE = 'inbox_session';

export type SessionAgent = Pick<Agent, 'id' | 'email' | 'name' | 'role' | 'availability'>;

export class Sessions {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly ttlMs: number,
  ) {}

  async login(email: string, password: string): Promise<{ token: string; agent: SessionAgent; expiresAt: Date }> {
    const agent = await this.prisma.agent.findUnique({ where: { email: email.trim().toLowerCase() } });
    // Same answer for an unknown email and a wrong password: no account discovery.
    if (!agent || !(await verifyPassword(password, agent.passwordHash))) throw new UnauthorizedError('Email or password is wrong');
    const token = newToken(32);
    const expiresAt = new Date(Date.now() + this.ttlMs);
    await this.prisma.agentSession.create({ data: { agentId: agent.id, tokenHash: hashToken(token), expiresAt } });
    return { token, agent: pick(agent), expiresAt };
  }

  async authenticate(token: string | undefined): Promise<SessionAgent> {
    if (!token) throw new UnauthorizedError();
    const session = await this.prisma.agentSession.findUnique({
      where: { tokenHash: hashToken(token) },
      include: { agent: { select: { id: true, email: true, name: true, role: true, availability: true } } },
    });
    if (!session || session.expiresAt < new Date()) throw new UnauthorizedError('Your session has expired; log in again');
    return session.agent;
  }

  async logout(token: string): Promise<void> {
    await this.prisma.agentSession.deleteMany({ where: { tokenHash: hashToken(token) } });
  }
}

const pick = (a: Agent): SessionAgent => ({ id: a.id, email: a.email, name: a.name, role: a.role, availability: a.availability });
