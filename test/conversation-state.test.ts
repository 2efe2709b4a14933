// One writer of a conversation's state (src/inbox/conversations/state/write.ts): the lint
// configuration refuses SQL or Prisma that sets status, priority, assignment or due times
// anywhere else; the writer's guards hold on real PostgreSQL (a re-score never overwrites a
// priority that moved meanwhile; a snooze is woken once however many workers race for it).
import path from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeConversationState } from '../src/inbox/conversations/state/write';
import { startTestApp, type TestApp } from './helpers/app';
import { createInbox } from './helpers/fixtures';

const root = path.resolve(import.meta.dirname, '..');
const eslint = new ESLint({ cwd: root });

async function refused(file: string, code: string): Promise<number> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-syntax' && /state\/write\.ts/.test(m.message)).length;
}

describe('one writer of a conversation’s state', () => {
  it('refuses SQL and Prisma writes of the state outside state/write.ts, and allows the rest', async () => {
    const file = 'src/inbox/conversations/example.ts';
    const head = "import type { Database } from '../../platform/db/client';\nexport async function f(db: Database, id: string) {\n";
    for (const bad of [
      "await db.pool.query(`UPDATE conversations c SET last_message_preview = 'x', priority = 5 WHERE id = $1`, [id]);",
      "await db.pool.query('UPDATE conversations SET status = $2 WHERE id = $1', [id, 'open']);",
      "await db.pool.query(`UPDATE conversations SET waiting_since = NULL WHERE id = $1`, [id]);",
      "await db.pool.query(`INSERT INTO conversations (id, inbox_id) VALUES ($1, $1)`, [id]);",
      "await db.prisma.conversation.update({ where: { id }, data: { priorityFloor: 3 } });",
      "await db.prisma.conversation.updateMany({ where: { id }, data: { assigneeId: null } });",
      "await db.prisma.conversation.create({ data: { id } as never });",
    ]) {
      expect(await refused(file, `${head}  ${bad}\n}\n`), bad).toBe(1);
    }
    for (const good of [
      "await db.pool.query(`UPDATE conversations SET linked_conversation_id = $2 WHERE id = $1 AND priority > 3 AND status = 'open'`, [id, id]);",
      "await db.prisma.conversation.update({ where: { id }, data: { sentimentLabel: 'negative' } });",
      "await db.pool.query(`SELECT id FROM conversations WHERE status = 'snoozed'`);",
    ]) {
      expect(await refused(file, `${head}  ${good}\n}\n`), good).toBe(0);
    }
    expect(await refused('src/inbox/conversations/state/write.ts', `${head}  await db.pool.query('UPDATE conversations SET priority = 1 WHERE id = $1', [id]);\n}\n`)).toBe(0);
  });

  describe('on PostgreSQL', () => {
    let t: TestApp;
    let inboxId: string;
    let contactId: string;
    beforeAll(async () => {
      t = await startTestApp();
      inboxId = (await createInbox(t.prisma)).inbox.id;
      contactId = (await t.prisma.contact.create({ data: { name: 'Ana' } })).id;
    });
    afterAll(() => t?.close());

    async function open(priority: number): Promise<string> {
      const [row] = await writeConversationState<{ id: string; status: 'open'; priority: number }, 'status' | 'priority', { id: string }>(t.app.services.db.pool, 'insert', {
        rows: [{ id: crypto.randomUUID(), status: 'open', priority }],
        fields: ['status', 'priority'],
        others: [{ column: 'inbox_id', type: 'uuid[]', value: () => inboxId }, { column: 'contact_id', type: 'uuid[]', value: () => contactId }],
        returning: 'id',
      });
      return row!.id;
    }

    it('writes a compared state only where it is unchanged since it was read', async () => {
      const [a, b] = [await open(10), await open(20)];
      const written = await writeConversationState<{ id: string; priority: number; read: number }, 'priority', { id: string }>(t.app.services.db.pool, 'update', {
        rows: [{ id: a, priority: 50, read: 10 }, { id: b, priority: 50, read: 15 }],
        fields: ['priority'],
        compared: [{ column: 'read_priority', type: 'int[]', value: (r) => r.read }],
        where: 'c.priority = v.read_priority',
        returning: 'c.id',
      });
      expect(written.map((r) => r.id)).toEqual([a]);
      const rows = await t.prisma.conversation.findMany({ where: { id: { in: [a, b] } }, select: { id: true, priority: true } });
      expect(Object.fromEntries(rows.map((r) => [r.id, r.priority]))).toEqual({ [a]: 50, [b]: 20 });
    });

    it('wakes a snoozed conversation once, however many timers race for it, and not before its time', async () => {
      const id = await open(0);
      const actions = t.app.services.actions;
      const until = new Date(Date.now() + 60_000);
      await actions.setStatus({ type: 'system' }, id, { status: 'snoozed', snoozedUntil: until });
      expect(await actions.wake(id, new Date(until.getTime() - 1_000))).toBeNull();
      const woken = await Promise.all([1, 2, 3, 4].map(() => actions.wake(id, new Date(until.getTime() + 1_000))));
      expect(woken.filter(Boolean)).toHaveLength(1);
      const c = await t.prisma.conversation.findUniqueOrThrow({ where: { id }, select: { status: true, snoozedUntil: true } });
      expect(c).toEqual({ status: 'open', snoozedUntil: null });
      expect(await t.prisma.message.count({ where: { conversationId: id, text: { startsWith: 'Snooze ended' } } })).toBe(1);
    });
  });
});
