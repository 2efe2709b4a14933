// Merging two contacts into one person, and undoing it exactly. The kept contact (survivor)
// takes the other's identities, conversations, messages and consent history and fills its empty
// fields from it; the other is removed. The merge record keeps the removed row as it was and
// the ids of everything that moved, so an undo puts every row back — and, when the person wrote
// again meanwhile, what they wrote from their own identities goes back with them (told by the
// intake's receipts), with the conversations they started since.
import type pg from 'pg';
import type { Database, IdentityKind } from '../../platform/db/client';
import { withTransaction } from '../../platform/db/sql';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors';
import { normaliseAddress } from './identity';

/** The columns a merge may fill on the survivor: those empty there and set on the other. */
const FILLED = ['name', 'email', 'phone', 'customer_value', 'tier', 'language', 'time_zone', 'company_id'] as const;

interface Snapshot {
  merged: Record<string, unknown>;
  survivorBefore: Record<string, unknown>;
  survivorAfter: Record<string, unknown>;
  identityIds: string[];
  conversationIds: string[];
  messageIds: string[];
  consentChangeIds: string[];
  /** Suggestions involving the removed contact, as they were (they go with it, and come back with it). */
  suggestions: Array<Record<string, unknown>>;
}

export interface MergeResult {
  mergeId: string;
  survivorId: string;
  mergedId: string;
  moved: { identities: number; conversations: number; messages: number };
}

async function lockContacts(client: pg.PoolClient, ids: string[]): Promise<Map<string, Record<string, unknown>>> {
  const { rows } = await client.query<{ row: Record<string, unknown> }>('SELECT to_jsonb(c) AS row FROM contacts c WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE', [ids]);
  return new Map(rows.map((r) => [String(r.row.id), r.row]));
}

export async function mergeContacts(db: Database, o: { survivorId: string; mergedId: string; agentId: string | null; suggestionId?: string }): Promise<MergeResult> {
  if (o.survivorId === o.mergedId) throw new ValidationError('A contact cannot be merged into itself', [{ path: 'contactId', message: 'the same contact' }]);
  return withTransaction(db.pool, async (client) => {
    const rows = await lockContacts(client, [o.survivorId, o.mergedId]);
    const survivor = rows.get(o.survivorId);
    const merged = rows.get(o.mergedId);
    if (!survivor || !merged) throw new NotFoundError('Contact');
    if (survivor.erased_at || merged.erased_at) throw new ConflictError('An erased contact cannot be merged');

    const ids = async (sql: string) => (await client.query<{ id: string }>(sql, [o.mergedId])).rows.map((r) => String(r.id));
    const identities = await client.query<{ id: string }>('SELECT id FROM contact_identities WHERE contact_id = $1', [o.mergedId]);
    const snapshot: Snapshot = {
      merged,
      survivorBefore: {},
      survivorAfter: {},
      identityIds: identities.rows.map((r) => r.id),
      conversationIds: await ids('SELECT id FROM conversations WHERE contact_id = $1'),
      messageIds: await ids('SELECT id FROM messages WHERE contact_id = $1'),
      consentChangeIds: await ids('SELECT id::text AS id FROM consent_changes WHERE contact_id = $1'),
      suggestions: (await client.query<{ row: Record<string, unknown> }>('SELECT to_jsonb(s) AS row FROM merge_suggestions s WHERE contact_a_id = $1 OR contact_b_id = $1', [o.mergedId])).rows.map((r) => r.row),
    };
    // The survivor's empty fields, and attributes it lacks, come from the other; "do not contact" on either holds.
    const fill: Record<string, unknown> = {};
    for (const column of FILLED) if (survivor[column] == null && merged[column] != null) fill[column] = merged[column];
    const attributes = { ...(merged.attributes as object), ...(survivor.attributes as object) };
    if (JSON.stringify(attributes) !== JSON.stringify(survivor.attributes)) fill.attributes = attributes;
    if (merged.do_not_contact && !survivor.do_not_contact) Object.assign(fill, { do_not_contact: true, do_not_contact_at: merged.do_not_contact_at });
    snapshot.survivorBefore = Object.fromEntries([...Object.keys(fill), 'updated_at'].map((k) => [k, survivor[k]]));

    await client.query('UPDATE contact_identities SET contact_id = $2 WHERE contact_id = $1', [o.mergedId, o.survivorId]);
    await client.query('UPDATE conversations SET contact_id = $2 WHERE contact_id = $1', [o.mergedId, o.survivorId]);
    await client.query('UPDATE messages SET contact_id = $2 WHERE contact_id = $1', [o.mergedId, o.survivorId]);
    await client.query('UPDATE consent_changes SET contact_id = $2 WHERE contact_id = $1', [o.mergedId, o.survivorId]);
    const { rows: after } = await client.query<{ row: Record<string, unknown> }>(
      `UPDATE contacts c SET ${Object.keys(fill).map((k) => `${k} = p.${k}`).join(', ')}${Object.keys(fill).length ? ', ' : ''}updated_at = now()
         FROM jsonb_populate_record(NULL::contacts, $2::jsonb) AS p WHERE c.id = $1 RETURNING to_jsonb(c) AS row`,
      [o.survivorId, JSON.stringify(fill)],
    );
    snapshot.survivorAfter = Object.fromEntries(Object.keys(snapshot.survivorBefore).map((k) => [k, after[0]!.row[k]]));
    await client.query('DELETE FROM contacts WHERE id = $1', [o.mergedId]);
    const { rows: made } = await client.query<{ id: string }>(
      'INSERT INTO contact_merges (survivor_id, merged_id, suggestion_id, snapshot, agent_id) VALUES ($1, $2, $3, $4::jsonb, $5) RETURNING id',
      [o.survivorId, o.mergedId, o.suggestionId ?? null, JSON.stringify(snapshot), o.agentId],
    );
    const mergeId = made[0]!.id;
    await audit(client, 'contact.merged', o.agentId, { mergeId, survivorId: o.survivorId, mergedId: o.mergedId, suggestionId: o.suggestionId ?? null, identities: snapshot.identityIds.length, conversations: snapshot.conversationIds.length });
    return { mergeId, survivorId: o.survivorId, mergedId: o.mergedId, moved: { identities: snapshot.identityIds.length, conversations: snapshot.conversationIds.length, messages: snapshot.messageIds.length } };
  });
}

export async function undoMerge(db: Database, o: { mergeId: string; agentId: string | null }): Promise<{ restoredId: string; survivorId: string; conversationIds: string[] }> {
  return withTransaction(db.pool, async (client) => {
    const { rows } = await client.query<{ survivor_id: string; merged_id: string; snapshot: Snapshot; undone_at: Date | null }>(
      'SELECT survivor_id, merged_id, snapshot, undone_at FROM contact_merges WHERE id = $1 FOR UPDATE',
      [o.mergeId],
    );
    const m = rows[0];
    if (!m) throw new NotFoundError('Merge');
    if (m.undone_at) throw new ConflictError('This merge was undone already');
    const survivor = (await lockContacts(client, [m.survivor_id])).get(m.survivor_id);
    if (!survivor) throw new ConflictError('The contact it was merged into is gone (merged on, or erased): undo that first');
    const s = m.snapshot;
    await client.query('INSERT INTO contacts SELECT * FROM jsonb_populate_record(NULL::contacts, $1::jsonb)', [JSON.stringify(s.merged)]);
    // What the person wrote since the merge, told by the identities their messages came from (the intake's receipts).
    const mergedAt = (await client.query<{ at: Date }>('SELECT created_at AS at FROM contact_merges WHERE id = $1', [o.mergeId])).rows[0]!.at;
    const theirs = new Set((await client.query<{ kind: string; address: string }>('SELECT kind::text, address FROM contact_identities WHERE id = ANY($1::uuid[])', [s.identityIds])).rows.map((i) => `${i.kind}:${i.address}`));
    const since = await client.query<{ id: string; conversation_id: string; fresh: boolean; identities: Array<{ kind: IdentityKind; address: string }> | null }>(
      `SELECT m.id, m.conversation_id, c.created_at > $2 AS fresh, r.payload->'from'->'identities' AS identities
         FROM messages m JOIN conversations c ON c.id = m.conversation_id LEFT JOIN inbound_receipts r ON r.message_id = m.id
        WHERE m.contact_id = $1 AND m.direction = 'inbound' AND m.created_at > $2`,
      [m.survivor_id, mergedAt],
    );
    const wroteSince = since.rows.filter((r) => (r.identities ?? []).some((i) => theirs.has(`${i.kind}:${normaliseAddress(i.kind, i.address)}`)));
    // A conversation started since goes back when all of it since is theirs.
    const startedSince = [...new Set(wroteSince.filter((r) => r.fresh).map((r) => r.conversation_id))].filter((c) => since.rows.every((r) => r.conversation_id !== c || wroteSince.includes(r)));
    await client.query('UPDATE contact_identities SET contact_id = $2 WHERE id = ANY($1::uuid[]) AND contact_id = $3', [s.identityIds, m.merged_id, m.survivor_id]);
    const { rows: back } = await client.query<{ id: string }>(
      'UPDATE conversations SET contact_id = $2 WHERE contact_id = $3 AND id = ANY($1::uuid[]) RETURNING id',
      [[...s.conversationIds, ...startedSince], m.merged_id, m.survivor_id],
    );
    const backIds = back.map((r) => r.id);
    await client.query(
      `UPDATE messages SET contact_id = $2 WHERE contact_id = $3 AND (id = ANY($1::uuid[]) OR (conversation_id = ANY($4::uuid[]) AND created_at > $5 AND direction = 'inbound'))`,
      [[...s.messageIds, ...wroteSince.map((r) => r.id)], m.merged_id, m.survivor_id, backIds, mergedAt],
    );
    await client.query('UPDATE consent_changes SET contact_id = $2 WHERE id = ANY($1::bigint[]) AND contact_id = $3', [s.consentChangeIds, m.merged_id, m.survivor_id]);
    if (s.suggestions.length) {
      await client.query(
        `INSERT INTO merge_suggestions SELECT r.* FROM jsonb_populate_recordset(NULL::merge_suggestions, $1::jsonb) r
          WHERE EXISTS (SELECT 1 FROM contacts WHERE id = r.contact_a_id) AND EXISTS (SELECT 1 FROM contacts WHERE id = r.contact_b_id) ON CONFLICT DO NOTHING`,
        [JSON.stringify(s.suggestions)],
      );
    }
    // The survivor's fields the merge filled go back, unless someone changed them since.
    const untouched = Object.keys(s.survivorAfter).filter((k) => k !== 'updated_at' && JSON.stringify(survivor[k]) === JSON.stringify(s.survivorAfter[k]));
    const allUntouched = untouched.length === Object.keys(s.survivorAfter).length - 1 && JSON.stringify(survivor.updated_at) === JSON.stringify(s.survivorAfter.updated_at);
    const restore = Object.fromEntries(untouched.map((k) => [k, s.survivorBefore[k]]));
    if (allUntouched) restore.updated_at = s.survivorBefore.updated_at;
    const columns = Object.keys(restore);
    if (columns.length) {
      await client.query(
        `UPDATE contacts c SET ${columns.map((k) => `${k} = p.${k}`).join(', ')}${allUntouched ? '' : ', updated_at = now()'} FROM jsonb_populate_record(NULL::contacts, $2::jsonb) AS p WHERE c.id = $1`,
        [m.survivor_id, JSON.stringify(restore)],
      );
    }
    await client.query('UPDATE contact_merges SET undone_at = now(), undone_by = $2 WHERE id = $1', [o.mergeId, o.agentId]);
    await audit(client, 'contact.unmerged', o.agentId, { mergeId: o.mergeId, survivorId: m.survivor_id, restoredId: m.merged_id, conversations: backIds.length });
    return { restoredId: m.merged_id, survivorId: m.survivor_id, conversationIds: backIds };
  });
}

async function audit(client: pg.PoolClient, type: string, agentId: string | null, data: object): Promise<void> {
  await client.query('INSERT INTO audit_events (type, agent_id, data) VALUES ($1, $2, $3::jsonb)', [type, agentId, JSON.stringify(data)]);
}
