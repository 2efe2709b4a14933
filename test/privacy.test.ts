// Privacy requests over real mail and the API channel: a person's export holds everything (one
// zip: profile, conversations, the attachment file); after their erasure no row of any table,
// no attachment file, no search entry holds their name, email, phone, handle or words, and the
// reports count what they counted before. Retention erases old resolved conversations' content.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { applyRetention } from '../src/inbox/privacy/retention';
import { emailWorld, eventually, type EmailWorld } from './helpers/email-app';
import { createAgent, createInbox } from './helpers/fixtures';
import { login, request } from './helpers/http';

let w: EmailWorld;
let api: { id: string; token: string };
const today = new Date().toISOString().slice(0, 10);
const call = (p: string, init: { method?: string; body?: unknown } = {}, token = w.admin) => request(`${w.t.url}/api/v1${p}`, { token, ...init });

// What must not survive the erasure, in any form.
const PLANTED = { first: 'Zebulon', last: 'Quixotic', email: 'planted.person@erasure.test', phone: '+34699123457', handle: 'zq-handle-9931', words: 'marmalade-kumquat-7781' };

function mailWithAttachment(): string {
  return [
    `From: ${PLANTED.first} ${PLANTED.last} <${PLANTED.email}>`,
    'To: privacy@acme.test',
    'Subject: My broken order',
    `Date: ${new Date().toUTCString()}`,
    '<zq1@erasure.test>'.replace(/^/, 'Message-ID: '),
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=utf-8',
    '',
    `The blender arrived broken. Code word ${PLANTED.words}. Call me on ${PLANTED.phone}.`,
    '--b1',
    'Content-Type: text/plain; name="receipt.txt"',
    'Content-Disposition: attachment; filename="receipt.txt"',
    '',
    `Receipt for ${PLANTED.first} ${PLANTED.last}, ${PLANTED.email}, order ${PLANTED.words}`,
    '--b1--',
    '',
  ].join('\r\n');
}

/** Every row of every table, as text. */
async function dumpDatabase(): Promise<string> {
  const pool = w.t.app.services.db.pool;
  const { rows: tables } = await pool.query<{ name: string }>(`SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables WHERE schemaname = 'public'`);
  let out = '';
  for (const t of tables) out += (await pool.query<{ row: string }>(`SELECT to_jsonb(x)::text AS row FROM ${t.name} x`)).rows.map((r) => r.row).join('\n');
  return out;
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

function unzip(buffer: Buffer): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    const out = new Map<string, string>();
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => (out.set(entry.fileName, Buffer.concat(chunks).toString('utf8')), zip.readEntry()));
        });
      });
      zip.on('end', () => resolve(out));
      zip.readEntry();
    });
  });
}

const summary = async () => (await call(`/reports/summary?from=${today}&to=${today}`)).body;

beforeAll(async () => {
  w = await emailWorld({ users: ['privacy@acme.test'] });
  await w.addInbox('Privacy', 'privacy@acme.test');
  const made = await createInbox(w.t.prisma, { kind: 'api', name: 'Shop' });
  api = { id: made.inbox.id, token: made.token };
});
afterAll(async () => w?.close());

describe('privacy requests', () => {
  let contactId: string;

  it('exports everything held about a person as one archive', async () => {
    await w.imap.deliver('privacy@acme.test', mailWithAttachment());
    const mail = await eventually(() => w.t.prisma.message.findFirst({ where: { text: { contains: PLANTED.words } }, include: { attachments: true } }), 'the mail stored', 30_000);
    expect(mail.attachments).toHaveLength(1);
    contactId = mail.contactId!;
    const post = await request(`${w.t.url}/api/v1/inboxes/${api.id}/messages`, { token: api.token, body: { externalId: 'shop-1', from: { name: `${PLANTED.first} ${PLANTED.last}`, email: PLANTED.email, phone: PLANTED.phone, handle: PLANTED.handle }, text: `Also the toaster, ${PLANTED.words}.` } });
    expect(post.status).toBe(202);
    await eventually(() => w.t.prisma.message.findFirst({ where: { inboxId: api.id, contactId } }), 'the shop message stored on the same contact');
    const reply = await call(`/conversations/${mail.conversationId}/messages`, { method: 'POST', body: { text: `Hi ${PLANTED.first}, a new blender is on its way.` } });
    expect(reply.status).toBe(201);
    await call(`/conversations/${mail.conversationId}/messages`, { method: 'POST', body: { text: `${PLANTED.first} ${PLANTED.last} called about this`, private: true } });
    // Someone else, who must be untouched.
    await request(`${w.t.url}/api/v1/inboxes/${api.id}/messages`, { token: api.token, body: { externalId: 'other-1', from: { name: 'Olive Other', email: 'olive@other.test' }, text: 'My kettle leaks.' } });
    await eventually(async () => (await w.t.prisma.messageSignal.count()) >= 3 && (await w.t.prisma.message.count({ where: { deliveryStatus: 'queued' } })) === 0, 'analysis and sending done');

    const res = await fetch(`${w.t.url}/api/v1/contacts/${contactId}/export`, { headers: { authorization: `Bearer ${w.admin}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    const files = await unzip(Buffer.from(await res.arrayBuffer()));
    expect([...files.keys()].sort()).toEqual(expect.arrayContaining(['README.txt', 'contact.json', expect.stringMatching(/^attachments\/.*-receipt\.txt$/)]));
    const profile = JSON.parse(files.get('contact.json')!);
    expect(profile.identities.map((i: { kind: string; address: string }) => `${i.kind}:${i.address}`).sort()).toEqual([`api:${api.id}:${PLANTED.handle}`, `email:${PLANTED.email}`, `phone:${PLANTED.phone}`]);
    const conversations = [...files.entries()].filter(([name]) => name.startsWith('conversations/')).map(([, body]) => JSON.parse(body));
    expect(conversations).toHaveLength(2);
    expect(JSON.stringify(conversations)).toContain(PLANTED.words);
    expect(conversations.flatMap((c) => c.messages).some((m: { signal: unknown }) => m.signal)).toBe(true);
    expect([...files.entries()].find(([n]) => n.startsWith('attachments/'))![1]).toContain(PLANTED.words);
    expect(await w.t.prisma.auditEvent.count({ where: { type: 'contact.exported' } })).toBe(1);
  });

  it('erases the person everywhere and keeps the report totals', async () => {
    const before = await summary();
    const attachmentsDir = path.join(w.t.app.services.config.DATA_DIR, 'attachments');
    expect(filesUnder(attachmentsDir).some((f) => fs.readFileSync(f, 'utf8').includes(PLANTED.words))).toBe(true);
    expect((await dumpDatabase()).includes(PLANTED.words)).toBe(true);

    // Refused without the permission, and without saying yes.
    const supervisor = await login(w.t.url, (await createAgent(w.t.prisma, { role: 'supervisor' })).email);
    expect((await call(`/contacts/${contactId}/erase`, { method: 'POST', body: { confirm: true } }, supervisor)).status).toBe(403);
    expect((await call(`/contacts/${contactId}/erase`, { method: 'POST', body: {} })).status).toBe(400);

    const erased = await call(`/contacts/${contactId}/erase`, { method: 'POST', body: { confirm: true } });
    expect(erased.status).toBe(200);
    expect(erased.body).toMatchObject({ conversations: 2, attachments: 1 });

    const dump = (await dumpDatabase()).toLowerCase();
    for (const [what, value] of Object.entries({ ...PLANTED, phoneDigits: PLANTED.phone.slice(3) })) expect(dump.includes(value.toLowerCase()), `${what} (${value}) is still in the database`).toBe(false);
    for (const f of filesUnder(attachmentsDir)) expect(fs.readFileSync(f, 'utf8')).not.toContain(PLANTED.words);
    // Search finds nothing of what they wrote; the other customer is untouched.
    expect((await call(`/conversations?q=${PLANTED.words}`)).body.data).toEqual([]);
    expect((await call('/conversations?q=kettle')).body.data).toHaveLength(1);
    expect(await summary()).toEqual(before);
    const audit = await w.t.prisma.auditEvent.findFirstOrThrow({ where: { type: 'contact.erased' } });
    expect(audit.data).toMatchObject({ contactId, conversations: 2, attachments: 1 });
  });

  it('erases the content of an inbox\'s old resolved conversations (retention)', async () => {
    const post = await request(`${w.t.url}/api/v1/inboxes/${api.id}/messages`, { token: api.token, body: { externalId: 'old-1', from: { email: 'old@customer.test' }, text: 'An old question about pineapple-9090.' } });
    const stored = await eventually(() => w.t.prisma.message.findUnique({ where: { id: post.body.id } }), 'stored');
    await call(`/conversations/${stored.conversationId}/status`, { method: 'POST', body: { status: 'resolved' } });
    await w.t.app.services.db.pool.query(`UPDATE conversations SET last_message_at = now() - interval '40 days', resolved_at = now() - interval '40 days' WHERE id = $1`, [stored.conversationId]);
    expect((await call(`/inboxes/${api.id}`, { method: 'PATCH', body: { retentionDays: 30 } })).body.retentionDays).toBe(30);
    const before = await summary();
    const done = await applyRetention({ db: w.t.app.services.db, attachments: w.t.app.services.connectorContext.attachments, logger: w.t.app.services.logger });
    expect(done.conversations).toBe(1);
    const after = await w.t.prisma.conversation.findUniqueOrThrow({ where: { id: stored.conversationId }, include: { messages: true } });
    expect(after.contentErasedAt).not.toBeNull();
    expect(after.messages.every((m) => m.text === '')).toBe(true);
    expect(await summary()).toEqual(before);
    // Open conversations of the same inbox are kept whole.
    expect(await w.t.prisma.message.count({ where: { text: 'My kettle leaks.' } })).toBe(1);
  });
});
