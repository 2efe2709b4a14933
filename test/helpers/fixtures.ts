// Builders for the people and inboxes a test needs, written straight to the database.
import crypto from 'node:crypto';
import { hashPassword } from '../../src/inbox/agents/passwords';
import { hashToken, newToken } from '../../src/inbox/inboxes/directory';
import type { AgentRole, ChannelKind, PrismaClient } from '../../src/platform/db/client';

export const PASSWORD = 'correct horse battery';
let passwordHash: Promise<string> | undefined;

export async function createAgent(prisma: PrismaClient, o: { role?: AgentRole; name?: string; email?: string; skills?: string[]; languages?: string[]; capacity?: number; availability?: 'online' | 'busy' | 'offline' } = {}) {
  passwordHash ??= hashPassword(PASSWORD);
  const id = crypto.randomBytes(4).toString('hex');
  return prisma.agent.create({
    data: {
      email: o.email ?? `agent-${id}@example.test`,
      name: o.name ?? `Agent ${id}`,
      role: o.role ?? 'agent',
      passwordHash: await passwordHash,
      skills: o.skills ?? [],
      languages: o.languages ?? ['en'],
      capacity: o.capacity ?? 10,
      availability: o.availability ?? 'online',
    },
  });
}

export async function createInbox(prisma: PrismaClient, o: { kind?: ChannelKind; name?: string; memberIds?: string[]; config?: object; secretRefs?: object; teamId?: string } = {}) {
  const token = newToken();
  const inbox = await prisma.inbox.create({
    data: {
      kind: o.kind ?? 'api',
      name: o.name ?? 'Test inbox',
      tokenHash: hashToken(token),
      config: o.config ?? {},
      secretRefs: o.secretRefs ?? {},
      teamId: o.teamId,
      members: { create: (o.memberIds ?? []).map((agentId) => ({ agentId })) },
    },
  });
  return { inbox, token };
}
