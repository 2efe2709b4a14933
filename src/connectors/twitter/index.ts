import { ApiResponseError } from 'twitter-api-v2';
import { ProviderError } from '../../platform/errors';
import { PermanentJobError } from '../../platform/queue';
import type { Connector, ConnectorContext, OutboundMessage, SendResult } from '../../inbox/channels/contract';
import { twitterClient } from './client';
import { MentionPoller } from './poller';
import { dmId, tweetId, twitterInboxConfigSchema } from './setup';

/** A reply to a mention is a public reply in its thread; in a DM conversation, a DM. */
async function send(ctx: ConnectorContext, out: OutboundMessage): Promise<SendResult> {
  const client = twitterClient(ctx, out.inbox);
  try {
    if (out.conversation.type === 'mention') {
      const last = [...out.history].reverse().find((h) => h.direction === 'inbound' && h.externalId?.startsWith('tweet:'));
      if (!last) throw new PermanentJobError('no post of the customer to reply to');
      const r = await client.v2.tweet(out.message.text, { reply: { in_reply_to_tweet_id: last.externalId!.slice('tweet:'.length) } });
      return { externalId: tweetId(r.data.id), status: 'sent', metadata: { twitter: { tweetId: r.data.id, public: true } } };
    }
    const key = out.conversation.threadKey;
    if (!key?.startsWith('dm:')) throw new PermanentJobError('this conversation has no X direct-message thread');
    const r = await client.v2.sendDmInConversation(key.slice('dm:'.length), { text: out.message.text });
    return { externalId: dmId(r.dm_event_id), status: 'sent', metadata: { twitter: { dmEventId: r.dm_event_id } } };
  } catch (err) {
    if (err instanceof PermanentJobError) throw err;
    if (err instanceof ApiResponseError) {
      // 429 and server trouble pass; anything else (a deleted post, DMs closed, duplicate text) will not.
      throw new ProviderError('posting to X', `HTTP ${err.code}: ${err.data?.detail ?? err.data?.title ?? err.message}`, err.code === 429 || err.code >= 500);
    }
    throw new ProviderError('posting to X', err);
  }
}

export const twitterConnector: Connector = {
  kind: 'twitter',
  configSchema: twitterInboxConfigSchema,
  send,
  async startInbox(ctx, inbox) {
    const cfg = twitterInboxConfigSchema.parse(inbox.config ?? {});
    if (!cfg.reading) return { stop: async () => {} };
    const poller = new MentionPoller(ctx, inbox, cfg, twitterClient(ctx, inbox));
    poller.start();
    return { stop: () => poller.stop() };
  },
  async testConnection(ctx, inbox) {
    const cfg = twitterInboxConfigSchema.parse(inbox.config ?? {});
    try {
      const me = await twitterClient(ctx, inbox).v2.me();
      if (me.data.id !== cfg.userId) return [{ name: 'account', ok: false, message: `The keys belong to @${me.data.username} (${me.data.id}), not to the configured user id ${cfg.userId}.` }];
      return [{ name: 'account', ok: true, message: `The keys work for @${me.data.username}.` }];
    } catch (err) {
      if (err instanceof ApiResponseError && err.code === 401) return [{ name: 'account', ok: false, message: 'X refused the keys (401): check the app key and secret and the access token and secret (user context, read and write, with DM permission).' }];
      if (err instanceof ApiResponseError && err.code === 429) return [{ name: 'account', ok: false, message: 'X says the rate limit is reached: try again after it resets.' }];
      return [{ name: 'account', ok: false, message: `X could not be reached: ${(err as Error).message}` }];
    }
  },
  describeNewInbox: () => ({
    next: 'Set the environment variables named in secretRefs (appKey, appSecret, accessToken, accessSecret: OAuth 1.0a user context of the brand account) on the worker; mentions and DMs are read every pollSeconds.',
  }),
};
