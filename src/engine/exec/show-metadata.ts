// SHOW statements about the server's objects and state that MySQL clients and
// BI tools send at connect time: INDEX/KEYS, TABLE STATUS, ENGINES, CHARSET,
// COLLATION, PROCESSLIST, STATUS, GRANTS, PLUGINS, PRIVILEGES. Column names and
// order are MySQL 8's; tools read several of them by position.
import type { ObjectName, ShowFilter } from '../../sql/statement.js';
import type { ResultColumn, RowsResult, WireValue } from '../../server/query-handler.js';
import { liveTables } from '../catalog/database-state.js';
import { CHARSETS, COLLATIONS } from './charsets.js';
import { currentDatabase, type ExecContext } from './context.js';
import { ENGINES } from './engines.js';
import { indexColumns, isoToDatetime } from './information-schema.js';
import { intColumn, staticRows, textColumn } from './results.js';
import { filtered } from './show-filter.js';

const str = (v: number | bigint | null): WireValue => (v === null ? null : String(v));

/** SHOW INDEX: 15 columns, and a result set even for a table without keys (ODBC needs one). */
export async function showIndex(x: ExecContext, name: ObjectName, filter: ShowFilter | undefined): Promise<RowsResult> {
  const { table } = await x.core.warehouse.table(currentDatabase(x, name.db), name.name);
  const ints = new Set(['Non_unique', 'Seq_in_index', 'Cardinality', 'Sub_part']);
  const columns = ['Table', 'Non_unique', 'Key_name', 'Seq_in_index', 'Column_name', 'Collation', 'Cardinality', 'Sub_part', 'Packed', 'Null', 'Index_type', 'Comment', 'Index_comment', 'Visible', 'Expression'].map(
    (n): ResultColumn => (ints.has(n) ? intColumn(n) : textColumn(n, { table: 'STATISTICS' })),
  );
  const rows = indexColumns(table).map((k): WireValue[] => [
    table.meta.name,
    k.unique ? '0' : '1',
    k.name,
    String(k.seq),
    k.column,
    'A',
    k.unique ? String(table.rowCount) : null,
    null,
    null,
    k.nullable ? 'YES' : '',
    'BTREE',
    '',
    '',
    'YES',
    null,
  ]);
  return filtered(x, columns, rows, filter);
}

export async function showTableStatus(x: ExecContext, dbName: string | undefined, filter: ShowFilter | undefined): Promise<RowsResult> {
  const { log } = await x.core.warehouse.databaseLog(currentDatabase(x, dbName));
  const ints = new Set(['Version', 'Rows', 'Avg_row_length', 'Data_length', 'Max_data_length', 'Index_length', 'Data_free', 'Auto_increment', 'Checksum']);
  const names = ['Name', 'Engine', 'Version', 'Row_format', 'Rows', 'Avg_row_length', 'Data_length', 'Max_data_length', 'Index_length', 'Data_free', 'Auto_increment', 'Create_time', 'Update_time', 'Check_time', 'Collation', 'Checksum', 'Create_options', 'Comment'];
  const columns = names.map((n) => (ints.has(n) ? intColumn(n) : textColumn(n, { table: 'TABLES' })));
  const tables = [...liveTables(log.current()).values()].sort((a, b) => (a.meta.name < b.meta.name ? -1 : 1));
  const rows = tables.map((t): WireValue[] => [
    t.meta.name,
    'DUCKSAFE',
    '10',
    'Dynamic',
    String(t.rowCount),
    String(t.rowCount === 0 ? 0 : Math.floor(t.bytes / t.rowCount)),
    String(t.bytes),
    '0',
    '0',
    '0',
    t.meta.columns.some((c) => c.autoIncrement) ? t.autoIncrement : null,
    isoToDatetime(t.meta.createdAt),
    isoToDatetime(t.changedAt),
    null,
    'utf8mb4_0900_ai_ci',
    null,
    t.meta.partition === undefined ? '' : 'partitioned',
    t.meta.options.comment ?? '',
  ]);
  return filtered(x, columns, rows, filter);
}

export function showEngines(): RowsResult {
  return staticRows(
    ['Engine', 'Support', 'Comment', 'Transactions', 'XA', 'Savepoints'].map((n) => textColumn(n, { table: 'ENGINES' })),
    ENGINES.map((e) => [e.engine, e.support, e.comment, e.transactions, e.xa, e.savepoints]),
  );
}

export function showCharset(x: ExecContext, filter: ShowFilter | undefined): Promise<RowsResult> {
  const columns = [...['Charset', 'Description', 'Default collation'].map((n) => textColumn(n, { table: 'CHARACTER_SETS' })), intColumn('Maxlen')];
  return filtered(
    x,
    columns,
    CHARSETS.map((c) => [c.name, c.description, c.defaultCollation, String(c.maxlen)]),
    filter,
  );
}

export function showCollation(x: ExecContext, filter: ShowFilter | undefined): Promise<RowsResult> {
  const columns = [
    textColumn('Collation', { table: 'COLLATIONS' }),
    textColumn('Charset', { table: 'COLLATIONS' }),
    intColumn('Id'),
    textColumn('Default', { table: 'COLLATIONS' }),
    textColumn('Compiled', { table: 'COLLATIONS' }),
    intColumn('Sortlen'),
    textColumn('Pad_attribute', { table: 'COLLATIONS' }),
  ];
  const sorted = [...COLLATIONS].sort((a, b) => (a.name < b.name ? -1 : 1));
  return filtered(
    x,
    columns,
    sorted.map((c) => [c.name, c.charset, String(c.id), c.isDefault ? 'Yes' : '', 'Yes', String(c.sortlen), c.padAttribute]),
    filter,
  );
}

export function showProcesslist(x: ExecContext): RowsResult {
  const columns = [intColumn('Id'), ...['User', 'Host', 'db', 'Command'].map((n) => textColumn(n)), intColumn('Time'), textColumn('State'), textColumn('Info')];
  const list = [...x.core.processes()].sort((a, b) => a.id - b.id);
  return staticRows(
    columns,
    list.map((p) => [String(p.id), p.user, p.host, p.db, p.command, String(p.time), p.state, p.info]),
  );
}

export function showStatus(x: ExecContext, filter: ShowFilter | undefined): Promise<RowsResult> {
  const rows = x.core
    .status()
    .map(([n, v]): WireValue[] => [n, str(v)])
    .sort((a, b) => ((a[0] ?? '') < (b[0] ?? '') ? -1 : 1));
  return filtered(x, [textColumn('Variable_name'), textColumn('Value')], rows, filter);
}

/** SHOW GRANTS [FOR user]: root is the only account and holds every privilege. */
export function showPlugins(): RowsResult {
  const plugins = [
    ['mysql_native_password', 'ACTIVE', 'AUTHENTICATION', null, 'GPL'],
    ['caching_sha2_password', 'ACTIVE', 'AUTHENTICATION', null, 'GPL'],
    ['DUCKSAFE', 'ACTIVE', 'STORAGE ENGINE', null, 'GPL'],
    ['InnoDB', 'ACTIVE', 'STORAGE ENGINE', null, 'GPL'],
  ];
  return staticRows(
    ['Name', 'Status', 'Type', 'Library', 'License'].map((n) => textColumn(n, { table: 'PLUGINS' })),
    plugins,
  );
}

export function showPrivileges(): RowsResult {
  const privileges = [
    ['Alter', 'Tables', 'To alter the table'],
    ['Create', 'Databases,Tables,Indexes', 'To create new databases and tables'],
    ['Delete', 'Tables', 'To delete existing rows'],
    ['Drop', 'Databases,Tables', 'To drop databases, tables, and views'],
    ['Insert', 'Tables', 'To insert data into tables'],
    ['Process', 'Server Admin', 'To view the plain text of currently executing queries'],
    ['Select', 'Tables', 'To retrieve rows from table'],
    ['Show databases', 'Server Admin', 'To see all databases with SHOW DATABASES'],
    ['Super', 'Server Admin', 'To use KILL thread, SET GLOBAL, CHANGE MASTER, etc.'],
    ['Update', 'Tables', 'To update existing rows'],
  ];
  return staticRows(
    ['Privilege', 'Context', 'Comment'].map((n) => textColumn(n)),
    privileges,
  );
}
