// The conversation list at scale, through the HTTP API: cursor pages that list every open
// conversation exactly once while priorities change underneath (and conversations are resolved
// or opened meanwhile), and search by each of name, email, phone, handle, subject and a word of
// a message that never shows a conversation from an inbox the agent is not in. Real PostgreSQL.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app';
import { createAgent, createInbox } from './helpers/fixtures';
import { eventually, login, request } from './helpers/http';

let t: TestApp;
let admin: string;
let agent: string;
let mine: { id: string; token: string };
let other: { id: string; token: string };

beforeAll(async () => {
  t = await startTestApp();
  const a = await createAgent(t.prisma, { role: 'admin', availability: 'offline' });
  const m = await createAgent(t.prisma, { name: 'Mo Member' });
  const inboxA = await createInbox(t.prisma, { name: 'Mine', memberIds: [m.id] });
  const inboxB = await createInbox(t.prisma, { name: 'Not mine' });
  mine = { id: inboxA.inbox.id, token: inboxA.token };
  other = { id: inboxB.inbox.id, token: inboxB.token };
  admin = await login(t.url, a.email);
  agent = await login(t.url, m.email);
});

afterAll(() => t?.close());

/** Open conversations written straight to the store: many at once, random priorities. */
async function openConversations(inboxId: string, n: number, tag: string): Promise<string[]> {
  const { rows } = await t.app.services.db.pool.query<{ id: string }>(
    `WITH c AS (INSERT INTO contacts (id, name, email, updated_at) SELECT gen_random_uuid(), $2 || ' ' || g, $2 || g || '@example.com', now() FROM generate_series(1, $3) g RETURNING id)
     INSERT INTO conversations (inbox_id, contact_id, status, priority, waiting_since, last_message_at, updated_at)
     SELECT $1, c.id, 'open', (random() * 100)::int, CASE WHEN random() < 0.7 THEN now() - random() * interval '3 hours' END, now() - random() * interval '1 day', now() FROM c
     RETURNING id`,
    [inboxId, tag, n],
  );
  return rows.map((r) => r.id);
}

const page = (token: string, query: string) => request(`${t.url}/api/v1/conversations?${query}`, { token });

describe('cursor pages', () => {
  it('list every open conversation exactly once while priorities change underneath', async () => {
    const ids = await openConversations(other.id, 300, `pager-${crypto.randomBytes(3).toString('hex')}`);
    const open = new Set((await t.prisma.conversation.findMany({ where: { status: 'open' }, select: { id: true } })).map((c) => c.id));
    expect(open.size).toBeGreaterThanOrEqual(300);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    const pool = t.app.services.db.pool;
    do {
      const r = await page(admin, `sort=priority&limit=25${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      if (!cursor) {
        expect(r.body.total).toBe(Math.min(open.size, 1000));
        expect(r.body.totalCapped).toBe(open.size > 1000);
      }
      seen.push(...r.body.data.map((c: { id: string }) => c.id));
      cursor = r.body.nextCursor;
      pages++;
      // Underneath: some not listed yet jump to the top (past the cursor), some listed sink to
      // the bottom (ahead of it again), some are resolved, and new ones open.
      const unseen = ids.filter((id) => !seen.includes(id));
      const listed = ids.filter((id) => seen.includes(id));
      await pool.query(`UPDATE conversations SET priority = 100, waiting_since = now() - interval '10 hours' WHERE id = ANY($1::uuid[])`, [unseen.slice(0, 4)]);
      await pool.query(`UPDATE conversations SET priority = 0, waiting_since = NULL WHERE id = ANY($1::uuid[])`, [listed.slice(0, 4)]);
      await pool.query(`UPDATE conversations SET status = 'resolved', resolved_at = now() WHERE id = ANY($1::uuid[])`, [unseen.slice(-1)]);
      await openConversations(other.id, 2, 'latecomer');
    } while (cursor);
    expect(pages).toBeGreaterThan(10);
    // Each conversation open when the listing began, once; none that opened later.
    expect(seen.length).toBe(new Set(seen).size);
    expect(new Set(seen)).toEqual(open);
  });

  it('pages the agent\'s own inboxes across every status the same way, and refuses a cursor it did not give', async () => {
    const ids = await openConversations(mine.id, 60, 'mine');
    await t.app.services.db.pool.query(`UPDATE conversations SET status = 'pending' WHERE id = ANY($1::uuid[])`, [ids.slice(0, 20)]);
    const all = new Set((await t.prisma.conversation.findMany({ where: { inboxId: mine.id }, select: { id: true } })).map((c) => c.id));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const r = await page(agent, `status=all&limit=7${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.status).toBe(200);
      seen.push(...r.body.data.map((c: { id: string }) => c.id));
      cursor = r.body.nextCursor;
      await t.app.services.db.pool.query(`UPDATE conversations SET priority = (random() * 100)::int WHERE id = ANY($1::uuid[])`, [ids.filter((id) => !seen.includes(id)).slice(0, 3)]);
    } while (cursor);
    expect(seen.length).toBe(new Set(seen).size);
    expect(new Set(seen)).toEqual(all);

    const bad = await page(agent, 'cursor=not-a-cursor');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('cursor');
    const first = await page(agent, 'limit=5');
    const otherSort = await page(agent, `limit=5&sort=recent&cursor=${first.body.nextCursor}`);
    expect(otherSort.status).toBe(400);
  });
});

describe('search', () => {
  it('finds a conversation by each of name, email, phone, handle, subject and a word of a message, only in the agent\'s inboxes', async () => {
    const post = (inbox: { id: string; token: string }, body: object) => request(`${t.url}/api/v1/inboxes/${inbox.id}/messages`, { token: inbox.token, body });
    const customer = { name: 'Zelda Quarrington', email: 'zelda.quarrington@example.org', phone: '+14155550199', handle: 'zq_gamer' };
    const r = await post(mine, { externalId: 'search-1', from: customer, subject: 'Blender warranty claim', text: 'The motor of my blender stopped after a week; order XJ-4471.' });
    // The same person, and the same words, in an inbox the agent is not in.
    const hidden = await post(other, { externalId: 'search-2', from: { ...customer, email: 'zelda.q@example.net', phone: '+14155550198', handle: 'zq_other' }, subject: 'Blender warranty claim', text: 'Order XJ-4471 again.' });
    const found = await eventually(() => t.prisma.message.findUnique({ where: { id: r.body.id } }));
    const hiddenMessage = await eventually(() => t.prisma.message.findUnique({ where: { id: hidden.body.id } }));
    const search = async (token: string, q: string) => {
      const res = await page(token, `status=all&q=${encodeURIComponent(q)}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.data.map((c: { id: string }) => c.id) as string[];
    };
    for (const q of ['Quarrington', 'zelda.quarrington@example', 'Zelda.Quarrington@example.org', '@example.org', '415 555 0199', 'zq_gamer', 'warranty claim', 'XJ-4471', 'blender']) {
      const ids = await search(agent, q);
      expect(ids, q).toContain(found.conversationId);
      expect(ids, q).not.toContain(hiddenMessage.conversationId);
    }
    // An admin sees both inboxes; a search too short for the indexes says so.
    expect(await search(admin, 'XJ-4471')).toEqual(expect.arrayContaining([found.conversationId, hiddenMessage.conversationId]));
    expect(await search(agent, 'no such words anywhere')).toEqual([]);
    const short = await page(agent, 'q=zq');
    expect(short.status).toBe(400);
    expect(short.body.error.message).toMatch(/at least 3 characters/);
  });
});

describe('unread, per agent on the server', () => {
  it('marks a conversation read for the one agent, only forward, never past now, and only where they may look', async () => {
    const [id] = await openConversations(mine.id, 1, `reads-${crypto.randomBytes(3).toString('hex')}`);
    const reads = async (token: string) => (await page(token, `inboxId=${mine.id}&status=all&limit=100`)).body.reads as Record<string, string>;
    expect((await reads(agent))[id!]).toBeUndefined();

    const read = await request(`${t.url}/api/v1/conversations/${id}/read`, { token: agent, body: { at: '2026-01-02T03:04:05.000Z' } });
    expect(read.status, JSON.stringify(read.body)).toBe(200);
    expect(read.body.readAt).toBe('2026-01-02T03:04:05.000Z');
    // Another device, an older tab: never moves back.
    const older = await request(`${t.url}/api/v1/conversations/${id}/read`, { token: agent, body: { at: '2025-12-31T00:00:00.000Z' } });
    expect(older.body.readAt).toBe('2026-01-02T03:04:05.000Z');
    expect((await reads(agent))[id!]).toBe('2026-01-02T03:04:05.000Z');
    // The admin has not read it.
    expect((await reads(admin))[id!]).toBeUndefined();
    // A clock ahead cannot mark tomorrow's messages read; no body means now.
    const ahead = await request(`${t.url}/api/v1/conversations/${id}/read`, { token: agent, body: { at: '2099-01-01T00:00:00.000Z' } });
    expect(Date.parse(ahead.body.readAt)).toBeLessThanOrEqual(Date.now() + 1_000);
    const detail = await request(`${t.url}/api/v1/conversations/${id}`, { token: agent });
    expect(detail.body.readAt).toBe(ahead.body.readAt);

    const bad = await request(`${t.url}/api/v1/conversations/${id}/read`, { token: agent, body: { at: 'yesterday' } });
    expect(bad.status).toBe(400);
    const [elsewhere] = await openConversations(other.id, 1, `reads-other-${crypto.randomBytes(3).toString('hex')}`);
    expect((await request(`${t.url}/api/v1/conversations/${elsewhere}/read`, { token: agent, body: {} })).status).toBe(404);
  });
});
