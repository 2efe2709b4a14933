// Facebook Messenger and Instagram (Meta's Messenger Platform) as inboxes. One webhook for the
// whole Meta app (/webhooks/meta): it answers the subscription handshake, takes only posts
// signed with the app secret (X-Hub-Signature-256; 403 and nothing stored otherwise) and hands
// each entry to the inbox of its page or Instagram account. Direct messages both ways within
// the 24-hour window (7 days with the HUMAN_AGENT tag); comments under the posts as public
// conversations: answered publicly in their thread, privately (Meta's private reply, which
// opens the DM thread), hidden and shown again.
import { Router, type Request } from 'express';
import { signedByMeta } from './signature';

export { metaSignature } from './signature';
import type { Inbox } from '../../platform/db/client';
import { ForbiddenError, ProviderError, ValidationError } from '../../platform/errors';
import { PermanentJobError } from '../../platform/queue';
import type { Connector, ConnectorContext, OutboundMessage, ReplyRules, SendResult } from '../../inbox/channels/contract';
import {
  commentOf, commentToInboundMessage, dmThreadKey, mediaOf, messageToInboundMessage, platformOf,
  type MetaComment, type MetaEntry, type MetaMessagingEvent, type MetaPlatform, type MetaPost, type MetaWebhook,
} from './inbound';
import { HUMAN_AGENT_WINDOW_MS, META_WEBHOOK_PATH, WINDOW_MS, instagramInboxConfigSchema, messengerInboxConfigSchema, type MetaInboxConfig } from './setup';

const MAX_MEDIA_BYTES = 25 * 1024 * 1024;

function configOf(inbox: Inbox): MetaInboxConfig {
  if (inbox.kind === 'instagram') {
    const c = instagramInboxConfigSchema.parse(inbox.config ?? {});
    return { ...c, platform: 'instagram', entryId: c.accountId };
  }
  const c = messengerInboxConfigSchema.parse(inbox.config ?? {});
  return { ...c, platform: 'messenger', entryId: c.pageId };
}

/** A Graph API call with the page's token; answers the JSON, or throws a ProviderError (retryable on 429 / 5xx). */
async function graph<T>(ctx: ConnectorContext, inbox: Inbox, path: string, what: string, body?: Record<string, unknown>): Promise<T> {
  const cfg = configOf(inbox);
  const r = await fetch(`${ctx.config.META_GRAPH_URL.replace(/\/$/, '')}/${cfg.apiVersion}/${path}`, {
    method: body ? 'POST' : 'GET',
    headers: { authorization: `Bearer ${ctx.secrets.get(inbox, 'pageAccessToken')}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const json = (await r.json().catch(() => ({}))) as T & { error?: { message?: string; code?: number } };
  if (!r.ok || json.error) throw new ProviderError(what, `HTTP ${r.status}: ${json.error?.message ?? 'no answer'}`, r.status === 429 || r.status >= 500);
  return json;
}

/** The post's link and engagement; a comment is never lost for want of them. */
async function postOf(ctx: ConnectorContext, inbox: Inbox, platform: MetaPlatform, postId: string): Promise<MetaPost> {
  try {
    if (platform === 'instagram') {
      const p = await graph<{ permalink?: string; like_count?: number; comments_count?: number; insights?: { data?: Array<{ name?: string; values?: Array<{ value?: number }> }> } }>(
        ctx, inbox, `${postId}?fields=permalink,like_count,comments_count,insights.metric(reach)`, 'reading the Instagram post',
      );
      const reach = p.insights?.data?.find((d) => d.name === 'reach')?.values?.[0]?.value;
      return { url: p.permalink, likes: p.like_count ?? 0, comments: p.comments_count ?? 0, ...(reach !== undefined ? { reach } : {}) };
    }
    const p = await graph<{ permalink_url?: string; reactions?: { summary?: { total_count?: number } }; comments?: { summary?: { total_count?: number } } }>(
      ctx, inbox, `${postId}?fields=permalink_url,reactions.summary(total_count),comments.summary(total_count)`, 'reading the Facebook post',
    );
    return { url: p.permalink_url, likes: p.reactions?.summary?.total_count ?? 0, comments: p.comments?.summary?.total_count ?? 0 };
  } catch (err) {
    ctx.logger.warn({ err: (err as Error).message, postId }, 'the post of a comment could not be read: stored without its reach');
    return { likes: 0, comments: 0 };
  }
}

/** The customer's name for a new DM (a profile lookup the platform allows for people who wrote). */
async function nameOf(ctx: ConnectorContext, inbox: Inbox, platform: MetaPlatform, userId: string): Promise<string | undefined> {
  try {
    const p = await graph<{ name?: string; username?: string }>(ctx, inbox, `${userId}?fields=${platform === 'instagram' ? 'name,username' : 'name'}`, 'reading the profile');
    return p.name ?? p.username;
  } catch {
    return undefined;
  }
}

async function storeMedia(ctx: ConnectorContext, e: MetaMessagingEvent) {
  const stored = [];
  for (const [i, media] of mediaOf(e).entries()) {
    const r = await fetch(media.url);
    if (!r.ok) throw new ProviderError('downloading a Meta attachment', `HTTP ${r.status}`);
    const bytes = Buffer.from(await r.arrayBuffer());
    if (bytes.length > MAX_MEDIA_BYTES) continue;
    const contentType = r.headers.get('content-type')?.split(';')[0] ?? 'application/octet-stream';
    const fileName = `${media.type}-${(e.message?.mid ?? 'm').slice(-8)}-${i + 1}.${contentType.split('/')[1] ?? 'bin'}`;
    stored.push({ fileName, contentType, size: bytes.length, storageKey: await ctx.attachments.put(bytes) });
  }
  return stored;
}

async function onMessaging(ctx: ConnectorContext, inbox: Inbox, cfg: MetaInboxConfig, e: MetaMessagingEvent): Promise<void> {
  if (e.message_edit?.mid) {
    await ctx.messages.edited(inbox.id, e.message_edit.mid, e.message_edit.text ?? '');
    return;
  }
  for (const mid of e.delivery?.mids ?? []) await ctx.deliveryReports.report(inbox.id, mid, 'delivered');
  if (e.read?.mid) await ctx.deliveryReports.report(inbox.id, e.read.mid, 'read');
  if (!e.message || e.message.is_echo || !e.sender?.id || e.sender.id === cfg.pageId || e.sender.id === cfg.entryId) return;
  const name = await nameOf(ctx, inbox, cfg.platform, e.sender.id);
  const message = messageToInboundMessage(e, cfg.platform, { ...(name ? { name } : {}), stored: await storeMedia(ctx, e) });
  if (message) await ctx.intake.accept(inbox.id, message);
}

async function onComment(ctx: ConnectorContext, inbox: Inbox, cfg: MetaInboxConfig, c: MetaComment): Promise<void> {
  // Our own public replies come back as comments: they are already stored as ours.
  if (c.from.id === cfg.entryId || c.from.id === cfg.pageId) return;
  if (c.verb === 'edited') await ctx.messages.edited(inbox.id, c.id, c.text);
  else if (c.verb === 'remove') await ctx.messages.deleted(inbox.id, c.id);
  else if (c.verb === 'add') await ctx.intake.accept(inbox.id, commentToInboundMessage(c, cfg.platform, await postOf(ctx, inbox, cfg.platform, c.postId)));
}

function routes(ctx: ConnectorContext): Router {
  const router = Router();
  // Meta's subscription handshake: echo the challenge when the verify token is one of our Meta inboxes'.
  router.get(META_WEBHOOK_PATH, async (req, res) => {
    const q = req.query as Record<string, string | undefined>;
    const tokens = (await ctx.inboxes.ofKind(['messenger', 'instagram'])).map((i) => { try { return ctx.secrets.get(i, 'verifyToken'); } catch { return null; } });
    if (q['hub.mode'] !== 'subscribe' || !q['hub.verify_token'] || !tokens.includes(q['hub.verify_token'])) throw new ForbiddenError('The verify token is not one of this installation\'s Messenger or Instagram inboxes\'');
    res.type('text/plain').send(String(q['hub.challenge'] ?? ''));
  });
  router.post(META_WEBHOOK_PATH, async (req, res) => {
    const body = req.body as MetaWebhook | undefined;
    const platform = platformOf(body?.object);
    if (!body || !platform || !Array.isArray(body.entry)) throw new ValidationError('Not a Messenger or Instagram webhook: "object" must be page or instagram and "entry" a list');
    const inboxes = (await ctx.inboxes.ofKind([platform])).map((inbox) => ({ inbox, cfg: configOf(inbox) }));
    const routed = body.entry.flatMap((entry: MetaEntry) => {
      const to = inboxes.find((i) => i.cfg.entryId === String(entry?.id ?? ''));
      return to ? [{ entry, ...to }] : [];
    });
    // Every inbox concerned checks the signature with its app secret before anything is stored.
    const raw = (req as Request & { rawBody?: Buffer }).rawBody;
    for (const { inbox } of routed) {
      if (!signedByMeta(ctx.secrets.get(inbox, 'appSecret'), raw, req.header('x-hub-signature-256'))) throw new ForbiddenError('The signature (X-Hub-Signature-256) does not match the app secret');
    }
    for (const { entry, inbox, cfg } of routed) {
      for (const e of Array.isArray(entry.messaging) ? entry.messaging : []) await onMessaging(ctx, inbox, cfg, e);
      if (!cfg.comments) continue;
      for (const change of Array.isArray(entry.changes) ? entry.changes : []) {
        const c = commentOf(change, platform);
        if (c) await onComment(ctx, inbox, cfg, c);
      }
    }
    // Meta retries anything but 200; what is delivered again is stored once (its mid or comment id).
    res.status(200).json({ ok: true, entries: routed.length, ignored: body.entry.length - routed.length });
  });
  return router;
}

/** When the customer last wrote, from the history the outbound delivery gives. */
function lastCustomerMessage(out: Pick<OutboundMessage, 'history'>): Date | null {
  return out.history.filter((h) => h.direction === 'inbound').reduce<Date | null>((a, h) => (!a || h.sentAt > a ? h.sentAt : a), null);
}

function windowFor(cfg: MetaInboxConfig): number {
  return cfg.humanAgentTag ? HUMAN_AGENT_WINDOW_MS : WINDOW_MS;
}

const platformName = (p: MetaPlatform) => (p === 'instagram' ? 'Instagram' : 'Messenger');

async function send(ctx: ConnectorContext, out: OutboundMessage): Promise<SendResult> {
  const cfg = configOf(out.inbox);
  const key = out.conversation.threadKey ?? '';
  if (out.conversation.type === 'mention') {
    // A public reply under the thread's top-level comment (Instagram answers only those).
    if (!key.startsWith('comment:')) throw new PermanentJobError('this conversation has no comment to answer');
    const comment = key.slice('comment:'.length);
    const r = await graph<{ id?: string }>(ctx, out.inbox, cfg.platform === 'instagram' ? `${comment}/replies` : `${comment}/comments`, `replying on ${platformName(cfg.platform)}`, { message: out.message.text });
    return { externalId: r.id, status: 'sent', metadata: { meta: { platform: cfg.platform, publicReply: true } } };
  }
  if (out.privateReplyTo) {
    // Meta's private reply: a DM to whoever wrote the comment; the answer names the thread it opened.
    const r = await graph<{ recipient_id?: string; message_id?: string }>(ctx, out.inbox, `${cfg.pageId}/messages`, `replying privately on ${platformName(cfg.platform)}`, {
      recipient: { comment_id: out.privateReplyTo },
      message: { text: out.message.text },
    });
    if (!r.recipient_id) throw new ProviderError(`replying privately on ${platformName(cfg.platform)}`, 'no recipient in the answer');
    return { externalId: r.message_id, status: 'sent', metadata: { meta: { platform: cfg.platform, privateReplyTo: out.privateReplyTo } }, opened: { threadKey: dmThreadKey(cfg.platform, r.recipient_id), identity: { kind: cfg.platform, address: r.recipient_id } } };
  }
  const recipient = /^(psid|igsid):(.+)$/.exec(key)?.[2];
  if (!recipient) throw new PermanentJobError(`this conversation has no ${platformName(cfg.platform)} thread`);
  const last = lastCustomerMessage(out);
  const age = last ? Date.now() - last.getTime() : Infinity;
  let tagging: Record<string, string> = { messaging_type: 'RESPONSE' };
  if (age > WINDOW_MS) {
    if (!out.message.automatic && cfg.humanAgentTag && age <= HUMAN_AGENT_WINDOW_MS) tagging = { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' };
    else throw new PermanentJobError(`${platformName(cfg.platform)}'s ${cfg.humanAgentTag && !out.message.automatic ? '7-day' : '24-hour'} window ${last ? `closed ${Math.round((age - windowFor(cfg)) / 3_600_000)} h ago` : 'is closed (the customer never wrote)'}: nothing can be sent until they write again`);
  }
  const r = await graph<{ message_id?: string }>(ctx, out.inbox, `${cfg.pageId}/messages`, `sending on ${platformName(cfg.platform)}`, { recipient: { id: recipient }, ...tagging, message: { text: out.message.text } });
  return { externalId: r.message_id, status: 'sent' };
}

function replyRules(inbox: Inbox, conversation: { type: 'direct' | 'mention'; lastCustomerMessageAt: Date | null }, now: Date): ReplyRules {
  const cfg = configOf(inbox);
  const maxLength = cfg.platform === 'instagram' ? (conversation.type === 'mention' ? 2_200 : 1_000) : 2_000;
  if (conversation.type === 'mention') {
    return { maxLength, notice: `A public reply under the post on ${platformName(cfg.platform)}: everyone sees it. "Reply privately" answers in a direct message.`, noticeKey: { key: 'publicReply', platform: platformName(cfg.platform) } };
  }
  const span = windowFor(cfg);
  const last = conversation.lastCustomerMessageAt;
  const closes = last ? new Date(last.getTime() + span) : null;
  const open = !!closes && closes > now;
  const hours = (d: Date) => Math.max(1, Math.round(Math.abs(d.getTime() - now.getTime()) / 3_600_000));
  const label = cfg.humanAgentTag ? '7-day' : '24-hour';
  return {
    maxLength,
    window: { hours: span / 3_600_000, closesAt: open ? closes.toISOString() : null, closedAt: open ? null : (closes?.toISOString() ?? null) },
    notice: open ? `${platformName(cfg.platform)}'s ${label} window closes in ${hours(closes)} h` : `${platformName(cfg.platform)}'s ${label} window ${closes ? `closed ${hours(closes)} h ago` : 'is closed'}: nothing can be sent until the customer writes again`,
    noticeKey: { key: open ? 'windowCloses' : closes ? 'windowClosed' : 'neverWrote', platform: platformName(cfg.platform), windowHours: span / 3_600_000, ...(closes ? { hours: hours(closes) } : {}), templates: false },
  };
}

async function moderate(ctx: ConnectorContext, inbox: Inbox, comment: { externalId: string; hidden: boolean }): Promise<void> {
  const cfg = configOf(inbox);
  await graph(ctx, inbox, comment.externalId, `${comment.hidden ? 'hiding' : 'showing'} the comment on ${platformName(cfg.platform)}`, cfg.platform === 'instagram' ? { hide: comment.hidden } : { is_hidden: comment.hidden });
}

const base: Omit<Connector, 'kind' | 'configSchema'> = {
  send,
  replyRules,
  moderate,
  canReplyPrivately: true,
  async testConnection(ctx, inbox) {
    const cfg = configOf(inbox);
    try {
      const p = await graph<{ name?: string; username?: string }>(ctx, inbox, `${cfg.entryId}?fields=${cfg.platform === 'instagram' ? 'username' : 'name'}`, 'reading the account');
      return [{ name: cfg.platform, ok: true, message: `The page token works for ${p.name ?? `@${p.username ?? cfg.entryId}`}.` }];
    } catch (err) {
      return [{ name: cfg.platform, ok: false, message: `Meta's Graph API refused or could not be reached: ${(err as Error).message}` }];
    }
  },
  describeNewInbox: (ctx) => ({
    webhookUrl: `${ctx.publicUrl()}${META_WEBHOOK_PATH}`,
    next: 'In the Meta app: Webhooks → the Page (Messenger) or Instagram object → Callback URL = webhookUrl (one for all pages and accounts), Verify token = the value of secretRefs.verifyToken; subscribe to messages, message_deliveries, message_reads, message_edits and feed (Page) or comments (Instagram). Set the variables named in secretRefs (pageAccessToken, appSecret, verifyToken) on the web and worker.',
  }),
};

export const messengerConnector: Connector = {
  ...base,
  kind: 'messenger',
  configSchema: messengerInboxConfigSchema,
  // One route serves both platforms: Meta posts every page's and account's events to one URL.
  routes,
  documentation: [
    { method: 'get', path: META_WEBHOOK_PATH, tag: 'channels', auth: 'none', summary: "Messenger and Instagram: Meta's subscription handshake (hub.mode, hub.verify_token, hub.challenge)", responses: { 200: 'The challenge', 403: 'Wrong verify token' } },
    { method: 'post', path: META_WEBHOOK_PATH, tag: 'channels', auth: 'none', summary: 'Messenger and Instagram: messages, statuses and comments, signed with the app secret (X-Hub-Signature-256), routed by page or account id', responses: { 200: 'Handled (what is delivered again is stored once)', 400: 'Not a page or instagram webhook', 403: 'Bad signature: nothing stored' } },
  ],
};

export const instagramConnector: Connector = { ...base, kind: 'instagram', configSchema: instagramInboxConfigSchema };
