#!/usr/bin/env node
// The production build: the agent app (web/dist, Vite) and the server as plain JavaScript
// (dist/, esbuild), so production runs `node dist/main.js` without tsx or TypeScript.
// Packages stay in node_modules (not bundled); the product's data files (prisma/migrations,
// src/sentiment/models, web/dist) are read from the installation (src/platform/paths.ts).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The agent app is rebuilt when a source file is newer than its build (`npm run build:web` forces it).
const web = spawnSync(process.execPath, [path.join(root, 'scripts', 'build-web.mjs'), '--if-stale'], { stdio: 'inherit' });
if (web.status !== 0) process.exit(web.status ?? 1);

const out = path.join(root, 'dist');
fs.rmSync(out, { recursive: true, force: true });
const started = Date.now();
const result = await esbuild.build({
  absWorkingDir: root,
  entryPoints: { main: 'src/main.ts', 'admin-cli': 'src/admin-cli.ts' },
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
  metafile: true,
});
const bytes = Object.values(result.metafile.outputs).reduce((s, o) => s + o.bytes, 0);
console.log(`Built the server: dist/main.js and dist/admin-cli.js (${(bytes / 2 ** 20).toFixed(1)} MiB with source maps) in ${Date.now() - started} ms`);
