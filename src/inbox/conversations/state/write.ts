// The one writer of a conversation's state: its status, its priority (with the floor rules put
// under it and the reasons), its assignment, the customer's wait and the response and
// resolution due times, acknowledgement and escalation. The pipeline, agents' replies and
// actions, routing, the timers and the periodic re-score each compute a new state with the
// pure functions beside this file, then write it here: one place says how a state column is
// stored, and a lint rule (eslint.config.js) keeps SQL that sets priority out of every other
// file.
import type { ConversationStatus } from '../../../platform/db/client';
import { SqlParams, type Queryable } from '../../../platform/db/sql';

export interface ConversationStateColumns {
  status: ConversationStatus;
  priority: number;
  priorityFloor: number;
  /** Why it has its priority: each factor's points, when computed (src/routing/priority.ts). */
  priorityReason: object | null;
  assigneeId: string | null;
  teamId: string | null;
  waitingSince: Date | null;
  firstResponseAt: Date | null;
  snoozedUntil: Date | null;
  resolvedAt: Date | null;
  firstResponseDueAt: Date | null;
  nextResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
  slaPolicyId: string | null;
  acknowledgedAt: Date | null;
  escalationLevel: number;
  escalatedAt: Date | null;
}

export type StateField = keyof ConversationStateColumns;

interface Stored {
  column: string;
  /** The parameter's array type (each column goes as one array, for unnest). */
  type: string;
  /** Cast of the unnested value to the column's own type. */
  cast?: string;
  encode?: (v: unknown) => unknown;
}

const COLUMNS: Record<StateField, Stored> = {
  status: { column: 'status', type: 'text[]', cast: '::"ConversationStatus"' },
  priority: { column: 'priority', type: 'int[]' },
  priorityFloor: { column: 'priority_floor', type: 'int[]' },
  priorityReason: { column: 'priority_reason', type: 'jsonb[]', encode: (v) => JSON.stringify(v ?? {}) },
  assigneeId: { column: 'assignee_id', type: 'uuid[]' },
  teamId: { column: 'team_id', type: 'uuid[]' },
  waitingSince: { column: 'waiting_since', type: 'timestamptz[]' },
  firstResponseAt: { column: 'first_response_at', type: 'timestamptz[]' },
  snoozedUntil: { column: 'snoozed_until', type: 'timestamptz[]' },
  resolvedAt: { column: 'resolved_at', type: 'timestamptz[]' },
  firstResponseDueAt: { column: 'first_response_due_at', type: 'timestamptz[]' },
  nextResponseDueAt: { column: 'next_response_due_at', type: 'timestamptz[]' },
  resolutionDueAt: { column: 'resolution_due_at', type: 'timestamptz[]' },
  slaPolicyId: { column: 'sla_policy_id', type: 'uuid[]' },
  acknowledgedAt: { column: 'acknowledged_at', type: 'timestamptz[]' },
  escalationLevel: { column: 'escalation_level', type: 'int[]' },
  escalatedAt: { column: 'escalated_at', type: 'timestamptz[]' },
};

/** A column of the same rows that is not state (counters, previews, analysis, identity), written in the same statement. */
export interface OtherColumn<R> {
  column: string;
  /** The parameter's array type, e.g. 'int[]'. */
  type: string;
  value: (r: R) => unknown;
  cast?: string;
  /** Its new value on update, in SQL over `c` (the stored row) and `v` (the row's values); default `v.<column>`. Null: written on insert only. */
  update?: string | null;
}

export interface StateWrite<R, F extends StateField> {
  rows: readonly R[];
  /** The state columns written, each read from the row's property of that name. */
  fields: readonly F[];
  others?: ReadonlyArray<OtherColumn<R>>;
  /** Update only where this also holds, in SQL over `c` and `v` (a state read earlier and not changed since, a timer still due). */
  where?: string;
  /** Values the `where` compares with, available as `v.<column>` and not written. */
  compared?: ReadonlyArray<Omit<OtherColumn<R>, 'update' | 'cast'>>;
  returning?: string;
}

type Row<F extends StateField> = { id: string } & Pick<ConversationStateColumns, F>;

/**
 * The statement that inserts (`insert`) or updates the rows' conversations with their new
 * state: one set-based statement however many rows, run alone (writeConversationState) or as
 * a data-modifying CTE of a larger write (the pipeline's and routing's batches).
 */
export function conversationStateStatement<R extends Row<F>, F extends StateField>(p: SqlParams, mode: 'insert' | 'update', w: StateWrite<R, F>): string {
  const state = w.fields.map((f) => ({ ...COLUMNS[f], value: (r: R) => (COLUMNS[f].encode ?? ((v: unknown) => v))(r[f]), update: undefined as string | null | undefined }));
  const written = [...state, ...(w.others ?? [])];
  const values = [{ column: 'id', type: 'uuid[]', value: (r: R) => r.id }, ...written, ...(w.compared ?? [])];
  const from = `unnest(${values.map((c) => p.column(w.rows, c.value, c.type)).join(', ')}) AS v(${values.map((c) => c.column).join(', ')})`;
  const returning = w.returning ? ` RETURNING ${w.returning}` : '';
  if (mode === 'insert') {
    return `INSERT INTO conversations (id, ${written.map((c) => c.column).join(', ')}, updated_at)
      SELECT v.id, ${written.map((c) => `v.${c.column}${c.cast ?? ''}`).join(', ')}, now() FROM ${from}${returning}`;
  }
  const sets = written.filter((c) => c.update !== null).map((c) => `${c.column} = ${c.update ?? `v.${c.column}${c.cast ?? ''}`}`);
  return `UPDATE conversations c SET ${[...sets, 'updated_at = now()'].join(', ')}
      FROM ${from} WHERE c.id = v.id${w.where ? ` AND (${w.where})` : ''}${returning}`;
}

/** Runs the state write on its own; returns what `returning` asked for. */
export async function writeConversationState<R extends Row<F>, F extends StateField, Out extends Record<string, unknown> = Record<string, unknown>>(
  db: Queryable,
  mode: 'insert' | 'update',
  w: StateWrite<R, F>,
): Promise<Out[]> {
  if (!w.rows.length) return [];
  const p = new SqlParams();
  const { rows } = await db.query<Out>(conversationStateStatement(p, mode, w), p.values);
  return rows;
}

/** One conversation's new state as an action sets it: the fields present are written, the rest left as stored. */
export async function writeOneConversationState(db: Queryable, id: string, state: Partial<ConversationStateColumns>): Promise<void> {
  const fields = (Object.keys(state) as StateField[]).filter((f) => state[f] !== undefined);
  // Only the fields listed are read from the row, and each of those is present.
  await writeConversationState(db, 'update', { rows: [{ id, ...state } as Row<StateField>], fields });
}

/** A conversation's row as it was (to_jsonb of the row), put back exactly: undoing a merge of conversations. */
export async function restoreConversationRow(db: Queryable, row: Record<string, unknown>): Promise<void> {
  await db.query('INSERT INTO conversations SELECT * FROM jsonb_populate_record(NULL::conversations, $1::jsonb)', [JSON.stringify(row)]);
}
