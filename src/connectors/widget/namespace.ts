// The /widget socket.io namespace: website visitors chatting with the inbox. A visitor's
// sockets join one room per thread (all their tabs and, once the site vouches for them,
// all their devices). Messages carry a client id: a message sent again after a reconnect
// is stored once, and history after reconnect fills any gap.
import type { Namespace, Server, Socket } from 'socket.io';
import { z } from 'zod';
import type { Inbox } from '../../platform/db/client';
import { errorMessage } from '../../platform/errors';
import { isOpen } from '../../routing/business-hours';
import { inboxRoutingOf } from '../../routing/inbox-settings';
import type { ConnectorContext } from '../../inbox/channels/contract';
import { widgetInboxConfigSchema, widgetTextsFor, type WidgetInboxConfig } from './setup';
import { identifyVisitor, widgetRoom, type Visitor, type VisitorClaim } from './visitors';

export const WIDGET_NAMESPACE = '/widget';
const HEARTBEAT_MS = 60_000;

type Ack = (answer: Record<string, unknown>) => void;

interface SocketData {
  inbox: Inbox;
  cfg: WidgetInboxConfig;
  visitor: Visitor;
  ip: string;
  contact: { name?: string; email?: string };
  /** The page's language (its <html lang>, else the browser's), as the widget said. */
  language: string | null;
}

const messageInput = z.object({
  clientId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8–64 letters, digits, - or _'),
  text: z.string().trim().min(1, 'must not be empty'),
  name: z.string().trim().max(200).optional(),
  email: z.email().max(320).optional(),
  pageUrl: z.string().max(2000).optional(),
  /** What the visitor read and searched in the self-service panel before asking: shown to the agent. */
  selfService: z.object({ read: z.array(z.uuid()).max(20).default([]), query: z.string().trim().max(500).optional() }).optional(),
});

export function attachWidgetNamespace(ctx: ConnectorContext, io: Server): Namespace {
  const nsp = io.of(WIDGET_NAMESPACE);
  const presence = ctx.presence;
  const perVisitor = ctx.limits('widget-visitor', 60_000);
  const perIp = ctx.limits('widget-ip', 60_000);
  const here = new Map<string, number>(); // visitor id → sockets on this process

  nsp.use(async (socket, next) => {
    try {
      const auth = (socket.handshake.auth ?? {}) as VisitorClaim & { inboxId?: unknown; language?: unknown };
      const inboxId = z.uuid().safeParse(auth.inboxId).data;
      const inbox = inboxId ? await ctx.inboxes.find(inboxId) : null;
      if (!inbox || inbox.kind !== 'widget') return next(new Error('unknown widget inbox'));
      const cfg = widgetInboxConfigSchema.parse(inbox.config ?? {});
      const origin = socket.handshake.headers.origin;
      // The product's own origin (its widget preview page) is always allowed.
      const own = new URL(ctx.publicUrl()).origin;
      if (!cfg.allowedOrigins.includes('*') && origin !== own && (!origin || !cfg.allowedOrigins.includes(origin))) return next(new Error(`this site (${origin ?? 'no origin'}) may not use this chat`));
      const visitor = identifyVisitor(ctx.config.appSecret, inbox.id, auth);
      const language = z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})?$/).safeParse(auth.language).data ?? null;
      const data: SocketData = { inbox, cfg, visitor, ip: socket.handshake.address, contact: visitor.user ? { name: visitor.user.name, email: visitor.user.email } : {}, language };
      socket.data = data;
      await socket.join(widgetRoom(inbox.id, visitor.threadKey));
      await presence.connected(inbox.id, visitor);
      next();
    } catch (err) {
      ctx.logger.warn({ err: errorMessage(err) }, 'widget connection refused');
      next(new Error('the chat is not available'));
    }
  });

  nsp.on('connection', (socket: Socket) => {
    const d = socket.data as SocketData;
    here.set(d.visitor.id, (here.get(d.visitor.id) ?? 0) + 1);
    const routing = inboxRoutingOf(d.inbox.routing);
    const open = isOpen(routing.businessHours ?? null, new Date());
    const words = widgetTextsFor(d.cfg, d.language);
    socket.emit('session', {
      visitorId: d.visitor.id,
      visitorToken: d.visitor.token,
      identified: !!d.visitor.user,
      language: words.language,
      greeting: words.greeting,
      texts: words.texts,
      open,
      notice: open ? null : words.offlineNotice,
      preChatForm: d.cfg.preChatForm && !d.visitor.user,
      maxMessageChars: d.cfg.maxMessageChars,
    });

    socket.on('history', async (_p: unknown, ack?: Ack) => {
      if (typeof ack !== 'function') return;
      try {
        ack({ ok: true, messages: await ctx.threads.history(d.inbox.id, d.visitor.threadKey) });
      } catch (err) {
        ack({ ok: false, error: errorMessage(err) });
      }
    });

    socket.on('message', async (payload: unknown, ack?: Ack) => {
      const answer = typeof ack === 'function' ? ack : () => {};
      const parsed = messageInput.safeParse(payload);
      if (!parsed.success) return answer({ ok: false, error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
      const m = parsed.data;
      if (m.text.length > d.cfg.maxMessageChars) return answer({ ok: false, error: `The message is too long (${m.text.length} characters; at most ${d.cfg.maxMessageChars}).` });
      if (!(await perVisitor.take(d.visitor.id, d.cfg.perVisitorPerMinute)) || !(await perIp.take(d.ip, d.cfg.perIpPerMinute))) {
        return answer({ ok: false, error: 'You are sending messages too quickly. Please wait a minute.', retryAfterSeconds: 60 });
      }
      // A verified user's name and email stand; a visitor's own words are kept, not trusted.
      if (!d.visitor.user) d.contact = { name: m.name ?? d.contact.name, email: m.email ?? d.contact.email };
      try {
        const accepted = await ctx.intake.accept(d.inbox.id, {
          externalId: `${d.visitor.id}:${m.clientId}`,
          from: {
            name: d.contact.name,
            identities: d.visitor.user
              ? [{ kind: 'widget', address: `${d.inbox.id}:user:${d.visitor.user.id}` }, { kind: 'email', address: d.visitor.user.email }]
              : [{ kind: 'widget', address: `${d.inbox.id}:visitor:${d.visitor.id}` }],
            unverifiedEmail: d.visitor.user ? undefined : d.contact.email,
          },
          text: m.text,
          thread: { key: d.visitor.threadKey, continueOpen: true },
          metadata: {
            widget: { visitorId: d.visitor.id, clientId: m.clientId, ...(m.pageUrl ? { pageUrl: m.pageUrl } : {}), ...(d.language ? { pageLanguage: d.language } : {}) },
            ...(m.selfService ? { selfService: { read: await ctx.help.titles(m.selfService.read), ...(m.selfService.query ? { query: m.selfService.query } : {}) } } : {}),
          },
        });
        if (m.selfService && !accepted.duplicate) await ctx.help.record('handed_over', { inboxId: d.inbox.id, visitorId: d.visitor.id });
        answer({ ok: true, id: accepted.messageId, clientId: m.clientId, duplicate: accepted.duplicate });
        // The visitor's other tabs and devices show it too.
        socket.to(widgetRoom(d.inbox.id, d.visitor.threadKey)).emit('message', { id: accepted.messageId, clientId: m.clientId, direction: 'inbound', text: m.text, author: 'you', sentAt: new Date().toISOString() });
      } catch (err) {
        ctx.logger.warn({ err: errorMessage(err), inboxId: d.inbox.id }, 'widget message not accepted');
        answer({ ok: false, error: 'Your message could not be sent. Please try again.' });
      }
    });

    // Self-service: articles as the visitor types, one article, "this solved it".
    socket.on('help:search', async (payload: unknown, ack?: Ack) => {
      if (typeof ack !== 'function') return;
      const p = z.object({ q: z.string().trim().min(2).max(500), language: z.string().max(20).optional() }).safeParse(payload);
      if (!p.success) return ack({ ok: true, articles: [] });
      try {
        ack({ ok: true, articles: await ctx.help.search(d.inbox.id, p.data.q, p.data.language?.split('-')[0] ?? null, 3) });
      } catch (err) {
        ack({ ok: false, error: errorMessage(err) });
      }
    });
    socket.on('help:article', async (payload: unknown, ack?: Ack) => {
      if (typeof ack !== 'function') return;
      const id = z.object({ id: z.uuid() }).safeParse(payload).data?.id;
      const article = id ? await ctx.help.article(d.inbox.id, id, d.visitor.id).catch(() => null) : null;
      ack(article ? { ok: true, article } : { ok: false, error: 'This article is not available.' });
    });
    socket.on('help:feedback', async (payload: unknown, ack?: Ack) => {
      const answer = typeof ack === 'function' ? ack : () => {};
      const p = z.object({ id: z.uuid(), solved: z.boolean() }).safeParse(payload);
      if (!p.success) return answer({ ok: false, error: 'an article id and solved: true or false' });
      await ctx.help.record(p.data.solved ? 'deflected' : 'not_helpful', { inboxId: d.inbox.id, articleId: p.data.id, visitorId: d.visitor.id }).catch(() => undefined);
      if (p.data.solved) await ctx.help.record('helpful', { inboxId: d.inbox.id, articleId: p.data.id, visitorId: d.visitor.id }).catch(() => undefined);
      answer({ ok: true });
    });

    // A rating from the survey's card: only a survey of this visitor's own thread is rated.
    socket.on('survey:rate', async (payload: unknown, ack?: Ack) => {
      const answer = typeof ack === 'function' ? ack : () => {};
      const p = z.object({ surveyId: z.uuid(), rating: z.number().int().min(1).max(5) }).safeParse(payload);
      if (!p.success) return answer({ ok: false, error: 'a survey id and a rating from 1 to 5' });
      try {
        const ok = await ctx.surveys.rate({ surveyId: p.data.surveyId, rating: p.data.rating, inboxId: d.inbox.id, threadKey: d.visitor.threadKey });
        answer(ok ? { ok: true } : { ok: false, error: 'This survey is not yours.' });
      } catch (err) {
        answer({ ok: false, error: errorMessage(err) });
      }
    });

    socket.on('read', async (payload: unknown) => {
      const upTo = z.object({ upTo: z.uuid() }).safeParse(payload).data?.upTo;
      if (!upTo) return;
      // Marks ours read up to the one they name (see DeliveryReportPort.readUpTo); a bad id marks none.
      await ctx.deliveryReports.readUpTo(d.inbox.id, d.visitor.threadKey, upTo).catch(() => null);
    });

    socket.on('disconnect', () => {
      const n = (here.get(d.visitor.id) ?? 1) - 1;
      if (n > 0) return void here.set(d.visitor.id, n);
      here.delete(d.visitor.id);
      void presence.disconnected(d.visitor.id).catch(() => {});
    });
  });

  const heartbeat = setInterval(() => void presence.seen([...here.keys()]).catch(() => {}), HEARTBEAT_MS);
  heartbeat.unref();
  io.on('close', () => clearInterval(heartbeat));
  return nsp;
}
