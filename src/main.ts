// Entry point: `tsx src/main.ts [all|web|worker]`. Reads the environment (and ./.env when
// present), starts the role, prints where to go, and shuts down cleanly on SIGINT/SIGTERM.
import fs from 'node:fs';
import { ConfigError, loadConfig } from './platform/config';
import { createLogger } from './platform/logger';
import { startApp, type Role } from './app';

const role = (process.argv[2] ?? 'all') as Role;
if (!['all', 'web', 'worker'].includes(role)) {
  console.error(`unknown role "${role}": use all, web or worker`);
  process.exit(2);
}
if (fs.existsSync('.env')) process.loadEnvFile('.env');

async function main() {
  const config = loadConfig();
  const logger = createLogger({ level: config.LOG_LEVEL, name: role === 'all' ? undefined : role });
  // Started with --no-warnings: Node's warnings go to our log instead, minus pg's notice about
  // overlapping queries, which Prisma's driver adapter triggers by design inside transactions.
  // A library's promise nobody awaited (a Redis command cut off by a restart, say) is logged; it must not end a server.
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection (logged, the process keeps running)'));
  process.on('warning', (w) => {
    if (w.name === 'DeprecationWarning' && /already executing a query/.test(w.message)) return;
    logger.warn({ warning: w.name, detail: w.message }, 'node warning');
  });
  const app = await startApp({ role, config, logger });
  if (app.url) {
    const lines = [`The inbox is running at ${app.url}`];
    if (app.demo) {
      lines.push(
        `Log in as ${app.demo.email} with password ${app.demo.password}`,
        `(other demo agents: ${app.demo.agents.slice(1).join(', ')}; same password)`,
        `Post a customer message:`,
        `  curl -X POST ${app.url}/api/v1/inboxes/${app.demo.apiInbox.id}/messages \\`,
        `    -H 'Authorization: Bearer ${app.demo.apiInbox.token}' -H 'content-type: application/json' \\`,
        `    -d '{"externalId":"m1","from":{"name":"Jo","email":"jo@example.com"},"text":"My order never arrived and I want a refund!"}'`,
        `Chat as a customer with the website widget: ${app.url}/widget/preview/${app.demo.widgetInboxId}`,
      );
    } else if (app.needsAdmin) {
      lines.push('Nobody can log in yet. Create the first admin:', '  npm run admin -- create --email you@example.com --name "Your Name"', '(or set ADMIN_EMAIL and ADMIN_PASSWORD and restart)');
    } else if (config.DEMO_DATA) {
      lines.push(`Log in as ${config.DEMO_ADMIN_EMAIL} (password from DEMO_ADMIN_PASSWORD, default printed on first start)`);
    }
    console.log(`\n  ${lines.join('\n  ')}\n`);
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await app.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(err.message);
  else console.error('the inbox could not start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
