// The agent app with the Meta channels, in Chromium against the real product and stand-ins of
// Meta's Graph API and X: a WhatsApp conversation whose 24-hour window closed says so in the
// composer and offers only the inbox's approved templates (parameters filled, the text the
// customer gets shown, sent as the template); the Community view lists an Instagram comment
// beside an X post, and from its conversation the comment is hidden and answered privately.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metaSignature } from '../src/connectors/whatsapp';
import { startTestApp, type TestApp } from './helpers/app';
import { launchBrowser, logIn, screenshot } from './helpers/browser';
import { createAgent, PASSWORD } from './helpers/fixtures';
import { startFakeMeta, type FakeMeta } from './helpers/fake-meta';
import { startFakeX, type FakeX } from './helpers/fake-x';
import { eventually, login, request } from './helpers/http';
import { IG_PAGE, FB_PAGE, META, createMetaInboxes, igComment, postMeta } from './helpers/meta-inboxes';
import { BRAND_ID, createXInbox } from './helpers/x-inbox';

const PNID = '106540352242922';
const POLL = { timeout: 15_000 };
let t: TestApp;
let meta: FakeMeta;
let x: FakeX;
let browser: Browser;
let adaEmail: string;
let admin: string;

beforeAll(async () => {
  meta = await startFakeMeta({ token: META.token, phoneNumberId: PNID, pageIds: [IG_PAGE, FB_PAGE] });
  meta.objects.set('17900000000000042', { permalink: 'https://www.instagram.com/p/C0ffee42/', like_count: 1200, comments_count: 87 });
  x = await startFakeX({ brandId: BRAND_ID, brandHandle: 'acme' });
  x.users.set('88', { id: '88', username: 'max_travels', name: 'Max', followers: 48_000 });
  t = await startTestApp({ env: { META_GRAPH_URL: meta.apiUrl, TWITTER_API_URL: x.apiUrl, ROUTING_DEFAULTS: 'false' } });
  const ada = await createAgent(t.prisma, { role: 'admin', name: 'Ada Admin' });
  adaEmail = ada.email;
  admin = await login(t.url, ada.email);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
  await meta?.stop();
  await x?.stop();
});

describe('Meta channels in the agent app', () => {
  it('shows the closed WhatsApp window in the composer and sends the approved template chosen', async () => {
    Object.assign(process.env, { TEST_META_TOKEN: META.token, TEST_META_SECRET: META.appSecret, TEST_META_VERIFY: META.verify });
    const wa = await request(`${t.url}/api/v1/inboxes`, {
      token: admin,
      body: {
        kind: 'whatsapp', name: 'Acme on WhatsApp',
        config: {
          phoneNumberId: PNID,
          templates: [
            { name: 'order_update', language: 'en_US', parameters: 2, text: 'Hi {{1}}, about your order {{2}}: we have news for you. Reply to this message to read it.' },
            { name: 'order_update', language: 'es', parameters: 2, text: 'Hola {{1}}, sobre tu pedido {{2}}: tenemos novedades. Responde a este mensaje para leerlas.' },
          ],
        },
        secretRefs: { accessToken: 'env:TEST_META_TOKEN', appSecret: 'env:TEST_META_SECRET', verifyToken: 'env:TEST_META_VERIFY' },
      },
    });
    expect(wa.status).toBe(201);
    const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'messages', value: { metadata: { phone_number_id: PNID }, contacts: [{ profile: { name: 'Nora Ibsen' }, wa_id: '14155550123' }], messages: [{ from: '14155550123', id: 'wamid.B1', timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: 'Where is my order 5120?' } }] } }] }] });
    expect((await fetch(`${t.url}/webhooks/whatsapp/${wa.body.id}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': metaSignature(META.appSecret, Buffer.from(body)) }, body })).status).toBe(200);
    const m = await eventually(() => t.prisma.message.findFirst({ where: { externalId: 'wamid.B1' } }), { what: 'stored' });
    // She wrote 27 hours ago; she reads Spanish (set on her contact).
    await t.prisma.message.update({ where: { id: m.id }, data: { sentAt: new Date(Date.now() - 27 * 3_600_000) } });
    await t.prisma.contact.update({ where: { id: m.contactId! }, data: { language: 'es' } });

    const page = await (await browser.newContext()).newPage();
    await logIn(page, t.url, adaEmail, PASSWORD);
    await page.locator(`[data-conversation-id="${m.conversationId}"]`).click();
    await page.getByRole('status').filter({ hasText: "WhatsApp's 24-hour window closed 3 hr ago: choose a template" }).waitFor(POLL);
    // No free-form reply: only the templates.
    expect(await page.locator('#composer-text').count()).toBe(0);
    const picker = page.getByRole('group', { name: 'Approved templates' });
    // Her language's version first, marked.
    const options = await picker.getByLabel('Template').locator('option').allTextContents();
    expect(options.slice(1)).toEqual(['order_update (Spanish) ★', 'order_update (American English)']);
    await picker.getByLabel('Template').selectOption({ index: 1 });
    expect(await picker.getByLabel('Parameter {{1}}').inputValue()).toBe('Nora');
    await picker.getByLabel('Parameter {{2}}').fill('5120');
    await picker.getByText('Hola Nora, sobre tu pedido 5120: tenemos novedades.').waitFor(POLL);
    await screenshot(page, 'whatsapp-template-picker');
    await picker.getByRole('button', { name: 'Send template' }).click();
    await page.getByRole('article').filter({ hasText: 'Hola Nora, sobre tu pedido 5120' }).waitFor(POLL);
    const sent = await eventually(() => meta.calls.find((c) => c.body?.template?.name === 'order_update'), { what: 'the template sent' });
    expect(sent.body.template.language).toEqual({ code: 'es' });
    expect(sent.body.template.components[0].parameters).toEqual([{ type: 'text', text: 'Nora' }, { type: 'text', text: '5120' }]);
    await screenshot(page, 'whatsapp-template-sent');
    await page.close();
  });

  it('lists an Instagram comment beside X posts in the Community view; hides it and answers it privately', async () => {
    await createXInbox(t, admin, x);
    await createMetaInboxes(t, admin);
    x.mentions.push({ id: '1950000000000000001', text: '@acme three weeks and still no refund. Shameful service.', author_id: '88', retweets: 9 });
    await eventually(() => t.prisma.message.findFirst({ where: { externalId: 'tweet:1950000000000000001' } }), { what: 'the X mention', timeoutMs: 15_000 });
    meta.comments.set('17850000000000101', { from: '6541234567890123', hidden: false });
    await postMeta(t, igComment({ id: '17850000000000101', from: '6541234567890123', username: 'lena.k', media: '17900000000000042', text: 'Third week waiting for my order. Terrible service @acme' }));
    const comment = await eventually(() => t.prisma.message.findFirst({ where: { externalId: '17850000000000101' } }), { what: 'the comment' });

    const page = await (await browser.newContext()).newPage();
    await logIn(page, t.url, adaEmail, PASSWORD);
    await page.getByRole('link', { name: 'Community' }).click();
    const stream = page.getByRole('list', { name: 'Community stream' });
    const instagram = stream.getByRole('listitem').filter({ hasText: '@lena.k' });
    const onX = stream.getByRole('listitem').filter({ hasText: '@max_travels' });
    await instagram.waitFor(POLL);
    await onX.waitFor(POLL);
    expect(await instagram.innerText()).toMatch(/Instagram/);
    expect(await instagram.innerText()).toMatch(/post: 1200 likes · 87 comments/);
    expect(await instagram.getByRole('link', { name: 'View on Instagram' }).getAttribute('href')).toBe('https://www.instagram.com/p/C0ffee42/');
    expect(await onX.innerText()).toMatch(/\bX\b/);
    await screenshot(page, 'community-instagram-beside-x');

    await instagram.getByRole('button', { name: 'Open' }).click();
    const article = page.locator(`[data-message-id="${comment.id}"]`);
    await article.getByRole('button', { name: 'Hide comment' }).click();
    await article.getByText('Hidden on the platform').waitFor(POLL);
    expect(meta.comments.get('17850000000000101')!.hidden).toBe(true);
    const panel = page.getByRole('region', { name: 'Reply privately' });
    await panel.getByLabel('Direct message to the commenter').fill('Hi Lena, could you send us your order number here?');
    await panel.getByRole('button', { name: 'Send privately' }).click();
    await panel.getByRole('status').filter({ hasText: 'Sent privately' }).waitFor(POLL);
    await eventually(() => meta.calls.find((c) => c.body?.recipient?.comment_id === '17850000000000101'), { what: 'the private reply' });
    await screenshot(page, 'instagram-comment-hidden-private-reply');
    await page.close();
  });
});
