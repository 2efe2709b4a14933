// A privacy request's export: everything held about a contact, as one zip archive streamed to
// the caller — the profile with identities, consent history, merges and audit records; each
// conversation with its messages, analysis signals, corrections and activity; the attachment
// files themselves. JSON throughout, dates in ISO 8601, a README saying what is where.
import type { Writable } from 'node:stream';
import { ZipArchive } from 'archiver';
import type { Database } from '../../platform/db/client';
import { NotFoundError } from '../../platform/errors';
import type { AttachmentStore } from '../channels/contract';

const README = `This archive holds everything this support inbox keeps about one person.

contact.json            who they are: name, addresses on every channel (identities), details and
                        custom attributes, company, consent history, merges, audit records
conversations/*.json    each conversation (by its reference number): its messages with their
                        analysis (sentiment, complaint type, urgency), corrections agents made to
                        that analysis, and its activity (assignments, status changes)
attachments/            the files sent with the messages, named <message id>-<file name>

Times are in UTC (ISO 8601).
`;

const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
const safeName = (s: string) => s.replace(/[^\w.\- ]+/g, '_').slice(0, 120) || 'file';

export async function exportContact(db: Database, store: AttachmentStore, contactId: string, out: Writable): Promise<{ conversations: number; attachments: number }> {
  const q = async <T>(sql: string, values: unknown[]) => (await db.pool.query<{ row: T }>(sql, values)).rows.map((r) => r.row);
  const [contact] = await q<Record<string, unknown>>('SELECT to_jsonb(c) AS row FROM contacts c WHERE id = $1', [contactId]);
  if (!contact) throw new NotFoundError('Contact');
  const profile = {
    contact,
    company: (await q('SELECT to_jsonb(co) AS row FROM companies co WHERE id = $1', [contact.company_id ?? null]))[0] ?? null,
    identities: await q('SELECT to_jsonb(i) AS row FROM contact_identities i WHERE contact_id = $1 ORDER BY created_at', [contactId]),
    consentHistory: await q('SELECT to_jsonb(x) AS row FROM consent_changes x WHERE contact_id = $1 ORDER BY id', [contactId]),
    merges: await q(`SELECT jsonb_build_object('id', id, 'survivorId', survivor_id, 'mergedId', merged_id, 'at', created_at, 'undoneAt', undone_at) AS row FROM contact_merges WHERE survivor_id = $1 OR merged_id = $1 ORDER BY created_at`, [contactId]),
    mergeSuggestions: await q('SELECT to_jsonb(s) AS row FROM merge_suggestions s WHERE contact_a_id = $1 OR contact_b_id = $1', [contactId]),
    audit: await q(`SELECT to_jsonb(a) AS row FROM audit_events a WHERE a.conversation_id IS NULL AND (a.data->>'contactId' = $1 OR a.data->>'survivorId' = $1 OR a.data->>'mergedId' = $1) ORDER BY id`, [contactId]),
  };

  const archive = new ZipArchive({ zlib: { level: 6 } });
  const done = new Promise<void>((resolve, reject) => {
    archive.on('error', reject);
    out.on('error', reject);
    out.on('finish', resolve);
    out.on('close', resolve);
  });
  archive.pipe(out);
  archive.append(README, { name: 'README.txt' });
  archive.append(json(profile), { name: 'contact.json' });

  const conversations = await q<{ id: string; reference: number }>('SELECT to_jsonb(c) AS row FROM conversations c WHERE contact_id = $1 OR id IN (SELECT conversation_id FROM messages WHERE contact_id = $1) ORDER BY created_at', [contactId]);
  let attachments = 0;
  for (const c of conversations) {
    const messages = await q<{ id: string }>(
      `SELECT to_jsonb(m) - 'search_vector' || jsonb_build_object('signal', to_jsonb(s), 'attachments', COALESCE((SELECT jsonb_agg(to_jsonb(a) ORDER BY a.created_at) FROM attachments a WHERE a.message_id = m.id), '[]'::jsonb)) AS row
         FROM messages m LEFT JOIN message_signals s ON s.message_id = m.id WHERE m.conversation_id = $1 ORDER BY m.created_at`,
      [c.id],
    );
    archive.append(
      json({
        conversation: c,
        messages,
        corrections: await q('SELECT to_jsonb(x) AS row FROM analysis_corrections x WHERE conversation_id = $1 ORDER BY created_at', [c.id]),
        activity: await q('SELECT to_jsonb(a) AS row FROM audit_events a WHERE conversation_id = $1 ORDER BY id', [c.id]),
      }),
      { name: `conversations/${c.reference}.json` },
    );
    for (const m of messages as Array<{ id: string; attachments: Array<{ file_name: string; storage_key: string | null }> }>) {
      for (const a of m.attachments) {
        const bytes = a.storage_key ? await store.open(a.storage_key) : null;
        if (!bytes) continue;
        archive.append(bytes, { name: `attachments/${m.id}-${safeName(a.file_name)}` });
        attachments++;
      }
    }
  }
  await archive.finalize();
  await done;
  return { conversations: conversations.length, attachments };
}
