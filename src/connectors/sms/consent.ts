// The carriers' keywords and what they do. Opting out is stored on the contact's phone
// identity (created when the number is new), so nothing is ever sent to it again, by an agent
// or automatically, until the customer texts START.
import type { Database } from '../../platform/db/client';
import { withTransaction } from '../../platform/db/sql';

export type Keyword = 'stop' | 'start' | 'help';

const STOP = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'REVOKE']);
const START = new Set(['START', 'YES', 'UNSTOP', 'OPTIN']);
const HELP = new Set(['HELP', 'INFO']);

/** The keyword a whole message is (carriers match the message alone, any case, trimmed). */
export function keywordOf(body: string): Keyword | null {
  const w = body.trim().replace(/[.!]+$/, '').toUpperCase();
  if (STOP.has(w)) return 'stop';
  if (START.has(w)) return 'start';
  if (HELP.has(w)) return 'help';
  return null;
}

export async function setOptOut(db: Database, phone: string, optedOut: boolean): Promise<void> {
  await withTransaction(db.pool, async (client) => {
    const updated = await client.query(`UPDATE contact_identities SET opted_out = $2, opted_out_at = CASE WHEN $2 THEN now() ELSE NULL END WHERE kind = 'phone' AND address = $1`, [phone, optedOut]);
    if (updated.rowCount || !optedOut) return;
    // A number we never heard from says STOP first: remember it anyway.
    const { rows } = await client.query<{ id: string }>(`INSERT INTO contacts (phone, updated_at) VALUES ($1, now()) RETURNING id`, [phone]);
    await client.query(
      `INSERT INTO contact_identities (contact_id, kind, address, opted_out, opted_out_at) VALUES ($1, 'phone', $2, true, now())
       ON CONFLICT (kind, address) DO UPDATE SET opted_out = true, opted_out_at = now()`,
      [rows[0]!.id, phone],
    );
  });
}

export async function isOptedOut(db: Database, phone: string): Promise<boolean> {
  const { rows } = await db.pool.query(`SELECT 1 FROM contact_identities WHERE kind = 'phone' AND address = $1 AND opted_out`, [phone]);
  return rows.length > 0;
}
