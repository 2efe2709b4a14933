// Routing's decisions on their own, with a clock the test sets: business hours, service
// levels, rules, assignment fairness, escalation, acknowledgement texts.
import { describe, expect, it } from 'vitest';
import { acknowledgementText } from '../src/routing/acknowledgement';
import { chooseAgent, type Candidate } from '../src/routing/assignment';
import { addBusinessMinutes, businessHoursSchema, businessMinutesBetween, isOpen, nextOpening, weekdaysNineToFive } from '../src/routing/business-hours';
import { ESCALATION_COOLDOWN_MS, PING_PONG_LIMIT, planEscalation } from '../src/routing/escalation';
import { conditionSchema, DEFAULT_RULES, matchingRules, ruleSchema, type Condition, type Rule, type RuleContext } from '../src/routing/rules';
import { choosePolicy, dueTimes, slaMomentsDue, slaPolicySchema, type SlaPolicy } from '../src/routing/sla';

// Berlin: UTC+1 in winter. Friday 2026-12-18, Christmas holidays on 24th–26th.
const berlin = { ...weekdaysNineToFive('Europe/Berlin'), holidays: ['2026-12-24', '2026-12-25', '2026-12-26'] };
const utc = (s: string) => new Date(s);

describe('business hours', () => {
  it('knows when the team is open, in its own time zone', () => {
    expect(isOpen(berlin, utc('2026-12-18T08:30:00Z'))).toBe(true); // 09:30 Berlin
    expect(isOpen(berlin, utc('2026-12-18T07:30:00Z'))).toBe(false); // 08:30 Berlin
    expect(isOpen(berlin, utc('2026-12-19T10:00:00Z'))).toBe(false); // Saturday
    expect(isOpen(berlin, utc('2026-12-24T10:00:00Z'))).toBe(false); // holiday
    expect(isOpen(null, utc('2026-12-19T03:00:00Z'))).toBe(true);
  });

  it('counts business minutes across a weekend', () => {
    // Friday 16:00 Berlin + 4 business hours = Monday 12:00 Berlin.
    expect(addBusinessMinutes(berlin, utc('2026-12-18T15:00:00Z'), 240).toISOString()).toBe('2026-12-21T11:00:00.000Z');
    expect(businessMinutesBetween(berlin, utc('2026-12-18T15:00:00Z'), utc('2026-12-21T11:00:00Z'))).toBe(240);
  });

  it('skips holidays', () => {
    // Wednesday 23rd 16:00 + 2 h: one hour that day, then 24th–26th are holidays and 27th a Sunday → Monday 28th 10:00.
    expect(addBusinessMinutes(berlin, utc('2026-12-23T15:00:00Z'), 120).toISOString()).toBe('2026-12-28T09:00:00.000Z');
    expect(nextOpening(berlin, utc('2026-12-24T12:00:00Z')).toISOString()).toBe('2026-12-28T08:00:00.000Z');
  });

  it('follows daylight-saving changes of the zone', () => {
    const ny = weekdaysNineToFive('America/New_York');
    // Before the March change 09:00 New York is 14:00 UTC; after, 13:00 UTC.
    expect(nextOpening(ny, utc('2026-03-06T23:00:00Z')).toISOString()).toBe('2026-03-09T13:00:00.000Z');
    expect(nextOpening(ny, utc('2026-03-05T23:00:00Z')).toISOString()).toBe('2026-03-06T14:00:00.000Z');
  });

  it('refuses nonsense with a reason', () => {
    expect(businessHoursSchema.safeParse({ timeZone: 'Mars/Olympus', week: { mon: [['09:00', '17:00']] } }).success).toBe(false);
    expect(businessHoursSchema.safeParse({ timeZone: 'UTC', week: { mon: [['17:00', '09:00']] } }).success).toBe(false);
    expect(businessHoursSchema.safeParse({ timeZone: 'UTC', week: {} }).success).toBe(false);
  });
});

const policy = (p: Partial<SlaPolicy> & { id: string }): SlaPolicy => ({ ...slaPolicySchema.parse({ name: p.id, firstResponseMinutes: 60, nextResponseMinutes: 240, ...p }), id: p.id });

describe('service levels', () => {
  it('chooses the most specific matching policy', () => {
    const all = [policy({ id: 'standard' }), policy({ id: 'urgent', priorityAtLeast: 70, firstResponseMinutes: 15 }), policy({ id: 'gold', tier: 'gold' }), policy({ id: 'other-inbox', inboxId: '00000000-0000-4000-8000-000000000001' })];
    expect(choosePolicy(all, { inboxId: 'x', priority: 10, tier: null })!.id).toBe('standard');
    expect(choosePolicy(all, { inboxId: 'x', priority: 80, tier: null })!.id).toBe('urgent');
    expect(choosePolicy(all, { inboxId: 'x', priority: 10, tier: 'gold' })!.id).toBe('gold');
    expect(choosePolicy([], { inboxId: 'x', priority: 10, tier: null })).toBeNull();
  });

  it('counts due times in business hours and pauses while waiting on the customer', () => {
    const p = policy({ id: 'p', businessHours: berlin, firstResponseMinutes: 120 });
    const createdAt = utc('2026-12-18T15:00:00Z');
    expect(dueTimes(p, { status: 'open', createdAt, waitingSince: createdAt, firstResponseAt: null, resolvedAt: null }).firstResponseDueAt!.toISOString()).toBe('2026-12-21T09:00:00.000Z');
    const pending = dueTimes(p, { status: 'pending', createdAt, waitingSince: createdAt, firstResponseAt: null, resolvedAt: null });
    expect(pending.firstResponseDueAt).toBeNull();
    const answered = dueTimes(p, { status: 'open', createdAt, waitingSince: utc('2026-12-21T10:00:00Z'), firstResponseAt: utc('2026-12-21T09:30:00Z'), resolvedAt: null });
    expect(answered.firstResponseDueAt).toBeNull();
    expect(answered.nextResponseDueAt!.toISOString()).toBe('2026-12-21T14:00:00.000Z');
  });

  it('fires the warning and the breach once per due time', () => {
    const due = utc('2026-12-18T12:00:00Z');
    const none = { warnedFor: null, breachedFor: null };
    expect(slaMomentsDue(due, 15, none, utc('2026-12-18T11:40:00Z'))).toEqual([]);
    expect(slaMomentsDue(due, 15, none, utc('2026-12-18T11:50:00Z'))).toEqual(['warning']);
    expect(slaMomentsDue(due, 15, { warnedFor: due, breachedFor: null }, utc('2026-12-18T11:55:00Z'))).toEqual([]);
    expect(slaMomentsDue(due, 15, { warnedFor: due, breachedFor: null }, utc('2026-12-18T12:00:00Z'))).toEqual(['breach']);
    expect(slaMomentsDue(due, 15, { warnedFor: due, breachedFor: due }, utc('2026-12-18T13:00:00Z'))).toEqual([]);
    // A new due time (the customer wrote again) warns and breaches again.
    const later = utc('2026-12-18T16:00:00Z');
    expect(slaMomentsDue(later, 15, { warnedFor: due, breachedFor: due }, utc('2026-12-18T16:01:00Z'))).toEqual(['breach']);
  });
});

const ctx = (o: Partial<RuleContext> = {}): RuleContext => ({
  event: 'message.created', channel: 'email', inboxId: 'inbox-1', conversationType: 'direct', status: 'open', priority: 40, assigned: false, teamId: null,
  sentiment: 'negative', sentimentScore: -0.7, sentimentSlope: -0.5, complaintCategory: 'refund', risk: 0.7, language: 'eng',
  text: 'Where is my refund? I will dispute the charge.', businessHours: 'open', customerValue: 5000, tier: 'gold', labels: ['vip'], automated: false, repeatContact: false, attribute: { plan: 'enterprise', seats: 40 }, ...o,
});
const rule = (o: Partial<Rule>): Rule => ({ ...ruleSchema.parse({ name: 'r', event: 'message.created', actions: [{ type: 'add_label', label: 'x' }], ...o }), id: o.name ?? 'r' });

describe('rules', () => {
  it.each([
    ['channel eq', { field: 'channel', op: 'eq', value: 'email' }, { field: 'channel', op: 'eq', value: 'sms' }],
    ['inbox eq', { field: 'inboxId', op: 'eq', value: 'inbox-1' }, { field: 'inboxId', op: 'eq', value: 'inbox-2' }],
    ['sentiment in', { field: 'sentiment', op: 'in', value: ['negative'] }, { field: 'sentiment', op: 'in', value: ['positive', 'neutral'] }],
    ['slope lte', { field: 'sentimentSlope', op: 'lte', value: -0.4 }, { field: 'sentimentSlope', op: 'lte', value: -0.6 }],
    ['complaint neq', { field: 'complaintCategory', op: 'neq', value: 'praise' }, { field: 'complaintCategory', op: 'neq', value: 'refund' }],
    ['risk gte', { field: 'risk', op: 'gte', value: 0.7 }, { field: 'risk', op: 'gt', value: 0.7 }],
    ['language eq', { field: 'language', op: 'eq', value: 'eng' }, { field: 'language', op: 'eq', value: 'spa' }],
    ['keywords', { field: 'text', op: 'containsAny', value: ['chargeback', 'dispute'] }, { field: 'text', op: 'contains', value: 'lawyer' }],
    ['business hours', { field: 'businessHours', op: 'eq', value: 'open' }, { field: 'businessHours', op: 'eq', value: 'closed' }],
    ['customer value', { field: 'customerValue', op: 'gt', value: 1000 }, { field: 'customerValue', op: 'lt', value: 1000 }],
    ['labels', { field: 'labels', op: 'eq', value: 'vip' }, { field: 'labels', op: 'in', value: ['spam'] }],
    ['tier', { field: 'tier', op: 'eq', value: 'gold' }, { field: 'tier', op: 'eq', value: 'silver' }],
    ['automated', { field: 'automated', op: 'eq', value: false }, { field: 'automated', op: 'eq', value: true }],
    ['not a number', { field: 'risk', op: 'gt', value: 0.1 }, { field: 'channel', op: 'gt', value: 1 }],
    ['contact attribute', { field: 'attribute', key: 'plan', op: 'eq', value: 'enterprise' }, { field: 'attribute', key: 'plan', op: 'in', value: ['free', 'pro'] }],
    ['numeric attribute', { field: 'attribute', key: 'seats', op: 'gte', value: 25 }, { field: 'attribute', key: 'renewal', op: 'eq', value: '2027-01-01' }],
  ] as Array<[string, Condition, Condition]>)('condition %s holds or not', (_name, yes, no) => {
    expect(matchingRules([rule({ conditions: [yes] })], ctx())).toHaveLength(1);
    expect(matchingRules([rule({ conditions: [no] })], ctx())).toHaveLength(0);
  });

  it('needs the key of an attribute condition, and only there', () => {
    expect(conditionSchema.safeParse({ field: 'attribute', op: 'eq', value: 'x' }).success).toBe(false);
    expect(conditionSchema.safeParse({ field: 'tier', key: 'plan', op: 'eq', value: 'x' }).success).toBe(false);
    expect(conditionSchema.safeParse({ field: 'attribute', key: 'plan', op: 'eq', value: 'x' }).success).toBe(true);
  });

  it('runs only enabled rules of the event and inbox, in position order', () => {
    const rules = [
      rule({ name: 'late', position: 50 }),
      rule({ name: 'early', position: 5 }),
      rule({ name: 'off', enabled: false }),
      rule({ name: 'other event', event: 'sla.breach' }),
      rule({ name: 'other inbox', inboxId: '00000000-0000-4000-8000-000000000009' }),
    ];
    expect(matchingRules(rules, ctx()).map((r) => r.name)).toEqual(['early', 'late']);
  });

  it('validates rules with reasons and ships valid defaults', () => {
    expect(ruleSchema.safeParse({ name: 'x', event: 'message.created', actions: [{ type: 'teleport' }] }).success).toBe(false);
    expect(ruleSchema.safeParse({ name: 'x', event: 'never', actions: [{ type: 'resolve' }] }).success).toBe(false);
    expect(ruleSchema.safeParse({ name: 'x', event: 'message.created', actions: [] }).success).toBe(false);
    for (const d of DEFAULT_RULES) expect(ruleSchema.safeParse(d).success, d.name).toBe(true);
  });

  it('never acknowledges automatic mail with the default rules', () => {
    const rules = DEFAULT_RULES.map((d, i) => ({ ...ruleSchema.parse(d), id: String(i) }));
    const acks = (c: RuleContext) => matchingRules(rules, c).flatMap((r) => r.actions).filter((a) => a.type === 'acknowledge');
    expect(acks(ctx())).toHaveLength(1);
    expect(acks(ctx({ automated: true }))).toHaveLength(0);
    expect(acks(ctx({ conversationType: 'mention' }))).toHaveLength(0);
  });
});

const agent = (id: string, o: Partial<Candidate> = {}): Candidate => ({
  id, availability: 'online', capacity: 1_000, openLoad: 0, lastAssignedAt: null, skills: [], languages: [], teamIds: [], inboxIds: ['inbox-1'], role: 'agent', ...o,
});

function simulate(agents: Candidate[], n: number, strategy: 'balanced' | 'round_robin') {
  const counts = new Map(agents.map((a) => [a.id, 0]));
  for (let i = 0; i < n; i++) {
    const a = chooseAgent(agents, { inboxId: 'inbox-1', strategy });
    if (!a) break;
    a.openLoad++;
    a.lastAssignedAt = new Date(1_000_000 + i);
    counts.set(a.id, counts.get(a.id)! + 1);
  }
  return counts;
}

describe('assignment', () => {
  it.each(['balanced', 'round_robin'] as const)('%s is fair over 1,000 conversations: each within one of the ideal', (strategy) => {
    const agents = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id) => agent(id, { openLoad: strategy === 'balanced' ? 0 : 0 }));
    const counts = simulate(agents, 1_000, strategy);
    const ideal = 1_000 / 7;
    for (const c of counts.values()) expect(Math.abs(c - ideal)).toBeLessThanOrEqual(1);
  });

  it('balanced evens out an uneven start; round robin takes turns regardless of load', () => {
    const balanced = simulate([agent('busy', { openLoad: 10 }), agent('idle')], 10, 'balanced');
    expect(balanced.get('idle')).toBe(10);
    const rr = simulate([agent('busy', { openLoad: 10 }), agent('idle')], 10, 'round_robin');
    expect(rr.get('busy')).toBe(5);
  });

  it('respects capacity, availability, team, skill, language and channel', () => {
    const small = agent('small', { capacity: 5 });
    const counts = simulate([small], 20, 'balanced');
    expect(counts.get('small')).toBe(5);
    const pool = [
      agent('offline', { availability: 'offline' }),
      agent('busy', { availability: 'busy' }),
      agent('outsider', { inboxIds: [] }),
      agent('billing-es', { skills: ['billing'], languages: ['es'], teamIds: ['t1'] }),
      agent('billing-en', { skills: ['billing', 'channel:sms'], languages: ['en'], teamIds: ['t1'] }),
    ];
    expect(chooseAgent(pool, { inboxId: 'inbox-1', strategy: 'balanced', skill: 'billing', language: 'spa' })!.id).toBe('billing-es');
    expect(chooseAgent(pool, { inboxId: 'inbox-1', strategy: 'balanced', skill: 'billing', language: 'eng' })!.id).toBe('billing-en');
    expect(chooseAgent(pool, { inboxId: 'inbox-1', strategy: 'balanced', skill: 'billing', language: 'eng', channel: 'email' })).toBeNull();
    expect(chooseAgent(pool, { inboxId: 'inbox-1', strategy: 'balanced', teamId: 't2' })).toBeNull();
    expect(chooseAgent(pool.slice(0, 3), { inboxId: 'inbox-1', strategy: 'balanced' })).toBeNull();
    expect(chooseAgent(pool, { inboxId: 'inbox-1', strategy: 'balanced', skill: 'billing', language: 'spa', exclude: ['billing-es'] })).toBeNull();
  });
});

describe('escalation', () => {
  const now = utc('2026-12-18T12:00:00Z');
  it('raises priority and moves to second line', () => {
    expect(planEscalation({ level: 0, lastEscalatedAt: null, recentAssignments: 1, priority: 40 }, now)).toEqual({ level: 1, priority: 80, reassign: true });
  });
  it('holds a conversation that keeps changing hands (ping-pong)', () => {
    const p = planEscalation({ level: 1, lastEscalatedAt: null, recentAssignments: PING_PONG_LIMIT, priority: 90 }, now);
    expect(p).toMatchObject({ reassign: false, held: 'ping-pong', priority: 100 });
  });
  it('does not escalate again within the cool-down', () => {
    const recent = new Date(now.getTime() - ESCALATION_COOLDOWN_MS / 2);
    expect(planEscalation({ level: 1, lastEscalatedAt: recent, recentAssignments: 0, priority: 80 }, now)).toMatchObject({ reassign: false, held: 'cooling-down', level: 1 });
  });
});

describe('acknowledgement', () => {
  const base = { name: 'Jo Reyes', reference: 1042, complaintCategory: 'refund', language: 'eng', now: utc('2026-12-18T10:00:00Z'), businessHours: berlin, expectedWaitMinutes: 30 };
  it('names the customer, the subject, the wait and the reference', () => {
    const t = acknowledgementText(base);
    expect(t).toMatch(/^Hi Jo,/);
    expect(t).toMatch(/refund/);
    expect(t).toMatch(/within about 30 minutes/);
    expect(t).toMatch(/#1042/);
  });
  it('says when the team is back outside business hours', () => {
    const t = acknowledgementText({ ...base, now: utc('2026-12-19T10:00:00Z') });
    expect(t).toMatch(/away right now; we will be back on Monday/);
  });
  it('answers in the customer\'s language when it has the texts, else in English', () => {
    expect(acknowledgementText({ ...base, language: 'spa', complaintCategory: 'delivery' })).toMatch(/^Hola Jo: .*envío.*#1042/);
    expect(acknowledgementText({ ...base, language: 'jpn' })).toMatch(/^Hi Jo,/);
  });
});
