// Erasure: what a person wrote and who they are, gone for good. Conversations and messages keep
// their rows with only numbers in them (times, counts, sentiment scores, statuses), so reports
// keep their totals; every text, address, name, file and raw payload goes — the messages' text
// and search words, subjects, previews, thread keys, provider ids, metadata, attachments (and
// their files, when no one else's message holds the same bytes), the intake's receipts,
// analysis explanations and corrections, activity data, webhook payloads. Used for a contact's
// erasure request and for an inbox's retention (content of old resolved conversations).
import type pg from 'pg';
import type { Database } from '../../platform/db/client';
import { withTransaction } from '../../platform/db/sql';
import { NotFoundError } from '../../platform/errors';
import type { AttachmentStore } from '../channels/contract';

export interface ErasedCounts {
  conversations: number;
  messages: number;
  attachments: number;
}

/**
 * Wipes the content of these conversations and of these further messages (a person's words in
 * someone else's conversation). Answers the storage keys of the attachments it removed: delete
 * their files after the transaction commits (removeUnusedFiles).
 */
export async function eraseContent(client: pg.PoolClient, conversationIds: string[], extraMessageIds: string[] = []): Promise<ErasedCounts & { storageKeys: string[] }> {
  const { rows: messages } = await client.query<{ id: string }>(
    'SELECT id FROM messages WHERE conversation_id = ANY($1::uuid[]) UNION SELECT id FROM messages WHERE id = ANY($2::uuid[])',
    [conversationIds, extraMessageIds],
  );
  const ids = messages.map((m) => m.id);
  const { rows: files } = await client.query<{ storage_key: string | null }>('DELETE FROM attachments WHERE message_id = ANY($1::uuid[]) RETURNING storage_key', [ids]);
  await client.query(
    `UPDATE messages SET text = '', html = NULL, subject = NULL, external_id = NULL, in_reply_to = NULL, delivery_error = NULL, metadata = '{"erased": true}'::jsonb
      WHERE id = ANY($1::uuid[])`,
    [ids],
  );
  await client.query(`UPDATE message_signals SET explanation = '{}'::jsonb, urgency_cues = '[]'::jsonb WHERE message_id = ANY($1::uuid[])`, [ids]);
  await client.query('DELETE FROM analysis_corrections WHERE message_id = ANY($1::uuid[]) OR conversation_id = ANY($2::uuid[])', [ids, conversationIds]);
  await client.query(`UPDATE inbound_receipts SET payload = '{"erased": true}'::jsonb, last_error = NULL WHERE message_id = ANY($1::uuid[])`, [ids]);
  await client.query(`UPDATE audit_events SET data = '{}'::jsonb WHERE conversation_id = ANY($1::uuid[])`, [conversationIds]);
  await client.query(`UPDATE routing_events SET data = '{}'::jsonb WHERE conversation_id = ANY($1::uuid[])`, [conversationIds]);
  // Events already sent to webhooks keep no copy of what they said.
  if (conversationIds.length) {
    await client.query(
      `UPDATE webhook_deliveries SET payload = '{"erased": true}'::jsonb, response_excerpt = NULL
        WHERE payload->'data'->'conversation'->>'id' = ANY($1::text[]) OR payload->'data'->>'conversationId' = ANY($1::text[])`,
      [conversationIds],
    );
  }
  const { rowCount } = await client.query(
    `UPDATE conversations SET subject = NULL, last_message_preview = NULL, thread_key = NULL, content_erased_at = now()
      WHERE id = ANY($1::uuid[])`,
    [conversationIds],
  );
  return { conversations: rowCount ?? 0, messages: ids.length, attachments: files.length, storageKeys: [...new Set(files.flatMap((f) => (f.storage_key ? [f.storage_key] : [])))] };
}

/** Files no attachment refers to any more (the store keeps one copy of equal bytes). */
export async function removeUnusedFiles(db: Database, store: AttachmentStore, keys: string[]): Promise<number> {
  if (!keys.length) return 0;
  const { rows } = await db.pool.query<{ key: string }>(
    'SELECT k AS key FROM unnest($1::text[]) AS k WHERE NOT EXISTS (SELECT 1 FROM attachments a WHERE a.storage_key = k)',
    [keys],
  );
  for (const r of rows) await store.remove(r.key);
  return rows.length;
}

/**
 * A privacy request's erasure: the contact's conversations and words everywhere, their
 * identities, consent history, merge records and suggestions, and any receipt, dead letter or
 * import file naming their addresses. The contact row stays, empty, marked erased; an audit
 * record says what was erased, with no personal data.
 */
export async function eraseContact(db: Database, store: AttachmentStore, o: { contactId: string; agentId: string | null }): Promise<ErasedCounts> {
  const result = await withTransaction(db.pool, async (client) => {
    const { rows } = await client.query<{ id: string; erased_at: Date | null }>('SELECT id, erased_at FROM contacts WHERE id = $1 FOR UPDATE', [o.contactId]);
    if (!rows[0]) throw new NotFoundError('Contact');
    const { rows: identities } = await client.query<{ kind: string; address: string }>('SELECT kind::text, address FROM contact_identities WHERE contact_id = $1', [o.contactId]);
    const { rows: fields } = await client.query<{ email: string | null; phone: string | null }>('SELECT email, phone FROM contacts WHERE id = $1', [o.contactId]);
    const addresses = [...new Set([...identities.map((i) => i.address), fields[0]?.email, fields[0]?.phone].filter((a): a is string => !!a && a.length >= 3))];
    const conversations = (await client.query<{ id: string }>('SELECT id FROM conversations WHERE contact_id = $1', [o.contactId])).rows.map((r) => r.id);
    const ownMessages = (await client.query<{ id: string }>('SELECT id FROM messages WHERE contact_id = $1', [o.contactId])).rows.map((r) => r.id);
    const erased = await eraseContent(client, conversations, ownMessages);

    // Raw copies naming their addresses: receipts not (or not yet) stored as messages, dead letters, import files.
    const patterns = addresses.map((a) => `%${a.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    if (patterns.length) {
      await client.query(`UPDATE inbound_receipts SET payload = '{"erased": true}'::jsonb, last_error = NULL WHERE payload::text ILIKE ANY($1::text[])`, [patterns]);
      await client.query(`UPDATE channel_dead_letters SET detail = '{"erased": true}'::jsonb, error = 'erased' WHERE detail::text ILIKE ANY($1::text[]) OR error ILIKE ANY($1::text[])`, [patterns]);
      await client.query('UPDATE contact_imports SET csv = NULL WHERE csv ILIKE ANY($1::text[])', [patterns]);
      await client.query(`UPDATE webhook_deliveries SET payload = '{"erased": true}'::jsonb, response_excerpt = NULL WHERE payload::text ILIKE ANY($1::text[])`, [patterns]);
      await client.query(`UPDATE audit_events SET data = '{}'::jsonb WHERE data::text ILIKE ANY($1::text[])`, [patterns]);
    }
    const widgetKeys = identities.filter((i) => i.kind === 'widget').map((i) => i.address.split(':').slice(1).join(':'));
    if (widgetKeys.length) await client.query('DELETE FROM widget_visitors WHERE thread_key = ANY($1::text[]) OR id = ANY($2::text[])', [widgetKeys, widgetKeys.map((k) => k.replace(/^visitor:/, ''))]);
    await client.query('DELETE FROM contact_identities WHERE contact_id = $1', [o.contactId]);
    await client.query('DELETE FROM consent_changes WHERE contact_id = $1', [o.contactId]);
    await client.query('DELETE FROM merge_suggestions WHERE contact_a_id = $1 OR contact_b_id = $1', [o.contactId]);
    await client.query('DELETE FROM contact_merges WHERE survivor_id = $1 OR merged_id = $1', [o.contactId]);
    await client.query(
      `UPDATE contacts SET name = NULL, email = NULL, phone = NULL, customer_value = NULL, tier = NULL, attributes = '{}'::jsonb, language = NULL, time_zone = NULL,
              company_id = NULL, do_not_contact = false, do_not_contact_at = NULL, erased_at = now(), updated_at = now() WHERE id = $1`,
      [o.contactId],
    );
    const counts = { conversations: erased.conversations, messages: erased.messages, attachments: erased.attachments };
    await client.query(`INSERT INTO audit_events (type, agent_id, data) VALUES ('contact.erased', $1, $2::jsonb)`, [o.agentId, JSON.stringify({ contactId: o.contactId, ...counts, identities: identities.length })]);
    return { counts, storageKeys: erased.storageKeys };
  });
  await removeUnusedFiles(db, store, result.storageKeys);
  return result.counts;
}
