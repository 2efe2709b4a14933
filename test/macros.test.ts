// Macros and bulk actions: 500 conversations resolved by one bulk action (its progress polled
// to the end), one audit line each; a macro applies all of its actions — reply filled in for the
// customer, labels, team, status, a contact attribute — or, when one of them cannot be done,
// none, saying which and why; a bulk macro does each conversation it can and lists the others.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app';
import { createAgent, createInbox } from './helpers/fixtures';
import { eventually, login, request } from './helpers/http';

let t: TestApp;
let admin: string;
let inboxId: string;
const api = (p: string, init: { method?: string; body?: unknown } = {}) => request(`${t.url}/api/v1${p}`, { token: admin, ...init });

/** Open conversations, set-based (a contact and a customer message each). */
async function conversations(count: number, prefix: string): Promise<string[]> {
  const { rows } = await t.app.services.db.pool.query<{ id: string }>(
    `WITH ct AS (INSERT INTO contacts (id, name, updated_at) SELECT gen_random_uuid(), $2 || ' ' || g, now() FROM generate_series(1, $1) g RETURNING id),
          cv AS (INSERT INTO conversations (id, inbox_id, contact_id, status, updated_at, last_message_at, waiting_since) SELECT gen_random_uuid(), $3, id, 'open', now(), now(), now() FROM ct RETURNING id, contact_id)
     INSERT INTO messages (id, conversation_id, inbox_id, direction, sender_type, contact_id, text, delivery_status, sent_at)
     SELECT gen_random_uuid(), id, $3, 'inbound', 'contact', contact_id, 'Where is my order?', 'received', now() FROM cv RETURNING conversation_id AS id`,
    [count, prefix, inboxId],
  );
  return rows.map((r) => r.id);
}

async function finished(id: string) {
  let last = 0;
  return eventually(async () => {
    const op = (await api(`/bulk-operations/${id}`)).body as { status: string; done: number; failed: number; total: number; errors: Array<{ conversationId: string; error: string }> };
    expect(op.done + op.failed).toBeGreaterThanOrEqual(last);
    last = op.done + op.failed;
    return op.status !== 'running' ? op : null;
  }, { what: 'the bulk operation finished', timeoutMs: 120_000 });
}

beforeAll(async () => {
  t = await startTestApp({ env: { ROUTING_DEFAULTS: 'false' } });
  const ada = await createAgent(t.prisma, { role: 'admin', name: 'Ada Admin' });
  admin = await login(t.url, ada.email);
  inboxId = (await createInbox(t.prisma, { name: 'Orders', memberIds: [ada.id] })).inbox.id;
  await api('/contact-attributes', { method: 'POST', body: { key: 'plan', label: 'Plan', type: 'list', options: ['free', 'enterprise'] } });
});
afterAll(async () => {
  await t?.close();
});

describe('bulk actions', () => {
  it('resolves 500 conversations in one action, with its progress, one audit line each', async () => {
    const ids = await conversations(500, 'Bulk');
    const started = await api('/conversations/bulk', { body: { conversationIds: ids, action: { type: 'resolve' } } });
    expect(started.status).toBe(202);
    expect(started.body.total).toBe(500);
    const op = await finished(started.body.id);
    expect(op).toMatchObject({ status: 'done', done: 500, failed: 0 });
    expect(await t.prisma.conversation.count({ where: { id: { in: ids }, status: 'resolved' } })).toBe(500);
    const audit = await t.prisma.auditEvent.groupBy({ by: ['conversationId'], where: { conversationId: { in: ids }, type: 'conversation.status' }, _count: true });
    expect(audit).toHaveLength(500);
    expect(audit.every((a) => a._count === 1)).toBe(true);
    // More than 500 is refused with the reason; so is an unknown action.
    expect((await api('/conversations/bulk', { body: { conversationIds: [...ids, crypto.randomUUID()], action: { type: 'resolve' } } })).status).toBe(400);
    expect((await api('/conversations/bulk', { body: { conversationIds: ids.slice(0, 2), action: { type: 'explode' } } })).status).toBe(400);
  }, 180_000);
});

describe('macros', () => {
  it('applies all of its actions: the reply filled in, labels, team, attribute, status', async () => {
    const [id] = await conversations(1, 'Nina Park');
    const team = await t.prisma.team.create({ data: { name: 'Refunds' } });
    const macro = await api('/macros', {
      body: {
        name: 'Refund approved',
        actions: [
          { type: 'reply', text: 'Hi {name}, your refund for {reference} is approved and reaches your card within 5 days.' },
          { type: 'addLabels', labels: ['refund'] },
          { type: 'assignTeam', teamId: team.id },
          { type: 'setContactAttribute', key: 'plan', value: 'enterprise' },
          { type: 'setStatus', status: 'pending' },
        ],
      },
    });
    expect(macro.status).toBe(201);
    const r = await api(`/macros/${macro.body.id}/apply`, { body: { conversationId: id } });
    expect(r.status).toBe(200);
    const c = await t.prisma.conversation.findUniqueOrThrow({ where: { id }, include: { labels: { include: { label: true } }, contact: true } });
    expect(c).toMatchObject({ status: 'pending', teamId: team.id });
    expect(c.labels.map((l) => l.label.name)).toEqual(['refund']);
    expect(c.contact.attributes).toMatchObject({ plan: 'enterprise' });
    const reply = await t.prisma.message.findFirstOrThrow({ where: { conversationId: id, direction: 'outbound' } });
    expect(reply.text).toBe(`Hi Nina, your refund for #${c.reference} is approved and reaches your card within 5 days.`);
  });

  it('changes nothing when one action cannot be done, and says which and why', async () => {
    const [id] = await conversations(1, 'Omar Ruiz');
    const bad = await api('/macros', {
      body: { name: 'Upgrade and close', actions: [{ type: 'addLabels', labels: ['vip'] }, { type: 'reply', text: 'Welcome to Platinum!' }, { type: 'setContactAttribute', key: 'plan', value: 'platinum' }, { type: 'setStatus', status: 'resolved' }] },
    });
    const before = await t.prisma.message.count({ where: { conversationId: id } });
    const r = await api(`/macros/${bad.body.id}/apply`, { body: { conversationId: id } });
    expect(r.status).toBe(409);
    expect(r.body.error.message).toMatch(/^"Upgrade and close" changed nothing on #\d+: action 3 \(setContactAttribute\) cannot be done: .*Plan must be one of free, enterprise/);
    const c = await t.prisma.conversation.findUniqueOrThrow({ where: { id }, include: { labels: true, contact: true } });
    expect(c.status).toBe('open');
    expect(c.labels).toHaveLength(0);
    expect(c.contact.attributes).toEqual({});
    expect(await t.prisma.message.count({ where: { conversationId: id } })).toBe(before);
    expect(await t.prisma.auditEvent.count({ where: { conversationId: id } })).toBe(0);
  });

  it('in bulk: each conversation it can, the others listed with the reason', async () => {
    const ids = await conversations(3, 'Batch');
    const last = await t.prisma.conversation.findUniqueOrThrow({ where: { id: ids[2]! } });
    await t.prisma.contact.update({ where: { id: last.contactId }, data: { doNotContact: true } });
    const macro = await api('/macros', { body: { name: 'Apologise', actions: [{ type: 'reply', text: 'Sorry for the wait, {name}.' }, { type: 'setStatus', status: 'resolved' }] } });
    const started = await api('/conversations/bulk', { body: { conversationIds: ids, action: { type: 'macro', macroId: macro.body.id } } });
    const op = await finished(started.body.id);
    expect(op).toMatchObject({ status: 'done', done: 2, failed: 1 });
    expect(op.errors).toEqual([{ conversationId: ids[2], error: expect.stringMatching(/"Apologise" changed nothing on #\d+: action 1 \(reply\) cannot be done: the customer asked not to be contacted/) }]);
    expect((await t.prisma.conversation.findUniqueOrThrow({ where: { id: ids[2]! } })).status).toBe('open');
    expect(await t.prisma.conversation.count({ where: { id: { in: ids.slice(0, 2) }, status: 'resolved' } })).toBe(2);
  });
});
