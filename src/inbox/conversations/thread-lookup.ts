// What a channel may read of a conversation it carries, found by its thread (the provider's
// key for it): the messages its customer may see, and the addresses that customer is known by.
import type { Database } from '../../platform/db/client';
import type { ThreadLookup, ThreadMessage } from '../channels/contract';

export class ConversationThreads implements ThreadLookup {
  constructor(private readonly db: Database) {}

  /** Theirs and our replies, never notes or activity; the latest `limit`, oldest first. */
  async history(inboxId: string, threadKey: string, limit = 100): Promise<ThreadMessage[]> {
    const { rows } = await this.db.pool.query<Omit<ThreadMessage, 'sentAt' | 'author' | 'survey'> & { sentAt: Date; author: string | null; survey: { id: string; kind: string } | null }>(
      `SELECT * FROM (
         SELECT m.id, m.direction::text AS direction, m.text, m.sent_at AS "sentAt", a.name AS author,
                m.metadata->'widget'->>'clientId' AS "clientId", m.delivery_status::text AS status, m.metadata->'survey' AS survey
           FROM messages m JOIN conversations c ON c.id = m.conversation_id LEFT JOIN agents a ON a.id = m.agent_id
          WHERE c.inbox_id = $1 AND c.thread_key = $2 AND m.direction IN ('inbound', 'outbound')
          ORDER BY m.sent_at DESC LIMIT $3) t ORDER BY "sentAt"`,
      [inboxId, threadKey, limit],
    );
    return rows.map(({ survey, ...r }) => ({ ...r, ...(survey ? { survey: { id: survey.id, kind: survey.kind } } : {}), author: r.direction === 'inbound' ? 'you' : (r.author?.split(' ')[0] ?? 'Support'), sentAt: r.sentAt.toISOString() }));
  }

  async customerAddresses(inboxId: string, threadKey: string, kind: string): Promise<string[]> {
    const { rows } = await this.db.pool.query<{ address: string }>(
      `SELECT i.address FROM conversations c JOIN contact_identities i ON i.contact_id = c.contact_id AND i.kind::text = $3
        WHERE c.id = (SELECT id FROM conversations WHERE inbox_id = $1 AND thread_key = $2 ORDER BY created_at LIMIT 1)`,
      [inboxId, threadKey, kind],
    );
    return rows.map((r) => r.address);
  }
}
