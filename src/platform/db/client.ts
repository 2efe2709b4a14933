import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../../generated/prisma/client';
import type { Queryable } from './sql';

export type { PrismaClient };
export type Db = PrismaClient;
/** The client inside `db.$transaction(async (tx) => ...)`. */
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

export interface Database {
  prisma: PrismaClient;
  /** The same connections Prisma uses, for the few statements Prisma cannot express. */
  pool: pg.Pool;
  /**
   * A few connections in pg's pipeline mode, for the pipeline's batches: statements queued
   * together go out together instead of one round trip each (see withPipelinedTransaction).
   */
  pipelined: pg.Pool;
  close(): Promise<void>;
}

export function connectDatabase(options: { url: string; poolSize?: number }): Database {
  const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 20 });
  // An idle client that loses its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const pipelined = new pg.Pool({ connectionString: options.url, max: 4, pipeline: true });
  pipelined.on('error', () => {});
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    prisma,
    pool,
    pipelined,
    async close() {
      await prisma.$disconnect();
      await Promise.all([pool.end().catch(() => {}), pipelined.end().catch(() => {})]);
    },
  };
}

export { Prisma } from '../../generated/prisma/client';
export * from '../../generated/prisma/enums';
export type {
  Agent,
  Inbox,
  Contact,
  ContactIdentity,
  Conversation,
  Message,
  MessageSignal,
  Label,
  Team,
  Incident,
  ListeningTopic,
} from '../../generated/prisma/client';

/** Plain SQL inside a Prisma transaction, for writers shared with the pg paths (a conversation's state). */
export function queryableOf(tx: Tx): Queryable {
  return {
    async query<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<pg.QueryResult<R>> {
      const rows = await tx.$queryRawUnsafe<R[]>(text, ...values);
      return { rows, rowCount: rows.length, command: '', oid: 0, fields: [] };
    },
  };
}
