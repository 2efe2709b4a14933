// The contact directory: contacts newest first, or those a search finds, paged by keyset on
// (created_at, id) so page 2,000 costs what page 1 does at a million contacts. An agent sees a
// contact through a conversation they see (an admin sees every contact, conversations or not).
import { z } from 'zod';
import type { Queryable } from '../../platform/db/sql';
import { SqlParams } from '../../platform/db/sql';
import { ValidationError } from '../../platform/errors';
import { scopeSql, type ConversationScope } from '../conversations/list';
import { contactMatchSql } from './search';

export interface ContactListRequest {
  q?: string;
  /** 'all', or the inboxes whose conversations make a contact visible. */
  inboxIds: 'all' | string[];
  scope: ConversationScope | null;
  limit: number;
  cursor?: string;
}

export interface ContactView {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  customerValue: number | null;
  tier: string | null;
  language: string | null;
  timeZone: string | null;
  title: string | null;
  formality: string | null;
  doNotContact: boolean;
  doNotContactAt: string | null;
  attributes: Record<string, unknown>;
  identities: Array<{ kind: string; address: string; optedOut: boolean; unsubscribed: string[] }>;
  company: { id: string; name: string } | null;
  /** The channel they last wrote on: where they are likely to read an answer. */
  preferredChannel: string | null;
  conversations: number;
  lastActivityAt: string | null;
  createdAt: string;
}

const cursorSchema = z.object({ c: z.iso.datetime(), i: z.uuid() });
const encode = (c: { c: string; i: string }) => Buffer.from(JSON.stringify(c)).toString('base64url');
function decode(cursor: string): { c: string; i: string } {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new ValidationError('This cursor was not given by this list', [{ path: 'cursor', message: 'not a cursor of this list' }]);
  }
}

export async function listContacts(db: Queryable, r: ContactListRequest): Promise<{ ids: string[]; nextCursor: string | null }> {
  if (r.inboxIds !== 'all' && r.inboxIds.length === 0) return { ids: [], nextCursor: null };
  const p = new SqlParams();
  // Erased contacts stay as rows (reports count their conversations) but are no one to find.
  const where: string[] = ['ct.erased_at IS NULL'];
  if (r.q) where.push(`ct.id IN (${contactMatchSql(r.q, p)})`);
  if (r.inboxIds !== 'all') {
    where.push(`EXISTS (SELECT 1 FROM conversations c WHERE c.contact_id = ct.id AND c.inbox_id = ANY(${p.add(r.inboxIds, 'uuid[]')})${r.scope ? ` AND ${scopeSql(r.scope, p, 'c')}` : ''})`);
  }
  if (r.cursor) {
    const after = decode(r.cursor);
    where.push(`(ct.created_at, ct.id) < (${p.add(after.c, 'timestamptz')}, ${p.add(after.i, 'uuid')})`);
  }
  const { rows } = await db.query<{ id: string; created_at: Date }>(
    `SELECT ct.id, ct.created_at FROM contacts ct WHERE ${where.join(' AND ')} ORDER BY ct.created_at DESC, ct.id DESC LIMIT ${r.limit + 1}`,
    p.values,
  );
  const page = rows.slice(0, r.limit);
  const last = page.at(-1);
  return { ids: page.map((x) => x.id), nextCursor: rows.length > r.limit && last ? encode({ c: last.created_at.toISOString(), i: last.id }) : null };
}

export async function loadContactViews(db: Queryable, ids: string[]): Promise<ContactView[]> {
  if (!ids.length) return [];
  const { rows } = await db.query<Omit<ContactView, 'createdAt' | 'lastActivityAt' | 'doNotContactAt'> & { createdAt: Date; lastActivityAt: Date | null; doNotContactAt: Date | null }>(
    `SELECT ct.id, ct.name, ct.email, ct.phone, ct.customer_value AS "customerValue", ct.tier, ct.language, ct.time_zone AS "timeZone", ct.title, ct.formality, ct.do_not_contact AS "doNotContact", ct.do_not_contact_at AS "doNotContactAt", ct.attributes, ct.created_at AS "createdAt",
            COALESCE((SELECT json_agg(json_build_object('kind', i.kind, 'address', i.address, 'optedOut', i.opted_out, 'unsubscribed', i.unsubscribed) ORDER BY i.created_at) FROM contact_identities i WHERE i.contact_id = ct.id), '[]') AS identities,
            (SELECT json_build_object('id', co.id, 'name', co.name) FROM companies co WHERE co.id = ct.company_id) AS company,
            (SELECT i.kind::text FROM conversations c JOIN inboxes i ON i.id = c.inbox_id WHERE c.contact_id = ct.id AND c.last_inbound_at IS NOT NULL ORDER BY c.last_inbound_at DESC LIMIT 1) AS "preferredChannel",
            (SELECT count(*)::int FROM conversations c WHERE c.contact_id = ct.id) AS conversations,
            (SELECT max(c.last_message_at) FROM conversations c WHERE c.contact_id = ct.id) AS "lastActivityAt"
       FROM contacts ct WHERE ct.id = ANY($1::uuid[])`,
    [ids],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    return r ? [{ ...r, createdAt: r.createdAt.toISOString(), lastActivityAt: r.lastActivityAt?.toISOString() ?? null, doNotContactAt: r.doNotContactAt?.toISOString() ?? null }] : [];
  });
}
