// The pipeline's transactions send statements without waiting for each answer (pg's pipeline
// mode). Whatever goes out together, a transaction is still all or nothing, and a commit
// without waiting for the disk stays confined to the transaction that asked for it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Database } from '../src/platform/db/client';
import { together, withPipelinedTransaction } from '../src/platform/db/sql';
import { createTestDatabase, type TestDatabase } from './helpers/db';

let testDb: TestDatabase;
let db: Database;

beforeAll(async () => {
  testDb = await createTestDatabase();
  // The test server runs without durable commits altogether; this database gets them back so the option has something to turn off.
  const setup = connectDatabase({ url: testDb.url, poolSize: 1 });
  await setup.pool.query(`ALTER DATABASE ${testDb.name} SET synchronous_commit = on`);
  await setup.close();
  db = connectDatabase({ url: testDb.url, poolSize: 2 });
  await db.pool.query('CREATE TABLE pipelined_probe (id int PRIMARY KEY, note text NOT NULL)');
});

afterAll(async () => {
  await db.close();
  await testDb.drop();
});

const notes = async () => (await db.pool.query<{ id: number; note: string }>('SELECT id, note FROM pipelined_probe ORDER BY id')).rows;

describe('withPipelinedTransaction', () => {
  it('runs the first statement and everything sent together inside one transaction, and commits it', async () => {
    const xids = await withPipelinedTransaction(
      db.pipelined,
      { text: `INSERT INTO pipelined_probe VALUES (1, 'first') RETURNING pg_current_xact_id()::text AS xid`, values: [] },
      async (client, first) => {
        const [a, b] = await together(
          client,
          () => client.query<{ xid: string }>(`INSERT INTO pipelined_probe VALUES (2, 'second') RETURNING pg_current_xact_id()::text AS xid`),
          () => client.query<{ xid: string }>(`SELECT pg_current_xact_id()::text AS xid`),
        );
        return [first.rows[0]!.xid, a.rows[0]!.xid, b.rows[0]!.xid];
      },
    );
    expect(new Set(xids).size).toBe(1);
    expect(await notes()).toEqual([{ id: 1, note: 'first' }, { id: 2, note: 'second' }]);
  });

  it('writes nothing when a statement sent together with others fails, and the connection serves the next transaction', async () => {
    const failing = withPipelinedTransaction(db.pipelined, `INSERT INTO pipelined_probe VALUES (10, 'kept only if all succeed')`, (client) =>
      together(
        client,
        () => client.query(`INSERT INTO pipelined_probe VALUES (11, 'also')`),
        // Duplicate key: the whole transaction must go, not just this statement.
        () => client.query(`INSERT INTO pipelined_probe VALUES (10, 'duplicate')`),
      ),
    );
    await expect(failing).rejects.toThrow(/duplicate key/);
    expect((await notes()).map((r) => r.id)).not.toContain(10);
    expect((await notes()).map((r) => r.id)).not.toContain(11);
    // Every pipelined connection (the pool keeps a few) is back to normal afterwards.
    for (let i = 0; i < 6; i++) {
      await withPipelinedTransaction(db.pipelined, { text: `INSERT INTO pipelined_probe VALUES ($1, 'after')`, values: [20 + i] }, async () => null);
    }
    expect((await notes()).filter((r) => r.note === 'after')).toHaveLength(6);
  });

  it('commits without waiting for the disk only where asked, for that transaction alone', async () => {
    const setting = (client: { query: (q: string) => Promise<{ rows: Array<{ synchronous_commit: string }> }> }) => client.query('SHOW synchronous_commit').then((r) => r.rows[0]!.synchronous_commit);
    const inside = await withPipelinedTransaction(db.pipelined, 'SELECT 1', (client) => setting(client), { asyncCommit: true });
    const plain = await withPipelinedTransaction(db.pipelined, 'SELECT 1', (client) => setting(client));
    expect(inside).toBe('off');
    expect(plain).toBe('on');
    // SET LOCAL ends with its transaction: the same connections commit durably afterwards.
    const client = await db.pipelined.connect();
    try {
      expect(await setting(client)).toBe('on');
    } finally {
      client.release();
    }
  });

  it('fails, rather than hangs, when the server ends the connection mid-transaction, and the pool recovers', async () => {
    const pids: number[] = [];
    const dying = withPipelinedTransaction(db.pipelined, 'SELECT pg_backend_pid() AS pid', async (client, first: { rows: Array<{ pid: number }> }) => {
      pids.push(first.rows[0]!.pid);
      // Both sent together; the connection dies under the first.
      return together(client, () => client.query('SELECT pg_sleep(30)'), () => client.query('SELECT 1'));
    });
    const killed = (async () => {
      while (!pids.length) await new Promise((r) => setTimeout(r, 10));
      await db.pool.query('SELECT pg_terminate_backend($1)', [pids[0]]);
    })();
    await expect(dying).rejects.toThrow();
    await killed;
    const after = await withPipelinedTransaction(db.pipelined, 'SELECT 42 AS answer', async (_client, first: { rows: Array<{ answer: number }> }) => first.rows[0]!.answer);
    expect(after).toBe(42);
  });
});
