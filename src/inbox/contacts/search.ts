// Finding contacts by what was typed, by its shape: an email address by its start, or a domain
// ('@example.com') by its end, never as any substring (part of a common domain would match
// nearly every contact's trigrams); a phone number by its last digits, however it is written;
// otherwise any part of the name, of an attribute value or of an address they are known by
// (handles), on the trigram indexes. Shared by the conversation list's search and the contact directory.
import type { SqlParams } from '../../platform/db/sql';

/** A statement selecting the ids of the contacts `q` finds. */
export function contactMatchSql(q: string, p: SqlParams): string {
  const text = q.trim();
  const digits = text.replace(/\D/g, '');
  const escaped = text.replace(/[\\%_]/g, (c) => `\\${c}`);
  if (text.includes('@')) {
    const start = p.add(text.startsWith('@') ? `%${escaped}` : `${escaped}%`, 'text');
    return `SELECT id FROM contacts WHERE email ILIKE ${start} UNION SELECT contact_id FROM contact_identities WHERE kind = 'email' AND address ILIKE ${start}`;
  }
  if (/^[+\d\s().-]+$/.test(text) && digits.length >= 6) {
    const ending = p.add(`%${digits}`, 'text');
    return `SELECT id FROM contacts WHERE phone LIKE ${ending} UNION SELECT contact_id FROM contact_identities WHERE kind = 'phone' AND address LIKE ${ending}`;
  }
  const like = p.add(`%${escaped}%`, 'text');
  return `SELECT id FROM contacts WHERE name ILIKE ${like} UNION SELECT id FROM contacts WHERE attributes_text ILIKE ${like}
          UNION SELECT contact_id FROM contact_identities WHERE address ILIKE ${like}`;
}
