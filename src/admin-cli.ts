// Account administration from the server's shell, for the people who run it: the first admin
// of a deployment without demo data, and a way back in when the last admin is locked out.
//
//   npm run admin -- create --email you@example.com [--name "Your Name"] [--role admin|supervisor|agent]
//                            [--password-stdin]      (else a strong password is generated and printed once)
//   npm run admin -- reset-password --email you@example.com [--password-stdin]   (ends their sessions)
//   npm run admin -- list
//
// Uses DATABASE_URL, or the embedded PostgreSQL in DATA_DIR (the running inbox's, or started for the command).
import crypto from 'node:crypto';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './platform/config';
import { connectDatabase, type Database } from './platform/db/client';
import { embeddedUrl, portInUse, startEmbeddedPostgres } from './platform/db/embedded';
import { applyMigrations } from './platform/db/migrate';
import { createLogger } from './platform/logger';
import { AppError } from './platform/errors';
import { createAgentAccount } from './inbox/agents/first-admin';
import { hashPassword, passwordProblem } from './inbox/agents/passwords';

const USAGE = `usage:
  npm run admin -- create --email you@example.com [--name "Your Name"] [--role admin|supervisor|agent] [--password-stdin]
  npm run admin -- reset-password --email you@example.com [--password-stdin]
  npm run admin -- list`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string', default: 'admin' }, 'password-stdin': { type: 'boolean', default: false } },
});

class UsageError extends Error {}

/** A password from standard input (a pipe, so it is not in the shell's history), or a generated one printed once. */
function passwordFrom(): { password: string; generated: boolean } {
  if (values['password-stdin']) return { password: fs.readFileSync(0, 'utf8').replace(/\r?\n$/, ''), generated: false };
  return { password: crypto.randomBytes(18).toString('base64url'), generated: true };
}

async function withDatabase<T>(run: (db: Database) => Promise<T>): Promise<T> {
  if (fs.existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig();
  const logger = createLogger({ level: 'warn' });
  let stop = async () => {};
  let url = config.DATABASE_URL;
  if (!url) {
    // The embedded database: the running inbox's when its port is taken, else started for this command.
    if (await portInUse(config.EMBEDDED_PG_PORT)) url = embeddedUrl(config.EMBEDDED_PG_PORT, 'inbox');
    else {
      const embedded = await startEmbeddedPostgres({ dataDir: config.DATA_DIR, port: config.EMBEDDED_PG_PORT, database: 'inbox', logger });
      stop = () => embedded.stop();
      url = embedded.url;
    }
  }
  const db = connectDatabase({ url, poolSize: 2 });
  try {
    await applyMigrations(db.pool);
    return await run(db);
  } finally {
    await db.close();
    await stop();
  }
}

async function main(): Promise<void> {
  const command = positionals[0];
  if (command === 'list') {
    await withDatabase(async (db) => {
      const agents = await db.prisma.agent.findMany({ orderBy: [{ role: 'asc' }, { email: 'asc' }], select: { email: true, name: true, role: true } });
      if (!agents.length) console.log('no agents yet: npm run admin -- create --email you@example.com');
      for (const a of agents) console.log(`${a.role.padEnd(10)} ${a.email}  (${a.name})`);
    });
    return;
  }
  if (!values.email) throw new UsageError(`--email is required\n${USAGE}`);
  const email = values.email.trim().toLowerCase();
  if (command === 'create') {
    const role = values.role as 'admin' | 'supervisor' | 'agent';
    if (!['admin', 'supervisor', 'agent'].includes(role)) throw new UsageError(`--role must be admin, supervisor or agent\n${USAGE}`);
    const { password, generated } = passwordFrom();
    await withDatabase((db) => createAgentAccount(db.prisma, { email, name: values.name ?? email.split('@')[0]!, role, password }));
    console.log(`created ${role} ${email}`);
    if (generated) console.log(`password (shown once, change it after logging in): ${password}`);
    return;
  }
  if (command === 'reset-password') {
    const { password, generated } = passwordFrom();
    const problem = passwordProblem(password, { email });
    if (problem) throw new UsageError(`password: ${problem}`);
    await withDatabase(async (db) => {
      const agent = await db.prisma.agent.findUnique({ where: { email }, select: { id: true } });
      if (!agent) throw new UsageError(`no agent with the email ${email} (npm run admin -- list)`);
      await db.prisma.$transaction([
        db.prisma.agent.update({ where: { id: agent.id }, data: { passwordHash: await hashPassword(password) } }),
        db.prisma.agentSession.deleteMany({ where: { agentId: agent.id } }),
      ]);
    });
    console.log(`password of ${email} reset; their sessions were ended`);
    if (generated) console.log(`new password (shown once): ${password}`);
    return;
  }
  throw new UsageError(USAGE);
}

main().catch((err: unknown) => {
  if (err instanceof UsageError || err instanceof ConfigError || err instanceof AppError) console.error(err.message);
  else console.error('the command failed:', err instanceof Error ? err.message : err);
  process.exit(err instanceof UsageError ? 2 : 1);
});
