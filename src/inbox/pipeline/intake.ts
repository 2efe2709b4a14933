// The front door of the pipeline. A connector's normalised message is written to
// inbound_receipts (unique per inbox + external id) before anything answers the provider,
// then its id is queued. A crash after this point loses nothing: the sweeper re-queues
// receipts that are still pending. Messages arriving together share one INSERT and one
// commit (group commit), so accepting stays cheap under load.
import { Batcher } from '../../platform/batcher';
import type { Database } from '../../platform/db/client';
import type { QueueBackend } from '../../platform/queue';
import type { Logger } from '../../platform/logger';
import { ValidationError } from '../../platform/errors';
import type { Accepted, Intake as IntakePort } from '../channels/contract';
import { QUEUES, type InboundJob } from '../queues';
import { inboundMessageSchema, type InboundMessage, type InboundMessageInput } from './inbound-message';


const JOB_SIZE = 100;

interface Submission {
  inboxId: string;
  message: InboundMessage;
}

export class Intake implements IntakePort {
  private readonly batcher: Batcher<Submission, Accepted>;

  constructor(
    private readonly db: Database,
    private readonly queue: QueueBackend,
    private readonly logger: Logger,
  ) {
    this.batcher = new Batcher({ run: (s) => this.store(s), maxBatchSize: 200, maxInFlight: 1 });
  }

  async accept(inboxId: string, input: InboundMessageInput): Promise<Accepted> {
    const parsed = inboundMessageSchema.safeParse(input);
    if (!parsed.success) {
      throw new ValidationError('The message is not valid', parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
    }
    return this.batcher.submit({ inboxId, message: parsed.data });
  }

  private async store(submitted: Submission[]): Promise<Accepted[]> {
    const key = (inboxId: string, externalId: string) => `${inboxId}|${externalId}`;
    const requalify = (s: Submission): Submission => ({
      ...s,
      message: { ...s.message, externalId: `${s.message.externalId}#${s.message.contentKey}`, metadata: { ...s.message.metadata, reusedExternalId: s.message.externalId } },
    });
    // Two messages of this batch sharing an id but not their content: the later one is another message.
    const firstContent = new Map<string, string | undefined>();
    const batch = submitted.map((s) => {
      const k = key(s.inboxId, s.message.externalId);
      if (!firstContent.has(k)) {
        firstContent.set(k, s.message.contentKey);
        return s;
      }
      const c = firstContent.get(k);
      return c && s.message.contentKey && c !== s.message.contentKey ? requalify(s) : s;
    });
    const unique = [...new Map(batch.map((s) => [key(s.inboxId, s.message.externalId), s])).values()];
    const { rows: inserted } = await this.db.pool.query<{ id: string; message_id: string; inbox_id: string; external_id: string }>(
      `INSERT INTO inbound_receipts (inbox_id, external_id, payload)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::jsonb[])
       ON CONFLICT (inbox_id, external_id) DO NOTHING
       RETURNING id, message_id, inbox_id, external_id`,
      [unique.map((s) => s.inboxId), unique.map((s) => s.message.externalId), unique.map((s) => JSON.stringify(s.message))],
    );
    const fresh = new Map(inserted.map((r) => [key(r.inbox_id, r.external_id), r]));
    const known = new Map<string, { id: string; message_id: string; content_key: string | null; pending: boolean }>();
    const repeats = unique.filter((s) => !fresh.has(key(s.inboxId, s.message.externalId)));
    if (repeats.length) {
      const { rows } = await this.db.pool.query<{ id: string; message_id: string; inbox_id: string; external_id: string; content_key: string | null; pending: boolean }>(
        `SELECT id, message_id, inbox_id, external_id, payload->>'contentKey' AS content_key, status = 'pending' AS pending FROM inbound_receipts
          WHERE (inbox_id, external_id) IN (SELECT * FROM unnest($1::uuid[], $2::text[]))`,
        [repeats.map((s) => s.inboxId), repeats.map((s) => s.message.externalId)],
      );
      for (const r of rows) known.set(key(r.inbox_id, r.external_id), r);
    }
    // A client sending again what is stored but not yet threaded may never have had our answer (the
    // process died between the insert and the queue): queue it again (the same job id, so at most once more).
    const unqueued = [...known.values()].filter((r) => r.pending).map((r) => r.id);
    if (inserted.length || unqueued.length) await this.enqueue([...inserted.map((r) => r.id), ...unqueued]);
    // The same id with other content is another message: stored under a qualified id.
    const reused = (s: Submission) => {
      const k = known.get(key(s.inboxId, s.message.externalId));
      return !!k && !!s.message.contentKey && !!k.content_key && k.content_key !== s.message.contentKey;
    };
    const requalified = new Map<Submission, Accepted>();
    const others = batch.filter((s) => !fresh.has(key(s.inboxId, s.message.externalId)) && reused(s));
    if (others.length) {
      const again = await this.store(others.map(requalify));
      others.forEach((s, i) => requalified.set(s, again[i]!));
    }
    // The first submission of a new external id is new; every other one is a duplicate.
    const claimed = new Set<string>();
    return batch.map((s) => {
      const other = requalified.get(s);
      if (other) return other;
      const k = key(s.inboxId, s.message.externalId);
      const row = fresh.get(k);
      if (row && !claimed.has(k)) {
        claimed.add(k);
        return { messageId: row.message_id, receiptId: row.id, duplicate: false };
      }
      const r = row ?? known.get(k)!;
      return { messageId: r.message_id, receiptId: r.id, duplicate: true };
    });
  }

  /** Queues receipts for the pipeline, in jobs of up to JOB_SIZE receipts. */
  async enqueue(receiptIds: string[]): Promise<void> {
    const jobs: Array<{ name: string; data: InboundJob; options: { jobId: string } }> = [];
    for (let i = 0; i < receiptIds.length; i += JOB_SIZE) {
      const ids = receiptIds.slice(i, i + JOB_SIZE);
      // The first receipt names the job: the same receipts queued twice make one job.
      jobs.push({ name: 'process', data: { receiptIds: ids }, options: { jobId: `in-${ids[0]}-${ids.length}` } });
    }
    try {
      await this.queue.addBulk<InboundJob>(QUEUES.inbound, jobs);
    } catch (err) {
      // Already durable in the database; the sweeper queues it again.
      this.logger.warn({ err, receipts: receiptIds.length }, 'could not queue accepted messages; the sweeper will retry');
    }
  }
}
