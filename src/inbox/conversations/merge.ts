// One timeline out of two conversations of the same person (merge), or some messages of one
// made a conversation of their own (split) — both recorded, both undoable. A merge moves the
// source's messages, labels, analysis corrections and activity into the target and removes the
// source; its row is kept in the record and comes back exactly on undo, with its messages. A
// split moves the chosen messages to a new conversation of the same person and inbox; undo moves
// them back and removes it. The conversations' counters and last message follow their messages.
import crypto from 'node:crypto';
import type pg from 'pg';
import type { Database } from '../../platform/db/client';
import { withTransaction } from '../../platform/db/sql';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors';
import { restoreConversationRow, writeConversationState } from './state/write';

interface MergeSnapshot {
  source: Record<string, unknown>;
  messageIds: string[];
  /** Labels the target got from the source (not its own before). */
  labelsAdded: string[];
  sourceLabels: string[];
  correctionIds: string[];
  auditIds: string[];
}

interface SplitSnapshot {
  messageIds: string[];
}

export interface ConversationChangeResult {
  id: string;
  kind: 'merge' | 'split';
  targetId: string;
  sourceId: string;
  targetReference: number;
  sourceReference: number;
  moved: number;
}

async function lockConversations(client: pg.PoolClient, ids: string[]) {
  const { rows } = await client.query<{ row: Record<string, unknown> & { id: string; contact_id: string; inbox_id: string; type: string; reference: number } }>(
    'SELECT to_jsonb(c) AS row FROM conversations c WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE',
    [ids],
  );
  return new Map(rows.map((r) => [r.row.id, r.row]));
}

/** Counters and the latest message of conversations, from their messages as they now are. */
async function recount(client: pg.PoolClient, ids: string[]): Promise<void> {
  // As the writers count: every message but activity lines; the last message and preview are the last human words.
  await client.query(
    `UPDATE conversations c SET message_count = x.n, last_message_at = COALESCE(x.last, c.last_message_at), last_inbound_at = x.last_inbound,
            last_message_preview = COALESCE(x.preview, c.last_message_preview), updated_at = now()
       FROM (SELECT cv.id, count(m.id) FILTER (WHERE m.direction <> 'activity')::int AS n,
                    max(m.sent_at) FILTER (WHERE m.direction IN ('inbound', 'outbound') AND m.sender_type <> 'system') AS last,
                    max(m.sent_at) FILTER (WHERE m.direction = 'inbound') AS last_inbound,
                    -- previewOf (messages/sanitise.ts) in SQL: one line, 160 characters at most.
                    (SELECT CASE WHEN length(t) > 160 THEN left(t, 159) || '…' ELSE t END FROM (SELECT btrim(regexp_replace(l.text, '\\s+', ' ', 'g')) AS t, l.sent_at FROM messages l WHERE l.conversation_id = cv.id AND l.direction IN ('inbound', 'outbound') AND l.sender_type <> 'system' ORDER BY l.sent_at DESC LIMIT 1) p) AS preview
               FROM conversations cv LEFT JOIN messages m ON m.conversation_id = cv.id WHERE cv.id = ANY($1::uuid[]) GROUP BY cv.id) x
      WHERE c.id = x.id`,
    [ids],
  );
}

export async function mergeConversations(db: Database, o: { targetId: string; sourceId: string; agentId: string | null }): Promise<ConversationChangeResult> {
  if (o.targetId === o.sourceId) throw new ValidationError('A conversation cannot be merged into itself', [{ path: 'conversationId', message: 'the same conversation' }]);
  return withTransaction(db.pool, async (client) => {
    const rows = await lockConversations(client, [o.targetId, o.sourceId]);
    const target = rows.get(o.targetId);
    const source = rows.get(o.sourceId);
    if (!target || !source) throw new NotFoundError('Conversation');
    if (target.contact_id !== source.contact_id) throw new ConflictError('The two conversations are of different contacts: merge the contacts first');
    if (target.type !== source.type) throw new ConflictError('A public mention and a private conversation are linked, not merged');
    const ids = async (sql: string) => (await client.query<{ id: string }>(sql, [o.sourceId])).rows.map((r) => String(r.id));
    const sourceLabels = await ids('SELECT label_id AS id FROM conversation_labels WHERE conversation_id = $1');
    const labelsAdded = (await client.query<{ id: string }>(
      `INSERT INTO conversation_labels (conversation_id, label_id) SELECT $2, label_id FROM conversation_labels WHERE conversation_id = $1 ON CONFLICT DO NOTHING RETURNING label_id AS id`,
      [o.sourceId, o.targetId],
    )).rows.map((r) => r.id);
    const snapshot: MergeSnapshot = {
      source,
      messageIds: await ids('SELECT id FROM messages WHERE conversation_id = $1'),
      labelsAdded,
      sourceLabels,
      correctionIds: await ids('SELECT id FROM analysis_corrections WHERE conversation_id = $1'),
      auditIds: await ids('SELECT id::text AS id FROM audit_events WHERE conversation_id = $1'),
    };
    await client.query('UPDATE messages SET conversation_id = $2 WHERE conversation_id = $1', [o.sourceId, o.targetId]);
    await client.query('UPDATE analysis_corrections SET conversation_id = $2 WHERE conversation_id = $1', [o.sourceId, o.targetId]);
    await client.query('UPDATE audit_events SET conversation_id = $2 WHERE conversation_id = $1', [o.sourceId, o.targetId]);
    await client.query('UPDATE conversations SET linked_conversation_id = $2 WHERE linked_conversation_id = $1', [o.sourceId, o.targetId]);
    await client.query('DELETE FROM conversations WHERE id = $1', [o.sourceId]);
    await recount(client, [o.targetId]);
    const id = await record(client, 'merge', o, snapshot);
    return { id, kind: 'merge', targetId: o.targetId, sourceId: o.sourceId, targetReference: target.reference, sourceReference: source.reference, moved: snapshot.messageIds.length };
  });
}

export async function splitConversation(db: Database, o: { conversationId: string; messageIds: string[]; agentId: string | null }): Promise<ConversationChangeResult> {
  return withTransaction(db.pool, async (client) => {
    const original = (await lockConversations(client, [o.conversationId])).get(o.conversationId);
    if (!original) throw new NotFoundError('Conversation');
    const { rows: chosen } = await client.query<{ id: string; subject: string | null }>('SELECT id, subject FROM messages WHERE conversation_id = $1 AND id = ANY($2::uuid[]) ORDER BY created_at', [o.conversationId, o.messageIds]);
    if (chosen.length !== new Set(o.messageIds).size) throw new ValidationError('Some of these messages are not in this conversation', [{ path: 'messageIds', message: 'not all in the conversation' }]);
    const remaining = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM messages WHERE conversation_id = $1 AND NOT (id = ANY($2::uuid[]))', [o.conversationId, o.messageIds]);
    if (!remaining.rows[0]!.n) throw new ValidationError('Leave at least one message in the conversation', [{ path: 'messageIds', message: 'every message chosen' }]);
    const [made] = await writeConversationState<{ id: string; status: 'open'; priority: number; teamId: string | null }, 'status' | 'priority' | 'teamId', { id: string; reference: number }>(client, 'insert', {
      rows: [{ id: crypto.randomUUID(), status: 'open', priority: Number(original.priority ?? 0), teamId: (original.team_id as string | null) ?? null }],
      fields: ['status', 'priority', 'teamId'],
      others: [
        { column: 'inbox_id', type: 'uuid[]', value: () => original.inbox_id },
        { column: 'contact_id', type: 'uuid[]', value: () => original.contact_id },
        { column: 'type', type: 'text[]', value: () => original.type, cast: '::"ConversationType"' },
        { column: 'subject', type: 'text[]', value: () => chosen.find((m) => m.subject)?.subject ?? original.subject ?? null },
        { column: 'language', type: 'text[]', value: () => original.language ?? null },
      ],
      returning: 'id, reference',
    });
    await client.query('UPDATE messages SET conversation_id = $2 WHERE id = ANY($1::uuid[])', [o.messageIds, made!.id]);
    await client.query('UPDATE analysis_corrections SET conversation_id = $2 WHERE message_id = ANY($1::uuid[])', [o.messageIds, made!.id]);
    await recount(client, [o.conversationId, made!.id]);
    const snapshot: SplitSnapshot = { messageIds: chosen.map((m) => m.id) };
    const id = await record(client, 'split', { targetId: o.conversationId, sourceId: made!.id, agentId: o.agentId }, snapshot);
    return { id, kind: 'split', targetId: o.conversationId, sourceId: made!.id, targetReference: original.reference, sourceReference: made!.reference, moved: chosen.length };
  });
}

/** Undoes a merge or a split: what moved goes back. */
export async function undoConversationChange(db: Database, o: { changeId: string; agentId: string | null }): Promise<ConversationChangeResult> {
  return withTransaction(db.pool, async (client) => {
    const { rows } = await client.query<{ kind: 'merge' | 'split'; target_id: string; source_id: string; snapshot: MergeSnapshot & SplitSnapshot; undone_at: Date | null }>(
      'SELECT kind, target_id, source_id, snapshot, undone_at FROM conversation_merges WHERE id = $1 FOR UPDATE',
      [o.changeId],
    );
    const change = rows[0];
    if (!change) throw new NotFoundError('Merge');
    if (change.undone_at) throw new ConflictError(`This ${change.kind} was undone already`);
    const s = change.snapshot;
    const live = await lockConversations(client, [change.target_id, change.source_id]);
    const target = live.get(change.target_id);
    if (!target) throw new ConflictError('The conversation is gone (deleted, or merged on): nothing to undo');
    let sourceReference: number;
    if (change.kind === 'merge') {
      await restoreConversationRow(client, s.source);
      sourceReference = Number(s.source.reference);
      await client.query('UPDATE messages SET conversation_id = $2 WHERE id = ANY($1::uuid[]) AND conversation_id = $3', [s.messageIds, change.source_id, change.target_id]);
      await client.query('UPDATE analysis_corrections SET conversation_id = $2 WHERE id = ANY($1::uuid[])', [s.correctionIds, change.source_id]);
      await client.query('UPDATE audit_events SET conversation_id = $2 WHERE id = ANY($1::bigint[])', [s.auditIds, change.source_id]);
      await client.query('DELETE FROM conversation_labels WHERE conversation_id = $1 AND label_id = ANY($2::uuid[])', [change.target_id, s.labelsAdded]);
      await client.query('INSERT INTO conversation_labels (conversation_id, label_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING', [change.source_id, s.sourceLabels]);
    } else {
      const split = live.get(change.source_id);
      if (!split) throw new ConflictError('The conversation split off is gone (deleted, or merged on): nothing to undo');
      sourceReference = split.reference;
      // Everything in it goes back, what arrived since included.
      await client.query('UPDATE messages SET conversation_id = $2 WHERE conversation_id = $1', [change.source_id, change.target_id]);
      await client.query('UPDATE analysis_corrections SET conversation_id = $2 WHERE conversation_id = $1', [change.source_id, change.target_id]);
      await client.query('UPDATE audit_events SET conversation_id = $2 WHERE conversation_id = $1', [change.source_id, change.target_id]);
      await client.query('DELETE FROM conversations WHERE id = $1', [change.source_id]);
    }
    // A merged conversation came back as it was; the target counts what it has left.
    await recount(client, [change.target_id]);
    await client.query('UPDATE conversation_merges SET undone_at = now() WHERE id = $1', [o.changeId]);
    await client.query(`INSERT INTO audit_events (type, conversation_id, agent_id, data) VALUES ($1, $2, $3, $4::jsonb)`, [
      `conversation.${change.kind === 'merge' ? 'unmerged' : 'unsplit'}`, change.target_id, o.agentId, JSON.stringify({ changeId: o.changeId, otherId: change.source_id }),
    ]);
    return { id: o.changeId, kind: change.kind, targetId: change.target_id, sourceId: change.source_id, targetReference: target.reference, sourceReference, moved: change.kind === 'merge' ? s.messageIds.length : 0 };
  });
}

async function record(client: pg.PoolClient, kind: 'merge' | 'split', o: { targetId: string; sourceId: string; agentId: string | null }, snapshot: object): Promise<string> {
  const { rows } = await client.query<{ id: string }>(
    'INSERT INTO conversation_merges (kind, target_id, source_id, snapshot, agent_id) VALUES ($1, $2, $3, $4::jsonb, $5) RETURNING id',
    [kind, o.targetId, o.sourceId, JSON.stringify(snapshot), o.agentId],
  );
  return rows[0]!.id;
}
