// The product as `npm start` runs it (one process, embedded PostgreSQL, in-process queue),
// in a throw-away data folder on free ports, for benchmarks.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startApp, type RunningApp } from '../../src/app';
import { loadConfig } from '../../src/platform/config';
import { createLogger } from '../../src/platform/logger';
import { freePort } from '../../test/helpers/ports';

export async function startBenchProduct(env: Record<string, string> = {}): Promise<{ app: RunningApp; close: () => Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'inbox-bench-'));
  fs.chmodSync(dataDir, 0o755); // as root, PostgreSQL runs as its own user and must reach it
  const config = loadConfig({
    DATA_DIR: dataDir, PORT: String(await freePort()), EMBEDDED_PG_PORT: String(await freePort()), DEMO_DATA: 'false', LOG_LEVEL: 'warn',
    NODE_ENV: 'production', APP_SECRET: crypto.randomBytes(32).toString('hex'), ...env,
  });
  const app = await startApp({ role: 'all', config, logger: createLogger({ level: 'warn', pretty: false }) });
  return {
    app,
    close: async () => {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
