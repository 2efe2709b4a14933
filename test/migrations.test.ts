// The product applies prisma/migrations itself, recording them as `prisma migrate deploy` does.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { applyMigrations, MIGRATIONS_DIR } from '../src/platform/db/migrate';
import { createTestDatabase, type TestDatabase } from './helpers/db';

let db: TestDatabase;
let pool: pg.Pool;
beforeAll(async () => {
  db = await createTestDatabase();
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
});
afterAll(async () => {
  await pool.end();
  await db.drop();
});

it('records every committed migration with Prisma’s checksum and applies nothing twice', async () => {
  // The template database was migrated by the suite's setup.
  const again = await applyMigrations(pool);
  const dirs = fs.readdirSync(MIGRATIONS_DIR).filter((d) => fs.existsSync(path.join(MIGRATIONS_DIR, d, 'migration.sql')));
  expect(again).toEqual({ applied: [], alreadyApplied: dirs.length });
  const { rows } = await pool.query('SELECT migration_name, checksum, finished_at FROM _prisma_migrations ORDER BY migration_name');
  expect(rows.map((r) => r.migration_name)).toEqual(dirs.sort());
  const first = fs.readFileSync(path.join(MIGRATIONS_DIR, dirs[0]!, 'migration.sql'));
  expect(rows[0].checksum).toBe(crypto.createHash('sha256').update(first).digest('hex'));
  expect(rows.every((r) => r.finished_at)).toBe(true);
});

it('refuses to run when an applied migration was edited afterwards', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrations-'));
  for (const d of fs.readdirSync(MIGRATIONS_DIR)) fs.cpSync(path.join(MIGRATIONS_DIR, d), path.join(dir, d), { recursive: true });
  const name = fs.readdirSync(dir).find((d) => fs.existsSync(path.join(dir, d, 'migration.sql')))!;
  fs.appendFileSync(path.join(dir, name, 'migration.sql'), '\n-- edited\n');
  await expect(applyMigrations(pool, dir)).rejects.toThrow(/was changed after it was applied/);
  fs.rmSync(dir, { recursive: true });
});

it('applies a new migration in a transaction and rolls a failing one back', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrations-'));
  for (const d of fs.readdirSync(MIGRATIONS_DIR)) fs.cpSync(path.join(MIGRATIONS_DIR, d), path.join(dir, d), { recursive: true });
  fs.mkdirSync(path.join(dir, '99990101000000_broken'));
  fs.writeFileSync(path.join(dir, '99990101000000_broken', 'migration.sql'), 'CREATE TABLE half_done (id int); SELECT no_such_function();');
  await expect(applyMigrations(pool, dir)).rejects.toThrow(/99990101000000_broken failed/);
  const { rowCount } = await pool.query(`SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'`);
  expect(rowCount).toBe(0);
  fs.writeFileSync(path.join(dir, '99990101000000_broken', 'migration.sql'), 'CREATE TABLE whole (id int);');
  expect((await applyMigrations(pool, dir)).applied).toEqual(['99990101000000_broken']);
  fs.rmSync(dir, { recursive: true });
});
