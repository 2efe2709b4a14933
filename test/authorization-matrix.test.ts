// The authorization matrix: every route the OpenAPI document lists (each with the permission it
// needs, x-access) × every role (the three built in and custom ones) × every place a
// conversation can be (the caller's own, their team's, another team's, unassigned, another
// inbox). What a caller should see and do is worked out here from the permission table and the
// memberships alone; the product must agree on every route, on lists and search, contacts,
// attachments, and the live socket. Real PostgreSQL, real HTTP, real sockets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { BUILT_IN_ROLES, satisfies, type Permission, type PermissionNeed, type RoleDefinition } from '../src/inbox/agents/permissions';
import type { RouteAccess } from '../src/inbox/api/auth';
import { startTestApp, type TestApp } from './helpers/app';
import { createAgent, createInbox } from './helpers/fixtures';
import { connectAgent, eventually, login, request } from './helpers/http';

interface Caller {
  name: string;
  id: string;
  token: string;
  role: RoleDefinition;
  inboxes: string[];
  teams: string[];
}

interface Target {
  label: string;
  id: string;
  reference: number;
  contactId: string;
  attachmentId: string;
  inbox: string;
  team: string | null;
  assignee: string | null;
  /** A word only this conversation's contact has, to search by. */
  word: string;
}

const CUSTOM: Record<string, RoleDefinition & { permissions: Permission[] }> = {
  'Team agent': { visibility: 'team', permissions: ['conversations.reply', 'conversations.note', 'conversations.resolve'] },
  'Own viewer': { visibility: 'own', permissions: [] },
  Analyst: { visibility: 'inbox', permissions: ['reports.view', 'conversations.export', 'people.view'] },
  'Team lead': { visibility: 'team', permissions: ['conversations.assign', 'conversations.delete', 'reports.view', 'settings.manage'] },
};

let t: TestApp;
let admin: Caller;
const callers: Caller[] = [];
const targets: Target[] = [];
let inboxA: string;
let inboxB: string;
let team1: string;
let team2: string;
let other: string;
let seq = 0;

const api = (path: string, token: string, init: { method?: string; body?: unknown } = {}) => request(`${t.url}/api/v1${path}`, { token, ...init });

/** Whether the caller should see the conversation: the definition of visibility, written out. */
function shouldSee(c: Caller, x: Target): boolean {
  if (c.role.visibility === 'all') return true;
  if (!c.inboxes.includes(x.inbox)) return false;
  if (c.role.visibility === 'inbox') return true;
  if (x.assignee === c.id) return true;
  return c.role.visibility === 'team' && x.team !== null && c.teams.includes(x.team);
}

const mayDo = (c: Caller, need: PermissionNeed | undefined) => satisfies(new Set(c.role.permissions), need);

async function place(x: Target): Promise<void> {
  const r = await api(`/conversations/${x.id}/assign`, admin.token, { body: { assigneeId: x.assignee, teamId: x.team } });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

async function target(label: string, inbox: string, team: string | null, assignee: string | null, keep = true): Promise<Target> {
  const word = `zq${(++seq).toString().padStart(3, '0')}matrix`;
  const started = await api('/conversations', admin.token, { body: { inboxId: inbox, to: { email: `${word}@example.test`, name: `Customer ${word}` }, text: `Hello ${label}` } });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  const conversation = started.body.conversation as { id: string; reference: number; contact: { id: string } };
  const message = await t.prisma.message.findFirstOrThrow({ where: { conversationId: conversation.id } });
  const attachment = await t.prisma.attachment.create({ data: { messageId: message.id, fileName: `${word}.txt`, contentType: 'text/plain', size: 2, url: `${t.url}/healthz` } });
  const x: Target = { label, id: conversation.id, reference: conversation.reference, contactId: conversation.contact.id, attachmentId: attachment.id, inbox, team, assignee, word };
  await place(x);
  if (keep) targets.push(x);
  return x;
}

beforeAll(async () => {
  t = await startTestApp();
  const a = await createAgent(t.prisma, { role: 'admin', name: 'Ada Admin' });
  admin = { name: 'admin', id: a.id, token: await login(t.url, a.email), role: BUILT_IN_ROLES.admin, inboxes: [], teams: [] };
  inboxA = (await createInbox(t.prisma, { name: 'A' })).inbox.id;
  inboxB = (await createInbox(t.prisma, { name: 'B' })).inbox.id;
  team1 = (await api('/teams', admin.token, { body: { name: 'Team one' } })).body.id;
  team2 = (await api('/teams', admin.token, { body: { name: 'Team two' } })).body.id;
  other = (await createAgent(t.prisma, { name: 'Oz Other' })).id;
  await api(`/agents/${other}`, admin.token, { method: 'PATCH', body: { inboxIds: [inboxA, inboxB], teamIds: [team1, team2] } });

  // Custom roles through the API, as an admin builds them.
  const roleIds: Record<string, string> = {};
  for (const [name, def] of Object.entries(CUSTOM)) {
    const r = await api('/roles', admin.token, { body: { name, visibility: def.visibility, permissions: def.permissions } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    roleIds[name] = r.body.id;
  }
  const people: Array<[string, 'supervisor' | 'agent' | null, string | null]> = [
    ['supervisor', 'supervisor', null],
    ['agent', 'agent', null],
    ...Object.keys(CUSTOM).map((n): [string, null, string] => [n, null, n]),
  ];
  for (const [name, builtIn, custom] of people) {
    const row = await createAgent(t.prisma, { role: builtIn ?? 'agent', name: `Person ${name}` });
    const r = await api(`/agents/${row.id}`, admin.token, { method: 'PATCH', body: { inboxIds: [inboxA], teamIds: [team1], ...(custom ? { customRoleId: roleIds[custom] } : {}) } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    callers.push({ name, id: row.id, token: await login(t.url, row.email), role: custom ? CUSTOM[custom]! : BUILT_IN_ROLES[builtIn!], inboxes: [inboxA], teams: [team1] });
  }
  callers.push(admin);

  // Every place a conversation can be, from each caller's point of view.
  for (const c of callers) await target(`own of ${c.name}`, inboxA, null, c.id);
  await target('team one, another agent', inboxA, team1, other);
  await target('team two, another agent', inboxA, team2, other);
  await target('unassigned', inboxA, null, null);
  await target('another inbox, team one', inboxB, team1, other);
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('what each role sees', () => {
  it('lists, searches, opens, and downloads exactly the conversations each role should see', async () => {
    const leaks: string[] = [];
    for (const c of callers) {
      const listed = await api('/conversations?status=all&limit=200', c.token);
      expect(listed.status).toBe(200);
      const ids = new Set((listed.body.data as Array<{ id: string }>).map((x) => x.id));
      // The export: only for roles that may export, and only what they see.
      const exported = await api('/conversations/export.csv?status=all', c.token);
      expect(exported.status, c.name).toBe(mayDo(c, 'conversations.export') ? 200 : 403);
      const references = exported.status === 200 ? new Set(String(exported.body).trim().split('\n').slice(1).map((line) => Number(line.split(',')[0]))) : null;
      for (const x of targets) {
        const want = shouldSee(c, x);
        const checks: Array<[string, boolean]> = [
          ['list', ids.has(x.id)],
          ['search', ((await api(`/conversations?status=all&q=${x.word}`, c.token)).body.data as Array<{ id: string }>).some((r) => r.id === x.id)],
          ['open', (await api(`/conversations/${x.id}`, c.token)).status === 200],
          ['contact', (await api(`/contacts/${x.contactId}`, c.token)).status === 200],
          ['attachment', (await api(`/attachments/${x.attachmentId}`, c.token)).status === 200],
          ...(references ? [['export', references.has(x.reference)] as [string, boolean]] : []),
        ];
        for (const [what, saw] of checks) if (saw !== want) leaks.push(`${c.name} ${what} ${x.label}: ${saw ? 'saw' : 'missed'}`);
      }
    }
    expect(leaks).toEqual([]);
  });

  it('lists agents and team members only to those who should see them', async () => {
    for (const c of callers) {
      const agents = (await api('/agents', c.token)).body.data as Array<{ id: string }>;
      const everyone = mayDo(c, { anyOf: ['settings.manage', 'people.view'] }) || c.role.visibility === 'all';
      const total = await t.prisma.agent.count();
      if (everyone) expect(agents.length, c.name).toBe(total);
      else expect(agents.length, c.name).toBeLessThan(total);
      const teams = (await api('/teams', c.token)).body.data as Array<{ id: string; memberIds?: string[] }>;
      expect(teams.find((x) => x.id === team2)?.memberIds !== undefined, c.name).toBe(everyone);
    }
  });

  it('sends live events and lets a socket join only for conversations the role sees', async () => {
    const sockets = new Map<string, Socket>();
    const heard = new Map<string, Set<string>>();
    const messages = new Map<string, Set<string>>();
    for (const c of callers) {
      const socket = await connectAgent(t.url, c.token);
      sockets.set(c.name, socket);
      const got = new Set<string>();
      const seen = new Set<string>();
      heard.set(c.name, got);
      messages.set(c.name, seen);
      socket.on('message.created', (e: { conversationId: string; message: { id: string } }) => {
        got.add(e.conversationId);
        seen.add(e.message.id);
      });
    }
    try {
      const leaks: string[] = [];
      for (const c of callers) {
        for (const x of targets) {
          const ack = await sockets.get(c.name)!.timeout(5_000).emitWithAck('conversation:join', { conversationId: x.id });
          if ((ack as { ok: boolean }).ok !== shouldSee(c, x)) leaks.push(`${c.name} join ${x.label}: ${(ack as { ok: boolean }).ok}`);
          sockets.get(c.name)!.emit('conversation:leave', { conversationId: x.id });
        }
      }
      // A note on every conversation (the inbox hears it), then one on each caller's own, last:
      // when that one has arrived, everything before it has.
      for (const x of targets) await api(`/conversations/${x.id}/messages`, admin.token, { body: { text: `note on ${x.label}`, private: true } });
      const own = (c: Caller) => targets.find((x) => x.label === `own of ${c.name}`)!;
      const marker = new Map<string, string>();
      for (const c of callers) {
        const r = await api(`/conversations/${own(c).id}/messages`, admin.token, { body: { text: `marker for ${c.name}`, private: true } });
        marker.set(c.name, r.body.id);
      }
      for (const c of callers) await eventually(() => messages.get(c.name)!.has(marker.get(c.name)!), { what: `${c.name} hears its marker` });
      for (const c of callers) {
        for (const x of targets) if (heard.get(c.name)!.has(x.id) !== shouldSee(c, x)) leaks.push(`${c.name} heard ${x.label}: ${heard.get(c.name)!.has(x.id)}`);
      }
      expect(leaks).toEqual([]);
    } finally {
      for (const s of sockets.values()) s.disconnect();
    }
  });
});

describe('every route × role × place', () => {
  it('answers each route as the permission table says, and hides what the role does not see', async () => {
    const doc = (await request(`${t.url}/api/v1/openapi.json`)).body as { paths: Record<string, Record<string, { security?: unknown; 'x-access'?: RouteAccess }>> };
    const routes = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/api/v1/') && !path.startsWith('/api/v1/inboxes/{inboxId}/messages'))
      .flatMap(([path, methods]) => Object.entries(methods).filter(([, op]) => op.security).map(([method, op]) => ({ method, path: path.slice('/api/v1'.length), access: op['x-access'] })))
      // Logging out ends the caller's session (tested elsewhere).
      .filter((r) => r.path !== '/auth/logout');
    expect(routes.length).toBeGreaterThan(60);
    expect(routes.filter((r) => r.access?.conversation).length).toBeGreaterThanOrEqual(10);

    const wrong: string[] = [];
    let calls = 0;
    for (const c of callers) {
      for (const r of routes) {
        const conversationBound = r.access?.conversation !== undefined;
        // Deleting removes the place: each call gets a new conversation in the same place.
        const deletes = r.method === 'delete' && r.path === '/conversations/{id}';
        const places = conversationBound ? targets.filter((x) => !x.label.startsWith('own of') || x.label === `own of ${c.name}`) : [null];
        for (const placed of places) {
          const x = placed && deletes ? await target(placed.label, placed.inbox, placed.team, placed.assignee, false) : placed;
          const path = r.path.replace(/\{(\w+)\}/g, (_m, name: string) => (x && name === r.access?.conversation ? x.id : crypto.randomUUID()));
          const res = await api(path, c.token, { method: r.method.toUpperCase(), body: r.method === 'get' ? undefined : {} });
          calls++;
          const narrow = c.role.visibility === 'own' || c.role.visibility === 'team';
          const permitted = mayDo(c, r.access?.permission) && !(r.access?.wholeInboxes && narrow);
          const visible = x ? shouldSee(c, x) : true;
          const refused = x ? res.status === 403 || res.status === 404 : res.status === 403;
          const expected = visible && permitted;
          if (res.status === 401 || res.status >= 500 || refused === expected) wrong.push(`${c.name} ${r.method} ${path}${x ? ` (${x.label})` : ''}: ${res.status} ${JSON.stringify(res.body).slice(0, 120)}`);
          // Not seeing it must look the same as it not existing: 404, never 403.
          if (x && !visible && res.status !== 404) wrong.push(`${c.name} ${r.method} ${path} (${x.label}): ${res.status}, not 404`);
          if (x && expected && r.method !== 'get' && r.method !== 'delete') await place(x);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(calls).toBeGreaterThan(500);
  }, 300_000);
});

describe('changing a role', () => {
  it('reaches the agent at once: the next request and the live socket, which reconnects into what they see now', async () => {
    const c = callers.find((x) => x.name === 'Own viewer')!;
    const unassigned = targets.find((x) => x.label === 'unassigned')!;
    expect((await api(`/conversations/${unassigned.id}`, c.token)).status).toBe(404);
    const socket = await connectAgent(t.url, c.token);
    try {
      const cut = new Promise<string>((done) => socket.once('disconnect', done));
      const roles = (await api('/roles', admin.token)).body.data as Array<{ id: string; name: string }>;
      const analyst = roles.find((r) => r.name === 'Analyst')!;
      expect((await api(`/agents/${c.id}`, admin.token, { method: 'PATCH', body: { customRoleId: analyst.id } })).status).toBe(200);
      expect(await cut).toBe('io server disconnect');
      expect((await api(`/conversations/${unassigned.id}`, c.token)).status).toBe(200);
      // Reconnected (the agent app does so by itself), it hears the inbox it now sees.
      socket.connect();
      await new Promise<void>((done) => socket.once('connect', () => done()));
      const heard = new Promise((done) => socket.on('message.created', (e: { conversationId: string }) => e.conversationId === unassigned.id && done(e)));
      await api(`/conversations/${unassigned.id}/messages`, admin.token, { body: { text: 'now you see it', private: true } });
      await heard;
      // A role in use cannot be deleted; the last admin cannot be demoted.
      expect((await api(`/roles/${analyst.id}`, admin.token, { method: 'DELETE' })).status).toBe(409);
      expect((await api(`/agents/${admin.id}`, admin.token, { method: 'PATCH', body: { role: 'agent' } })).status).toBe(400);
      expect((await api('/auth/me', c.token)).body).toMatchObject({ role: { name: 'Analyst', visibility: 'inbox', custom: true }, permissions: expect.arrayContaining(['reports.view']) });
    } finally {
      socket.disconnect();
    }
  });
});

describe('a handover to another team', () => {
  it('tells those who saw it only through the old team that it left them, and nothing of where it went', async () => {
    const narrow = callers.find((x) => x.name === 'Team agent')!;
    const wide = callers.find((x) => x.name === 'agent')!;
    const x = await target('handed over', inboxA, team1, other, false);
    const [narrowSocket, wideSocket] = await Promise.all([connectAgent(t.url, narrow.token), connectAgent(t.url, wide.token)]);
    const got = { narrow: [] as Array<[string, Record<string, unknown>]>, wide: [] as Array<[string, Record<string, unknown>]> };
    narrowSocket.onAny((event: string, payload: Record<string, unknown>) => got.narrow.push([event, payload]));
    wideSocket.onAny((event: string, payload: Record<string, unknown>) => got.wide.push([event, payload]));
    try {
      await api(`/conversations/${x.id}/assign`, admin.token, { body: { teamId: team2 } });
      const hidden = await eventually(() => got.narrow.find(([e]) => e === 'conversation.hidden'), { what: 'the old team hears it left' });
      expect(Object.keys(hidden[1]).sort()).toEqual(['conversationId', 'eventId', 'inboxId', 'type']);
      await eventually(() => got.wide.find(([e, p]) => e === 'conversation.updated' && (p.conversation as { id: string }).id === x.id), { what: 'the inbox hears the change' });
      expect(got.narrow.filter(([e]) => e === 'conversation.updated')).toEqual([]);
      expect(got.wide.filter(([e]) => e === 'conversation.hidden')).toEqual([]);
    } finally {
      narrowSocket.disconnect();
      wideSocket.disconnect();
    }
  });
});

describe('an admin with a custom role', () => {
  it('is what the custom role makes them: not assignable outside their inboxes when it sees only its own', async () => {
    const row = await createAgent(t.prisma, { role: 'admin', name: 'Narrow Admin' });
    const roles = (await api('/roles', admin.token)).body.data as Array<{ id: string; name: string }>;
    expect((await api(`/agents/${row.id}`, admin.token, { method: 'PATCH', body: { customRoleId: roles.find((r) => r.name === 'Own viewer')!.id, inboxIds: [inboxA] } })).status).toBe(200);
    const elsewhere = targets.find((x) => x.label === 'another inbox, team one')!;
    const refused = await api(`/conversations/${elsewhere.id}/assign`, admin.token, { body: { assigneeId: row.id } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/not a member/);
    const token = await login(t.url, row.email);
    expect((await api('/inboxes', token)).body.data.map((i: { id: string }) => i.id)).toEqual([inboxA]);
    expect((await api(`/conversations/${elsewhere.id}`, token)).status).toBe(404);
  });
});
