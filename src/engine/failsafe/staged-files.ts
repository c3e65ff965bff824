// Files under a stage ([E]): which ones a `@stage[/path]` with FILES or PATTERN names,
// and DuckDB relations over them. A stage's store is rooted at its URL, and every path
// written after @stage is checked here first, so no name or path reaches outside it.
import { sqlError } from '../../errors/registry.js';
import type { FileFormat, FileFormatType, StagePath, StageRead } from '../../sql/failsafe-statement.js';
import { listAll, type ObjectMeta, type ObjectStore } from '../../storage/object-store.js';
import type { StageEntry } from '../catalog/locations.js';
import { duckString } from '../duckdb/duck-database.js';
import type { OpenedStore } from '../external-stores.js';
import type { Warehouse } from '../warehouse.js';

/** A file under a stage, named as LIST shows it: its path from the stage's URL. */
export interface StagedFile {
  readonly name: string;
  readonly meta: ObjectMeta;
}

export function stageNamed(warehouse: Warehouse, name: string): StageEntry {
  const stage = warehouse.catalog.stage(name);
  if (stage === undefined) throw sqlError('ER_WRONG_ARGUMENTS', `Unknown stage '${name}'`);
  return stage;
}

/** The stage's store, with the catalog read afresh first (another server may have made the stage). */
export async function openStage(warehouse: Warehouse, name: string): Promise<{ stage: StageEntry; opened: OpenedStore }> {
  await warehouse.catalog.refresh();
  const stage = stageNamed(warehouse, name);
  return { stage, opened: await warehouse.externalStores.open(stage.location) };
}

/** Refuses a path that could leave the stage: empty, '.' or '..' segments, backslashes, NULs. */
function checkRelative(path: string, shown: string): void {
  const segments = path.replace(/\/$/, '').split('/');
  if (path.startsWith('/') || path.includes('\\') || path.includes('\0') || segments.some((s) => s === '' || s === '.' || s === '..')) {
    throw sqlError('ER_WRONG_ARGUMENTS', `Invalid stage path '${shown}': it must stay inside the stage`);
  }
}

function compilePattern(pattern: string | undefined): RegExp | undefined {
  if (pattern === undefined) return undefined;
  try {
    return new RegExp(pattern);
  } catch (err) {
    throw sqlError('ER_WRONG_ARGUMENTS', `Invalid PATTERN '${pattern}': ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * The files at `@stage/path`: the file of that name, or those under it as a folder; with
 * `files`, exactly those (relative to the path, each must exist); with `pattern`, those whose
 * name (as LIST shows it) the regular expression matches.
 */
export async function stagedFiles(store: ObjectStore, at: StagePath, options: { readonly pattern?: string; readonly files?: readonly string[] } = {}): Promise<StagedFile[]> {
  const shown = `@${at.stage}/${at.path}`;
  if (at.path !== '') checkRelative(at.path, shown);
  const folder = at.path === '' || at.path.endsWith('/') ? at.path : `${at.path}/`;
  const pattern = compilePattern(options.pattern);
  let found: StagedFile[] = [];
  if (options.files !== undefined) {
    for (const file of options.files) {
      const key = `${folder}${file}`;
      checkRelative(file, `@${at.stage}/${key}`);
      const meta = await store.head(key).catch((err: unknown) => {
        throw sqlError('ER_FILE_NOT_FOUND', `File '${key}' of FILES is not in stage '${at.stage}'`, err);
      });
      found.push({ name: key, meta });
    }
  } else {
    for await (const meta of listAll(store, at.path)) {
      if (folder === at.path || meta.key === at.path || meta.key.startsWith(folder)) found.push({ name: meta.key, meta });
    }
  }
  if (pattern !== undefined) found = found.filter((f) => pattern.test(f.name));
  return found;
}

/** DuckDB's CSV reader set to a FILE_FORMAT: every field as text (the table's types convert it), no header guessing. */
function csvOptions(format: Extract<FileFormat, { type: 'csv' }>): string {
  return [
    'header = false',
    'all_varchar = true',
    `skip = ${format.skipHeader}`,
    `delim = ${duckString(format.fieldDelimiter)}`,
    `quote = ${duckString(format.quote)}`,
    `escape = ${duckString(format.escape)}`,
    `new_line = ${duckString(format.recordDelimiter === '\r\n' ? '\\r\\n' : '\\n')}`,
    // An empty field is NULL too, as Databend reads it.
    `nullstr = [${duckString(format.nullDisplay)}, '']`,
  ].join(', ');
}

/** One staged file as DuckDB reads it for COPY INTO: Parquet columns by name, CSV fields as column0, column1, ... */
export function fileRelation(format: FileFormat, path: string): string {
  return format.type === 'parquet' ? `read_parquet(${duckString(path)})` : `read_csv(${duckString(path)}, ${csvOptions(format)})`;
}

/** Several staged files as one table for SELECT ... FROM @stage: columns by name, types as DuckDB finds them. */
export function filesRelation(type: FileFormatType, paths: readonly string[]): string {
  const list = `[${paths.map(duckString).join(', ')}]`;
  return type === 'parquet' ? `read_parquet(${list}, union_by_name = true)` : `read_csv(${list}, union_by_name = true)`;
}

/** `FROM @stage/path (FILE_FORMAT => ...)`: a relation over the files, held locally until release(). */
export async function stageRelation(warehouse: Warehouse, read: StageRead, signal: AbortSignal): Promise<{ sql: string; release(): void }> {
  const { opened } = await openStage(warehouse, read.at.stage);
  const files = await stagedFiles(opened.store, read.at, read.pattern === undefined ? {} : { pattern: read.pattern });
  if (files.length === 0) throw sqlError('ER_FILE_NOT_FOUND', `No files to read at @${read.at.stage}/${read.at.path}`);
  const held = await opened.files.acquire(
    files.map((f) => f.meta.key),
    signal,
  );
  return { sql: `(SELECT * FROM ${filesRelation(read.format, held.paths)})`, release: () => held.release() };
}
