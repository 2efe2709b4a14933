// Instagram and Messenger inboxes on the product, against the Graph API stand-in, and Meta's
// webhook as Meta posts it: one URL for the app, entries by page or account id, signed.
import { expect } from 'vitest';
import { metaSignature } from '../../src/connectors/meta';
import type { TestApp } from './app';
import { request } from './http';

export const META = { token: 'EAAG-page-token-for-tests', appSecret: 'meta-app-secret-for-tests', verify: 'meta-verify-token' };
/** The Instagram professional account, the page linked to it, and a Facebook page of its own. */
export const IG_ACCOUNT = '17841400000000001';
export const IG_PAGE = '100000000000001';
export const FB_PAGE = '100000000000002';

export async function createMetaInboxes(t: TestApp, admin: string): Promise<{ instagram: string; messenger: string }> {
  Object.assign(process.env, { TEST_META_TOKEN: META.token, TEST_META_SECRET: META.appSecret, TEST_META_VERIFY: META.verify });
  const secretRefs = { pageAccessToken: 'env:TEST_META_TOKEN', appSecret: 'env:TEST_META_SECRET', verifyToken: 'env:TEST_META_VERIFY' };
  const ig = await request(`${t.url}/api/v1/inboxes`, { token: admin, body: { kind: 'instagram', name: 'Acme on Instagram', config: { accountId: IG_ACCOUNT, pageId: IG_PAGE, username: 'acme' }, secretRefs } });
  const fb = await request(`${t.url}/api/v1/inboxes`, { token: admin, body: { kind: 'messenger', name: 'Acme on Facebook', config: { pageId: FB_PAGE, pageName: 'Acme' }, secretRefs } });
  expect([ig.status, fb.status]).toEqual([201, 201]);
  return { instagram: ig.body.id, messenger: fb.body.id };
}

/** Posts a webhook to /webhooks/meta, signed with the app secret unless a signature is given. */
export async function postMeta(t: TestApp, body: unknown, signature?: string): Promise<Response> {
  const raw = JSON.stringify(body);
  return fetch(`${t.url}/webhooks/meta`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature ?? metaSignature(META.appSecret, Buffer.from(raw)) }, body: raw });
}

/** An Instagram comment under a post, as the `comments` field delivers it. */
export const igComment = (c: { id: string; from: string; username: string; media: string; text: string; parentId?: string }) => ({
  object: 'instagram',
  entry: [{ id: IG_ACCOUNT, time: Date.now(), changes: [{ field: 'comments', value: { from: { id: c.from, username: c.username }, media: { id: c.media, media_product_type: 'FEED' }, id: c.id, text: c.text, ...(c.parentId ? { parent_id: c.parentId } : {}) } }] }],
});

/** A direct message to the page (Messenger) or the account (Instagram). */
export const dm = (platform: 'instagram' | 'messenger', m: { mid: string; from: string; text?: string; attachments?: unknown[]; at?: number }) => {
  const entryId = platform === 'instagram' ? IG_ACCOUNT : FB_PAGE;
  return {
    object: platform === 'instagram' ? 'instagram' : 'page',
    entry: [{ id: entryId, time: Date.now(), messaging: [{ sender: { id: m.from }, recipient: { id: entryId }, timestamp: m.at ?? Date.now(), message: { mid: m.mid, ...(m.text ? { text: m.text } : {}), ...(m.attachments ? { attachments: m.attachments } : {}) } }] }],
  };
};
