// What a macro (or a bulk action) does to a conversation: reply from a template, a note,
// labels, a status, a team, an agent, a contact attribute. A macro applies all of its actions
// or none: every action is checked against the conversation first (the team and agent exist,
// the attribute value fits its definition, the channel takes a reply now, the agent may do it),
// and the first that cannot be done stops the macro before anything changed, saying why.
import { z } from 'zod';
import { AppError } from '../../platform/errors';
import type { Permission } from '../agents/permissions';
import type { SessionAgent } from '../agents/sessions';
import { checkAttributes, mergedAttributes } from '../contacts/attributes';
import { actorLabel, type Actor } from '../conversations/actions';
import { replyRulesFor } from '../messages/reply-rules';
import type { InboxServices } from '../services';
import { fillAnswer, firstNameOf } from '../suggestions/text';

const text = z.string().trim().min(1).max(10_000);
export const macroActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('reply'), text: text.describe('{name}: the customer\'s first name, {reference}: #1042') }).strict(),
  z.object({ type: z.literal('note'), text }).strict(),
  z.object({ type: z.literal('addLabels'), labels: z.array(z.string().trim().min(1).max(50)).min(1).max(20) }).strict(),
  z.object({ type: z.literal('setStatus'), status: z.enum(['open', 'pending', 'resolved', 'snoozed']), snoozeMinutes: z.number().int().min(1).max(131_400).optional() }).strict(),
  z.object({ type: z.literal('assignTeam'), teamId: z.uuid().nullable() }).strict(),
  z.object({ type: z.literal('assignAgent'), agentId: z.union([z.uuid(), z.literal('me')]).nullable() }).strict(),
  z.object({ type: z.literal('setContactAttribute'), key: z.string().min(1).max(64), value: z.union([z.string().max(1_000), z.number(), z.null()]) }).strict(),
]);
export type MacroAction = z.infer<typeof macroActionSchema>;

const NEEDS: Record<MacroAction['type'], Permission> = {
  reply: 'conversations.reply', note: 'conversations.note', addLabels: 'conversations.assign', setStatus: 'conversations.resolve',
  assignTeam: 'conversations.assign', assignAgent: 'conversations.assign', setContactAttribute: 'contacts.edit',
};

/** Why this action cannot be done to this conversation now, or null. */
async function refusal(s: InboxServices, can: (p: Permission) => Promise<boolean>, conversationId: string, a: MacroAction, contact: { attributes: unknown; doNotContact: boolean }): Promise<string | null> {
  if (!(await can(NEEDS[a.type]))) return `your role may not do "${a.type}"`;
  switch (a.type) {
    case 'reply': {
      if (contact.doNotContact) return 'the customer asked not to be contacted ("do not contact" is on)';
      const rules = await replyRulesFor(s, conversationId);
      return rules.templateRequired ? (rules.notice ?? 'the channel takes only a template now') : null;
    }
    case 'assignTeam':
      return a.teamId && !(await s.db.prisma.team.findUnique({ where: { id: a.teamId }, select: { id: true } })) ? 'no such team' : null;
    case 'assignAgent': {
      if (!a.agentId || a.agentId === 'me') return null;
      const agent = await s.db.prisma.agent.findUnique({ where: { id: a.agentId }, select: { active: true } });
      return !agent ? 'no such agent' : !agent.active ? 'that agent is deactivated' : null;
    }
    case 'setContactAttribute': {
      try {
        checkAttributes(await s.db.prisma.contactAttribute.findMany({ select: { key: true, label: true, type: true, options: true } }), { [a.key]: a.value });
        return null;
      } catch (err) {
        return err instanceof Error ? err.message : String(err);
      }
    }
    default:
      return null;
  }
}

/**
 * Applies the actions to one conversation, all or none: checked first, then done in order.
 * Throws a 409 naming the action that cannot be done (nothing changed).
 */
export async function applyActions(s: InboxServices, caller: SessionAgent, conversationId: string, actions: MacroAction[], o: { name?: string } = {}): Promise<void> {
  const actor: Actor = { type: 'agent', id: caller.id, name: caller.name };
  const c = await s.db.prisma.conversation.findUniqueOrThrow({ where: { id: conversationId }, select: { reference: true, contact: { select: { id: true, name: true, attributes: true, doNotContact: true } } } });
  const can = (p: Permission) => s.access.can(caller, p);
  for (const [i, a] of actions.entries()) {
    const why = await refusal(s, can, conversationId, a, c.contact);
    if (why) throw new AppError(409, 'macro_refused', `${o.name ? `"${o.name}"` : 'The actions'} changed nothing on #${c.reference}: action ${i + 1} (${a.type}) cannot be done: ${why}`, { action: i + 1, type: a.type, reason: why });
  }
  const customer = { firstName: firstNameOf(c.contact.name), reference: c.reference };
  for (const a of actions) {
    switch (a.type) {
      case 'reply':
        await s.replies.fromAgent(caller.id, conversationId, { text: fillAnswer(a.text, customer) });
        break;
      case 'note':
        await s.replies.fromAgent(caller.id, conversationId, { text: fillAnswer(a.text, customer), private: true });
        break;
      case 'addLabels':
        await s.actions.addLabels(actor, conversationId, a.labels);
        break;
      case 'setStatus':
        await s.actions.setStatus(actor, conversationId, { status: a.status, snoozedUntil: a.status === 'snoozed' ? new Date(s.clock().getTime() + (a.snoozeMinutes ?? 60) * 60_000) : null, ...(o.name ? { reason: `macro "${o.name}"` } : {}) });
        break;
      case 'assignTeam':
        await s.actions.assign(actor, conversationId, { teamId: a.teamId });
        break;
      case 'assignAgent':
        await s.actions.assign(actor, conversationId, { assigneeId: a.agentId === 'me' ? caller.id : a.agentId });
        break;
      case 'setContactAttribute': {
        const defs = await s.db.prisma.contactAttribute.findMany({ select: { key: true, label: true, type: true, options: true } });
        const current = await s.db.prisma.contact.findUniqueOrThrow({ where: { id: c.contact.id }, select: { attributes: true } });
        await s.db.prisma.contact.update({ where: { id: c.contact.id }, data: { attributes: mergedAttributes(current.attributes, checkAttributes(defs, { [a.key]: a.value })) }, select: { id: true } });
        await s.actions.record(actor, conversationId, { text: `${a.key} set to ${a.value ?? '(none)'} on the contact by ${actorLabel(actor)}`, kind: 'contact_attribute', data: { key: a.key, value: a.value } });
        break;
      }
    }
  }
}
