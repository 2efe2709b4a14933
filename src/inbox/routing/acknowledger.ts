// The automatic acknowledgement, executed: whether it is due and what it says are decided in
// src/routing/acknowledgement.ts; this puts the reply and its activity line into the plan.
import { acknowledgementDue, acknowledgementText, acknowledgementTopic, DEFAULT_ACKNOWLEDGEMENT, expectedWaitMinutes } from '../../routing/acknowledgement';
import type { SlaPolicy } from '../../routing/sla';
import { actorLabel, type Actor } from '../conversations/state/transitions';
import type { RoutingPlan } from './plan';
import type { MessageFacts, RoutingSubject } from './subjects';

/**
 * `message`: the customer message the event is about (none for a service-level moment). At
 * most once per period per conversation, never to a machine or to someone who opted out.
 */
export function acknowledge(plan: RoutingPlan, s: RoutingSubject, actor: Actor, message: MessageFacts | null, policies: readonly SlaPolicy[]): void {
  const settings = { ...DEFAULT_ACKNOWLEDGEMENT, ...s.routing.acknowledgement };
  if (!acknowledgementDue({ settings, automated: message?.automated ?? false, optedOut: s.optedOut, acknowledgedAt: s.acknowledgedAt, now: plan.now })) return;
  s.acknowledgedAt = plan.now;
  const policy = s.slaPolicyId ? policies.find((p) => p.id === s.slaPolicyId) : undefined;
  const text = acknowledgementText({
    name: s.contactName,
    reference: s.reference,
    complaintCategory: acknowledgementTopic(message),
    language: message?.language ?? null,
    contactLanguage: s.contactLanguage,
    inboxLanguage: s.routing.language ?? null,
    title: s.contactTitle,
    formality: s.contactFormality,
    tone: s.routing.tone ?? 'informal',
    now: plan.now,
    businessHours: s.routing.businessHours ?? policy?.businessHours ?? null,
    expectedWaitMinutes: expectedWaitMinutes({ due: s.firstResponseDueAt ?? s.nextResponseDueAt, now: plan.now, queueAhead: s.queueAhead }),
    settings,
  });
  plan.automaticReply(s, { text, reason: actorLabel(actor), metadata: { acknowledgement: true, autoSubmitted: 'auto-replied' } });
  plan.activity(actor, s, { text: `Acknowledged automatically by ${actorLabel(actor)}`, kind: 'acknowledged', data: {} }, 'acknowledged');
}
