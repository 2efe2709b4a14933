// The worker's watch over listening topics: every minute, each topic's newest closed 5-minute
// window (closed a minute ago: posts arrive up to a poll late) against its baseline
// (spikes.ts), from the per-window counts (topic_windows). A spike is recorded once — the
// alert's row is unique per topic, window and kind, so two workers never alert twice — with the
// phrases driving it and sample posts, and told to the app (live), the alert channels (Slack)
// and by mail to those who manage the community. The cooldown is read from the alerts, so a
// restart does not alert again.
import nodemailer, { type Transporter } from 'nodemailer';
import type { Database, ListeningTopic } from '../../platform/db/client';
import type { Logger } from '../../platform/logger';
import type { InboxEventBus } from '../events';
import { drivingPhrases } from './phrases';
import type { SpikeAlertView } from './posts';
import { spikeAt, WINDOW_MS, type Spike, type WindowCount } from './spikes';

/** How long after a window closes it is judged: posts arrive up to a poll late. */
const LATENESS_MS = 60_000;
/** The farthest back a baseline reads: four weeks and half an hour. */
const HISTORY_MS = 4 * 7 * 86_400_000 + 30 * 60_000;

export interface SpikeWatchOptions {
  db: Database;
  events: InboxEventBus;
  logger: Logger;
  /** Mail to the community's managers (SYSTEM_SMTP_URL); none when unset. */
  smtpUrl?: string;
  from: string;
  publicUrl: () => string;
  now?: () => Date;
}

export class SpikeWatch {
  private readonly now: () => Date;
  private readonly transport: Transporter | null;
  private readonly judged = new Map<string, number>();

  constructor(private readonly o: SpikeWatchOptions) {
    this.now = o.now ?? (() => new Date());
    this.transport = o.smtpUrl ? nodemailer.createTransport(o.smtpUrl) : null;
  }

  /** Judges each topic's newest closed window (once); answers the alerts raised. */
  async sweep(): Promise<SpikeAlertView[]> {
    const window = Math.floor((this.now().getTime() - LATENESS_MS) / WINDOW_MS) * WINDOW_MS - WINDOW_MS;
    const topics = await this.o.db.prisma.listeningTopic.findMany({ where: { enabled: true } });
    const raised: SpikeAlertView[] = [];
    for (const topic of topics) {
      if ((this.judged.get(topic.id) ?? 0) >= window) continue;
      this.judged.set(topic.id, window);
      const alert = await this.judge(topic, window).catch((err: unknown) => {
        this.o.logger.warn({ err, topicId: topic.id }, 'spike check failed');
        return null;
      });
      if (alert) raised.push(alert);
    }
    return raised;
  }

  private async judge(topic: ListeningTopic, window: number): Promise<SpikeAlertView | null> {
    const { pool } = this.o.db;
    const last = await this.o.db.prisma.spikeAlert.findFirst({ where: { topicId: topic.id }, orderBy: { windowStart: 'desc' }, select: { windowStart: true } });
    if (last && window - last.windowStart.getTime() < topic.spikeCooldownMinutes * 60_000) return null;
    const { rows } = await pool.query<{ start: string; volume: number; negative: number }>(
      `SELECT (extract(epoch FROM window_start) * 1000)::bigint::text AS start, volume, negative FROM topic_windows
        WHERE topic_id = $1 AND window_start >= $2 AND window_start <= $3`,
      [topic.id, new Date(window - HISTORY_MS), new Date(window)],
    );
    const counts = new Map(rows.map((r) => [Number(r.start), { volume: r.volume, negative: r.negative }]));
    // History begins with the topic (or its first counted window): before it, nothing is known; after it, an empty window is a quiet one.
    const firstCounted = rows.length ? Math.min(...rows.map((r) => Number(r.start))) : window;
    const since = Math.min(Math.floor(topic.createdAt.getTime() / WINDOW_MS) * WINDOW_MS, firstCounted);
    const at = (back: number): WindowCount | undefined => {
      const start = window - back * WINDOW_MS;
      return start < since ? undefined : (counts.get(start) ?? { volume: 0, negative: 0 });
    };
    const spike = spikeAt((window - since) / WINDOW_MS, at, { sensitivity: topic.spikeSensitivity, cooldownMinutes: topic.spikeCooldownMinutes });
    return spike ? this.raise(topic, window, spike) : null;
  }

  private async raise(topic: ListeningTopic, window: number, spike: Spike): Promise<SpikeAlertView | null> {
    const prisma = this.o.db.prisma;
    // The spike's posts (this window and the one before: a pooled spike spans both) against the day before them.
    const from = new Date(window - WINDOW_MS);
    const to = new Date(window + WINDOW_MS);
    const [inSpike, before] = await Promise.all([
      prisma.listenedPost.findMany({ where: { topicId: topic.id, postedAt: { gte: from, lt: to } }, orderBy: { followers: 'desc' }, take: 2_000 }),
      prisma.listenedPost.findMany({ where: { topicId: topic.id, postedAt: { gte: new Date(from.getTime() - 86_400_000), lt: from } }, select: { text: true }, orderBy: { postedAt: 'desc' }, take: 2_000 }),
    ]);
    const phrases = drivingPhrases(inSpike.map((p) => p.text), before.map((p) => p.text));
    const pick = spike.kind === 'negative' ? inSpike.filter((p) => p.sentimentLabel === 'negative') : inSpike;
    const samplePosts = pick.slice(0, 3).map((p) => ({ id: p.id, username: p.username, followers: p.followers, text: p.text, url: p.url, sentiment: p.sentimentLabel }));
    const inserted = await prisma.spikeAlert.createManyAndReturn({
      data: [{ topicId: topic.id, windowStart: new Date(window), kind: spike.kind, volume: spike.volume, negative: spike.negative, expected: spike.expected, observed: spike.observed, phrases, samplePosts }],
      skipDuplicates: true,
    });
    if (!inserted.length) return null;
    const row = inserted[0]!;
    const view: SpikeAlertView = {
      id: row.id, topic: { id: topic.id, name: topic.name, kind: topic.kind }, windowStart: row.windowStart, kind: spike.kind, volume: row.volume, negative: row.negative,
      expected: row.expected, observed: row.observed, phrases, samplePosts, incidentId: null, text: alertText(topic.name, spike, phrases), createdAt: row.createdAt,
    };
    this.o.logger.warn({ topicId: topic.id, kind: spike.kind, volume: spike.volume, expected: spike.expected, phrases }, 'spike of posts');
    this.o.events.emit({ type: 'community.alert', inboxId: topic.inboxId, alert: view });
    await this.mail(topic, view).catch((err: unknown) => this.o.logger.warn({ err }, 'spike alert mail not sent'));
    return view;
  }

  /** To the admins and everyone whose role manages the community, by mail. */
  private async mail(topic: ListeningTopic, alert: SpikeAlertView): Promise<void> {
    if (!this.transport) return;
    const managers = await this.o.db.prisma.agent.findMany({
      where: { active: true, OR: [{ role: { in: ['admin', 'supervisor'] }, customRoleId: null }, { customRole: { permissions: { has: 'community.manage' } } }] },
      select: { email: true },
    });
    if (!managers.length) return;
    const samples = alert.samplePosts.map((p) => `- @${p.username} (${p.followers} followers): ${p.text}\n  ${p.url}`).join('\n');
    await this.transport.sendMail({
      from: this.o.from,
      to: managers.map((m) => m.email),
      subject: `Spike: ${alert.text}`,
      text: `${alert.text}\n\nDriving it: ${alert.phrases.length ? alert.phrases.map((p) => `"${p}"`).join(', ') : '(no single phrase)'}\n\n${samples}\n\nThe community view: ${this.o.publicUrl()}/#community\nTopic: ${topic.name} (${topic.query})`,
    });
  }
}

export function alertText(topic: string, spike: Spike, phrases: string[]): string {
  const what = spike.kind === 'volume'
    ? `${spike.volume} posts in ${(spike.windows ?? 1) * 5} minutes, ${Math.round(spike.expected)} expected`
    : `${Math.round(spike.observed * 100)} % negative (${spike.negative} of ${spike.volume}), ${Math.round(spike.expected * 100)} % usual`;
  return `${topic}: ${what}${phrases.length ? ` — ${phrases.map((p) => `"${p}"`).join(', ')}` : ''}`;
}
