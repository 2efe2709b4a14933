// WhatsApp Business against a stand-in of Meta's Graph API speaking the Cloud API's documented
// wire format: the subscription handshake; webhooks signed with the app secret accepted, forged
// ones refused with 403 and nothing stored, one delivered three times stored once; the customer
// known by SMS is the same contact, with both identities; text, image (downloadable), location;
// a reply inside the 24-hour window sent and moved sent → delivered → read by statuses; outside
// it refused at once with the reason and the templates, sent as a template when one is chosen
// (parameters checked), and an automatic message sent as the inbox's template; STOP honoured
// on WhatsApp (not on SMS) until START.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metaSignature } from '../src/connectors/whatsapp';
import { startTestApp, type TestApp } from './helpers/app';
import { startFakeMeta, type FakeMeta } from './helpers/fake-meta';
import { createAgent } from './helpers/fixtures';
import { eventually, login, request } from './helpers/http';

const TOKEN = 'EAAG-whatsapp-test-token';
const APP_SECRET = 'meta-app-secret-for-tests';
const VERIFY = 'verify-me-please';
const PNID = '106540352242922';
let t: TestApp;
let meta: FakeMeta;
let admin: string;
let inboxId: string;
let n = 0;
const api = (p: string, init: { method?: string; body?: unknown } = {}) => request(`${t.url}/api/v1${p}`, { token: admin, ...init });
const hook = (value: Record<string, unknown>) => ({
  object: 'whatsapp_business_account',
  entry: [{ id: '102290129340398', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '14155550100', phone_number_id: PNID }, ...value } }] }],
});
const message = (m: Record<string, unknown>, from = '14155550123') => hook({ contacts: [{ profile: { name: 'Nora Ibsen' }, wa_id: from }], messages: [{ from, id: `wamid.IN${++n}`, timestamp: String(Math.floor(Date.now() / 1000)), ...m }] });
async function post(body: unknown, signature?: string) {
  const raw = JSON.stringify(body);
  return fetch(`${t.url}/webhooks/whatsapp/${inboxId}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature ?? metaSignature(APP_SECRET, Buffer.from(raw)) }, body: raw });
}
const stored = (id: string) => eventually(() => t.prisma.message.findFirst({ where: { inboxId, externalId: id } }), { what: `${id} stored` });

beforeAll(async () => {
  meta = await startFakeMeta({ token: TOKEN, phoneNumberId: PNID });
  Object.assign(process.env, { TEST_WA_TOKEN: TOKEN, TEST_WA_APP_SECRET: APP_SECRET, TEST_WA_VERIFY: VERIFY });
  t = await startTestApp({ env: { META_GRAPH_URL: meta.apiUrl, ROUTING_DEFAULTS: 'false' } });
  admin = await login(t.url, (await createAgent(t.prisma, { role: 'admin', name: 'Ada Admin' })).email);
  const r = await api('/inboxes', {
    body: {
      kind: 'whatsapp', name: 'Acme on WhatsApp',
      config: { phoneNumberId: PNID, displayPhoneNumber: '+14155550100', templates: [
          { name: 'we_are_back', language: 'en_US', text: 'We replied to your message: open the chat to read it.' },
          { name: 'order_update', language: 'en_US', parameters: 2, text: 'Hi {{1}}, about your order {{2}}: we have news for you. Reply to this message to read it.' },
        ], automaticTemplate: 'we_are_back' },
      secretRefs: { accessToken: 'env:TEST_WA_TOKEN', appSecret: 'env:TEST_WA_APP_SECRET', verifyToken: 'env:TEST_WA_VERIFY' },
    },
  });
  expect(r.status).toBe(201);
  inboxId = r.body.id;
});
afterAll(async () => {
  await t?.close();
  await meta?.stop();
});

describe('WhatsApp channel', () => {
  it('answers the subscription handshake only with our verify token', async () => {
    const ok = await fetch(`${t.url}/webhooks/whatsapp/${inboxId}?hub.mode=subscribe&hub.verify_token=${VERIFY}&hub.challenge=1158201444`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    expect((await fetch(`${t.url}/webhooks/whatsapp/${inboxId}?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1`)).status).toBe(403);
  });

  it('stores a signed message once however often it comes, refuses a forged one, and knows the customer from SMS', async () => {
    // The same person texted us by SMS before: one contact.
    const known = await t.prisma.contact.create({ data: { name: 'Nora', phone: '+14155550123', identities: { create: { kind: 'phone', address: '+14155550123' } } } });
    const forged = message({ type: 'text', text: { body: 'forged' } });
    expect((await post(forged, 'sha256=0000')).status).toBe(403);
    expect((await post(forged, '')).status).toBe(403);
    // Signed but not a webhook: a clear 400, nothing stored.
    const junk = await post({ entry: 'nonsense' });
    expect(junk.status).toBe(400);
    expect(((await junk.json()) as { error: { message: string } }).error.message).toMatch(/"entry" must be a list/);
    const real = message({ type: 'text', text: { body: 'Hi, is my order 5120 on its way?' } });
    for (let i = 0; i < 3; i++) expect((await post(real)).status).toBe(200);
    const m = await stored(`wamid.IN${n}`);
    await new Promise((r) => setTimeout(r, 300));
    expect(await t.prisma.message.count({ where: { inboxId } })).toBe(1);
    expect(m.contactId).toBe(known.id);
    expect(m.text).toBe('Hi, is my order 5120 on its way?');
    // One contact with both identities: the number by SMS and on WhatsApp.
    const identities = await t.prisma.contactIdentity.findMany({ where: { contactId: known.id }, orderBy: { kind: 'asc' } });
    expect(identities.map((i) => [i.kind, i.address])).toEqual([['phone', '+14155550123'], ['whatsapp', '+14155550123']]);
  });

  it('keeps an image downloadable and reads a location', async () => {
    const bytes = Buffer.from('\x89PNG a tiny picture of a dented parcel', 'latin1');
    meta.media.set('1029384756', { mimeType: 'image/png', bytes });
    await post(message({ type: 'image', image: { id: '1029384756', mime_type: 'image/png', sha256: 'x', caption: 'It came like this' } }));
    const img = await stored(`wamid.IN${n}`);
    expect(img.text).toBe('It came like this');
    const [a] = await t.prisma.attachment.findMany({ where: { messageId: img.id } });
    const download = await fetch(`${t.url}/api/v1/attachments/${a!.id}`, { headers: { authorization: `Bearer ${admin}` } });
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
    await post(message({ type: 'location', location: { latitude: 38.7223, longitude: -9.1393, name: 'Home', address: 'Rua Augusta 1, Lisboa' } }));
    expect((await stored(`wamid.IN${n}`)).text).toBe('📍 Home, Rua Augusta 1, Lisboa (38.7223, -9.1393)');
  });

  it('sends a reply inside the window and follows its statuses to read', async () => {
    const { conversationId } = await stored('wamid.IN3');
    const reply = await api(`/conversations/${conversationId}/messages`, { body: { text: 'It ships tomorrow, Nora.' } });
    const call = await eventually(async () => meta.calls.find((c) => c.method === 'POST' && c.body?.text?.body === 'It ships tomorrow, Nora.'), { what: 'the reply sent' });
    expect(call.body).toMatchObject({ messaging_product: 'whatsapp', to: '14155550123', type: 'text' });
    const sent = await eventually(async () => {
      const m = await t.prisma.message.findUnique({ where: { id: reply.body.id } });
      return m?.externalId ? m : null;
    }, { what: 'the wamid recorded' });
    for (const status of ['delivered', 'read'] as const) {
      await post(hook({ statuses: [{ id: sent.externalId, status, timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: '14155550123' }] }));
      await eventually(async () => (await t.prisma.message.findUniqueOrThrow({ where: { id: reply.body.id } })).deliveryStatus === status || null, { what: `marked ${status}` });
    }
  });

  it('refuses a reply outside the 24-hour window at once with the reason, sends the template chosen, and an automatic one as the inbox\'s template', async () => {
    await post(message({ type: 'text', text: { body: 'Where is my refund?' } }, '14155550177'));
    const m = await stored(`wamid.IN${n}`);
    // The customer wrote 26 hours ago.
    await t.prisma.message.update({ where: { id: m.id }, data: { sentAt: new Date(Date.now() - 26 * 3_600_000) } });
    const rules = await api(`/conversations/${m.conversationId}/reply-rules`);
    expect(rules.body).toMatchObject({ channel: 'whatsapp', templateRequired: true, notice: "WhatsApp's 24-hour window closed 2 h ago: choose a template", window: { hours: 24, closesAt: null } });
    // The same as data, for the app to say in its agent's language.
    expect(rules.body.noticeKey).toEqual({ key: 'windowClosed', platform: 'WhatsApp', windowHours: 24, hours: 2, templates: true });
    expect(rules.body.templates.map((x: { name: string }) => x.name)).toEqual(['we_are_back', 'order_update']);
    const refused = await api(`/conversations/${m.conversationId}/messages`, { body: { text: 'Sorry for the wait!' } });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toBe("WhatsApp's 24-hour window closed 2 h ago: choose a template (we_are_back, order_update)");
    expect(await t.prisma.message.count({ where: { text: 'Sorry for the wait!' } })).toBe(0);
    // A note still goes in (it is not sent).
    expect((await api(`/conversations/${m.conversationId}/messages`, { body: { text: 'Refund is approved, tell her.', private: true } })).status).toBe(201);
    // Templates are checked: unknown, or the wrong number of parameters.
    expect((await api(`/conversations/${m.conversationId}/messages`, { body: { template: { name: 'made_up', parameters: [] } } })).body.error.message).toMatch(/No template "made_up" in this inbox: choose one of we_are_back, order_update/);
    expect((await api(`/conversations/${m.conversationId}/messages`, { body: { template: { name: 'order_update', parameters: ['Nora'] } } })).body.error.message).toBe('The template "order_update" takes 2 parameters, 1 given');
    expect((await api(`/conversations/${m.conversationId}/messages`, { body: { template: { name: 'order_update', language: 'fr', parameters: ['Nora', '5120'] } } })).body.error.message).toMatch(/^No template "order_update" in fr in this inbox/);
    const chosen = await api(`/conversations/${m.conversationId}/messages`, { body: { template: { name: 'order_update', parameters: ['Nora', '5120'] } } });
    expect(chosen.status).toBe(201);
    expect(chosen.body.text).toBe('Hi Nora, about your order 5120: we have news for you. Reply to this message to read it.');
    const sent = await eventually(async () => meta.calls.find((c) => c.method === 'POST' && c.body?.template?.name === 'order_update'), { what: 'the chosen template sent' });
    expect(sent.body).toMatchObject({ to: '14155550177', type: 'template' });
    expect(sent.body.template).toEqual({ name: 'order_update', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Nora' }, { type: 'text', text: '5120' }] }] });
    await eventually(async () => (await t.prisma.message.findUniqueOrThrow({ where: { id: chosen.body.id } })).deliveryStatus === 'sent' || null, { what: 'the template marked sent' });

    await t.app.services.replies.automatic(m.conversationId, { text: 'We answered you in the chat.', reason: 'test' });
    const template = await eventually(async () => meta.calls.find((c) => c.method === 'POST' && c.body?.to === '14155550177' && c.body?.template?.name === 'we_are_back'), { what: 'the automatic template sent' });
    expect(template.body.template).toEqual({ name: 'we_are_back', language: { code: 'en_US' } });
  });

  it('honours STOP on WhatsApp (not on SMS) until START', async () => {
    await post(message({ type: 'text', text: { body: 'Stop' } }, '14155550188'));
    const stop = await stored(`wamid.IN${n}`);
    const whatsapp = await t.prisma.contactIdentity.findUniqueOrThrow({ where: { kind_address: { kind: 'whatsapp', address: '+14155550188' } } });
    expect(whatsapp.optedOut).toBe(true);
    expect((await t.prisma.contactIdentity.findUniqueOrThrow({ where: { kind_address: { kind: 'phone', address: '+14155550188' } } })).optedOut).toBe(false);
    const reply = await api(`/conversations/${stop.conversationId}/messages`, { body: { text: 'Sorry to see you go' } });
    const failed = await eventually(async () => {
      const x = await t.prisma.message.findUniqueOrThrow({ where: { id: reply.body.id } });
      return x.deliveryStatus === 'failed' ? x : null;
    }, { what: 'refused after STOP' });
    expect(failed.deliveryError).toMatch(/\+14155550188 opted out on WhatsApp \(STOP\): nothing is sent there until they write START/);
    expect(meta.calls.some((c) => c.body?.text?.body === 'Sorry to see you go')).toBe(false);
    await post(message({ type: 'text', text: { body: 'START' } }, '14155550188'));
    await eventually(async () => (await t.prisma.contactIdentity.findUniqueOrThrow({ where: { id: whatsapp.id } })).optedOut === false || null, { what: 'opted in again' });
    await api(`/conversations/${stop.conversationId}/messages`, { body: { text: 'Welcome back' } });
    await eventually(() => meta.calls.find((c) => c.body?.text?.body === 'Welcome back'), { what: 'sent after START' });
  });

  it('refuses a template twice in one language, naming why, and creates nothing', async () => {
    const before = await t.prisma.inbox.count();
    const template = { name: 'order_update', language: 'es', parameters: 1, text: 'Hola {{1}}' };
    const r = await api('/inboxes', { body: { kind: 'whatsapp', name: 'Twice', config: { phoneNumberId: '123456789', templates: [template, { ...template, text: 'Hola otra vez {{1}}' }] } } });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body.error)).toContain('each template once per language');
    expect(await t.prisma.inbox.count()).toBe(before);
  });

  it('tests the connection with the token', async () => {
    const r = await api(`/inboxes/${inboxId}/test-connection`, { method: 'POST' });
    expect(r.body.checks[0]).toMatchObject({ ok: true, message: expect.stringContaining('Acme') });
  });
});
