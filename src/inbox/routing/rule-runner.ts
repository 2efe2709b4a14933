// Runs the rules an event matches on one conversation of the batch: the context they look
// at (built from the locked conversation and the message), then each matching rule's
// actions in order, each firing recorded with its rule and outbox event.
import { isOpen } from '../../routing/business-hours';
import { matchingRules, type Rule, type RuleAction, type RuleContext, type RuleEvent } from '../../routing/rules';
import type { SlaPolicy } from '../../routing/sla';
import { actorLabel, type Actor } from '../conversations/state/transitions';
import { acknowledge } from './acknowledger';
import type { Assigner } from './assigner';
import { escalate } from './escalator';
import type { RoutingPlan } from './plan';
import type { MessageFacts, RoutingSubject } from './subjects';

export interface RuleRun {
  plan: RoutingPlan;
  rules: readonly Rule[];
  policies: readonly SlaPolicy[];
  assigner: Assigner;
}

/** What the rules see of a conversation when an event happens. */
export function ruleContext(s: RoutingSubject, event: RuleEvent, message: MessageFacts | null, o: { automated: boolean; now: Date }): RuleContext {
  return {
    event,
    channel: s.channel,
    inboxId: s.inboxId,
    conversationType: s.type,
    status: s.status,
    priority: s.priority,
    assigned: s.assigneeId !== null,
    teamId: s.teamId,
    sentiment: s.sentiment,
    sentimentScore: s.sentimentScore,
    sentimentSlope: s.sentimentSlope,
    complaintCategory: s.complaintCategory,
    risk: s.risk,
    language: message?.language ?? null,
    text: message?.text ?? '',
    businessHours: isOpen(s.routing.businessHours ?? null, o.now) ? 'open' : 'closed',
    customerValue: s.customerValue,
    tier: s.tier,
    labels: [...s.labels],
    automated: o.automated || message?.automated === true,
    repeatContact: s.repeatContact,
    attribute: s.attributes,
  };
}

/**
 * Runs the rules matching `ctx` (decided on the context as the event found it) on the subject.
 * `message`: the message the event is about, whose facts an acknowledgement quotes.
 */
export async function runRules(run: RuleRun, s: RoutingSubject, ctx: RuleContext, o: { message: MessageFacts | null; outboxEventId: string }): Promise<void> {
  for (const rule of matchingRules(run.rules, ctx)) {
    const actor: Actor = { type: 'rule', name: rule.name };
    for (const action of rule.actions) await execute(run, s, action, rule, actor, o.message);
    run.plan.audit('rule.fired', s, { rule: rule.name, ruleId: rule.id, event: ctx.event, messageId: o.message?.id ?? null, outboxEventId: o.outboxEventId });
  }
}

async function execute(run: RuleRun, s: RoutingSubject, a: RuleAction, rule: Rule, actor: Actor, message: MessageFacts | null): Promise<void> {
  const { plan } = run;
  switch (a.type) {
    case 'acknowledge':
      return acknowledge(plan, s, actor, message, run.policies);
    case 'assign':
      await run.assigner.assign(plan, s, actor, a);
      return;
    case 'set_priority':
      return plan.raisePriority(actor, s, a.atLeast, `rule "${rule.name}"`);
    case 'add_label':
      return plan.addLabels(actor, s, [a.label]);
    case 'escalate':
      return escalate(plan, s, actor, a.reason ?? rule.name, run.assigner);
    case 'notify':
      return plan.notify(s, a.text ?? rule.name, actorLabel(actor), 'rule');
    case 'snooze':
      return plan.setStatus(actor, s, { status: 'snoozed', snoozedUntil: new Date(plan.now.getTime() + a.minutes * 60_000), reason: rule.name });
    case 'resolve':
      return plan.setStatus(actor, s, { status: 'resolved', reason: rule.name });
  }
}
