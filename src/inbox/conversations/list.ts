// The conversation list at any size of store. Every view and filter of the agent app is read
// from an index in its own order (prisma/schema.prisma, the conversations_*_list_idx
// indexes): a page is the next entries of one index after a cursor (keyset pagination),
// never found by counting or skipping rows. A set of values the index cannot order across (an
// agent's inboxes, "any status", "my teams") becomes one ordered, limited branch per value,
// merged. The count is capped ("1,000+"). Search (`q`) narrows to the conversations whose
// contact, handle or messages (subjects included) match (trigram and full-text indexes), then
// orders them.
//
// A listing reads the list as its first page saw it: the cursor carries that page's snapshot
// (the last change to the list's order it could see, and the transactions still running), and
// later pages order a conversation changed since by what it was then (conversation_list_changes,
// kept by a trigger for an hour). So a conversation whose priority moves while an agent or an
// integration pages through is listed exactly once, in its old place; the data shown is current.
import { z } from 'zod';
import type { ConversationStatus } from '../../platform/db/client';
import type pg from 'pg';
import { SqlParams, type Queryable } from '../../platform/db/sql';
import { ValidationError } from '../../platform/errors';
import { contactMatchSql } from '../contacts/search';

export const LIST_SORTS = ['priority', 'recent', 'waiting'] as const;
export type ListSort = (typeof LIST_SORTS)[number];
const STATUSES: ConversationStatus[] = ['open', 'pending', 'snoozed', 'resolved'];
/** Counted up to this many; more is "1,000+". */
export const COUNT_CAP = 1_000;
/** Searches shorter than this cannot use the trigram indexes (three characters make a trigram). */
export const MIN_SEARCH_LENGTH = 3;
/** More branches than this (an agent in dozens of inboxes, with "any status"): one query, sorted. */
const MAX_BRANCHES = 32;
/** How long a listing may be paged (the changes it needs are kept an hour). */
export const CURSOR_LIFETIME_MS = 55 * 60_000;

type Direction = 'asc' | 'desc';
interface SortColumn {
  column: string;
  direction: Direction;
  kind: 'int' | 'timestamptz' | 'uuid';
  /** Nullable (sorted last). */
  nullable?: boolean;
}

/** Each sort's columns, in the order (and directions) of its index; the id breaks ties. */
const ORDERS: Record<ListSort, SortColumn[]> = {
  // Highest priority first, then longest waiting, then latest message.
  priority: [
    { column: 'priority', direction: 'desc', kind: 'int' },
    { column: 'waiting_since', direction: 'asc', kind: 'timestamptz', nullable: true },
    { column: 'last_message_at', direction: 'desc', kind: 'timestamptz' },
    { column: 'id', direction: 'asc', kind: 'uuid' },
  ],
  recent: [
    { column: 'last_message_at', direction: 'desc', kind: 'timestamptz' },
    { column: 'id', direction: 'asc', kind: 'uuid' },
  ],
  waiting: [
    { column: 'waiting_since', direction: 'asc', kind: 'timestamptz', nullable: true },
    { column: 'priority', direction: 'desc', kind: 'int' },
    { column: 'id', direction: 'asc', kind: 'uuid' },
  ],
};

export interface ListFilters {
  /** One status, or null for any. */
  status: ConversationStatus | null;
  /** The inboxes the caller may see (null: all) — already narrowed to the inbox asked for. */
  inboxIds: string[] | null;
  /** An agent, or null for unassigned. */
  assigneeId?: string | null;
  teamIds?: string[];
  labelId?: string | null;
  type?: 'direct' | 'mention';
  complaintCategory?: string;
  sentiment?: string;
  /** Only conversations of contacts whose custom attribute has this value. */
  contactAttribute?: { key: string; value: string | number };
  q?: string;
  /** Narrower than the inboxes: a role that sees only its teams' conversations or its own (src/inbox/access.ts). */
  scope?: ConversationScope | null;
}

/** Conversations assigned to `agentId`, or (with `teamIds`) also those given to one of those teams. */
export interface ConversationScope {
  agentId: string;
  teamIds: string[] | null;
}

export interface ListRequest extends ListFilters {
  sort: ListSort;
  limit: number;
  cursor?: string;
}

export interface ListPage {
  ids: string[];
  /** The next page's cursor; null on the last page. */
  nextCursor: string | null;
  /** On the first page only: how many match, counted up to COUNT_CAP. */
  total?: number;
  totalCapped?: boolean;
}

/** What a cursor carries: the last row's sort values, and the first page's snapshot of the list. */
interface Cursor {
  key: Array<string | number | null>;
  /** The last list change the first page could see, the transactions running then, and when. */
  seen: { change: string; running: string[]; at: number };
}

type Row = Record<string, unknown> & { id: string; seen_change?: string; seen_running?: string[] };

interface Dimension {
  column: string;
  type: string;
  values: Array<string | null>;
}

export async function listConversations(db: Queryable, r: ListRequest, now = Date.now()): Promise<ListPage> {
  const order = ORDERS[r.sort];
  const cursor = r.cursor ? decodeCursor(r.cursor, order, now) : null;
  if (r.q !== undefined && r.q.trim().length < MIN_SEARCH_LENGTH) {
    throw new ValidationError(`Search needs at least ${MIN_SEARCH_LENGTH} characters`, [{ path: 'q', message: `at least ${MIN_SEARCH_LENGTH} characters` }]);
  }
  if (r.inboxIds?.length === 0 || r.teamIds?.length === 0) return { ids: [], nextCursor: null, ...(cursor ? {} : { total: 0, totalCapped: false }) };

  const p = new SqlParams();
  const take = r.limit + 1;
  const orderBy = order.map((o) => `${o.column} ${o.direction.toUpperCase()}`).join(', ');
  const columns = (alias: string) => order.map((o) => `${alias}.${o.column}`).join(', ');
  // A search, a label or a contact attribute narrows to a set first: one query, sorted (branches would each repeat the narrowing).
  const narrowed = r.q !== undefined || r.labelId !== undefined || r.contactAttribute !== undefined;
  const dimension = narrowed ? null : drivingDimension(r);
  const statuses = r.status ? [r.status] : STATUSES;
  const values: Array<string | null> = dimension ? dimension.values : [null];
  const branched = !narrowed && statuses.length * values.length <= MAX_BRANCHES;
  // The branches' dimension is stated by each branch as an equality: repeating it as "= ANY"
  // would steer the planner from the ordered index scan to a bitmap scan and a sort.
  const narrowedSet = narrowedSql(r, p);
  const filters = filtersSql(r, p, branched ? dimension?.column : undefined);
  const after = cursor ? [afterSql(order, cursor.key, p, 'c')] : [];
  const unmoved = cursor ? ['c.id NOT IN (SELECT id FROM moved)'] : [];
  const from = narrowedSet ? 'narrowed n JOIN conversations c ON c.id = n.conversation_id' : 'conversations c';
  let current: string[];
  if (branched) {
    current = statuses.flatMap((status) =>
      values.map((value) => {
        const own = [`c.status = ${statusLiteral(status)}`, ...(dimension ? [equals(dimension, value, p)] : [])];
        return `(SELECT ${columns('c')} FROM conversations c WHERE ${[...own, ...filters, ...unmoved, ...after].join(' AND ')} ORDER BY ${orderBy} LIMIT ${take})`;
      }),
    );
  } else {
    const own = [...(r.status ? [`c.status = ${statusLiteral(r.status)}`] : []), ...(dimension ? [`c.${dimension.column} = ANY(${p.add(dimension.values, `${dimension.type}[]`)})`] : [])];
    current = [`(SELECT ${columns('c')} FROM ${from} WHERE ${[...own, ...filters, ...unmoved, ...after, 'true'].join(' AND ')} ORDER BY ${orderBy} LIMIT ${take})`];
  }
  let sql: string;
  if (!cursor) {
    // The first page also reads its snapshot of the list, in the same statement (the same snapshot).
    const rows = current.length === 1 ? current[0]! : `(SELECT * FROM (${current.join(' UNION ALL ')}) u ORDER BY ${orderBy} LIMIT ${take})`;
    sql = `${narrowedSet ? `WITH ${narrowedSet} ` : ''}SELECT page.*, seen.change AS seen_change, seen.running AS seen_running FROM ${rows} page
             CROSS JOIN (SELECT (SELECT coalesce(max(id), 0) FROM conversation_list_changes)::text AS change,
                                ARRAY(SELECT x::text FROM pg_snapshot_xip(pg_current_snapshot()) x) AS running) seen
            ORDER BY ${orderBy}`;
  } else {
    // Conversations whose place changed since the first page, at their place then (their first change after it).
    const moved = `moved AS MATERIALIZED (
        SELECT DISTINCT ON (l.conversation_id) l.conversation_id AS id, l.old_status AS status, l.old_priority AS priority,
               l.old_waiting_since AS waiting_since, l.old_last_message_at AS last_message_at
          FROM conversation_list_changes l
         WHERE l.id > ${p.add(cursor.seen.change, 'bigint')} OR l.xid = ANY(${p.add(cursor.seen.running, 'bigint[]')})
         ORDER BY l.conversation_id, l.id)`;
    const movedFilters = [...filtersSql(r, p), ...(narrowedSet ? ['c.id IN (SELECT conversation_id FROM narrowed)'] : [])];
    const movedRows = `(SELECT ${columns('m')} FROM moved m JOIN conversations c ON c.id = m.id
                         WHERE m.status IN (${statuses.map(statusLiteral).join(', ')}) AND ${[...movedFilters, afterSql(order, cursor.key, p, 'm')].join(' AND ')}
                         ORDER BY ${orderBy} LIMIT ${take})`;
    sql = `WITH ${narrowedSet ? `${narrowedSet}, ` : ''}${moved} SELECT * FROM (${[...current, movedRows].join(' UNION ALL ')}) u ORDER BY ${orderBy} LIMIT ${take}`;
  }
  const countParams = new SqlParams();
  const countSql = cursor ? null : countQuery(r, countParams, branched ? dimension : null);
  const [{ rows }, counted] = await Promise.all([
    db.query<Row>(sql, p.values),
    countSql ? db.query<{ n: number }>(countSql, countParams.values) : Promise.resolve(null),
  ]);
  const page = rows.slice(0, r.limit);
  const last = page.at(-1);
  const first = rows[0];
  const seen = cursor?.seen ?? (first ? { change: first.seen_change!, running: first.seen_running!, at: now } : null);
  const n = counted?.rows[0]?.n;
  return {
    ids: page.map((x) => x.id),
    nextCursor: rows.length > r.limit && last && seen ? encodeCursor({ key: order.map((o) => keyValue(last[o.column])), seen }) : null,
    ...(n === undefined ? {} : { total: Math.min(n, COUNT_CAP), totalCapped: n > COUNT_CAP }),
  };
}

// Statuses and types are written as literals (from fixed lists, never from input as such): a
// parameter cast to the enum is not folded to a constant, and the planner could then neither
// prove a partial index's predicate (mentions) nor use the column's statistics.
const statusLiteral = (s: ConversationStatus) => {
  if (!STATUSES.includes(s)) throw new ValidationError(`Unknown status "${s}"`);
  return `'${s}'::"ConversationStatus"`;
};
const typeLiteral = (t: 'direct' | 'mention') => {
  if (t !== 'direct' && t !== 'mention') throw new ValidationError(`Unknown conversation type "${String(t)}"`);
  return `'${t}'::"ConversationType"`;
};

const equals = (d: Dimension, value: string | null, p: SqlParams) => (value === null ? `c.${d.column} IS NULL` : `c.${d.column} = ${p.add(value, d.type)}`);

/**
 * The one equality dimension whose index leads the branches (the other filters are conditions
 * on top): one agent's conversations are fewest; then the caller's inboxes (an agent sees a
 * few of many: walking "unassigned" or a team across every inbox would skip most of it).
 */
function drivingDimension(r: ListFilters): Dimension | null {
  if (r.assigneeId) return { column: 'assignee_id', type: 'uuid', values: [r.assigneeId] };
  if (r.inboxIds && r.inboxIds.length <= MAX_BRANCHES) return { column: 'inbox_id', type: 'uuid', values: r.inboxIds };
  if (r.assigneeId === null) return { column: 'assignee_id', type: 'uuid', values: [null] };
  if (r.teamIds) return { column: 'team_id', type: 'uuid', values: r.teamIds };
  if (r.complaintCategory) return { column: 'complaint_category', type: 'text', values: [r.complaintCategory] };
  if (r.sentiment) return { column: 'sentiment_label', type: 'text', values: [r.sentiment] };
  return null;
}

/** Every filter but the status as SQL conditions on `c`, except the one on `stated` (each branch states it). */
function filtersSql(r: ListFilters, p: SqlParams, stated?: string): string[] {
  const w: string[] = [];
  if (r.scope) w.push(scopeSql(r.scope, p, 'c'));
  if (r.inboxIds && stated !== 'inbox_id') w.push(`c.inbox_id = ANY(${p.add(r.inboxIds, 'uuid[]')})`);
  if (stated !== 'assignee_id') {
    if (r.assigneeId === null) w.push('c.assignee_id IS NULL');
    else if (r.assigneeId) w.push(`c.assignee_id = ${p.add(r.assigneeId, 'uuid')}`);
  }
  if (r.teamIds && stated !== 'team_id') w.push(`c.team_id = ANY(${p.add(r.teamIds, 'uuid[]')})`);
  if (r.type) w.push(`c.type = ${typeLiteral(r.type)}`);
  if (r.complaintCategory && stated !== 'complaint_category') w.push(`c.complaint_category = ${p.add(r.complaintCategory, 'text')}`);
  if (r.sentiment && stated !== 'sentiment_label') w.push(`c.sentiment_label = ${p.add(r.sentiment, 'text')}`);
  return w;
}

/** The condition a narrowed role's conversations meet (always with its inboxes as well). */
export function scopeSql(scope: ConversationScope, p: SqlParams, alias: string): string {
  const own = `${alias}.assignee_id = ${p.add(scope.agentId, 'uuid')}`;
  return scope.teamIds ? `(${own} OR ${alias}.team_id = ANY(${p.add(scope.teamIds, 'uuid[]')}))` : own;
}

/**
 * A label, a search or a contact attribute first: the few conversations they name, as one small set (the planner
 * would otherwise walk the ordered index probing each row against it). Null when neither.
 */
function narrowedSql(r: ListFilters, p: SqlParams): string | null {
  const sets: string[] = [];
  if (r.labelId !== undefined) sets.push(r.labelId === null ? 'SELECT NULL::uuid WHERE false' : `SELECT conversation_id FROM conversation_labels WHERE label_id = ${p.add(r.labelId, 'uuid')}`);
  if (r.q) sets.push(searchSql(r.q, p));
  if (r.contactAttribute) {
    sets.push(`SELECT id AS conversation_id FROM conversations WHERE contact_id IN (SELECT id FROM contacts WHERE attributes @> ${p.add(JSON.stringify({ [r.contactAttribute.key]: r.contactAttribute.value }), 'jsonb')})`);
  }
  return sets.length ? `narrowed AS MATERIALIZED (${sets.map((x) => `(${x})`).join(' INTERSECT ')})` : null;
}

/** The conversations a search finds: their contact's (contacts/search.ts), or a message (or its subject) with all the words (full text). */
function searchSql(q: string, p: SqlParams): string {
  const text = q.trim();
  return `SELECT id AS conversation_id FROM conversations WHERE contact_id IN (${contactMatchSql(text, p)})
          UNION SELECT conversation_id FROM messages WHERE search_vector @@ plainto_tsquery('simple', ${p.add(text, 'text')})`;
}

/** Counted up to the cap, branch by branch like the list (each a walk of an index range), or in one go for a narrowed set. */
function countQuery(r: ListFilters, p: SqlParams, dimension: Dimension | null): string {
  const statuses = r.status ? [r.status] : STATUSES;
  const values: Array<string | null> = dimension ? dimension.values : [null];
  const narrowedSet = narrowedSql(r, p);
  const where = filtersSql(r, p, dimension?.column);
  const cap = COUNT_CAP + 1;
  const order = ORDERS.priority.map((o) => `${o.column} ${o.direction.toUpperCase()}`).join(', ');
  if (narrowedSet) {
    const own = r.status ? [`c.status = ${statusLiteral(r.status)}`] : [];
    return `WITH ${narrowedSet} SELECT count(*)::int AS n FROM (SELECT 1 FROM narrowed n JOIN conversations c ON c.id = n.conversation_id WHERE ${[...own, ...where, 'true'].join(' AND ')} LIMIT ${cap}) x`;
  }
  const branch = (own: string[]) => `(SELECT 1 FROM conversations c WHERE ${[...own, ...where, 'true'].join(' AND ')} ORDER BY ${order} LIMIT ${cap})`;
  const branches = statuses.flatMap((status) =>
    values.map((value) => branch([`c.status = ${statusLiteral(status)}`, ...(dimension ? [equals(dimension, value, p)] : [])])),
  );
  return `SELECT count(*)::int AS n FROM (SELECT 1 FROM (${branches.join(' UNION ALL ')}) b LIMIT ${cap}) x`;
}

// --- cursors: opaque to clients ---

const keyValue = (v: unknown) => (v instanceof Date ? v.toISOString() : (v as string | number | null));

const cursorSchema = z.object({
  key: z.array(z.union([z.string().max(100), z.number().int(), z.null()])),
  seen: z.object({ change: z.string().regex(/^\d{1,19}$/), running: z.array(z.string().regex(/^\d{1,19}$/)).max(10_000), at: z.number().int() }),
});

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(text: string, order: SortColumn[], now: number): Cursor {
  const invalid = () => new ValidationError('That cursor is not one this list gave (or was given for another sort)', [{ path: 'cursor', message: 'not valid for this list' }]);
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const parsed = cursorSchema.safeParse(value);
  if (!parsed.success || parsed.data.key.length !== order.length) throw invalid();
  order.forEach((o, i) => {
    const v = parsed.data.key[i];
    const ok = v === null ? !!o.nullable : o.kind === 'int' ? typeof v === 'number' : typeof v === 'string' && (o.kind === 'uuid' ? /^[0-9a-f-]{36}$/i.test(v) : !Number.isNaN(Date.parse(v)));
    if (!ok) throw invalid();
  });
  if (now - parsed.data.seen.at > CURSOR_LIFETIME_MS) {
    throw new ValidationError('This listing started more than 55 minutes ago: load the first page again', [{ path: 'cursor', message: 'expired' }]);
  }
  return parsed.data;
}

/**
 * Rows of `alias` after the cursor in the sort's order. Nullable columns sort last. The first
 * column's bound is stated on its own as well, so an index scan starts there rather than filtering.
 */
function afterSql(order: SortColumn[], values: Array<string | number | null>, p: SqlParams, alias: string): string {
  const at = (i: number): string => {
    const o = order[i]!;
    const v = values[i]!;
    const col = `${alias}.${o.column}`;
    if (i === order.length - 1) return `${col} ${o.direction === 'asc' ? '>' : '<'} ${p.add(v, o.kind)}`;
    const rest = at(i + 1);
    if (v === null) return `(${col} IS NULL AND ${rest})`;
    const param = p.add(v, o.kind);
    const beyond = `${col} ${o.direction === 'asc' ? '>' : '<'} ${param}${o.nullable ? ` OR ${col} IS NULL` : ''}`;
    return `(${beyond} OR (${col} = ${param} AND ${rest}))`;
  };
  const first = order[0]!;
  const v0 = values[0]!;
  const col0 = `${alias}.${first.column}`;
  const bound = v0 === null ? `${col0} IS NULL` : `${col0} ${first.direction === 'asc' ? '>=' : '<='} ${p.add(v0, first.kind)}${first.nullable ? ` OR ${col0} IS NULL` : ''}`;
  return `(${bound}) AND ${at(0)}`;
}

/** Drops the changes no listing can need any more (older than an hour: cursors live 55 minutes). */
export async function forgetListChanges(pool: pg.Pool): Promise<number> {
  const { rowCount } = await pool.query(`DELETE FROM conversation_list_changes WHERE created_at < now() - interval '1 hour'`);
  return rowCount ?? 0;
}
