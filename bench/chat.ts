// bench/chat: live chat latency through the whole product, as `npm start` runs it. 200
// website visitors (socket.io-client on /widget, as the widget script) and 50 agents (on
// /agents) on loopback. Visitors write every few seconds; each first message gets an
// agent's reply. Prints visitor → agent (message.created on an agent socket) and agent →
// visitor (the reply on the visitor's socket) latency, p50/p99.
import { parseArgs } from 'node:util';
import { io, type Socket } from 'socket.io-client';
import { hashPassword } from '../src/inbox/agents/passwords';
import { percentile } from './lib/measure';
import { startBenchProduct } from './lib/product';
import { CUSTOMER_TEXTS } from './lib/texts';

const { values } = parseArgs({ options: { visitors: { type: 'string', default: '200' }, agents: { type: 'string', default: '50' }, seconds: { type: 'string', default: '20' } } });
const VISITORS = Number(values.visitors);
const AGENTS = Number(values.agents);
const SECONDS = Number(values.seconds);
const PASSWORD = 'bench-password-1';

const product = await startBenchProduct({ ROUTING_DEFAULTS: 'false' });
const { app } = product;
const { prisma } = app.services.db;
const base = app.url!;
const connect = (ns: string, opts: Record<string, unknown>) =>
  new Promise<Socket>((resolve, reject) => {
    const s = io(`${base}${ns}`, { transports: ['websocket'], forceNew: true, reconnection: false, ...opts });
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });

try {
  const passwordHash = await hashPassword(PASSWORD);
  const agents = await Promise.all(Array.from({ length: AGENTS }, (_, i) => prisma.agent.create({ data: { email: `agent${i}@bench.test`, name: `Agent ${i}`, passwordHash, availability: 'online' } })));
  const inbox = await prisma.inbox.create({ data: { kind: 'widget', name: 'Bench chat', config: { allowedOrigins: ['*'], perVisitorPerMinute: 600, perIpPerMinute: 6_000 }, members: { create: agents.map((a) => ({ agentId: a.id })) } } });
  const tokens = await Promise.all(agents.map(async (a) => (await app.services.sessions.login({ email: a.email, password: PASSWORD })).token));

  // visitor → agent: when each agent socket sees the message.
  const sentAt = new Map<string, number>();
  const toAgent: number[] = [];
  const agentSockets = await Promise.all(tokens.map((token) => connect('/agents', { auth: { token } })));
  for (const s of agentSockets) {
    s.on('message.created', (e: { message: { id: string; direction: string } }) => {
      const t0 = sentAt.get(e.message.id);
      if (t0 !== undefined && e.message.direction === 'inbound') toAgent.push(performance.now() - t0);
    });
  }

  // agent → visitor: when the visitor's socket gets the reply.
  const replyAt = new Map<string, number>();
  const toVisitor: number[] = [];
  const visitors = await Promise.all(Array.from({ length: VISITORS }, () => connect('/widget', { auth: { inboxId: inbox.id } })));
  for (const v of visitors) {
    v.on('message', (m: { id: string; direction: string }) => {
      const t0 = replyAt.get(m.id);
      if (t0 !== undefined && m.direction === 'outbound') toVisitor.push(performance.now() - t0);
    });
  }
  console.log(`[bench:chat] ${VISITORS} visitors and ${AGENTS} agents connected; chatting for ${SECONDS} s…`);

  let n = 0;
  const replied = new Set<string>();
  const replies: Promise<void>[] = [];
  const until = performance.now() + SECONDS * 1000;
  // Each visitor writes every ~5 s, spread evenly: VISITORS / 5 messages a second.
  const everyMs = 5_000 / VISITORS;
  while (performance.now() < until) {
    const v = visitors[n % VISITORS]!;
    const text = CUSTOMER_TEXTS[n % CUSTOMER_TEXTS.length]!;
    const t0 = performance.now();
    v.emit('message', { clientId: `m${n.toString(36)}x${Date.now().toString(36)}`, text }, (ack: { ok: boolean; id: string; error?: string }) => {
      if (!ack.ok) return console.warn('[bench:chat] refused:', ack.error);
      sentAt.set(ack.id, t0);
      if (replied.has(v.id!)) return;
      replied.add(v.id!);
      // An agent answers the visitor's first message once it is threaded.
      replies.push(
        (async () => {
          for (;;) {
            const m = await prisma.message.findUnique({ where: { id: ack.id }, select: { conversationId: true } });
            if (m) {
              const r = await app.services.replies.fromAgent(agents[n % AGENTS]!.id, m.conversationId, { text: 'Thanks, looking into it now.' });
              replyAt.set(r.id, performance.now());
              return;
            }
            await new Promise((res) => setTimeout(res, 20));
          }
        })(),
      );
    });
    n++;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  await Promise.all(replies);
  await new Promise((r) => setTimeout(r, 2_000));
  const f = (xs: number[]) => `p50 ${percentile(xs, 50).toFixed(0)} ms, p99 ${percentile(xs, 99).toFixed(0)} ms`;
  console.log(`[bench:chat] ${n} visitor messages (${(n / SECONDS).toFixed(0)}/s); visitor → agent (${toAgent.length} deliveries to agent sockets): ${f(toAgent)}`);
  console.log(`[bench:chat] ${replyAt.size} agent replies; agent → visitor (${toVisitor.length} deliveries): ${f(toVisitor)}`);
  for (const s of [...agentSockets, ...visitors]) s.disconnect();
} finally {
  await product.close();
}
