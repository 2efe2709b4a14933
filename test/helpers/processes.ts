// Runs the product as real separate processes (web, worker), the way production does.
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, inject } from 'vitest';
import { connectDatabase, type Database } from '../../src/platform/db/client';
import { createTestDatabase, type TestDatabase } from './db';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface RoleProcess {
  proc: ChildProcess;
  output: string[];
  url: string | null;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function spawnRole(role: 'all' | 'web' | 'worker', env: Record<string, string>, timeoutMs = 30_000, o: { built?: boolean; onOutput?: (text: string) => void } = {}): Promise<RoleProcess> {
  // One process (no tsx launcher in between), so a SIGKILL really kills the worker. `built`: the production build, dist/main.js.
  const entry = o.built ? ['--enable-source-maps', 'dist/main.js'] : ['--import', 'tsx', '--no-warnings', 'src/main.ts'];
  const proc = spawn(process.execPath, [...(process.env.ROLE_NODE_FLAGS?.split(' ').filter(Boolean) ?? []), ...entry, role], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'info', DEMO_DATA: 'false', ROUTING_DEFAULTS: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const started = new Promise<string | null>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${role} did not start within ${timeoutMs} ms:\n${output.join('')}`)), timeoutMs);
    const onLine = (chunk: Buffer) => {
      const text = chunk.toString();
      output.push(text);
      o.onOutput?.(text);
      for (const line of text.split('\n')) {
        if (!line.includes('"inbox started"')) continue;
        clearTimeout(timer);
        resolve((JSON.parse(line) as { url: string | null }).url);
      }
    };
    proc.stdout!.on('data', onLine);
    proc.stderr!.on('data', (c: Buffer) => output.push(c.toString()));
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${role} exited with ${code} before starting:\n${output.join('')}`));
    });
  });
  const url = await started;
  return {
    proc,
    output,
    url,
    kill: async (signal = 'SIGTERM') => {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill(signal);
      await exited;
    },
  };
}

/**
 * A file's own database and queue prefix for web and worker processes on the suite's Redis,
 * started with `start` and all killed after the file.
 */
export function processCluster(prefix: string) {
  const cluster = {
    testDb: undefined as unknown as TestDatabase,
    db: undefined as unknown as Database,
    env: {} as Record<string, string>,
    running: [] as RoleProcess[],
    async start(role: 'web' | 'worker', extra: Record<string, string> = {}) {
      const p = await spawnRole(role, { ...cluster.env, ...extra });
      cluster.running.push(p);
      return p;
    },
  };
  beforeAll(async () => {
    cluster.testDb = await createTestDatabase();
    cluster.db = connectDatabase({ url: cluster.testDb.url, poolSize: 2 });
    cluster.env = { DATABASE_URL: cluster.testDb.url, REDIS_URL: inject('redisUrl'), QUEUE_PREFIX: `${prefix}${crypto.randomBytes(4).toString('hex')}` };
  });
  afterAll(async () => {
    await Promise.all(cluster.running.map((p) => p.kill('SIGKILL')));
    await cluster.db?.close();
    await cluster.testDb?.drop();
  });
  return cluster;
}
