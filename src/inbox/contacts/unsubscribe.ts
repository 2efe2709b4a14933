// The unsubscribe link in automatic messages: a signed token naming an identity and a purpose.
// GET shows a page with one button (mail scanners open links; they must not unsubscribe
// anyone), POST unsubscribes — also RFC 8058's one-click POST from the mail client's own
// "Unsubscribe" (List-Unsubscribe-Post). Support answers still reach the customer.
import crypto from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import type { Database, IdentityKind } from '../../platform/db/client';
import { withTransaction } from '../../platform/db/sql';
import type { Logger } from '../../platform/logger';
import { setIdentityConsent, type ConsentPurpose } from './consent';

interface Subject {
  kind: IdentityKind;
  address: string;
  purpose: Exclude<ConsentPurpose, 'support'>;
}

const sign = (payload: string, secret: string) => crypto.createHmac('sha256', secret).update(`unsubscribe:${payload}`).digest('base64url').slice(0, 22);

export function unsubscribeToken(s: Subject, secret: string): string {
  const payload = Buffer.from(JSON.stringify([s.kind, s.address, s.purpose])).toString('base64url');
  return `${payload}.${sign(payload, secret)}`;
}

export function parseUnsubscribeToken(token: string, secret: string): Subject | null {
  const [payload, mac] = token.split('.');
  if (!payload || !mac || payload.length > 2_000) return null;
  const expected = sign(payload, secret);
  if (mac.length !== expected.length || !crypto.timingSafeEqual(Buffer.from(mac), Buffer.from(expected))) return null;
  try {
    const [kind, address, purpose] = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as [IdentityKind, string, Subject['purpose']];
    return { kind, address, purpose };
  } catch {
    return null;
  }
}

export const unsubscribeUrl = (publicUrl: string, s: Subject, secret: string) => `${publicUrl.replace(/\/$/, '')}/unsubscribe/${unsubscribeToken(s, secret)}`;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (res: Response, status: number, title: string, body: string) =>
  res
    .status(status)
    .type('html')
    .send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}button{font:inherit;padding:.5rem 1rem}</style></head>
<body><h1>${escapeHtml(title)}</h1>${body}</body></html>`);

const what = (p: Subject['purpose']) => (p === 'automatic' ? 'automatic messages (confirmations and updates sent without a person)' : 'surveys and other messages that are not answers to you');

export function unsubscribeRoutes(o: { db: Database; appSecret: string; logger: Logger }): Router {
  const router = Router();
  const subject = (req: Request, res: Response) => {
    const s = parseUnsubscribeToken(String(req.params.token), o.appSecret);
    if (!s) page(res, 400, 'This link is not valid', '<p>It may have been cut short by your mail program. Open it from the message again.</p>');
    return s;
  };
  router.get('/unsubscribe/:token', (req, res) => {
    const s = subject(req, res);
    if (!s) return;
    page(res, 200, 'Unsubscribe', `<p>Stop ${what(s.purpose)} to <strong>${escapeHtml(s.address)}</strong>?</p>
<p>Answers from our team to your own questions will still reach you.</p>
<form method="post"><button type="submit">Unsubscribe</button></form>`);
  });
  router.post('/unsubscribe/:token', async (req, res) => {
    const s = subject(req, res);
    if (!s) return;
    const done = await withTransaction(o.db.pool, (client) => setIdentityConsent(client, { ...s, granted: false, source: 'unsubscribe_link' }));
    if (!done) return void page(res, 404, 'Nothing to unsubscribe', '<p>We no longer hold this address.</p>');
    o.logger.info({ contactId: done.contactId, purpose: s.purpose, kind: s.kind, changed: done.changed }, 'unsubscribed by link');
    page(res, 200, 'You are unsubscribed', `<p>No more ${what(s.purpose)} to <strong>${escapeHtml(s.address)}</strong>.</p>`);
  });
  return router;
}
