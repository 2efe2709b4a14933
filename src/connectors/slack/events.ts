// Slack's Events API for one inbox, through Bolt's ExpressReceiver: it verifies the signing
// secret and the timestamp window (401 otherwise) and acknowledges after we stored the
// event. A top-level message starts a conversation (its ts is the thread key); replies in
// its thread continue it; a reply by a workspace member who is one of our agents is our
// side of the conversation. Slack's retries carry the same ts: stored once. The same URL takes
// Interactivity requests: a click on a survey's rating button, counted only from the thread's
// customer (a colleague in a shared channel sees the buttons too).
import { App, ExpressReceiver, LogLevel, type BlockAction, type ButtonAction } from '@slack/bolt';
import type { Inbox } from '../../platform/db/client';
import { errorMessage } from '../../platform/errors';
import type { ConnectorContext } from '../../inbox/channels/contract';
import { personOf, slackClient } from './client';
import { isConversationMessage, slackToInboundMessage, type SlackMessageEvent } from './inbound';
import { slackInboxConfigSchema, slackMessageId } from './setup';

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
    if (!isConversationMessage(e)) return;
    const person = await personOf(client, e.user!);
    if (person.isBot) return;
    const agent = person.email ? await ctx.agents.byEmail(person.email) : null;
    // A colleague answering in Slack: our reply in the customer's thread (ignored outside a known thread).
    const customer = agent ? await ctx.threads.customerAddresses(inbox.id, e.thread_ts ?? e.ts, 'slack') : [];
    if (agent && !customer.length) return;
    await ctx.intake.accept(inbox.id, slackToInboundMessage(e, { name: person.name, email: person.email, agentId: agent?.id ?? null }, customer));
  });

  app.action<BlockAction<ButtonAction>>(/^survey_rate_[1-5]$/, async ({ ack, body, action }) => {
    await ack();
    const [surveyId, rating] = action.value?.split(':') ?? [];
    const threadKey = body.message?.thread_ts ?? body.container?.thread_ts;
    const channel = body.channel?.id ?? cfg.channelId;
    if (!surveyId || !rating || !threadKey) return;
    const who = `${body.user.team_id ?? body.team?.id ?? 'T'}:${body.user.id}`;
    const customer = await ctx.threads.customerAddresses(inbox.id, threadKey, 'slack');
    const ok = customer.includes(who) && (await ctx.surveys.rate({ surveyId, rating: Number(rating), inboxId: inbox.id, threadKey }));
    if (!ok) {
      await client.chat.postEphemeral({ channel, user: body.user.id, thread_ts: threadKey, text: 'Only the customer this survey was sent to can rate it.' });
      return;
    }
    // The buttons go; the rating may still be changed from the survey page within 7 days.
    await client.chat.update({ channel, ts: body.message!.ts, text: `Thank you: you rated us ${rating} of 5.`, blocks: [] });
  });

  app.error(async (err) => {
    ctx.logger.warn({ inboxId: inbox.id, err: errorMessage(err) }, 'a Slack event could not be handled; Slack will retry it');
    throw err; // answered 500: Slack retries, and the retry is deduplicated by ts
  });
  return receiver;
}

/** A survey's message as Slack blocks: its words and five rating buttons (value: survey id and rating). */
export function surveyBlocks(text: string, surveyId: string) {
  return [
    { type: 'section', text: { type: 'plain_text', text } },
    {
      type: 'actions',
      block_id: 'survey',
      elements: [1, 2, 3, 4, 5].map((n) => ({ type: 'button', text: { type: 'plain_text', text: String(n) }, action_id: `survey_rate_${n}`, value: `${surveyId}:${n}` })),
    },
  ];
}
