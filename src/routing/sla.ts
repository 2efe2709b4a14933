// Service levels: how soon a customer must hear from us. A policy applies by inbox, minimum
// priority and customer tier (the most specific match wins) and counts business minutes.
// The clock pauses while the conversation waits on the customer (pending or snoozed): no
// response is due from us then, and the next customer message starts a new one.
import { z } from 'zod';
import { addBusinessMinutes, businessHoursSchema, type BusinessHours } from './business-hours';

export const slaPolicySchema = z.object({
  name: z.string().trim().min(1).max(100),
  inboxId: z.uuid().nullable().default(null),
  /** Applies to conversations at or above this priority (0..100). */
  priorityAtLeast: z.number().int().min(0).max(100).nullable().default(null),
  /** Applies to contacts of this tier (e.g. "gold"). */
  tier: z.string().trim().min(1).max(50).nullable().default(null),
  firstResponseMinutes: z.number().int().min(1).max(525_600),
  nextResponseMinutes: z.number().int().min(1).max(525_600),
  resolutionMinutes: z.number().int().min(1).max(5_256_000).nullable().default(null),
  /** A warning this many minutes before a due time. */
  warnBeforeMinutes: z.number().int().min(0).max(10_080).default(15),
  businessHours: businessHoursSchema.nullable().default(null),
});

export type SlaPolicyInput = z.input<typeof slaPolicySchema>;
export type SlaPolicy = z.output<typeof slaPolicySchema> & { id: string };

export interface SlaSubject {
  inboxId: string;
  priority: number;
  tier: string | null;
}

/** The policy for a conversation: every set criterion must match; more criteria win, then the stricter policy. */
export function choosePolicy(policies: readonly SlaPolicy[], s: SlaSubject): SlaPolicy | null {
  let best: SlaPolicy | null = null;
  let bestScore = -1;
  for (const p of policies) {
    if (p.inboxId && p.inboxId !== s.inboxId) continue;
    if (p.priorityAtLeast != null && s.priority < p.priorityAtLeast) continue;
    if (p.tier && p.tier !== s.tier) continue;
    const score = (p.inboxId ? 1 : 0) + (p.priorityAtLeast != null ? 1 : 0) + (p.tier ? 1 : 0);
    if (score > bestScore || (score === bestScore && best && p.firstResponseMinutes < best.firstResponseMinutes)) {
      best = p;
      bestScore = score;
    }
  }
  return best;
}

export interface SlaClock {
  status: string;
  createdAt: Date;
  waitingSince: Date | null;
  firstResponseAt: Date | null;
  resolvedAt: Date | null;
}

export interface DueTimes {
  firstResponseDueAt: Date | null;
  nextResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
}

export function dueTimes(policy: SlaPolicy | null, c: SlaClock): DueTimes {
  const none = { firstResponseDueAt: null, nextResponseDueAt: null, resolutionDueAt: null };
  if (!policy || c.status === 'resolved') return none;
  const bh: BusinessHours | null = policy.businessHours;
  const waitingOnUs = c.status === 'open' && c.waitingSince != null;
  return {
    firstResponseDueAt: !c.firstResponseAt && waitingOnUs ? addBusinessMinutes(bh, c.createdAt, policy.firstResponseMinutes) : null,
    nextResponseDueAt: c.firstResponseAt && waitingOnUs ? addBusinessMinutes(bh, c.waitingSince!, policy.nextResponseMinutes) : null,
    resolutionDueAt: policy.resolutionMinutes ? addBusinessMinutes(bh, c.createdAt, policy.resolutionMinutes) : null,
  };
}

/** The response due time agents work against: first response until there is one, then the next. */
export const responseDue = (d: Pick<DueTimes, 'firstResponseDueAt' | 'nextResponseDueAt'>) => d.firstResponseDueAt ?? d.nextResponseDueAt;

export type SlaMoment = 'warning' | 'breach';

/**
 * What is due now for a conversation's response due time, given what already fired for it
 * (the due time each one fired for, so a new due time can warn and breach again).
 */
export function slaMomentsDue(due: Date | null, warnBeforeMinutes: number, fired: { warnedFor: Date | null; breachedFor: Date | null }, now: Date): SlaMoment[] {
  if (!due) return [];
  const out: SlaMoment[] = [];
  const same = (a: Date | null) => a != null && a.getTime() === due.getTime();
  if (now.getTime() >= due.getTime() - warnBeforeMinutes * 60_000 && !same(fired.warnedFor) && now < due) out.push('warning');
  if (now >= due && !same(fired.breachedFor)) out.push('breach');
  return out;
}
