// A phone number's consent, kept on its identity (opted_out): nothing is sent to it, by an
// agent or automatically, while it is opted out. A number we never heard from that says STOP
// first is remembered anyway (a contact and identity are created for it).
import type { Database } from '../../platform/db/client';
import { withTransaction } from '../../platform/db/sql';
import type { PhoneConsent } from '../channels/contract';

export class PhoneConsentStore implements PhoneConsent {
  constructor(private readonly db: Database) {}

  async setOptOut(phone: string, optedOut: boolean): Promise<void> {
    await withTransaction(this.db.pool, async (client) => {
      const updated = await client.query(`UPDATE contact_identities SET opted_out = $2, opted_out_at = CASE WHEN $2 THEN now() ELSE NULL END WHERE kind = 'phone' AND address = $1`, [phone, optedOut]);
      if (updated.rowCount || !optedOut) return;
      const { rows } = await client.query<{ id: string }>(`INSERT INTO contacts (phone, updated_at) VALUES ($1, now()) RETURNING id`, [phone]);
      await client.query(
        `INSERT INTO contact_identities (contact_id, kind, address, opted_out, opted_out_at) VALUES ($1, 'phone', $2, true, now())
         ON CONFLICT (kind, address) DO UPDATE SET opted_out = true, opted_out_at = now()`,
        [rows[0]!.id, phone],
      );
    });
  }

  async isOptedOut(phone: string): Promise<boolean> {
    const { rows } = await this.db.pool.query(`SELECT 1 FROM contact_identities WHERE kind = 'phone' AND address = $1 AND opted_out`, [phone]);
    return rows.length > 0;
  }
}
