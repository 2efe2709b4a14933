// Who wrote these messages? For each claim, the first of its identities we already know
// decides the contact; identities not known yet are attached to that contact, so the next
// message on any of those channels finds the same person. Works on a whole batch at once
// (one or two statements however many messages), inside the caller's transaction.
import crypto from 'node:crypto';
import type { IdentityKind } from '../../platform/db/client';
import type { Queryable } from '../../platform/db/sql';
import { normaliseAddress } from './identity';

export interface ContactClaim {
  name?: string;
  /** Kept as the contact's email when it has none; not an identity. */
  unverifiedEmail?: string;
  identities: Array<{ kind: IdentityKind; address: string }>;
}

export interface ResolvedContact {
  id: string;
  name: string | null;
  customerValue: number | null;
  tier: string | null;
}

export interface ResolvedContacts {
  /** The contact of each claim, in order. */
  ids: string[];
  byId: Map<string, ResolvedContact>;
}

interface Known {
  kind: string;
  address: string;
  contact_id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  customer_value: number | null;
  tier: string | null;
}

const key = (kind: string, address: string) => `${kind}\u0000${address}`;

export interface ResolveOptions {
  /**
   * Lock the known contacts (FOR NO KEY UPDATE, in id order) while finding them: the
   * pipeline serialises the batches of one contact this way without a statement of its own.
   */
  lock?: boolean;
}

export async function resolveContacts(db: Queryable, claims: ContactClaim[], o: ResolveOptions = {}): Promise<ResolvedContacts> {
  const norm = claims.map((c) => {
    const seen = new Set<string>();
    const ids = c.identities
      .map((i) => ({ kind: i.kind, address: normaliseAddress(i.kind, i.address) }))
      .filter((i) => !seen.has(key(i.kind, i.address)) && !!seen.add(key(i.kind, i.address)));
    const email = ids.find((i) => i.kind === 'email')?.address ?? c.unverifiedEmail?.toLowerCase() ?? null;
    const phone = ids.find((i) => i.kind === 'phone')?.address ?? null;
    return { name: c.name?.trim() || null, email, phone, ids };
  });
  const pairs = [...new Map(norm.flatMap((c) => c.ids).map((i) => [key(i.kind, i.address), i])).values()];
  const { rows: known } = await db.query<Known>(
    `SELECT i.kind::text, i.address, i.contact_id, c.name, c.email, c.phone, c.customer_value, c.tier
       FROM contact_identities i JOIN contacts c ON c.id = i.contact_id
      WHERE (i.kind, i.address) IN (SELECT k::"IdentityKind", a FROM unnest($1::text[], $2::text[]) AS u(k, a))
      ${o.lock ? 'ORDER BY c.id FOR NO KEY UPDATE OF c' : ''}`,
    [pairs.map((p) => p.kind), pairs.map((p) => p.address)],
  );
  const owner = new Map(known.map((r) => [key(r.kind, r.address), r.contact_id]));
  const byId = new Map<string, ResolvedContact & { email: string | null; phone: string | null }>(
    known.map((r) => [r.contact_id, { id: r.contact_id, name: r.name, email: r.email, phone: r.phone, customerValue: r.customer_value, tier: r.tier }]),
  );

  const created: Array<{ id: string; name: string | null; email: string | null; phone: string | null }> = [];
  const fills = new Map<string, { name: string | null; email: string | null; phone: string | null }>();
  const newIdentities: Array<{ contactId: string; kind: string; address: string }> = [];
  const ids = norm.map((c) => {
    let id = c.ids.map((i) => owner.get(key(i.kind, i.address))).find((x): x is string => !!x);
    if (!id) {
      id = crypto.randomUUID();
      created.push({ id, name: c.name, email: c.email, phone: c.phone });
      byId.set(id, { id, name: c.name, email: c.email, phone: c.phone, customerValue: null, tier: null });
    } else {
      // Fill in what we did not know; never overwrite what an agent may have edited.
      const k = byId.get(id)!;
      const fill = { name: k.name ? null : c.name, email: k.email ? null : c.email, phone: k.phone ? null : c.phone };
      if (fill.name || fill.email || fill.phone) {
        fills.set(id, fill);
        Object.assign(k, { name: k.name ?? fill.name, email: k.email ?? fill.email, phone: k.phone ?? fill.phone });
      }
    }
    for (const i of c.ids) {
      if (owner.has(key(i.kind, i.address))) continue;
      owner.set(key(i.kind, i.address), id);
      newIdentities.push({ contactId: id, ...i });
    }
    return id;
  });
  if (created.length || newIdentities.length || fills.size) {
    const inserted = await writeContacts(db, created, [...fills].filter(([id]) => !created.some((c) => c.id === id)), newIdentities);
    if (inserted.length < newIdentities.length) await settleLostRaces(db, newIdentities, inserted, created, ids, o);
  }
  return { ids, byId };
}

/** New contacts, their identities and filled-in fields, in one statement. Returns the identities it could insert. */
async function writeContacts(
  db: Queryable,
  created: Array<{ id: string; name: string | null; email: string | null; phone: string | null }>,
  fills: Array<[string, { name: string | null; email: string | null; phone: string | null }]>,
  identities: Array<{ contactId: string; kind: string; address: string }>,
): Promise<Array<{ kind: string; address: string }>> {
  // Sorted so that concurrent transactions take unique-index locks in the same order.
  const sorted = [...identities].sort((a, b) => key(a.kind, a.address).localeCompare(key(b.kind, b.address)));
  const { rows } = await db.query<{ kind: string; address: string }>(
    `WITH new_contacts AS (
        INSERT INTO contacts (id, name, email, phone, updated_at)
        SELECT id, name, email, phone, now() FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS u(id, name, email, phone)
     ), filled AS (
        UPDATE contacts c SET name = COALESCE(c.name, v.name), email = COALESCE(c.email, v.email), phone = COALESCE(c.phone, v.phone), updated_at = now()
          FROM unnest($5::uuid[], $6::text[], $7::text[], $8::text[]) AS v(id, name, email, phone) WHERE c.id = v.id
     )
     -- ON CONFLICT DO NOTHING: a concurrent transaction may have claimed an address first.
     INSERT INTO contact_identities (contact_id, kind, address)
     SELECT c, k::"IdentityKind", a FROM unnest($9::uuid[], $10::text[], $11::text[]) AS u(c, k, a)
     ON CONFLICT (kind, address) DO NOTHING RETURNING kind::text, address`,
    [
      created.map((c) => c.id), created.map((c) => c.name), created.map((c) => c.email), created.map((c) => c.phone),
      fills.map(([id]) => id), fills.map(([, f]) => f.name), fills.map(([, f]) => f.email), fills.map(([, f]) => f.phone),
      sorted.map((i) => i.contactId), sorted.map((i) => i.kind), sorted.map((i) => i.address),
    ],
  );
  return rows;
}

/** A contact we just created whose every address was claimed concurrently is merged into the winner. */
async function settleLostRaces(
  db: Queryable,
  attempted: Array<{ contactId: string; kind: string; address: string }>,
  inserted: Array<{ kind: string; address: string }>,
  created: Array<{ id: string }>,
  ids: string[],
  o: ResolveOptions,
): Promise<void> {
  const won = new Set(inserted.map((r) => key(r.kind, r.address)));
  const lost = attempted.filter((i) => !won.has(key(i.kind, i.address)));
  // The winners are locked too when asked: the caller's batch may now belong to them.
  const { rows } = await db.query<{ kind: string; address: string; contact_id: string }>(
    `SELECT i.kind::text, i.address, i.contact_id FROM contact_identities i JOIN contacts c ON c.id = i.contact_id
      WHERE (i.kind, i.address) IN (SELECT k::"IdentityKind", a FROM unnest($1::text[], $2::text[]) AS u(k, a))
      ${o.lock ? 'ORDER BY c.id FOR NO KEY UPDATE OF c' : ''}`,
    [lost.map((i) => i.kind), lost.map((i) => i.address)],
  );
  const winner = new Map(rows.map((r) => [key(r.kind, r.address), r.contact_id]));
  for (const { id: contactId } of created) {
    const mine = attempted.filter((i) => i.contactId === contactId);
    if (mine.some((i) => won.has(key(i.kind, i.address)))) continue;
    const other = mine.map((i) => winner.get(key(i.kind, i.address))).find(Boolean);
    if (!other) continue;
    await db.query('DELETE FROM contacts WHERE id = $1', [contactId]);
    ids.forEach((id, i) => {
      if (id === contactId) ids[i] = other;
    });
  }
}
