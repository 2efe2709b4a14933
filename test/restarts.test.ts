// The parts restarting under a running product: a web process started before PostgreSQL
// waits for it (saying so) and then serves; a request that meets a stopped database answers
// 503 with Retry-After, not 500, and the same process serves again once it is back.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/platform/db/embedded';
import { createLogger } from '../src/platform/logger';
import { eventually, login, request } from './helpers/http';
import { freePort } from './helpers/ports';
import { spawnRole, type RoleProcess } from './helpers/processes';

// A PostgreSQL of this file's own, started and stopped by the test (the suite's is shared).
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'inbox-restarts-'));
fs.chmodSync(dataDir, 0o755);
let port = 0;
let database: EmbeddedDatabase | null = null;
let web: RoleProcess | null = null;
const startDatabase = async () => (database = await startEmbeddedPostgres({ dataDir, port, database: 'inbox', logger: createLogger({ level: 'silent' }), unsafeFast: true }));

afterAll(async () => {
  await web?.kill();
  await database?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('parts restarting', () => {
  it('a web process started before PostgreSQL waits for it, then serves', async () => {
    port = await freePort();
    let output = '';
    const starting = spawnRole(
      'web',
      {
        DATABASE_URL: `postgresql://postgres:postgres@127.0.0.1:${port}/inbox`,
        REDIS_URL: inject('redisUrl'),
        QUEUE_PREFIX: `r${crypto.randomBytes(4).toString('hex')}`,
        PORT: '0',
        ADMIN_EMAIL: 'owner@acme.test',
        ADMIN_PASSWORD: 'staple-orbit-velvet-92',
      },
      120_000,
      { onOutput: (text) => (output += text) },
    );
    starting.catch(() => {});
    // It says what it waits for, more than once, and is still running.
    await eventually(() => (output.match(/"msg":"waiting for PostgreSQL at 127\.0\.0\.1:\d+"/g)?.length ?? 0) >= 2, { what: 'the web process waiting', timeoutMs: 30_000 });
    await startDatabase();
    web = await starting;
    expect(web.proc.exitCode).toBeNull();
    expect(output).toMatch(/"msg":"PostgreSQL at 127\.0\.0\.1:\d+ is reachable"/);
    const ready = await request(`${web.url}/readyz`);
    expect(ready.status).toBe(200);
  });

  it('answers 503 with Retry-After while the database is down, and serves again when it is back', async () => {
    const token = await login(web!.url!, 'owner@acme.test', 'staple-orbit-velvet-92');
    expect((await request(`${web!.url}/api/v1/conversations`, { token })).status).toBe(200);
    await database!.stop();
    const down = await fetch(`${web!.url}/api/v1/conversations`, { headers: { authorization: `Bearer ${token}` } });
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('2');
    expect(((await down.json()) as { error: { code: string } }).error.code).toBe('database_unavailable');
    expect((await request(`${web!.url}/readyz`)).status).toBe(503);
    await startDatabase();
    await eventually(async () => (await request(`${web!.url}/api/v1/conversations`, { token })).status === 200, { what: 'served again', timeoutMs: 20_000 });
    expect(web!.proc.exitCode).toBeNull();
  });
});
