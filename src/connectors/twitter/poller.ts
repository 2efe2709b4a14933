// Reads an X inbox: mentions of the brand account (since_id, every page), direct messages,
// and its listening topics' recent-search queries (since_id per topic, every page; posts that
// @-mention the brand are left to the mentions timeline), every pollSeconds. A 429 waits until the reset the API reports, never sooner;
// the month's read cap stops reading until the next month. The cursor (since_id, newest DM)
// moves only after every page of a poll was accepted: a crash re-reads, never skips.
import { ApiResponseError, type TwitterApi } from 'twitter-api-v2';
import type { Inbox } from '../../platform/db/client';
import { errorMessage } from '../../platform/errors';
import type { Logger } from '../../platform/logger';
import { dmToInboundMessage, listenedPost, mentionToInboundMessage, type DmEvent, type Tweet, type XUser } from './inbound';
import type { ConnectorContext } from '../../inbox/channels/contract';
import type { TwitterInboxConfig } from './setup';
import { Periodic } from '../../platform/periodic';

interface Cursor {
  sinceId?: string;
  dmNewest?: string;
}
interface Usage {
  month: string;
  reads: number;
}
interface Page<T> {
  data?: T[];
  includes?: { users?: XUser[] };
  meta?: { newest_id?: string; next_token?: string; result_count?: number };
}

/** Thrown to end a poll early: wait this long before the next one. */
class Wait extends Error {
  constructor(readonly ms: number, why: string) {
    super(why);
  }
}

const MAX_PAGES = 50;
const monthOf = (d: Date) => d.toISOString().slice(0, 7);
const bigger = (a: string | undefined, b: string) => (!a || BigInt(b) > BigInt(a) ? b : a);

export class MentionPoller {
  private readonly task: Periodic;
  private readonly log: Logger;
  private capLogged = '';

  constructor(
    private readonly ctx: ConnectorContext,
    private readonly inbox: Inbox,
    private readonly cfg: TwitterInboxConfig,
    private readonly client: TwitterApi,
  ) {
    this.log = ctx.logger.child({ inboxId: inbox.id, channel: 'twitter' });
    // The next poll after pollSeconds, or when X's rate limit resets (poll answers how long).
    this.task = new Periodic(
      'X poll',
      async () => ({
        waitMs: await this.poll().catch((err: unknown) => {
          this.log.warn({ err: errorMessage(err) }, 'reading X failed; trying again next poll');
          return this.cfg.pollSeconds * 1000;
        }),
      }),
      { intervalMs: this.cfg.pollSeconds * 1000, logger: this.log },
    );
  }

  start(): void {
    this.task.start();
  }

  stop(): Promise<void> {
    return this.task.stop();
  }

  /** One poll; answers how long to wait before the next. */
  async poll(): Promise<number> {
    const usage = await this.usage();
    if (usage.reads >= this.cfg.monthlyReadCap) {
      if (this.capLogged !== usage.month) this.log.warn({ reads: usage.reads, cap: this.cfg.monthlyReadCap }, 'monthly X read cap reached: reading paused until next month');
      this.capLogged = usage.month;
      return this.cfg.pollSeconds * 1000;
    }
    const cursor = (await this.ctx.cursors.get<Cursor>(this.inbox.id, 'x:cursor')) ?? {};
    let reads = 0;
    try {
      const m = await this.mentions(cursor.sinceId, usage.reads);
      reads += m.reads;
      if (m.newest) cursor.sinceId = bigger(cursor.sinceId, m.newest);
      if (this.cfg.directMessages) {
        const d = await this.directMessages(cursor.dmNewest, usage.reads + reads);
        reads += d.reads;
        if (d.newest) cursor.dmNewest = bigger(cursor.dmNewest, d.newest);
      }
      await this.ctx.cursors.set(this.inbox.id, 'x:cursor', { ...cursor });
      await this.listen(usage.reads + reads);
      return this.cfg.pollSeconds * 1000;
    } catch (err) {
      if (err instanceof Wait) {
        this.log.warn({ waitMs: err.ms }, err.message);
        return err.ms;
      }
      throw err;
    } finally {
      await this.countReads(reads);
    }
  }

  private async request<T>(path: string, query: Record<string, string | number | undefined>): Promise<Page<T>> {
    try {
      const clean = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)) as Record<string, string | number>;
      return await this.client.v2.get<Page<T>>(path, clean);
    } catch (err) {
      if (err instanceof ApiResponseError && err.code === 429) {
        const reset = err.rateLimit?.reset ? err.rateLimit.reset * 1000 : Date.now() + 15 * 60_000;
        throw new Wait(Math.max(1_000, reset - Date.now() + 1_000), `X rate limit reached: waiting until ${new Date(reset).toISOString()}`);
      }
      throw err;
    }
  }

  private async mentions(sinceId: string | undefined, readSoFar: number): Promise<{ newest?: string; reads: number }> {
    let token: string | undefined;
    let newest: string | undefined;
    let reads = 0;
    for (let page = 0; page < MAX_PAGES; page++) {
      const r = await this.request<Tweet>(`users/${this.cfg.userId}/mentions`, {
        max_results: 100,
        since_id: sinceId,
        pagination_token: token,
        expansions: 'author_id',
        'user.fields': 'username,name,public_metrics',
        'tweet.fields': 'created_at,conversation_id,public_metrics,lang',
      });
      const users = new Map((r.includes?.users ?? []).map((u) => [u.id, u]));
      for (const t of r.data ?? []) {
        if (t.author_id === this.cfg.userId) continue;
        await this.acceptMention(t, users.get(t.author_id ?? ''));
        newest = bigger(newest, t.id);
      }
      reads += r.data?.length ?? 0;
      token = r.meta?.next_token;
      if (!token || readSoFar + reads >= this.cfg.monthlyReadCap) break;
    }
    return { newest, reads };
  }

  private async acceptMention(t: Tweet, author: XUser | undefined): Promise<void> {
    await this.ctx.intake.accept(this.inbox.id, mentionToInboundMessage(t, author));
  }

  private async directMessages(newestSeen: string | undefined, readSoFar: number): Promise<{ newest?: string; reads: number }> {
    let token: string | undefined;
    let newest: string | undefined;
    let reads = 0;
    // Newest first; stop at what we already have (the first run reads one page only).
    for (let page = 0; page < (newestSeen ? MAX_PAGES : 1); page++) {
      const r = await this.request<DmEvent>('dm_events', {
        max_results: 100,
        pagination_token: token,
        event_types: 'MessageCreate',
        'dm_event.fields': 'id,text,event_type,created_at,sender_id,dm_conversation_id',
        expansions: 'sender_id',
        'user.fields': 'username,name,public_metrics',
      });
      const users = new Map((r.includes?.users ?? []).map((u) => [u.id, u]));
      let reachedSeen = false;
      for (const e of r.data ?? []) {
        if (newestSeen && BigInt(e.id) <= BigInt(newestSeen)) {
          reachedSeen = true;
          break;
        }
        newest = bigger(newest, e.id);
        const message = dmToInboundMessage(e, users.get(e.sender_id ?? ''), this.cfg.userId);
        if (message) await this.ctx.intake.accept(this.inbox.id, message);
      }
      reads += r.data?.length ?? 0;
      token = r.meta?.next_token;
      if (reachedSeen || !token || readSoFar + reads >= this.cfg.monthlyReadCap) break;
    }
    return { newest, reads };
  }

  /** Each topic's recent search since its own since_id; its reads are counted as they happen (a 429 part-way keeps them). */
  private async listen(readSoFar: number): Promise<void> {
    const topics = await this.ctx.listening.topics(this.inbox.id);
    let reads = 0;
    try {
      for (const topic of topics) {
        if (readSoFar + reads >= this.cfg.monthlyReadCap) break;
        const key = `x:topic:${topic.id}`;
        const cursor = (await this.ctx.cursors.get<{ sinceId?: string }>(this.inbox.id, key)) ?? {};
        let token: string | undefined;
        let newest: string | undefined;
        for (let page = 0; page < MAX_PAGES; page++) {
          const r = await this.request<Tweet>('tweets/search/recent', {
            query: topic.query,
            max_results: 100,
            since_id: cursor.sinceId,
            next_token: token,
            expansions: 'author_id',
            'user.fields': 'username,name,public_metrics',
            'tweet.fields': 'created_at,conversation_id,public_metrics,lang,entities',
          });
          reads += r.data?.length ?? 0;
          const users = new Map((r.includes?.users ?? []).map((u) => [u.id, u]));
          const posts = (r.data ?? []).filter((t) => !this.addressesBrand(t)).map((t) => listenedPost(t, users.get(t.author_id ?? '')));
          if (posts.length) await this.ctx.listening.accept(this.inbox.id, topic.id, posts);
          for (const t of r.data ?? []) newest = bigger(newest, t.id);
          token = r.meta?.next_token;
          if (!token || readSoFar + reads >= this.cfg.monthlyReadCap) break;
        }
        // Moved only once every page was stored: a crash reads the topic's pages again, never skips one.
        if (newest) await this.ctx.cursors.set(this.inbox.id, key, { sinceId: bigger(cursor.sinceId, newest) });
      }
    } finally {
      await this.countReads(reads);
    }
  }

  /** Written by the brand, or @-mentioning it: the mentions timeline brings it to the agents' queue. */
  private addressesBrand(t: Tweet): boolean {
    if (t.author_id === this.cfg.userId) return true;
    const handle = this.cfg.handle.toLowerCase();
    return (t.entities?.mentions ?? []).some((m) => m.username?.toLowerCase() === handle) || t.text.toLowerCase().includes(`@${handle}`);
  }

  private async usage(): Promise<Usage> {
    const month = monthOf(new Date());
    const u = await this.ctx.cursors.get<Usage>(this.inbox.id, 'x:usage');
    return u?.month === month ? u : { month, reads: 0 };
  }

  private async countReads(n: number): Promise<void> {
    if (!n) return;
    const u = await this.usage();
    await this.ctx.cursors.set(this.inbox.id, 'x:usage', { month: u.month, reads: u.reads + n });
  }
}
