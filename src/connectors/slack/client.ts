// Bolt's Web API client for one inbox, and the people behind Slack user ids (users.info,
// cached: Slack rate-limits it, and a busy thread repeats the same few people).
import { webApi } from '@slack/bolt';
import type { Inbox } from '../../platform/db/client';
import { TtlCache } from '../../platform/ttl-cache';
import type { ConnectorContext } from '../../inbox/channels/contract';

export interface SlackPerson {
  id: string;
  name: string;
  email: string | null;
  isBot: boolean;
}

const clients = new Map<string, { token: string; client: webApi.WebClient }>();
const people = new TtlCache<string, SlackPerson>(10 * 60_000);

export function slackClient(ctx: ConnectorContext, inbox: Inbox): webApi.WebClient {
  const token = ctx.secrets.get(inbox, 'botToken');
  const known = clients.get(inbox.id);
  if (known?.token === token) return known.client;
  // Bolt's own retries would hold a reply for minutes; our outbound queue retries instead.
  const client = new webApi.WebClient(token, { slackApiUrl: ctx.config.SLACK_API_URL, retryConfig: { retries: 0 } });
  clients.set(inbox.id, { token, client });
  return client;
}

export async function personOf(client: webApi.WebClient, userId: string): Promise<SlackPerson> {
  return (await people.getOrLoad(userId, async () => {
    const r = await client.users.info({ user: userId });
    const u = r.user;
    return {
      id: userId,
      name: u?.profile?.display_name || u?.real_name || u?.name || userId,
      email: u?.profile?.email?.toLowerCase() ?? null,
      isBot: !!u?.is_bot,
    };
  }))!;
}
