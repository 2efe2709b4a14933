// Stands in for X's API v2 (which the tests cannot reach): the mentions timeline with
// since_id and pagination tokens, recent search (posts served per query string, exactly as
// sent; since_id and next_token), DM events, posting a reply and a DM, users/me, and a 429
// with x-rate-limit-reset on demand, as https://docs.x.com documents them. Calls are recorded
// with their time, so a test can see that nothing was asked before a reset.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface XCall {
  at: number;
  method: string;
  path: string;
  query: Record<string, string>;
  body: any;
}

export interface FakeX {
  apiUrl: string;
  calls: XCall[];
  users: Map<string, { id: string; username: string; name: string; followers: number }>;
  /** Newest last, like a timeline that grows. */
  mentions: Array<{ id: string; text: string; author_id: string; conversation_id?: string; retweets?: number }>;
  dms: Array<{ id: string; text: string; sender_id: string; dm_conversation_id: string }>;
  /** What recent search finds, by the query string exactly as sent; `mentions`: usernames the post @-mentions. */
  search: Map<string, Array<{ id: string; text: string; author_id: string; mentions?: string[]; retweets?: number; created_at?: string }>>;
  /** The next mentions request answers 429, reset at this epoch second. */
  rateLimitNext(resetEpochSeconds: number): void;
  /** The next recent-search request answers 429, reset at this epoch second. */
  searchRateLimitNext(resetEpochSeconds: number): void;
  stop(): Promise<void>;
}

export async function startFakeX(o: { brandId: string; brandHandle: string }): Promise<FakeX> {
  let limitedUntil: number | null = null;
  let searchLimitedUntil: number | null = null;
  let next = 9_000_000_000_000_000_000n;
  const fake: FakeX = {
    apiUrl: '', calls: [], users: new Map(), mentions: [], dms: [], search: new Map(),
    rateLimitNext: (reset) => void (limitedUntil = reset),
    searchRateLimitNext: (reset) => void (searchLimitedUntil = reset),
    stop: () => new Promise((r) => server.close(() => r())),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://x');
      const query = Object.fromEntries(u.searchParams);
      const raw = Buffer.concat(chunks).toString();
      const body = raw ? JSON.parse(raw) : null;
      fake.calls.push({ at: Date.now(), method: req.method ?? '', path: u.pathname, query, body });
      const answer = (status: number, json: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(json));
      };
      if (!(req.headers.authorization ?? '').startsWith('OAuth ')) return answer(401, { title: 'Unauthorized', status: 401, detail: 'Unauthorized' });
      const includeUsers = (ids: string[]) => ({ users: [...new Set(ids)].map((id) => fake.users.get(id)).filter(Boolean).map((x) => ({ id: x!.id, username: x!.username, name: x!.name, public_metrics: { followers_count: x!.followers } })) });
      const page = <T extends { id: string }>(items: T[]) => {
        const newestFirst = [...items].sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1)).filter((t) => !query.since_id || BigInt(t.id) > BigInt(query.since_id));
        const start = Number(query.pagination_token ?? query.next_token ?? 0);
        const size = Number(query.max_results ?? 10);
        const slice = newestFirst.slice(start, start + size);
        const meta: Record<string, unknown> = { result_count: slice.length };
        if (slice.length) Object.assign(meta, { newest_id: slice[0]!.id, oldest_id: slice.at(-1)!.id });
        if (start + size < newestFirst.length) meta.next_token = String(start + size);
        return { slice, meta };
      };
      const mentionsPath = new RegExp(`^/2/users/${o.brandId}/mentions$`);
      if (req.method === 'GET' && mentionsPath.test(u.pathname)) {
        if (limitedUntil !== null) {
          const reset = limitedUntil;
          limitedUntil = null;
          return answer(429, { title: 'Too Many Requests', type: 'about:blank', status: 429, detail: 'Too Many Requests' }, { 'x-rate-limit-limit': '450', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(reset) });
        }
        const { slice, meta } = page(fake.mentions);
        const data = slice.map((t) => ({ id: t.id, text: t.text, author_id: t.author_id, conversation_id: t.conversation_id ?? t.id, created_at: new Date().toISOString(), public_metrics: { retweet_count: t.retweets ?? 0, like_count: 0, reply_count: 0, quote_count: 0 } }));
        return answer(200, slice.length ? { data, includes: includeUsers(slice.map((t) => t.author_id)), meta } : { meta });
      }
      if (req.method === 'GET' && u.pathname === '/2/tweets/search/recent') {
        if (searchLimitedUntil !== null) {
          const reset = searchLimitedUntil;
          searchLimitedUntil = null;
          return answer(429, { title: 'Too Many Requests', type: 'about:blank', status: 429, detail: 'Too Many Requests' }, { 'x-rate-limit-limit': '450', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(reset) });
        }
        if (!query.query) return answer(400, { title: 'Invalid Request', status: 400, detail: 'The `query` query parameter can not be empty' });
        const { slice, meta } = page(fake.search.get(query.query) ?? []);
        const data = slice.map((t) => ({
          id: t.id, text: t.text, author_id: t.author_id, conversation_id: t.id, created_at: t.created_at ?? new Date().toISOString(), lang: 'en',
          public_metrics: { retweet_count: t.retweets ?? 0, like_count: 0, reply_count: 0, quote_count: 0 },
          ...(t.mentions?.length ? { entities: { mentions: t.mentions.map((m, i) => ({ start: i, end: i + m.length + 1, username: m })) } } : {}),
        }));
        return answer(200, slice.length ? { data, includes: includeUsers(slice.map((t) => t.author_id)), meta } : { meta });
      }
      if (req.method === 'GET' && u.pathname === '/2/dm_events') {
        const { slice, meta } = page(fake.dms);
        const data = slice.map((e) => ({ id: e.id, event_type: 'MessageCreate', text: e.text, sender_id: e.sender_id, dm_conversation_id: e.dm_conversation_id, created_at: new Date().toISOString() }));
        return answer(200, slice.length ? { data, includes: includeUsers(slice.map((e) => e.sender_id)), meta } : { meta });
      }
      if (req.method === 'POST' && u.pathname === '/2/tweets') {
        next += 1n;
        return answer(201, { data: { id: String(next), text: body?.text, edit_history_tweet_ids: [String(next)] } });
      }
      const dm = /^\/2\/dm_conversations\/([^/]+)\/messages$/.exec(u.pathname);
      if (req.method === 'POST' && dm) {
        next += 1n;
        return answer(201, { data: { dm_conversation_id: dm[1], dm_event_id: String(next) } });
      }
      if (req.method === 'GET' && u.pathname === '/2/users/me') return answer(200, { data: { id: o.brandId, username: o.brandHandle, name: 'Acme' } });
      answer(404, { title: 'Not Found Error', status: 404, detail: `no ${req.method} ${u.pathname}` });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  fake.apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
