// Stands in for Slack's Web API (which the tests cannot reach): a local HTTP server that
// answers the methods we call the way https://api.slack.com/methods documents them, and
// records every call. Bolt's real WebClient is pointed at it (slackApiUrl).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import crypto from 'node:crypto';

export interface SlackCall {
  method: string;
  params: Record<string, string>;
  token: string | null;
}

export interface FakeSlack {
  apiUrl: string;
  calls: SlackCall[];
  users: Record<string, { name: string; email?: string; bot?: boolean }>;
  stop(): Promise<void>;
}

export async function startFakeSlack(o: { token: string }): Promise<FakeSlack> {
  let ts = 1_800_000_000; // after every ts the tests make up
  const fake: FakeSlack = { apiUrl: '', calls: [], users: {}, stop: async () => void (await new Promise((r) => server.close(r))) };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      const params = (req.headers['content-type'] ?? '').includes('json') ? (JSON.parse(body || '{}') as Record<string, string>) : Object.fromEntries(new URLSearchParams(body));
      const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0]!;
      const token = (req.headers.authorization ?? '').replace(/^Bearer /, '') || params.token || null;
      fake.calls.push({ method, params, token });
      const answer = (status: number, json: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(json));
      };
      if (token !== o.token) return answer(200, { ok: false, error: 'invalid_auth' });
      switch (method) {
        case 'auth.test':
          return answer(200, { ok: true, url: 'https://acme.slack.com/', team: 'Acme', user: 'inboxbot', team_id: 'T0001', user_id: 'U0BOT', bot_id: 'B0BOT' });
        case 'users.info': {
          const u = fake.users[params.user ?? ''];
          if (!u) return answer(200, { ok: false, error: 'user_not_found' });
          return answer(200, { ok: true, user: { id: params.user, name: u.name.toLowerCase(), real_name: u.name, is_bot: !!u.bot, profile: { display_name: u.name, email: u.email } } });
        }
        case 'chat.postMessage':
          ts += 1;
          return answer(200, { ok: true, channel: params.channel, ts: `${ts}.000100`, message: { text: params.text, ts: `${ts}.000100`, thread_ts: params.thread_ts } });
        case 'chat.update':
          return answer(200, { ok: true, channel: params.channel, ts: params.ts, text: params.text });
        case 'chat.postEphemeral':
          ts += 1;
          return answer(200, { ok: true, message_ts: `${ts}.000200` });
        case 'conversations.info':
          return params.channel?.startsWith('C') ? answer(200, { ok: true, channel: { id: params.channel, name: 'customer-acme' } }) : answer(200, { ok: false, error: 'channel_not_found' });
        default:
          return answer(200, { ok: false, error: 'unknown_method' });
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  fake.apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
  return fake;
}

/** Signs an Events API request the way Slack does (v0 signature over "v0:<timestamp>:<body>"). */
export function signSlack(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  const sig = `v0=${crypto.createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': sig, 'content-type': 'application/json' };
}
