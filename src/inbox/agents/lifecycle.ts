// An agent's life in the account: invited by a signed link that expires, their own password
// changed (other sessions end) or reset by a link an admin hands them, two-factor login turned
// on and off, deactivated (sessions and sockets cut at once, their open conversations handed
// back to assignment, their history kept) and reactivated.
import crypto from 'node:crypto';
import type { PrismaClient } from '../../platform/db/client';
import { AppError, ConflictError, UnauthorizedError, ValidationError } from '../../platform/errors';
import type { ConversationActions } from '../conversations/actions';
import { createAgentAccount } from './first-admin';
import { hashPassword, passwordProblem, verifyPassword } from './passwords';
import { decryptSecret, encryptSecret, newRecoveryCodes, newTotpSecret, totpMatches } from './two-factor';

export const INVITATION_DAYS = 7;
export const RESET_HOURS = 24;

type LinkPayload = { kind: 'invite'; email: string; name: string; role: 'admin' | 'supervisor' | 'agent'; customRoleId?: string; exp: number } | { kind: 'reset'; agentId: string; pw: string; exp: number };

/** A token that says what it is for and until when, signed so nobody can make or change one. */
function signLink(appSecret: string, payload: LinkPayload): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${crypto.createHmac('sha256', appSecret).update(`agent-link:${body}`).digest('base64url')}`;
}

function readLink<K extends LinkPayload['kind']>(appSecret: string, token: string, kind: K): Extract<LinkPayload, { kind: K }> {
  const [body, sig] = token.split('.');
  const expected = body ? crypto.createHmac('sha256', appSecret).update(`agent-link:${body}`).digest('base64url') : '';
  if (!body || !sig || sig.length !== expected.length || !crypto.timingSafeEqual(Buffer.from(sig), Buffer.from(expected))) throw new ValidationError('This link is not valid');
  const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as LinkPayload;
  if (payload.kind !== kind) throw new ValidationError('This link is not valid');
  if (payload.exp < Date.now()) throw new AppError(410, 'link_expired', 'This link has expired; ask an admin for a new one');
  return payload as Extract<LinkPayload, { kind: K }>;
}

/** A reset link dies with the password it replaces: it works once. */
const passwordFingerprint = (hash: string) => crypto.createHash('sha256').update(hash).digest('base64url').slice(0, 16);

export class AgentLifecycle {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly appSecret: string,
    private readonly actions: ConversationActions,
    /** Cuts the agent's live connections on every web process. */
    private readonly disconnect: (agentId: string) => void,
  ) {}

  /** `customRoleId`: the custom role they get on accepting (if it still exists then). */
  invite(i: { email: string; name: string; role: 'admin' | 'supervisor' | 'agent'; customRoleId?: string }): { token: string; expiresAt: Date } {
    const exp = Date.now() + INVITATION_DAYS * 86_400_000;
    const payload: LinkPayload = { kind: 'invite', email: i.email.trim().toLowerCase(), name: i.name.trim(), role: i.role, ...(i.customRoleId ? { customRoleId: i.customRoleId } : {}), exp };
    return { token: signLink(this.appSecret, payload), expiresAt: new Date(exp) };
  }

  async describeInvitation(token: string) {
    const { email, name, role, customRoleId, exp } = readLink(this.appSecret, token, 'invite');
    const custom = customRoleId ? await this.prisma.role.findUnique({ where: { id: customRoleId }, select: { name: true } }) : null;
    return { email, name, role: custom?.name ?? role, expiresAt: new Date(exp).toISOString() };
  }

  async acceptInvitation(token: string, password: string): Promise<{ email: string }> {
    const inv = readLink(this.appSecret, token, 'invite');
    if (await this.prisma.agent.findUnique({ where: { email: inv.email }, select: { id: true } })) throw new ConflictError('This invitation was already accepted; log in instead');
    const created = await createAgentAccount(this.prisma, { email: inv.email, name: inv.name, role: inv.role, password });
    if (inv.customRoleId && (await this.prisma.role.findUnique({ where: { id: inv.customRoleId }, select: { id: true } }))) {
      await this.prisma.agent.update({ where: { id: created.id }, data: { customRoleId: inv.customRoleId } });
    }
    return created;
  }

  async resetLink(agentId: string): Promise<{ token: string; expiresAt: Date }> {
    const agent = await this.prisma.agent.findUniqueOrThrow({ where: { id: agentId }, select: { passwordHash: true } });
    const exp = Date.now() + RESET_HOURS * 3_600_000;
    return { token: signLink(this.appSecret, { kind: 'reset', agentId, pw: passwordFingerprint(agent.passwordHash), exp }), expiresAt: new Date(exp) };
  }

  async resetPassword(token: string, password: string): Promise<void> {
    const link = readLink(this.appSecret, token, 'reset');
    const agent = await this.prisma.agent.findUnique({ where: { id: link.agentId } });
    if (!agent || passwordFingerprint(agent.passwordHash) !== link.pw) throw new AppError(410, 'link_used', 'This link was already used; ask an admin for a new one');
    await this.setPassword(agent, password, null);
  }

  async changePassword(agentId: string, current: string, next: string, keepSession: string | null): Promise<void> {
    const agent = await this.prisma.agent.findUniqueOrThrow({ where: { id: agentId } });
    if (!(await verifyPassword(current, agent.passwordHash))) throw new UnauthorizedError('The current password is wrong');
    await this.setPassword(agent, next, keepSession);
  }

  /** A new password (the policy applied); every session ends but the one named. */
  private async setPassword(agent: { id: string; email: string; name: string }, password: string, keepSession: string | null): Promise<void> {
    const problem = passwordProblem(password, agent);
    if (problem) throw new ValidationError(`password: ${problem}`);
    await this.prisma.$transaction([
      this.prisma.agent.update({ where: { id: agent.id }, data: { passwordHash: await hashPassword(password), passwordChangedAt: new Date(), failedLogins: 0, lockedUntil: null } }),
      this.prisma.agentSession.deleteMany({ where: { agentId: agent.id, ...(keepSession ? { id: { not: keepSession } } : {}) } }),
    ]);
  }

  /** Step one of two-factor: a secret to scan, kept encrypted until a code proves the app has it. */
  async startTwoFactor(agentId: string): Promise<{ secret: string; uri: string }> {
    const agent = await this.prisma.agent.findUniqueOrThrow({ where: { id: agentId } });
    if (agent.totpEnabled) throw new ConflictError('Two-factor login is already on; turn it off first to change the app');
    const { base32, uri } = newTotpSecret(agent.email);
    await this.prisma.agent.update({ where: { id: agentId }, data: { totpSecret: encryptSecret(this.appSecret, base32) } });
    return { secret: base32, uri };
  }

  /** Step two: a current code turns it on; answers the recovery codes, shown this once. */
  async enableTwoFactor(agentId: string, code: string): Promise<{ recoveryCodes: string[] }> {
    const agent = await this.prisma.agent.findUniqueOrThrow({ where: { id: agentId } });
    if (agent.totpEnabled) throw new ConflictError('Two-factor login is already on');
    if (!agent.totpSecret) throw new ValidationError('Start the set-up first (POST /auth/2fa/setup)');
    if (!totpMatches(decryptSecret(this.appSecret, agent.totpSecret), code)) throw new ValidationError('That code is wrong; check the time on your phone and try the next one');
    const { codes, hashes } = newRecoveryCodes();
    await this.prisma.agent.update({ where: { id: agentId }, data: { totpEnabled: true, recoveryCodes: hashes } });
    return { recoveryCodes: codes };
  }

  async disableTwoFactor(agentId: string, password: string): Promise<void> {
    const agent = await this.prisma.agent.findUniqueOrThrow({ where: { id: agentId } });
    if (!(await verifyPassword(password, agent.passwordHash))) throw new UnauthorizedError('The password is wrong');
    await this.prisma.agent.update({ where: { id: agentId }, data: { totpEnabled: false, totpSecret: null, recoveryCodes: [] } });
  }

  async newRecoveryCodes(agentId: string, password: string): Promise<{ recoveryCodes: string[] }> {
    const agent = await this.prisma.agent.findUniqueOrThrow({ where: { id: agentId } });
    if (!(await verifyPassword(password, agent.passwordHash))) throw new UnauthorizedError('The password is wrong');
    if (!agent.totpEnabled) throw new ValidationError('Two-factor login is off');
    const { codes, hashes } = newRecoveryCodes();
    await this.prisma.agent.update({ where: { id: agentId }, data: { recoveryCodes: hashes } });
    return { recoveryCodes: codes };
  }

  /**
   * Off at once: no login, every session ended, live sockets cut, open conversations handed back
   * to assignment (an activity line each says so); messages, notes and reports keep their name.
   */
  async deactivate(agentId: string, by: { id: string; name: string }): Promise<{ handedBack: number }> {
    if (agentId === by.id) throw new ValidationError('You cannot deactivate yourself');
    const agent = await this.prisma.agent.findUniqueOrThrow({ where: { id: agentId } });
    if (agent.role === 'admin' && !agent.customRoleId && (await this.prisma.agent.count({ where: { role: 'admin', customRoleId: null, active: true } })) <= 1) throw new ValidationError('This is the last active admin');
    await this.prisma.$transaction([
      this.prisma.agent.update({ where: { id: agentId }, data: { active: false, deactivatedAt: new Date(), availability: 'offline' } }),
      this.prisma.agentSession.deleteMany({ where: { agentId } }),
    ]);
    this.disconnect(agentId);
    const open = await this.prisma.conversation.findMany({ where: { assigneeId: agentId, status: { not: 'resolved' } }, select: { id: true } });
    for (const c of open) await this.actions.assign({ type: 'agent', ...by }, c.id, { assigneeId: null, reason: `${agent.name} was deactivated` });
    return { handedBack: open.length };
  }

  async reactivate(agentId: string): Promise<void> {
    await this.prisma.agent.update({ where: { id: agentId }, data: { active: true, deactivatedAt: null, failedLogins: 0, lockedUntil: null } });
  }
}
