// Where a channel's rules differ from ours (WhatsApp's 24-hour window and its approved
// templates, Messenger's window, Instagram's lengths), the composer says so before the agent
// types, and a reply the platform would refuse is refused here, at once, with the reason —
// not queued to fail later. A chosen template becomes the reply's text (its body with the
// parameters filled in) and goes to the channel as the template.
import type { Database, Inbox } from '../../platform/db/client';
import { AppError, ValidationError } from '../../platform/errors';
import type { ConnectorRegistry } from '../channels/registry';
import type { OutboundTemplate, ReplyRules } from '../channels/contract';

export interface TemplateChoice {
  name: string;
  /** Which language's version, when the inbox has the template in several. */
  language?: string;
  parameters: string[];
}

/** The rules of the conversation's channel now (empty when it has none). */
export async function replyRulesFor(s: { db: Database; connectors: ConnectorRegistry; clock: () => Date }, conversationId: string): Promise<ReplyRules & { channel: string }> {
  const { rows } = await s.db.pool.query<{ type: 'direct' | 'mention'; inboxId: string; last: Date | null }>(
    `SELECT c.type::text AS type, c.inbox_id AS "inboxId",
            (SELECT max(m.sent_at) FROM messages m WHERE m.conversation_id = c.id AND m.direction = 'inbound') AS last
       FROM conversations c WHERE c.id = $1`,
    [conversationId],
  );
  const c = rows[0]!;
  const inbox = (await s.db.prisma.inbox.findUniqueOrThrow({ where: { id: c.inboxId } })) as Inbox;
  const rules = s.connectors.find(inbox.kind)?.replyRules?.(inbox, { type: c.type, lastCustomerMessageAt: c.last }, s.clock()) ?? {};
  return { channel: inbox.kind, ...rules };
}

/** A free-form reply the platform would refuse now: 409 with the reason and the templates to choose from. */
export function refuseFreeForm(rules: ReplyRules): void {
  if (!rules.templateRequired) return;
  const names = (rules.templates ?? []).map((t) => t.name);
  throw new AppError(409, 'template_required', `${rules.notice ?? 'Only an approved template can be sent now'}${names.length ? ` (${names.join(', ')})` : ' — none is configured for this inbox: add one in Settings'}`, { templates: rules.templates ?? [] });
}

/** The chosen template checked against the inbox's, and the text agents will read in the timeline. */
export function templateReply(rules: ReplyRules, choice: TemplateChoice): { text: string; template: OutboundTemplate } {
  const t = (rules.templates ?? []).find((x) => x.name === choice.name && (!choice.language || x.language === choice.language));
  if (!t) {
    const names = (rules.templates ?? []).map((x) => x.name);
    throw new ValidationError(`No template "${choice.name}"${choice.language ? ` in ${choice.language}` : ''} in this inbox${names.length ? `: choose one of ${names.join(', ')}` : ' (this channel has no templates)'}`, [{ path: 'template.name', message: 'unknown template' }]);
  }
  if (choice.parameters.length !== t.parameters) {
    throw new ValidationError(`The template "${t.name}" takes ${t.parameters} parameter${t.parameters === 1 ? '' : 's'}, ${choice.parameters.length} given`, [{ path: 'template.parameters', message: `${t.parameters} expected` }]);
  }
  const text = t.text ? t.text.replace(/\{\{(\d+)\}\}/g, (whole, n: string) => choice.parameters[Number(n) - 1] ?? whole) : `[template ${t.name}] ${choice.parameters.join(' · ')}`.trim();
  return { text, template: { name: t.name, language: t.language, parameters: choice.parameters } };
}
