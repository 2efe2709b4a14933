// The first admin of a deployment without demo data: from the environment at start
// (ADMIN_EMAIL / ADMIN_PASSWORD) or from `npm run admin -- create`. Never replaces an admin
// that exists: the environment bootstraps once, it does not reset anybody's password later.
import type { PrismaClient } from '../../platform/db/client';
import { ValidationError } from '../../platform/errors';
import { hashPassword, passwordProblem } from './passwords';

export interface NewAgent {
  email: string;
  name: string;
  password: string;
  role?: 'admin' | 'supervisor' | 'agent';
}

/** Creates an agent; a clear ValidationError when the email is taken or the password too weak. */
export async function createAgentAccount(prisma: PrismaClient, a: NewAgent): Promise<{ id: string; email: string }> {
  const email = a.email.trim().toLowerCase();
  const problem = passwordProblem(a.password, { email, name: a.name });
  if (problem) throw new ValidationError(`password: ${problem}`);
  if (await prisma.agent.findUnique({ where: { email }, select: { id: true } })) throw new ValidationError(`an agent with the email ${email} already exists`);
  const agent = await prisma.agent.create({ data: { email, name: a.name.trim(), role: a.role ?? 'admin', passwordHash: await hashPassword(a.password) }, select: { id: true, email: true } });
  return agent;
}

export const hasAdmin = async (prisma: PrismaClient) => (await prisma.agent.count({ where: { role: 'admin' } })) > 0;

/** Creates the admin from the environment when the deployment has none yet: 'created', or 'exists' (nothing changed). */
export async function bootstrapAdmin(prisma: PrismaClient, a: Omit<NewAgent, 'role'>): Promise<'created' | 'exists'> {
  if (await hasAdmin(prisma)) return 'exists';
  try {
    await createAgentAccount(prisma, { ...a, role: 'admin' });
  } catch (err) {
    // Two web processes starting together: the other one created it first.
    if ((err as { code?: string }).code === 'P2002' || (err instanceof ValidationError && (await hasAdmin(prisma)))) return 'exists';
    throw err;
  }
  return 'created';
}
