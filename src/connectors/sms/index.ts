// SMS as an inbox: one phone number at a provider (Twilio's wire format). Inbound texts and
// status callbacks arrive on signed webhooks; replies leave through the provider's REST API
// from the outbound queue (retried with backoff); STOP / START / HELP are honoured.
import { Router, type Request, type Response } from 'express';
import type { Inbox } from '../../platform/db/client';
import { ForbiddenError, NotFoundError, ProviderError } from '../../platform/errors';
import { PermanentJobError } from '../../platform/queue';
import { e164 } from '../../inbox/channels/contract';
import type { Connector, ConnectorContext, OutboundMessage } from '../../inbox/channels/contract';
import { smsToInboundMessage } from './inbound';
import type { SmsProvider } from './provider';
import { segmentsOf, splitForSending } from './segments';
import { smsInboxConfigSchema } from './setup';
import { TwilioProvider } from './twilio';

export const smsWebhookPath = (inboxId: string) => `/webhooks/sms/${inboxId}`;

function providerFor(ctx: ConnectorContext, inbox: Inbox): SmsProvider {
  const cfg = smsInboxConfigSchema.parse(inbox.config ?? {});
  return new TwilioProvider({ apiUrl: ctx.config.TWILIO_API_URL.replace(/\/$/, ''), accountSid: cfg.accountSid, authToken: ctx.secrets.get(inbox, 'authToken'), from: cfg.phoneNumber });
}

const twiml = (res: Response, message?: string) => {
  const escaped = message?.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
  res.type('text/xml').send(`<?xml version="1.0" encoding="UTF-8"?><Response>${escaped ? `<Message>${escaped}</Message>` : ''}</Response>`);
};

/** The inbox of a webhook, its parameters, and whether the provider really sent them. */
async function verified(ctx: ConnectorContext, req: Request): Promise<{ inbox: Inbox; params: Record<string, string>; provider: SmsProvider }> {
  const inbox = await ctx.inboxes.find(String(req.params.inboxId));
  if (!inbox || inbox.kind !== 'sms') throw new NotFoundError('SMS inbox');
  const params = Object.fromEntries(Object.entries((req.body ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
  const provider = providerFor(ctx, inbox);
  // The URL exactly as the provider called it: PUBLIC_URL must be what it was configured with.
  const url = `${ctx.publicUrl()}${req.originalUrl}`;
  if (!provider.verify({ url, params, signature: req.header('x-twilio-signature'), secret: ctx.secrets.get(inbox, 'authToken') })) {
    throw new ForbiddenError('The request signature (X-Twilio-Signature) does not match: check PUBLIC_URL and the auth token');
  }
  return { inbox, params, provider };
}

function routes(ctx: ConnectorContext): Router {
  const router = Router();

  router.post('/webhooks/sms/:inboxId', async (req, res) => {
    const { inbox, params, provider } = await verified(ctx, req);
    const cfg = smsInboxConfigSchema.parse(inbox.config ?? {});
    const { message, from, keyword } = smsToInboundMessage(provider.inbound(params));
    if (keyword === 'stop') await ctx.consent.setOptOut(from, true);
    if (keyword === 'start') await ctx.consent.setOptOut(from, false);
    await ctx.intake.accept(inbox.id, message);
    if (cfg.keywordReplies === 'us' && keyword) {
      return twiml(res, keyword === 'stop' ? 'You are unsubscribed and will get no more messages. Reply START to resubscribe.' : keyword === 'start' ? 'You are subscribed again. Reply STOP to unsubscribe.' : cfg.helpText);
    }
    twiml(res);
  });

  router.post('/webhooks/sms/:inboxId/status', async (req, res) => {
    const { inbox, params, provider } = await verified(ctx, req);
    const report = provider.status(params);
    if (report.id && report.status) await ctx.deliveryReports.report(inbox.id, report.id, report.status, report.error);
    res.status(204).end();
  });
  return router;
}

async function send(ctx: ConnectorContext, out: OutboundMessage) {
  const phone = out.identities.find((i) => i.kind === 'phone');
  const to = phone?.address ?? (out.contact.phone ? e164(out.contact.phone) : null);
  if (!to) throw new PermanentJobError('the customer has no phone number');
  // Carriers' rules: after STOP, nothing at all until START (checked now, not when queued).
  if (phone?.optedOut || (await ctx.consent.isOptedOut(to))) throw new PermanentJobError(`${to} opted out (STOP): nothing is sent until they text START`);
  const provider = providerFor(ctx, out.inbox);
  const parts = splitForSending(out.message.text);
  const ids: string[] = [];
  let segments = 0;
  for (const body of parts) {
    const r = await provider.send({ to, body, statusCallback: `${ctx.publicUrl()}${smsWebhookPath(out.inbox.id)}/status` });
    ids.push(r.id);
    segments += r.segments ?? segmentsOf(body).segments;
  }
  return { externalId: ids.at(-1)!, status: 'sent' as const, metadata: { sms: { to, ids, segments, encoding: segmentsOf(out.message.text).encoding } } };
}

export const smsConnector: Connector = {
  kind: 'sms',
  configSchema: smsInboxConfigSchema,
  routes,
  send,
  async testConnection(ctx, inbox) {
    try {
      return [{ name: 'account', ok: true, message: `${await providerFor(ctx, inbox).check()}: the credentials work.` }];
    } catch (err) {
      const msg = err instanceof ProviderError ? err.message : String(err);
      return [{ name: 'account', ok: false, message: /HTTP 401|20003/.test(msg) ? 'Twilio refused the Account SID or auth token (error 20003): copy them again from the Twilio console.' : msg }];
    }
  },
  documentation: [
    {
      method: 'post', path: '/webhooks/sms/:inboxId', tag: 'channels', auth: 'none',
      summary: "SMS: Twilio's inbound message webhook (form-encoded), verified with X-Twilio-Signature. Answers TwiML",
      responses: { 200: 'TwiML (a keyword answer when keywordReplies is "us")', 403: 'Signature does not match: nothing stored', 404: 'Unknown SMS inbox' },
    },
    {
      method: 'post', path: '/webhooks/sms/:inboxId/status', tag: 'channels', auth: 'none',
      summary: "SMS: Twilio's status callback for a message we sent (sent, delivered, undelivered, failed), verified with X-Twilio-Signature",
      responses: { 204: 'Recorded', 403: 'Signature does not match' },
    },
  ],
  describeNewInbox: (ctx, inbox) => ({
    webhookUrl: `${ctx.publicUrl()}${smsWebhookPath(inbox.id)}`,
    statusCallbackUrl: `${ctx.publicUrl()}${smsWebhookPath(inbox.id)}/status`,
    next: 'In the Twilio console, set the number\'s "A message comes in" webhook (HTTP POST) to webhookUrl, and the environment variable named in secretRefs.authToken on every web and worker process. PUBLIC_URL must be the address Twilio calls: the signature covers it.',
  }),
};
