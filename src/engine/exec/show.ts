// SHOW and DESCRIBE: result sets computed from the catalog and the session, with
// MySQL's column names, filtered by LIKE (on the first column) or by WHERE (over
// the output columns, evaluated by DuckDB like any other expression).
import type { ColumnDef, ObjectName, PartitionSpec, ShowFilter, ShowStatement, SqlValue } from '../../sql/statement.js';
import type { RowsResult, WireValue } from '../../server/query-handler.js';
import { liveTables, liveViews, type TableState } from '../catalog/database-state.js';
import { maskedConnection, type Location } from '../catalog/locations.js';
import { currentDatabase, type ExecContext } from './context.js';
import { staticRows, textColumn, wireText } from './results.js';
import { partitionsOf } from '../table/partitioning.js';
import { filtered } from './show-filter.js';
import { showCharset, showCollation, showEngines, showIndex, showPlugins, showPrivileges, showProcesslist, showStatus, showTableStatus } from './show-metadata.js';
import { defaultText, extraText, keyOf } from './column-info.js';
import { showCreateView, tableOrView } from './views.js';
import { dropExpired, RETENTION_OPTION, retentionHours } from '../retention.js';
import { stamp } from './ddl.js';
import { canSeeDatabase, canSeeTable } from '../privileges.js';
import { showGrants } from './users.js';
import { nameKey } from '../catalog/catalog.js';
import { INFORMATION_SCHEMA, INFORMATION_SCHEMA_TABLES, informationSchemaColumns } from './information-schema.js';

export async function show(x: ExecContext, stmt: ShowStatement): Promise<RowsResult> {
  const { warehouse } = x.core;
  switch (stmt.kind) {
    case 'databases': {
      await warehouse.catalog.refresh();
      const names = warehouse.catalog
        .current()
        .databases.filter((d) => d.dropped === undefined && canSeeDatabase(x.session, d.name))
        .map((d) => d.name)
        // information_schema is every account's, as in MySQL (SQLAlchemy's get_schema_names reads this list).
        .concat(INFORMATION_SCHEMA)
        .sort();
      return filtered(
        x,
        [textColumn(stmt.filter?.kind === 'like' ? `Database (${stmt.filter.pattern})` : 'Database', { table: 'SCHEMATA' })],
        names.map((n) => [n]),
        stmt.filter,
      );
    }
    case 'tables': {
      const dbName = currentDatabase(x, stmt.db);
      if (nameKey(dbName) === INFORMATION_SCHEMA) return showSchemaTables(x, stmt);
      const { db, log } = await warehouse.databaseLog(dbName);
      const external = warehouse.catalog.externalTables(db.id).filter((t) => t.dropped === undefined);
      const tables = [...liveTables(log.current()).values()].map((t): [string, string] => [t.meta.name, 'BASE TABLE']);
      const externals = external.map((t): [string, string] => [t.name, 'BASE TABLE']);
      const views = [...liveViews(log.current()).values()].map((v): [string, string] => [v.name, 'VIEW']);
      const listed = [...tables, ...externals, ...views]
        .filter(([n]) => canSeeTable(x.session, db.name, n))
        .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      const columns = [textColumn(`Tables_in_${db.name}${stmt.filter?.kind === 'like' ? ` (${stmt.filter.pattern})` : ''}`, { table: 'TABLES' })];
      if (stmt.full) columns.push(textColumn('Table_type', { table: 'TABLES' }));
      return filtered(
        x,
        columns,
        listed.map(([n, type]) => (stmt.full ? [n, type] : [n])),
        stmt.filter,
      );
    }
    case 'columns':
      return describeTable(x, stmt.table, stmt.full, stmt.filter);
    case 'variables': {
      const rows = x.core.variables.all(x.session, stmt.scope).map(([name, value]) => [name, wireText(value)]);
      return filtered(x, [textColumn('Variable_name'), textColumn('Value')], rows, stmt.filter);
    }
    case 'warnings':
    case 'errors': {
      const list = x.session.warnings.filter((w) => stmt.kind === 'warnings' || w.level === 'Error');
      if (stmt.count) {
        return staticRows([textColumn(`@@session.${stmt.kind === 'warnings' ? 'warning' : 'error'}_count`)], [[String(list.length)]]);
      }
      const limited = stmt.limit === undefined ? list : list.slice(0, stmt.limit);
      return staticRows(
        [textColumn('Level'), { ...textColumn('Code'), type: 'LONG', binary: true, length: 4 }, textColumn('Message')],
        limited.map((w) => [w.level, String(w.code), w.message]),
      );
    }
    case 'createTable': {
      const dbName = currentDatabase(x, stmt.table.db);
      const found = await tableOrView(x, dbName, stmt.table.name);
      // SHOW CREATE TABLE of a view answers as SHOW CREATE VIEW, as in MySQL.
      if (found.kind === 'view') return showCreateView(x, stmt.table);
      const { table, external } = found;
      return staticRows([textColumn('Table'), textColumn('Create Table', { length: 1024 })], [[table.meta.name, showCreateTable(table, external?.location)]]);
    }
    case 'createView':
      return showCreateView(x, stmt.view);
    case 'createDatabase': {
      const db = await warehouse.database(stmt.db);
      const text = `CREATE DATABASE ${stmt.ifNotExists ? '/*!32312 IF NOT EXISTS*/ ' : ''}${quoteName(db.name)} /*!40100 DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_ai_ci */ /*!80016 DEFAULT ENCRYPTION='N' */`;
      return staticRows([textColumn('Database'), textColumn('Create Database', { length: 1024 })], [[db.name, text]]);
    }
    case 'dropTables': {
      const dbName = currentDatabase(x, stmt.db);
      const { db, log } = await warehouse.databaseLog(dbName);
      const now = x.core.now();
      // Only what UNDROP can still bring back: not purged, not past its retention period.
      const dropped: { at: string; row: WireValue[] }[] = Object.values(log.current().tables)
        .filter((t) => t.dropped !== undefined && t.purged === undefined && !dropExpired(t.dropped.at, retentionHours(t.meta, x.core.retention), now))
        .map((t) => ({ at: t.dropped?.at ?? '', row: [t.meta.name, 'BASE TABLE', db.name, 'default', 'DUCKSAFE', stamp(t.meta.createdAt), stamp(t.dropped?.at ?? ''), String(t.rowCount), String(t.bytes)] }));
      // External tables ([E]): their sizes are in their own logs, which are not opened for this list.
      for (const t of warehouse.catalog.externalTables(db.id)) {
        if (t.dropped !== undefined) dropped.push({ at: t.dropped.at, row: [t.name, 'BASE TABLE', db.name, 'default', 'DUCKSAFE', stamp(t.createdAt), stamp(t.dropped.at), null, null] });
      }
      dropped.sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
      const names = ['tables', 'table_type', 'database', 'catalog', 'engine', 'create_time', 'drop_time', 'num_rows', 'data_size'];
      return filtered(
        x,
        names.map((n) => textColumn(n)),
        dropped.map((d): WireValue[] => d.row),
        stmt.filter,
      );
    }
    case 'grants':
      return showGrants(x, stmt.user);
    case 'partitions': {
      const dbName = currentDatabase(x, stmt.table.db);
      const { table } = await warehouse.table(dbName, stmt.table.name);
      return showPartitions(table);
    }
    case 'index':
      return showIndex(x, stmt.table, stmt.filter);
    case 'tableStatus':
      return showTableStatus(x, stmt.db, stmt.filter);
    case 'status':
      return showStatus(x, stmt.filter);
    case 'engines':
      return showEngines();
    case 'processlist':
      return showProcesslist(x);
    case 'plugins':
      return showPlugins();
    case 'privileges':
      return showPrivileges();
    case 'charset':
      return showCharset(x, stmt.filter);
    case 'collation':
      return showCollation(x, stmt.filter);
    default: {
      const never: never = stmt;
      throw new Error(`unhandled SHOW ${JSON.stringify(never)}`);
    }
  }
}

/** SHOW [FULL] TABLES in information_schema: its system views, as MySQL lists them. */
async function showSchemaTables(x: ExecContext, stmt: Extract<ShowStatement, { kind: 'tables' }>): Promise<RowsResult> {
  const columns = [textColumn(`Tables_in_${INFORMATION_SCHEMA}${stmt.filter?.kind === 'like' ? ` (${stmt.filter.pattern})` : ''}`, { table: 'TABLES' })];
  if (stmt.full) columns.push(textColumn('Table_type', { table: 'TABLES' }));
  const rows = [...INFORMATION_SCHEMA_TABLES].sort().map((t) => (stmt.full ? [t, 'SYSTEM VIEW'] : [t]));
  return filtered(x, columns, rows, stmt.filter);
}

export async function describeTable(x: ExecContext, name: ObjectName, full: boolean, filter?: ShowFilter): Promise<RowsResult> {
  const dbName = currentDatabase(x, name.db);
  if (nameKey(dbName) === INFORMATION_SCHEMA) {
    const described = informationSchemaColumns(name.name).map((c): WireValue[] =>
      full ? [c.name, c.type, c.type === 'varchar(64)' ? 'utf8mb3_general_ci' : null, 'YES', '', null, '', 'select', ''] : [c.name, c.type, 'YES', '', null, ''],
    );
    const names = full ? ['Field', 'Type', 'Collation', 'Null', 'Key', 'Default', 'Extra', 'Privileges', 'Comment'] : ['Field', 'Type', 'Null', 'Key', 'Default', 'Extra'];
    return filtered(
      x,
      names.map((n) => textColumn(n, { table: 'COLUMNS' })),
      described,
      filter,
    );
  }
  const found = await tableOrView(x, dbName, name.name);
  const table = found.kind === 'table' ? found.table : undefined;
  const defs = found.kind === 'table' ? found.table.meta.columns : found.columns;
  const columns = full
    ? ['Field', 'Type', 'Collation', 'Null', 'Key', 'Default', 'Extra', 'Privileges', 'Comment']
    : ['Field', 'Type', 'Null', 'Key', 'Default', 'Extra'];
  const textual = (c: ColumnDef): boolean => c.type.duck === 'VARCHAR' && c.type.base !== 'JSON';
  const rows = defs.map((c): WireValue[] => {
    const base: WireValue[] = [c.name, c.type.mysql];
    if (full) base.push(textual(c) ? 'utf8mb4_0900_ai_ci' : null);
    base.push(c.notNull ? 'NO' : 'YES', table === undefined ? '' : keyOf(table, c), defaultText(c), extraText(c));
    if (full) base.push('select,insert,update,references', c.comment ?? '');
    return base;
  });
  return filtered(
    x,
    columns.map((n) => textColumn(n, { table: 'COLUMNS' })),
    rows,
    filter,
  );
}

function quoteName(name: string): string {
  return '`' + name.replace(/`/g, '``') + '`';
}

function quoteText(text: string): string {
  return "'" + text.replace(/\\/g, '\\\\').replace(/'/g, "''") + "'";
}

const NO_IMPLICIT_DEFAULT = new Set(['TINYTEXT', 'TEXT', 'MEDIUMTEXT', 'LONGTEXT', 'TINYBLOB', 'BLOB', 'MEDIUMBLOB', 'LONGBLOB', 'JSON']);

/** A numeric default as MySQL prints it for a DECIMAL(p,s) column: with s digits. */
function decimalText(value: string, scale: number): string {
  const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(value);
  if (m === null || scale <= 0) return value;
  return `${m[1] ?? ''}${m[2] === '' ? '0' : (m[2] ?? '0')}.${(m[3] ?? '').padEnd(scale, '0').slice(0, scale)}`;
}

function defaultClause(c: ColumnDef): string {
  if (c.default === undefined) return c.notNull || c.autoIncrement || NO_IMPLICIT_DEFAULT.has(c.type.base) ? '' : ' DEFAULT NULL';
  if (c.default.kind === 'expression') return ` DEFAULT ${c.default.mysql}`;
  const v = c.default.value;
  if (v === null) return ' DEFAULT NULL';
  if (typeof v === 'boolean') return ` DEFAULT '${v ? 1 : 0}'`;
  if (v instanceof Uint8Array) return ` DEFAULT 0x${Buffer.from(v).toString('hex')}`;
  if (c.type.base === 'DECIMAL') return ` DEFAULT ${quoteText(decimalText(String(v), c.type.scale ?? 0))}`;
  return ` DEFAULT ${quoteText(String(v))}`;
}

/**
 * The table in MySQL 8's SHOW CREATE TABLE form (clients parse columns and keys from it);
 * an external table's location and CONNECTION follow the column list, credentials masked.
 */
export function showCreateTable(table: TableState, location?: Location): string {
  const meta = table.meta;
  const lines = meta.columns.map((c) => {
    const parts = [`  ${quoteName(c.name)} ${c.type.mysql}`];
    if (c.notNull) parts.push(' NOT NULL');
    if (c.autoIncrement) parts.push(' AUTO_INCREMENT');
    else parts.push(defaultClause(c));
    if (c.onUpdateCurrentTimestamp) parts.push(' ON UPDATE CURRENT_TIMESTAMP');
    if (c.comment !== undefined && c.comment !== '') parts.push(` COMMENT ${quoteText(c.comment)}`);
    return parts.join('');
  });
  // MySQL lists the primary key first, then unique keys, then the others.
  const rank = { primary: 0, unique: 1, index: 2 } as const;
  for (const idx of [...meta.indexes].sort((a, b) => rank[a.kind] - rank[b.kind])) {
    const cols = idx.columns.map(quoteName).join(',');
    if (idx.kind === 'primary') lines.push(`  PRIMARY KEY (${cols})`);
    else lines.push(`  ${idx.kind === 'unique' ? 'UNIQUE KEY' : 'KEY'} ${quoteName(idx.name ?? idx.columns[0] ?? 'key')} (${cols})`);
  }
  const options = ['ENGINE=DUCKSAFE'];
  const hasAuto = meta.columns.some((c) => c.autoIncrement);
  if (hasAuto && BigInt(table.autoIncrement) > 1n) options.push(`AUTO_INCREMENT=${table.autoIncrement}`);
  options.push('DEFAULT CHARSET=utf8mb4', 'COLLATE=utf8mb4_0900_ai_ci');
  const retention = meta.options[RETENTION_OPTION];
  if (retention !== undefined) options.push(`${RETENTION_OPTION}=${retention}`);
  const comment = meta.options.comment;
  if (comment !== undefined && comment !== '') options.push(`COMMENT=${quoteText(comment)}`);
  const where = location === undefined ? '' : `${quoteText(location.url)} ${maskedConnection(location.connection)}`.trimEnd() + ' ';
  return `CREATE TABLE ${quoteName(meta.name)} (\n${lines.join(',\n')}\n) ${where}${options.join(' ')}${partitionClause(meta)}`;
}

/** The partitioning as MySQL 8 prints it after the table options, inside a versioned comment. */
function partitionClause(meta: TableState['meta']): string {
  const spec = meta.partition;
  if (spec === undefined) return '';
  const cols = spec.columns.map(quoteName).join(',');
  // MySQL prints column names inside the partitioning expression backquoted.
  const names = new Map(meta.columns.map((c) => [c.name.toLowerCase(), c.name]));
  const expression = spec.expression.replace(/`?\b([A-Za-z_][A-Za-z0-9_$]*)\b`?(?!\s*\()/g, (word: string, id: string) => {
    const column = names.get(id.toLowerCase());
    return column === undefined ? word : quoteName(column);
  });
  const value = (v: SqlValue): string => (typeof v === 'string' ? quoteText(v) : v === null ? 'NULL' : v instanceof Uint8Array ? `0x${Buffer.from(v).toString('hex')}` : String(v));
  const list = (vs: readonly SqlValue[] | 'MAXVALUE', parens: boolean): string => (vs === 'MAXVALUE' ? (parens ? '(MAXVALUE)' : 'MAXVALUE') : `(${vs.map(value).join(',')})`);
  const parts = (render: (p: PartitionSpec['partitions'][number]) => string): string =>
    `\n(${spec.partitions.map((p) => ` PARTITION ${quoteName(p.name)} ${render(p)} ENGINE = DUCKSAFE`).join(',\n').trimStart()})`;
  switch (spec.kind) {
    case 'range':
      return `\n/*!50100 PARTITION BY RANGE (${expression})${parts((p) => `VALUES LESS THAN ${list(p.values, false)}`)} */`;
    case 'rangeColumns':
      return `\n/*!50500 PARTITION BY RANGE  COLUMNS(${cols})${parts((p) => `VALUES LESS THAN ${list(p.values, true)}`)} */`;
    case 'list':
      return `\n/*!50100 PARTITION BY LIST (${expression})${parts((p) => `VALUES IN ${list(p.values, true)}`)} */`;
    case 'listColumns':
      return `\n/*!50500 PARTITION BY LIST  COLUMNS(${cols})${parts((p) => `VALUES IN ${list(p.values, true)}`)} */`;
    case 'hash':
      return `\n/*!50100 PARTITION BY HASH (${expression})\nPARTITIONS ${spec.count ?? spec.partitions.length} */`;
    case 'key':
      return `\n/*!50100 PARTITION BY KEY (${cols})\nPARTITIONS ${spec.count ?? spec.partitions.length} */`;
    default: {
      const never: never = spec.kind;
      return String(never);
    }
  }
}

/** Doris's SHOW PARTITIONS columns, in Doris's order (tools read them by position). */
const PARTITION_COLUMNS = [
  'PartitionId',
  'PartitionName',
  'VisibleVersion',
  'VisibleVersionTime',
  'State',
  'PartitionKey',
  'Range',
  'DistributionKey',
  'Buckets',
  'ReplicationNum',
  'StorageMedium',
  'CooldownTime',
  'RemoteStoragePolicy',
  'LastConsistencyCheckTime',
  'DataSize',
  'IsInMemory',
  'ReplicaAllocation',
  'IsMutable',
  'SyncWithBaseTables',
  'UnsyncTables',
  'CommittedVersion',
  'RowCount',
] as const;

/** Sizes as Doris prints them: '1.234 MB'. */
function dataSize(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${bytes}.000 B` : `${v.toFixed(3)} ${units[u] ?? 'B'}`;
}

function showPartitions(table: TableState): RowsResult {
  const time = (iso: string): string => iso.replace('T', ' ').replace(/\.\d+Z$/, '').replace(/Z$/, '');
  const spec = table.meta.partition;
  const key = spec === undefined ? '' : spec.columns.length > 0 && spec.kind !== 'range' && spec.kind !== 'hash' ? spec.columns.join(', ') : spec.expression;
  const rows = partitionsOf(table.meta).map((p, i): WireValue[] => {
    const files = table.files.filter((f) => f.partition === p.id);
    const bytes = files.reduce((n, f) => n + f.bytes, 0);
    const count = files.reduce((n, f) => n + f.rows, 0);
    const version = String(table.changedSeq);
    return [
      String(i + 1),
      p.name,
      version,
      time(table.changedAt),
      'NORMAL',
      key,
      p.description,
      'ALL',
      '1',
      '1',
      'HDD',
      '9999-12-31 23:59:59',
      '',
      null,
      dataSize(bytes),
      'false',
      'tag.location.default: 1',
      'true',
      'true',
      null,
      version,
      String(count),
    ];
  });
  return staticRows(
    PARTITION_COLUMNS.map((n) => textColumn(n)),
    rows,
  );
}
