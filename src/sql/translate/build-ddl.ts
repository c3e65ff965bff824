// CREATE TABLE and ALTER TABLE, checked the way MySQL checks them before it looks
// at any stored table. Column definitions are built by one function for both, so
// a column added by ALTER TABLE obeys the rules of one created by CREATE TABLE.
// What needs the table as it is (does the column exist, is the index name taken,
// is the auto column a key) is the engine's to check.
import { sqlError } from '../../errors/registry.js';
import type { AlterAction, ColumnDef, ColumnPosition, DefaultValue, IndexDef, PartitionSpec, PrintContext, Statement } from '../statement.js';
import type { AlterActionNode, AlterTableNode, ColumnDefNode, CreateTableNode, DefaultNode, IndexDefNode, PartitionDefinitionNode, PartitionNode } from './ast.js';
import { checkIdentifier, literalValue, notSupported, objectName } from './build-common.js';
import { Printer, type PrintScope } from './printer.js';
import { LOCAL_NOW, withFsp } from './temporal.js';
import { isBlobLike, mysqlType } from './types.js';
import { columnNames } from './walk.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type CreateTableStatement = Extract<Statement, { kind: 'createTable' }>;

/** What building DDL needs from the statement: printing default expressions, and the `?` count. */
export interface DdlScope extends PrintScope {
  readonly paramCount: number;
}

// ---------------------------------------------------------------- columns

/**
 * Default expressions may not read tables, variables, placeholders or session
 * state (MySQL refuses them too), so they print without a session.
 */
function defaultContext(column: string): PrintContext {
  const refuse = (): never => {
    throw sqlError('ER_INVALID_DEFAULT', `Invalid default value for '${column}'`);
  };
  // Without a timeZone hook, NOW() and FROM_UNIXTIME() in a default read the server's zone.
  return { table: refuse, systemVariable: refuse, userVariable: refuse, sessionFunction: refuse, parameter: refuse };
}

const TEMPORAL_DEFAULT_BASES = new Set(['DATETIME', 'TIMESTAMP']);

/** A default as written, checked only for being a constant or an expression MySQL allows. */
function defaultOf(node: DefaultNode, column: string, scope: PrintScope): DefaultValue {
  switch (node.kind) {
    case 'literal': {
      const value = literalValue(node.expr);
      if (value === undefined) throw sqlError('ER_INVALID_DEFAULT', `Invalid default value for '${column}'`);
      return { kind: 'literal', value };
    }
    case 'now': {
      const fsp = node.fsp ?? 0;
      return { kind: 'expression', mysql: fsp > 0 ? `CURRENT_TIMESTAMP(${fsp})` : 'CURRENT_TIMESTAMP', duck: withFsp(LOCAL_NOW, fsp) };
    }
    case 'expression':
      return { kind: 'expression', mysql: node.text, duck: new Printer(defaultContext(column), scope).expr(node.expr) };
  }
}

/** A column's default, checked against the column's type as well. */
function columnDefault(node: DefaultNode, column: ColumnDefNode, fsp: number, scope: PrintScope): DefaultValue {
  const value = defaultOf(node, column.name, scope);
  if (node.kind === 'literal' && value.kind === 'literal' && value.value !== null && isBlobLike(column.type.base)) {
    throw sqlError('ER_BLOB_CANT_HAVE_DEFAULT', `BLOB, TEXT, GEOMETRY or JSON column '${column.name}' can't have a default value`);
  }
  if (node.kind === 'now' && (!TEMPORAL_DEFAULT_BASES.has(column.type.base) || (node.fsp ?? 0) !== fsp)) {
    throw sqlError('ER_INVALID_DEFAULT', `Invalid default value for '${column.name}'`);
  }
  return value;
}

function columnDef(node: ColumnDefNode, inPrimaryKey: boolean, scope: PrintScope): ColumnDef {
  checkIdentifier(node.name);
  if (node.generated) notSupported('generated columns');
  const type = mysqlType(node.type, node.name);
  if (inPrimaryKey && node.notNull === false) {
    throw sqlError('ER_PRIMARY_CANT_HAVE_NULL', 'All parts of a PRIMARY KEY must be NOT NULL; if you need NULL in a key, use UNIQUE instead');
  }
  const notNull = node.notNull ?? inPrimaryKey;
  if (node.onUpdateNow && !TEMPORAL_DEFAULT_BASES.has(type.base)) {
    throw sqlError('ER_INVALID_ON_UPDATE', `Invalid ON UPDATE clause for '${node.name}' column`);
  }
  const def: Mutable<ColumnDef> = {
    name: node.name,
    type,
    notNull,
    autoIncrement: node.autoIncrement,
    onUpdateCurrentTimestamp: node.onUpdateNow,
  };
  if (node.default !== undefined) {
    const value = columnDefault(node.default, node, type.fsp ?? 0, scope);
    if ((value.kind === 'literal' && value.value === null && notNull) || node.autoIncrement) {
      throw sqlError('ER_INVALID_DEFAULT', `Invalid default value for '${node.name}'`);
    }
    def.default = value;
  }
  if (node.comment !== undefined) def.comment = node.comment;
  return def;
}

// ---------------------------------------------------------------- indexes and partitions

/** MySQL names an unnamed index after its first column, then first_2, first_3, ... */
function indexName(taken: Set<string>, wanted: string | undefined, firstColumn: string): string {
  if (wanted !== undefined) {
    if (taken.has(wanted.toLowerCase())) throw sqlError('ER_DUP_KEYNAME', `Duplicate key name '${wanted}'`);
    taken.add(wanted.toLowerCase());
    return wanted;
  }
  let name = firstColumn;
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${firstColumn}_${n}`;
  taken.add(name.toLowerCase());
  return name;
}

function buildIndexes(node: CreateTableNode): IndexDef[] {
  const taken = new Set<string>();
  const indexes: IndexDef[] = [];
  const primaryColumns: string[][] = [];
  for (const column of node.columns) if (column.primaryKey) primaryColumns.push([column.name]);
  for (const index of node.indexes) if (index.kind === 'primary') primaryColumns.push([...index.columns]);
  if (primaryColumns.length > 1) throw sqlError('ER_MULTIPLE_PRI_KEY', 'Multiple primary key defined');
  const primary = primaryColumns[0];
  if (primary !== undefined) {
    taken.add('primary');
    indexes.push({ kind: 'primary', name: 'PRIMARY', columns: primary });
  }
  const add = (index: IndexDefNode) => {
    if (index.name !== undefined) checkIdentifier(index.name);
    switch (index.kind) {
      case 'primary':
        return;
      case 'unique':
      case 'index':
        indexes.push({ kind: index.kind, name: indexName(taken, index.name, index.columns[0] ?? ''), columns: index.columns });
        return;
      case 'fulltext':
      case 'spatial':
        return notSupported(`${index.kind.toUpperCase()} indexes`);
      // Accepted for dumps and ORMs; ducksafe enforces neither (see README).
      case 'foreign':
      case 'check':
        return;
    }
  };
  // Column-level UNIQUE keys come first in MySQL's numbering, in column order.
  for (const column of node.columns) if (column.unique) add({ kind: 'unique', columns: [column.name] });
  for (const index of node.indexes) add(index);
  return indexes;
}

function partitionDefinitions(list: readonly PartitionDefinitionNode[]): PartitionSpec['partitions'] {
  return list.map((p) => {
    checkIdentifier(p.name);
    if (p.values === 'MAXVALUE') return { name: p.name, values: 'MAXVALUE' as const };
    const values = p.values.map((v) => {
      if (v.kind === 'maxvalue') notSupported('MAXVALUE inside a partition column list');
      const value = literalValue(v);
      if (value === undefined) notSupported('expressions as partition bounds');
      return value;
    });
    return { name: p.name, values };
  });
}

function partitionSpec(node: PartitionNode, indexes: readonly IndexDef[]): PartitionSpec {
  const columns = node.expr !== undefined ? [...new Set(columnNames(node.expr))] : node.columns;
  // PARTITION BY KEY () partitions by the primary key.
  const keyColumns = node.kind === 'key' && columns.length === 0 ? (indexes.find((i) => i.kind === 'primary')?.columns ?? []) : columns;
  const needsValues = node.kind !== 'hash' && node.kind !== 'key';
  if (needsValues && node.partitions.length === 0) {
    const kind = node.kind.startsWith('range') ? 'RANGE' : 'LIST';
    throw sqlError('ER_PARTITIONS_MUST_BE_DEFINED_ERROR', `For ${kind} partitions each partition must be defined`);
  }
  for (const p of node.partitions) {
    if (p.values !== 'MAXVALUE' && needsValues !== p.values.length > 0) {
      throw sqlError('ER_PARSE_ERROR', `Partition '${p.name}' has values that do not fit PARTITION BY ${node.kind}`);
    }
  }
  const partitions = partitionDefinitions(node.partitions);
  const spec: Mutable<PartitionSpec> = { kind: node.kind, expression: node.expression, columns: keyColumns, partitions };
  if (node.count !== undefined) spec.count = node.count;
  else if (!needsValues && partitions.length > 0) spec.count = partitions.length;
  return spec;
}

// ---------------------------------------------------------------- CREATE TABLE

/** CREATE TABLE, except its AS SELECT query, which the caller builds. */
export function createTable(node: CreateTableNode, scope: DdlScope): CreateTableStatement {
  if (node.temporary) notSupported('CREATE TEMPORARY TABLE');
  const table = objectName(node.table);
  if (node.like !== undefined) {
    return { kind: 'createTable', paramCount: 0, table, ifNotExists: node.ifNotExists, columns: [], indexes: [], options: {}, like: objectName(node.like) };
  }
  const seen = new Set<string>();
  for (const column of node.columns) {
    checkIdentifier(column.name);
    if (seen.has(column.name.toLowerCase())) throw sqlError('ER_DUP_FIELDNAME', `Duplicate column name '${column.name}'`);
    seen.add(column.name.toLowerCase());
    if (column.generated) notSupported('generated columns');
  }
  if (node.columns.length === 0 && node.asSelect === undefined) {
    throw sqlError('ER_TABLE_MUST_HAVE_COLUMNS', 'A table must have at least 1 column');
  }
  const indexes = buildIndexes(node);
  for (const index of indexes) {
    for (const column of index.columns) {
      if (!seen.has(column.toLowerCase())) throw sqlError('ER_KEY_COLUMN_DOES_NOT_EXITS', `Key column '${column}' doesn't exist in table`);
    }
  }
  const keyed = new Set(indexes.flatMap((i) => i.columns.map((c) => c.toLowerCase())));
  const primary = new Set((indexes.find((i) => i.kind === 'primary')?.columns ?? []).map((c) => c.toLowerCase()));
  const autoColumns = node.columns.filter((c) => c.autoIncrement);
  if (autoColumns.length > 1 || autoColumns.some((c) => !keyed.has(c.name.toLowerCase()))) {
    throw sqlError('ER_WRONG_AUTO_KEY', 'Incorrect table definition; there can be only one auto column and it must be defined as a key');
  }
  const columns = node.columns.map((c) => columnDef(c, primary.has(c.name.toLowerCase()), scope));
  const options: Record<string, string> = {};
  for (const option of node.options) options[option.name] = option.value;
  const statement: Mutable<CreateTableStatement> = {
    kind: 'createTable',
    paramCount: scope.paramCount,
    table,
    ifNotExists: node.ifNotExists,
    columns,
    indexes,
    options,
  };
  if (node.partition !== undefined) statement.partition = partitionSpec(node.partition, indexes);
  if (node.external !== undefined) {
    if (node.asSelect !== undefined) notSupported('CREATE TABLE ... AS SELECT into an external location');
    statement.external = node.external;
  }
  return statement;
}

// ---------------------------------------------------------------- ALTER TABLE

/** What one ALTER TABLE adds, to refuse within the statement what MySQL refuses. */
class AlterChecks {
  private readonly newColumns = new Set<string>();
  private readonly newIndexes = new Set<string>();
  private primaryKeys = 0;
  private autoColumns = 0;

  column(name: string): void {
    if (this.newColumns.has(name.toLowerCase())) throw sqlError('ER_DUP_FIELDNAME', `Duplicate column name '${name}'`);
    this.newColumns.add(name.toLowerCase());
  }

  definition(column: ColumnDefNode): void {
    this.column(column.name);
    if (column.autoIncrement && ++this.autoColumns > 1) {
      throw sqlError('ER_WRONG_AUTO_KEY', 'Incorrect table definition; there can be only one auto column and it must be defined as a key');
    }
  }

  index(index: IndexDef): void {
    if (index.kind === 'primary') {
      if (++this.primaryKeys > 1) throw sqlError('ER_MULTIPLE_PRI_KEY', 'Multiple primary key defined');
      return;
    }
    if (index.name === undefined) return;
    checkIdentifier(index.name);
    if (this.newIndexes.has(index.name.toLowerCase())) throw sqlError('ER_DUP_KEYNAME', `Duplicate key name '${index.name}'`);
    this.newIndexes.add(index.name.toLowerCase());
  }
}

/**
 * An added or redefined column, followed by the keys its definition declares
 * (`ADD c INT PRIMARY KEY`, `MODIFY c INT UNIQUE`). Unnamed keys stay unnamed:
 * MySQL names them after the table's existing keys, which only the engine knows.
 */
function columnActions(
  node: ColumnDefNode,
  checks: AlterChecks,
  scope: PrintScope,
  action: (column: ColumnDef) => AlterAction,
): AlterAction[] {
  checks.definition(node);
  const actions = [action(columnDef(node, node.primaryKey, scope))];
  const keys: IndexDef[] = [];
  if (node.primaryKey) keys.push({ kind: 'primary', name: 'PRIMARY', columns: [node.name] });
  if (node.unique) keys.push({ kind: 'unique', columns: [node.name] });
  for (const index of keys) {
    checks.index(index);
    actions.push({ kind: 'addIndex', index });
  }
  return actions;
}

function addIndex(node: IndexDefNode, checks: AlterChecks): AlterAction[] {
  let index: IndexDef;
  switch (node.kind) {
    case 'primary':
      index = { kind: 'primary', name: 'PRIMARY', columns: node.columns };
      break;
    case 'unique':
    case 'index':
      index = node.name === undefined ? { kind: node.kind, columns: node.columns } : { kind: node.kind, name: node.name, columns: node.columns };
      break;
    case 'fulltext':
    case 'spatial':
      return notSupported(`${node.kind.toUpperCase()} indexes`);
    // Accepted and not enforced, as in CREATE TABLE.
    case 'foreign':
    case 'check':
      return [];
  }
  checks.index(index);
  return [{ kind: 'addIndex', index }];
}

function withPosition<T extends AlterAction>(action: T, position: ColumnPosition | undefined): T {
  return position === undefined ? action : { ...action, position };
}

function alterActions(node: AlterActionNode, checks: AlterChecks, scope: PrintScope): AlterAction[] {
  switch (node.kind) {
    case 'addColumn':
      return columnActions(node.column, checks, scope, (column) => withPosition({ kind: 'addColumn', column }, node.position));
    case 'modifyColumn':
      return columnActions(node.column, checks, scope, (column) => withPosition({ kind: 'modifyColumn', column }, node.position));
    case 'changeColumn':
      return columnActions(node.column, checks, scope, (column) => withPosition({ kind: 'changeColumn', from: node.from, column }, node.position));
    case 'dropColumn':
      return [{ kind: 'dropColumn', name: node.name }];
    case 'renameColumn':
      checkIdentifier(node.to);
      checks.column(node.to);
      return [{ kind: 'renameColumn', from: node.from, to: node.to }];
    case 'alterDefault':
      // The column's type is not known here: the engine checks that the default suits it.
      return [node.default === undefined ? { kind: 'alterDefault', column: node.column } : { kind: 'alterDefault', column: node.column, default: defaultOf(node.default, node.column, scope) }];
    case 'renameTable':
      return [{ kind: 'renameTable', to: objectName(node.to) }];
    case 'addIndex':
      return addIndex(node.index, checks);
    case 'dropIndex':
      // MySQL's DROP INDEX `PRIMARY` drops the primary key.
      return [node.name.toLowerCase() === 'primary' ? { kind: 'dropPrimaryKey' } : { kind: 'dropIndex', name: node.name }];
    case 'dropPrimaryKey':
      return [{ kind: 'dropPrimaryKey' }];
    case 'addPartitions':
      return [{ kind: 'addPartitions', partitions: partitionDefinitions(node.partitions) }];
    case 'dropPartitions':
      return [{ kind: 'dropPartitions', names: node.names }];
    case 'truncatePartitions':
      return [{ kind: 'truncatePartitions', names: node.names }];
    case 'setOptions':
      return [{ kind: 'setOptions', options: Object.fromEntries(node.options.map((o) => [o.name, o.value])) }];
    case 'flashback':
      return [{ kind: 'flashback', to: node.to }];
    case 'ignored':
      return [];
    case 'unsupported':
      return notSupported(node.what);
  }
}

/** ALTER TABLE: its actions in the order written, adjacent table options merged into one. */
export function alterTable(node: AlterTableNode, scope: DdlScope): Statement {
  const table = objectName(node.table);
  const checks = new AlterChecks();
  const actions: AlterAction[] = [];
  for (const action of node.actions.flatMap((a) => alterActions(a, checks, scope))) {
    const previous = actions.at(-1);
    if (action.kind === 'setOptions' && previous?.kind === 'setOptions') {
      actions[actions.length - 1] = { kind: 'setOptions', options: { ...previous.options, ...action.options } };
    } else {
      actions.push(action);
    }
  }
  return { kind: 'alterTable', paramCount: scope.paramCount, table, actions };
}
