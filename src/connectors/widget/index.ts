import { Router } from 'express';
import { NotFoundError } from '../../platform/errors';
import type { Connector, ConnectorContext } from '../../inbox/channels/contract';
import { attachWidgetNamespace, WIDGET_NAMESPACE } from './namespace';
import { widgetRoom } from './visitors';
import { sendToVisitor } from './send';
import { embedSnippet, identitySecret, widgetInboxConfigSchema } from './setup';

/** A page that embeds an inbox's widget, to try it as a customer would (same origin as the product). */
function previewRoutes(ctx: ConnectorContext): Router {
  const router = Router();
  router.get('/widget/preview/:inboxId', async (req, res) => {
    const inbox = await ctx.inboxes.find(String(req.params.inboxId));
    if (!inbox || inbox.kind !== 'widget') throw new NotFoundError('Widget inbox');
    const name = inbox.name.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
    // ?lang=fr previews the widget on a page in that language (it speaks the page's language).
    const lang = /^[a-z]{2}(-[A-Z]{2})?$/.test(String(req.query.lang ?? '')) ? String(req.query.lang) : 'en';
    res.type('html').send(`<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${name}: widget preview</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#222">
<h1>${name}</h1><p>This page stands in for your website: the chat button at the bottom right is the widget your customers see. Messages you send appear in the agent inbox.</p>
<p>Embed it on your site with:</p><pre style="background:#f4f4f6;padding:.8rem;white-space:pre-wrap">${embedSnippet(ctx.publicUrl(), inbox.id).replace(/</g, '&lt;')}</pre>
<script src="/widget.js" data-inbox="${inbox.id}" async></script></body></html>`);
  });
  return router;
}

export const widgetConnector: Connector = {
  kind: 'widget',
  configSchema: widgetInboxConfigSchema,
  routes: previewRoutes,
  documentation: [
    {
      method: 'get', path: '/widget/preview/:inboxId', tag: 'channels', auth: 'none',
      summary: 'Chat widget: a page of the product that embeds the inbox\'s widget, to try it as a customer. The widget itself is /widget.js and the socket.io namespace /widget',
      responses: { 200: 'HTML page', 404: 'Unknown widget inbox' },
    },
  ],
  sockets: attachWidgetNamespace,
  send: sendToVisitor,
  agentTyping: (ctx, c, agent, typing) => {
    if (c.threadKey) ctx.realtime.emit(WIDGET_NAMESPACE, widgetRoom(c.inboxId, c.threadKey), 'typing', { typing, name: agent.name.split(' ')[0] });
  },
  describeNewInbox: (ctx, inbox) => ({
    embed: embedSnippet(ctx.publicUrl(), inbox.id),
    identitySecret: identitySecret(ctx.config.appSecret, inbox.id),
    identityHelp: 'For logged-in customers, set window.InboxWidget = { user: { id, email, name, hash } } before the script, with hash = hex HMAC-SHA256(identitySecret, "<id>:<email lower-cased>") computed on your server.',
  }),
};
