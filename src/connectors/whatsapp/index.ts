// WhatsApp Business (Meta's Cloud API) as an inbox. The webhook answers Meta's subscription
// handshake (hub.verify_token) and takes only posts signed with the app secret
// (X-Hub-Signature-256; 403 and nothing stored otherwise); media are fetched through the Graph
// API into the attachment store; statuses move our messages sent → delivered → read (or failed
// with Meta's reason). Replies follow WhatsApp's 24-hour customer-service window: inside it as
// text; outside it an automatic message goes as the inbox's template or not at all, and any
// other reply is refused with the reason (the agent picks an approved template).
import { Router, type Request } from 'express';
import { signedByMeta } from '../meta/signature';

export { metaSignature } from '../meta/signature';
import type { Inbox } from '../../platform/db/client';
import { ForbiddenError, NotFoundError, ProviderError, ValidationError } from '../../platform/errors';
import { PermanentJobError } from '../../platform/queue';
import type { Connector, ConnectorContext, OutboundMessage, ReplyRules, SendResult } from '../../inbox/channels/contract';
import { keywordOf } from '../sms/consent';
import { mediaOf, numberOf, statusReport, valuesFor, whatsappToInboundMessage, type WaMessage, type WaWebhook } from './inbound';
import { WINDOW_MS, whatsappInboxConfigSchema, whatsappWebhookPath, type WhatsappInboxConfig } from './setup';

const MAX_MEDIA_BYTES = 100 * 1024 * 1024;

const graph = (ctx: ConnectorContext, cfg: WhatsappInboxConfig, path: string) => `${ctx.config.META_GRAPH_URL.replace(/\/$/, '')}/${cfg.apiVersion}/${path}`;

async function inboxOf(ctx: ConnectorContext, req: Request): Promise<{ inbox: Inbox; cfg: WhatsappInboxConfig }> {
  const inbox = await ctx.inboxes.find(String(req.params.inboxId));
  if (!inbox || inbox.kind !== 'whatsapp') throw new NotFoundError('WhatsApp inbox');
  return { inbox, cfg: whatsappInboxConfigSchema.parse(inbox.config ?? {}) };
}

async function storeMedia(ctx: ConnectorContext, inbox: Inbox, cfg: WhatsappInboxConfig, m: WaMessage) {
  const media = mediaOf(m);
  if (!media) return [];
  const auth = { authorization: `Bearer ${ctx.secrets.get(inbox, 'accessToken')}` };
  const info = await fetch(graph(ctx, cfg, media.id), { headers: auth });
  if (!info.ok) throw new ProviderError('looking up WhatsApp media', `HTTP ${info.status}`);
  const { url, mime_type: type, file_size: size } = (await info.json()) as { url: string; mime_type?: string; file_size?: number };
  if ((size ?? 0) > MAX_MEDIA_BYTES) return [];
  const file = await fetch(url, { headers: auth });
  if (!file.ok) throw new ProviderError('downloading WhatsApp media', `HTTP ${file.status}`);
  const bytes = Buffer.from(await file.arrayBuffer());
  const contentType = media.mime_type ?? type ?? 'application/octet-stream';
  const fileName = media.filename ?? `${media.kind}-${m.id.slice(-8)}.${contentType.split('/')[1]?.split(';')[0] ?? 'bin'}`;
  return [{ fileName, contentType, size: bytes.length, storageKey: await ctx.attachments.put(bytes) }];
}

function routes(ctx: ConnectorContext): Router {
  const router = Router();
  // Meta's subscription handshake: echo the challenge when the verify token is ours.
  router.get('/webhooks/whatsapp/:inboxId', async (req, res) => {
    const { inbox } = await inboxOf(ctx, req);
    const q = req.query as Record<string, string | undefined>;
    if (q['hub.mode'] !== 'subscribe' || q['hub.verify_token'] !== ctx.secrets.get(inbox, 'verifyToken')) throw new ForbiddenError('The verify token does not match this inbox\'s');
    res.type('text/plain').send(String(q['hub.challenge'] ?? ''));
  });
  router.post('/webhooks/whatsapp/:inboxId', async (req, res) => {
    const { inbox, cfg } = await inboxOf(ctx, req);
    if (!signedByMeta(ctx.secrets.get(inbox, 'appSecret'), (req as Request & { rawBody?: Buffer }).rawBody, req.header('x-hub-signature-256'))) {
      throw new ForbiddenError('The signature (X-Hub-Signature-256) does not match the app secret');
    }
    const body = req.body as WaWebhook | undefined;
    if (!body || typeof body !== 'object' || !Array.isArray(body.entry)) throw new ValidationError('Not a WhatsApp webhook: "entry" must be a list');
    for (const value of valuesFor(body, cfg.phoneNumberId)) {
      for (const m of value.messages ?? []) {
        // The carriers' keywords, as on SMS: STOP ends every message on WhatsApp until START (kept on the WhatsApp identity).
        const keyword = m.text ? keywordOf(m.text.body) : null;
        if (keyword === 'stop' || keyword === 'start') await ctx.consent.setOptOut(numberOf(m), keyword === 'stop', 'whatsapp');
        await ctx.intake.accept(inbox.id, whatsappToInboundMessage(m, value, await storeMedia(ctx, inbox, cfg, m)));
      }
      for (const s of value.statuses ?? []) {
        const r = statusReport(s);
        await ctx.deliveryReports.report(inbox.id, r.externalId, r.status, r.error);
      }
    }
    // Meta retries anything but 200; a message delivered again is stored once (its wamid).
    res.status(200).json({ ok: true });
  });
  return router;
}

/** When the customer's window closed, or null while it is open (their last message within 24 hours). */
export function windowClosedAt(out: Pick<OutboundMessage, 'history'>, now: Date): Date | null {
  const last = out.history.filter((h) => h.direction === 'inbound').reduce<Date | null>((a, h) => (!a || h.sentAt > a ? h.sentAt : a), null);
  if (!last) return new Date(0);
  const closes = new Date(last.getTime() + WINDOW_MS);
  return closes > now ? null : closes;
}

/** The composer's notice: the window, and the templates that may go outside it. */
function replyRules(inbox: Inbox, conversation: { lastCustomerMessageAt: Date | null }, now: Date): ReplyRules {
  const cfg = whatsappInboxConfigSchema.parse(inbox.config ?? {});
  const last = conversation.lastCustomerMessageAt;
  const closes = last ? new Date(last.getTime() + WINDOW_MS) : null;
  const open = !!closes && closes > now;
  const templates = cfg.templates.map((t) => ({ name: t.name, language: t.language, parameters: t.parameters, ...(t.text ? { text: t.text } : {}) }));
  const hours = (d: Date) => Math.max(1, Math.round(Math.abs(d.getTime() - now.getTime()) / 3_600_000));
  const notice = open
    ? `WhatsApp's 24-hour window closes in ${hours(closes)} h: after that, only an approved template can be sent`
    : closes
      ? `WhatsApp's 24-hour window closed ${hours(closes)} h ago: choose a template`
      : 'The customer has not written on WhatsApp yet: choose a template';
  const noticeKey = { key: open ? 'windowCloses' : closes ? 'windowClosed' : 'neverWrote', platform: 'WhatsApp', windowHours: 24, ...(closes ? { hours: hours(closes) } : {}), templates: true } as const;
  return { window: { hours: 24, closesAt: open ? closes.toISOString() : null, closedAt: open ? null : (closes?.toISOString() ?? null) }, templates, templateRequired: !open, notice, noticeKey, maxLength: 4_096 };
}

/** The Cloud API's template message: its name, language and body parameters. */
function templateBody(t: { name: string; language: string; parameters: string[] }): Record<string, unknown> {
  return {
    type: 'template',
    template: {
      name: t.name,
      language: { code: t.language },
      ...(t.parameters.length ? { components: [{ type: 'body', parameters: t.parameters.map((text) => ({ type: 'text', text })) }] } : {}),
    },
  };
}

async function send(ctx: ConnectorContext, out: OutboundMessage): Promise<SendResult> {
  const cfg = whatsappInboxConfigSchema.parse(out.inbox.config ?? {});
  const number = out.identities.find((i) => i.kind === 'whatsapp') ?? out.identities.find((i) => i.kind === 'phone');
  if (!number) throw new PermanentJobError('the customer has no WhatsApp number');
  // Their WhatsApp STOP, checked now (not when queued).
  if ((number.kind === 'whatsapp' && number.optedOut) || (await ctx.consent.isOptedOut(number.address, 'whatsapp'))) {
    throw new PermanentJobError(`${number.address} opted out on WhatsApp (STOP): nothing is sent there until they write START`);
  }
  const closed = windowClosedAt(out, new Date());
  let body: Record<string, unknown>;
  // A template the agent chose goes as it, inside the window or out.
  if (out.template) body = templateBody(out.template);
  else if (!closed) body = { type: 'text', text: { body: out.message.text, preview_url: false } };
  else if (out.message.automatic && cfg.automaticTemplate) {
    const template = cfg.templates.find((x) => x.name === cfg.automaticTemplate);
    body = templateBody({ name: cfg.automaticTemplate, language: template?.language ?? 'en_US', parameters: [] });
  } else {
    const hours = Math.round((Date.now() - closed.getTime()) / 3_600_000);
    throw new PermanentJobError(`WhatsApp's 24-hour window closed ${closed.getTime() ? `${hours} h ago` : '(the customer never wrote)'}: only an approved template can be sent now${cfg.templates.length ? ` (${cfg.templates.map((x) => x.name).join(', ')})` : ''}`);
  }
  const r = await fetch(graph(ctx, cfg, `${cfg.phoneNumberId}/messages`), {
    method: 'POST',
    headers: { authorization: `Bearer ${ctx.secrets.get(out.inbox, 'accessToken')}`, 'content-type': 'application/json' },
    body: JSON.stringify({ messaging_product: 'whatsapp', recipient_type: 'individual', to: number.address.replace(/^\+/, ''), ...body }),
  });
  const json = (await r.json().catch(() => ({}))) as { messages?: Array<{ id: string }>; error?: { code?: number; message?: string } };
  if (!r.ok || !json.messages?.[0]) {
    // 429 (throughput), 5xx and Meta's "temporarily unavailable" pass; the rest (a bad number, a policy refusal) will not.
    throw new ProviderError('sending to WhatsApp', `HTTP ${r.status}: ${json.error?.message ?? 'no message id'}`, r.status === 429 || r.status >= 500);
  }
  return { externalId: json.messages[0].id, status: 'sent', metadata: { whatsapp: { ...(body.type === 'template' ? { template: (body.template as { name: string }).name } : {}) } } };
}

export const whatsappConnector: Connector = {
  kind: 'whatsapp',
  configSchema: whatsappInboxConfigSchema,
  routes,
  send,
  replyRules,
  async testConnection(ctx, inbox) {
    const cfg = whatsappInboxConfigSchema.parse(inbox.config ?? {});
    const r = await fetch(graph(ctx, cfg, cfg.phoneNumberId), { headers: { authorization: `Bearer ${ctx.secrets.get(inbox, 'accessToken')}` } }).catch((err: Error) => err);
    if (r instanceof Error) return [{ name: 'number', ok: false, message: `Meta's Graph API could not be reached: ${r.message}` }];
    const json = (await r.json().catch(() => ({}))) as { display_phone_number?: string; verified_name?: string; error?: { message?: string } };
    if (r.status === 401) return [{ name: 'number', ok: false, message: 'Meta refused the access token (401): create a new system user token with whatsapp_business_messaging.' }];
    if (!r.ok) return [{ name: 'number', ok: false, message: `Meta says: ${json.error?.message ?? `HTTP ${r.status}`}` }];
    return [{ name: 'number', ok: true, message: `The token works for ${json.verified_name ?? 'the business'} (${json.display_phone_number ?? cfg.phoneNumberId}).` }];
  },
  describeNewInbox: (ctx, inbox) => ({
    webhookUrl: `${ctx.publicUrl()}${whatsappWebhookPath(inbox.id)}`,
    next: 'In the Meta app: WhatsApp → Configuration → Callback URL = webhookUrl, Verify token = the value of secretRefs.verifyToken; subscribe to "messages". Set the variables named in secretRefs (accessToken, appSecret, verifyToken) on the web and worker.',
  }),
  documentation: [
    { method: 'get', path: '/webhooks/whatsapp/:inboxId', tag: 'channels', auth: 'none', summary: "WhatsApp: Meta's subscription handshake (hub.mode, hub.verify_token, hub.challenge)", responses: { 200: 'The challenge', 403: 'Wrong verify token' } },
    { method: 'post', path: '/webhooks/whatsapp/:inboxId', tag: 'channels', auth: 'none', summary: 'WhatsApp: messages and statuses, signed with the app secret (X-Hub-Signature-256)', responses: { 200: 'Handled (a message delivered again is stored once)', 403: 'Bad signature: nothing stored', 404: 'Unknown WhatsApp inbox' } },
  ],
};
