// information_schema: MySQL's metadata tables, shaped like MySQL 8's (names,
// column order, lower-case DATA_TYPE, COLUMN_TYPE text). A query that names one
// gets it as a typed DuckDB relation built from the catalog and the
// databases' commit logs at that moment, so it joins, filters and sorts like any
// table. Only the relations a statement names are built.
import { sqlError } from '../../errors/registry.js';
import type { ColumnDef, SqlValue } from '../../sql/statement.js';
import { nameKey } from '../catalog/catalog.js';
import { formatAccount, type GrantEntry } from '../catalog/accounts.js';
import { liveTables, liveViews, type TableState, type ViewDef } from '../catalog/database-state.js';
import { duckIdent, duckString } from '../duckdb/duck-database.js';
import { partitionsOf } from '../table/partitioning.js';
import { CHARSETS, COLLATIONS } from './charsets.js';
import { defaultText, extraText, keyOf } from './column-info.js';
import type { ProcessInfo } from './process-info.js';
import type { Warehouse } from '../warehouse.js';
import { ENGINES } from './engines.js';

export const INFORMATION_SCHEMA = 'information_schema';

const S = 'VARCHAR';
const I = 'BIGINT';
const T = 'TIMESTAMP';
type DuckType = typeof S | typeof I | typeof T;
type Def = readonly (readonly [string, DuckType])[];

const names = (type: DuckType, ...cols: string[]): Def => cols.map((c) => [c, type] as const);

const DEFINITIONS = {
  SCHEMATA: [...names(S, 'CATALOG_NAME', 'SCHEMA_NAME', 'DEFAULT_CHARACTER_SET_NAME', 'DEFAULT_COLLATION_NAME', 'SQL_PATH', 'DEFAULT_ENCRYPTION')],
  TABLES: [
    ...names(S, 'TABLE_CATALOG', 'TABLE_SCHEMA', 'TABLE_NAME', 'TABLE_TYPE', 'ENGINE'),
    ...names(I, 'VERSION'),
    ...names(S, 'ROW_FORMAT'),
    ...names(I, 'TABLE_ROWS', 'AVG_ROW_LENGTH', 'DATA_LENGTH', 'MAX_DATA_LENGTH', 'INDEX_LENGTH', 'DATA_FREE', 'AUTO_INCREMENT'),
    ...names(T, 'CREATE_TIME', 'UPDATE_TIME', 'CHECK_TIME'),
    ...names(S, 'TABLE_COLLATION'),
    ...names(I, 'CHECKSUM'),
    ...names(S, 'CREATE_OPTIONS', 'TABLE_COMMENT'),
  ],
  COLUMNS: [
    ...names(S, 'TABLE_CATALOG', 'TABLE_SCHEMA', 'TABLE_NAME', 'COLUMN_NAME'),
    ...names(I, 'ORDINAL_POSITION'),
    ...names(S, 'COLUMN_DEFAULT', 'IS_NULLABLE', 'DATA_TYPE'),
    ...names(I, 'CHARACTER_MAXIMUM_LENGTH', 'CHARACTER_OCTET_LENGTH', 'NUMERIC_PRECISION', 'NUMERIC_SCALE', 'DATETIME_PRECISION'),
    ...names(S, 'CHARACTER_SET_NAME', 'COLLATION_NAME', 'COLUMN_TYPE', 'COLUMN_KEY', 'EXTRA', 'PRIVILEGES', 'COLUMN_COMMENT', 'GENERATION_EXPRESSION'),
    ...names(I, 'SRS_ID'),
  ],
  STATISTICS: [
    ...names(S, 'TABLE_CATALOG', 'TABLE_SCHEMA', 'TABLE_NAME'),
    ...names(I, 'NON_UNIQUE'),
    ...names(S, 'INDEX_SCHEMA', 'INDEX_NAME'),
    ...names(I, 'SEQ_IN_INDEX'),
    ...names(S, 'COLUMN_NAME', 'COLLATION'),
    ...names(I, 'CARDINALITY', 'SUB_PART'),
    ...names(S, 'PACKED', 'NULLABLE', 'INDEX_TYPE', 'COMMENT', 'INDEX_COMMENT', 'IS_VISIBLE', 'EXPRESSION'),
  ],
  KEY_COLUMN_USAGE: [
    ...names(S, 'CONSTRAINT_CATALOG', 'CONSTRAINT_SCHEMA', 'CONSTRAINT_NAME', 'TABLE_CATALOG', 'TABLE_SCHEMA', 'TABLE_NAME', 'COLUMN_NAME'),
    ...names(I, 'ORDINAL_POSITION', 'POSITION_IN_UNIQUE_CONSTRAINT'),
    ...names(S, 'REFERENCED_TABLE_SCHEMA', 'REFERENCED_TABLE_NAME', 'REFERENCED_COLUMN_NAME'),
  ],
  TABLE_CONSTRAINTS: names(S, 'CONSTRAINT_CATALOG', 'CONSTRAINT_SCHEMA', 'CONSTRAINT_NAME', 'TABLE_SCHEMA', 'TABLE_NAME', 'CONSTRAINT_TYPE', 'ENFORCED'),
  REFERENTIAL_CONSTRAINTS: names(
    S,
    'CONSTRAINT_CATALOG',
    'CONSTRAINT_SCHEMA',
    'CONSTRAINT_NAME',
    'UNIQUE_CONSTRAINT_CATALOG',
    'UNIQUE_CONSTRAINT_SCHEMA',
    'UNIQUE_CONSTRAINT_NAME',
    'MATCH_OPTION',
    'UPDATE_RULE',
    'DELETE_RULE',
    'TABLE_NAME',
    'REFERENCED_TABLE_NAME',
  ),
  ROUTINES: [
    ...names(S, 'SPECIFIC_NAME', 'ROUTINE_CATALOG', 'ROUTINE_SCHEMA', 'ROUTINE_NAME', 'ROUTINE_TYPE', 'DATA_TYPE'),
    ...names(I, 'CHARACTER_MAXIMUM_LENGTH', 'CHARACTER_OCTET_LENGTH', 'NUMERIC_PRECISION', 'NUMERIC_SCALE', 'DATETIME_PRECISION'),
    ...names(
      S,
      'CHARACTER_SET_NAME',
      'COLLATION_NAME',
      'DTD_IDENTIFIER',
      'ROUTINE_BODY',
      'ROUTINE_DEFINITION',
      'EXTERNAL_NAME',
      'EXTERNAL_LANGUAGE',
      'PARAMETER_STYLE',
      'IS_DETERMINISTIC',
      'SQL_DATA_ACCESS',
      'SQL_PATH',
      'SECURITY_TYPE',
    ),
    ...names(T, 'CREATED', 'LAST_ALTERED'),
    ...names(S, 'SQL_MODE', 'ROUTINE_COMMENT', 'DEFINER', 'CHARACTER_SET_CLIENT', 'COLLATION_CONNECTION', 'DATABASE_COLLATION'),
  ],
  PARAMETERS: [
    ...names(S, 'SPECIFIC_CATALOG', 'SPECIFIC_SCHEMA', 'SPECIFIC_NAME'),
    ...names(I, 'ORDINAL_POSITION'),
    ...names(S, 'PARAMETER_MODE', 'PARAMETER_NAME', 'DATA_TYPE'),
    ...names(I, 'CHARACTER_MAXIMUM_LENGTH', 'CHARACTER_OCTET_LENGTH', 'NUMERIC_PRECISION', 'NUMERIC_SCALE', 'DATETIME_PRECISION'),
    ...names(S, 'CHARACTER_SET_NAME', 'COLLATION_NAME', 'DTD_IDENTIFIER', 'ROUTINE_TYPE'),
  ],
  VIEWS: names(S, 'TABLE_CATALOG', 'TABLE_SCHEMA', 'TABLE_NAME', 'VIEW_DEFINITION', 'CHECK_OPTION', 'IS_UPDATABLE', 'DEFINER', 'SECURITY_TYPE', 'CHARACTER_SET_CLIENT', 'COLLATION_CONNECTION'),
  PARTITIONS: [
    ...names(S, 'TABLE_CATALOG', 'TABLE_SCHEMA', 'TABLE_NAME', 'PARTITION_NAME', 'SUBPARTITION_NAME'),
    ...names(I, 'PARTITION_ORDINAL_POSITION', 'SUBPARTITION_ORDINAL_POSITION'),
    ...names(S, 'PARTITION_METHOD', 'SUBPARTITION_METHOD', 'PARTITION_EXPRESSION', 'SUBPARTITION_EXPRESSION', 'PARTITION_DESCRIPTION'),
    ...names(I, 'TABLE_ROWS', 'AVG_ROW_LENGTH', 'DATA_LENGTH', 'MAX_DATA_LENGTH', 'INDEX_LENGTH', 'DATA_FREE'),
    ...names(T, 'CREATE_TIME', 'UPDATE_TIME', 'CHECK_TIME'),
    ...names(I, 'CHECKSUM'),
    ...names(S, 'PARTITION_COMMENT', 'NODEGROUP', 'TABLESPACE_NAME'),
  ],
  COLLATIONS: [...names(S, 'COLLATION_NAME', 'CHARACTER_SET_NAME'), ...names(I, 'ID'), ...names(S, 'IS_DEFAULT', 'IS_COMPILED'), ...names(I, 'SORTLEN'), ...names(S, 'PAD_ATTRIBUTE')],
  CHARACTER_SETS: [...names(S, 'CHARACTER_SET_NAME', 'DEFAULT_COLLATE_NAME', 'DESCRIPTION'), ...names(I, 'MAXLEN')],
  ENGINES: names(S, 'ENGINE', 'SUPPORT', 'COMMENT', 'TRANSACTIONS', 'XA', 'SAVEPOINTS'),
  PROCESSLIST: [...names(I, 'ID'), ...names(S, 'USER', 'HOST', 'DB', 'COMMAND'), ...names(I, 'TIME'), ...names(S, 'STATE', 'INFO')],
  USER_PRIVILEGES: names(S, 'GRANTEE', 'TABLE_CATALOG', 'PRIVILEGE_TYPE', 'IS_GRANTABLE'),
  // ducksafe has no triggers or events; mysqldump and DBeaver read these tables all the same.
  TRIGGERS: [
    ...names(S, 'TRIGGER_CATALOG', 'TRIGGER_SCHEMA', 'TRIGGER_NAME', 'EVENT_MANIPULATION', 'EVENT_OBJECT_CATALOG', 'EVENT_OBJECT_SCHEMA', 'EVENT_OBJECT_TABLE'),
    ...names(I, 'ACTION_ORDER'),
    ...names(
      S,
      'ACTION_CONDITION',
      'ACTION_STATEMENT',
      'ACTION_ORIENTATION',
      'ACTION_TIMING',
      'ACTION_REFERENCE_OLD_TABLE',
      'ACTION_REFERENCE_NEW_TABLE',
      'ACTION_REFERENCE_OLD_ROW',
      'ACTION_REFERENCE_NEW_ROW',
    ),
    ...names(T, 'CREATED'),
    ...names(S, 'SQL_MODE', 'DEFINER', 'CHARACTER_SET_CLIENT', 'COLLATION_CONNECTION', 'DATABASE_COLLATION'),
  ],
  EVENTS: [
    ...names(S, 'EVENT_CATALOG', 'EVENT_SCHEMA', 'EVENT_NAME', 'DEFINER', 'TIME_ZONE', 'EVENT_BODY', 'EVENT_DEFINITION', 'EVENT_TYPE'),
    ...names(T, 'EXECUTE_AT'),
    ...names(S, 'INTERVAL_VALUE', 'INTERVAL_FIELD', 'SQL_MODE'),
    ...names(T, 'STARTS', 'ENDS'),
    ...names(S, 'STATUS', 'ON_COMPLETION'),
    ...names(T, 'CREATED', 'LAST_ALTERED', 'LAST_EXECUTED'),
    ...names(S, 'EVENT_COMMENT'),
    ...names(I, 'ORIGINATOR'),
    ...names(S, 'CHARACTER_SET_CLIENT', 'COLLATION_CONNECTION', 'DATABASE_COLLATION'),
  ],
  SCHEMA_PRIVILEGES: names(S, 'GRANTEE', 'TABLE_CATALOG', 'TABLE_SCHEMA', 'PRIVILEGE_TYPE', 'IS_GRANTABLE'),
  TABLE_PRIVILEGES: names(S, 'GRANTEE', 'TABLE_CATALOG', 'TABLE_SCHEMA', 'TABLE_NAME', 'PRIVILEGE_TYPE', 'IS_GRANTABLE'),
  COLUMN_PRIVILEGES: names(S, 'GRANTEE', 'TABLE_CATALOG', 'TABLE_SCHEMA', 'TABLE_NAME', 'COLUMN_NAME', 'PRIVILEGE_TYPE', 'IS_GRANTABLE'),
} as const satisfies Record<string, Def>;

export type InformationSchemaTable = keyof typeof DEFINITIONS;
export const INFORMATION_SCHEMA_TABLES = Object.keys(DEFINITIONS) as InformationSchemaTable[];

type Row = readonly SqlValue[];

/** MySQL's DATETIME text (UTC) for an ISO timestamp. */
export function isoToDatetime(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, '');
}

/** A cell as JSON that DuckDB's from_json turns into the column's type as CAST would. */
function jsonCell(value: SqlValue, type: DuckType): string | number | null {
  if (value === null) return null;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  if (typeof value === 'boolean') return type === S ? String(value) : value ? 1 : 0;
  if (typeof value === 'number') return !Number.isFinite(value) ? null : type === S ? String(value) : value;
  return String(value);
}

// The rows travel as one JSON text that DuckDB parses into typed rows: binding a VALUES
// list of literals costs DuckDB per cell, some 10x more for the few hundred rows of COLUMNS.
function relation(def: Def, rows: readonly Row[]): string {
  if (rows.length === 0) return `(SELECT ${def.map(([n, t]) => `CAST(NULL AS ${t}) AS ${duckIdent(n)}`).join(', ')} LIMIT 0)`;
  const json = JSON.stringify(rows.map((r) => Object.fromEntries(def.map(([n, t], i) => [n, jsonCell(r[i] ?? null, t)]))));
  const shape = JSON.stringify([Object.fromEntries(def)]);
  return `(SELECT ${def.map(([n]) => duckIdent(n)).join(', ')} FROM (SELECT unnest(from_json(${duckString(json)}, ${duckString(shape)}), recursive := true)))`;
}

/** What the relations are built from. */
export interface SchemaSource {
  readonly warehouse: Warehouse;
  processes(): readonly ProcessInfo[];
  /** The user asking (USER_PRIVILEGES lists that user's privileges). */
  readonly user: string;
  /** SCHEMA_ and TABLE_PRIVILEGES list every account's grants (ADMIN), or only the user's own. */
  readonly seesAllGrants: boolean;
  /** A view's columns, from its query. */
  viewColumns(db: string, view: ViewDef): Promise<readonly ColumnDef[]>;
  /** What the user may see: the relations list only those databases, tables and views ([H]). */
  canSeeDatabase(db: string): boolean;
  canSeeTable(db: string, table: string): boolean;
}

export interface SchemaTable {
  readonly db: string;
  readonly table: TableState;
}

/** Every live database with its live tables, by name. */
export async function schemaObjects(
  x: SchemaSource,
): Promise<{ readonly databases: readonly string[]; readonly tables: readonly SchemaTable[]; readonly views: readonly { readonly db: string; readonly view: ViewDef }[] }> {
  const { warehouse } = x;
  await warehouse.catalog.refresh();
  const databases = warehouse.catalog
    .current()
    .databases.filter((d) => d.dropped === undefined && x.canSeeDatabase(d.name))
    .map((d) => d.name)
    .sort();
  const tables: SchemaTable[] = [];
  const views: { db: string; view: ViewDef }[] = [];
  for (const db of databases) {
    const { log } = await warehouse.databaseLog(db);
    for (const view of liveViews(log.current()).values()) if (x.canSeeTable(db, view.name)) views.push({ db, view });
    const live = [...liveTables(log.current()).values()].filter((t) => x.canSeeTable(db, t.meta.name)).sort((a, b) => (a.meta.name < b.meta.name ? -1 : 1));
    for (const table of live) tables.push({ db, table });
  }
  return { databases, tables, views };
}

const TEXT_LENGTHS: Readonly<Record<string, number>> = {
  TINYTEXT: 255,
  TEXT: 65535,
  MEDIUMTEXT: 16777215,
  LONGTEXT: 4294967295,
  TINYBLOB: 255,
  BLOB: 65535,
  MEDIUMBLOB: 16777215,
  LONGBLOB: 4294967295,
};
const INTEGER_PRECISION: Readonly<Record<string, number>> = { TINYINT: 3, SMALLINT: 5, MEDIUMINT: 7, INT: 10, BIGINT: 19 };

export function isTextual(c: ColumnDef): boolean {
  return ['CHAR', 'VARCHAR', 'TINYTEXT', 'TEXT', 'MEDIUMTEXT', 'LONGTEXT', 'ENUM', 'SET'].includes(c.type.base);
}

/** MySQL's DATA_TYPE: the type's name without length or attributes, lower-case. */
export function dataType(c: ColumnDef): string {
  return (/^[a-z]+/i.exec(c.type.mysql)?.[0] ?? c.type.base).toLowerCase();
}

/** CHARACTER_MAXIMUM_LENGTH, CHARACTER_OCTET_LENGTH, NUMERIC_PRECISION, NUMERIC_SCALE, DATETIME_PRECISION. */
function typeSizes(c: ColumnDef): [SqlValue, SqlValue, SqlValue, SqlValue, SqlValue] {
  const t = c.type;
  const textual = isTextual(c);
  const chars = (n: number): [SqlValue, SqlValue, SqlValue, SqlValue, SqlValue] => [n, textual ? n * 4 : n, null, null, null];
  if (t.base === 'CHAR' || t.base === 'VARCHAR' || t.base === 'BINARY' || t.base === 'VARBINARY') return chars(t.length ?? 1);
  const fixed = TEXT_LENGTHS[t.base];
  if (fixed !== undefined) return [fixed, fixed, null, null, null];
  if (t.base === 'ENUM' || t.base === 'SET') {
    const longest = t.base === 'SET' ? (t.values ?? []).join(',').length : Math.max(0, ...(t.values ?? []).map((v) => v.length));
    return chars(longest);
  }
  const integer = INTEGER_PRECISION[t.base];
  // The digits of the type's largest value: unsigned widens BIGINT and MEDIUMINT (16777215) by one.
  if (integer !== undefined) return [null, null, (t.base === 'BIGINT' || t.base === 'MEDIUMINT') && t.unsigned ? integer + 1 : integer, 0, null];
  if (t.base === 'BOOLEAN') return [null, null, 3, 0, null];
  if (t.base === 'DECIMAL') return [null, null, t.length ?? 10, t.scale ?? 0, null];
  if (t.base === 'FLOAT') return [null, null, 12, null, null];
  if (t.base === 'DOUBLE') return [null, null, 22, null, null];
  if (t.base === 'BIT') return [null, null, t.length ?? 1, null, null];
  if (t.base === 'DATETIME' || t.base === 'TIMESTAMP' || t.base === 'TIME') return [null, null, null, null, t.fsp ?? 0];
  return [null, null, null, null, null];
}

function indexName(idx: TableState['meta']['indexes'][number]): string {
  return idx.kind === 'primary' ? 'PRIMARY' : (idx.name ?? idx.columns[0] ?? 'key');
}

/** One row per column of each index, in MySQL's order: the primary key, unique keys, then the others. */
export function indexColumns(table: TableState): { name: string; unique: boolean; seq: number; column: string; nullable: boolean; kind: 'primary' | 'unique' | 'index' }[] {
  const rank = { primary: 0, unique: 1, index: 2 } as const;
  const out = [];
  for (const idx of [...table.meta.indexes].sort((a, b) => rank[a.kind] - rank[b.kind])) {
    for (const [i, column] of idx.columns.entries()) {
      const def = table.meta.columns.find((c) => nameKey(c.name) === nameKey(column));
      out.push({ name: indexName(idx), unique: idx.kind !== 'index', seq: i + 1, column: def?.name ?? column, nullable: def !== undefined && !def.notNull, kind: idx.kind });
    }
  }
  return out;
}

const PARTITION_METHODS = { range: 'RANGE', rangeColumns: 'RANGE COLUMNS', list: 'LIST', listColumns: 'LIST COLUMNS', hash: 'HASH', key: 'KEY' } as const;

async function rowsOf(x: SchemaSource, name: InformationSchemaTable): Promise<Row[]> {
  const COLLATION = 'utf8mb4_0900_ai_ci';
  switch (name) {
    case 'SCHEMATA': {
      const { databases } = await schemaObjects(x);
      return [INFORMATION_SCHEMA, ...databases].sort().map((d) => ['def', d, d === INFORMATION_SCHEMA ? 'utf8mb3' : 'utf8mb4', d === INFORMATION_SCHEMA ? 'utf8mb3_general_ci' : COLLATION, null, 'NO']);
    }
    case 'TABLES': {
      const { tables, views } = await schemaObjects(x);
      const rows: Row[] = tables.map(({ db, table }) => {
        const hasAuto = table.meta.columns.some((c) => c.autoIncrement);
        return [
          'def',
          db,
          table.meta.name,
          'BASE TABLE',
          'DUCKSAFE',
          10,
          'Dynamic',
          table.rowCount,
          table.rowCount === 0 ? 0 : Math.floor(table.bytes / table.rowCount),
          table.bytes,
          0,
          0,
          0,
          hasAuto ? BigInt(table.autoIncrement) : null,
          isoToDatetime(table.meta.createdAt),
          isoToDatetime(table.changedAt),
          null,
          COLLATION,
          null,
          table.meta.partition === undefined ? '' : 'partitioned',
          table.meta.options.comment ?? '',
        ];
      });
      for (const { db, view } of views) {
        rows.push(['def', db, view.name, 'VIEW', null, null, null, null, null, null, null, null, null, null, isoToDatetime(view.createdAt), null, null, null, null, null, 'VIEW']);
      }
      for (const t of INFORMATION_SCHEMA_TABLES) {
        rows.push(['def', INFORMATION_SCHEMA, t, 'SYSTEM VIEW', null, 10, null, null, null, null, null, null, null, null, null, null, null, null, null, '', '']);
      }
      return rows;
    }
    case 'COLUMNS': {
      const { tables, views } = await schemaObjects(x);
      const rows: Row[] = [];
      const described: { db: string; name: string; columns: readonly ColumnDef[]; table?: TableState }[] = tables.map(({ db, table }) => ({ db, name: table.meta.name, columns: table.meta.columns, table }));
      for (const { db, view } of views) {
        // A view whose tables are gone has no columns to list, as in MySQL (which warns instead).
        const columns = await x.viewColumns(db, view).catch(() => []);
        described.push({ db, name: view.name, columns });
      }
      described.sort((a, b) => (a.db === b.db ? (a.name < b.name ? -1 : 1) : a.db < b.db ? -1 : 1));
      for (const { db, name: tableName, columns, table } of described) {
        for (const [i, c] of columns.entries()) {
          const textual = isTextual(c);
          rows.push([
            'def',
            db,
            tableName,
            c.name,
            i + 1,
            ((): SqlValue => {
              const d = defaultText(c);
              return d instanceof Uint8Array ? Buffer.from(d).toString() : d;
            })(),
            c.notNull ? 'NO' : 'YES',
            dataType(c),
            ...typeSizes(c),
            textual ? 'utf8mb4' : null,
            textual ? COLLATION : null,
            c.type.mysql,
            table === undefined ? '' : keyOf(table, c),
            extraText(c),
            'select,insert,update,references',
            c.comment ?? '',
            '',
            null,
          ]);
        }
      }
      for (const [t, def] of Object.entries(DEFINITIONS)) {
        for (const [i, [col, type]] of def.entries()) {
          const text = type === S;
          rows.push(['def', INFORMATION_SCHEMA, t, col, i + 1, null, 'YES', text ? 'varchar' : type === I ? 'bigint' : 'datetime', text ? 64 : null, text ? 192 : null, type === I ? 20 : null, type === I ? 0 : null, type === T ? 0 : null, text ? 'utf8mb3' : null, text ? 'utf8mb3_general_ci' : null, text ? 'varchar(64)' : type === I ? 'bigint unsigned' : 'datetime', '', '', 'select', '', '', null]);
        }
      }
      return rows;
    }
    case 'STATISTICS': {
      const { tables } = await schemaObjects(x);
      return tables.flatMap(({ db, table }) =>
        indexColumns(table).map((k): Row => ['def', db, table.meta.name, k.unique ? 0 : 1, db, k.name, k.seq, k.column, 'A', k.unique ? table.rowCount : null, null, null, k.nullable ? 'YES' : '', 'BTREE', '', '', 'YES', null]),
      );
    }
    case 'KEY_COLUMN_USAGE': {
      const { tables } = await schemaObjects(x);
      return tables.flatMap(({ db, table }) =>
        indexColumns(table)
          .filter((k) => k.unique)
          .map((k): Row => ['def', db, k.name, 'def', db, table.meta.name, k.column, k.seq, null, null, null, null]),
      );
    }
    case 'TABLE_CONSTRAINTS': {
      const { tables } = await schemaObjects(x);
      return tables.flatMap(({ db, table }) =>
        indexColumns(table)
          .filter((k) => k.unique && k.seq === 1)
          .map((k): Row => ['def', db, k.name, db, table.meta.name, k.kind === 'primary' ? 'PRIMARY KEY' : 'UNIQUE', 'YES']),
      );
    }
    case 'VIEWS': {
      const { views } = await schemaObjects(x);
      return views.map(({ db, view }) => ['def', db, view.name, view.definition, 'NONE', 'NO', view.definer, 'DEFINER', 'utf8mb4', 'utf8mb4_0900_ai_ci']);
    }
    // No foreign keys and no stored routines exist: these are always empty.
    case 'REFERENTIAL_CONSTRAINTS':
    case 'ROUTINES':
    case 'TRIGGERS':
    case 'EVENTS':
    case 'PARAMETERS':
      return [];
    case 'PARTITIONS': {
      const { tables } = await schemaObjects(x);
      const rows: Row[] = [];
      for (const { db, table } of tables) {
        const spec = table.meta.partition;
        const created = isoToDatetime(table.meta.createdAt);
        const updated = isoToDatetime(table.changedAt);
        if (spec === undefined) {
          rows.push(['def', db, table.meta.name, null, null, null, null, null, null, null, null, null, table.rowCount, table.rowCount === 0 ? 0 : Math.floor(table.bytes / table.rowCount), table.bytes, 0, 0, 0, created, updated, null, null, '', null, null]);
          continue;
        }
        const expression = spec.kind === 'rangeColumns' || spec.kind === 'listColumns' || spec.kind === 'key' ? spec.columns.map((c) => `\`${c}\``).join(',') : spec.expression;
        for (const [i, p] of partitionsOf(table.meta).entries()) {
          const files = table.files.filter((f) => f.partition === p.id);
          const count = files.reduce((n, f) => n + f.rows, 0);
          const bytes = files.reduce((n, f) => n + f.bytes, 0);
          const bound = spec.partitions[i]?.values;
          const description = spec.kind === 'hash' || spec.kind === 'key' || bound === undefined ? null : bound === 'MAXVALUE' ? 'MAXVALUE' : bound.map((v) => (typeof v === 'string' ? `'${v}'` : v instanceof Uint8Array ? `0x${Buffer.from(v).toString('hex')}` : String(v))).join(',');
          rows.push(['def', db, table.meta.name, p.name, null, i + 1, null, PARTITION_METHODS[spec.kind], null, expression, null, description, count, count === 0 ? 0 : Math.floor(bytes / count), bytes, 0, 0, 0, created, updated, null, null, '', 'default', null]);
        }
      }
      return rows;
    }
    case 'COLLATIONS':
      return COLLATIONS.map((c) => [c.name, c.charset, c.id, c.isDefault ? 'Yes' : '', 'Yes', c.sortlen, c.padAttribute]);
    case 'CHARACTER_SETS':
      return CHARSETS.map((c) => [c.name, c.defaultCollation, c.description, c.maxlen]);
    case 'ENGINES':
      return ENGINES.map((e) => [e.engine, e.support, e.comment, e.transactions, e.xa, e.savepoints]);
    case 'PROCESSLIST':
      return x.processes().map((p) => [p.id, p.user, p.host, p.db, p.command, p.time, p.state, p.info]);
    case 'USER_PRIVILEGES':
      return x.user === 'root' ? [[`'root'@'%'`, 'def', 'ALL PRIVILEGES', 'YES']] : [];
    case 'SCHEMA_PRIVILEGES':
      return grantRows(x, (g) => g.db !== undefined && g.table === undefined).map(({ grantee, grant, privilege }) => [grantee, 'def', grant.db ?? '', privilege, 'NO']);
    case 'TABLE_PRIVILEGES':
      return grantRows(x, (g) => g.db !== undefined && g.table !== undefined).map(({ grantee, grant, privilege }) => [grantee, 'def', grant.db ?? '', grant.table ?? '', privilege, 'NO']);
    // Privileges are granted on databases and tables, never on single columns.
    case 'COLUMN_PRIVILEGES':
      return [];
    default: {
      const never: never = name;
      return never;
    }
  }
}

const MYSQL_TYPES: Readonly<Record<DuckType, string>> = { VARCHAR: 'varchar(64)', BIGINT: 'bigint unsigned', TIMESTAMP: 'datetime' };

/** The columns of `information_schema.<name>` as SHOW COLUMNS lists them (name, MySQL type), or ER_UNKNOWN_TABLE. */
export function informationSchemaColumns(name: string): readonly { readonly name: string; readonly type: string }[] {
  const table = INFORMATION_SCHEMA_TABLES.find((t) => t === name.toUpperCase());
  if (table === undefined) throw sqlError('ER_UNKNOWN_TABLE', `Unknown table '${name}' in information_schema`);
  return DEFINITIONS[table].map(([column, type]) => ({ name: column, type: MYSQL_TYPES[type] }));
}

/** One row per privilege of the grants `pick` selects, of the accounts the user may see. */
function grantRows(x: SchemaSource, pick: (g: GrantEntry) => boolean): { readonly grantee: string; readonly grant: GrantEntry; readonly privilege: string }[] {
  return x.warehouse.catalog
    .accounts()
    .filter((a) => x.seesAllGrants || a.user === x.user)
    .flatMap((a) => a.grants.filter(pick).flatMap((grant) => grant.privileges.map((privilege) => ({ grantee: formatAccount(a), grant, privilege }))));
}

/** The DuckDB relation `information_schema.<name>` reads, or ER_UNKNOWN_TABLE. */
export async function informationSchemaRelation(x: SchemaSource, name: string): Promise<string> {
  const table = INFORMATION_SCHEMA_TABLES.find((t) => t === name.toUpperCase());
  if (table === undefined) throw sqlError('ER_UNKNOWN_TABLE', `Unknown table '${name}' in information_schema`);
  return relation(DEFINITIONS[table], await rowsOf(x, table));
}
