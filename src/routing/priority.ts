// The priority of a conversation: 0..100, higher is answered first. A weighted sum of
// factors, each normalised to 0..1, so that every point of the score can be explained to an
// agent ("why this priority"). Weights are configurable (PRIORITY_WEIGHTS); defaults below.
// Priority means "needs an agent now": once answered (nobody waiting), a conversation keeps
// only a quarter of its score until the customer writes again.

export interface PriorityInput {
  /** Latest customer sentiment, -1..1. */
  sentimentScore: number | null;
  /** 0..1 from the analysis. */
  escalationRisk: number | null;
  /** Sum of urgency cue weights of the latest customer message. */
  urgencyWeight: number;
  complaintCategory: string | null;
  /** Minutes the customer has been waiting for an answer (null: not waiting). */
  waitingMinutes: number | null;
  /** Minutes until the next SLA due time (negative: breached; null: no SLA). */
  slaMinutesLeft: number | null;
  customerValue: number | null;
  isPublic: boolean;
}

export interface PriorityWeights {
  negativity: number;
  risk: number;
  urgency: number;
  complaint: number;
  waiting: number;
  sla: number;
  value: number;
  exposure: number;
}

export const DEFAULT_PRIORITY_WEIGHTS: PriorityWeights = {
  negativity: 25,
  risk: 20,
  urgency: 15,
  complaint: 10,
  waiting: 10,
  sla: 10,
  value: 5,
  exposure: 5,
};

/**
 * How serious a complaint type is on its own, 0..1, keyed by the default taxonomy
 * (src/sentiment/taxonomy.ts). A type missing here (a user's own taxonomy) counts as 0.3.
 */
export const COMPLAINT_SEVERITY: Record<string, number> = {
  lost_damaged: 0.8,
  refund: 0.6,
  billing: 0.6,
  cancellation: 0.6,
  delay: 0.5,
  delivery: 0.5,
  product_quality: 0.5,
  account: 0.5,
  technical: 0.5,
  service_staff: 0.4,
  other: 0.3,
  order: 0.3,
  question: 0.1,
  praise: 0,
};

export interface PriorityFactor {
  factor: keyof PriorityWeights;
  /** Points this factor added to the score. */
  points: number;
  /** In English, e.g. "waiting 240 min"; the fields below say it as data for the app's languages. */
  detail: string;
  /** What was measured: a score, minutes, a complaint type, the customer's value, public or not. */
  value?: number | string | boolean | null;
  /** The score kept a quarter while the customer is answered. */
  answered?: boolean;
  /** Raised to at least this by routing, a rule, a survey or a public mention (`by`). */
  raisedTo?: number;
  by?: string;
}

export interface Priority {
  score: number;
  factors: PriorityFactor[];
}

/**
 * The parts of the score that move with time, and only within these windows: waiting rises
 * for its first four hours, the service level over the two hours before a due time (and is
 * full once it passes). Outside them a waiting conversation's score stands still.
 */
export const WAITING_FULL_MINUTES = 240;
export const SLA_RISE_MINUTES = 120;

/** Share of the score an answered conversation keeps (the customer is not waiting). */
export const ANSWERED_SHARE = 0.25;

const clamp01 = (x: number) => Math.max(0, Math.min(1, x));

export function computePriority(input: PriorityInput, weights: PriorityWeights = DEFAULT_PRIORITY_WEIGHTS): Priority {
  const parts: Array<[keyof PriorityWeights, number, string, PriorityFactor['value']]> = [
    ['negativity', clamp01(-(input.sentimentScore ?? 0)), `sentiment ${fmt(input.sentimentScore)}`, input.sentimentScore],
    ['risk', clamp01(input.escalationRisk ?? 0), `escalation risk ${fmt(input.escalationRisk)}`, input.escalationRisk],
    ['urgency', clamp01(input.urgencyWeight), `urgency cues ${fmt(input.urgencyWeight)}`, input.urgencyWeight],
    [
      'complaint',
      input.complaintCategory ? (COMPLAINT_SEVERITY[input.complaintCategory] ?? 0.3) : 0,
      `complaint type ${input.complaintCategory ?? 'none'}`,
      input.complaintCategory,
    ],
    // Full weight after four hours without an answer.
    ['waiting', input.waitingMinutes == null ? 0 : clamp01(input.waitingMinutes / WAITING_FULL_MINUTES), `waiting ${Math.round(input.waitingMinutes ?? 0)} min`, input.waitingMinutes == null ? null : Math.round(input.waitingMinutes)],
    // Rises over the last two hours before a due time; full once breached.
    [
      'sla',
      input.slaMinutesLeft == null ? 0 : input.slaMinutesLeft <= 0 ? 1 : clamp01(1 - input.slaMinutesLeft / SLA_RISE_MINUTES),
      input.slaMinutesLeft == null ? 'no SLA' : `${Math.round(input.slaMinutesLeft)} min to SLA`,
      input.slaMinutesLeft == null ? null : Math.round(input.slaMinutesLeft),
    ],
    // Log scale: 100,000 a year reaches the full weight.
    ['value', input.customerValue ? clamp01(Math.log10(1 + input.customerValue) / 5) : 0, `customer value ${input.customerValue ?? 'unknown'}`, input.customerValue],
    ['exposure', input.isPublic ? 1 : 0, input.isPublic ? 'public post' : 'private', !!input.isPublic],
  ];
  const factors = parts
    .map(([factor, x, detail, value]) => ({ factor, points: round1(x * weights[factor]), detail, value: value ?? null }))
    .filter((f) => f.points > 0)
    .sort((a, b) => b.points - a.points);
  const total = factors.reduce((s, f) => s + f.points, 0);
  const answered = input.waitingMinutes == null;
  return { score: Math.max(0, Math.min(100, Math.round(answered ? total * ANSWERED_SHARE : total))), factors: answered ? [...factors, { factor: 'waiting', points: 0, detail: `answered: ${ANSWERED_SHARE * 100}% of the score until the customer writes again`, answered: true }] : factors };
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const fmt = (x: number | null) => (x == null ? 'n/a' : x.toFixed(2));

/** What a stored conversation knows, for recomputing its priority outside the pipeline. */
export interface ConversationPriorityFields {
  sentimentScore: number | null;
  escalationRisk: number | null;
  complaintCategory: string | null;
  waitingSince: Date | null;
  firstResponseAt: Date | null;
  firstResponseDueAt: Date | null;
  nextResponseDueAt: Date | null;
  customerValue: number | null;
  type: string;
  /** Set by rules and escalation: the score is at least this while the customer waits. */
  priorityFloor?: number;
}

export function conversationPriority(c: ConversationPriorityFields, now: Date, weights: PriorityWeights, urgencyWeight = 0): Priority {
  const due = c.firstResponseAt ? c.nextResponseDueAt : c.firstResponseDueAt;
  const p = computePriority(
    {
      sentimentScore: c.sentimentScore,
      escalationRisk: c.escalationRisk,
      urgencyWeight,
      complaintCategory: c.complaintCategory,
      waitingMinutes: c.waitingSince ? Math.max(0, (now.getTime() - c.waitingSince.getTime()) / 60_000) : null,
      slaMinutesLeft: due ? (due.getTime() - now.getTime()) / 60_000 : null,
      customerValue: c.customerValue,
      isPublic: c.type === 'mention',
    },
    weights,
  );
  const floor = c.waitingSince ? (c.priorityFloor ?? 0) : 0;
  if (p.score >= floor) return p;
  return { score: floor, factors: [{ factor: 'urgency', points: floor - p.score, detail: `raised to at least ${floor} by routing (escalation or rule)`, raisedTo: floor }, ...p.factors] };
}

export function parsePriorityWeights(json: string | undefined): PriorityWeights {
  if (!json) return DEFAULT_PRIORITY_WEIGHTS;
  const parsed = JSON.parse(json) as Partial<Record<string, unknown>>;
  const out = { ...DEFAULT_PRIORITY_WEIGHTS };
  for (const key of Object.keys(out) as Array<keyof PriorityWeights>) {
    const v = parsed[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || v < 0 || !Number.isFinite(v)) throw new Error(`PRIORITY_WEIGHTS.${key} must be a number >= 0`);
    out[key] = v;
  }
  return out;
}

/** A conversation's priority as stored: its score, the floor rules set under it, and the reasons. */
export interface StoredPriority {
  priority: number;
  priorityFloor: number;
  waitingSince: Date | null;
  priorityReason: unknown;
}

export interface RaisedPriority {
  priority: number;
  priorityFloor: number;
  priorityReason: { factors: unknown[]; [key: string]: unknown };
}

/**
 * Puts a floor of `atLeast` under a conversation's priority (a rule, an escalation): the score
 * rises now if the customer is waiting, and stays at least there until they are answered.
 * Null when the floor and the score are already there.
 */
export function raisePriorityFloor(c: StoredPriority, atLeast: number, why: string, factor: keyof PriorityWeights = 'urgency'): RaisedPriority | null {
  if (c.priorityFloor >= atLeast && c.priority >= atLeast) return null;
  const reason = (c.priorityReason ?? {}) as { factors?: unknown[] };
  const raised = c.waitingSince ? Math.max(c.priority, atLeast) : c.priority;
  return {
    priorityFloor: Math.max(c.priorityFloor, atLeast),
    priority: raised,
    priorityReason: { ...reason, factors: [{ factor, points: Math.max(0, raised - c.priority), detail: `raised to at least ${atLeast} by ${why}`, raisedTo: atLeast, by: why }, ...(reason.factors ?? [])] },
  };
}
