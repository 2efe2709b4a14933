// Customers connected live (the chat widget's visitors), in the database so a worker knows
// whether a reply will be seen or should also be emailed. A crashed web node's visitors count
// as gone once their heartbeat is two minutes old.
import type { Database } from '../../platform/db/client';
import type { CustomerPresence } from './contract';

export class CustomerPresenceStore implements CustomerPresence {
  constructor(private readonly db: Database) {}

  async connected(inboxId: string, visitor: { id: string; threadKey: string }): Promise<void> {
    await this.db.pool.query(
      `INSERT INTO widget_visitors (id, inbox_id, thread_key, connected_at, disconnected_at, last_seen_at) VALUES ($1, $2, $3, now(), NULL, now())
       ON CONFLICT (id) DO UPDATE SET thread_key = EXCLUDED.thread_key, connected_at = now(), disconnected_at = NULL, last_seen_at = now()`,
      [visitor.id, inboxId, visitor.threadKey],
    );
  }

  async disconnected(visitorId: string): Promise<void> {
    await this.db.pool.query('UPDATE widget_visitors SET disconnected_at = now(), last_seen_at = now() WHERE id = $1', [visitorId]);
  }

  async seen(visitorIds: string[]): Promise<void> {
    if (visitorIds.length) await this.db.pool.query('UPDATE widget_visitors SET last_seen_at = now() WHERE id = ANY($1::text[])', [visitorIds]);
  }

  async online(inboxId: string, threadKey: string): Promise<boolean> {
    const { rows } = await this.db.pool.query(
      `SELECT 1 FROM widget_visitors WHERE inbox_id = $1 AND thread_key = $2 AND disconnected_at IS NULL AND last_seen_at > now() - interval '2 minutes' LIMIT 1`,
      [inboxId, threadKey],
    );
    return rows.length > 0;
  }
}
