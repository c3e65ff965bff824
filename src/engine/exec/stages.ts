// Stages ([E], Databend's): named locations with their own credentials. CREATE/DROP
// STAGE and SHOW STAGES change and read the catalog; LIST and REMOVE work on the files
// at the location; COPY INTO loads files from it into a table, all in one commit.
import { sqlError, isSqlError } from '../../errors/registry.js';
import type { OkResult, RowsResult, WireValue } from '../../server/query-handler.js';
import type { FailSafeStatement, FileFormat } from '../../sql/failsafe-statement.js';
import type { Query } from '../../sql/statement.js';
import type { WorkRegistry } from '../../observability/progress.js';
import { objectUrl } from '../../storage/object-store.js';
import { nameKey } from '../catalog/catalog.js';
import { checkLocation, maskedConnection } from '../catalog/locations.js';
import { duckErrorToSql } from '../duckdb/errors.js';
import { duckIdent } from '../duckdb/duck-database.js';
import { fileRelation, openStage, stagedFiles, type StagedFile } from '../failsafe/staged-files.js';
import { Transaction } from '../transaction.js';
import { checkName } from './ddl.js';
import { currentDatabase, type ExecContext } from './context.js';
import { insert } from './insert.js';
import { intColumn, ok, staticRows, textColumn } from './results.js';
import { requirePrivilege } from '../privileges.js';

type Command<K extends FailSafeStatement['kind']> = Extract<FailSafeStatement, { kind: K }>;

// Removals run this many at a time.
const REMOVE_CONCURRENCY = 16;

/** Databend's time form in LIST and SHOW STAGES: '2026-11-21 13:45:08.123 +0000'. */
function stamp(date: Date | string): string {
  return `${new Date(date).toISOString().replace('T', ' ').replace('Z', '')} +0000`;
}

// Stages reach storage with credentials of their own, and a file:// URL reaches this
// machine's disk: making, dropping and emptying them is for ADMIN ([H] adds grants on them).
export async function createStage(x: ExecContext, cmd: Command<'createStage'>): Promise<OkResult> {
  requirePrivilege(x.session, 'ADMIN', 'CREATE STAGE');
  checkName('table', cmd.name);
  const location = checkLocation(cmd.url, cmd.connection, x.core.warehouse.store.url);
  // Opening checks the location can be reached with these credentials before anyone relies on it.
  await x.core.warehouse.externalStores.open(location);
  const created = await x.core.warehouse.catalog.createStage(
    { name: cmd.name, location, createdAt: x.core.now().toISOString(), creator: x.session.user },
    cmd.ifNotExists,
  );
  if (!created) x.session.warnings.push({ level: 'Note', code: 1050, message: `Stage '${cmd.name}' already exists` });
  return ok();
}

export async function dropStage(x: ExecContext, cmd: Command<'dropStage'>): Promise<OkResult> {
  requirePrivilege(x.session, 'ADMIN', 'DROP STAGE');
  const dropped = await x.core.warehouse.catalog.dropStage(cmd.name, x.session.user, cmd.ifExists);
  if (!dropped) x.session.warnings.push({ level: 'Note', code: 1051, message: `Unknown stage '${cmd.name}'` });
  return ok();
}

export async function showStages(x: ExecContext): Promise<RowsResult> {
  await x.core.warehouse.catalog.refresh();
  const rows = [...x.core.warehouse.catalog.stages()]
    .sort((a, b) => (nameKey(a.name) < nameKey(b.name) ? -1 : 1))
    .map((s): WireValue[] => [s.name, 'External', s.location.url, maskedConnection(s.location.connection), s.creator, stamp(s.createdAt)]);
  return staticRows(
    ['name', 'stage_type', 'url', 'connection', 'creator', 'created_on'].map((n) => textColumn(n)),
    rows,
  );
}

export async function listStage(x: ExecContext, cmd: Command<'listStage'>): Promise<RowsResult> {
  const { opened } = await openStage(x.core.warehouse, cmd.at.stage);
  const files = await stagedFiles(opened.store, cmd.at, cmd.pattern === undefined ? {} : { pattern: cmd.pattern });
  // S3's ETag is the MD5 of an object uploaded in one piece; other ETags are not.
  const md5 = (etag: string | undefined): WireValue => (etag !== undefined && /^[0-9a-f]{32}$/.test(etag) ? etag : null);
  return staticRows(
    [textColumn('name'), intColumn('size'), textColumn('md5'), textColumn('last_modified'), textColumn('creator')],
    files.map((f): WireValue[] => [f.name, String(f.meta.size), md5(f.meta.etag), stamp(f.meta.lastModified), null]),
  );
}

/**
 * REMOVE @s[/path] [PATTERN = ...]: deletes the files (on a versioned store they stay in
 * its history, where system$fuse_amend finds them). Every store this server has open over
 * the same place forgets its local copies of them, so a table reading them fails at once.
 */
export async function removeStage(x: ExecContext, cmd: Command<'removeStage'>): Promise<OkResult> {
  requirePrivilege(x.session, 'ADMIN', 'REMOVE');
  const { opened } = await openStage(x.core.warehouse, cmd.at.stage);
  const files = await stagedFiles(opened.store, cmd.at, cmd.pattern === undefined ? {} : { pattern: cmd.pattern });
  const queue = [...files];
  const worker = async (): Promise<void> => {
    for (let f = queue.shift(); f !== undefined; f = queue.shift()) await opened.store.delete(f.meta.key);
  };
  await Promise.all(Array.from({ length: Math.min(REMOVE_CONCURRENCY, queue.length) }, worker));
  const removed = files.map((f) => objectUrl(opened.store, f.meta.key));
  for (const other of await x.core.warehouse.openStores()) {
    const root = objectUrl(other.store, '');
    other.files.discard(removed.filter((url) => url.startsWith(root)).map((url) => url.slice(root.length)));
  }
  x.core.logger.info({ stage: cmd.at.stage, path: cmd.at.path, removed: files.length }, 'REMOVE removed staged files');
  return ok(files.length);
}

const COPY_COLUMNS = [textColumn('File'), intColumn('Rows_loaded'), intColumn('Errors_seen'), textColumn('First_error'), intColumn('First_error_line')];

/** The columns of the table a file fills, and the file's rows as a DuckDB query. */
async function fileSource(x: ExecContext, format: FileFormat, path: string, columns: readonly string[], file: string): Promise<{ columns: string[]; sql: string }> {
  const relation = fileRelation(format, path);
  let described;
  try {
    described = await x.duck.describe(`SELECT * FROM ${relation}`);
  } catch (err) {
    // DuckDB names the local copy; the user knows the file by its name in the stage.
    const reason = duckErrorToSql(err).message.split(path).join(file);
    throw sqlError('ER_WRONG_ARGUMENTS', `File '${file}' is not a readable ${format.type.toUpperCase()} file: ${reason}`, err);
  }
  if (format.type === 'csv') {
    // CSV fields fill the table's columns in order.
    if (described.length !== columns.length) {
      throw sqlError('ER_WRONG_VALUE_COUNT_ON_ROW', `File '${file}' has ${described.length} fields per line; the table has ${columns.length} columns`);
    }
    return { columns: [...columns], sql: `SELECT ${described.map((c) => duckIdent(c.name)).join(', ')} FROM ${relation}` };
  }
  // Parquet columns fill the table's columns of the same name; the others take their defaults.
  const matched = columns.flatMap((name) => {
    const found = described.find((c) => nameKey(c.name) === nameKey(name));
    return found === undefined ? [] : [{ name, from: found.name }];
  });
  if (matched.length === 0) throw sqlError('ER_WRONG_ARGUMENTS', `File '${file}' has none of the table's columns (${columns.join(', ')})`);
  return { columns: matched.map((m) => m.name), sql: `SELECT ${matched.map((m) => duckIdent(m.from)).join(', ')} FROM ${relation}` };
}

/**
 * COPY INTO t FROM @s[/path]: every file goes through the INSERT path inside one
 * transaction of its own (an open one was committed first, as for DDL), so they all
 * become visible in one commit, and a file that cannot be loaded leaves nothing loaded,
 * its name in the error.
 */
export async function copyInto(x: ExecContext, cmd: Command<'copyInto'>): Promise<RowsResult> {
  const { opened } = await openStage(x.core.warehouse, cmd.from.stage);
  const files = await stagedFiles(opened.store, cmd.from, {
    ...(cmd.pattern === undefined ? {} : { pattern: cmd.pattern }),
    ...(cmd.files === undefined ? {} : { files: cmd.files }),
  });
  if (files.length === 0) return staticRows(COPY_COLUMNS, []);
  const dbName = currentDatabase(x, cmd.table.db);
  const tx = new Transaction(x.core.warehouse, x.session.user, x.core.pins);
  const inTx: ExecContext = { ...x, access: tx };
  const { table } = await tx.table(dbName, cmd.table.name);
  let work: ReturnType<WorkRegistry['start']> | undefined;
  const held = await opened.files.acquire(
    files.map((f) => f.meta.key),
    x.signal,
  );
  try {
    work = x.core.work.start('COPY INTO', { logger: x.core.logger, message: 'COPY INTO progress', fields: { conn: x.session.connectionId, table: `${dbName}.${table.meta.name}`, stage: cmd.from.stage } }, x.session.connectionId);
    const { progress } = work;
    progress.phase('loading', { unit: 'files', total: files.length });
    const loaded: WireValue[][] = [];
    for (const [i, file] of files.entries()) {
      loaded.push([file.name, String(await loadFile(inTx, cmd, file, held.paths[i] ?? '', table.meta.columns.map((c) => c.name))), '0', null, null]);
      progress.add(1, file.meta.size);
    }
    await tx.commitAll();
    x.core.logger.info({ table: `${dbName}.${table.meta.name}`, stage: cmd.from.stage, files: files.length }, 'COPY INTO loaded staged files');
    return staticRows(COPY_COLUMNS, loaded);
  } finally {
    work?.finish();
    held.release();
  }
}

async function loadFile(x: ExecContext, cmd: Command<'copyInto'>, file: StagedFile, path: string, tableColumns: readonly string[]): Promise<bigint> {
  try {
    const source = await fileSource(x, cmd.format, path, tableColumns, file.name);
    const query: Query = { tables: [], locking: false, print: () => source.sql };
    const result = await insert(x, { kind: 'insert', paramCount: 0, table: cmd.table, columns: source.columns, source: { kind: 'query', query }, ignore: false, replace: false });
    return result.affectedRows;
  } catch (err) {
    const e = isSqlError(err) ? err : duckErrorToSql(err);
    if (e.message.includes(`'${file.name}'`)) throw e;
    throw sqlError(e.code, `COPY INTO ${cmd.table.name} from '${file.name}': ${e.message}; nothing was loaded`, err);
  }
}
