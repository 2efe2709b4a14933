// The database is the source of truth: with the in-process queue (nothing survives a
// restart in memory), work found unfinished in the database at start is done once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { connectDatabase, type Database } from '../src/platform/db/client';
import { createTestDatabase, type TestDatabase } from './helpers/db';
import { startTestApp } from './helpers/app';
import { createAgent, createInbox } from './helpers/fixtures';
import { eventually } from './helpers/http';

let testDb: TestDatabase;
let db: Database;

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = connectDatabase({ url: testDb.url, poolSize: 2 });
});
afterAll(async () => {
  await db.close();
  await testDb.drop();
});

describe('restart with the in-process queue', () => {
  it('threads a message that was accepted but not processed before the restart', async () => {
    const { inbox } = await createInbox(db.prisma);
    // As if the process died right after answering 202: the receipt is all there is.
    const receipt = await db.prisma.inboundReceipt.create({
      data: { inboxId: inbox.id, externalId: 'left-behind', payload: { externalId: 'left-behind', from: { identities: [{ kind: 'email', address: 'late@example.com' }] }, text: 'Hello?' } },
    });
    const t = await startTestApp({ database: testDb });
    try {
      const processed = await eventually(async () => {
        const r = await db.prisma.inboundReceipt.findUniqueOrThrow({ where: { id: receipt.id } });
        return r.status === 'processed' ? r : null;
      }, { what: 'the sweeper to process the receipt' });
      const message = await db.prisma.message.findUniqueOrThrow({ where: { id: processed.messageId } });
      expect(message.text).toBe('Hello?');
      expect(await db.prisma.message.count({ where: { externalId: 'left-behind' } })).toBe(1);
    } finally {
      await t.close();
    }
  });

  it('sends a reply that was stored but not sent before the restart, once', async () => {
    let hits = 0;
    const hook = http.createServer((req, res) => {
      hits++;
      req.resume();
      res.writeHead(200).end();
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    const agent = await createAgent(db.prisma);
    const { inbox } = await createInbox(db.prisma, { memberIds: [agent.id], config: { webhookUrl: `http://127.0.0.1:${(hook.address() as { port: number }).port}/` } });
    const contact = await db.prisma.contact.create({ data: { email: 'r@example.com' } });
    const conversation = await db.prisma.conversation.create({ data: { inboxId: inbox.id, contactId: contact.id } });
    const reply = await db.prisma.message.create({
      data: { conversationId: conversation.id, inboxId: inbox.id, direction: 'outbound', senderType: 'agent', agentId: agent.id, text: 'On its way', deliveryStatus: 'queued' },
    });
    const t = await startTestApp({ database: testDb });
    try {
      await eventually(async () => (await db.prisma.message.findUniqueOrThrow({ where: { id: reply.id } })).deliveryStatus === 'delivered', { what: 'the reply to be delivered' });
      await new Promise((r) => setTimeout(r, 300));
      expect(hits).toBe(1);
    } finally {
      await t.close();
      hook.close();
    }
  });
});
