// Routing in the worker: the router (drains the outbox in batches: rules, acknowledgements,
// assignment, escalation) and the durable timers, composed once per worker process.
import type { PriorityWeights } from '../../routing/priority';
import { reprioritiseWaiting } from '../conversations/reprioritise';
import type { InboxServices } from '../services';
import { Router } from './router';
import { Timers } from './timers';

export interface Routing {
  router: Router;
  timers: Timers;
  /** After the pipeline committed a batch: run routing now if it wrote outbox rows, wake up at the new due times. */
  afterCommit(conversations: ReadonlyArray<{ id: string; firstResponseDueAt: Date | null; nextResponseDueAt: Date | null; slaPolicyId?: string | null }>, batch: { routed: boolean }): Promise<void>;
}

export function createRouting(s: InboxServices, o: { now?: () => Date; priorityWeights: PriorityWeights }): Routing {
  const router = new Router({ db: s.db, queue: s.queue, events: s.events, rules: s.rules, slaPolicies: s.slaPolicies, logger: s.logger, now: o.now });
  // The first run reads every waiting conversation; later runs only what can have moved since.
  let lastReprioritised: Date | null = null;
  const timers = new Timers({
    db: s.db, queue: s.queue, actions: s.actions, logger: s.logger, now: o.now,
    onFired: () => router.drain(),
    everyMinute: async (now) => {
      const n = await reprioritiseWaiting(s.db, s.events, o.priorityWeights, now, lastReprioritised);
      lastReprioritised = now;
      return n;
    },
  });
  return {
    router,
    timers,
    async afterCommit(conversations, batch) {
      const policies = await s.slaPolicies.all();
      const moments: Date[] = [];
      for (const c of conversations) {
        const due = c.firstResponseDueAt ?? c.nextResponseDueAt;
        if (!due) continue;
        const warn = policies.find((p) => p.id === c.slaPolicyId)?.warnBeforeMinutes ?? 0;
        moments.push(new Date(due.getTime() - warn * 60_000), due);
      }
      // No outbox rows, nothing to drain: a queue job per batch would cost Redis and a claim query for nothing.
      await Promise.all([batch.routed ? router.kick() : null, timers.schedule(moments)]);
    },
  };
}
