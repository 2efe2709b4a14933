// The worker role: consumes the inbox's queues and runs the sweeper.
import type { Job } from '../platform/queue';
import { modelVersion } from '../sentiment';
import { errorMessage } from '../platform/errors';
import { Periodic } from '../platform/periodic';
import { compactReportRollups } from './reports/rollups';
import { forgetListChanges } from './conversations/list';
import type { OutboundDelivery } from './outbound/deliver';
import type { InboundPipeline } from './pipeline/process-inbound';
import { Sweeper } from './pipeline/sweeper';
import { isDatabaseUnavailable } from '../platform/db/availability';
import { waitFor } from '../platform/wait-for';
import type { WebhookJob } from './webhooks/webhooks';
import { ChannelRunner } from './channels/runner';
import { QUEUES, type ContactsJob, type InboundJob, type OutboundJob, type TimerJob } from './queues';
import { requeueContactImports, runContactImport } from './contacts/import';
import { findDuplicatePairs, storeSuggestions } from './contacts/suggestions';
import { applyRetention } from './privacy/retention';
import { SurveyAnswers } from './surveys/answer';
import { Surveys } from './surveys/surveys';
import { IncidentUpdates } from './incidents/updates';
import { SpikeWatch } from './community/spike-watch';
import type { Routing } from './routing';
import type { InboxServices } from './services';

export interface InboxWorker {
  sweeper: Sweeper;
  /** Readers of channels that pull from their provider (IMAP). */
  channels: ChannelRunner;
  stop(): Promise<void>;
}

export function startInboxWorker(s: InboxServices, pipeline: InboundPipeline, delivery: OutboundDelivery, routing: Routing, o: { now?: () => Date } = {}): InboxWorker {
  const { prisma } = s.db;
  // Load the analysis models now, not on the first message: start-up says what it costs.
  const loading = performance.now();
  s.logger.info({ modelVersion: modelVersion(), ms: Math.round(performance.now() - loading) }, 'analysis models loaded');
  s.queue.process<InboundJob>(
    QUEUES.inbound,
    async (job: Job<InboundJob>) => {
      let ids = job.data.receiptIds;
      let failed: Array<{ id: string; err: unknown }>;
      for (;;) {
        const results = await Promise.allSettled(ids.map((id) => pipeline.process(id)));
        failed = ids.flatMap((id, i) => (results[i]!.status === 'rejected' ? [{ id, err: (results[i] as PromiseRejectedResult).reason }] : []));
        // The database away (a restart, a failover) is no fault of these messages: wait for it here and try them again at
        // once, rather than spend an attempt and sit out the queue's backoff while it is already back.
        if (!failed.length || !failed.every((f) => isDatabaseUnavailable(f.err))) break;
        try {
          await waitFor('PostgreSQL', () => s.db.pool.query('SELECT 1'), { logger: s.logger, retryable: isDatabaseUnavailable, giveUpAfterMs: 120_000 });
        } catch {
          break;
        }
        ids = failed.map((f) => f.id);
      }
      if (!failed.length) return;
      const last = job.attempt >= job.maxAttempts;
      for (const f of failed) {
        // Visible to admins; a receipt that failed every attempt is not swept again.
        await prisma.inboundReceipt
          .update({ where: { id: f.id }, data: { attempts: { increment: 1 }, lastError: errorMessage(f.err), ...(last ? { status: 'failed' } : {}) } })
          .catch(() => {});
      }
      // Retried as a whole; receipts already processed are skipped at once.
      throw new Error(`${failed.length} of ${job.data.receiptIds.length} messages failed: ${errorMessage(failed[0]!.err)}`);
    },
    // Jobs mostly wait for their pipeline batch (see process-inbound.ts); several fill one.
    { concurrency: 64 },
  );
  s.queue.process<OutboundJob>(QUEUES.outbound, (job) => delivery.deliver(job), { concurrency: s.config.QUEUE_CONCURRENCY });
  s.queue.process(QUEUES.routing, async () => {
    await routing.router.drain();
  });
  s.queue.process<TimerJob>(QUEUES.timers, async (job) => {
    await routing.timers.sweep(job.data.conversationId);
  }, { concurrency: 4 });
  s.queue.process<WebhookJob>(QUEUES.webhooks, (job) => s.webhooks.deliver(job.data), { concurrency: 8 });
  s.queue.process<ContactsJob>(QUEUES.contacts, (job) => runContactImport(s, job.data.importId), { concurrency: 2 });
  // Imports a stopped worker left unfinished (they are idempotent: run again from the start).
  void requeueContactImports(s).catch((err: unknown) => s.logger.warn({ err }, 'could not re-queue contact imports'));
  const sweeper = new Sweeper({ db: s.db, intake: s.intake, replies: s.replies, logger: s.logger });
  sweeper.start();
  // Webhook deliveries whose job was lost (Redis) or that waited for their endpoint to be switched on again.
  const webhookSweep = new Periodic('webhook sweep', async () => void (await s.webhooks.sweep()), { intervalMs: 30_000, logger: s.logger });
  webhookSweep.start();
  const stopWatching = s.queue.watchForLoss?.((why) => {
    s.logger.warn({ why }, 'the queue may have lost jobs: re-queueing all unfinished work now');
    void sweeper.sweepEverything();
    void s.webhooks.sweep(0).catch(() => {});
    void requeueContactImports(s).catch(() => {});
  });
  // Timers also drain the routing outbox (events from the web role, retries) every few seconds.
  routing.timers.start();
  const channels = new ChannelRunner({ db: s.db, connectors: s.connectors, ctx: s.connectorContext, logger: s.logger, rescanMs: s.config.CHANNEL_RESCAN_MS });
  channels.start();
  // Reports read the pending deltas too: folding them in only keeps that part short.
  const rollups = new Periodic('report rollups', async () => void (await compactReportRollups(s.db.pool)), { intervalMs: 5_000, logger: s.logger });
  rollups.start();
  // Duplicate contacts: each run looks at the contacts changed since the last (the first, at the last
  // few minutes: a restart is not a reason to read the directory again); an admin's scan
  // (POST /contacts/suggestions/scan) looks at every contact.
  let suggestedSince = new Date(Date.now() - 5 * 60_000);
  const suggestions = new Periodic('merge suggestions', async () => {
    const started = new Date(Date.now() - 5_000);
    const found = await storeSuggestions(s.db.pool, await findDuplicatePairs(s.db.pool, { since: suggestedSince }));
    if (found.suggested) s.logger.info(found, 'merge suggestions found');
    suggestedSince = started;
  }, { intervalMs: 60_000, logger: s.logger });
  suggestions.start();
  // Inboxes' retention: content of old resolved conversations erased, in batches, with progress logs.
  const retention = new Periodic('retention', async () => {
    const done = await applyRetention({ db: s.db, attachments: s.connectorContext.attachments, logger: s.logger });
    if (done.conversations) s.logger.info(done, 'retention applied');
  }, { intervalMs: s.config.RETENTION_INTERVAL_MS, logger: s.logger });
  retention.start();
  // Satisfaction surveys and recovery follow-ups: scheduled from resolves, sent when due, answered by reply.
  const surveys = new Surveys({ db: s.db, config: s.config, logger: s.logger, replies: s.replies, actions: s.actions, publicUrl: () => s.connectorContext.publicUrl(), now: o.now });
  const answers = new SurveyAnswers({ db: s.db, actions: s.actions, now: o.now });
  const surveySweep = new Periodic('surveys', async () => {
    await surveys.sweep();
    await answers.fromReplies();
  }, { intervalMs: s.config.SURVEY_SWEEP_MS, logger: s.logger });
  surveySweep.start();
  // Resolved incidents' updates to their linked customers, each once, at a bounded pace.
  const incidentUpdates = new IncidentUpdates({
    db: s.db, replies: s.replies, logger: s.logger,
    perSweep: Math.max(1, Math.floor((s.config.INCIDENT_UPDATES_PER_MINUTE * s.config.INCIDENT_SWEEP_MS) / 60_000)),
  });
  const incidentSweep = new Periodic('incident updates', async () => void (await incidentUpdates.sweep()), { intervalMs: s.config.INCIDENT_SWEEP_MS, logger: s.logger });
  incidentSweep.start();
  // Spikes of what the listening topics find: alerts to the app, the alert channels and by mail.
  const spikeWatch = new SpikeWatch({ db: s.db, events: s.events, logger: s.logger, smtpUrl: s.config.SYSTEM_SMTP_URL, from: s.config.SYSTEM_MAIL_FROM, publicUrl: () => s.connectorContext.publicUrl(), now: o.now });
  const spikes = new Periodic('spike watch', async () => void (await spikeWatch.sweep()), { intervalMs: s.config.SPIKE_WATCH_MS, logger: s.logger });
  spikes.start();
  // A listing pages through the list as it was for at most an hour (src/inbox/conversations/list.ts).
  const listChanges = new Periodic('list changes', async () => void (await forgetListChanges(s.db.pool)), { intervalMs: 60_000, logger: s.logger });
  listChanges.start();
  return {
    sweeper, channels,
    stop: async () => {
      stopWatching?.();
      await Promise.all([rollups.stop(), listChanges.stop(), webhookSweep.stop(), suggestions.stop(), retention.stop(), surveySweep.stop(), incidentSweep.stop(), spikes.stop()]);
      await channels.stop();
      await sweeper.stop();
      await routing.timers.stop();
    },
  };
}
