// A customer edited or deleted a message in the provider's own app (Slack): the stored
// message follows, and agents see it change live. The original words stay in the metadata
// (and the audit log), because an agent may already have acted on them.
import type { Database } from '../../platform/db/client';
import type { InboxEventBus } from '../events';
import { loadMessageView } from '../views';
import type { ProviderEditPort } from '../channels/contract';

export class ProviderEdits implements ProviderEditPort {
  constructor(
    private readonly db: Database,
    private readonly events: InboxEventBus,
  ) {}

  /** Answers the message's id, or null when no message has this external id. */
  async edited(inboxId: string, externalId: string, text: string): Promise<string | null> {
    return this.change(inboxId, externalId, `text = $3, metadata = metadata || jsonb_build_object('editedAt', now(), 'originalText', COALESCE(metadata->>'originalText', text))`, [text], 'message.edited');
  }

  async deleted(inboxId: string, externalId: string): Promise<string | null> {
    return this.change(inboxId, externalId, `text = '', html = NULL, metadata = metadata || jsonb_build_object('deletedAt', now(), 'originalText', COALESCE(metadata->>'originalText', text))`, [], 'message.deleted');
  }

  private async change(inboxId: string, externalId: string, set: string, params: unknown[], audit: string): Promise<string | null> {
    const { rows } = await this.db.pool.query<{ id: string; conversation_id: string }>(
      `WITH changed AS (UPDATE messages SET ${set} WHERE inbox_id = $1 AND external_id = $2 RETURNING id, conversation_id)
       INSERT INTO audit_events (type, conversation_id, inbox_id, data) SELECT '${audit}', conversation_id, $1, jsonb_build_object('messageId', id) FROM changed
       RETURNING (data->>'messageId') AS id, conversation_id`,
      [inboxId, externalId, ...params],
    );
    const r = rows[0];
    if (!r) return null;
    const view = await loadMessageView(this.db.pool, r.id);
    this.events.emit({ type: 'message.updated', inboxId: view.inboxId, conversationId: view.conversationId, message: view });
    return r.id;
  }
}
