// Configuration comes from the environment only, validated once at start with messages a
// person can act on. Every variable is listed in .env.example.
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.url().optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// connection string')
    .optional(),
  DATA_DIR: z.string().default('.data'),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional(),
  // Redis key prefix of the queues: lets several installations share one Redis.
  QUEUE_PREFIX: z.string().regex(/^[\w-]+$/, 'letters, digits, - and _ only').default('inbox'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DEMO_DATA: bool.default(true),
  /** Install the default routing rules and service level at the first start. */
  ROUTING_DEFAULTS: bool.default(true),
  DEMO_ADMIN_EMAIL: z.email().default('admin@example.com'),
  DEMO_ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').default('inbox-demo-1'),
  /** The first admin of a real deployment (DEMO_DATA=false): created at start when no admin exists yet. */
  ADMIN_EMAIL: z.email().optional(),
  ADMIN_PASSWORD: z.string().optional(),
  ADMIN_NAME: z.string().trim().min(1).max(200).default('Admin'),
  /** Mail the product itself sends (password reset links): an SMTP URL, e.g. smtps://user:pass@smtp.example.com:465. Unset: no self-service reset; an admin makes the link. */
  SYSTEM_SMTP_URL: z.url().optional(),
  SYSTEM_MAIL_FROM: z.string().trim().min(3).max(320).default('Inbox <no-reply@localhost>'),
  /** GET /metrics (Prometheus) answers only with this as a Bearer token; unset: open (keep it off the public internet). */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** A worker process (no web server) serves /metrics on this port; unset: a worker serves none. */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** Outbound webhooks may go to loopback and private addresses (receivers inside your network). */
  WEBHOOK_ALLOW_PRIVATE: bool.default(false),
  /** First retry of a failed webhook delivery (ms); doubles up to an hour, for up to WEBHOOK_RETRY_HOURS. */
  WEBHOOK_RETRY_MIN_MS: z.coerce.number().int().min(10).default(10_000),
  WEBHOOK_RETRY_HOURS: z.coerce.number().positive().default(24),
  /** An endpoint is switched off after this many failed attempts in a row (across deliveries). */
  WEBHOOK_DISABLE_AFTER: z.coerce.number().int().min(1).default(50),
  SESSION_TTL_HOURS: z.coerce.number().positive().default(24 * 7),
  // A customer writing again within this many hours of a resolve reopens the conversation.
  REOPEN_WINDOW_HOURS: z.coerce.number().min(0).default(24 * 7),
  MAX_BODY_BYTES: z.coerce.number().int().positive().default(1024 * 1024),
  // Replies sent at the same time per worker process (each waits on a provider).
  QUEUE_CONCURRENCY: z.coerce.number().int().min(1).max(512).default(16),
  // Inbound messages threaded in one transaction at most; also how many the worker takes at once.
  PIPELINE_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(128),
  /** How often the worker looks for email inboxes to start, stop or restart (ms). */
  CHANNEL_RESCAN_MS: z.coerce.number().int().min(100).default(10_000),
  /** How often the worker applies inboxes' retention (erasing old resolved conversations' content). */
  RETENTION_INTERVAL_MS: z.coerce.number().int().positive().default(3_600_000),
  /** The largest remedy (refund, credit) a built-in agent / supervisor gives without approval; admins: any. Custom roles set their own. */
  REMEDY_LIMIT_AGENT: z.coerce.number().min(0).default(50),
  REMEDY_LIMIT_SUPERVISOR: z.coerce.number().min(0).default(500),
  /** Satisfaction surveys: minutes after a resolve; days a customer is not surveyed again; days after a remedied complaint's resolve for the follow-up. */
  SURVEY_DELAY_MINUTES: z.coerce.number().min(0).default(60),
  SURVEY_QUIET_DAYS: z.coerce.number().min(0).default(30),
  FOLLOW_UP_DAYS: z.coerce.number().min(0).default(3),
  /** How often the worker schedules, sends and reads the answers of surveys. */
  SURVEY_SWEEP_MS: z.coerce.number().int().min(50).default(15_000),
  /** Resolved incidents' updates to linked customers: sent at most this many per minute per worker (providers' rate limits), checked every INCIDENT_SWEEP_MS. */
  INCIDENT_UPDATES_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  INCIDENT_SWEEP_MS: z.coerce.number().int().min(50).default(5_000),
  /** How often the worker looks for spikes of listening topics' posts (each 5-minute window is judged once). */
  SPIKE_WATCH_MS: z.coerce.number().int().min(50).default(60_000),
  /** How often suggested replies read the conversations resolved since (each web process keeps its own index). */
  SUGGESTION_REFRESH_MS: z.coerce.number().int().min(0).default(5_000),
  /** First wait before reconnecting to a mail server; doubles up to a minute. */
  EMAIL_RETRY_MIN_MS: z.coerce.number().int().min(10).default(1_000),
  /** Slack's Web API (tests and proxies point it elsewhere). */
  SLACK_API_URL: z.url().default('https://slack.com/api/'),
  /** Meta's Graph API: WhatsApp Cloud API (tests and proxies point it elsewhere). */
  META_GRAPH_URL: z.url().default('https://graph.facebook.com'),
  /** Telegram's Bot API (tests and proxies point it elsewhere). */
  TELEGRAM_API_URL: z.url().default('https://api.telegram.org'),
  /** Twilio's REST API (tests and proxies point it elsewhere). */
  TWILIO_API_URL: z.url().default('https://api.twilio.com'),
  /** X's API (tests and proxies point it elsewhere). */
  TWITTER_API_URL: z.url().default('https://api.x.com'),
  /** Automatic messages (acknowledgements, rules) one contact gets per hour at most, across channels. */
  AUTOMATIC_MESSAGES_PER_HOUR: z.coerce.number().int().min(0).default(3),
  QUEUE_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(5),
  /** Redis queue: a job whose worker died is taken over within about twice this (its lock's duration and the check for lapsed locks). */
  QUEUE_LOCK_MS: z.coerce.number().int().min(1_000).default(30_000),
  /** Behind a reverse proxy: trust its X-Forwarded-For / -Proto (client IPs for rate limits, https links). */
  TRUST_PROXY: bool.default(false),
  /** Priority weights as JSON, e.g. {"negativity": 30}: each factor's points (parsed by src/routing/priority.ts). */
  PRIORITY_WEIGHTS: z.string().optional(),
  // Used to sign outbound webhooks and derive per-conversation tokens. Required in production.
  APP_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
});

export type AppConfig = z.infer<typeof envSchema> & { publicUrl: string; appSecret: string };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  // Empty strings in .env files mean "not set".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const c = parsed.data;
  if (!!c.ADMIN_EMAIL !== !!c.ADMIN_PASSWORD) {
    throw new ConfigError([`${c.ADMIN_EMAIL ? 'ADMIN_PASSWORD' : 'ADMIN_EMAIL'}: set ADMIN_EMAIL and ADMIN_PASSWORD together to create the first admin`]);
  }
  if (c.NODE_ENV === 'production' && !c.APP_SECRET) {
    throw new ConfigError(['APP_SECRET: required when NODE_ENV=production (at least 16 random characters)']);
  }
  return {
    ...c,
    publicUrl: c.PUBLIC_URL ?? `http://${c.HOST === '0.0.0.0' ? 'localhost' : c.HOST}:${c.PORT}`,
    // A fixed development secret keeps demo tokens stable across restarts; production must set its own.
    appSecret: c.APP_SECRET ?? 'development-secret-do-not-use-in-production',
  };
}
