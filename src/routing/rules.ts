// Routing rules: "when <event> and <conditions> then <actions>". Stored in the database,
// edited through the API, evaluated here as pure functions over a snapshot of the
// conversation; src/inbox/routing executes the actions. Every firing is recorded on the
// conversation with the rule's name.
import { z } from 'zod';

export const RULE_EVENTS = ['message.created', 'conversation.created', 'conversation.updated', 'sla.warning', 'sla.breach', 'risk.rising'] as const;
export type RuleEvent = (typeof RULE_EVENTS)[number];
/** The rule events a customer's message can raise. */
export const MESSAGE_RULE_EVENTS: readonly RuleEvent[] = ['message.created', 'conversation.created', 'risk.rising'];

/** What a condition can look at. */
export const RULE_FIELDS = [
  'channel', 'inboxId', 'conversationType', 'status', 'priority', 'assigned', 'teamId',
  'sentiment', 'sentimentScore', 'sentimentSlope', 'complaintCategory', 'risk', 'language',
  'text', 'businessHours', 'customerValue', 'tier', 'labels', 'automated', 'repeatContact',
  // A custom contact attribute: the condition names it by `key`.
  'attribute',
] as const;
export type RuleField = (typeof RULE_FIELDS)[number];

const OPERATORS = ['eq', 'neq', 'in', 'gt', 'gte', 'lt', 'lte', 'contains', 'containsAny'] as const;

const scalar = z.union([z.string().max(500), z.number(), z.boolean(), z.null()]);
export const conditionSchema = z
  .object({
    field: z.enum(RULE_FIELDS),
    /** The attribute's key, for field "attribute" (e.g. plan). */
    key: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/).optional(),
    op: z.enum(OPERATORS),
    value: z.union([scalar, z.array(z.union([z.string().max(200), z.number()])).max(100)]),
  })
  .refine((c) => (c.field === 'attribute') === (c.key !== undefined), { message: 'a condition on field "attribute" names the attribute by key (and only it does)', path: ['key'] });
export type Condition = z.infer<typeof conditionSchema>;

export const actionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('acknowledge') }),
  z.object({
    type: z.literal('assign'),
    strategy: z.enum(['balanced', 'round_robin']).default('balanced'),
    agentId: z.uuid().optional(),
    teamId: z.uuid().optional(),
    /** Only agents with this skill (e.g. "billing", "channel:email"). */
    skill: z.string().max(50).optional(),
  }),
  z.object({ type: z.literal('set_priority'), atLeast: z.number().int().min(0).max(100) }),
  z.object({ type: z.literal('add_label'), label: z.string().trim().min(1).max(50) }),
  z.object({ type: z.literal('escalate'), reason: z.string().max(200).optional() }),
  // In the app for now; Slack and email join when those channels exist.
  z.object({ type: z.literal('notify'), channel: z.enum(['in_app']).default('in_app'), text: z.string().max(1000).optional() }),
  z.object({ type: z.literal('snooze'), minutes: z.number().int().min(1).max(525_600) }),
  z.object({ type: z.literal('resolve') }),
]);
export type RuleAction = z.infer<typeof actionSchema>;

export const ruleSchema = z.object({
  name: z.string().trim().min(1).max(100),
  event: z.enum(RULE_EVENTS),
  /** All must hold. */
  conditions: z.array(conditionSchema).max(30).default([]),
  actions: z.array(actionSchema).min(1).max(10),
  /** Rules run in this order; a lower number first. */
  position: z.number().int().min(0).max(100_000).default(100),
  enabled: z.boolean().default(true),
  /** Only for this inbox (all when null). */
  inboxId: z.uuid().nullable().default(null),
});
export type RuleInput = z.input<typeof ruleSchema>;
export type Rule = z.output<typeof ruleSchema> & { id: string };

/** What the rules see of a conversation when an event happens. */
export interface RuleContext {
  event: RuleEvent;
  channel: string;
  inboxId: string;
  conversationType: string;
  status: string;
  priority: number;
  assigned: boolean;
  teamId: string | null;
  sentiment: string | null;
  sentimentScore: number | null;
  sentimentSlope: number | null;
  complaintCategory: string | null;
  risk: number | null;
  language: string | null;
  /** The latest customer message's text. */
  text: string;
  /** "open" or "closed" now. */
  businessHours: 'open' | 'closed';
  customerValue: number | null;
  tier: string | null;
  labels: string[];
  automated: boolean;
  repeatContact: boolean;
  /** The contact's custom attribute values by key. */
  attribute: Record<string, string | number>;
}

function holds(c: Condition, ctx: RuleContext): boolean {
  const actual = c.field === 'attribute' ? (ctx.attribute[c.key!] ?? null) : ctx[c.field];
  const v = c.value;
  switch (c.op) {
    case 'eq':
      return Array.isArray(actual) ? actual.includes(String(v)) : actual === v;
    case 'neq':
      return Array.isArray(actual) ? !actual.includes(String(v)) : actual !== v;
    case 'in':
      return Array.isArray(v) && (Array.isArray(actual) ? actual.some((a) => (v as unknown[]).includes(a)) : (v as unknown[]).includes(actual as never));
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      if (typeof actual !== 'number' || typeof v !== 'number') return false;
      return c.op === 'gt' ? actual > v : c.op === 'gte' ? actual >= v : c.op === 'lt' ? actual < v : actual <= v;
    }
    case 'contains':
    case 'containsAny': {
      const words = (Array.isArray(v) ? v : [v]).map((w) => String(w).toLowerCase());
      const hay = Array.isArray(actual) ? actual.map((a) => a.toLowerCase()) : String(actual ?? '').toLowerCase();
      return Array.isArray(hay) ? words.some((w) => hay.includes(w)) : words.some((w) => hay.includes(w));
    }
  }
}

/** The rules that fire for this event and context, in order. */
export function matchingRules(rules: readonly Rule[], ctx: RuleContext): Rule[] {
  return rules
    .filter((r) => r.enabled && r.event === ctx.event && (!r.inboxId || r.inboxId === ctx.inboxId) && r.conditions.every((c) => holds(c, ctx)))
    .sort((a, b) => a.position - b.position || a.name.localeCompare(b.name));
}

/** The rules a new installation starts with (editable and removable like any other). */
export const DEFAULT_RULES: RuleInput[] = [
  {
    name: 'Acknowledge new customer messages',
    event: 'message.created',
    conditions: [{ field: 'automated', op: 'eq', value: false }, { field: 'conversationType', op: 'eq', value: 'direct' }],
    actions: [{ type: 'acknowledge' }],
    position: 10,
  },
  {
    name: 'Assign unassigned conversations',
    event: 'message.created',
    conditions: [{ field: 'assigned', op: 'eq', value: false }],
    actions: [{ type: 'assign', strategy: 'balanced' }],
    position: 20,
  },
  {
    name: 'Label repeat contacts',
    event: 'conversation.created',
    conditions: [{ field: 'repeatContact', op: 'eq', value: true }],
    actions: [{ type: 'add_label', label: 'repeat-contact' }, { type: 'set_priority', atLeast: 60 }],
    position: 30,
  },
  {
    name: 'Escalate high escalation risk',
    event: 'risk.rising',
    conditions: [{ field: 'risk', op: 'gte', value: 0.75 }],
    actions: [{ type: 'escalate', reason: 'escalation risk is high' }],
    position: 40,
  },
  {
    name: 'Escalate a customer getting angrier',
    event: 'message.created',
    conditions: [{ field: 'sentimentSlope', op: 'lte', value: -0.4 }, { field: 'sentiment', op: 'eq', value: 'negative' }],
    actions: [{ type: 'escalate', reason: 'the customer is getting angrier' }],
    position: 50,
  },
  {
    name: 'Warn before a missed response time',
    event: 'sla.warning',
    actions: [{ type: 'set_priority', atLeast: 70 }, { type: 'notify', channel: 'in_app', text: 'Response due soon' }],
    position: 60,
  },
  {
    name: 'Escalate a missed response time',
    event: 'sla.breach',
    actions: [{ type: 'escalate', reason: 'the response time was missed' }],
    position: 70,
  },
];
