// Stands in for Telegram's Bot API (which the tests cannot reach): methods called as
// POST /bot<token>/<method> with a JSON body, answered { ok, result } or { ok: false,
// error_code, description } as https://core.telegram.org/bots/api documents; getFile and the
// file download at /file/bot<token>/<path>; every call recorded. grammY's real client talks to it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TelegramCall {
  method: string;
  params: Record<string, any>;
}

export interface FakeTelegram {
  apiUrl: string;
  calls: TelegramCall[];
  /** Files the bot can fetch: file_id → path and bytes. */
  files: Map<string, { path: string; bytes: Buffer }>;
  webhookUrl: string;
  stop(): Promise<void>;
}

export async function startFakeTelegram(o: { token: string; username: string }): Promise<FakeTelegram> {
  let messageId = 5_000;
  const fake: FakeTelegram = { apiUrl: '', calls: [], files: new Map(), webhookUrl: '', stop: () => new Promise((r) => server.close(() => r())) };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = (status: number, json: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(json));
      };
      const url = new URL(req.url ?? '/', 'http://telegram');
      const download = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
      if (download) {
        if (download[1] !== o.token) return answer(401, { ok: false, error_code: 401, description: 'Unauthorized' });
        const file = [...fake.files.values()].find((f) => f.path === download[2]);
        if (!file) return answer(404, { ok: false, error_code: 404, description: 'Not Found' });
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        return res.end(file.bytes);
      }
      const call = /^\/bot([^/]+)\/(\w+)$/.exec(url.pathname);
      if (!call) return answer(404, { ok: false, error_code: 404, description: 'Not Found' });
      if (call[1] !== o.token) return answer(401, { ok: false, error_code: 401, description: 'Unauthorized' });
      const raw = Buffer.concat(chunks).toString();
      const params = raw ? (JSON.parse(raw) as Record<string, any>) : Object.fromEntries(url.searchParams);
      const method = call[2]!;
      fake.calls.push({ method, params });
      switch (method) {
        case 'getMe':
          return answer(200, { ok: true, result: { id: 777000111, is_bot: true, first_name: 'Acme Support', username: o.username, can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false } });
        case 'setWebhook':
          fake.webhookUrl = String(params.url ?? '');
          return answer(200, { ok: true, result: true, description: 'Webhook was set' });
        case 'getWebhookInfo':
          return answer(200, { ok: true, result: { url: fake.webhookUrl, has_custom_certificate: false, pending_update_count: 0 } });
        case 'sendMessage': {
          if (!params.text) return answer(400, { ok: false, error_code: 400, description: 'Bad Request: message text is empty' });
          messageId++;
          return answer(200, { ok: true, result: { message_id: messageId, date: Math.floor(Date.now() / 1000), chat: { id: Number(params.chat_id), type: 'private' }, text: params.text } });
        }
        case 'getFile': {
          const file = fake.files.get(String(params.file_id));
          if (!file) return answer(400, { ok: false, error_code: 400, description: 'Bad Request: invalid file_id' });
          return answer(200, { ok: true, result: { file_id: params.file_id, file_unique_id: `u${params.file_id}`, file_size: file.bytes.length, file_path: file.path } });
        }
        default:
          return answer(404, { ok: false, error_code: 404, description: 'Not Found: method not found' });
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  fake.apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
