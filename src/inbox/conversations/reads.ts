// How far each agent has read each conversation, kept on the server so unread state follows
// the agent from one browser (or phone) to the next. A read only moves forward: a slow request
// from an older tab cannot mark newer messages unread again.
import type pg from 'pg';
import type { Queryable } from '../../platform/db/sql';

/** Marks the conversation read up to `at` (not beyond now); answers how far it is read now. */
export async function markConversationRead(db: Queryable, agentId: string, conversationId: string, at: Date): Promise<Date> {
  const { rows } = await db.query<{ read_at: Date }>(
    `INSERT INTO conversation_reads (agent_id, conversation_id, read_at) VALUES ($1, $2, least($3::timestamptz, now()))
     ON CONFLICT (agent_id, conversation_id) DO UPDATE SET read_at = greatest(conversation_reads.read_at, EXCLUDED.read_at)
     RETURNING read_at`,
    [agentId, conversationId, at],
  );
  return rows[0]!.read_at;
}

/** When the agent last read each of these conversations (absent: never). */
export async function readsOf(pool: pg.Pool, agentId: string, conversationIds: string[]): Promise<Map<string, Date>> {
  if (!conversationIds.length) return new Map();
  const { rows } = await pool.query<{ conversation_id: string; read_at: Date }>(
    'SELECT conversation_id, read_at FROM conversation_reads WHERE agent_id = $1 AND conversation_id = ANY($2::uuid[])',
    [agentId, conversationIds],
  );
  return new Map(rows.map((r) => [r.conversation_id, r.read_at]));
}
