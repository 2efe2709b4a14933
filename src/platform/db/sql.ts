// Plain SQL on the pool Prisma also uses, for the hot paths (intake, pipeline) where one
// set-based statement must serve a whole batch of messages.
import type pg from 'pg';

export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

/**
 * Parameters of one set-based statement: each value (mostly a whole column of a batch, as an
 * array for unnest) becomes `$n::type`.
 */
export class SqlParams {
  readonly values: unknown[] = [];

  add(v: unknown, type: string): string {
    this.values.push(v);
    return `$${this.values.length}::${type}`;
  }

  /** A column of rows as one array parameter. */
  column<T>(rows: readonly T[], f: (r: T) => unknown, type: string): string {
    return this.add(rows.map(f), type);
  }
}

export function withTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return transaction(pool, (client) => client.query('BEGIN'), (client) => fn(client));
}

/** `begin` opens the transaction (and may do its first work); COMMIT after `fn`, ROLLBACK on any error. */
async function transaction<S, T>(pool: pg.Pool, begin: (client: pg.PoolClient) => Promise<S>, fn: (client: pg.PoolClient, started: S) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // A connection that dies mid-transaction (server restart, terminated backend) also emits
  // 'error' on the client, which nobody listens to while it is checked out: unheard, it
  // would end the process. The failed statement reports it; the client is discarded.
  let broken: Error | undefined;
  const onError = (err: Error) => (broken = err);
  client.on('error', onError);
  try {
    const result = await fn(client, await begin(client));
    await client.query('COMMIT');
    return result;
  } catch (err) {
    if (!broken) await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.removeListener('error', onError);
    client.release(broken);
  }
}

export interface PipelinedTransactionOptions {
  /**
   * COMMIT returns without waiting for its WAL flush to disk (synchronous_commit off, for this
   * transaction only). Only for work whose input is already durable and that is simply redone
   * from it should PostgreSQL itself (not the app) crash within the flush delay (~0.2 s); an
   * ordinary commit after it, of any session, flushes it too. Takes the disk's latency spikes
   * off the path.
   */
  asyncCommit?: boolean;
}

/**
 * A transaction on a pipelined pool (pg's pipeline mode, `Database.pipelined`): BEGIN goes
 * out with the transaction's first statement, one round trip for both, and inside `fn`
 * statements that do not wait for each other's answers can be sent together (Promise.all).
 */
export function withPipelinedTransaction<T, F extends pg.QueryResultRow>(
  pool: pg.Pool,
  first: string | pg.QueryConfig,
  fn: (client: pg.PoolClient, first: pg.QueryResult<F>) => Promise<T>,
  o: PipelinedTransactionOptions = {},
): Promise<T> {
  const begin = o.asyncCommit ? 'BEGIN; SET LOCAL synchronous_commit = off' : 'BEGIN';
  return transaction(
    pool,
    // Awaited together: if BEGIN failed, nothing after it runs outside a transaction.
    async (client) => (await together(client, () => client.query(begin), () => client.query<F>(first)))[1],
    fn,
  );
}

/**
 * Statements sent in one write on a pipelined connection (`Database.pipelined`): the server
 * is woken once, not once per statement (on a VM a wake-up costs more than a small
 * statement). They run in the order given (a later one sees what an earlier one wrote);
 * all are awaited.
 */
export function together<T extends ReadonlyArray<() => Promise<unknown>>>(client: pg.PoolClient, ...statements: T): Promise<{ -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> }> {
  const stream = client.connection.stream;
  stream.cork();
  try {
    return Promise.all(statements.map((s) => s())) as Promise<{ -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> }>;
  } finally {
    stream.uncork();
  }
}
