import { Router, type Request, type Response, type NextFunction } from 'express';
import type { ExpressReceiver } from '@slack/bolt';
import { NotFoundError, ProviderError } from '../../platform/errors';
import { PermanentJobError } from '../../platform/queue';
import type { Connector, ConnectorContext } from '../../inbox/channels/contract';
import { slackClient } from './client';
import { eventsPath, slackReceiver, surveyBlocks } from './events';
import { slackInboxConfigSchema, slackMessageId } from './setup';

// One Bolt receiver per inbox, rebuilt when the inbox's settings change.
const receivers = new Map<string, { version: string; receiver: ExpressReceiver }>();

function routes(ctx: ConnectorContext): Router {
  const router = Router();
  router.post('/webhooks/slack/:inboxId/events', async (req: Request, res: Response, next: NextFunction) => {
    const inbox = await ctx.inboxes.find(String(req.params.inboxId));
    if (!inbox || inbox.kind !== 'slack') throw new NotFoundError('Slack inbox');
    const version = `${inbox.updatedAt.getTime()}`;
    let r = receivers.get(inbox.id);
    if (r?.version !== version) {
      r = { version, receiver: slackReceiver(ctx, inbox) };
      receivers.set(inbox.id, r);
    }
    r.receiver.router(req, res, next);
  });
  return router;
}

export const slackConnector: Connector = {
  kind: 'slack',
  configSchema: slackInboxConfigSchema,
  routes,
  async send(ctx, out) {
    const cfg = slackInboxConfigSchema.parse(out.inbox.config ?? {});
    if (!out.conversation.threadKey) throw new PermanentJobError('this conversation has no Slack thread');
    try {
      // A survey gets its five rating buttons (the text, which says "reply 1–5", stays for notifications and old clients).
      const blocks = out.survey ? surveyBlocks(out.message.text, out.survey.id) : undefined;
      const r = await slackClient(ctx, out.inbox).chat.postMessage({ channel: cfg.channelId, thread_ts: out.conversation.threadKey, text: out.message.text, unfurl_links: false, ...(blocks ? { blocks } : {}) });
      return { externalId: slackMessageId(cfg.channelId, r.ts!), status: 'delivered', metadata: { slack: { channel: cfg.channelId, ts: r.ts } } };
    } catch (err) {
      const code = (err as { data?: { error?: string } }).data?.error;
      // Errors Slack will repeat however often we ask: the agent needs to know now.
      const permanent = ['channel_not_found', 'not_in_channel', 'is_archived', 'invalid_auth', 'account_inactive', 'token_revoked', 'msg_too_long', 'no_text'].includes(code ?? '');
      throw new ProviderError('posting the reply to Slack', code ?? err, !permanent);
    }
  },
  async alert(ctx, inbox, alert) {
    const cfg = slackInboxConfigSchema.parse(inbox.config ?? {});
    // Spikes of posts about the brand are as urgent as escalations; rules' notifications only with alertOn "all".
    if (!cfg.alertChannelId || (cfg.alertOn === 'escalations' && alert.kind === 'rule')) return;
    const link = alert.link ? `${ctx.publicUrl()}${alert.link}` : `${ctx.publicUrl()}/?conversation=${alert.conversationId}`;
    const [first, ...rest] = alert.text.split('\n');
    await slackClient(ctx, inbox).chat.postMessage({ channel: cfg.alertChannelId, text: [`${alert.kind === 'spike' ? ':chart_with_upwards_trend:' : ':rotating_light:'} ${first} — ${link}`, ...rest].join('\n') });
  },
  async testConnection(ctx, inbox) {
    const cfg = slackInboxConfigSchema.parse(inbox.config ?? {});
    try {
      const client = slackClient(ctx, inbox);
      const auth = await client.auth.test();
      const info = await client.conversations.info({ channel: cfg.channelId }).catch((err: { data?: { error?: string } }) => ({ ok: false, error: err.data?.error }));
      return [
        { name: 'token', ok: true, message: `The bot token works (workspace ${auth.team ?? auth.team_id}, bot ${auth.user ?? auth.user_id}).` },
        info.ok
          ? { name: 'channel', ok: true, message: `The bot can see channel ${cfg.channelId}.` }
          : { name: 'channel', ok: false, message: `The bot cannot see channel ${cfg.channelId} (${'error' in info ? info.error : 'unknown'}): invite it with /invite @yourbot.` },
      ];
    } catch (err) {
      const code = (err as { data?: { error?: string } }).data?.error;
      return [{ name: 'token', ok: false, message: code === 'invalid_auth' ? 'Slack refused the bot token (invalid_auth): copy the Bot User OAuth Token again.' : `Slack could not be reached: ${code ?? (err as Error).message}` }];
    }
  },
  documentation: [
    {
      method: 'post', path: '/webhooks/slack/:inboxId/events', tag: 'channels', auth: 'none',
      summary: "Slack: the Events API and Interactivity request URL of a Slack inbox (messages; survey rating buttons), verified with the signing secret (v0 signature, 5-minute window)",
      responses: { 200: 'Handled (url_verification answered with its challenge)', 401: 'Bad signature or stale timestamp: nothing stored', 404: 'Unknown Slack inbox' },
    },
  ],
  describeNewInbox: (ctx, inbox) => ({
    eventsUrl: `${ctx.publicUrl()}${eventsPath(inbox.id)}`,
    next: 'In your Slack app: Event Subscriptions → Request URL = eventsUrl (and Interactivity & Shortcuts → Request URL = eventsUrl too, for the survey\'s rating buttons), subscribe to message.channels (and message.groups for private channels); scopes chat:write, channels:history, users:read, users:read.email. Set the environment variables named in secretRefs.botToken and secretRefs.signingSecret.',
  }),
};
