// Stands in for Meta's Graph API as Meta documents it. WhatsApp's Cloud API
// (https://developers.facebook.com/docs/whatsapp/cloud-api): sending messages
// (POST /{version}/{phone-number-id}/messages), media lookup (GET /{version}/{media-id}) and
// download (the URL it answers, with the same bearer token), the phone number (GET
// /{version}/{phone-number-id}). The Messenger Platform (Messenger and Instagram): sending
// (POST /{version}/{page-id}/messages, to a recipient id or, once per comment, a comment_id —
// the private reply), public replies (POST /{comment-id}/replies on Instagram, /comments on
// Facebook), hiding (POST /{comment-id} with hide or is_hidden), posts and profiles (GET /{id}).
// Bearer token checked, every call recorded.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface MetaCall {
  method: string;
  path: string;
  body: any;
}

export interface FakeMeta {
  apiUrl: string;
  calls: MetaCall[];
  media: Map<string, { mimeType: string; bytes: Buffer }>;
  /** Comments under posts: who wrote each (the id a private reply reaches), hidden or not, answered privately or not. */
  comments: Map<string, { from: string; hidden: boolean; privatelyAnswered?: boolean }>;
  /** Posts (Instagram media or Facebook posts) and profiles, as GET /{id} answers them. */
  objects: Map<string, Record<string, unknown>>;
  /** Files at a CDN URL (Messenger attachments), no token needed. */
  cdn: Map<string, { mimeType: string; bytes: Buffer }>;
  stop(): Promise<void>;
}

export async function startFakeMeta(o: { token: string; phoneNumberId?: string; pageIds?: string[] }): Promise<FakeMeta> {
  let n = 0;
  const fake: FakeMeta = { apiUrl: '', calls: [], media: new Map(), comments: new Map(), objects: new Map(), cdn: new Map(), stop: () => new Promise((r) => server.close(() => r())) };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString();
      const path = new URL(req.url ?? '/', 'http://graph').pathname;
      fake.calls.push({ method: req.method ?? '', path, body: raw ? JSON.parse(raw) : null });
      const answer = (status: number, json: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(json));
      };
      const cdn = /^\/cdn\/(.+)$/.exec(path);
      if (cdn) {
        const f = fake.cdn.get(cdn[1]!);
        if (!f) return answer(404, { error: { message: 'Not found' } });
        res.writeHead(200, { 'content-type': f.mimeType });
        return res.end(f.bytes);
      }
      if (req.headers.authorization !== `Bearer ${o.token}`) return answer(401, { error: { message: 'Invalid OAuth access token.', type: 'OAuthException', code: 190 } });
      const download = /^\/media-files\/(.+)$/.exec(path);
      if (download) {
        const m = fake.media.get(download[1]!);
        if (!m) return answer(404, { error: { message: 'Not found', code: 100 } });
        res.writeHead(200, { 'content-type': m.mimeType });
        return res.end(m.bytes);
      }
      const parts = path.split('/').filter(Boolean); // [version, id, edge?]
      const body = JSON.parse(raw || '{}') as Record<string, any>;
      if (req.method === 'POST' && parts[1] === o.phoneNumberId && parts[2] === 'messages') {
        if (!body.to) return answer(400, { error: { message: '(#100) The parameter to is required.', code: 100 } });
        n++;
        return answer(200, { messaging_product: 'whatsapp', contacts: [{ input: body.to, wa_id: body.to }], messages: [{ id: `wamid.OUT${String(n).padStart(6, '0')}` }] });
      }
      if (req.method === 'POST' && o.pageIds?.includes(parts[1]!) && parts[2] === 'messages') {
        n++;
        if (body.recipient?.comment_id) {
          const c = fake.comments.get(body.recipient.comment_id);
          if (!c) return answer(400, { error: { message: '(#100) Invalid comment_id', code: 100 } });
          if (c.privatelyAnswered) return answer(400, { error: { message: '(#10900) Activity already replied to', code: 10900 } });
          c.privatelyAnswered = true;
          return answer(200, { recipient_id: c.from, message_id: `m_PRIVATE${n}` });
        }
        if (!body.recipient?.id || !body.message) return answer(400, { error: { message: '(#100) recipient and message are required', code: 100 } });
        return answer(200, { recipient_id: body.recipient.id, message_id: `m_OUT${n}` });
      }
      if (req.method === 'POST' && fake.comments.has(parts[1]!) && (parts[2] === 'replies' || parts[2] === 'comments')) {
        if (!body.message) return answer(400, { error: { message: '(#100) message is required', code: 100 } });
        return answer(200, { id: `reply_${++n}` });
      }
      if (req.method === 'POST' && fake.comments.has(parts[1]!) && !parts[2]) {
        const hidden = body.hide ?? body.is_hidden;
        if (typeof hidden !== 'boolean') return answer(400, { error: { message: '(#100) nothing to change', code: 100 } });
        fake.comments.get(parts[1]!)!.hidden = hidden;
        return answer(200, { success: true });
      }
      if (req.method === 'GET' && parts.length === 2 && fake.objects.has(parts[1]!)) return answer(200, { id: parts[1], ...fake.objects.get(parts[1]!) });
      if (req.method === 'GET' && parts[1] === o.phoneNumberId && !parts[2]) return answer(200, { id: o.phoneNumberId, display_phone_number: '+1 415-555-0100', verified_name: 'Acme' });
      if (req.method === 'GET' && parts.length === 2 && fake.media.has(parts[1]!)) {
        const m = fake.media.get(parts[1]!)!;
        return answer(200, { messaging_product: 'whatsapp', id: parts[1], url: `${fake.apiUrl}/media-files/${parts[1]}`, mime_type: m.mimeType, file_size: m.bytes.length, sha256: 'x' });
      }
      answer(404, { error: { message: `Unknown path ${req.method} ${path}`, code: 100 } });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  fake.apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
