// An agent's life in the account, through the API as the app uses it: two-factor login with
// recovery codes, lockout, password change, invitation and reset links, session list and
// revoke, and deactivation cutting sessions and sockets at once and handing conversations back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import { startTestApp, type TestApp } from './helpers/app';
import { createAgent, createInbox, PASSWORD } from './helpers/fixtures';
import { connectAgent, eventually, login, nextEvent, request } from './helpers/http';
import { decryptSecret, totpNow } from '../src/inbox/agents/two-factor';
import { LOCK_AFTER } from '../src/inbox/agents/sessions';
import { Secret, TOTP } from 'otpauth';
import { MAIL_PASSWORD, startSmtpCapture } from './helpers/mail-servers';

let t: TestApp;
let admin: string;
const api = (p: string, token?: string, body?: unknown, method?: string) => request(`${t.url}/api/v1${p}`, { token, body, method });
const tryLogin = (email: string, password: string, code?: string) => api('/auth/login', undefined, { email, password, ...(code ? { code } : {}) });
const tokenOf = (link: string) => link.slice(link.indexOf('#') + 1);

beforeAll(async () => {
  t = await startTestApp();
  admin = await login(t.url, (await createAgent(t.prisma, { role: 'admin', name: 'Ada Admin' })).email);
});
afterAll(async () => t?.close());

describe('two-factor login', () => {
  it('refuses a login without the code, takes the app\u2019s code, and each recovery code once', async () => {
    const a = await createAgent(t.prisma);
    const token = await login(t.url, a.email);
    const setup = await api('/auth/2fa/setup', token, {});
    expect(setup.body.uri).toMatch(/^otpauth:\/\/totp\/.*secret=/);
    expect((await api('/auth/2fa/enable', token, { code: '000000' })).status).toBe(400);
    const enabled = await api('/auth/2fa/enable', token, { code: totpNow(setup.body.secret) });
    expect(enabled.status).toBe(200);
    const codes: string[] = enabled.body.recoveryCodes;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    // Kept encrypted, not as the secret itself.
    const stored = (await t.prisma.agent.findUniqueOrThrow({ where: { id: a.id } })).totpSecret!;
    expect(stored).not.toContain(setup.body.secret);
    expect(decryptSecret(t.app.services.config.appSecret, stored)).toBe(setup.body.secret);

    const without = await tryLogin(a.email, PASSWORD);
    expect(without.status).toBe(401);
    expect(without.body.error.code).toBe('two_factor_required');
    expect((await tryLogin(a.email, PASSWORD, '123456')).body.error.code).toBe('two_factor_wrong');
    const now = totpNow(setup.body.secret);
    expect((await tryLogin(a.email, PASSWORD, now)).status).toBe(200);
    // Good once: seen over a shoulder, the same code does not log in again within its 30 seconds.
    expect((await tryLogin(a.email, PASSWORD, now)).body.error.code).toBe('two_factor_wrong');
    const next = new TOTP({ secret: Secret.fromBase32(setup.body.secret) }).generate({ timestamp: Date.now() + 30_000 });
    expect((await tryLogin(a.email, PASSWORD, next)).status).toBe(200);
    expect((await tryLogin(a.email, PASSWORD, codes[3]!.toUpperCase())).status).toBe(200);
    expect((await tryLogin(a.email, PASSWORD, codes[3]!)).body.error.code).toBe('two_factor_wrong');
    expect((await tryLogin(a.email, PASSWORD, codes[4]!)).status).toBe(200);
    // A wrong password stays "email or password is wrong", code or not.
    expect((await tryLogin(a.email, 'not-the-password', totpNow(setup.body.secret))).body.error.message).toBe('Email or password is wrong');
    expect((await api('/auth/2fa/disable', token, { password: 'wrong' })).status).toBe(401);
    expect((await api('/auth/2fa/disable', token, { password: PASSWORD })).status).toBe(200);
    expect((await tryLogin(a.email, PASSWORD)).status).toBe(200);
  });
});

describe('lockout and passwords', () => {
  it('locks an account after repeated failures, even for the right password, until the lock ends', async () => {
    const a = await createAgent(t.prisma);
    for (let i = 0; i < LOCK_AFTER; i++) expect((await tryLogin(a.email, `wrong-${i}`)).status).toBe(401);
    const locked = await t.prisma.agent.findUniqueOrThrow({ where: { id: a.id } });
    expect(locked.lockedUntil!.getTime()).toBeGreaterThan(Date.now());
    expect((await tryLogin(a.email, PASSWORD)).status).toBe(429);
    await t.prisma.agent.update({ where: { id: a.id }, data: { lockedUntil: new Date(Date.now() - 1_000) } });
    expect((await t.app.services.sessions.login({ email: a.email, password: PASSWORD })).agent.id).toBe(a.id);
  });

  it('changes a password under the policy and ends the other sessions, not this one', async () => {
    const a = await createAgent(t.prisma);
    const here = await login(t.url, a.email);
    const elsewhere = await login(t.url, a.email);
    expect((await api('/auth/password', here, { currentPassword: 'wrong', newPassword: 'staple-orbit-velvet-92' })).status).toBe(401);
    const weak = await api('/auth/password', here, { currentPassword: PASSWORD, newPassword: 'password123' });
    expect(weak.status).toBe(400);
    expect(weak.body.error.message).toMatch(/leaked/);
    expect((await api('/auth/password', here, { currentPassword: PASSWORD, newPassword: 'staple-orbit-velvet-92' })).status).toBe(200);
    expect((await api('/auth/me', here)).status).toBe(200);
    expect((await api('/auth/me', elsewhere)).status).toBe(401);
    expect((await tryLogin(a.email, 'staple-orbit-velvet-92')).status).toBe(200);
  });

  it('lists the sessions with the current one marked, and ends another', async () => {
    const a = await createAgent(t.prisma);
    const one = await login(t.url, a.email);
    const two = await login(t.url, a.email);
    const list = await api('/auth/sessions', one);
    expect(list.body.data).toHaveLength(2);
    const other = list.body.data.find((x: { current: boolean }) => !x.current);
    expect((await api(`/auth/sessions/${other.id}`, one, undefined, 'DELETE')).status).toBe(200);
    expect((await api('/auth/me', two)).status).toBe(401);
    expect((await api('/auth/me', one)).status).toBe(200);
  });
});

describe('invitations and reset links', () => {
  it('invites by a signed link that sets the password once', async () => {
    const r = await api('/agents/invitations', admin, { email: 'New.Person@acme.test', name: 'Nia New', role: 'agent' });
    expect(r.status).toBe(201);
    expect(r.body.link).toMatch(new RegExp(`^${t.url}/invite#`));
    const token = tokenOf(r.body.link);
    expect((await api(`/auth/invitation?token=${encodeURIComponent(token)}`)).body).toMatchObject({ email: 'new.person@acme.test', name: 'Nia New', role: 'agent' });
    expect((await api('/auth/invitation', undefined, { token: `${token.slice(0, -2)}xx`, password: 'staple-orbit-velvet-92' })).status).toBe(400);
    expect((await api('/auth/invitation', undefined, { token, password: 'short' })).status).toBe(400);
    expect((await api('/auth/invitation', undefined, { token, password: 'staple-orbit-velvet-92' })).status).toBe(201);
    expect((await api('/auth/invitation', undefined, { token, password: 'staple-orbit-velvet-93' })).status).toBe(409);
    expect((await tryLogin('new.person@acme.test', 'staple-orbit-velvet-92')).status).toBe(200);
    expect((await api('/agents/invitations', admin, { email: 'new.person@acme.test', name: 'Again' })).status).toBe(409);
    const agent = await login(t.url, (await createAgent(t.prisma)).email);
    expect((await api('/agents/invitations', agent, { email: 'x@acme.test', name: 'X' })).status).toBe(403);
  });

  it('invites with a custom role, which the person has on accepting', async () => {
    const role = await api('/roles', admin, { name: 'Night shift', visibility: 'team', permissions: ['conversations.reply', 'conversations.note'] });
    expect(role.status).toBe(201);
    expect((await api('/agents/invitations', admin, { email: 'owl@acme.test', name: 'Ola Owl', customRoleId: crypto.randomUUID() })).status).toBe(404);
    const r = await api('/agents/invitations', admin, { email: 'owl@acme.test', name: 'Ola Owl', customRoleId: role.body.id });
    const token = tokenOf(r.body.link);
    expect((await api(`/auth/invitation?token=${encodeURIComponent(token)}`)).body).toMatchObject({ role: 'Night shift' });
    expect((await api('/auth/invitation', undefined, { token, password: 'staple-orbit-velvet-92' })).status).toBe(201);
    const me = await api('/auth/me', await login(t.url, 'owl@acme.test', 'staple-orbit-velvet-92'));
    expect(me.body).toMatchObject({ role: { name: 'Night shift', custom: true, visibility: 'team' }, permissions: ['conversations.reply', 'conversations.note'] });
  });

  it('resets a password with an admin\u2019s link, once, ending every session', async () => {
    const a = await createAgent(t.prisma);
    const session = await login(t.url, a.email);
    const r = await api(`/agents/${a.id}/password-reset`, admin, {});
    const token = tokenOf(r.body.link);
    expect((await api('/auth/password-reset', undefined, { token, password: 'orbit-velvet-staple-77' })).status).toBe(200);
    expect((await api('/auth/me', session)).status).toBe(401);
    expect((await tryLogin(a.email, 'orbit-velvet-staple-77')).status).toBe(200);
    const again = await api('/auth/password-reset', undefined, { token, password: 'orbit-velvet-staple-78' });
    expect(again.status).toBe(410);
  });
});

describe('deactivation', () => {
  it('cuts the agent\u2019s sessions and sockets at once, refuses them, and hands their conversations back', async () => {
    const a = await createAgent(t.prisma, { name: 'Dee Parted' });
    const { inbox, token: inboxToken } = await createInbox(t.prisma, { memberIds: [a.id] });
    await request(`${t.url}/api/v1/inboxes/${inbox.id}/messages`, { token: inboxToken, body: { externalId: 'dp-1', from: { email: 'c@example.com' }, text: 'Help please' } });
    const m = await eventually(() => t.prisma.message.findFirst({ where: { externalId: 'dp-1' } }));
    const session = await login(t.url, a.email);
    expect((await api(`/conversations/${m!.conversationId}/assign`, session, { assigneeId: 'me' })).status).toBe(200);
    const socket = await connectAgent(t.url, session);
    const cut = nextEvent(socket, 'disconnect');

    const r = await api(`/agents/${a.id}/deactivate`, admin, {});
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ handedBack: 1 });
    expect(await cut).toBe('io server disconnect');
    expect((await api('/auth/me', session)).status).toBe(401);
    const refused = await tryLogin(a.email, PASSWORD);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('deactivated');
    await expect(new Promise((resolve, reject) => {
      const s = io(`${t.url}/agents`, { auth: { token: session }, transports: ['websocket'], reconnection: false, forceNew: true });
      s.once('connect', () => resolve(s));
      s.once('connect_error', (err) => reject(err));
    })).rejects.toThrow('unauthorized');
    const conversation = await t.prisma.conversation.findUniqueOrThrow({ where: { id: m!.conversationId } });
    expect(conversation.assigneeId).toBeNull();
    const line = await t.prisma.message.findFirst({ where: { conversationId: m!.conversationId, direction: 'activity' }, orderBy: { createdAt: 'desc' } });
    expect(line!.text).toMatch(/Dee Parted was deactivated/);
    // History keeps their name; they cannot be given work; an admin can bring them back.
    expect((await api(`/conversations/${m!.conversationId}/assign`, admin, { assigneeId: a.id })).body.error.message).toMatch(/deactivated/);
    expect((await api(`/agents/${(await t.prisma.agent.findFirstOrThrow({ where: { name: 'Ada Admin' } })).id}/deactivate`, admin, {})).status).toBe(400);
    expect((await api(`/agents/${a.id}/reactivate`, admin, {})).status).toBe(200);
    expect((await tryLogin(a.email, PASSWORD)).status).toBe(200);
  });
});

describe('cross-site requests', () => {
  it('refuses a change made with the session cookie from another site, and allows our own pages and tokens', async () => {
    const a = await createAgent(t.prisma);
    const token = await login(t.url, a.email);
    const withCookie = (headers: Record<string, string>) =>
      fetch(`${t.url}/api/v1/agents/me/availability`, { method: 'POST', headers: { cookie: `inbox_session=${token}`, 'content-type': 'application/json', ...headers }, body: JSON.stringify({ availability: 'online' }) });
    const evil = await withCookie({ origin: 'https://evil.example' });
    expect(evil.status).toBe(403);
    expect(((await evil.json()) as { error: { message: string } }).error.message).toMatch(/another site/);
    expect((await withCookie({ 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await withCookie({ origin: t.url, 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    expect((await withCookie({})).status).toBe(200);
    // Reading is not a change; a bearer token is never sent by a browser on its own.
    expect((await fetch(`${t.url}/api/v1/auth/me`, { headers: { cookie: `inbox_session=${token}`, origin: 'https://evil.example' } })).status).toBe(200);
    expect((await request(`${t.url}/api/v1/agents/me/availability`, { token, body: { availability: 'online' }, headers: { origin: 'https://evil.example' } })).status).toBe(200);
  });
});

describe('forgot password', () => {
  it('mails a reset link to an agent who asks, answers anyone else the same, and limits the asking', async () => {
    const smtp = await startSmtpCapture();
    const app = await startTestApp({ env: { SYSTEM_SMTP_URL: `smtp://inbox:${MAIL_PASSWORD}@127.0.0.1:${smtp.port}`, SYSTEM_MAIL_FROM: 'Inbox <no-reply@acme.test>' } });
    try {
      const a = await createAgent(app.prisma, { name: 'Fay Forgetful', email: 'fay@acme.test' });
      const ask = (email: string, ip = '10.0.0.1') => request(`${app.url}/api/v1/auth/password-reset/request`, { body: { email }, headers: { 'x-forwarded-for': ip } });
      const known = await ask('Fay@Acme.test');
      const unknown = await ask('nobody@acme.test');
      expect([known.status, unknown.status]).toEqual([202, 202]);
      expect(unknown.body).toEqual(known.body);
      const mail = await eventually(() => smtp.mails.find((m) => m.envelope.to.includes('fay@acme.test')), { what: 'the reset mail' });
      const link = /(http\S+\/reset#\S+)/.exec(mail.parsed.text ?? '')![1]!;
      expect(mail.parsed.from?.text).toContain('no-reply@acme.test');
      const reset = await request(`${app.url}/api/v1/auth/password-reset`, { body: { token: tokenOf(link), password: 'staple-orbit-velvet-92' } });
      expect(reset.status).toBe(200);
      expect((await request(`${app.url}/api/v1/auth/login`, { body: { email: a.email, password: 'staple-orbit-velvet-92' } })).status).toBe(200);
      // Only the one mail: none went to the unknown address.
      expect(smtp.mails.map((m) => m.envelope.to).flat()).toEqual(['fay@acme.test']);
      // Three asks per address and IP per quarter hour.
      expect((await ask('fay@acme.test')).status).toBe(202);
      expect((await ask('fay@acme.test')).status).toBe(202);
      expect((await ask('fay@acme.test')).status).toBe(429);
      // In the agent's language and time zone when they chose them (Account).
      await createAgent(app.prisma, { name: 'Gerda Vergesslich', email: 'gerda@acme.test' });
      await app.prisma.agent.update({ where: { email: 'gerda@acme.test' }, data: { locale: 'de', timeZone: 'Europe/Berlin' } });
      expect((await ask('gerda@acme.test', '10.0.0.2')).status).toBe(202);
      const german = await eventually(() => smtp.mails.find((m) => m.envelope.to.includes('gerda@acme.test')), { what: 'the German reset mail' });
      expect(german.parsed.subject).toBe('Neues Passwort wählen');
      expect(german.parsed.text).toMatch(/^Hallo Gerda Vergesslich,\n\njemand .* vor \S+, \d+\. \S+ \d{4} um \d\d:\d\d MES?Z:/);
      expect(mail.parsed.subject).toBe('Choose a new password');
    } finally {
      await app.close();
      await smtp.stop();
    }
  });

  it('says plainly when reset by email is not set up, whatever the address', async () => {
    const r = await api('/auth/password-reset/request', undefined, { email: 'anyone@acme.test' });
    expect(r.status).toBe(503);
    expect(r.body.error.code).toBe('not_configured');
  });
});
