// A CSV import of contacts, run by the worker: rows are matched to contacts by their identities
// (email, phone, handle, Slack id), so a second run of the same file creates nothing; a row whose
// identities belong to two different contacts is refused (a merge decides that, not an import).
// Committed 250 rows at a time with its progress; a dry run does all of it in one transaction
// that is rolled back, so its report is exactly what the import would do.
import { parse } from 'csv-parse/sync';
import type pg from 'pg';
import type { Database } from '../../platform/db/client';
import { errorMessage } from '../../platform/errors';
import type { Logger } from '../../platform/logger';
import type { QueueBackend } from '../../platform/queue';
import { QUEUES, type ContactsJob } from '../queues';
import type { AttributeDefinition, AttributeValue } from './attributes';
import { readRow, type ColumnMapping, type RowPlan } from './import-rows';

const CHUNK = 250;
/** A running import whose progress has not moved for this long was left by a stopped worker. */
const STALE = `interval '2 minutes'`;
const MAX_REJECTIONS_KEPT = 1_000;

export interface ImportCounts {
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

interface Rejection {
  line: number;
  reasons: string[];
}

/** The file's header and its records with their line numbers. */
export function readCsv(csv: string): { headers: string[]; records: Array<{ line: number; cells: Record<string, string> }> } {
  const rows = parse(csv, { bom: true, relax_column_count: true, skip_empty_lines: true, info: true }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  const headers = (rows[0]?.record ?? []).map((h) => h.trim());
  return {
    headers,
    records: rows.slice(1).map((r) => ({ line: r.info.lines, cells: Object.fromEntries(headers.map((h, i) => [h, r.record[i] ?? ''])) })),
  };
}

interface ContactRow {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  tier: string | null;
  customer_value: number | null;
  language: string | null;
  time_zone: string | null;
  company_id: string | null;
  attributes: Record<string, AttributeValue>;
}

export async function runContactImport(s: { db: Database; logger: Logger }, importId: string): Promise<void> {
  const claimed = await s.db.pool.query<{ csv: string | null; mapping: ColumnMapping; dry_run: boolean; default_country: string | null }>(
    `UPDATE contact_imports SET status = 'running', processed_rows = 0, created = 0, updated = 0, unchanged = 0, rejected = 0, rejections = '[]', error = NULL, updated_at = now()
      WHERE id = $1 AND (status = 'queued' OR (status = 'running' AND updated_at < now() - ${STALE})) RETURNING csv, mapping, dry_run, default_country`,
    [importId],
  );
  const job = claimed.rows[0];
  if (!job) return; // Done already, or gone.
  const log = s.logger.child({ importId, dryRun: job.dry_run });
  try {
    const { records } = readCsv(job.csv ?? '');
    const defs: AttributeDefinition[] = await s.db.prisma.contactAttribute.findMany({ select: { key: true, label: true, type: true, options: true } });
    await s.db.pool.query('UPDATE contact_imports SET total_rows = $2 WHERE id = $1', [importId, records.length]);
    log.info({ rows: records.length }, 'contact import started');
    const counts: ImportCounts = { created: 0, updated: 0, unchanged: 0, rejected: 0 };
    const rejections: Rejection[] = [];
    const client = await s.db.pool.connect();
    try {
      if (job.dry_run) await client.query('BEGIN');
      for (let start = 0; start < records.length; start += CHUNK) {
        const chunk = records.slice(start, start + CHUNK);
        if (!job.dry_run) await client.query('BEGIN');
        for (const r of chunk) {
          const read = readRow(r.cells, job.mapping, defs, job.default_country ?? undefined);
          const outcome = 'reasons' in read ? read : await applyRow(client, read.plan, !job.dry_run);
          if ('reasons' in outcome) {
            counts.rejected++;
            if (rejections.length < MAX_REJECTIONS_KEPT) rejections.push({ line: r.line, reasons: outcome.reasons });
          } else counts[outcome.outcome]++;
        }
        const progress = [importId, start + chunk.length, counts.created, counts.updated, counts.unchanged, counts.rejected, JSON.stringify(rejections)];
        const write = `UPDATE contact_imports SET processed_rows = $2, created = $3, updated = $4, unchanged = $5, rejected = $6, rejections = $7::jsonb, updated_at = now() WHERE id = $1`;
        // A real import's progress commits with its rows; a dry run's is written beside its (rolled back) transaction.
        if (job.dry_run) await s.db.pool.query(write, progress);
        else {
          await client.query(write, progress);
          await client.query('COMMIT');
        }
        log.info({ processed: start + chunk.length, of: records.length, ...counts }, 'contact import progress');
      }
      if (job.dry_run) await client.query('ROLLBACK');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
    // The file holds personal data: a real import forgets it once done (a dry run keeps it to be committed).
    await s.db.pool.query(`UPDATE contact_imports SET status = 'done', finished_at = now(), updated_at = now()${job.dry_run ? '' : ', csv = NULL'} WHERE id = $1`, [importId]);
    log.info(counts, 'contact import done');
  } catch (err) {
    log.error({ err }, 'contact import failed');
    await s.db.pool.query(`UPDATE contact_imports SET status = 'failed', error = $2, finished_at = now(), updated_at = now() WHERE id = $1`, [importId, errorMessage(err)]);
  }
}

/** Creates or updates the row's contact. */
async function applyRow(db: pg.PoolClient, plan: RowPlan, lock: boolean): Promise<{ outcome: 'created' | 'updated' | 'unchanged' } | { reasons: string[] }> {
  const { rows: owners } = await db.query<{ kind: string; address: string; contact_id: string }>(
    `SELECT kind::text, address, contact_id FROM contact_identities WHERE (kind, address) IN (SELECT k::"IdentityKind", a FROM unnest($1::text[], $2::text[]) AS u(k, a))`,
    [plan.identities.map((i) => i.kind), plan.identities.map((i) => i.address)],
  );
  const contactIds = [...new Set(owners.map((o) => o.contact_id))];
  if (contactIds.length > 1) {
    return { reasons: [`${owners.map((o) => `${o.kind} ${o.address}`).join(' and ')} belong to different contacts: merge them first`] };
  }
  const companyId = plan.company ? await companyNamed(db, plan.company) : undefined;
  const f = plan.fields;
  if (!contactIds.length) {
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO contacts (name, email, phone, tier, customer_value, language, time_zone, company_id, attributes, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, now()) RETURNING id`,
      [f.name ?? null, f.email ?? null, f.phone ?? null, f.tier ?? null, f.customerValue ?? null, f.language ?? null, f.timeZone ?? null, companyId ?? null, JSON.stringify(plan.attributes)],
    );
    await addIdentities(db, rows[0]!.id, plan.identities);
    return { outcome: 'created' };
  }
  const id = contactIds[0]!;
  // A dry run takes no row locks: it may run long, and messages of these contacts must not wait for it.
  const { rows } = await db.query<ContactRow>('SELECT id, name, email, phone, tier, customer_value, language, time_zone, company_id, attributes FROM contacts WHERE id = $1' + (lock ? ' FOR UPDATE' : ''), [id]);
  const current = rows[0]!;
  const next: Record<string, unknown> = {};
  const set = (column: keyof ContactRow, value: unknown) => {
    if (value !== undefined && value !== current[column]) next[column] = value;
  };
  set('name', f.name);
  // The email and phone columns are the contact's main ones: filled when empty, never replaced (their identities are added).
  if (!current.email) set('email', f.email);
  if (!current.phone) set('phone', f.phone);
  set('tier', f.tier);
  set('customer_value', f.customerValue);
  set('language', f.language);
  set('time_zone', f.timeZone);
  set('company_id', companyId);
  const attributes = { ...current.attributes, ...plan.attributes };
  if (Object.entries(plan.attributes).some(([k, v]) => current.attributes[k] !== v)) next.attributes = JSON.stringify(attributes);
  const newIdentities = plan.identities.filter((i) => !owners.some((o) => o.kind === i.kind && o.address === i.address));
  if (!Object.keys(next).length && !newIdentities.length) return { outcome: 'unchanged' };
  const columns = Object.keys(next);
  if (columns.length) {
    await db.query(
      `UPDATE contacts SET ${columns.map((c, i) => `${c} = $${i + 2}${c === 'attributes' ? '::jsonb' : ''}`).join(', ')}, updated_at = now() WHERE id = $1`,
      [id, ...columns.map((c) => next[c])],
    );
  }
  await addIdentities(db, id, newIdentities);
  return { outcome: 'updated' };
}

async function addIdentities(db: pg.PoolClient, contactId: string, identities: RowPlan['identities']): Promise<void> {
  if (!identities.length) return;
  await db.query(
    `INSERT INTO contact_identities (contact_id, kind, address) SELECT $1, k::"IdentityKind", a FROM unnest($2::text[], $3::text[]) AS u(k, a) ON CONFLICT (kind, address) DO NOTHING`,
    [contactId, identities.map((i) => i.kind), identities.map((i) => i.address)],
  );
}

/** The company of that name (any case), created when new. */
export async function companyNamed(db: pg.PoolClient | Database['pool'], name: string): Promise<string> {
  const found = await db.query<{ id: string }>('SELECT id FROM companies WHERE lower(name) = lower($1) ORDER BY created_at LIMIT 1', [name]);
  if (found.rows[0]) return found.rows[0].id;
  const made = await db.query<{ id: string }>('INSERT INTO companies (name) VALUES ($1) RETURNING id', [name]);
  return made.rows[0]!.id;
}

/** `round` tells a second job for the same import (after a stopped worker) from the first. */
export function queueContactImport(queue: QueueBackend, importId: string, round = 0): Promise<void> {
  // Attempts: 1, the import records its own failure; the claim in runContactImport keeps one run at a time.
  return queue.add<ContactsJob>(QUEUES.contacts, 'import', { importId }, { jobId: `import-${importId}-${round}`, attempts: 1 });
}

/** Queues every import not finished: a lost job, or a worker stopped mid-way. */
export async function requeueContactImports(s: { db: Database; queue: QueueBackend }): Promise<void> {
  const { rows } = await s.db.pool.query<{ id: string; round: string }>(
    `SELECT id, (extract(epoch FROM updated_at) * 1000)::bigint::text AS round FROM contact_imports WHERE status = 'queued' OR (status = 'running' AND updated_at < now() - ${STALE})`,
  );
  for (const r of rows) await queueContactImport(s.queue, r.id, Number(r.round));
}
