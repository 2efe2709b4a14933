// The agent lifecycle in Chromium: an admin invites someone from Settings, the invitation link
// sets their password, they turn on two-factor login in Account, and the next login asks for
// the code; a recovery code shown once also lets them in.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app';
import { launchBrowser, logIn, screenshot } from './helpers/browser';
import { createAgent, PASSWORD } from './helpers/fixtures';
import { login, request } from './helpers/http';
import { totpNow } from '../src/inbox/agents/two-factor';

let t: TestApp;
let browser: Browser;
const POLL = { timeout: 15_000 };
const NEW_PASSWORD = 'staple-orbit-velvet-92';

beforeAll(async () => {
  t = await startTestApp();
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function logInWithCode(page: Page, email: string, password: string, code: string) {
  await page.goto(t.url);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByLabel('Code from your authenticator app').fill(code);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
}

describe('invitations and two-factor login in the app', () => {
  it('invites from Settings; the link sets the password; two-factor login asks for the code', async () => {
    const admin = await createAgent(t.prisma, { role: 'admin' });
    const adminPage = await (await browser.newContext()).newPage();
    await logIn(adminPage, t.url, admin.email, PASSWORD);
    await adminPage.getByRole('link', { name: 'Settings' }).click();
    const invite = adminPage.getByRole('form', { name: 'Invite' });
    await invite.getByLabel('Name').fill('Ivo Invited');
    await invite.getByLabel('Email').fill('ivo@acme.test');
    await invite.getByRole('button', { name: 'Invite' }).click();
    const shown = adminPage.getByRole('status').filter({ hasText: 'Send this link to ivo@acme.test' });
    await expect.poll(() => shown.count(), POLL).toBe(1);
    const link = /(http\S+\/invite#\S+)/.exec(await shown.innerText())![1]!;

    const page = await (await browser.newContext()).newPage();
    await page.goto(link);
    await expect.poll(() => page.getByText('Welcome, Ivo Invited').count(), POLL).toBe(1);
    await page.getByLabel('New password').fill('password123');
    await page.getByRole('button', { name: 'Choose your password' }).click();
    await expect.poll(() => page.getByRole('alert').innerText(), POLL).toMatch(/leaked/);
    await page.getByLabel('New password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Choose your password' }).click();
    await page.getByRole('link', { name: 'Go to the login' }).click();
    await logIn(page, t.url, 'ivo@acme.test', NEW_PASSWORD);

    await page.getByRole('link', { name: 'Account' }).click();
    const twoFactor = page.getByRole('region', { name: 'Two-factor login' });
    await twoFactor.getByRole('button', { name: 'Set up' }).click();
    const secret = await twoFactor.locator('code').innerText();
    await twoFactor.getByLabel('Code from your authenticator app').fill(totpNow(secret));
    await twoFactor.getByRole('button', { name: 'Turn on' }).click();
    await expect.poll(() => twoFactor.innerText(), POLL).toMatch(/On: logging in needs a code/);
    const codes = (await twoFactor.locator('pre').innerText()).split('\n');
    expect(codes).toHaveLength(10);
    await screenshot(page, 'account-two-factor');

    await page.getByRole('button', { name: 'Log out' }).click();
    await logInWithCode(page, 'ivo@acme.test', NEW_PASSWORD, totpNow(secret));
    await page.getByRole('button', { name: 'Log out' }).click();
    await logInWithCode(page, 'ivo@acme.test', NEW_PASSWORD, codes[0]!);
  });
});

describe('roles in the app', () => {
  it('builds a custom role in Settings, gives it to an agent, and their app follows it', async () => {
    const admin = await createAgent(t.prisma, { role: 'admin', name: 'Rhea Roles' });
    const worker = await createAgent(t.prisma, { name: 'Nico Notes' });
    const adminPage = await (await browser.newContext()).newPage();
    await logIn(adminPage, t.url, admin.email, PASSWORD);
    await adminPage.getByRole('link', { name: 'Settings' }).click();
    const form = adminPage.getByRole('form', { name: 'New role' });
    await form.getByLabel('Name').fill('Note taker');
    await form.getByLabel('Sees').selectOption('inbox');
    await form.getByLabel('Write private notes').check();
    await form.getByRole('button', { name: 'Add' }).click();
    const roles = adminPage.getByRole('region', { name: 'Roles' });
    await expect.poll(() => roles.getByRole('row').filter({ hasText: 'Note taker' }).count(), POLL).toBe(1);
    await adminPage.getByLabel('Role of Nico Notes').selectOption({ label: 'Note taker' });
    await expect.poll(async () => (await t.prisma.agent.findUniqueOrThrow({ where: { id: worker.id }, include: { customRole: true } })).customRole?.name ?? null, POLL).toBe('Note taker');
    await screenshot(adminPage, 'settings-roles');

    // Their app: no Settings, no Reports, no export; a conversation opens on a note.
    const inbox = await t.prisma.inbox.create({ data: { kind: 'api', name: 'Roles inbox', tokenHash: `x${Date.now()}`, config: {}, secretRefs: {}, members: { create: [{ agentId: worker.id }] } } });
    const started = await request(`${t.url}/api/v1/conversations`, { token: await login(t.url, admin.email), body: { inboxId: inbox.id, to: { email: 'rolecustomer@example.test', name: 'Role Customer' }, text: 'Hello from us' } });
    expect(started.status).toBe(201);
    const page = await (await browser.newContext()).newPage();
    await logIn(page, t.url, worker.email, PASSWORD);
    expect(await page.getByRole('link', { name: 'Settings' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Reports' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Export CSV' }).count()).toBe(0);
    await page.getByText('Role Customer').first().click();
    await expect.poll(() => page.getByRole('tab', { name: 'Note' }).getAttribute('aria-selected'), POLL).toBe('true');
    expect(await page.getByRole('tab', { name: 'Reply' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Resolve' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Assign to me' }).count()).toBe(0);
    await screenshot(page, 'role-note-taker');
  });
});
