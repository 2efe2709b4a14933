// Slack's Events API for one inbox, through Bolt's ExpressReceiver: it verifies the signing
// secret and the timestamp window (401 otherwise) and acknowledges after we stored the
// event. A top-level message starts a conversation (its ts is the thread key); replies in
// its thread continue it; a reply by a workspace member who is one of our agents is our
// side of the conversation. Slack's retries carry the same ts: stored once.
import { App, ExpressReceiver, LogLevel } from '@slack/bolt';
import type { Inbox } from '../../platform/db/client';
import { errorMessage } from '../../platform/errors';
import type { ConnectorContext } from '../../inbox/channels/contract';
import { personOf, slackClient } from './client';
import { slackInboxConfigSchema, slackMessageId } from './setup';

interface SlackMessageEvent {
  type: 'message';
  subtype?: string;
  channel: string;
  user?: string;
  bot_id?: string;
  text?: string;
  ts: string;
  thread_ts?: string;
  team?: string;
  message?: { ts: string; text?: string; user?: string; bot_id?: string };
  deleted_ts?: string;
  files?: Array<{ name?: string; mimetype?: string; size?: number; url_private?: string }>;
}

export const eventsPath = (inboxId: string) => `/webhooks/slack/${inboxId}/events`;

export function slackReceiver(ctx: ConnectorContext, inbox: Inbox): ExpressReceiver {
  const cfg = slackInboxConfigSchema.parse(inbox.config ?? {});
  const receiver = new ExpressReceiver({ signingSecret: ctx.secrets.get(inbox, 'signingSecret'), endpoints: eventsPath(inbox.id), processBeforeResponse: true, logLevel: LogLevel.ERROR });
  const app = new App({ receiver, token: ctx.secrets.get(inbox, 'botToken'), tokenVerificationEnabled: false, logLevel: LogLevel.ERROR, clientOptions: { slackApiUrl: ctx.config.SLACK_API_URL } });
  const client = slackClient(ctx, inbox);

  app.event('message', async ({ event }) => {
    const e = event as unknown as SlackMessageEvent;
    if (e.channel !== cfg.channelId) return;
    if (e.subtype === 'message_changed' && e.message) {
      await ctx.messages.edited(inbox.id, slackMessageId(e.channel, e.message.ts), e.message.text ?? '');
      return;
    }
    if (e.subtype === 'message_deleted' && e.deleted_ts) {
      await ctx.messages.deleted(inbox.id, slackMessageId(e.channel, e.deleted_ts));
      return;
    }
    // Our own posts echoed back, joins, topic changes...: not conversation.
    if (e.bot_id || !e.user || (e.subtype && !['file_share', 'thread_broadcast'].includes(e.subtype))) return;
    const person = await personOf(client, e.user);
    if (person.isBot) return;
    const threadKey = e.thread_ts ?? e.ts;
    const agent = person.email ? await ctx.agents.byEmail(person.email) : null;
    let identities = [{ kind: 'slack' as const, address: `${e.team ?? 'T'}:${e.user}` }, ...(person.email ? [{ kind: 'email' as const, address: person.email }] : [])];
    if (agent) {
      // A colleague answering in Slack: our reply in the customer's thread (ignored outside a known thread).
      const customer = await ctx.threads.customerAddresses(inbox.id, threadKey, 'slack');
      if (!customer.length) return;
      identities = customer.map((address) => ({ kind: 'slack' as const, address }));
    }
    await ctx.intake.accept(inbox.id, {
      externalId: slackMessageId(e.channel, e.ts),
      from: { name: agent ? undefined : person.name, identities },
      text: e.text ?? '',
      sentAt: new Date(Number(e.ts) * 1000).toISOString(),
      direction: agent ? 'outbound' : 'inbound',
      thread: { key: threadKey, continueOpen: false },
      attachments: (e.files ?? []).filter((f) => f.url_private).slice(0, 20).map((f) => ({ fileName: f.name ?? 'file', contentType: f.mimetype ?? 'application/octet-stream', size: f.size ?? 0, url: f.url_private! })),
      metadata: { slack: { channel: e.channel, ts: e.ts, user: e.user, ...(agent ? { agentId: agent.id } : {}) } },
    });
  });

  app.error(async (err) => {
    ctx.logger.warn({ inboxId: inbox.id, err: errorMessage(err) }, 'a Slack event could not be handled; Slack will retry it');
    throw err; // answered 500: Slack retries, and the retry is deduplicated by ts
  });
  return receiver;
}
