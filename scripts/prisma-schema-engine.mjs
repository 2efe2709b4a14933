#!/usr/bin/env node
// Stand-in for Prisma's native `schema-engine` binary, which the Prisma CLI otherwise downloads from
// Prisma's own binary host. Used by scripts/prisma-generate.mjs (generation never calls it) and by
// scripts/prisma-migrate-dev.mjs to author migrations. Never used at run time.
// Point the CLI at it:  PRISMA_SCHEMA_ENGINE_BINARY=./scripts/prisma-schema-engine.mjs  (file must be executable)
// It speaks the same newline-delimited JSON-RPC over stdin/stdout and delegates to the WebAssembly schema
// engine (@prisma/schema-engine-wasm) through a Prisma driver adapter chosen from the datasource URL:
//   file:...            -> @prisma/adapter-better-sqlite3
//   postgres(ql)://...  -> @prisma/adapter-pg
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { createRequire } from 'node:module';

const require = createRequire(path.join(process.cwd(), 'noop.js')); // resolve adapters from the project
const argv = process.argv.slice(2);
const log = (level, message, extra = {}) => process.stderr.write(JSON.stringify({ timestamp: new Date().toISOString(), level, fields: { message, ...extra }, target: 'schema_engine::logger' }) + '\n');

if (argv.includes('--version')) { console.log('schema-engine-cli wasm-shim'); process.exit(0); }
const datamodels = [];
let datasource = {};
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--datamodels') datamodels.push(argv[++i]);
  else if (argv[i] === '--datasource') datasource = JSON.parse(argv[++i]);
}
const cliIdx = argv.indexOf('cli');
const cliCommand = cliIdx >= 0 ? argv[cliIdx + 1] : null;
const url = datasource.url ?? process.env.DATABASE_URL;
if (!url) { log('ERROR', 'no datasource url (set datasource.url in prisma.config.ts)'); process.exit(1); }
const isSqlite = url.startsWith('file:');

const pgCfg = (s) => { const u = new URL(s); return { host: u.hostname, port: Number(u.port || 5432), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password), database: decodeURIComponent(u.pathname.slice(1)) }; };

async function makeFactory() {
  if (isSqlite) {
    const { PrismaBetterSqlite3 } = require('@prisma/adapter-better-sqlite3');
    const f = new PrismaBetterSqlite3({ url }, { shadowDatabaseUrl: datasource.shadowDatabaseUrl ?? ':memory:' });
    // shadow DB replays migration files via executeRaw(); better-sqlite3 prepare() takes one statement only
    const shadow = f.connectToShadowDb.bind(f);
    f.connectToShadowDb = async () => { const a = await shadow(); const ex = a.executeRaw.bind(a); a.executeRaw = async (q) => (q.args?.length ? ex(q) : (await a.executeScript(q.sql), 0)); return a; };
    return f;
  }
  const aReq = createRequire(require.resolve('@prisma/adapter-pg')); // the pg instance adapter-pg really uses
  // Catalog queries return "char" (OID 18) columns (pg_constraint.contype, ...) that adapter-pg rejects,
  // while the engine's describer reads them as Character: let pg decode them as text, remember which
  // fields they were, and report those columns as Character in the result set.
  const Result = aReq('pg/lib/result.js');
  const addFields = Result.prototype.addFields;
  Result.prototype.addFields = function (fields) { for (const fd of fields) if (fd.dataTypeID === 18) { fd.dataTypeID = 25; fd.wasChar = true; } return addFields.call(this, fields); };
  const pg = aReq('pg');
  const { PrismaPg } = require('@prisma/adapter-pg');
  const { ColumnTypeEnum } = aReq('@prisma/driver-adapter-utils');
  const patchQueryable = (adapter) => {
    // adapter-pg's executeScript splits a migration on every ';', which cuts function bodies
    // ($$ ... ; ... $$) apart; PostgreSQL's simple-query protocol runs the script as written.
    if (typeof adapter.executeScript === 'function' && !adapter.executeScript.whole && adapter.client) {
      adapter.executeScript = async function (script) {
        try {
          await this.client.query(script);
        } catch (error) {
          this.onError(error);
        }
      };
      adapter.executeScript.whole = true;
    }
    let proto = adapter;
    while (proto && !Object.hasOwn(proto, 'queryRaw')) proto = Object.getPrototypeOf(proto);
    if (!proto || proto.queryRaw.charPatched) return adapter;
    const queryRaw = proto.queryRaw;
    proto.queryRaw = async function (query) {
      let fields = [];
      const self = Object.create(this); // per call, so concurrent queries do not share `fields`
      self.performIO = async (q) => { const r = await this.performIO(q); fields = r.fields; return r; };
      const rs = await queryRaw.call(self, query);
      fields.forEach((fd, i) => { if (fd.wasChar) rs.columnTypes[i] = ColumnTypeEnum.Character; });
      return rs;
    };
    proto.queryRaw.charPatched = true;
    return adapter;
  };
  const cfg = pgCfg(url); // discrete fields: with { connectionString } the shadow pool would reuse the main database
  const f = new PrismaPg(cfg);
  f.connectToShadowDb = async () => {
    if (datasource.shadowDatabaseUrl) return patchQueryable(await new PrismaPg(pgCfg(datasource.shadowDatabaseUrl)).connect());
    const name = `prisma_shadow_${crypto.randomUUID().replaceAll('-', '')}`;
    const admin = async (sql) => { const c = new pg.Client({ ...cfg, database: 'postgres' }); await c.connect(); try { await c.query(sql); } finally { await c.end(); } };
    await admin(`CREATE DATABASE "${name}"`);
    const a = patchQueryable(await new PrismaPg({ ...cfg, database: name }).connect());
    const dispose = a.dispose.bind(a);
    a.dispose = async () => { await dispose(); await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`); };
    return a;
  };
  const connect = f.connect.bind(f);
  f.connect = async () => patchQueryable(await connect());
  return f;
}

// `schema-engine --datasource {...} cli <can-connect-to-database|create-database|drop-database>`
if (cliCommand) {
  log('INFO', `Starting schema engine CLI command ${cliCommand} (wasm shim)`); // the CLI skips stderr's first line
  try {
    if (isSqlite) {
      const file = path.resolve(url.replace(/^file:/, '').split('?')[0]);
      if (cliCommand === 'can-connect-to-database' && !fs.existsSync(file)) throw Object.assign(new Error(`Database ${file} does not exist`), { code: 'P1003' });
      if (cliCommand === 'create-database') { fs.mkdirSync(path.dirname(file), { recursive: true }); fs.closeSync(fs.openSync(file, 'a')); }
      if (cliCommand === 'drop-database') fs.rmSync(file, { force: true });
    } else {
      const pg = require('pg');
      const cfg = pgCfg(url);
      const c = new pg.Client(cliCommand === 'can-connect-to-database' ? cfg : { ...cfg, database: 'postgres' });
      await c.connect();
      try {
        if (cliCommand === 'create-database') await c.query(`CREATE DATABASE "${cfg.database}"`);
        if (cliCommand === 'drop-database') await c.query(`DROP DATABASE IF EXISTS "${cfg.database}" WITH (FORCE)`);
      } finally { await c.end(); }
    }
    process.exit(0);
  } catch (e) {
    const code = e.code === '3D000' || /does not exist/.test(e.message) ? 'P1003' : (e.code?.startsWith?.('P') ? e.code : 'P1001');
    log('ERROR', e.message, { error_code: code });
    process.exit(1);
  }
}

// use the driver-adapter-utils that the adapter itself depends on
const adapterRequire = createRequire(require.resolve(isSqlite ? '@prisma/adapter-better-sqlite3' : '@prisma/adapter-pg'));
const { bindMigrationAwareSqlAdapterFactory } = adapterRequire('@prisma/driver-adapter-utils');
// A Rust panic inside the engine reports its message here; without it the panic is lost.
globalThis.PRISMA_WASM_PANIC_REGISTRY = { set_message: (m) => log('ERROR', `schema engine panicked: ${m}`) };
const wasmDir = path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg'));
const bg = await import(path.join(wasmDir, 'schema_engine_bg.js'));
const inst = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(path.join(wasmDir, 'schema_engine_bg.wasm'))), { './schema_engine_bg.js': bg });
bg.__wbg_set_wasm(inst.exports);
inst.exports.__wbindgen_start();
const files = datamodels.map((p) => [p, fs.readFileSync(p, 'utf8')]);
const newEngine = async () => bg.SchemaEngine.new({ datamodels: files.length ? files : undefined }, (m) => process.stderr.write(String(m).trimEnd() + '\n'), bindMigrationAwareSqlAdapterFactory(await makeFactory()));
let engine = await newEngine();

const isMissingMigrationsTable = (e) => e?.code === 'P1014' && /_prisma_migrations/.test(e?.message ?? '');
// The wasm engine (SQLite) only sets up its adapter-provided shadow DB inside devDiagnostic, and applying migrations
// drops it: evaluateDataLoss/createMigration then fail with "shadow DB must be provided through an external factory".
// Re-run devDiagnostic (read-only) to set it up again, then retry.
async function call(method, params) {
  try { return await call1(method, params); } catch (e) {
    if (!/shadow DB must be provided through an external factory/i.test(e?.message ?? '') || !params?.migrationsList) throw e;
    await engine.devDiagnostic({ migrationsList: params.migrationsList, filters: params.filters ?? { externalTables: [], externalEnums: [] } });
    return call1(method, params);
  }
}
async function call1(method, params) {
  switch (method) {
    case 'getDatabaseVersion': return engine.version(params ?? null);
    case 'devDiagnostic':
    case 'diagnoseMigrationHistory':
      try { return await engine[method](params); } catch (e) {
        if (!isMissingMigrationsTable(e)) throw e;
        // wasm engine fails on a database without _prisma_migrations: create the table (apply nothing) and retry
        await engine.applyMigrations({ migrationsList: { ...params.migrationsList, migrationDirectories: [] }, filters: params.filters });
        return engine[method](params);
      }
    case 'ensureConnectionValidity': return engine.ensureConnectionValidity(params ?? {});
    case 'diff': {
      // the wasm engine returns the script in `stdout`; the native binary sends it as a "print" request to the CLI
      const { stdout, ...rest } = await engine.diff(params);
      if (stdout) process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id: `print-${Date.now()}`, method: 'print', params: { content: stdout.replace(/\n$/, '') } }) + '\n');
      return rest;
    }
    case 'reset': {
      if (!isSqlite) return engine.reset(params);
      // SQLite: like the native engine, delete the database file (the wasm reset leaves tables and sqlite_sequence behind)
      const file = path.resolve(url.replace(/^file:/, '').split('?')[0]);
      engine.free?.();
      for (const f of [file, `${file}-journal`, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
      engine = await newEngine();
      return null;
    }
    default:
      if (typeof engine[method] !== 'function') throw Object.assign(new Error(`method ${method} is not supported by the wasm schema-engine shim`), { code: null });
      return engine[method](params);
  }
}

const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
let queue = Promise.resolve();
rl.on('line', (line) => {
  if (!line.trim()) return;
  const req = JSON.parse(line);
  if (req.method === undefined) return; // response to a "print" request
  queue = queue.then(async () => {
    if (process.env.SHIM_DEBUG) log('INFO', `rpc ${req.method}`);
    let res;
    try {
      const result = await call(req.method, req.params);
      res = { jsonrpc: '2.0', id: req.id, result: result ?? null };
    } catch (e) {
      res = { jsonrpc: '2.0', id: req.id, error: { code: 4466, message: 'An error happened. Check the data field for details.', data: { is_panic: false, message: e?.message ?? String(e), error_code: e?.code ?? undefined, meta: e?.meta } } };
    }
    process.stdout.write(JSON.stringify(res) + '\n');
  });
});
rl.on('close', () => queue.then(() => { engine.free?.(); process.exit(0); }));
