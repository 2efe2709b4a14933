// bench/routing: how soon routing acts. Posts customer messages to the API channel of the
// product (one process, embedded PostgreSQL, in-process queue, the default rules) at a fixed
// rate and prints, from the 202 to the row in the database: the acknowledgement stored and
// the assignment made (p50 / p95 / p99 / max), and how many of each happened.
//
//   npm run bench:routing -- [--messages 300] [--rate 50]
import { parseArgs } from 'node:util';
import { hashPassword } from '../src/inbox/agents/passwords';
import { hashToken, newToken } from '../src/inbox/inboxes/directory';
import { percentile } from './lib/measure';
import { startBenchProduct } from './lib/product';
import { CUSTOMER_TEXTS } from './lib/texts';

const { values: args } = parseArgs({ options: { messages: { type: 'string', default: '300' }, rate: { type: 'string', default: '50' } } });
const N = Number(args.messages);
const RATE = Number(args.rate);
const log = (...a: unknown[]) => console.log('[bench:routing]', ...a);

const { app, close } = await startBenchProduct();
try {
  const { prisma } = app.services.db;
  const passwordHash = await hashPassword('bench-password-1');
  const agents = await Promise.all(Array.from({ length: 10 }, (_, i) => prisma.agent.create({ data: { email: `agent${i}@bench.test`, name: `Agent ${i}`, passwordHash, availability: 'online', capacity: 1_000 } })));
  const token = newToken();
  const inbox = await prisma.inbox.create({ data: { name: 'Bench', kind: 'api', tokenHash: hashToken(token), members: { create: agents.map((a) => ({ agentId: a.id })) } } });
  log(`posting ${N} messages from ${N} customers at ${RATE}/s to ${app.url} (10 agents online)`);

  const accepted = new Map<string, number>();
  const started = Date.now();
  await Promise.all(
    Array.from({ length: N }, async (_, i) => {
      await new Promise((r) => setTimeout(r, (i * 1000) / RATE));
      const res = await fetch(`${app.url}/api/v1/inboxes/${inbox.id}/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ externalId: `b-${i}`, from: { email: `c${i}@bench.test`, name: `Customer ${i}` }, text: CUSTOMER_TEXTS[i % CUSTOMER_TEXTS.length] }),
      });
      const body = (await res.json()) as { id: string };
      accepted.set(body.id, Date.now());
    }),
  );
  // Wait for every message to be stored and routing to finish (the outbox empty), at most 60 s.
  const ids = [...accepted.keys()];
  for (let i = 0; i < 600 && ((await prisma.message.count({ where: { id: { in: ids } } })) < N || (await prisma.routingEvent.count()) > 0); i++) await new Promise((r) => setTimeout(r, 100));
  log(`posted in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const messages = await prisma.message.findMany({ where: { id: { in: [...accepted.keys()] } }, select: { id: true, conversationId: true } });
  const conversationOf = new Map(messages.map((m) => [m.conversationId, m.id]));
  const acks = await prisma.message.findMany({ where: { conversationId: { in: [...conversationOf.keys()] }, senderType: 'system', direction: 'outbound' }, select: { conversationId: true, createdAt: true } });
  const assigned = await prisma.auditEvent.findMany({ where: { conversationId: { in: [...conversationOf.keys()] }, type: 'conversation.assigned' }, select: { conversationId: true, createdAt: true }, orderBy: { id: 'asc' } });
  const delays = (rows: Array<{ conversationId: string | null; createdAt: Date }>) => {
    const seen = new Set<string>();
    const out: number[] = [];
    for (const r of rows) {
      if (!r.conversationId || seen.has(r.conversationId)) continue;
      seen.add(r.conversationId);
      out.push(r.createdAt.getTime() - accepted.get(conversationOf.get(r.conversationId)!)!);
    }
    return out;
  };
  const show = (what: string, xs: number[]) =>
    log(`${what}: ${xs.length}/${N}; from the 202: p50 ${percentile(xs, 50)} ms, p95 ${percentile(xs, 95)} ms, p99 ${percentile(xs, 99)} ms, max ${Math.max(...xs)} ms`);
  show('acknowledged', delays(acks));
  show('assigned', delays(assigned));
  console.log((globalThis as any).T);
} finally {
  await close();
}
