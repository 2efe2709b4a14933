// Production shape: web and worker processes apart, sharing PostgreSQL and Redis.
import { describe, expect, it } from 'vitest';
import { createAgent, createInbox } from './helpers/fixtures';
import { connectAgent, eventually, login, nextEvent, request } from './helpers/http';
import { freePort } from './helpers/ports';
import { processCluster, spawnRole } from './helpers/processes';

const cluster = processCluster('so');
const start = (role: 'web' | 'worker', extra: Record<string, string> = {}) => cluster.start(role, extra);

describe('web and worker processes apart', () => {
  it('an accepted message survives a worker crash before processing and is processed exactly once', async () => {
    const agent = await createAgent(cluster.db.prisma);
    const { inbox, token } = await createInbox(cluster.db.prisma, { memberIds: [agent.id] });
    const [web, worker] = await Promise.all([start('web', { PORT: String(await freePort()) }), start('worker')]);
    await worker.kill('SIGKILL');
    const r = await request(`${web.url}/api/v1/inboxes/${inbox.id}/messages`, {
      token,
      body: { externalId: 'crash-1', from: { email: 'crash@example.com' }, text: 'Please call me back' },
    });
    expect(r.status).toBe(202);
    // Nobody is consuming: accepted and durable, but not yet threaded.
    await new Promise((res) => setTimeout(res, 500));
    expect(await cluster.db.prisma.message.count({ where: { id: r.body.id } })).toBe(0);
    expect((await cluster.db.prisma.inboundReceipt.findFirstOrThrow({ where: { externalId: 'crash-1' } })).status).toBe('pending');
    await start('worker');
    const receipt = await eventually(async () => {
      const x = await cluster.db.prisma.inboundReceipt.findFirstOrThrow({ where: { externalId: 'crash-1' } });
      return x.status === 'processed' ? x : null;
    }, { timeoutMs: 20_000, what: 'the restarted worker to process the message' });
    expect(receipt.attempts).toBe(1);
    expect(await cluster.db.prisma.message.count({ where: { externalId: 'crash-1' } })).toBe(1);
    expect(await cluster.db.prisma.conversation.count({ where: { inboxId: inbox.id } })).toBe(1);
    await web.kill();
  });

  it('an agent socket on web B receives message.created for a message posted to web A', async () => {
    const agent = await createAgent(cluster.db.prisma);
    const { inbox, token } = await createInbox(cluster.db.prisma, { memberIds: [agent.id] });
    const [a, b] = await Promise.all([start('web', { PORT: String(await freePort()) }), start('web', { PORT: String(await freePort()) }), start('worker')]);
    const socket = await connectAgent(b.url!, await login(b.url!, agent.email));
    try {
      const created = nextEvent(socket, 'message.created', (e) => e.message.externalId === 'cross-1', 20_000);
      const r = await request(`${a.url}/api/v1/inboxes/${inbox.id}/messages`, { token, body: { externalId: 'cross-1', from: { email: 'x@example.com' }, text: 'Hello from web A' } });
      expect(r.status).toBe(202);
      const event = await created;
      expect(event.message.text).toBe('Hello from web A');
      // And a change made through web A's API (not the worker) reaches web B too.
      const updated = nextEvent(socket, 'conversation.updated', (e) => e.changes.includes('status'), 20_000);
      const tokenA = await login(a.url!, agent.email);
      await request(`${a.url}/api/v1/conversations/${event.conversationId}/status`, { token: tokenA, body: { status: 'pending' } });
      expect((await updated).conversation.status).toBe('pending');
    } finally {
      socket.disconnect();
    }
  });

  it('refuses to run a role apart without DATABASE_URL and REDIS_URL, saying why', async () => {
    await expect(spawnRole('worker', { DATABASE_URL: '', REDIS_URL: '' }, 20_000)).rejects.toThrow(/needs DATABASE_URL and REDIS_URL/);
  });
});
