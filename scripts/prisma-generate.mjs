#!/usr/bin/env node
// Generates the Prisma client into src/generated/prisma (run by `npm install`).
// `prisma generate` never uses Prisma's native schema engine, but the CLI downloads one
// before any command unless PRISMA_SCHEMA_ENGINE_BINARY names an existing file. Pointing it
// at our WebAssembly-backed engine makes generation work from npm packages alone, with or
// without access to Prisma's binary host.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? path.join(root, 'scripts/prisma-schema-engine.mjs'),
  CHECKPOINT_DISABLE: '1', // no update check over the network
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
};
const prismaBin = path.join(root, 'node_modules/prisma/build/index.js');
const r = spawnSync(process.execPath, [prismaBin, 'generate', ...process.argv.slice(2)], { cwd: root, env, stdio: 'inherit' });
if (r.status !== 0) {
  console.error('prisma generate failed: the Prisma client could not be generated (see above).');
  process.exit(r.status ?? 1);
}
