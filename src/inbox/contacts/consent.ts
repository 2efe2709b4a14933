// Consent, per identity and purpose. Purposes: `support` (agents' answers), `automatic`
// (acknowledgements, rules' auto-replies), `surveys` (surveys and other non-support sends).
// An identity that is opted out (SMS STOP) refuses them all; `unsubscribed` lists the purposes
// refused one by one (an unsubscribe link refuses automatic messages, support answers still go);
// the contact's "do not contact" refuses everything on every channel. Every change is kept in
// consent_changes, shown on the profile: when, how, by whom.
import type pg from 'pg';
import type { Database, IdentityKind } from '../../platform/db/client';
import { withTransaction, type Queryable } from '../../platform/db/sql';
import type { PhoneConsent } from '../channels/contract';

export const CONSENT_PURPOSES = ['support', 'automatic', 'surveys'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];
export type ConsentSource = 'sms_stop' | 'sms_start' | 'whatsapp_stop' | 'whatsapp_start' | 'unsubscribe_link' | 'agent' | 'api';

/** The identity a channel sends to: email goes to an email address, SMS to a phone number… */
export const CHANNEL_IDENTITY: Readonly<Record<string, IdentityKind>> = { email: 'email', sms: 'phone', whatsapp: 'whatsapp', messenger: 'messenger', instagram: 'instagram', slack: 'slack', twitter: 'twitter', widget: 'widget', api: 'api', telegram: 'telegram' };

/** The purpose of an outgoing message: agents' answers are support; system messages say theirs (default automatic). */
export function purposeOf(m: { senderType: string; metadata: Record<string, unknown> }): ConsentPurpose {
  if (m.senderType !== 'system') return 'support';
  return m.metadata.purpose === 'surveys' ? 'surveys' : 'automatic';
}

/** Why nothing of this purpose may go to these identities of the channel, or null. */
export function consentRefusal(identities: Array<{ kind: string; address: string; optedOut: boolean; unsubscribed?: string[] }>, channel: string, purpose: ConsentPurpose): string | null {
  const kind = CHANNEL_IDENTITY[channel];
  for (const i of identities) {
    if (kind && i.kind !== kind) continue;
    if (i.optedOut && i.kind === 'whatsapp') return `${i.address} opted out on WhatsApp (STOP): nothing is sent there until they write START`;
    if (i.optedOut) return i.kind === 'phone' ? `${i.address} opted out (STOP): nothing is sent until they text START` : `${i.address} opted out of all messages`;
    if (purpose !== 'support' && i.unsubscribed?.includes(purpose)) return `${i.address} unsubscribed from ${purpose === 'automatic' ? 'automatic messages' : 'surveys'}`;
  }
  return null;
}

export interface ConsentChangeInput {
  contactId: string;
  kind?: IdentityKind | null;
  address?: string | null;
  purpose: ConsentPurpose | 'all';
  granted: boolean;
  source: ConsentSource;
  agentId?: string | null;
}

export async function recordConsentChange(db: Queryable, c: ConsentChangeInput): Promise<void> {
  await db.query('INSERT INTO consent_changes (contact_id, kind, address, purpose, granted, source, agent_id) VALUES ($1, $2::"IdentityKind", $3, $4, $5, $6, $7)', [
    c.contactId, c.kind ?? null, c.address ?? null, c.purpose, c.granted, c.source, c.agentId ?? null,
  ]);
}

/**
 * Grants or refuses one purpose for an identity (`all`: the identity's opt-out, as SMS STOP).
 * Answers the contact, or null when no such identity exists. Nothing is recorded when nothing changes.
 */
export async function setIdentityConsent(
  db: pg.PoolClient,
  o: { kind: IdentityKind; address: string; purpose: ConsentPurpose | 'all'; granted: boolean; source: ConsentSource; agentId?: string | null },
): Promise<{ contactId: string; changed: boolean } | null> {
  const { rows } = await db.query<{ contact_id: string; opted_out: boolean; unsubscribed: string[] }>(
    'SELECT contact_id, opted_out, unsubscribed FROM contact_identities WHERE kind = $1::"IdentityKind" AND address = $2 FOR UPDATE',
    [o.kind, o.address],
  );
  const i = rows[0];
  if (!i) return null;
  let changed: boolean;
  if (o.purpose === 'all') {
    changed = i.opted_out === o.granted;
    if (changed) await db.query(`UPDATE contact_identities SET opted_out = $3, opted_out_at = CASE WHEN $3 THEN now() ELSE NULL END WHERE kind = $1::"IdentityKind" AND address = $2`, [o.kind, o.address, !o.granted]);
  } else {
    const next = o.granted ? i.unsubscribed.filter((p) => p !== o.purpose) : [...new Set([...i.unsubscribed, o.purpose])];
    changed = next.length !== i.unsubscribed.length;
    if (changed) await db.query('UPDATE contact_identities SET unsubscribed = $3 WHERE kind = $1::"IdentityKind" AND address = $2', [o.kind, o.address, next]);
  }
  if (changed) await recordConsentChange(db, { contactId: i.contact_id, kind: o.kind, address: o.address, purpose: o.purpose, granted: o.granted, source: o.source, agentId: o.agentId });
  return { contactId: i.contact_id, changed };
}

/** SMS (or WhatsApp) STOP / START on a number. A number we never heard from that says STOP first is remembered anyway (a contact and identity are created for it). */
export class PhoneConsentStore implements PhoneConsent {
  constructor(private readonly db: Database) {}

  async setOptOut(phone: string, optedOut: boolean, channel: 'sms' | 'whatsapp' = 'sms'): Promise<void> {
    const kind = channel === 'sms' ? 'phone' : 'whatsapp';
    await withTransaction(this.db.pool, async (client) => {
      const source = `${channel}_${optedOut ? 'stop' : 'start'}` as const;
      const done = await setIdentityConsent(client, { kind, address: phone, purpose: 'all', granted: !optedOut, source });
      if (done || !optedOut) return;
      const { rows } = await client.query<{ id: string }>(`INSERT INTO contacts (phone, updated_at) VALUES ($1, now()) RETURNING id`, [phone]);
      const inserted = await client.query(
        `INSERT INTO contact_identities (contact_id, kind, address, opted_out, opted_out_at) VALUES ($1, $3::"IdentityKind", $2, true, now()) ON CONFLICT (kind, address) DO NOTHING`,
        [rows[0]!.id, phone, kind],
      );
      // Created meanwhile by a message from the number: opt that one out.
      if (!inserted.rowCount) {
        await client.query('DELETE FROM contacts WHERE id = $1', [rows[0]!.id]);
        await setIdentityConsent(client, { kind, address: phone, purpose: 'all', granted: false, source });
        return;
      }
      await recordConsentChange(client, { contactId: rows[0]!.id, kind, address: phone, purpose: 'all', granted: false, source });
    });
  }

  async isOptedOut(phone: string, channel: 'sms' | 'whatsapp' = 'sms'): Promise<boolean> {
    const { rows } = await this.db.pool.query(`SELECT 1 FROM contact_identities WHERE kind = $2::"IdentityKind" AND address = $1 AND opted_out`, [phone, channel === 'sms' ? 'phone' : 'whatsapp']);
    return rows.length > 0;
  }
}
