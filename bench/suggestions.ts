// bench/suggestions: suggested replies on the shared support-requests data (Bitext, 27 intents),
// the product's own classes on a real PostgreSQL. 80 % of the requests of each intent become
// resolved conversations answered with that intent's one canonical answer (written here, with
// the customer's name); each of the other 20 % becomes an open conversation, and the
// suggestions for it are checked: is the right intent's answer first (recall@1), in the first
// three (recall@3)? Then the store is padded to 100,000 solved conversations (the same requests
// again, other customers) and both are measured again with the time of each suggestion (the
// whole call: the conversation read, the articles searched, the index searched, filled in).
//
//   npm run bench:suggestions -- [--indexed 100000] [--data ../shared/data]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { connectDatabase } from '../src/platform/db/client';
import { startEmbeddedPostgres } from '../src/platform/db/embedded';
import { applyMigrations } from '../src/platform/db/migrate';
import { createLogger } from '../src/platform/logger';
import { KnowledgeBase } from '../src/inbox/knowledge/articles';
import { SuggestionIndex } from '../src/inbox/suggestions/index';
import { Suggestions } from '../src/inbox/suggestions/suggest';
import { answerKey, answerTemplate } from '../src/inbox/suggestions/text';
import { random } from '../src/sentiment/training/softmax-regression';
import { freePort } from '../test/helpers/ports';
import { endBenchDatabase } from './lib/database';
import { percentile } from './lib/measure';

const { values: args } = parseArgs({ options: { indexed: { type: 'string', default: '100000' }, data: { type: 'string', default: path.resolve(import.meta.dirname, '../../shared/data') } } });
const log = (...a: unknown[]) => console.log('[bench:suggestions]', ...a);

/** One answer per intent, as an agent would write it ({name}: the customer's first name). */
export const CANONICAL: Record<string, string> = {
  cancel_order: 'Hi {name}, you can cancel an order under Orders → your order → Cancel order, as long as it has not shipped. The refund follows within 5 days.',
  change_order: 'Hi {name}, to change an order open Orders → your order → Edit: you can change items and quantities until it ships.',
  change_shipping_address: 'Hi {name}, to change the shipping address of an order open Orders → your order → Delivery address, before it ships.',
  check_cancellation_fee: 'Hi {name}, our cancellation fees are listed under Help → Fees: free within 14 days, then 10 % of the order.',
  check_invoices: 'Hi {name}, all your bills are under Account → Invoices, where you can view and download each one.',
  check_payment_methods: 'Hi {name}, we accept Visa, Mastercard, American Express, PayPal and bank transfer; the full list is under Help → Payment options.',
  check_refund_policy: 'Hi {name}, our refund policy: a full refund within 30 days of purchase, or for events that are cancelled or postponed. Details under Help → Refunds.',
  complaint: 'Hi {name}, I am sorry about this. You can file a formal complaint under Help → Complaints, and our complaints team answers within 2 working days.',
  contact_customer_service: 'Hi {name}, customer service is open Monday to Friday, 8:00–20:00, by chat, at support@example.com or on +1 800 555 0100.',
  contact_human_agent: 'Hi {name}, of course: I am a person on the support team. Tell me what you need and I will take care of it.',
  create_account: 'Hi {name}, to open an account choose Sign up on our website, enter your email and a password, and confirm the link we send you.',
  delete_account: 'Hi {name}, to close your account go to Account → Privacy → Delete account. It is removed within 30 days.',
  delivery_options: 'Hi {name}, we deliver by standard post (3–5 days), express (next day) or e-ticket by email; choose at checkout.',
  delivery_period: 'Hi {name}, standard delivery takes 3–5 working days and express the next working day; e-tickets arrive by email at once.',
  edit_account: 'Hi {name}, you can change your profile details under Account → Profile → Edit, then Save.',
  get_invoice: 'Hi {name}, you can download an invoice for any order under Account → Orders → Invoice (PDF).',
  get_refund: 'Hi {name}, to get a refund open Orders → your order → Request refund; for cancelled or postponed events it is automatic within 10 days.',
  newsletter_subscription: 'Hi {name}, to get our newsletter tick "Newsletter" under Account → Communication preferences; you can unsubscribe there at any time.',
  payment_issue: 'Hi {name}, sorry about the payment trouble. If you were charged but saw an error, the charge is released within 3 days; send us the last 4 digits of the card and we will check it.',
  place_order: 'Hi {name}, to order add the items to your basket, open the basket and choose Checkout; you will get a confirmation by email.',
  recover_password: 'Hi {name}, to reset your password choose "Forgot password" on the login page and follow the link we email you.',
  registration_problems: 'Hi {name}, sorry the sign-up did not work. Please try again in another browser; if it still fails send us the error message and we will register you.',
  review: 'Hi {name}, thank you! You can leave a review under Orders → your order → Write a review.',
  set_up_shipping_address: 'Hi {name}, add a shipping address under Account → Addresses → Add address; it is offered at checkout.',
  switch_account: 'Hi {name}, to switch accounts log out (Account → Log out) and log in with the other account\'s email.',
  track_order: 'Hi {name}, you can track your order under Orders → your order → Track, with the carrier\'s tracking number.',
  track_refund: 'Hi {name}, the status of your refund is under Orders → your order → Refund status; it reaches your card within 5–10 days.',
};
const NAMES = ['Ann', 'Ben', 'Carla', 'David', 'Eva', 'Farid', 'Greta', 'Hugo', 'Ines', 'Jonas', 'Kim', 'Lena', 'Marco', 'Nora', 'Omar', 'Paula'];

function readRequests(dir: string): Array<{ text: string; intent: string }> {
  const file = path.join(dir, 'support-requests', 'dev.csv');
  if (!fs.existsSync(file)) throw new Error(`${file} is not there: this bench needs the shared data (--data DIR)`);
  const rows: Array<{ text: string; intent: string }> = [];
  // flags,utterance,category,intent — the utterance may be quoted.
  for (const line of fs.readFileSync(file, 'utf8').split('\n').slice(1)) {
    const m = /^[^,]*,("(?:[^"]|"")*"|[^,]*),[^,]*,([a-z_]+)\s*$/.exec(line);
    if (m) rows.push({ text: m[1]!.startsWith('"') ? m[1]!.slice(1, -1).replaceAll('""', '"') : m[1]!, intent: m[2]! });
  }
  return rows;
}

async function main() {
  const logger = createLogger({ level: 'warn', pretty: false });
  log(`machine: ${os.cpus().length} cores, node ${process.version}`);
  const requests = readRequests(args.data!);
  const rand = random(42);
  const byIntent = new Map<string, Array<{ text: string; intent: string }>>();
  for (const r of requests) byIntent.set(r.intent, [...(byIntent.get(r.intent) ?? []), r]);
  const train: typeof requests = [];
  const test: typeof requests = [];
  for (const list of byIntent.values()) {
    const shuffled = list.map((r) => ({ r, k: rand() })).sort((a, b) => a.k - b.k).map((x) => x.r);
    const cut = Math.round(shuffled.length * 0.8);
    train.push(...shuffled.slice(0, cut));
    test.push(...shuffled.slice(cut));
  }
  log(`${requests.length} requests, ${byIntent.size} intents: ${train.length} solved conversations, ${test.length} to suggest for`);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inbox-suggest-'));
  fs.chmodSync(dir, 0o755);
  const pg = await startEmbeddedPostgres({ dataDir: dir, port: await freePort(), database: 'suggest', logger });
  const db = connectDatabase({ url: pg.url, poolSize: 4 });
  try {
    await applyMigrations(db.pool);
    const { rows: [inbox] } = await db.pool.query<{ id: string }>(`INSERT INTO inboxes (id, name, kind, updated_at) VALUES (gen_random_uuid(), 'Support', 'api', now()) RETURNING id`);
    const { rows: [agent] } = await db.pool.query<{ id: string }>(`INSERT INTO agents (email, name, role, password_hash, updated_at) VALUES ('a@bench.test', 'Agent', 'agent', 'x', now()) RETURNING id`);
    /** Solved conversations, set-based: a contact, a resolved conversation, the request, the answer (some rated). */
    const solve = async (items: typeof requests, offset: number) => {
      for (let i = 0; i < items.length; i += 5_000) {
        const chunk = items.slice(i, i + 5_000);
        const names = chunk.map((_, j) => NAMES[(offset + i + j) % NAMES.length]!);
        await db.pool.query(
          `WITH src AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS x(text, answer, name, n)),
                ct AS (INSERT INTO contacts (id, name, updated_at) SELECT gen_random_uuid(), name || ' Example', now() FROM src RETURNING id),
                pairs AS (SELECT s.*, c.id AS contact_id FROM (SELECT *, row_number() OVER () AS k FROM src) s JOIN (SELECT id, row_number() OVER () AS k FROM ct) c USING (k)),
                cv AS (INSERT INTO conversations (id, inbox_id, contact_id, status, language, resolved_at, updated_at, last_message_at)
                       SELECT gen_random_uuid(), $4, contact_id, 'resolved', 'eng', now() - interval '1 day' + n * interval '1 millisecond', now(), now() FROM pairs
                       RETURNING id, contact_id),
                both_ AS (SELECT p.*, cv.id AS conversation_id FROM pairs p JOIN cv USING (contact_id))
           INSERT INTO messages (id, conversation_id, inbox_id, direction, sender_type, contact_id, agent_id, text, delivery_status, sent_at, created_at)
           SELECT gen_random_uuid(), conversation_id, $4, d.dir::"MessageDirection", d.sender::"SenderType", CASE WHEN d.dir = 'inbound' THEN contact_id END,
                  CASE WHEN d.dir = 'outbound' THEN $5::uuid END, CASE WHEN d.dir = 'inbound' THEN text ELSE replace(answer, '{name}', name) END,
                  CASE WHEN d.dir = 'inbound' THEN 'received' ELSE 'sent' END::"DeliveryStatus", now() - interval '2 days' + d.o, now()
             FROM both_ CROSS JOIN (VALUES ('inbound', 'contact', interval '0'), ('outbound', 'agent', interval '1 hour')) d(dir, sender, o)`,
          [chunk.map((r) => r.text), chunk.map((r) => CANONICAL[r.intent]!), names, inbox!.id, agent!.id],
        );
      }
    };
    const open = async (items: typeof requests) => {
      const { rows } = await db.pool.query<{ id: string }>(
        `WITH src AS (SELECT * FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS x(text, name, n)),
              ct AS (INSERT INTO contacts (id, name, updated_at) SELECT gen_random_uuid(), name || ' Tester', now() FROM src ORDER BY n RETURNING id),
              pairs AS (SELECT s.*, c.id AS contact_id FROM (SELECT *, row_number() OVER (ORDER BY n) AS k FROM src) s JOIN (SELECT id, row_number() OVER () AS k FROM ct) c USING (k)),
              cv AS (INSERT INTO conversations (id, inbox_id, contact_id, status, language, updated_at) SELECT gen_random_uuid(), $3, contact_id, 'open', 'eng', now() FROM pairs ORDER BY n RETURNING id, contact_id),
              m AS (INSERT INTO messages (id, conversation_id, inbox_id, direction, sender_type, contact_id, text, delivery_status, sent_at)
                    SELECT gen_random_uuid(), cv.id, $3, 'inbound', 'contact', p.contact_id, p.text, 'received', now() FROM pairs p JOIN cv USING (contact_id))
         SELECT cv.id FROM cv JOIN pairs p USING (contact_id) ORDER BY p.n`,
        [items.map((r) => r.text), items.map((_, i) => NAMES[i % NAMES.length]!), inbox!.id],
      );
      return rows.map((r) => r.id);
    };
    let t = performance.now();
    await solve(train, 0);
    log(`stored ${train.length} solved conversations in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const tests = await open(test);
    await db.pool.query('VACUUM ANALYZE');

    const keyOf = new Map(Object.entries(CANONICAL).map(([intent, answer]) => [answerKey(answerTemplate(answer.replace('{name}', 'Ann'), { firstName: 'Ann', reference: 0 })), intent]));
    const measure = async (label: string) => {
      const index = new SuggestionIndex({ db, logger });
      t = performance.now();
      await index.refresh(true);
      log(`${label}: indexed ${index.size.toLocaleString('en')} solved conversations in ${((performance.now() - t) / 1000).toFixed(1)} s, heap ${Math.round(process.memoryUsage().heapUsed / 2 ** 20)} MiB`);
      const suggestions = new Suggestions({ db, index, knowledge: new KnowledgeBase(db), publicUrl: () => 'http://localhost' });
      let at1 = 0;
      let at3 = 0;
      const times: number[] = [];
      const confused = new Map<string, number>();
      for (const [i, id] of tests.entries()) {
        const s = performance.now();
        const got = await suggestions.forConversation(id, 'all');
        times.push(performance.now() - s);
        const intents = got.map((g) => keyOf.get(g.key));
        if (intents[0] === test[i]!.intent) at1++;
        if (intents.slice(0, 3).includes(test[i]!.intent)) at3++;
        else confused.set(`${test[i]!.intent} → ${intents[0] ?? 'none'}`, (confused.get(`${test[i]!.intent} → ${intents[0] ?? 'none'}`) ?? 0) + 1);
      }
      log(`${label}: recall@1 ${(at1 / tests.length).toFixed(3)}, recall@3 ${(at3 / tests.length).toFixed(3)} (${tests.length} held-out requests, goal ≥ 0.90 at 3)`);
      log(`${label}: time per suggestion p50 ${percentile(times, 50).toFixed(1)} ms, p95 ${percentile(times, 95).toFixed(1)} ms, p99 ${percentile(times, 99).toFixed(1)} ms (goal p99 < 30 ms)`);
      log(`${label}: most frequent misses: ${[...confused.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([k, v]) => `${k} ×${v}`).join(', ') || 'none'}`);
    };
    await measure('80 % solved');
    const target = Number(args.indexed);
    if (target > train.length) {
      t = performance.now();
      const pad: typeof requests = [];
      for (let i = 0; pad.length + train.length < target; i++) pad.push(train[i % train.length]!);
      await solve(pad, train.length);
      await db.pool.query('VACUUM ANALYZE');
      log(`padded to ${target.toLocaleString('en')} solved conversations in ${((performance.now() - t) / 1000).toFixed(1)} s`);
      await measure(`${(target / 1000).toFixed(0)}k solved`);
    }
  } finally {
    await db.close();
    await endBenchDatabase(pg, dir, log);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
