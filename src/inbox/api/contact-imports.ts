// CSV imports of contacts: start one (a dry run by default), watch its progress and read its
// report, then commit a dry run's file for real. The worker runs them (contacts/import.ts).
import { z } from 'zod';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors';
import { isUuid } from '../../platform/ttl-cache';
import { IMPORT_FIELDS, mappingProblems, suggestMapping, type ColumnMapping } from '../contacts/import-rows';
import { queueContactImport, readCsv } from '../contacts/import';
import type { InboxServices } from '../services';
import type { AgentApi } from './auth';

const startBody = z
  .object({
    csv: z.string().min(1).describe('the file, UTF-8, with a header row'),
    fileName: z.string().trim().max(200).optional(),
    mapping: z.record(z.string().max(200), z.string().max(100)).optional().describe(`column → ${IMPORT_FIELDS.join(' | ')} | attribute:<key>; guessed from the headers when left out`),
    defaultCountry: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166 country code, e.g. ES').optional().describe('the country of phone numbers written without +'),
    dryRun: z.boolean().default(true).describe('report what would be created, updated and rejected, writing nothing'),
  })
  .strict();

const view = {
  id: true, fileName: true, dryRun: true, status: true, mapping: true, defaultCountry: true, totalRows: true, processedRows: true,
  created: true, updated: true, unchanged: true, rejected: true, rejections: true, error: true, createdAt: true, finishedAt: true,
} as const;

export function contactImportRoutes(api: AgentApi, s: InboxServices): void {
  const { prisma } = s.db;
  const definitions = () => prisma.contactAttribute.findMany({ select: { key: true, label: true, type: true, options: true } });

  api.route(
    {
      method: 'post', path: '/contacts/imports', tag: 'contacts', auth: 'agent', access: { permission: 'settings.manage' }, body: startBody,
      summary: 'Import contacts from a CSV: rows are matched by email, phone, X handle or Slack id (created when new, updated otherwise; empty cells change nothing). Runs in the background: poll GET /contacts/imports/{id}',
      responses: { 202: 'The import, queued, with the mapping it uses and the file\'s columns', 400: 'Not a CSV, no rows, or a mapping that does not fit the file (each column named)' },
    },
    async ({ body, caller, res }) => {
      let headers: string[];
      let rows: number;
      try {
        const read = readCsv(body.csv);
        headers = read.headers;
        rows = read.records.length;
      } catch (err) {
        throw new ValidationError(`The file is not a readable CSV: ${(err as Error).message}`, [{ path: 'csv', message: 'not CSV' }]);
      }
      if (!rows) throw new ValidationError('The file has a header but no rows', [{ path: 'csv', message: 'no rows' }]);
      const defs = await definitions();
      const mapping = (body.mapping ?? suggestMapping(headers, defs)) as ColumnMapping;
      const problems = mappingProblems(mapping, headers, defs);
      if (problems.length) throw new ValidationError(`The column mapping does not fit: ${problems.map((p) => p.message).join('; ')}`, problems);
      const created = await prisma.contactImport.create({
        data: { agentId: caller.id, fileName: body.fileName ?? null, dryRun: body.dryRun, csv: body.csv, mapping, defaultCountry: body.defaultCountry ?? null, totalRows: rows },
        select: view,
      });
      await queueContactImport(s.queue, created.id);
      s.logger.info({ importId: created.id, rows, dryRun: body.dryRun, agentId: caller.id }, 'contact import queued');
      res.status(202);
      return { ...created, headers };
    },
  );

  api.route(
    { method: 'get', path: '/contacts/imports/:id', tag: 'contacts', auth: 'agent', access: { permission: 'settings.manage' }, summary: 'An import: its status, progress (processedRows of totalRows), counts, and each rejected row\'s line and reasons', responses: { 404: 'No such import' } },
    async ({ req }) => {
      const id = String(req.params.id);
      const found = isUuid(id) ? await prisma.contactImport.findUnique({ where: { id }, select: view }) : null;
      if (!found) throw new NotFoundError('Import');
      return found;
    },
  );

  api.route(
    {
      method: 'post', path: '/contacts/imports/:id/commit', tag: 'contacts', auth: 'agent', access: { permission: 'settings.manage' },
      summary: 'Run a finished dry run\'s file for real, with the same mapping',
      responses: { 202: 'The new import, queued', 404: 'No such dry run', 409: 'The dry run is not finished, or was committed already' },
    },
    async ({ req, caller, res }) => {
      const id = String(req.params.id);
      const dry = isUuid(id) ? await prisma.contactImport.findUnique({ where: { id }, select: { dryRun: true, status: true, csv: true, mapping: true, defaultCountry: true, fileName: true, totalRows: true } }) : null;
      if (!dry?.dryRun) throw new NotFoundError('Dry run');
      if (dry.status !== 'done' || dry.csv === null) throw new ConflictError(`This dry run is ${dry.status === 'done' ? 'committed already' : `not finished (${dry.status})`}`);
      const created = await prisma.$transaction(async (tx) => {
        // The file moves to the real import: it is kept once.
        await tx.contactImport.update({ where: { id }, data: { csv: null } });
        return tx.contactImport.create({
          data: { agentId: caller.id, fileName: dry.fileName, dryRun: false, csv: dry.csv, mapping: dry.mapping ?? {}, defaultCountry: dry.defaultCountry, totalRows: dry.totalRows },
          select: view,
        });
      });
      await queueContactImport(s.queue, created.id);
      res.status(202);
      return created;
    },
  );
}
