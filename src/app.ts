// The composition root: builds every part once, for a process role, and tears it down in
// the right order. `all` runs web + worker in one process (the default); `web` and `worker`
// run apart, sharing PostgreSQL (DATABASE_URL) and Redis (REDIS_URL).
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { createAdapter } from '@socket.io/redis-adapter';
import { Emitter } from '@socket.io/redis-emitter';
import { redisJsonParser } from './platform/redis-json-parser';
import { APP_FILES } from './platform/paths';
import { isDatabaseNotReady } from './platform/db/availability';
import { waitFor } from './platform/wait-for';
import { Metrics } from './platform/metrics';
import { RedisWindowLimit, WindowLimit } from './platform/window-limit';
import { inboxMetrics } from './inbox/metrics';
import { ConfigError, type AppConfig } from './platform/config';
import { connectDatabase, type Database } from './platform/db/client';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './platform/db/embedded';
import { applyMigrations } from './platform/db/migrate';
import { EventBus } from './platform/events';
import { createLogger, type Logger } from './platform/logger';
import { createQueueBackend, type QueueBackend } from './platform/queue';
import { parsePriorityWeights } from './routing/priority';
import { installedConnectors } from './connectors';
import { EnvSecretResolver } from './inbox/channels/secrets';
import type { ConnectorContext } from './inbox/channels/contract';
import { ConnectorRegistry } from './inbox/channels/registry';
import { CustomerPresenceStore } from './inbox/channels/presence';
import { PhoneConsentStore } from './inbox/contacts/consent';
import { ConversationThreads } from './inbox/conversations/thread-lookup';
import { AgentDirectory } from './inbox/agents/directory';
import { bootstrapAdmin, hasAdmin } from './inbox/agents/first-admin';
import { AgentLifecycle } from './inbox/agents/lifecycle';
import { ReportTimeZones } from './inbox/reports/time-zones';
import { ApiTokens } from './inbox/agents/api-tokens';
import { agentRoom } from './inbox/realtime/rooms';
import { catchUpLocalSockets } from './inbox/realtime/agents-namespace';
import { Access } from './inbox/access';
import { PasswordResetMail } from './inbox/agents/password-reset-mail';
import { Sessions } from './inbox/agents/sessions';
import { ConversationActions } from './inbox/conversations/actions';
import { seedDemoData, type DemoLogin } from './inbox/demo/seed';
import type { InboxEvent } from './inbox/events';
import { InboxDirectory } from './inbox/inboxes/directory';
import { Replies } from './inbox/messages/reply';
import { OutboundDelivery } from './inbox/outbound/deliver';
import { Intake } from './inbox/pipeline/intake';
import { Listening } from './inbox/community/listening';
import { InboundPipeline } from './inbox/pipeline/process-inbound';
import type { RoomEmitter } from './inbox/realtime/broadcaster';
import { listenToInboxEvents } from './inbox/listeners';
import { AGENTS_NAMESPACE } from './inbox/realtime/agents-namespace';
import { MemoryEventLog, RedisEventLog } from './inbox/realtime/event-log';
import { Webhooks } from './inbox/webhooks/webhooks';
import { createRouting, type Routing } from './inbox/routing';
import { installRoutingDefaults } from './inbox/routing/defaults';
import { RoutingRules, SlaPolicies } from './inbox/routing/sla-policies';
import type { InboxServices } from './inbox/services';
import { startInboxWorker, type InboxWorker } from './inbox/worker';
import { LocalDiskAttachmentStore } from './inbox/attachments/store';
import { SurveyAnswers, ThreadSurveys } from './inbox/surveys/answer';
import { ChannelCursors, ChannelDeadLetters } from './inbox/channels/channel-state';
import { DeliveryReports } from './inbox/outbound/delivery-reports';
import { ProviderEdits } from './inbox/messages/provider-edits';
import { createWebServer, type WebServer } from './web-server';
import { KnowledgeBase } from './inbox/knowledge/articles';
import { HelpCenter } from './inbox/knowledge/help-center';
import { SuggestionIndex } from './inbox/suggestions/index';
import { Suggestions } from './inbox/suggestions/suggest';

export type Role = 'all' | 'web' | 'worker';

export interface StartOptions {
  role: Role;
  config: AppConfig;
  logger?: Logger;
  /** Redis key prefix for queues (lets test runs share one Redis). */
  queuePrefix?: string;
  webDistDir?: string;
  /** Backoff of the first queue retry (later ones double). */
  retryBackoffMs?: number;
  /** The clock of routing and the pipeline (tests move it to reach due times). */
  now?: () => Date;
}

export interface RunningApp {
  role: Role;
  url: string | null;
  services: InboxServices;
  pipeline: InboundPipeline;
  worker: InboxWorker | null;
  routing: Routing | null;
  web: WebServer | null;
  demo: DemoLogin | null;
  /** No admin can log in yet (a deployment without demo data and without ADMIN_EMAIL). */
  needsAdmin: boolean;
  close(): Promise<void>;
}

/** host:port of a connection URL, without its credentials, for logs. */
const describeUrl = (url: string) => {
  const u = new URL(url);
  return `${u.hostname}:${u.port || (u.protocol.startsWith('redis') ? 6379 : 5432)}`;
};

/** One PING on a connection of its own that does not retry (the wait retries). */
async function pingRedis(url: string): Promise<void> {
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 2_000 });
  r.on('error', () => {});
  try {
    await r.connect();
    await r.ping();
  } finally {
    r.disconnect();
  }
}

export async function startApp(o: StartOptions): Promise<RunningApp> {
  const { config, role } = o;
  const logger = o.logger ?? createLogger({ level: config.LOG_LEVEL });
  if (role !== 'all' && (!config.DATABASE_URL || !config.REDIS_URL)) {
    throw new ConfigError([`running the ${role} role on its own needs DATABASE_URL and REDIS_URL (shared by every web and worker process)`]);
  }
  let priorityWeights;
  try {
    priorityWeights = parsePriorityWeights(config.PRIORITY_WEIGHTS);
  } catch (err) {
    throw new ConfigError([`PRIORITY_WEIGHTS: ${err instanceof Error ? err.message : String(err)}`]);
  }
  const cleanups: Array<() => Promise<unknown>> = [];
  const close = async () => {
    for (const fn of cleanups.reverse()) await fn().catch((err: unknown) => logger.warn({ err }, 'error while shutting down'));
  };
  try {
    // --- storage ---
    let embedded: EmbeddedDatabase | undefined;
    let databaseUrl = config.DATABASE_URL;
    if (!databaseUrl) {
      embedded = await startEmbeddedPostgres({ dataDir: config.DATA_DIR, port: config.EMBEDDED_PG_PORT, database: 'inbox', logger });
      cleanups.push(() => embedded!.stop());
      databaseUrl = embedded.url;
      logger.info({ dataDir: path.resolve(config.DATA_DIR, 'postgres'), port: config.EMBEDDED_PG_PORT }, 'embedded PostgreSQL started');
    }
    const db: Database = connectDatabase({ url: databaseUrl, poolSize: 30 });
    cleanups.push(() => db.close());
    // PostgreSQL may be starting or restarting: wait (saying so) rather than exit.
    const migrations = await waitFor(`PostgreSQL at ${describeUrl(databaseUrl)}`, () => applyMigrations(db.pool), { logger, retryable: isDatabaseNotReady });
    if (config.REDIS_URL) await waitFor(`Redis at ${describeUrl(config.REDIS_URL)}`, () => pingRedis(config.REDIS_URL!), { logger });
    if (migrations.applied.length) logger.info({ applied: migrations.applied }, 'database migrations applied');
    if (config.ROUTING_DEFAULTS && (await installRoutingDefaults(db))) logger.info('default routing rules and service level installed');

    // Realtime's Redis connections close after the queue has finished its running jobs.
    const redisClients: Redis[] = [];
    const redis = () => {
      // Auto-pipelining: the publishes of one batch leave in one write, not one syscall each.
      const r = new Redis(config.REDIS_URL!, { maxRetriesPerRequest: null, enableAutoPipelining: true });
      r.on('error', () => {});
      redisClients.push(r);
      return r;
    };
    // The adapter's last commands at shutdown (unsubscribe, a publish) are auto-pipelined, sent on the next tick: QUIT goes after
    // them, so they finish instead of being cut off; a Redis that is away gets a second, then the socket is closed.
    cleanups.push(async () => {
      await new Promise((done) => setImmediate(done));
      await Promise.all(redisClients.map((r) => Promise.race([r.quit().catch(() => {}), new Promise((done) => setTimeout(done, 1_000).unref())]).then(() => r.disconnect())));
    });

    // --- queue and events ---
    const queue: QueueBackend = createQueueBackend({
      redisUrl: config.REDIS_URL,
      prefix: o.queuePrefix ?? config.QUEUE_PREFIX,
      attempts: config.QUEUE_ATTEMPTS,
      lockMs: config.QUEUE_LOCK_MS,
      backoffMs: o.retryBackoffMs ?? 2_000,
      onDeadLetter: async (letter) => {
        logger.error({ queue: letter.queue, jobId: letter.jobId, error: letter.error }, 'job failed every attempt: kept in failed_jobs');
        await db.prisma.failedJob.create({ data: { ...letter, data: letter.data as object } });
      },
      onAttemptFailed: (q, job, err) => logger.warn({ queue: q, jobId: job.id, attempt: job.attempt, err: err instanceof Error ? err.message : String(err) }, 'job attempt failed'),
    });
    cleanups.push(() => queue.close());
    const events = new EventBus<InboxEvent>(logger);
    cleanups.push(() => events.drain());

    // --- services ---
    const inboxes = new InboxDirectory(db.prisma);
    const intake = new Intake(db, queue, logger);
    const connectors = new ConnectorRegistry();
    for (const connector of installedConnectors) connectors.register(connector);
    // Bound once the web server or the Redis emitter exists (below).
    let realtimeTo: ((namespace: string) => RoomEmitter) | null = null;
    let listenedAt: string | null = null;
    let limitsRedis: Redis | null = null;
    const listening = new Listening({ db, intake, events, logger });
    const knowledge = new KnowledgeBase(db);
    const help = new HelpCenter(db, knowledge);
    const connectorContext: ConnectorContext = {
      config, logger, intake, inboxes,
      publicUrl: () => listenedAt ?? config.publicUrl,
      secrets: new EnvSecretResolver(),
      attachments: new LocalDiskAttachmentStore(path.resolve(config.DATA_DIR, 'attachments')),
      cursors: new ChannelCursors(db),
      deadLetters: new ChannelDeadLetters(db),
      deliveryReports: new DeliveryReports(db, events, logger),
      messages: new ProviderEdits(db, events),
      consent: new PhoneConsentStore(db),
      threads: new ConversationThreads(db),
      agents: new AgentDirectory(db),
      presence: new CustomerPresenceStore(db),
      realtime: { emit: (namespace, room, event, payload) => realtimeTo?.(namespace).to(room).emit(event, payload) },
      limits: (name, windowMs) => {
        if (!config.REDIS_URL || role === 'worker') return new WindowLimit(windowMs);
        limitsRedis ??= redis();
        return new RedisWindowLimit(limitsRedis, `${o.queuePrefix ?? config.QUEUE_PREFIX}:rate:${name}:`, windowMs);
      },
      relay: async (inboxId, out) => {
        const inbox = await inboxes.get(inboxId);
        return connectors.get(inbox.kind).send(connectorContext, { ...out, inbox });
      },
      // Bound once the conversation actions exist (just below).
      surveys: { rate: (r) => threadSurveys.rate(r) },
      listening,
      help,
    };
    const clock = o.now ?? (() => new Date());
    const actions = new ConversationActions(db, events, clock);
    const threadSurveys = new ThreadSurveys(db, new SurveyAnswers({ db, actions, now: o.now }));
    // Cuts an agent's sockets on every web process (through the Redis adapter, or the emitter from a worker), once realtime is bound below.
    const disconnectAgent = (agentId: string) =>
      void realtimeTo?.(AGENTS_NAMESPACE).in(agentRoom(agentId)).disconnectSockets(true);
    const access = new Access(db.prisma);
    const lifecycle = new AgentLifecycle(db.prisma, config.appSecret, actions, disconnectAgent);
    const services: InboxServices = {
      config, logger, clock, listening, db, queue, events, inboxes, intake, connectors, connectorContext, knowledge, help,
      suggestions: new Suggestions({ db, index: new SuggestionIndex({ db, logger, refreshMs: config.SUGGESTION_REFRESH_MS }), knowledge, publicUrl: () => connectorContext.publicUrl() }),
      sessions: new Sessions(db.prisma, config.SESSION_TTL_HOURS * 3_600_000, config.appSecret),
      access,
      replies: new Replies({ db, queue, events, logger, priorityWeights, access }),
      actions,
      rules: new RoutingRules(db),
      slaPolicies: new SlaPolicies(db),
      eventLog: config.REDIS_URL ? new RedisEventLog(redis(), o.queuePrefix ?? config.QUEUE_PREFIX) : new MemoryEventLog(),
      webhooks: new Webhooks({ db, queue, config, logger }),
      lifecycle,
      passwordResetMail: new PasswordResetMail({
        prisma: db.prisma, lifecycle, logger, smtpUrl: config.SYSTEM_SMTP_URL, from: config.SYSTEM_MAIL_FROM,
        link: (token) => `${connectorContext.publicUrl()}/reset#${token}`,
      }),
      apiTokens: new ApiTokens(db.prisma),
      reportZones: new ReportTimeZones(db.pool, logger),
      accessChanged: (agentIds) => agentIds.forEach(disconnectAgent),
      // Login rate limits are counted where requests arrive: web processes only.
      redis: config.REDIS_URL && role !== 'worker' ? redis() : null,
    };
    // Read when scraped: the web server's sockets and the worker's channel readers exist further down.
    const metrics = new Metrics();
    let webForMetrics: WebServer | null = null;
    let workerForMetrics: InboxWorker | null = null;
    const measured = inboxMetrics(metrics, services, {
      sockets: role !== 'worker' ? () => webForMetrics?.io.of(AGENTS_NAMESPACE).sockets.size ?? 0 : undefined,
      readers: role !== 'web' ? () => workerForMetrics?.channels.health() ?? { running: 0, failing: 0 } : undefined,
    });
    const routing = role !== 'web' ? createRouting(services, { now: o.now, priorityWeights }) : null;
    const pipeline = new InboundPipeline({
      db, events, inboxes, logger, priorityWeights,
      slaPolicies: services.slaPolicies,
      rules: services.rules,
      now: o.now,
      onCommitted: routing ? (states, batch) => routing.afterCommit(states, batch) : undefined,
      reopenWindowMs: config.REOPEN_WINDOW_HOURS * 3_600_000,
      appSecret: config.appSecret,
      maxBatchSize: config.PIPELINE_BATCH_SIZE,
      onBatch: measured.pipelineBatch,
    });

    // --- realtime ---
    let web: WebServer | null = null;
    let emitter: RoomEmitter | null = null;
    const readiness = async () => {
      const checks: Record<string, string> = {};
      checks.database = await db.prisma.$queryRaw`SELECT 1`.then(() => 'ok', (e: unknown) => String(e));
      if (config.REDIS_URL) checks.queue = await queue.count('inbound').then(() => 'ok', (e: unknown) => String(e));
      return checks;
    };
    if (role !== 'worker') {
      web = createWebServer(services, { connectors, webDistDir: o.webDistDir ?? APP_FILES.webDist, readiness, metrics });
      webForMetrics = web;
      // With Redis, every web node shares rooms, so an event emitted on one reaches sockets on all.
      if (config.REDIS_URL) {
        const subscriber = redis();
        web.io.adapter(createAdapter(redis(), subscriber, { parser: redisJsonParser }));
        // Events published while this process's subscription was down (Redis restarting) never arrive
        // here: once it is back, every local socket is sent what the log has after the last event it got.
        const agents = web.io.of(AGENTS_NAMESPACE);
        let wasDown = false;
        subscriber.on('close', () => (wasDown = true));
        subscriber.on('ready', () => {
          if (!wasDown) return;
          wasDown = false;
          setTimeout(() => void catchUpLocalSockets(agents, services), 1_000).unref();
        });
      }
      const io = web.io;
      realtimeTo = (namespace) => io.of(namespace);
    } else {
      const redisEmitter = new Emitter(redis(), { parser: redisJsonParser });
      realtimeTo = (namespace) => redisEmitter.of(namespace);
    }
    emitter = realtimeTo(AGENTS_NAMESPACE);
    const stopListening = listenToInboxEvents(events, { realtime: emitter, eventLog: services.eventLog, webhooks: services.webhooks, logger, alerts: role !== 'web' ? { db, connectors, ctx: connectorContext, logger } : null });
    cleanups.push(async () => stopListening());

    // --- worker ---
    let worker: InboxWorker | null = null;
    if (role !== 'web') {
      worker = startInboxWorker(services, pipeline, new OutboundDelivery({ db, connectors, ctx: connectorContext, events, logger, automaticPerHour: config.AUTOMATIC_MESSAGES_PER_HOUR, onSend: measured.send }), routing!, { now: o.now });
      cleanups.push(() => worker!.stop());
      workerForMetrics = worker;
      if (role === 'worker' && config.METRICS_PORT !== undefined) {
        const server = await metrics.listen(config.METRICS_PORT, config.HOST, config.METRICS_TOKEN);
        cleanups.push(() => new Promise((done) => server.close(done)));
        logger.info({ port: (server.address() as AddressInfo).port }, 'worker metrics at /metrics');
      }
    }

    const demo =
      config.DEMO_DATA && role !== 'worker'
        ? await seedDemoData({ db, intake, pipeline, replies: services.replies, actions: services.actions, listening, logger, adminEmail: config.DEMO_ADMIN_EMAIL, adminPassword: config.DEMO_ADMIN_PASSWORD })
        : null;

    let needsAdmin = false;
    if (role !== 'worker') {
      if (config.ADMIN_EMAIL && config.ADMIN_PASSWORD) {
        const made = await bootstrapAdmin(db.prisma, { email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD, name: config.ADMIN_NAME }).catch((err: unknown) => {
          throw new ConfigError([`ADMIN_PASSWORD: ${err instanceof Error ? err.message : String(err)}`]);
        });
        logger.info({ email: config.ADMIN_EMAIL }, made === 'created' ? 'first admin created from ADMIN_EMAIL' : 'an admin exists: ADMIN_EMAIL and ADMIN_PASSWORD were not used');
      }
      needsAdmin = !(await hasAdmin(db.prisma));
      if (needsAdmin) logger.warn('no admin yet: run `npm run admin -- create --email you@example.com`, or set ADMIN_EMAIL and ADMIN_PASSWORD and restart');
    }

    let url: string | null = null;
    if (web) {
      const server = web.http;
      await new Promise<void>((resolve, reject) => {
        server.once('error', (err: NodeJS.ErrnoException) =>
          reject(err.code === 'EADDRINUSE' ? new ConfigError([`PORT: ${config.PORT} is already in use; set PORT to a free port`]) : err),
        );
        server.listen(config.PORT, config.HOST, resolve);
      });
      const { port } = server.address() as AddressInfo;
      url = config.PUBLIC_URL ?? `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${port}`;
      // Links, webhook URLs and signatures use it: the port really listened on (PORT=0 picks one).
      listenedAt = url;
      // Registered last so it runs first: stop taking requests before anything else closes.
      cleanups.push(async () => {
        web!.io.disconnectSockets(true);
        await new Promise<void>((resolve) => {
          web!.io.close(() => resolve());
          server.closeAllConnections();
        });
      });
    }
    logger.info({ role, url, queue: queue.kind }, 'inbox started');
    return { role, url, services, pipeline, worker, routing, web, demo, needsAdmin, close };
  } catch (err) {
    await close();
    throw err;
  }
}
