// Twilio Programmable Messaging: X-Twilio-Signature (base64 HMAC-SHA1 of the URL followed by
// the POST parameters sorted by name, name and value concatenated), the inbound and status
// webhook parameters, and the Messages resource of the REST API (form-encoded, basic auth).
import crypto from 'node:crypto';
import { ProviderError } from '../../platform/errors';
import type { InboundSms, SmsProvider, StatusReport } from './provider';

export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, k) => acc + k + params[k], url);
  return crypto.createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}

const STATUS: Record<string, StatusReport['status']> = { queued: null, accepted: null, scheduled: null, sending: null, sent: 'sent', delivered: 'delivered', read: 'read', undelivered: 'failed', failed: 'failed', canceled: 'failed' };

export class TwilioProvider implements SmsProvider {
  constructor(private readonly o: { apiUrl: string; accountSid: string; authToken: string; from: string }) {}

  verify({ url, params, signature, secret }: { url: string; params: Record<string, string>; signature: string | undefined; secret: string }): boolean {
    if (!signature) return false;
    const expected = Buffer.from(twilioSignature(secret, url, params));
    const given = Buffer.from(signature);
    return expected.length === given.length && crypto.timingSafeEqual(expected, given);
  }

  inbound(p: Record<string, string>): InboundSms {
    const n = Math.min(10, Number(p.NumMedia ?? 0) || 0);
    return {
      id: p.MessageSid ?? p.SmsSid ?? '',
      from: p.From ?? '',
      to: p.To ?? '',
      body: p.Body ?? '',
      media: Array.from({ length: n }, (_, i) => ({ url: p[`MediaUrl${i}`] ?? '', contentType: p[`MediaContentType${i}`] ?? 'application/octet-stream' })).filter((m) => m.url),
    };
  }

  status(p: Record<string, string>): StatusReport {
    const status = STATUS[(p.MessageStatus ?? p.SmsStatus ?? '').toLowerCase()] ?? null;
    const error = p.ErrorCode ? `Twilio error ${p.ErrorCode}${p.ErrorMessage ? `: ${p.ErrorMessage}` : ''}` : undefined;
    return { id: p.MessageSid ?? p.SmsSid ?? '', status, error };
  }

  private async call(method: 'GET' | 'POST', path: string, form?: Record<string, string>): Promise<Record<string, unknown>> {
    let res: Response;
    try {
      res = await fetch(`${this.o.apiUrl}/2010-04-01/Accounts/${this.o.accountSid}${path}`, {
        method,
        headers: { authorization: `Basic ${Buffer.from(`${this.o.accountSid}:${this.o.authToken}`).toString('base64')}`, ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        body: form ? new URLSearchParams(form).toString() : undefined,
        signal: AbortSignal.timeout(15_000),
      });
    } catch (err) {
      throw new ProviderError('calling Twilio', err);
    }
    const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (!res.ok) {
      const reason = `HTTP ${res.status}${json.code ? `, Twilio error ${String(json.code)}` : ''}${json.message ? `: ${String(json.message)}` : ''}`;
      // Too many requests and server trouble pass; a refused number or bad credentials do not.
      throw new ProviderError('calling Twilio', reason, res.status === 429 || res.status >= 500);
    }
    return json;
  }

  async send({ to, body, statusCallback }: { to: string; body: string; statusCallback: string }): Promise<{ id: string; segments: number | null }> {
    const r = await this.call('POST', '/Messages.json', { To: to, From: this.o.from, Body: body, StatusCallback: statusCallback });
    return { id: String(r.sid), segments: r.num_segments != null ? Number(r.num_segments) : null };
  }

  async check(): Promise<string> {
    const r = await this.call('GET', '.json');
    return `Twilio account ${String(r.friendly_name ?? this.o.accountSid)} (${String(r.status ?? 'unknown status')})`;
  }
}
