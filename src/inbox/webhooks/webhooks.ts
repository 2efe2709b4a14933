// Account-wide outbound webhooks: an admin subscribes a URL to events; each event becomes one
// delivery per subscribed endpoint (its id is the idempotency key), sent through the queue,
// signed (src/platform/http/webhook-signature.ts), retried with exponential backoff for up to
// a day, logged attempt by attempt, and the endpoint switched off after too many failures in a
// row. PostgreSQL holds every delivery: a lost job is found again by the sweep.
import crypto from 'node:crypto';
import type { AppConfig } from '../../platform/config';
import type { Database } from '../../platform/db/client';
import { errorMessage } from '../../platform/errors';
import { signedWebhookHeaders } from '../../platform/http/webhook-signature';
import type { Logger } from '../../platform/logger';
import type { QueueBackend } from '../../platform/queue';
import type { InboxEvent } from '../events';
import { QUEUES } from '../queues';
import { webhookUrlProblem } from './url-safety';

/** The events an endpoint may subscribe to ('*': all of them). */
export const WEBHOOK_EVENTS = [
  'conversation.created',
  'conversation.updated',
  'conversation.resolved',
  'conversation.deleted',
  'conversation.escalated',
  'message.created',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number] | 'ping';

export interface WebhookJob {
  deliveryId: string;
}

const TIMEOUT_MS = 10_000;
const EXCERPT_CHARS = 500;
const MAX_DELAY_MS = 3_600_000;

/** The endpoint's signing secret: derived, never stored; a new secretVersion is a new secret. */
export function webhookEndpointSecret(appSecret: string, endpointId: string, version: number): string {
  return `whsec_${crypto.createHmac('sha256', appSecret).update(`account-webhook:${endpointId}:${version}`).digest('base64url')}`;
}

/** What a domain event is called for webhook subscribers, and what they are sent (none: not a webhook event). */
export function webhookEventsOf(e: InboxEvent): Array<{ event: WebhookEvent; data: Record<string, unknown> }> {
  switch (e.type) {
    case 'conversation.created':
      return [{ event: 'conversation.created', data: { conversation: e.conversation } }];
    case 'conversation.updated': {
      const out: Array<{ event: WebhookEvent; data: Record<string, unknown> }> = [{ event: 'conversation.updated', data: { conversation: e.conversation, changes: e.changes } }];
      if (e.changes.includes('status') && e.conversation.status === 'resolved') out.push({ event: 'conversation.resolved', data: { conversation: e.conversation } });
      return out;
    }
    case 'conversation.deleted':
      return [{ event: 'conversation.deleted', data: { conversationId: e.conversationId, inboxId: e.inboxId } }];
    case 'conversation.escalated':
      return [{ event: 'conversation.escalated', data: { conversationId: e.conversationId, inboxId: e.inboxId, text: e.text } }];
    case 'message.created':
      // Activity lines are the app's own narration, not messages.
      return e.message.direction === 'activity' ? [] : [{ event: 'message.created', data: { message: e.message, conversationId: e.conversationId, inboxId: e.inboxId } }];
    default:
      return [];
  }
}

export interface WebhookOptions {
  db: Database;
  queue: QueueBackend;
  config: AppConfig;
  logger: Logger;
}

export class Webhooks {
  /** Whether any endpoint is enabled: most installations have none, and then an event costs nothing. */
  private anyEnabled: { value: boolean; at: number } | null = null;

  constructor(private readonly o: WebhookOptions) {}

  /** Forget what was cached about endpoints (an admin changed one). */
  changed(): void {
    this.anyEnabled = null;
  }

  private async hasEndpoints(): Promise<boolean> {
    if (this.anyEnabled && Date.now() - this.anyEnabled.at < 5_000) return this.anyEnabled.value;
    const { rows } = await this.o.db.pool.query(`SELECT 1 FROM webhook_endpoints WHERE enabled LIMIT 1`);
    this.anyEnabled = { value: rows.length > 0, at: Date.now() };
    return this.anyEnabled.value;
  }

  /** Records one delivery per endpoint subscribed to the event and queues them. */
  async publish(event: WebhookEvent, data: Record<string, unknown>, onlyEndpoint?: string): Promise<string[]> {
    if (!onlyEndpoint && !(await this.hasEndpoints())) return [];
    const { rows } = await this.o.db.pool.query<{ id: string }>(
      `INSERT INTO webhook_deliveries (endpoint_id, event, payload)
       SELECT id, $1, $2::jsonb FROM webhook_endpoints
        WHERE ($3::uuid IS NOT NULL AND id = $3::uuid) OR ($3::uuid IS NULL AND enabled AND ($1 = ANY(events) OR '*' = ANY(events)))
       RETURNING id`,
      [event, JSON.stringify({ ...data, occurredAt: new Date().toISOString() }), onlyEndpoint ?? null],
    );
    await this.enqueue(rows.map((r) => ({ id: r.id, attempts: 0 })));
    return rows.map((r) => r.id);
  }

  private async enqueue(deliveries: Array<{ id: string; attempts: number; delayMs?: number }>): Promise<void> {
    if (!deliveries.length) return;
    await this.o.queue
      .addBulk<WebhookJob>(QUEUES.webhooks, deliveries.map((d) => ({ name: 'deliver', data: { deliveryId: d.id }, options: { jobId: `wh-${d.id}-${d.attempts}`, delayMs: d.delayMs, attempts: 1 } })))
      .catch((err: unknown) => this.o.logger.warn({ err: errorMessage(err), deliveries: deliveries.length }, 'could not queue webhook deliveries; the sweep will'));
  }

  /** Sends a replayed delivery again (its id unchanged: receivers that saw it dedupe). */
  async replay(deliveryId: string): Promise<void> {
    const { rows } = await this.o.db.pool.query<{ attempts: number }>(
      `UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = now() WHERE id = $1 RETURNING attempts`,
      [deliveryId],
    );
    if (rows[0]) await this.enqueue([{ id: deliveryId, attempts: rows[0].attempts }]);
  }

  /** Queues pending deliveries whose job is overdue (lost with Redis, or queued while an endpoint was off). */
  async sweep(graceSeconds = 30): Promise<number> {
    const { rows } = await this.o.db.pool.query<{ id: string; attempts: number }>(
      `SELECT d.id, d.attempts FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
        WHERE d.status = 'pending' AND e.enabled AND d.next_attempt_at < now() - make_interval(secs => $1) ORDER BY d.next_attempt_at LIMIT 1000`,
      [graceSeconds],
    );
    await this.enqueue(rows);
    return rows.length;
  }

  /** One attempt of one delivery (the queue's job). */
  async deliver(job: WebhookJob): Promise<void> {
    const { rows } = await this.o.db.pool.query<{ id: string; event: string; payload: unknown; attempts: number; created_at: Date; status: string; endpoint_id: string; url: string; enabled: boolean; secret_version: number }>(
      `SELECT d.id, d.event, d.payload, d.attempts, d.created_at, d.status::text, e.id AS endpoint_id, e.url, e.enabled, e.secret_version
         FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE d.id = $1`,
      [job.deliveryId],
    );
    const d = rows[0];
    // Gone, done, or its endpoint switched off (it waits, pending, until the endpoint is on again).
    if (!d || d.status !== 'pending' || (!d.enabled && d.event !== 'ping')) return;
    const body = JSON.stringify({ id: d.id, type: d.event, createdAt: d.created_at.toISOString(), data: d.payload });
    const problem = await webhookUrlProblem(d.url, this.o.config.WEBHOOK_ALLOW_PRIVATE);
    if (problem) return this.recordFailure(d, { error: `not sent: ${problem}`, final: true });
    const started = performance.now();
    let res: Response;
    try {
      res = await fetch(d.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'engagement-inbox-webhooks',
          'x-inbox-event': d.event,
          'x-inbox-delivery': d.id,
          'idempotency-key': d.id,
          ...signedWebhookHeaders(webhookEndpointSecret(this.o.config.appSecret, d.endpoint_id, d.secret_version), body),
        },
        body,
        // A redirect would send our signed payload somewhere the admin did not choose.
        redirect: 'manual',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (err) {
      return this.recordFailure(d, { error: errorMessage(err), latencyMs: Math.round(performance.now() - started) });
    }
    const latencyMs = Math.round(performance.now() - started);
    const excerpt = (await res.text().catch(() => '')).slice(0, EXCERPT_CHARS);
    if (res.status >= 200 && res.status < 300) {
      await this.o.db.pool.query(
        `WITH d AS (UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, last_status_code = $2, last_latency_ms = $3, last_error = NULL, response_excerpt = $4, delivered_at = now() WHERE id = $1 RETURNING endpoint_id)
         UPDATE webhook_endpoints SET consecutive_failures = 0 WHERE id = (SELECT endpoint_id FROM d) AND consecutive_failures <> 0`,
        [d.id, res.status, latencyMs, excerpt],
      );
      return;
    }
    return this.recordFailure(d, { statusCode: res.status, latencyMs, excerpt, error: `HTTP ${res.status}` });
  }

  private async recordFailure(
    d: { id: string; attempts: number; created_at: Date; endpoint_id: string; url: string; event: string },
    f: { error: string; statusCode?: number; latencyMs?: number; excerpt?: string; final?: boolean },
  ): Promise<void> {
    const attempts = d.attempts + 1;
    const delayMs = Math.min(this.o.config.WEBHOOK_RETRY_MIN_MS * 2 ** (attempts - 1), MAX_DELAY_MS);
    const giveUpAt = d.created_at.getTime() + this.o.config.WEBHOOK_RETRY_HOURS * 3_600_000;
    const final = f.final || d.event === 'ping' || Date.now() + delayMs > giveUpAt;
    await this.o.db.pool.query(
      `UPDATE webhook_deliveries SET status = $2::"WebhookDeliveryStatus", attempts = $3, next_attempt_at = now() + make_interval(secs => $4::float8 / 1000),
              last_status_code = $5, last_latency_ms = $6, last_error = $7, response_excerpt = $8 WHERE id = $1`,
      [d.id, final ? 'failed' : 'pending', attempts, delayMs, f.statusCode ?? null, f.latencyMs ?? null, f.error, f.excerpt ?? null],
    );
    const { rows } = await this.o.db.pool.query<{ disabled: boolean }>(
      `UPDATE webhook_endpoints SET consecutive_failures = consecutive_failures + 1,
              enabled = CASE WHEN consecutive_failures + 1 >= $2 THEN false ELSE enabled END,
              disabled_reason = CASE WHEN consecutive_failures + 1 >= $2 AND enabled THEN $3 ELSE disabled_reason END
        WHERE id = $1 RETURNING (consecutive_failures >= $2 AND NOT enabled) AS disabled`,
      [d.endpoint_id, this.o.config.WEBHOOK_DISABLE_AFTER, `switched off after ${this.o.config.WEBHOOK_DISABLE_AFTER} failed attempts in a row (last: ${f.error})`],
    );
    if (rows[0]?.disabled) {
      this.changed();
      this.o.logger.warn({ endpointId: d.endpoint_id, url: d.url, lastError: f.error }, 'webhook endpoint switched off after repeated failures; deliveries wait until an admin switches it on');
    }
    this.o.logger.info({ deliveryId: d.id, url: d.url, attempt: attempts, error: f.error, final }, final ? 'webhook delivery failed for good' : 'webhook delivery failed; retrying later');
    if (!final) await this.enqueue([{ id: d.id, attempts, delayMs }]);
  }
}
