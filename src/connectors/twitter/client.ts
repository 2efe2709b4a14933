// twitter-api-v2, with the API's address configurable (it has no base-URL option: a plugin
// rewrites each request; TWITTER_API_URL points tests and proxies elsewhere).
import http from 'node:http';
import { TwitterApi, type ITwitterApiClientPlugin } from 'twitter-api-v2';
import type { Inbox } from '../../platform/db/client';
import type { ConnectorContext } from '../../inbox/channels/contract';

const OFFICIAL = /^https:\/\/api\.(twitter|x)\.com/;

export function twitterClient(ctx: ConnectorContext, inbox: Inbox): TwitterApi {
  const base = ctx.config.TWITTER_API_URL.replace(/\/$/, '');
  const rewrite: ITwitterApiClientPlugin = {
    onBeforeRequestConfig: ({ params }) => {
      params.url = params.url.replace(OFFICIAL, base);
    },
  };
  return new TwitterApi(
    {
      appKey: ctx.secrets.get(inbox, 'appKey'),
      appSecret: ctx.secrets.get(inbox, 'appSecret'),
      accessToken: ctx.secrets.get(inbox, 'accessToken'),
      accessSecret: ctx.secrets.get(inbox, 'accessSecret'),
    },
    { plugins: [rewrite], ...(base.startsWith('http:') ? { httpAgent: new http.Agent({ keepAlive: true }) } : {}) },
  );
}
