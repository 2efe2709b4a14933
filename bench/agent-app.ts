// bench/agent-app: the agent app's first page with 10,000 open conversations in the
// database, in Debian's Chromium on loopback: time from navigation (logged in) to the first
// conversation row on screen, over several loads, and how soon a new customer message shows
// at the top of the list. Prints its figures; asserts nothing.
//
//   npm run bench:agent-app -- [--conversations 10000] [--loads 5]
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { hashPassword } from '../src/inbox/agents/passwords';
import { hashToken, newToken } from '../src/inbox/inboxes/directory';
import { launchBrowser } from '../test/helpers/browser';
import { percentile } from './lib/measure';
import { startBenchProduct } from './lib/product';

const { values: args } = parseArgs({ options: { conversations: { type: 'string', default: '10000' }, loads: { type: 'string', default: '5' } } });
const N = Number(args.conversations);
const LOADS = Number(args.loads);
const log = (...a: unknown[]) => console.log('[bench:agent-app]', ...a);

execFileSync(process.execPath, [path.resolve(import.meta.dirname, '../scripts/build-web.mjs'), '--if-stale'], { stdio: 'inherit' });
const { app, close } = await startBenchProduct({ ROUTING_DEFAULTS: 'false' });
const browser = await launchBrowser();
try {
  const { prisma, pool } = app.services.db;
  const agent = await prisma.agent.create({ data: { email: 'bench@bench.test', name: 'Bench Agent', role: 'admin', passwordHash: await hashPassword('bench-password-1'), availability: 'online' } });
  const token = newToken();
  const inbox = await prisma.inbox.create({ data: { name: 'Bench', kind: 'api', tokenHash: hashToken(token), members: { create: [{ agentId: agent.id }] } } });
  let t = performance.now();
  await pool.query(
    `WITH c AS (
       INSERT INTO contacts (id, name, email, updated_at) SELECT gen_random_uuid(), 'Customer ' || g, 'c' || g || '@bench.test', now() FROM generate_series(1, $1) g RETURNING id)
     INSERT INTO conversations (inbox_id, contact_id, status, priority, last_message_preview, message_count, sentiment_label, sentiment_score,
                                sentiment_series, complaint_category, waiting_since, last_message_at, updated_at)
     SELECT $2, c.id, 'open', (random() * 40)::int, 'My order has not arrived and nobody answers', 1, 'negative', -0.6,
            ARRAY[0.2, -0.3, -0.6], 'delivery', now() - random() * interval '3 hours', now() - random() * interval '3 hours', now()
       FROM c`,
    [N, inbox.id],
  );
  log(`${N} open conversations written in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  const context = await browser.newContext();
  const page = await context.newPage();
  // Log in once through the API so the cookie is set; then time plain page loads.
  await page.goto(app.url!);
  await page.evaluate(async () => {
    await fetch('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'bench@bench.test', password: 'bench-password-1' }) });
  });
  const loads: number[] = [];
  for (let i = 0; i < LOADS + 1; i++) {
    t = performance.now();
    await page.goto(app.url!, { waitUntil: 'commit' });
    await page.locator('.row').first().waitFor();
    if (i > 0) loads.push(performance.now() - t); // the first load warms the caches
  }
  log(`first page to the first conversation row: p50 ${percentile(loads, 50).toFixed(0)} ms, max ${Math.max(...loads).toFixed(0)} ms over ${loads.length} loads (${N} conversations; the list shows the top 100)`);

  await page.locator('.status.live').waitFor();
  const live: number[] = [];
  for (let i = 0; i < 5; i++) {
    t = performance.now();
    const res = await fetch(`${app.url}/api/v1/inboxes/${inbox.id}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ externalId: `live-${i}`, from: { email: `angry${i}@bench.test`, name: `Angry ${i}` }, text: 'This is the third time I write. Worst service ever, I will dispute the charge with my bank!' }),
    });
    if (res.status !== 202) throw new Error(`post answered ${res.status}`);
    // Equally angry messages queue behind the earlier ones: the new row is within the top i + 1.
    await page.waitForFunction(
      (n) => [...(globalThis as any).document.querySelectorAll('.row')].slice(0, n + 1).some((r: any) => r.textContent.includes(`Angry ${n}`)),
      i,
      { polling: 'raf', timeout: 15_000 },
    );
    live.push(performance.now() - t);
  }
  log(`a new angry message among the top rows of the open list: p50 ${percentile(live, 50).toFixed(0)} ms, max ${Math.max(...live).toFixed(0)} ms (from the POST to the row on screen)`);
} finally {
  await browser.close();
  await close();
}
