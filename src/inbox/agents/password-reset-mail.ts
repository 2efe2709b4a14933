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
    const agent = await this.o.prisma.agent.findUnique({ where: { email }, select: { id: true, name: true, active: true, locale: true, timeZone: true } });
    if (!agent?.active) return;
    const { token, expiresAt } = await this.o.lifecycle.resetLink(agent.id);
    const url = this.o.link(token);
    // In the agent's own language and time zone (Account), English and UTC when they chose none.
    const language = (agent.locale ?? 'en').split('-')[0]!;
    const words = RESET_MAIL[language] ?? RESET_MAIL.en!;
    const until = new Intl.DateTimeFormat(agent.locale ?? 'en', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: agent.timeZone ?? 'UTC', timeZoneName: 'short' }).format(expiresAt);
    await this.transport!.sendMail({ from: this.o.from, to: email, subject: words.subject, text: words.text(agent.name, until, url) });
    this.o.logger.info({ agentId: agent.id }, 'password reset link mailed');
  }
}

/** The reset mail in each language the agent app speaks. */
const RESET_MAIL: Record<string, { subject: string; text: (name: string, until: string, url: string) => string }> = {
  en: {
    subject: 'Choose a new password',
    text: (name, until, url) => `Hello ${name},\n\nSomeone (we hope you) asked to reset the password of your inbox account. Choose a new one here, once, before ${until}:\n\n${url}\n\nIf it was not you, ignore this mail: your password stays as it is.\n`,
  },
  es: {
    subject: 'Elige una contraseña nueva',
    text: (name, until, url) => `Hola ${name}:\n\nAlguien (esperamos que tú) pidió restablecer la contraseña de tu cuenta de la bandeja. Elige una nueva aquí, una sola vez, antes del ${until}:\n\n${url}\n\nSi no fuiste tú, ignora este correo: tu contraseña sigue igual.\n`,
  },
  fr: {
    subject: 'Choisissez un nouveau mot de passe',
    text: (name, until, url) => `Bonjour ${name},\n\nQuelqu’un (vous, espérons-le) a demandé à réinitialiser le mot de passe de votre compte. Choisissez-en un nouveau ici, une seule fois, avant le ${until} :\n\n${url}\n\nSi ce n’était pas vous, ignorez ce message : votre mot de passe reste le même.\n`,
  },
  de: {
    subject: 'Neues Passwort wählen',
    text: (name, until, url) => `Hallo ${name},\n\njemand (hoffentlich Sie) hat verlangt, das Passwort Ihres Posteingangs-Kontos zurückzusetzen. Wählen Sie hier ein neues, einmal, vor ${until}:\n\n${url}\n\nWaren Sie es nicht, ignorieren Sie diese Mail: Ihr Passwort bleibt, wie es ist.\n`,
  },
  pt: {
    subject: 'Escolha uma nova palavra-passe',
    text: (name, until, url) => `Olá ${name},\n\nAlguém (esperamos que tenha sido você) pediu para repor a palavra-passe da sua conta da caixa de entrada. Escolha uma nova aqui, uma só vez, antes de ${until}:\n\n${url}\n\nSe não foi você, ignore este email: a sua palavra-passe fica como está.\n`,
  },
};
