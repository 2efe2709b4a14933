// Stands in for Twilio's REST API (which the tests cannot reach): the Messages resource and
// the account, answering as https://www.twilio.com/docs/messaging/api/message-resource
// documents, with basic auth checked and every call recorded.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TwilioCall {
  method: string;
  path: string;
  form: Record<string, string>;
}

export interface FakeTwilio {
  apiUrl: string;
  calls: TwilioCall[];
  /** Answers the next n message requests with this HTTP status (429, 500...). */
  failNext(n: number, status: number): void;
  /** From the nth message request on (1-based), requests are recorded but never answered: a send in flight, for as long as the sender lives. */
  holdFrom(n: number): void;
  stop(): Promise<void>;
}

export async function startFakeTwilio(o: { accountSid: string; authToken: string }): Promise<FakeTwilio> {
  let failures = 0;
  let failStatus = 500;
  let n = 0;
  let requests = 0;
  let holdAt = Infinity;
  const held: http.ServerResponse[] = [];
  const fake: FakeTwilio = {
    apiUrl: '',
    calls: [],
    failNext: (count, status) => {
      failures = count;
      failStatus = status;
    },
    holdFrom: (at) => void (holdAt = at),
    stop: () => {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      return new Promise((r) => server.close(() => r()));
    },
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString()));
      const answer = (status: number, json: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(json));
      };
      const expected = `Basic ${Buffer.from(`${o.accountSid}:${o.authToken}`).toString('base64')}`;
      if (req.headers.authorization !== expected) return answer(401, { code: 20003, message: 'Authenticate', status: 401 });
      const path = req.url ?? '';
      fake.calls.push({ method: req.method ?? '', path, form });
      if (req.method === 'GET' && path === `/2010-04-01/Accounts/${o.accountSid}.json`) return answer(200, { sid: o.accountSid, friendly_name: 'Acme', status: 'active' });
      if (req.method === 'POST' && path === `/2010-04-01/Accounts/${o.accountSid}/Messages.json`) {
        if (++requests >= holdAt) return void held.push(res);
        if (failures > 0) {
          failures--;
          return answer(failStatus, { code: failStatus === 429 ? 20429 : 20500, message: failStatus === 429 ? 'Too Many Requests' : 'Internal Server Error', status: failStatus });
        }
        n++;
        const sid = `SM${String(n).padStart(32, '0')}`;
        return answer(201, { sid, status: 'queued', to: form.To, from: form.From, body: form.Body, num_segments: null, account_sid: o.accountSid });
      }
      answer(404, { code: 20404, message: 'The requested resource was not found', status: 404 });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  fake.apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
