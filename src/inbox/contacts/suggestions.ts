// Identity resolution: contacts that are probably one person, each pair with its evidence and a
// score, for an agent to accept (merge) or reject. Nothing here merges: evidence only suggests.
//
// Evidence (weight): a verified email of one is the email the other gave (0.95); the same E.164
// phone (0.9); a widget visitor who later signed in as a site user (0.97); an email answering a
// reply token we sent to the other (0.85); the same email given by both, neither verified (0.8);
// the same name with a similar address (0.45) and overlapping activity (0.35). Combined as
// independent signals (1 − Π(1 − w)); names that plainly differ (Maria / José) cut the score to a
// third — a family's shared phone or mailbox is not one person. Suggested at 0.6 and above.
import { createRequire } from 'node:module';
import type { Queryable } from '../../platform/db/sql';

const require = createRequire(import.meta.url);
// Only this one function of natural (loading all of it takes ~0.7 s).
const jaroWinkler = require('natural/lib/natural/distance/jaro-winkler_distance.js') as (a: string, b: string) => number;

export const SUGGEST_AT = 0.6;

export type EvidenceKind = 'verified_email' | 'same_phone' | 'widget_user' | 'reply_token' | 'same_email' | 'similar_name_address' | 'overlapping_activity' | 'names_differ';

export const EVIDENCE_WEIGHT: Record<Exclude<EvidenceKind, 'names_differ'>, number> = {
  widget_user: 0.97,
  verified_email: 0.95,
  same_phone: 0.9,
  reply_token: 0.85,
  same_email: 0.8,
  similar_name_address: 0.45,
  overlapping_activity: 0.35,
};
const NAMES_DIFFER_FACTOR = 1 / 3;

export interface Evidence {
  kind: EvidenceKind;
  /** What matched, for the agent: the address, the names, the conversation. */
  detail: string;
  weight: number;
}

export interface PairFinding {
  a: string;
  b: string;
  score: number;
  evidence: Evidence[];
}

interface RawEvidence {
  a: string;
  b: string;
  kind: EvidenceKind;
  detail: string;
}

/**
 * Contacts changed since `since` (new, edited, a new identity; every contact when not given)
 * against every other contact. Each query starts from the changed contacts and reaches the others
 * through an index (addresses, numbers, the name's trigrams), so a minute's look costs what that
 * minute changed, not the size of the directory.
 */
export async function findDuplicatePairs(db: Queryable, o: { since?: Date } = {}): Promise<PairFinding[]> {
  const since = o.since ?? new Date(0);
  const changed = o.since
    ? `changed AS MATERIALIZED (SELECT id FROM contacts WHERE updated_at >= $1 UNION SELECT contact_id FROM contact_identities WHERE created_at >= $1)`
    : `changed AS MATERIALIZED (SELECT id FROM contacts WHERE $1::timestamptz IS NOT NULL)`;
  const raw: RawEvidence[] = [];
  const push = (kind: EvidenceKind) => ({ rows }: { rows: Array<{ a: string; b: string; detail: string }> }) => void raw.push(...rows.map((r) => ({ ...r, kind })));
  const q = (sql: string) => db.query<{ a: string; b: string; detail: string }>(`WITH ${changed} ${sql}`, [since]);
  await Promise.all([
    // One's verified address is the address the other gave (a form, a CRM) without verifying it.
    q(`SELECT i.contact_id AS a, c.id AS b, i.address AS detail FROM changed ch JOIN contacts c ON c.id = ch.id
         JOIN contact_identities i ON i.kind = 'email' AND i.address = c.email AND i.contact_id <> c.id
       UNION
       SELECT i.contact_id, c.id, i.address FROM changed ch JOIN contact_identities i ON i.contact_id = ch.id AND i.kind = 'email'
         JOIN contacts c ON c.email = i.address AND c.id <> i.contact_id`).then(push('verified_email')),
    q(`SELECT c1.id AS a, c2.id AS b, c1.email AS detail FROM changed ch JOIN contacts c1 ON c1.id = ch.id
         JOIN contacts c2 ON c2.email = c1.email AND c2.id <> c1.id`).then(push('same_email')),
    // E.164 numbers only: a national number's country is a guess.
    q(`SELECT c1.id AS a, c2.id AS b, c1.phone AS detail FROM changed ch JOIN contacts c1 ON c1.id = ch.id
         JOIN contacts c2 ON c2.phone = c1.phone AND c2.id <> c1.id WHERE c1.phone LIKE '+%'
       UNION
       SELECT i.contact_id, c.id, i.address FROM changed ch JOIN contacts c ON c.id = ch.id
         JOIN contact_identities i ON i.kind = 'phone' AND i.address = c.phone AND i.contact_id <> c.id WHERE c.phone LIKE '+%'
       UNION
       SELECT i.contact_id, c.id, i.address FROM changed ch JOIN contact_identities i ON i.contact_id = ch.id AND i.kind = 'phone'
         JOIN contacts c ON c.phone = i.address AND c.id <> i.contact_id`).then(push('same_phone')),
    // A visitor's chat, then the same browser signed in as a site user: the messages say which visitor they came from.
    db.query<{ a: string; b: string; detail: string }>(
      `SELECT DISTINCT i.contact_id AS a, m.contact_id AS b, m.metadata->'widget'->>'visitorId' AS detail FROM messages m
         JOIN contact_identities i ON i.kind = 'widget' AND i.address = m.inbox_id::text || ':visitor:' || (m.metadata->'widget'->>'visitorId')
        WHERE m.direction = 'inbound' AND m.metadata ? 'widget' AND m.contact_id <> i.contact_id AND m.created_at >= $1`,
      [since],
    ).then(push('widget_user')),
    // Our signed reply token came back from another address: someone who received our message to them.
    db.query<{ a: string; b: string; detail: string }>(
      `SELECT DISTINCT cv.contact_id AS a, m.contact_id AS b, '#' || cv.reference AS detail FROM messages m JOIN conversations cv ON cv.id = m.conversation_id
        WHERE (m.thread_reason = 'conversation-token' OR m.thread_reason = 'body-marker') AND m.direction = 'inbound' AND m.contact_id <> cv.contact_id AND m.created_at >= $1`,
      [since],
    ).then(push('reply_token')),
  ]);
  await nameEvidence(db, changed, since, raw);

  const byPair = new Map<string, RawEvidence[]>();
  for (const e of raw) {
    if (!e.a || !e.b || e.a === e.b) continue;
    const [a, b] = e.a < e.b ? [e.a, e.b] : [e.b, e.a];
    const k = `${a}|${b}`;
    const list = byPair.get(k) ?? [];
    if (!list.some((x) => x.kind === e.kind)) list.push({ ...e, a, b });
    byPair.set(k, list);
  }
  if (!byPair.size) return [];
  const names = await namesOf(db, [...new Set([...byPair.values()].flatMap((l) => [l[0]!.a, l[0]!.b]))]);
  return [...byPair.values()].map((list) => scorePair(list, names.get(list[0]!.a) ?? null, names.get(list[0]!.b) ?? null));
}

/** The pair's score from its evidence, and the names' verdict. */
export function scorePair(list: RawEvidence[], nameA: string | null, nameB: string | null): PairFinding {
  const evidence: Evidence[] = list.map((e) => ({ kind: e.kind, detail: e.detail, weight: EVIDENCE_WEIGHT[e.kind as keyof typeof EVIDENCE_WEIGHT] }));
  let score = 1 - evidence.reduce((p, e) => p * (1 - e.weight), 1);
  if (namesDiffer(nameA, nameB)) {
    evidence.push({ kind: 'names_differ', detail: `${nameA} / ${nameB}`, weight: NAMES_DIFFER_FACTOR });
    score *= NAMES_DIFFER_FACTOR;
  }
  return { a: list[0]!.a, b: list[0]!.b, score: Math.round(score * 1000) / 1000, evidence };
}

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim();
const lettersOf = (s: string) => fold(s).replace(/[^a-z]/g, '');

/** Both names known and plainly different people: their first names differ (not an initial, not a near spelling). */
export function namesDiffer(a: string | null, b: string | null): boolean {
  if (!a || !b) return false;
  const [fa, fb] = [fold(a).split(/\s+/)[0]!.replace(/\.$/, ''), fold(b).split(/\s+/)[0]!.replace(/\.$/, '')];
  if (!fa || !fb || fa === fb) return false;
  if (fa.length === 1 || fb.length === 1) return fa[0] !== fb[0];
  return jaroWinkler(fa, fb) < 0.85;
}

/** The same name (two words or more, a name shared by at most 50 contacts): compare their addresses and activity. */
async function nameEvidence(db: Queryable, changed: string, since: Date, raw: RawEvidence[]): Promise<void> {
  // The same name found on the name's trigram index (ILIKE with the name's own wildcards escaped).
  const found = await db.query<{ a: string; b: string; name: string; shared: number }>(
    `WITH ${changed}
     SELECT c1.id AS a, c2.id AS b, c1.name, count(*) OVER (PARTITION BY c1.id)::int AS shared
       FROM changed ch JOIN contacts c1 ON c1.id = ch.id
       JOIN contacts c2 ON c2.name ILIKE replace(replace(replace(c1.name, '\\', '\\\\'), '%', '\\%'), '_', '\\_') AND c2.id <> c1.id
      WHERE c1.name LIKE '% %' AND length(c1.name) >= 5`,
    [since],
  );
  // A common name says nothing.
  const rows = found.rows.filter((r) => r.shared < 50);
  if (!rows.length) return;
  const ids = [...new Set(rows.flatMap((r) => [r.a, r.b]))];
  const [addresses, activity] = await Promise.all([
    db.query<{ id: string; addresses: string[] }>(
      `SELECT c.id, array_remove(array_cat(ARRAY[c.email], COALESCE((SELECT array_agg(i.address) FROM contact_identities i WHERE i.contact_id = c.id AND i.kind IN ('email', 'twitter')), '{}')), NULL) AS addresses
         FROM contacts c WHERE c.id = ANY($1::uuid[])`,
      [ids],
    ),
    db.query<{ id: string; spans: Array<[string, string]> }>(
      `SELECT contact_id AS id, json_agg(json_build_array(created_at, last_message_at)) AS spans FROM conversations WHERE contact_id = ANY($1::uuid[]) GROUP BY contact_id`,
      [ids],
    ),
  ]);
  const addressOf = new Map(addresses.rows.map((r) => [r.id, r.addresses.map((x) => lettersOf(x.split('@')[0]!)).filter((x) => x.length >= 3)]));
  const spansOf = new Map(activity.rows.map((r) => [r.id, r.spans.map(([s, e]) => [Date.parse(s), Date.parse(e)] as const)]));
  for (const r of rows) {
    const [xa, xb] = [addressOf.get(r.a) ?? [], addressOf.get(r.b) ?? []];
    const similar = xa.flatMap((x) => xb.map((y) => jaroWinkler(x, y))).reduce((m, v) => Math.max(m, v), 0);
    if (similar >= 0.9) raw.push({ a: r.a, b: r.b, kind: 'similar_name_address', detail: r.name });
    if (overlaps(spansOf.get(r.a) ?? [], spansOf.get(r.b) ?? [])) raw.push({ a: r.a, b: r.b, kind: 'overlapping_activity', detail: r.name });
  }
}

const TWO_DAYS = 2 * 86_400_000;
/** Some conversation of one was going on within two days of some conversation of the other. */
function overlaps(a: ReadonlyArray<readonly [number, number]>, b: ReadonlyArray<readonly [number, number]>): boolean {
  return a.some(([s1, e1]) => b.some(([s2, e2]) => s1 <= e2 + TWO_DAYS && s2 <= e1 + TWO_DAYS));
}

async function namesOf(db: Queryable, ids: string[]): Promise<Map<string, string | null>> {
  const { rows } = await db.query<{ id: string; name: string | null }>('SELECT id, name FROM contacts WHERE id = ANY($1::uuid[])', [ids]);
  return new Map(rows.map((r) => [r.id, r.name]));
}

/**
 * Stores the findings at or above SUGGEST_AT as pending suggestions. A rejected pair stays
 * rejected unless a kind of evidence it did not have appears.
 */
export async function storeSuggestions(db: Queryable, findings: PairFinding[]): Promise<{ suggested: number }> {
  const worth = findings.filter((f) => f.score >= SUGGEST_AT);
  if (!worth.length) return { suggested: 0 };
  const { rowCount } = await db.query(
    `INSERT INTO merge_suggestions AS s (contact_a_id, contact_b_id, score, evidence)
     SELECT a, b, score, evidence FROM unnest($1::uuid[], $2::uuid[], $3::float8[], $4::jsonb[]) AS u(a, b, score, evidence)
     ON CONFLICT (contact_a_id, contact_b_id) DO UPDATE SET score = EXCLUDED.score, evidence = EXCLUDED.evidence, updated_at = now(),
       status = CASE WHEN s.status = 'rejected' AND EXISTS (
                  SELECT 1 FROM jsonb_array_elements(EXCLUDED.evidence) n
                   WHERE NOT EXISTS (SELECT 1 FROM jsonb_array_elements(s.evidence) o WHERE o->>'kind' = n->>'kind'))
                THEN 'pending'::"MergeSuggestionStatus" ELSE s.status END
     WHERE s.status <> 'accepted' AND (s.score, s.evidence) IS DISTINCT FROM (EXCLUDED.score, EXCLUDED.evidence)`,
    [worth.map((f) => f.a), worth.map((f) => f.b), worth.map((f) => f.score), worth.map((f) => JSON.stringify(f.evidence))],
  );
  return { suggested: rowCount ?? 0 };
}
