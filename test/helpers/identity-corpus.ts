// A corpus for identity resolution, written straight to the database: people with planted
// duplicates of every kind of evidence, look-alikes who are different people (common names, a
// family's shared phone or mailbox, similar emails), and people with no double at all. Seeded:
// the same corpus every run. Used by test/contact-merge.test.ts and bench/identity-resolution.ts.
import crypto from 'node:crypto';
import type pg from 'pg';

export type PlantedKind = 'verified_email' | 'same_phone' | 'widget_user' | 'reply_token' | 'same_email' | 'similar_name_address';
export type LookAlikeKind = 'common_name' | 'family_phone' | 'similar_email' | 'family_email';

export interface IdentityCorpus {
  contacts: number;
  duplicates: Array<{ kind: PlantedKind; a: string; b: string }>;
  lookAlikes: Array<{ kind: LookAlikeKind; a: string; b: string }>;
}

const FIRST = ['Maria', 'Jose', 'Priya', 'Wei', 'Fatima', 'Liam', 'Olga', 'Kenji', 'Amara', 'Lucas', 'Sofia', 'Mateo', 'Chloe', 'Arjun', 'Ines', 'Tomasz', 'Aisha', 'Noah', 'Elena', 'Yusuf', 'Hana', 'Diego', 'Freya', 'Omar', 'Lena', 'Ravi', 'Nora', 'Pablo', 'Zara', 'Felix'];
const LAST = ['Garcia', 'Raman', 'Chen', 'Haddad', 'Murphy', 'Ivanova', 'Sato', 'Okafor', 'Silva', 'Rossi', 'Lopez', 'Dubois', 'Patel', 'Moreau', 'Nowak', 'Khan', 'Becker', 'Petrov', 'Demir', 'Kim', 'Fernandez', 'Larsen', 'Hassan', 'Weber', 'Iyer', 'Novak', 'Ortiz', 'Malik', 'Schmidt', 'Costa'];

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function writeIdentityCorpus(db: pg.Pool, o: { seed?: number } = {}): Promise<IdentityCorpus> {
  const rnd = random(o.seed ?? 42);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
  let serial = 0;
  const unique = () => ++serial;
  const inbox = async (kind: string) => (await db.query<{ id: string }>(`INSERT INTO inboxes (name, kind, updated_at) VALUES ($1, $2::"ChannelKind", now()) RETURNING id`, [`corpus ${kind}`, kind])).rows[0]!.id;
  const inboxes = { email: await inbox('email'), widget: await inbox('widget'), sms: await inbox('sms'), api: await inbox('api') };
  const base = Date.parse('2026-06-01T09:00:00Z');
  const day = 86_400_000;

  let contacts = 0;
  const contact = async (c: { name?: string | null; email?: string | null; phone?: string | null; identities: Array<[string, string]> }) => {
    contacts++;
    // Each a millisecond after the last: two written in the same millisecond would tie on age,
    // and the older of a pair is the one a merge keeps (the tests name it as \`a\`).
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO contacts (name, email, phone, created_at, updated_at) VALUES ($1, $2, $3, now() - interval '1 hour' + $4 * interval '1 millisecond', now()) RETURNING id`,
      [c.name ?? null, c.email ?? null, c.phone ?? null, contacts],
    );
    const id = rows[0]!.id;
    for (const [kind, address] of c.identities) await db.query('INSERT INTO contact_identities (contact_id, kind, address) VALUES ($1, $2::"IdentityKind", $3)', [id, kind, address]);
    return id;
  };
  /** A conversation of the contact at `at`, with one inbound message; answers its id and reference. */
  const conversation = async (contactId: string, inboxId: string, at: number, meta: object = {}) => {
    const { rows } = await db.query<{ id: string; reference: number }>(
      'INSERT INTO conversations (inbox_id, contact_id, created_at, last_message_at, updated_at, message_count) VALUES ($1, $2, $3, $3, $3, 1) RETURNING id, reference',
      [inboxId, contactId, new Date(at)],
    );
    await message(rows[0]!.id, inboxId, contactId, at, meta);
    return rows[0]!;
  };
  const message = (conversationId: string, inboxId: string, contactId: string, at: number, meta: object = {}, threadReason = 'new') =>
    db.query(
      `INSERT INTO messages (conversation_id, inbox_id, direction, sender_type, contact_id, text, external_id, thread_reason, metadata, sent_at, created_at)
       VALUES ($1, $2, 'inbound', 'contact', $3, $4, $5, $6, $7::jsonb, $8, $8)`,
      [conversationId, inboxId, contactId, 'Hello, I need help with my order', crypto.randomUUID(), threadReason, JSON.stringify(meta), new Date(at)],
    );
  // Every planted person has a name of their own: the common names are the look-alikes' (the first 5 × 3).
  const names = FIRST.flatMap((first, f) => LAST.flatMap((last, l) => (f < 5 && l < 3 ? [] : [[first, last] as const])))
    .map((n) => ({ n, r: rnd() }))
    .sort((x, y) => x.r - y.r)
    .map((x) => x.n);
  const person = () => {
    const [first, last] = names.pop()!;
    const n = unique();
    return { first, last, name: `${first} ${last}`, email: `${first}.${last}.${n}@mail${n % 7}.example`.toLowerCase(), phone: `+3461${String(2_000_000 + n * 7).padStart(7, '0')}` };
  };
  const when = () => base + Math.floor(rnd() * 150) * day;

  const duplicates: IdentityCorpus['duplicates'] = [];
  const lookAlikes: IdentityCorpus['lookAlikes'] = [];

  for (let i = 0; i < 15; i++) {
    // Wrote by email; later chatted on the site and typed the same address into the widget's form.
    const p = person();
    const a = await contact({ name: p.name, email: p.email, identities: [['email', p.email]] });
    const b = await contact({ name: rnd() < 0.5 ? p.name : null, email: p.email, identities: [['widget', `${inboxes.widget}:visitor:v${unique()}`]] });
    await conversation(a, inboxes.email, when());
    await conversation(b, inboxes.widget, when());
    duplicates.push({ kind: 'verified_email', a, b });
  }
  for (let i = 0; i < 15; i++) {
    // Texted us (a number, no name); the shop's CRM knows them by name with that number.
    const p = person();
    const a = await contact({ phone: p.phone, identities: [['phone', p.phone]] });
    const b = await contact({ name: p.name, phone: p.phone, identities: [['api', `crm-${unique()}`]] });
    await conversation(a, inboxes.sms, when());
    duplicates.push({ kind: 'same_phone', a, b });
  }
  for (let i = 0; i < 10; i++) {
    // Chatted as an anonymous visitor, then signed in on the site: the same browser's visitor id.
    const p = person();
    const visitor = `v${unique()}`;
    const a = await contact({ identities: [['widget', `${inboxes.widget}:visitor:${visitor}`]] });
    const b = await contact({ name: p.name, email: p.email, identities: [['widget', `${inboxes.widget}:user:u${unique()}`], ['email', p.email]] });
    await conversation(a, inboxes.widget, when(), { widget: { visitorId: visitor } });
    await conversation(b, inboxes.widget, when(), { widget: { visitorId: visitor } });
    duplicates.push({ kind: 'widget_user', a, b });
  }
  for (let i = 0; i < 10; i++) {
    // Our reply to their personal address, answered from their work address (our signed token came back).
    const p = person();
    const work = `${p.first[0]}${p.last}@corp${unique()}.example`.toLowerCase();
    const a = await contact({ name: p.name, email: p.email, identities: [['email', p.email]] });
    const b = await contact({ name: `${p.first[0]}. ${p.last}`, email: work, identities: [['email', work]] });
    const at = when();
    const c = await conversation(a, inboxes.email, at);
    await message(c.id, inboxes.email, b, at + 3_600_000, {}, 'conversation-token');
    duplicates.push({ kind: 'reply_token', a, b });
  }
  for (let i = 0; i < 10; i++) {
    // Two anonymous chats, the same address typed into the form both times.
    const p = person();
    const a = await contact({ name: p.name, email: p.email, identities: [['widget', `${inboxes.widget}:visitor:v${unique()}`]] });
    const b = await contact({ name: rnd() < 0.5 ? p.first : null, email: p.email, identities: [['widget', `${inboxes.widget}:visitor:v${unique()}`]] });
    await conversation(a, inboxes.widget, when());
    await conversation(b, inboxes.widget, when());
    duplicates.push({ kind: 'same_email', a, b });
  }
  for (let i = 0; i < 15; i++) {
    // The same name, a personal and a second address built from it, writing within days of each other.
    const p = person();
    const other = `${p.first}${p.last}${10 + i}@other${unique()}.example`.toLowerCase();
    const a = await contact({ name: p.name, email: p.email, identities: [['email', p.email]] });
    const b = await contact({ name: p.name, email: other, identities: [['email', other]] });
    const at = when();
    await conversation(a, inboxes.email, at);
    await conversation(b, inboxes.email, at + Math.floor(rnd() * 36) * 3_600_000);
    duplicates.push({ kind: 'similar_name_address', a, b });
  }

  for (let i = 0; i < 20; i++) {
    // A common name, unrelated addresses: two people, even when they write the same week.
    const name = `${FIRST[i % 5]} ${LAST[i % 3]}`;
    const x = `${unique()}-inbox@alpha.example`;
    const y = `customer${unique()}@beta.example`;
    const a = await contact({ name, email: x, identities: [['email', x]] });
    const b = await contact({ name, email: y, identities: [['email', y]] });
    const at = when();
    await conversation(a, inboxes.email, at);
    await conversation(b, inboxes.email, i % 2 ? at + day : at + 90 * day);
    lookAlikes.push({ kind: 'common_name', a, b });
  }
  for (let i = 0; i < 15; i++) {
    // A family's one phone: Maria and José Garcia, both known by name.
    const last = pick(LAST);
    const phone = `+3462${String(3_000_000 + unique() * 11).padStart(7, '0')}`;
    const a = await contact({ name: `${FIRST[(2 * i) % 30]} ${last}`, phone, identities: [['phone', phone]] });
    const b = await contact({ name: `${FIRST[(2 * i + 1) % 30]} ${last}`, phone, identities: [['api', `crm-${unique()}`]] });
    await conversation(a, inboxes.sms, when());
    lookAlikes.push({ kind: 'family_phone', a, b });
  }
  for (let i = 0; i < 15; i++) {
    // The same name and addresses alike, months apart: nothing ties them but the name.
    const p = person();
    const x = `${p.first}.${p.last}@gmail${unique()}.example`.toLowerCase();
    const y = `${p.first}${p.last}@outlook${unique()}.example`.toLowerCase();
    const a = await contact({ name: p.name, email: x, identities: [['email', x]] });
    const b = await contact({ name: p.name, email: y, identities: [['email', y]] });
    const at = when();
    await conversation(a, inboxes.email, at);
    await conversation(b, inboxes.email, at + 120 * day);
    lookAlikes.push({ kind: 'similar_email', a, b });
  }
  for (let i = 0; i < 5; i++) {
    // One household mailbox, two people.
    const last = pick(LAST);
    const shared = `the.${last}.family${unique()}@home.example`.toLowerCase();
    const a = await contact({ name: `${FIRST[(3 * i) % 30]} ${last}`, email: shared, identities: [['email', shared]] });
    const b = await contact({ name: `${FIRST[(3 * i + 7) % 30]} ${last}`, email: shared, identities: [['widget', `${inboxes.widget}:visitor:v${unique()}`]] });
    await conversation(a, inboxes.email, when());
    await conversation(b, inboxes.widget, when());
    lookAlikes.push({ kind: 'family_email', a, b });
  }
  for (let i = 0; i < 60; i++) {
    const p = person();
    const a = await contact({ name: p.name, email: p.email, identities: [['email', p.email]] });
    await conversation(a, inboxes.email, when());
  }
  return { contacts, duplicates, lookAlikes };
}

/** Precision and recall of suggested pairs against the planted ones, overall and by kind. */
export function scoreSuggestions(corpus: IdentityCorpus, suggested: Array<{ a: string; b: string }>) {
  const key = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);
  const got = new Set(suggested.map((s) => key(s.a, s.b)));
  const truth = new Set(corpus.duplicates.map((d) => key(d.a, d.b)));
  const hits = [...got].filter((k) => truth.has(k)).length;
  const byKind = Object.fromEntries(
    [...new Set(corpus.duplicates.map((d) => d.kind))].map((kind) => {
      const planted = corpus.duplicates.filter((d) => d.kind === kind);
      return [kind, planted.filter((d) => got.has(key(d.a, d.b))).length / planted.length];
    }),
  );
  return {
    precision: got.size ? hits / got.size : 1,
    recall: hits / truth.size,
    recallByKind: byKind as Record<PlantedKind, number>,
    lookAlikesSuggested: corpus.lookAlikes.filter((l) => got.has(key(l.a, l.b))),
  };
}
