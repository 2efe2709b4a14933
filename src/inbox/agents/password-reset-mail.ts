// "Forgot your password?": a reset link by email to whoever asks with an address. The answer
// is the same whether or not the address has an account (no enumeration), and the mail goes
// out after the answer, so its timing says nothing either. Sent through SYSTEM_SMTP_URL; without
// it there is no self-service reset and an admin makes the link (Settings → Agents).
import nodemailer, { type Transporter } from 'nodemailer';
import type { PrismaClient } from '../../platform/db/client';
import { AppError } from '../../platform/errors';
import type { Logger } from '../../platform/logger';
import type { AgentLifecycle } from './lifecycle';

export class PasswordResetMail {
  private readonly transport: Transporter | null;

  constructor(
    private readonly o: { prisma: PrismaClient; lifecycle: AgentLifecycle; logger: Logger; smtpUrl?: string; from: string; link: (token: string) => string },
  ) {
    this.transport = o.smtpUrl ? nodemailer.createTransport(o.smtpUrl) : null;
  }

  get available(): boolean {
    return this.transport !== null;
  }

  /** Resolves at once; the mail (if the address is an active agent's) is sent in the background. */
  request(email: string): void {
    if (!this.transport) throw new AppError(503, 'not_configured', 'Password reset by email is not set up here; ask an admin for a reset link');
    void this.send(email.trim().toLowerCase()).catch((err: unknown) => this.o.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'password reset mail not sent'));
  }

  private async send(email: string): Promise<void> {
    const agent = await this.o.prisma.agent.findUnique({ where: { email }, select: { id: true, name: true, active: true } });
    if (!agent?.active) return;
    const { token, expiresAt } = await this.o.lifecycle.resetLink(agent.id);
    const url = this.o.link(token);
    await this.transport!.sendMail({
      from: this.o.from,
      to: email,
      subject: 'Choose a new password',
      text: `Hello ${agent.name},\n\nSomeone (we hope you) asked to reset the password of your inbox account. Choose a new one here, once, before ${expiresAt.toUTCString()}:\n\n${url}\n\nIf it was not you, ignore this mail: your password stays as it is.\n`,
    });
    this.o.logger.info({ agentId: agent.id }, 'password reset link mailed');
  }
}
