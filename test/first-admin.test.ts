// The first admin of a real deployment (no demo data): from the environment at start, or from
// `npm run admin`, with the password policy applied; the environment never resets an admin.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app';
import { createTestDatabase, type TestDatabase } from './helpers/db';
import { login, request } from './helpers/http';
import { passwordProblem } from '../src/inbox/agents/passwords';

const ROOT = path.resolve(import.meta.dirname, '..');
let database: TestDatabase;

/** `npm run admin -- …` as an operator runs it (tsx, the same entry), the password piped in. */
function admin(args: string[], stdin?: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['--import', 'tsx', '--no-warnings', 'src/admin-cli.ts', ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: database.url, DOTENV_CONFIG_QUIET: 'true' } }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, out: stdout + stderr }),
    );
    child.stdin!.end(stdin ?? '');
  });
}

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.drop());

describe('the password policy', () => {
  it('refuses short, leaked and personal passwords and accepts a passphrase', () => {
    expect(passwordProblem('short1!')).toMatch(/at least 10/);
    expect(passwordProblem('password123')).toMatch(/leaked/);
    expect(passwordProblem('qwertyuiop')).toMatch(/most used|row of keys|keyboard/);
    expect(passwordProblem('jane.doe.2024x', { email: 'jane.doe@example.com', name: 'Jane Doe' })).toMatch(/name or email/);
    expect(passwordProblem('staple-orbit-velvet-92')).toBeNull();
  });
});

describe('the first admin from the environment', () => {
  let t: TestApp;
  afterAll(async () => t?.close());

  it('creates the admin once when none exists, and never resets it later', async () => {
    t = await startTestApp({ database, env: { ADMIN_EMAIL: 'Owner@Acme.test', ADMIN_PASSWORD: 'staple-orbit-velvet-92', ADMIN_NAME: 'Olivia Owner' } });
    expect(t.app.needsAdmin).toBe(false);
    const token = await login(t.url, 'owner@acme.test', 'staple-orbit-velvet-92');
    const me = await request(`${t.url}/api/v1/auth/me`, { token });
    expect(me.body.agent).toMatchObject({ email: 'owner@acme.test', name: 'Olivia Owner', role: 'admin' });
    await t.app.close();
    // A later start with another password in the environment changes nothing.
    t = await startTestApp({ database, env: { ADMIN_EMAIL: 'owner@acme.test', ADMIN_PASSWORD: 'another-long-passphrase-7' } });
    expect((await request(`${t.url}/api/v1/auth/login`, { body: { email: 'owner@acme.test', password: 'another-long-passphrase-7' } })).status).toBe(401);
    await login(t.url, 'owner@acme.test', 'staple-orbit-velvet-92');
  });

  it('refuses to start with a weak ADMIN_PASSWORD, saying why', async () => {
    const empty = await createTestDatabase();
    try {
      await expect(startTestApp({ database: empty, env: { ADMIN_EMAIL: 'owner@acme.test', ADMIN_PASSWORD: 'password123' } })).rejects.toThrow(/ADMIN_PASSWORD: .*leaked/);
    } finally {
      await empty.drop();
    }
  });

  it('says that nobody can log in when there is no admin and no ADMIN_EMAIL', async () => {
    const empty = await createTestDatabase();
    const bare = await startTestApp({ database: empty });
    try {
      expect(bare.app.needsAdmin).toBe(true);
    } finally {
      await bare.close();
    }
  });
});

describe('npm run admin', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ database });
  });
  afterAll(async () => t?.close());

  it('creates an admin with a password from standard input, who can then log in', async () => {
    const r = await admin(['create', '--email', 'ops@acme.test', '--name', 'Oscar Ops', '--password-stdin'], 'orbit-staple-velvet-93\n');
    expect(r).toMatchObject({ code: 0 });
    expect(r.out).toContain('created admin ops@acme.test');
    await login(t.url, 'ops@acme.test', 'orbit-staple-velvet-93');
  });

  it('generates and prints a strong password when none is given', async () => {
    const r = await admin(['create', '--email', 'gen@acme.test', '--role', 'supervisor']);
    expect(r.code).toBe(0);
    const password = /shown once[^:]*: (\S+)/.exec(r.out)![1]!;
    expect(passwordProblem(password)).toBeNull();
    const token = await login(t.url, 'gen@acme.test', password);
    expect((await request(`${t.url}/api/v1/auth/me`, { token })).body.agent.role).toBe('supervisor');
  });

  it('refuses a taken email, a weak password and a bad role with the reason, writing nothing', async () => {
    const before = await t.prisma.agent.count();
    expect(await admin(['create', '--email', 'ops@acme.test', '--password-stdin'], 'velvet-orbit-staple-94')).toMatchObject({ code: 1, out: expect.stringContaining('already exists') });
    expect(await admin(['create', '--email', 'weak@acme.test', '--password-stdin'], 'password123')).toMatchObject({ code: 1, out: expect.stringContaining('leaked') });
    expect(await admin(['create', '--email', 'x@acme.test', '--role', 'owner'])).toMatchObject({ code: 2, out: expect.stringContaining('--role must be') });
    expect(await admin(['create'])).toMatchObject({ code: 2, out: expect.stringContaining('--email is required') });
    expect(await t.prisma.agent.count()).toBe(before);
  });

  it('resets a password and ends the sessions of that agent; lists the agents', async () => {
    const old = await login(t.url, 'ops@acme.test', 'orbit-staple-velvet-93');
    const r = await admin(['reset-password', '--email', 'ops@acme.test', '--password-stdin'], 'fresh-orbit-velvet-95');
    expect(r.code).toBe(0);
    expect((await request(`${t.url}/api/v1/auth/me`, { token: old })).status).toBe(401);
    await login(t.url, 'ops@acme.test', 'fresh-orbit-velvet-95');
    const list = await admin(['list']);
    expect(list.out).toMatch(/admin\s+ops@acme\.test\s+\(Oscar Ops\)/);
    expect(list.out).toMatch(/supervisor\s+gen@acme\.test/);
  });
});
