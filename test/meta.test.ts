// Messenger and Instagram against a stand-in of Meta's Graph API speaking the Messenger
// Platform's documented wire format, through one webhook URL for the app: the subscription
// handshake; signed posts accepted and routed by page or account id, forged ones refused with
// 403 and nothing stored, each delivered three times stored once; DMs both ways (a photo kept
// in the attachment store, delivered → read); an Instagram comment as a public conversation
// with the post's link and reach, answered publicly in its thread and privately (the private
// reply opens the DM, both conversations linked, the customer's answer joins it); a hidden
// comment stays hidden; a Facebook page comment the same way; the messaging window.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app';
import { startFakeMeta, type FakeMeta } from './helpers/fake-meta';
import { createAgent } from './helpers/fixtures';
import { eventually, login, request } from './helpers/http';
import { FB_PAGE, IG_ACCOUNT, IG_PAGE, META, createMetaInboxes, dm, igComment, postMeta } from './helpers/meta-inboxes';

let t: TestApp;
let meta: FakeMeta;
let admin: string;
let inboxes: { instagram: string; messenger: string };
const api = (p: string, init: { method?: string; body?: unknown } = {}) => request(`${t.url}/api/v1${p}`, { token: admin, ...init });
const stored = (inboxId: string, externalId: string) => eventually(() => t.prisma.message.findFirst({ where: { inboxId, externalId } }), { what: `${externalId} stored` });
const LENA = '6541234567890123'; // her Instagram-scoped id

beforeAll(async () => {
  meta = await startFakeMeta({ token: META.token, pageIds: [IG_PAGE, FB_PAGE] });
  meta.objects.set(LENA, { name: 'Lena Kraus', username: 'lena.k' });
  meta.objects.set('17900000000000042', { permalink: 'https://www.instagram.com/p/C0ffee42/', like_count: 1200, comments_count: 87, insights: { data: [{ name: 'reach', values: [{ value: 52_000 }] }] } });
  meta.objects.set(IG_ACCOUNT, { username: 'acme' });
  t = await startTestApp({ env: { META_GRAPH_URL: meta.apiUrl, ROUTING_DEFAULTS: 'false' } });
  admin = await login(t.url, (await createAgent(t.prisma, { role: 'admin', name: 'Ada Admin' })).email);
  inboxes = await createMetaInboxes(t, admin);
});
afterAll(async () => {
  await t?.close();
  await meta?.stop();
});

describe('Messenger and Instagram', () => {
  it('answers the subscription handshake only with a verify token of ours', async () => {
    const ok = await fetch(`${t.url}/webhooks/meta?hub.mode=subscribe&hub.verify_token=${META.verify}&hub.challenge=424242`);
    expect([ok.status, await ok.text()]).toEqual([200, '424242']);
    expect((await fetch(`${t.url}/webhooks/meta?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1`)).status).toBe(403);
  });

  it('stores a signed Instagram DM once however often it comes, refuses a forged one, and replies in the thread', async () => {
    const forged = dm('instagram', { mid: 'aWdfZAG1forged', from: LENA, text: 'forged' });
    expect((await postMeta(t, forged, 'sha256=00')).status).toBe(403);
    expect((await postMeta(t, forged, '')).status).toBe(403);
    const junk = await postMeta(t, { object: 'instagram', entry: 'x' });
    expect(junk.status).toBe(400);
    // An account that is not one of our inboxes: nothing to store.
    const elsewhere = await postMeta(t, { ...dm('instagram', { mid: 'other-1', from: LENA, text: 'hi' }), entry: [{ id: '999999999', messaging: [] }] });
    expect(((await elsewhere.json()) as { ignored: number }).ignored).toBe(1);
    const real = dm('instagram', { mid: 'aWdfZAG1', from: LENA, text: 'Hi! My parcel 7731 is late, any news?' });
    for (let i = 0; i < 3; i++) expect((await postMeta(t, real)).status).toBe(200);
    const m = await stored(inboxes.instagram, 'aWdfZAG1');
    await new Promise((r) => setTimeout(r, 300));
    expect(await t.prisma.message.count({ where: { inboxId: inboxes.instagram } })).toBe(1);
    expect(await t.prisma.message.count({ where: { text: 'forged' } })).toBe(0);
    const contact = await t.prisma.contact.findUniqueOrThrow({ where: { id: m.contactId! }, include: { identities: true } });
    expect(contact.name).toBe('Lena Kraus');
    expect(contact.identities.map((i) => [i.kind, i.address])).toEqual([['instagram', LENA]]);

    const reply = await api(`/conversations/${m.conversationId}/messages`, { body: { text: 'It left our warehouse today, Lena.' } });
    expect(reply.status).toBe(201);
    const call = await eventually(() => meta.calls.find((c) => c.method === 'POST' && c.body?.message?.text === 'It left our warehouse today, Lena.'), { what: 'the DM sent' });
    expect(call.path).toBe(`/v21.0/${IG_PAGE}/messages`);
    expect(call.body).toMatchObject({ recipient: { id: LENA }, messaging_type: 'RESPONSE' });
    const sent = await eventually(async () => (await t.prisma.message.findUniqueOrThrow({ where: { id: reply.body.id } })).externalId, { what: 'the mid recorded' });
    await postMeta(t, { object: 'instagram', entry: [{ id: IG_ACCOUNT, messaging: [{ sender: { id: LENA }, recipient: { id: IG_ACCOUNT }, timestamp: Date.now(), read: { mid: sent } }] }] });
    await eventually(async () => (await t.prisma.message.findUniqueOrThrow({ where: { id: reply.body.id } })).deliveryStatus === 'read' || null, { what: 'marked read' });
  });

  it('makes an Instagram comment a public conversation with the post\'s link and reach, listed in the community stream', async () => {
    const c = igComment({ id: '17850000000000101', from: LENA, username: 'lena.k', media: '17900000000000042', text: 'Third week waiting for my order. Terrible service @acme' });
    for (let i = 0; i < 3; i++) expect((await postMeta(t, c)).status).toBe(200);
    const m = await stored(inboxes.instagram, '17850000000000101');
    await new Promise((r) => setTimeout(r, 300));
    expect(await t.prisma.message.count({ where: { externalId: '17850000000000101' } })).toBe(1);
    const conversation = await t.prisma.conversation.findUniqueOrThrow({ where: { id: m.conversationId } });
    expect(conversation).toMatchObject({ type: 'mention', threadKey: 'comment:17850000000000101' });
    expect(m.metadata).toMatchObject({ meta: { platform: 'instagram', url: 'https://www.instagram.com/p/C0ffee42/', reach: { likes: 1200, replies: 87, reach: 52_000 } } });
    // The same person as the DM: one contact.
    const first = await stored(inboxes.instagram, 'aWdfZAG1');
    expect(m.contactId).toBe(first.contactId);
    // A reply to the comment joins its thread.
    await postMeta(t, igComment({ id: '17850000000000102', from: LENA, username: 'lena.k', media: '17900000000000042', text: 'Still nothing.', parentId: '17850000000000101' }));
    expect((await stored(inboxes.instagram, '17850000000000102')).conversationId).toBe(m.conversationId);
    const stream = await eventually(async () => {
      const r = await api('/community/stream?status=all');
      return (r.body.data as Array<{ id: string; channel: string; url: string; reach: { likes: number } }>).find((x) => x.id === m.conversationId);
    }, { what: 'listed in the community stream' });
    expect(stream).toMatchObject({ channel: 'instagram', url: 'https://www.instagram.com/p/C0ffee42/', reach: { likes: 1200 } });
  });

  it('answers a comment publicly in its thread and privately in a DM, both conversations linked', async () => {
    meta.comments.set('17850000000000101', { from: LENA, hidden: false });
    const m = await stored(inboxes.instagram, '17850000000000101');
    const rules = await api(`/conversations/${m.conversationId}/reply-rules`);
    expect(rules.body).toMatchObject({ channel: 'instagram', maxLength: 2_200, notice: expect.stringContaining('public reply') });
    await api(`/conversations/${m.conversationId}/messages`, { body: { text: 'So sorry, Lena: we are on it.' } });
    const pub = await eventually(() => meta.calls.find((c) => c.body?.message === 'So sorry, Lena: we are on it.'), { what: 'the public reply' });
    expect(pub.path).toBe('/v21.0/17850000000000101/replies');

    // Her DM conversation exists (the first test): the private reply goes there, linked.
    const dmMessage = await stored(inboxes.instagram, 'aWdfZAG1');
    // The first comment of the thread (by default, the latest: her "Still nothing.").
    const r = await api(`/conversations/${m.conversationId}/private-reply`, { body: { text: 'Hi Lena, could you send us your order number here?', messageId: m.id } });
    expect(r.status).toBe(200);
    expect(r.body.conversation.id).toBe(dmMessage.conversationId);
    const priv = await eventually(() => meta.calls.find((c) => c.body?.recipient?.comment_id === '17850000000000101'), { what: 'the private reply' });
    expect(priv.path).toBe(`/v21.0/${IG_PAGE}/messages`);
    expect(priv.body.message.text).toBe('Hi Lena, could you send us your order number here?');
    const [mention, direct] = await Promise.all([m.conversationId, dmMessage.conversationId].map((id) => t.prisma.conversation.findUniqueOrThrow({ where: { id } })));
    expect(mention!.linkedConversationId).toBe(direct!.id);
    expect(direct!.linkedConversationId).toBe(mention!.id);
    // One private reply per comment.
    expect((await api(`/conversations/${m.conversationId}/private-reply`, { body: { text: 'again', messageId: m.id } })).status).toBe(409);
    // The latest comment is not in the platform's list: the platform refuses, the reason is on the message, and it may be tried again.
    const refused = await api(`/conversations/${m.conversationId}/private-reply`, { body: { text: 'Hi again' } });
    const failed = await eventually(async () => {
      const x = await t.prisma.message.findUniqueOrThrow({ where: { id: refused.body.message.id } });
      return x.deliveryStatus === 'failed' ? x : null;
    }, { what: 'the refused private reply' });
    expect(failed.deliveryError).toMatch(/replying privately on Instagram failed: HTTP 400: \(#100\) Invalid comment_id/);
    meta.comments.set('17850000000000102', { from: LENA, hidden: false });
    expect((await api(`/conversations/${m.conversationId}/private-reply`, { body: { text: 'Hi again' } })).status).toBe(200);
    await eventually(() => meta.calls.find((c) => c.body?.recipient?.comment_id === '17850000000000102'), { what: 'the second try' });
  });

  it('opens a new DM conversation by a private reply when there is none, and the customer\'s answer joins it', async () => {
    const OMAR = '6549999999999999';
    meta.comments.set('17850000000000201', { from: OMAR, hidden: false });
    await postMeta(t, igComment({ id: '17850000000000201', from: OMAR, username: 'omar.b', media: '17900000000000042', text: 'Your app keeps logging me out' }));
    const m = await stored(inboxes.instagram, '17850000000000201');
    const r = await api(`/conversations/${m.conversationId}/private-reply`, { body: { text: 'Hi Omar, which phone do you use?' } });
    expect(r.status).toBe(200);
    const directId = r.body.conversation.id as string;
    expect(directId).not.toBe(m.conversationId);
    // The send names the DM thread it opened.
    await eventually(async () => (await t.prisma.conversation.findUniqueOrThrow({ where: { id: directId } })).threadKey === `igsid:${OMAR}` || null, { what: 'the DM thread recorded' });
    await postMeta(t, dm('instagram', { mid: 'aWdfOMAR1', from: OMAR, text: 'An iPhone 15' }));
    const answer = await stored(inboxes.instagram, 'aWdfOMAR1');
    expect(answer.conversationId).toBe(directId);
    expect((await t.prisma.conversation.findUniqueOrThrow({ where: { id: directId } })).linkedConversationId).toBe(m.conversationId);
  });

  it('hides an abusive comment on the platform; it stays hidden when delivered again', async () => {
    meta.comments.set('17850000000000301', { from: '6540000000000301', hidden: false });
    const abusive = igComment({ id: '17850000000000301', from: '6540000000000301', username: 'troll_99', media: '17900000000000042', text: 'You are all idiots, this brand is a scam' });
    await postMeta(t, abusive);
    const m = await stored(inboxes.instagram, '17850000000000301');
    const hidden = await api(`/conversations/${m.conversationId}/messages/${m.id}/hidden`, { body: { hidden: true } });
    expect(hidden.status).toBe(200);
    expect(hidden.body.metadata).toMatchObject({ hidden: true, hiddenBy: 'Ada Admin' });
    expect(meta.comments.get('17850000000000301')!.hidden).toBe(true);
    expect(meta.calls.find((c) => c.path === '/v21.0/17850000000000301' && c.method === 'POST')!.body).toEqual({ hide: true });
    await postMeta(t, abusive);
    await new Promise((r) => setTimeout(r, 300));
    const again = await t.prisma.message.findMany({ where: { externalId: '17850000000000301' } });
    expect(again).toHaveLength(1);
    expect(again[0]!.metadata).toMatchObject({ hidden: true });
    expect(meta.comments.get('17850000000000301')!.hidden).toBe(true);
    // Not a comment (a DM): refused with the reason.
    const dmMessage = await stored(inboxes.instagram, 'aWdfZAG1');
    expect((await api(`/conversations/${dmMessage.conversationId}/messages/${dmMessage.id}/hidden`, { body: { hidden: true } })).status).toBe(400);
    // Shown again.
    expect((await api(`/conversations/${m.conversationId}/messages/${m.id}/hidden`, { body: { hidden: false } })).body.metadata.hidden).toBe(false);
    expect(meta.comments.get('17850000000000301')!.hidden).toBe(false);
  });

  it('carries Messenger: a photo kept, a page comment answered privately through the PSID the platform names', async () => {
    const PSID = '2400000000000001';
    meta.objects.set(PSID, { name: 'Sam Ortiz' });
    const photo = Buffer.from('\x89PNG a broken kettle', 'latin1');
    meta.cdn.set('kettle.png', { mimeType: 'image/png', bytes: photo });
    await postMeta(t, dm('messenger', { mid: 'm_SAM1', from: PSID, text: 'It arrived broken', attachments: [{ type: 'image', payload: { url: `${meta.apiUrl}/cdn/kettle.png` } }] }));
    const m = await stored(inboxes.messenger, 'm_SAM1');
    const [a] = await t.prisma.attachment.findMany({ where: { messageId: m.id } });
    const download = await fetch(`${t.url}/api/v1/attachments/${a!.id}`, { headers: { authorization: `Bearer ${admin}` } });
    expect(Buffer.from(await download.arrayBuffer()).equals(photo)).toBe(true);
    expect((await t.prisma.conversation.findUniqueOrThrow({ where: { id: m.conversationId } })).threadKey).toBe(`psid:${PSID}`);

    // A comment under the page's post: its author's id there is not their PSID.
    meta.objects.set(`${FB_PAGE}_555`, { permalink_url: 'https://www.facebook.com/acme/posts/555', reactions: { summary: { total_count: 310 } }, comments: { summary: { total_count: 41 } } });
    meta.comments.set(`555_901`, { from: '2400000000000777', hidden: false });
    const feed = { object: 'page', entry: [{ id: FB_PAGE, time: Date.now(), changes: [{ field: 'feed', value: { item: 'comment', verb: 'add', comment_id: '555_901', post_id: `${FB_PAGE}_555`, parent_id: `${FB_PAGE}_555`, from: { id: '9100000000000077', name: 'Jo Park' }, message: 'Still waiting for my refund!', created_time: Math.floor(Date.now() / 1000) } }] }] };
    await postMeta(t, feed);
    const c = await stored(inboxes.messenger, '555_901');
    expect(c.metadata).toMatchObject({ meta: { platform: 'messenger', url: 'https://www.facebook.com/acme/posts/555', reach: { likes: 310, replies: 41 } } });
    await api(`/conversations/${c.conversationId}/messages`, { body: { text: 'Sorry Jo, looking now.' } });
    expect((await eventually(() => meta.calls.find((x) => x.body?.message === 'Sorry Jo, looking now.'), { what: 'public reply' })).path).toBe('/v21.0/555_901/comments');
    const r = await api(`/conversations/${c.conversationId}/private-reply`, { body: { text: 'Hi Jo, your order number?' } });
    const directId = r.body.conversation.id as string;
    await eventually(async () => (await t.prisma.conversation.findUniqueOrThrow({ where: { id: directId } })).threadKey === 'psid:2400000000000777' || null, { what: 'the DM thread' });
    // Jo's PSID joined their contact: their DM lands in the linked conversation.
    await postMeta(t, dm('messenger', { mid: 'm_JO1', from: '2400000000000777', text: 'It is 88123' }));
    const jo = await stored(inboxes.messenger, 'm_JO1');
    expect(jo.conversationId).toBe(directId);
    expect(jo.contactId).toBe(c.contactId);
  });

  it('says when the messaging window closed, and refuses a reply after it with the reason', async () => {
    await postMeta(t, dm('messenger', { mid: 'm_OLD1', from: '2400000000000999', text: 'Hello?', at: Date.now() - 30 * 3_600_000 }));
    const m = await stored(inboxes.messenger, 'm_OLD1');
    const rules = await api(`/conversations/${m.conversationId}/reply-rules`);
    expect(rules.body).toMatchObject({ channel: 'messenger', window: { hours: 24 }, notice: "Messenger's 24-hour window closed 6 h ago: nothing can be sent until the customer writes again" });
    const reply = await api(`/conversations/${m.conversationId}/messages`, { body: { text: 'Sorry for the delay' } });
    const failed = await eventually(async () => {
      const x = await t.prisma.message.findUniqueOrThrow({ where: { id: reply.body.id } });
      return x.deliveryStatus === 'failed' ? x : null;
    }, { what: 'refused' });
    expect(failed.deliveryError).toMatch(/Messenger's 24-hour window closed 6 h ago/);
    expect(meta.calls.some((c) => c.body?.message?.text === 'Sorry for the delay')).toBe(false);
  });

  it('tests the connection with the page token', async () => {
    const r = await api(`/inboxes/${inboxes.instagram}/test-connection`, { method: 'POST' });
    expect(r.body.checks[0]).toMatchObject({ ok: true, message: expect.stringContaining('@acme') });
  });
});
