#!/usr/bin/env node
// Builds the agent app (web/) into web/dist with Vite. With --if-stale, only when a source
// file is newer than the last build, so `npm start` stays fast after the first time.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const web = path.join(root, 'web');
const built = path.join(web, 'dist', 'widget.js');

function newestSource(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

if (process.argv.includes('--if-stale') && fs.existsSync(built) && fs.statSync(built).mtimeMs >= newestSource(web)) process.exit(0);

const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
if (!fs.existsSync(vite)) {
  console.error('Cannot build the agent app: Vite is not installed. Run `npm install` (with dev dependencies) first.');
  process.exit(1);
}
console.log('Building the agent app (web/)…');
const r = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: web, stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);

// The chat widget customers' sites embed: one small self-contained script, built after the
// app (Vite empties web/dist first).
const { build } = await import('esbuild');
const widget = path.join(web, 'dist', 'widget.js');
await build({ entryPoints: [path.join(web, 'widget', 'widget.ts')], bundle: true, minify: true, format: 'iife', target: 'es2019', outfile: widget, legalComments: 'none', logLevel: 'warning' });
const { gzipSync } = await import('node:zlib');
console.log(`Built the chat widget: ${(fs.statSync(widget).size / 1024).toFixed(1)} kB, ${(gzipSync(fs.readFileSync(widget)).length / 1024).toFixed(1)} kB gzipped`);
