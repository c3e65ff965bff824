// The state of one database as its commit log defines it, and the pure function
// that applies a log entry to it. Everything a table is — its schema, its files,
// its auto-increment counter, whether it was dropped — is derived from the log.
import type { ColumnDef, IndexDef, PartitionSpec } from '../../sql/statement.js';

/**
 * The newest log format this server reads and writes. Format 2 added VACUUM's
 * actions (vacuumTable, purgeTable); an entry or checkpoint is written in the
 * lowest format that holds it, so a warehouse stays readable by older servers
 * until its first VACUUM removes something.
 */
export const LOG_FORMAT = 2;

export interface ColumnStats {
  /** Min/max in a JSON-safe text form; absent when the column has no non-null values or is not orderable. */
  readonly min?: string;
  readonly max?: string;
  readonly nulls: number;
}

/** A column as data files know it: a stable id, and its name inside one file. */
export interface FileField {
  readonly id: number;
  readonly name: string;
  /** DuckDB type in the file; absent in files of format 1 (then: the table's type). */
  readonly type?: string;
}

export interface DataFile {
  /** Object key in the store that holds the table. */
  readonly key: string;
  /**
   * The table's columns when the file was written, by field id and the name used
   * in the file. Absent only in files written before the table's first ALTER
   * (their fields are then the table's fields as created).
   */
  readonly fields?: readonly FileField[];
  readonly partition: string;
  readonly rows: number;
  readonly bytes: number;
  readonly stats: Readonly<Record<string, ColumnStats>>;
  /** SHA-256 of the file's bytes (hex), when known: files restored from a backup carry it, so backing them up again copies nothing. */
  readonly sha256?: string;
}

/** Per column of a table: its stable field id, and what files written before it existed read as. */
export interface FieldMeta {
  readonly id: number;
  /** DuckDB literal SQL for rows of older files (the default when the column was added). */
  readonly fill?: string;
}

export interface TableMeta {
  readonly id: string;
  readonly name: string;
  readonly columns: readonly ColumnDef[];
  /** Aligned with `columns`; absent until the first ALTER (then field i has id i + 1). */
  readonly fields?: readonly FieldMeta[];
  readonly nextFieldId?: number;
  readonly indexes: readonly IndexDef[];
  readonly options: Readonly<Record<string, string>>;
  readonly partition?: PartitionSpec;
  /** Storage ids of `partition.partitions` (or of the HASH/KEY partitions p0..pN-1), aligned by index. */
  readonly partitionIds?: readonly string[];
  readonly nextPartitionId?: number;
  readonly createdAt: string;
}

export interface TableState {
  readonly meta: TableMeta;
  readonly files: readonly DataFile[];
  /** Next AUTO_INCREMENT value (decimal text, since it may exceed 2^53). */
  readonly autoIncrement: string;
  readonly rowCount: number;
  readonly bytes: number;
  /** Log seq of the last change to this table. */
  readonly changedSeq: number;
  readonly changedAt: string;
  readonly dropped?: { readonly seq: number; readonly at: string };
  /**
   * VACUUM removed files that only states of this table before this seq referenced:
   * those states can no longer be read, whatever the retention period is now.
   */
  readonly vacuumedBefore?: number;
  /** VACUUM DROP TABLE removed the files of this dropped table after its retention period. */
  readonly purged?: { readonly seq: number; readonly at: string };
}

export type LogAction =
  | { readonly kind: 'createTable'; readonly table: TableMeta; readonly autoIncrement: string }
  | { readonly kind: 'dropTable'; readonly tableId: string }
  | { readonly kind: 'addFiles'; readonly tableId: string; readonly files: readonly DataFile[]; readonly autoIncrement?: string }
  | { readonly kind: 'removeFiles'; readonly tableId: string; readonly keys: readonly string[] }
  /** Brings a dropped table back, under `name` (its old one, or a new one when that was reused). */
  | { readonly kind: 'undropTable'; readonly tableId: string; readonly name: string }
  /** Removes every file and restarts AUTO_INCREMENT at the table's initial value. */
  | { readonly kind: 'truncateTable'; readonly tableId: string }
  /** A new definition (ALTER TABLE, RENAME); files keep their fields and are read through the new one. */
  | { readonly kind: 'alterTable'; readonly tableId: string; readonly table: TableMeta; readonly autoIncrement?: string }
  /**
   * VACUUM TABLE: states of the table before `beforeSeq` are no longer readable (their
   * files may be gone). Changes no rows, so concurrent writers never conflict with it.
   */
  | { readonly kind: 'vacuumTable'; readonly tableId: string; readonly beforeSeq: number }
  /** VACUUM DROP TABLE: the dropped table's files are removed; it can no longer be undropped. */
  | { readonly kind: 'purgeTable'; readonly tableId: string }
  /** CREATE [OR REPLACE] VIEW: sets the view of that name (replacing one that exists). */
  | { readonly kind: 'createView'; readonly view: ViewDef }
  | { readonly kind: 'dropView'; readonly name: string };

/**
 * A view lives in its database's log, so that it is time-travelled, backed up
 * and undropped with the database, and listed next to the tables it reads.
 */
export interface ViewDef {
  readonly name: string;
  /** The SELECT as the user wrote it (MySQL text), parsed again at every use. */
  readonly definition: string;
  /** Column names given in CREATE VIEW v (a, b) AS ...; absent when none were. */
  readonly columns?: readonly string[];
  readonly definer: string;
  readonly createdAt: string;
  /** The sql_mode flags the definition was written under (ANSI_QUOTES, ...), when any was set. */
  readonly sqlMode?: string;
}

/** The log format an entry with these actions needs. */
export function formatOf(actions: readonly LogAction[]): number {
  return actions.some((a) => a.kind === 'vacuumTable' || a.kind === 'purgeTable' || a.kind === 'createView' || a.kind === 'dropView') ? 2 : 1;
}

export interface LogEntry {
  readonly format: number;
  readonly seq: number;
  readonly timestamp: string;
  readonly user: string;
  /** What the user ran, in words: 'INSERT', 'CREATE TABLE', ... */
  readonly operation: string;
  readonly actions: readonly LogAction[];
}

export interface DatabaseState {
  readonly format: number;
  readonly seq: number;
  readonly timestamp: string;
  readonly tables: Readonly<Record<string, TableState>>;
  /** Views by lower-case name; absent in logs written before views existed. */
  readonly views?: Readonly<Record<string, ViewDef>>;
}

export function emptyDatabaseState(): DatabaseState {
  return { format: 1, seq: 0, timestamp: new Date(0).toISOString(), tables: {} };
}

/** The table's current fields with their names. */
export function tableFields(meta: TableMeta): FileField[] {
  return meta.columns.map((c, i) => ({ id: meta.fields?.[i]?.id ?? i + 1, name: c.name, type: c.type.duck }));
}

/** The fields a file was written with. */
export function fileFields(meta: TableMeta, file: DataFile): readonly FileField[] {
  return file.fields ?? tableFields(meta);
}

/** The AUTO_INCREMENT value a table starts from (its AUTO_INCREMENT= option, else 1). */
export function initialAutoIncrement(meta: TableMeta): string {
  const v = meta.options.auto_increment;
  return v !== undefined && /^[1-9]\d*$/.test(v) ? v : '1';
}

function bigMax(a: string, b: string): string {
  return BigInt(a) >= BigInt(b) ? a : b;
}

/** Applies one entry; throws when the entry does not fit the state (a corrupt or foreign log). */
export function applyEntry(state: DatabaseState, entry: LogEntry): DatabaseState {
  if (entry.seq !== state.seq + 1) throw new Error(`log entry ${entry.seq} does not follow state ${state.seq}`);
  if (entry.format > LOG_FORMAT) throw new Error(`log entry ${entry.seq} has format ${entry.format}, newer than this server (${LOG_FORMAT})`);
  const tables: Record<string, TableState> = { ...state.tables };
  const views: Record<string, ViewDef> = { ...state.views };
  const live = (id: string): TableState => {
    const t = tables[id];
    if (t === undefined || t.dropped !== undefined) throw new Error(`log entry ${entry.seq} changes unknown table ${id}`);
    return t;
  };
  for (const action of entry.actions) {
    switch (action.kind) {
      case 'createTable':
        tables[action.table.id] = {
          meta: action.table,
          files: [],
          autoIncrement: action.autoIncrement,
          rowCount: 0,
          bytes: 0,
          changedSeq: entry.seq,
          changedAt: entry.timestamp,
        };
        break;
      case 'dropTable': {
        const t = live(action.tableId);
        tables[action.tableId] = { ...t, dropped: { seq: entry.seq, at: entry.timestamp } };
        break;
      }
      case 'addFiles': {
        const t = live(action.tableId);
        tables[action.tableId] = {
          ...t,
          files: [...t.files, ...action.files],
          rowCount: t.rowCount + action.files.reduce((n, f) => n + f.rows, 0),
          bytes: t.bytes + action.files.reduce((n, f) => n + f.bytes, 0),
          autoIncrement: action.autoIncrement === undefined ? t.autoIncrement : bigMax(t.autoIncrement, action.autoIncrement),
          changedSeq: entry.seq,
          changedAt: entry.timestamp,
        };
        break;
      }
      case 'removeFiles': {
        const t = live(action.tableId);
        const gone = new Set(action.keys);
        const removed = t.files.filter((f) => gone.has(f.key));
        tables[action.tableId] = {
          ...t,
          files: t.files.filter((f) => !gone.has(f.key)),
          rowCount: t.rowCount - removed.reduce((n, f) => n + f.rows, 0),
          bytes: t.bytes - removed.reduce((n, f) => n + f.bytes, 0),
          changedSeq: entry.seq,
          changedAt: entry.timestamp,
        };
        break;
      }
      case 'alterTable': {
        const t = live(action.tableId);
        // Files from before the first ALTER learn their fields from the definition they were written with.
        const before = tableFields(t.meta);
        tables[action.tableId] = {
          ...t,
          meta: action.table,
          files: t.files.map((f) => (f.fields === undefined ? { ...f, fields: before } : f)),
          autoIncrement: action.autoIncrement ?? t.autoIncrement,
          changedSeq: entry.seq,
          changedAt: entry.timestamp,
        };
        break;
      }
      case 'undropTable': {
        const t = tables[action.tableId];
        if (t?.dropped === undefined || t.purged !== undefined) throw new Error(`log entry ${entry.seq} undrops table ${action.tableId}, which is not dropped`);
        const { dropped: _d, ...rest } = t;
        tables[action.tableId] = { ...rest, meta: { ...t.meta, name: action.name }, changedSeq: entry.seq, changedAt: entry.timestamp };
        break;
      }
      case 'vacuumTable': {
        const t = tables[action.tableId];
        if (t === undefined || action.beforeSeq > entry.seq) throw new Error(`log entry ${entry.seq} vacuums table ${action.tableId} before seq ${action.beforeSeq}`);
        tables[action.tableId] = { ...t, vacuumedBefore: Math.max(t.vacuumedBefore ?? 0, action.beforeSeq) };
        break;
      }
      case 'purgeTable': {
        const t = tables[action.tableId];
        if (t?.dropped === undefined || t.purged !== undefined) throw new Error(`log entry ${entry.seq} purges table ${action.tableId}, which is not dropped`);
        tables[action.tableId] = { ...t, files: [], rowCount: 0, bytes: 0, purged: { seq: entry.seq, at: entry.timestamp } };
        break;
      }
      case 'truncateTable': {
        const t = live(action.tableId);
        tables[action.tableId] = {
          ...t,
          files: [],
          rowCount: 0,
          bytes: 0,
          autoIncrement: initialAutoIncrement(t.meta),
          changedSeq: entry.seq,
          changedAt: entry.timestamp,
        };
        break;
      }
      case 'createView':
        views[action.view.name.toLowerCase()] = action.view;
        break;
      case 'dropView':
        if (views[action.name.toLowerCase()] === undefined) throw new Error(`log entry ${entry.seq} drops unknown view ${action.name}`);
        delete views[action.name.toLowerCase()];
        break;
      default: {
        const unknown: never = action;
        throw new Error(`log entry ${entry.seq} has an unknown action ${JSON.stringify(unknown)}`);
      }
    }
  }
  return { format: Math.max(state.format, entry.format), seq: entry.seq, timestamp: entry.timestamp, tables, ...(Object.keys(views).length === 0 ? {} : { views }) };
}

/** The table an action changes; undefined for view actions. */
export function actionTableId(a: LogAction): string | undefined {
  if (a.kind === 'createTable') return a.table.id;
  if (a.kind === 'createView' || a.kind === 'dropView') return undefined;
  return a.tableId;
}

/** Views by lower-case name. */
export function liveViews(state: DatabaseState): ReadonlyMap<string, ViewDef> {
  return new Map(Object.entries(state.views ?? {}));
}

/** Live (not dropped) tables by lower-case name. */
export function liveTables(state: DatabaseState): Map<string, TableState> {
  const byName = new Map<string, TableState>();
  for (const t of Object.values(state.tables)) {
    if (t.dropped === undefined) byName.set(t.meta.name.toLowerCase(), t);
  }
  return byName;
}
