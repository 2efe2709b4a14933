// Starts the real product in the test process against the file's own database (and the
// suite's Redis when asked), on a free port.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { startApp, type Role, type RunningApp } from '../../src/app';
import { loadConfig } from '../../src/platform/config';
import { createLogger } from '../../src/platform/logger';
import { createTestDatabase, type TestDatabase } from './db';

export interface TestApp {
  app: RunningApp;
  url: string;
  db: TestDatabase;
  prisma: RunningApp['services']['db']['prisma'];
  close(): Promise<void>;
}

export async function startTestApp(o: { role?: Role; redis?: boolean; env?: Record<string, string>; database?: TestDatabase; queuePrefix?: string; now?: () => Date; logLines?: string[] } = {}): Promise<TestApp> {
  const db = o.database ?? (await createTestDatabase());
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    PORT: '0',
    DEMO_DATA: 'false',
    // Suites that test routing turn it on; the others see no automatic messages.
    ROUTING_DEFAULTS: 'false',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    // Attachments and other files of this app, apart from the developer's own .data.
    DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'inbox-app-')),
    ...(o.redis ? { REDIS_URL: inject('redisUrl') } : {}),
    ...o.env,
  });
  const app = await startApp({
    role: o.role ?? 'all',
    config,
    // logLines: the app's JSON log lines, kept for the test to read.
    logger: createLogger({ level: config.LOG_LEVEL, pretty: false, ...(o.logLines ? { destination: { write: (line: string) => void o.logLines!.push(line) } } : {}) }),
    queuePrefix: o.queuePrefix ?? `t${crypto.randomBytes(4).toString('hex')}`,
    retryBackoffMs: 50,
    now: o.now,
  });
  return {
    app,
    url: app.url ?? '',
    db,
    prisma: app.services.db.prisma,
    close: async () => {
      await app.close();
      if (!o.database) await db.drop();
    },
  };
}
