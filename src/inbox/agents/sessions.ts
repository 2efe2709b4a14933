// Agent sessions: an opaque random token, given to the agent once; we keep only its hash.
// The same token works as a Bearer token (API, sockets) and as the web app's cookie.
// Logging in checks the password (the same answer for an unknown email), then the two-factor
// code when the agent has turned it on; ten failures in a row lock the account for 15 minutes.
import type { Agent, PrismaClient } from '../../platform/db/client';
import { AppError, UnauthorizedError } from '../../platform/errors';
import { hashToken, newToken } from '../inboxes/directory';
import { hashPassword, verifyPassword } from './passwords';
import { decryptSecret, hashRecoveryCode, totpStep } from './two-factor';

export const SESSION_COOKIE = 'inbox_session';

export type SessionAgent = Pick<Agent, 'id' | 'email' | 'name' | 'role' | 'availability'>;

export interface LoginAttempt {
  email: string;
  password: string;
  /** The authenticator app's code, or a recovery code. */
  code?: string;
  userAgent?: string;
  ip?: string;
}

/** Failed logins in a row before the account locks, and for how long. */
export const LOCK_AFTER = 10;
const LOCK_MS = 15 * 60_000;
const WRONG = 'Email or password is wrong';

export class Sessions {
  /** Compared against when the email is unknown, so both answers take as long. */
  private readonly decoy = hashPassword('not-a-real-password-for-timing');

  constructor(
    private readonly prisma: PrismaClient,
    private readonly ttlMs: number,
    private readonly appSecret: string,
  ) {}

  async login(a: LoginAttempt): Promise<{ token: string; agent: SessionAgent; expiresAt: Date }> {
    const agent = await this.prisma.agent.findUnique({ where: { email: a.email.trim().toLowerCase() } });
    if (!agent) {
      await verifyPassword(a.password, await this.decoy);
      throw new UnauthorizedError(WRONG);
    }
    if (agent.lockedUntil && agent.lockedUntil > new Date()) {
      throw new AppError(429, 'too_many_attempts', 'Too many failed logins; wait 15 minutes and try again');
    }
    if (!(await verifyPassword(a.password, agent.passwordHash))) {
      await this.failed(agent.id);
      throw new UnauthorizedError(WRONG);
    }
    if (!agent.active) throw new AppError(403, 'deactivated', 'This account is deactivated; ask an admin');
    if (agent.totpEnabled) {
      if (!a.code) throw new AppError(401, 'two_factor_required', 'Enter the code from your authenticator app, or a recovery code');
      if (!(await this.secondFactor(agent, a.code))) {
        await this.failed(agent.id);
        throw new AppError(401, 'two_factor_wrong', 'That code is wrong or was already used');
      }
    }
    if (agent.failedLogins || agent.lockedUntil) await this.prisma.agent.update({ where: { id: agent.id }, data: { failedLogins: 0, lockedUntil: null } });
    return this.open(agent, a);
  }

  /**
   * A TOTP code, or a recovery code, each good once even by two logins racing: a TOTP code's step
   * must be later than the last one that logged in (someone who saw it cannot use it again within
   * its 30 seconds); a recovery code is used up.
   */
  private async secondFactor(agent: Agent, code: string): Promise<boolean> {
    const step = agent.totpSecret ? totpStep(decryptSecret(this.appSecret, agent.totpSecret), code) : null;
    if (step !== null) {
      return (await this.prisma.$executeRaw`UPDATE agents SET totp_last_step = ${step} WHERE id = ${agent.id}::uuid AND (totp_last_step IS NULL OR totp_last_step < ${step})`) === 1;
    }
    const hash = hashRecoveryCode(code);
    const used = await this.prisma.$executeRaw`UPDATE agents SET recovery_codes = array_remove(recovery_codes, ${hash}) WHERE id = ${agent.id}::uuid AND ${hash} = ANY(recovery_codes)`;
    return used === 1;
  }

  private async failed(agentId: string): Promise<void> {
    await this.prisma.$executeRaw`
      UPDATE agents SET failed_logins = CASE WHEN failed_logins + 1 >= ${LOCK_AFTER} THEN 0 ELSE failed_logins + 1 END,
                        locked_until = CASE WHEN failed_logins + 1 >= ${LOCK_AFTER} THEN now() + make_interval(secs => ${LOCK_MS / 1000}) ELSE locked_until END
       WHERE id = ${agentId}::uuid`;
  }

  private async open(agent: Agent, a: Pick<LoginAttempt, 'userAgent' | 'ip'>): Promise<{ token: string; agent: SessionAgent; expiresAt: Date }> {
    const token = newToken(32);
    const expiresAt = new Date(Date.now() + this.ttlMs);
    await this.prisma.agentSession.create({ data: { agentId: agent.id, tokenHash: hashToken(token), expiresAt, userAgent: a.userAgent?.slice(0, 300), ip: a.ip } });
    return { token, agent: pick(agent), expiresAt };
  }

  async authenticate(token: string | undefined): Promise<SessionAgent> {
    if (!token) throw new UnauthorizedError();
    const session = await this.prisma.agentSession.findUnique({
      where: { tokenHash: hashToken(token) },
      include: { agent: { select: { id: true, email: true, name: true, role: true, availability: true, active: true } } },
    });
    if (!session || session.expiresAt < new Date()) throw new UnauthorizedError('Your session has expired; log in again');
    if (!session.agent.active) throw new UnauthorizedError('This account is deactivated');
    const { active: _active, ...agent } = session.agent;
    return agent;
  }

  async logout(token: string): Promise<void> {
    await this.prisma.agentSession.deleteMany({ where: { tokenHash: hashToken(token) } });
  }

  /** The id of the session this token opened (to mark "this one" in the session list). */
  async idOf(token: string): Promise<string | null> {
    return (await this.prisma.agentSession.findUnique({ where: { tokenHash: hashToken(token) }, select: { id: true } }))?.id ?? null;
  }
}

const pick = (a: Agent): SessionAgent => ({ id: a.id, email: a.email, name: a.name, role: a.role, availability: a.availability });
