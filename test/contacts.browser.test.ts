// Contacts in Chromium: an agent finds a customer by the last digits of their phone, sees them
// on every channel, and sets a custom attribute; a value that does not fit is refused with why.
// An admin reviews a duplicate with its evidence, merges it and undoes the merge; then exports
// everything held about the customer and erases them.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app';
import { launchBrowser, logIn, screenshot } from './helpers/browser';
import { createAgent, createInbox, PASSWORD } from './helpers/fixtures';
import { login, request } from './helpers/http';

let t: TestApp;
let browser: Browser;
let page: Page;
let adminToken: string;
let adminEmail: string;
const POLL = { timeout: 15_000 };

beforeAll(async () => {
  t = await startTestApp();
  adminEmail = (await createAgent(t.prisma, { role: 'admin', name: 'Ada Admin' })).email;
  const admin = await login(t.url, adminEmail);
  adminToken = admin;
  const agent = await createAgent(t.prisma, { name: 'Cora Contacts' });
  const { inbox } = await createInbox(t.prisma, { kind: 'sms', memberIds: [agent.id], config: { phoneNumber: '+14155550100', accountSid: `AC${'0'.repeat(32)}` } });
  await request(`${t.url}/api/v1/contact-attributes`, { token: admin, body: { key: 'plan', label: 'Plan', type: 'list', options: ['free', 'pro'] } });
  await request(`${t.url}/api/v1/contact-attributes`, { token: admin, body: { key: 'seats', label: 'Seats', type: 'number' } });
  // One person on three channels, with a conversation the agent sees.
  const put = (kind: string, address: string) => request(`${t.url}/api/v1/contacts/by-identity/${kind}/${encodeURIComponent(address)}`, { token: admin, method: 'PUT', body: { name: 'Lena Park' } });
  const contactId = (await put('phone', '+1 415 555 0199')).body.contact.id as string;
  await t.prisma.contactIdentity.createMany({ data: [{ contactId, kind: 'email', address: 'lena@park.example' }, { contactId, kind: 'twitter', address: 'lenapark' }] });
  expect((await request(`${t.url}/api/v1/conversations`, { token: admin, body: { inboxId: inbox.id, to: { phone: '+14155550199' }, text: 'Your order shipped.' } })).status).toBe(201);
  browser = await launchBrowser();
  page = await (await browser.newContext()).newPage();
  await logIn(page, t.url, agent.email, PASSWORD);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('contacts in the app', () => {
  it('finds a customer by phone, shows every channel, and edits an attribute', async () => {
    await page.getByRole('link', { name: 'Contacts' }).click();
    await page.getByRole('searchbox', { name: 'Search contacts' }).fill('555 0199');
    const found = page.getByRole('region', { name: 'Contacts found' }).getByRole('button', { name: 'Lena Park' });
    await expect.poll(() => found.count(), POLL).toBe(1);
    await found.click();
    const profile = page.getByRole('region', { name: 'Contact profile' });
    await expect.poll(async () => (await profile.innerText()).includes('lena@park.example'), POLL).toBe(true);
    expect(await profile.innerText()).toMatch(/\+14155550199[\s\S]*lenapark/);
    expect(await profile.innerText()).toContain('Your order shipped.');
    await profile.getByLabel('Seats').fill('many');
    await profile.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => profile.getByRole('alert').innerText(), POLL).toMatch(/Seats must be a number/);
    await profile.getByLabel('Seats').fill('12');
    await profile.getByLabel('Plan').selectOption('pro');
    await profile.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => profile.getByRole('status').count(), POLL).toBe(1);
    const stored = await t.prisma.contact.findFirstOrThrow({ where: { name: 'Lena Park' } });
    expect(stored.attributes).toEqual({ plan: 'pro', seats: 12 });
    await screenshot(page, 'contacts-profile');
  });

  it('lets an admin merge a duplicate with its evidence shown, undo it, export and erase', async () => {
    // The shop's CRM knows Lena by name and the same number.
    const crm = await t.prisma.contact.create({ data: { name: 'Lena Park', phone: '+14155550199', identities: { create: { kind: 'api', address: 'crm-lena-7' } } } });
    expect((await request(`${t.url}/api/v1/contacts/suggestions/scan`, { token: adminToken, method: 'POST' })).body.suggested).toBeGreaterThanOrEqual(1);
    const admin = await (await browser.newContext({ acceptDownloads: true })).newPage();
    await logIn(admin, t.url, adminEmail, PASSWORD);
    await admin.getByRole('link', { name: 'Contacts' }).click();
    await admin.getByRole('tab', { name: 'Duplicates' }).click();
    const pair = admin.getByRole('article', { name: /Possible duplicate: Lena Park \/ Lena Park/ });
    await expect.poll(() => pair.count(), POLL).toBe(1);
    expect(await pair.getByRole('list', { name: 'Evidence' }).innerText()).toContain('Same phone number: +14155550199');
    await screenshot(admin, 'contacts-duplicate');
    await pair.getByRole('button', { name: 'Merge' }).click();
    const merged = admin.getByRole('status').filter({ hasText: 'Merged' });
    await expect.poll(() => merged.count(), POLL).toBe(1);
    await expect.poll(() => t.prisma.contact.count({ where: { name: 'Lena Park' } }), POLL).toBe(1);
    await merged.getByRole('button', { name: 'Undo merge' }).click();
    await expect.poll(() => t.prisma.contact.count({ where: { name: 'Lena Park' } }), POLL).toBe(2);
    expect(await t.prisma.contactIdentity.findUniqueOrThrow({ where: { kind_address: { kind: 'api', address: 'crm-lena-7' } } })).toMatchObject({ contactId: crm.id });

    // Export, then erase, the customer the agent wrote to.
    await admin.getByRole('tab', { name: 'All contacts' }).click();
    await admin.getByRole('searchbox', { name: 'Search contacts' }).fill('lena@park');
    const lena = admin.getByRole('region', { name: 'Contacts found' }).getByRole('button', { name: 'Lena Park' });
    await expect.poll(() => lena.count(), POLL).toBe(1);
    await lena.click();
    const profile = admin.getByRole('region', { name: 'Contact profile' });
    const [download] = await Promise.all([admin.waitForEvent('download'), profile.getByRole('link', { name: 'Export everything (zip)' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^contact-.*\.zip$/);
    const bytes = await download.createReadStream().then(async (stream) => {
      const chunks: Buffer[] = [];
      for await (const c of stream) chunks.push(c as Buffer);
      return Buffer.concat(chunks);
    });
    expect(bytes.subarray(0, 2).toString()).toBe('PK');
    admin.once('dialog', (d) => void d.accept());
    await profile.getByRole('button', { name: 'Erase this person…' }).click();
    await expect.poll(() => admin.getByRole('status').filter({ hasText: 'Erased:' }).count(), POLL).toBe(1);
    await screenshot(admin, 'contacts-erased');
    await admin.getByRole('searchbox', { name: 'Search contacts' }).fill('lena@park');
    await expect.poll(() => admin.getByRole('region', { name: 'Contacts found' }).getByRole('button', { name: 'Lena Park' }).count(), POLL).toBe(0);
    expect(await t.prisma.contactIdentity.count({ where: { address: 'lena@park.example' } })).toBe(0);
    expect(await t.prisma.auditEvent.count({ where: { type: { in: ['contact.exported', 'contact.erased', 'contact.merged', 'contact.unmerged'] } } })).toBe(4);
  });
});
