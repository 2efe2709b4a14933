// `npm run build` and the built server, as production runs it (node dist/main.js, no tsx): it
// serves the agent app and the API, creates the first admin from the environment, and takes a
// customer message through the pipeline.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './helpers/db';
import { eventually, login, request } from './helpers/http';
import { spawnRole, type RoleProcess } from './helpers/processes';

const ROOT = path.resolve(import.meta.dirname, '..');
let database: TestDatabase;
let server: RoleProcess;

beforeAll(async () => {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'pipe' });
  database = await createTestDatabase();
  server = await spawnRole('all', { DATABASE_URL: database.url, PORT: '0', ADMIN_EMAIL: 'owner@acme.test', ADMIN_PASSWORD: 'staple-orbit-velvet-92' }, 60_000, { built: true });
}, 180_000);

afterAll(async () => {
  await server?.kill();
  await database?.drop();
});

describe('the production build', () => {
  it('is plain JavaScript that imports no TypeScript tooling', () => {
    const main = fs.readFileSync(path.join(ROOT, 'dist', 'main.js'), 'utf8');
    expect(main).not.toMatch(/from ["'](tsx|typescript|vite|vitest)["'/]/);
    expect(server.proc.spawnargs.join(' ')).toContain('dist/main.js');
    expect(server.proc.spawnargs.join(' ')).not.toContain('tsx');
  });

  it('serves the agent app, the first admin logs in, and a message goes through the pipeline', async () => {
    const url = server.url!;
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<script type="module"[^>]+src="\/assets\//);
    expect((await request(`${url}/api/v1/conversations`)).status).toBe(401);
    const admin = await login(url, 'owner@acme.test', 'staple-orbit-velvet-92');
    const inbox = await request(`${url}/api/v1/inboxes`, { token: admin, body: { kind: 'api', name: 'Portal' } });
    expect(inbox.status).toBe(201);
    const posted = await request(`${url}/api/v1/inboxes/${inbox.body.id}/messages`, { token: inbox.body.token, body: { externalId: 'p1', from: { email: 'jo@example.com' }, text: 'My order never arrived and I want a refund!' } });
    expect(posted.status).toBe(202);
    const listed = await eventually(async () => {
      const r = await request(`${url}/api/v1/conversations`, { token: admin });
      return r.body.data?.length ? r.body.data : null;
    }, { what: 'the conversation listed', timeoutMs: 20_000 });
    expect(listed[0].sentiment.label).toBe('negative');
  });
});
