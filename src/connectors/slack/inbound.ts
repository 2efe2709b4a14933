// A Slack message event as InboundMessageInput: pure, tested with recorded payloads
// (test/channel-payloads.test.ts). Who wrote it is decided before (users.info, and whether the
// email is one of our agents'): a customer's message is inbound; a colleague's reply in the
// customer's thread is our side, outbound, as the customer's conversation.
import type { InboundMessageInput } from '../../inbox/channels/contract';
import { slackMessageId } from './setup';

export interface SlackMessageEvent {
  type: 'message';
  subtype?: string;
  channel: string;
  user?: string;
  bot_id?: string;
  text?: string;
  ts: string;
  thread_ts?: string;
  team?: string;
  message?: { ts: string; text?: string; user?: string; bot_id?: string };
  deleted_ts?: string;
  files?: Array<{ name?: string; mimetype?: string; size?: number; url_private?: string }>;
}

/** Edits, deletions, bots and channel noise (joins, topic changes) are not conversation. */
export function isConversationMessage(e: SlackMessageEvent): boolean {
  return !e.bot_id && !!e.user && (!e.subtype || ['file_share', 'thread_broadcast'].includes(e.subtype));
}

export function slackToInboundMessage(
  e: SlackMessageEvent,
  author: { name?: string; email?: string | null; agentId: string | null },
  /** For an agent's reply: the customer's Slack addresses (of the thread's conversation). */
  customer: string[] = [],
): InboundMessageInput {
  const agent = author.agentId !== null;
  const identities = agent
    ? customer.map((address) => ({ kind: 'slack' as const, address }))
    : [{ kind: 'slack' as const, address: `${e.team ?? 'T'}:${e.user}` }, ...(author.email ? [{ kind: 'email' as const, address: author.email }] : [])];
  return {
    externalId: slackMessageId(e.channel, e.ts),
    from: { name: agent ? undefined : author.name, identities },
    text: e.text ?? '',
    sentAt: new Date(Number(e.ts) * 1000).toISOString(),
    direction: agent ? 'outbound' : 'inbound',
    thread: { key: e.thread_ts ?? e.ts, continueOpen: false },
    attachments: (e.files ?? []).filter((f) => f.url_private).slice(0, 20).map((f) => ({ fileName: f.name ?? 'file', contentType: f.mimetype ?? 'application/octet-stream', size: f.size ?? 0, url: f.url_private! })),
    metadata: { slack: { channel: e.channel, ts: e.ts, user: e.user, ...(agent ? { agentId: author.agentId } : {}) } },
  };
}
