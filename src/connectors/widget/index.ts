import type { Connector } from '../types';
import { attachWidgetNamespace, WIDGET_NAMESPACE } from './namespace';
import { widgetRoom } from './visitors';
import { sendToVisitor } from './send';
import { embedSnippet, identitySecret, widgetInboxConfigSchema } from './setup';

export const widgetConnector: Connector = {
  kind: 'widget',
  configSchema: widgetInboxConfigSchema,
  sockets: attachWidgetNamespace,
  send: sendToVisitor,
  agentTyping: (ctx, c, agent, typing) => {
    if (c.threadKey) ctx.realtime.emit(WIDGET_NAMESPACE, widgetRoom(c.inboxId, c.threadKey), 'typing', { typing, name: agent.name.split(' ')[0] });
  },
  describeNewInbox: (ctx, inbox) => ({
    embed: embedSnippet(ctx.config.publicUrl, inbox.id),
    identitySecret: identitySecret(ctx.config.appSecret, inbox.id),
    identityHelp: 'For logged-in customers, set window.InboxWidget = { user: { id, email, name, hash } } before the script, with hash = hex HMAC-SHA256(identitySecret, "<id>:<email lower-cased>") computed on your server.',
  }),
};
