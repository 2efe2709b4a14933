// The Dockerfile and compose.yaml stay true to the code: what they copy exists, the roles
// they start exist, and compose validates the file where Docker Compose is installed.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const read = (f: string) => fs.readFileSync(path.join(ROOT, f), 'utf8');

/** `docker compose` (v2) or `docker-compose` (v1), whichever this machine has. */
function compose(): string[] | null {
  if (spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0) return ['docker', 'compose'];
  if (spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0) return ['docker-compose'];
  return null;
}

describe('deployment files', () => {
  it('the Dockerfile copies files that exist and runs the production build', () => {
    const dockerfile = read('Dockerfile');
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1]!.split(/\s+/)).filter((s) => s !== '.');
    expect(sources.length).toBeGreaterThan(3);
    for (const s of sources) expect(fs.existsSync(path.join(ROOT, s)), `${s} exists`).toBe(true);
    expect(dockerfile).toContain('RUN npm run build');
    expect(dockerfile).toMatch(/ENTRYPOINT \["node", .*"dist\/main\.js"\]/);
    expect(JSON.parse(read('package.json')).scripts.build).toBeDefined();
  });

  it('compose.yaml starts PostgreSQL, Redis, two web processes and a worker, and validates', () => {
    const file = read('compose.yaml');
    for (const service of ['postgres', 'redis', 'web-1', 'web-2', 'worker']) expect(file).toMatch(new RegExp(`^  ${service}:`, 'm'));
    expect([...file.matchAll(/command: \["(\w+)"\]/g)].map((m) => m[1]).sort()).toEqual(['web', 'web', 'worker']);
    const cmd = compose();
    if (!cmd) return void console.log('[deployment-files] no Docker Compose here: compose.yaml checked by its text only');
    const out = execFileSync(cmd[0]!, [...cmd.slice(1), '-f', 'compose.yaml', 'config'], { cwd: ROOT, env: { ...process.env, APP_SECRET: 'a-test-secret-of-enough-length' }, encoding: 'utf8' });
    expect(out).toContain('REDIS_URL: redis://redis:6379');
    // Without APP_SECRET compose refuses, naming it.
    const bare = spawnSync(cmd[0]!, [...cmd.slice(1), '-f', 'compose.yaml', 'config'], { cwd: ROOT, env: { ...process.env, APP_SECRET: '' }, encoding: 'utf8' });
    expect(bare.status).not.toBe(0);
    expect(bare.stderr).toContain('set APP_SECRET');
  });
});
