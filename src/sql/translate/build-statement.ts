// StatementNode (the syntax tree) → Statement (what the engine executes). Here
// base-table references get their refIds (CTE names in scope are not references),
// placeholders their indexes, and CREATE TABLE is checked the way MySQL checks it.
import { sqlError } from '../../errors/registry.js';
import type {
  Assignment,
  ColumnDef,
  DefaultValue,
  IndexDef,
  InsertValue,
  ObjectName,
  OrderItem,
  PartitionSpec,
  PrintContext,
  Printable,
  Query,
  SetAssignment,
  ShowFilter,
  ShowStatement,
  SqlValue,
  Statement,
  TableRef,
  VariableScope,
} from '../statement.js';
import type {
  AssignmentNode,
  ColumnDefNode,
  CreateTableNode,
  DefaultNode,
  DeleteNode,
  Expr,
  IndexDefNode,
  InsertNode,
  ObjectNameNode,
  OrderByItem,
  PartitionNode,
  QueryBody,
  QueryNode,
  SetItemNode,
  ShowFilterNode,
  ShowNode,
  StatementNode,
  TableExpr,
  TableNode,
  UpdateNode,
  ValueOrDefault,
} from './ast.js';
import { Printer, type InsertedRow, type PrintScope } from './printer.js';
import { LOCAL_NOW, withFsp } from './temporal.js';
import { isBlobLike, mysqlType } from './types.js';
import { childrenOf, columnNames, windowExprs } from './walk.js';

const MAX_IDENTIFIER_LENGTH = 64;

/** Per-statement state shared by all of a statement's Printables. */
class StatementScope implements PrintScope {
  readonly refs = new Map<TableNode, TableRef>();
  readonly paramIndex: ReadonlyMap<number, number>;
  private nextRefId = 1;

  constructor(paramOffsets: ReadonlySet<number>) {
    this.paramIndex = new Map([...paramOffsets].sort((a, b) => a - b).map((offset, index) => [offset, index]));
  }

  get paramCount(): number {
    return this.paramIndex.size;
  }

  /** Base tables read by a query, in the order they are written. */
  queryTables(query: QueryNode): TableRef[] {
    const found: TableRef[] = [];
    this.collectQuery(query, new Set(), found);
    return found;
  }

  exprTables(exprs: readonly Expr[]): TableRef[] {
    const found: TableRef[] = [];
    for (const e of exprs) this.collectExpr(e, new Set(), found);
    return found;
  }

  /** A table that a statement writes or reads directly (UPDATE/DELETE target). */
  ref(node: TableNode): TableRef {
    const ref = tableRef(node, this.nextRefId++);
    this.refs.set(node, ref);
    return ref;
  }

  private collectQuery(query: QueryNode, ctes: ReadonlySet<string>, found: TableRef[]): void {
    let scope = ctes;
    if (query.with !== undefined) {
      const names = query.with.ctes.map((c) => c.name.toLowerCase());
      if (query.with.recursive) {
        scope = new Set([...scope, ...names]);
        for (const cte of query.with.ctes) this.collectQuery(cte.query, scope, found);
      } else {
        // A CTE sees the ones before it, not itself.
        for (const [i, cte] of query.with.ctes.entries()) {
          this.collectQuery(cte.query, scope, found);
          scope = new Set([...scope, names[i] ?? '']);
        }
      }
    }
    this.collectBody(query.body, scope, found);
    for (const item of query.orderBy) this.collectExpr(item.expr, scope, found);
  }

  private collectBody(body: QueryBody, ctes: ReadonlySet<string>, found: TableRef[]): void {
    switch (body.kind) {
      case 'select':
        for (const t of body.from) this.collectTable(t, ctes, found);
        for (const item of body.items) if (item.kind === 'expr') this.collectExpr(item.expr, ctes, found);
        for (const e of [body.where, ...body.groupBy, body.having]) if (e !== undefined) this.collectExpr(e, ctes, found);
        for (const w of body.windows) for (const e of windowExprs(w.spec)) this.collectExpr(e, ctes, found);
        return;
      case 'setOperation':
        this.collectBody(body.left, ctes, found);
        this.collectBody(body.right, ctes, found);
        return;
      case 'values':
        for (const row of body.rows) for (const e of row) this.collectExpr(e, ctes, found);
        return;
      case 'tableValue':
        this.collectTable(body.table, ctes, found);
        return;
      case 'query':
        this.collectQuery(body, ctes, found);
        return;
    }
  }

  private collectTable(table: TableExpr, ctes: ReadonlySet<string>, found: TableRef[]): void {
    switch (table.kind) {
      case 'table': {
        // Time travel always reads a stored table, even one named like a CTE.
        const isCte = table.db === undefined && table.asOf === undefined && ctes.has(table.name.toLowerCase());
        if (!isCte) found.push(this.ref(table));
        return;
      }
      case 'derived':
        this.collectQuery(table.query, ctes, found);
        return;
      case 'join':
        this.collectTable(table.left, ctes, found);
        this.collectTable(table.right, ctes, found);
        if (table.on !== undefined) this.collectExpr(table.on, ctes, found);
        return;
    }
  }

  private collectExpr(e: Expr, ctes: ReadonlySet<string>, found: TableRef[]): void {
    const children = childrenOf(e);
    for (const child of children.exprs) this.collectExpr(child, ctes, found);
    for (const query of children.queries) this.collectQuery(query, ctes, found);
  }
}

function tableRef(node: TableNode, refId: number): TableRef {
  const ref: { -readonly [K in keyof TableRef]: TableRef[K] } = { refId, name: node.name };
  if (node.db !== undefined) ref.db = node.db;
  if (node.alias !== undefined) ref.alias = node.alias;
  if (node.asOf !== undefined) ref.asOf = node.asOf;
  return ref;
}

function objectName(node: ObjectNameNode): ObjectName {
  checkIdentifier(node.name);
  if (node.db === undefined) return { name: node.name };
  checkIdentifier(node.db);
  return { db: node.db, name: node.name };
}

function checkIdentifier(name: string): void {
  if ([...name].length > MAX_IDENTIFIER_LENGTH) throw sqlError('ER_TOO_LONG_IDENT', `Identifier name '${name}' is too long`);
}

function notSupported(what: string): never {
  throw sqlError('ER_NOT_SUPPORTED_YET', `This version of ducksafe doesn't yet support '${what}'`);
}

// ---------------------------------------------------------------- printables

function queryPrintable(scope: StatementScope, node: QueryNode): Query {
  const tables = scope.queryTables(node);
  return { tables, locking: node.locking, print: (ctx) => new Printer(ctx, scope).query(node) };
}

function exprPrintable(scope: StatementScope, expr: Expr, insertedRow?: InsertedRow): Printable {
  const tables = scope.exprTables([expr]);
  return { tables, print: (ctx) => new Printer(ctx, scope, insertedRow).expr(expr) };
}

function insertValue(scope: StatementScope, value: ValueOrDefault, insertedRow?: InsertedRow): InsertValue {
  return value.kind === 'defaultValue' ? { kind: 'default' } : { kind: 'expr', expr: exprPrintable(scope, value, insertedRow) };
}

function assignments(scope: StatementScope, list: readonly AssignmentNode[], insertedRow?: InsertedRow): Assignment[] {
  return list.map((a) => ({ column: a.column.name, value: insertValue(scope, a.value, insertedRow) }));
}

function orderItems(scope: StatementScope, items: readonly OrderByItem[]): OrderItem[] {
  return items.map((item) => ({ expr: exprPrintable(scope, item.expr), direction: item.direction }));
}

/** UPDATE/DELETE take LIMIT as a number in the Statement; MySQL allows only a literal or `?` there. */
function rowLimit(limit: Expr | undefined): number | undefined {
  if (limit === undefined) return undefined;
  if (limit.kind !== 'number') notSupported('a placeholder in the LIMIT of UPDATE or DELETE');
  return Number(limit.text);
}

// ---------------------------------------------------------------- CREATE TABLE

/** A constant written in DDL (DEFAULT, partition bounds) as the value it denotes. */
function literalValue(e: Expr): SqlValue | undefined {
  switch (e.kind) {
    case 'number': {
      if (/^\d+$/.test(e.text)) {
        const n = BigInt(e.text);
        return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
      }
      // Kept as written: a decimal default such as 1.50 must not pass through a double.
      return /e/i.test(e.text) ? Number(e.text) : e.text;
    }
    case 'string':
      return e.binary ? new TextEncoder().encode(e.value) : e.value;
    case 'hex':
      return Uint8Array.from(e.digits.match(/../g) ?? [], (byte) => parseInt(byte, 16));
    case 'bit': {
      const n = e.digits === '' ? 0n : BigInt(`0b${e.digits}`);
      return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
    }
    case 'null':
      return null;
    case 'boolean':
      return e.value;
    case 'typedLiteral':
      return e.value;
    case 'unary': {
      if (e.op !== '-') return undefined;
      const value = literalValue(e.operand);
      if (typeof value === 'number') return -value;
      if (typeof value === 'bigint') return -value;
      if (typeof value === 'string' && /^[\d.]+$/.test(value)) return `-${value}`;
      return undefined;
    }
    default:
      return undefined;
  }
}

/**
 * Default expressions may not read tables, variables, placeholders or session
 * state (MySQL refuses them too), so they print without a session.
 */
function defaultContext(column: string): PrintContext {
  const refuse = (): never => {
    throw sqlError('ER_INVALID_DEFAULT', `Invalid default value for '${column}'`);
  };
  return { table: refuse, systemVariable: refuse, userVariable: refuse, sessionFunction: refuse, parameter: refuse };
}

const TEMPORAL_DEFAULT_BASES = new Set(['DATETIME', 'TIMESTAMP']);

function defaultValue(node: DefaultNode, column: ColumnDefNode, fsp: number, scope: StatementScope): DefaultValue {
  const invalid = () => sqlError('ER_INVALID_DEFAULT', `Invalid default value for '${column.name}'`);
  switch (node.kind) {
    case 'literal': {
      const value = literalValue(node.expr);
      if (value === undefined) throw invalid();
      if (value !== null && isBlobLike(column.type.base)) {
        throw sqlError('ER_BLOB_CANT_HAVE_DEFAULT', `BLOB, TEXT, GEOMETRY or JSON column '${column.name}' can't have a default value`);
      }
      return { kind: 'literal', value };
    }
    case 'now': {
      const nowFsp = node.fsp ?? 0;
      if (!TEMPORAL_DEFAULT_BASES.has(column.type.base) || nowFsp !== fsp) throw invalid();
      return { kind: 'expression', mysql: nowFsp > 0 ? `CURRENT_TIMESTAMP(${nowFsp})` : 'CURRENT_TIMESTAMP', duck: withFsp(LOCAL_NOW, nowFsp) };
    }
    case 'expression':
      return { kind: 'expression', mysql: node.text, duck: new Printer(defaultContext(column.name), scope).expr(node.expr) };
  }
}

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

function partitionSpec(node: PartitionNode, indexes: readonly IndexDef[]): PartitionSpec {
  const columns = node.expr !== undefined ? [...new Set(columnNames(node.expr))] : node.columns;
  // PARTITION BY KEY () partitions by the primary key.
  const keyColumns = node.kind === 'key' && columns.length === 0 ? (indexes.find((i) => i.kind === 'primary')?.columns ?? []) : columns;
  const needsValues = node.kind !== 'hash' && node.kind !== 'key';
  if (needsValues && node.partitions.length === 0) {
    throw sqlError('ER_PARSE_ERROR', `For ${node.kind.startsWith('range') ? 'RANGE' : 'LIST'} partitions each partition must be defined`);
  }
  const partitions = node.partitions.map((p) => {
    if (p.values === 'MAXVALUE') return { name: p.name, values: 'MAXVALUE' as const };
    if (needsValues !== p.values.length > 0) throw sqlError('ER_PARSE_ERROR', `Partition '${p.name}' has values that do not fit PARTITION BY ${node.kind}`);
    const values = p.values.map((v) => {
      if (v.kind === 'maxvalue') notSupported('MAXVALUE inside a partition column list');
      const value = literalValue(v);
      if (value === undefined) notSupported('expressions as partition bounds');
      return value;
    });
    return { name: p.name, values };
  });
  const spec: { -readonly [K in keyof PartitionSpec]: PartitionSpec[K] } = { kind: node.kind, expression: node.expression, columns: keyColumns, partitions };
  if (node.count !== undefined) spec.count = node.count;
  else if (!needsValues && partitions.length > 0) spec.count = partitions.length;
  return spec;
}

function createTable(node: CreateTableNode, scope: StatementScope): Statement {
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
      // MySQL's ER_KEY_COLUMN_DOES_NOT_EXITS (1072) is not in the registry; 1054 is its nearest kin.
      if (!seen.has(column.toLowerCase())) throw sqlError('ER_BAD_FIELD_ERROR', `Key column '${column}' doesn't exist in table`);
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
  const statement: { -readonly [K in keyof Extract<Statement, { kind: 'createTable' }>]: Extract<Statement, { kind: 'createTable' }>[K] } = {
    kind: 'createTable',
    paramCount: scope.paramCount,
    table,
    ifNotExists: node.ifNotExists,
    columns,
    indexes,
    options,
  };
  if (node.partition !== undefined) statement.partition = partitionSpec(node.partition, indexes);
  if (node.asSelect !== undefined) statement.asSelect = queryPrintable(scope, node.asSelect);
  return statement;
}

function columnDef(node: ColumnDefNode, inPrimaryKey: boolean, scope: StatementScope): ColumnDef {
  const type = mysqlType(node.type, node.name);
  if (inPrimaryKey && node.notNull === false) {
    // MySQL's ER_PRIMARY_CANT_HAVE_NULL (1171) is not in the registry.
    throw sqlError('ER_WRONG_FIELD_SPEC', 'All parts of a PRIMARY KEY must be NOT NULL; if you need NULL in a key, use UNIQUE instead');
  }
  const notNull = node.notNull ?? inPrimaryKey;
  if (node.onUpdateNow && !TEMPORAL_DEFAULT_BASES.has(type.base)) {
    // MySQL's ER_INVALID_ON_UPDATE (1294) is not in the registry.
    throw sqlError('ER_INVALID_DEFAULT', `Invalid ON UPDATE clause for '${node.name}' column`);
  }
  const def: { -readonly [K in keyof ColumnDef]: ColumnDef[K] } = {
    name: node.name,
    type,
    notNull,
    autoIncrement: node.autoIncrement,
    onUpdateCurrentTimestamp: node.onUpdateNow,
  };
  if (node.default !== undefined) {
    const value = defaultValue(node.default, node, type.fsp ?? 0, scope);
    if ((value.kind === 'literal' && value.value === null && notNull) || node.autoIncrement) {
      throw sqlError('ER_INVALID_DEFAULT', `Invalid default value for '${node.name}'`);
    }
    def.default = value;
  }
  if (node.comment !== undefined) def.comment = node.comment;
  return def;
}

// ---------------------------------------------------------------- DML

function insert(node: InsertNode, scope: StatementScope): Statement {
  const table = objectName(node.table);
  let columns = node.columns;
  let source: Extract<Statement, { kind: 'insert' }>['source'];
  switch (node.source.kind) {
    case 'values': {
      const width = columns?.length ?? node.source.rows[0]?.length ?? 0;
      node.source.rows.forEach((row, i) => {
        if (row.length !== width) throw sqlError('ER_WRONG_VALUE_COUNT_ON_ROW', `Column count doesn't match value count at row ${i + 1}`);
      });
      source = { kind: 'values', rows: node.source.rows.map((row) => row.map((v) => insertValue(scope, v))) };
      break;
    }
    case 'set':
      columns = node.source.assignments.map((a) => a.column.name);
      source = { kind: 'values', rows: [node.source.assignments.map((a) => insertValue(scope, a.value))] };
      break;
    case 'query':
      source = { kind: 'query', query: queryPrintable(scope, node.source.query) };
      break;
  }
  const statement: { -readonly [K in keyof Extract<Statement, { kind: 'insert' }>]: Extract<Statement, { kind: 'insert' }>[K] } = {
    kind: 'insert',
    paramCount: scope.paramCount,
    table,
    source,
    ignore: node.ignore,
    replace: node.replace,
  };
  if (columns !== undefined) statement.columns = columns;
  if (node.onDuplicate !== undefined) statement.onDuplicate = assignments(scope, node.onDuplicate, insertedRow(node, columns));
  return statement;
}

function insertedRow(node: InsertNode, columns: readonly string[] | undefined): InsertedRow {
  const alias = node.rowAlias;
  if (alias === undefined) return { columns: new Map() };
  if (alias.columns === undefined) return { alias: alias.name, columns: new Map() };
  if (columns === undefined) notSupported('a row alias with a column list when the INSERT names no columns');
  if (alias.columns.length !== columns.length) throw sqlError('ER_WRONG_VALUE_COUNT_ON_ROW', "Column count doesn't match value count at row 1");
  return { alias: alias.name, columns: new Map(alias.columns.map((name, i) => [name, columns[i] ?? name])) };
}

function singleTable(tables: readonly TableExpr[], what: string): TableNode {
  const only = tables[0];
  if (tables.length !== 1 || only === undefined || only.kind !== 'table') notSupported(`multi-table ${what}`);
  return only;
}

function update(node: UpdateNode, scope: StatementScope): Statement {
  const target = singleTable(node.tables, 'UPDATE');
  objectName(target);
  const statement: { -readonly [K in keyof Extract<Statement, { kind: 'update' }>]: Extract<Statement, { kind: 'update' }>[K] } = {
    kind: 'update',
    paramCount: scope.paramCount,
    table: scope.ref(target),
    assignments: assignments(scope, node.assignments),
  };
  if (node.where !== undefined) statement.where = exprPrintable(scope, node.where);
  if (node.orderBy.length > 0) statement.orderBy = orderItems(scope, node.orderBy);
  const limit = rowLimit(node.limit);
  if (limit !== undefined) statement.limit = limit;
  return statement;
}

function deleteRows(node: DeleteNode, scope: StatementScope): Statement {
  if (node.targets.length > 0) notSupported('multi-table DELETE');
  const target = singleTable(node.from, 'DELETE');
  objectName(target);
  const statement: { -readonly [K in keyof Extract<Statement, { kind: 'delete' }>]: Extract<Statement, { kind: 'delete' }>[K] } = {
    kind: 'delete',
    paramCount: scope.paramCount,
    table: scope.ref(target),
  };
  if (node.where !== undefined) statement.where = exprPrintable(scope, node.where);
  if (node.orderBy.length > 0) statement.orderBy = orderItems(scope, node.orderBy);
  const limit = rowLimit(node.limit);
  if (limit !== undefined) statement.limit = limit;
  return statement;
}

// ---------------------------------------------------------------- SHOW, SET

function showFilter(scope: StatementScope, filter: ShowFilterNode): ShowFilter {
  return filter.kind === 'like' ? filter : { kind: 'where', expr: exprPrintable(scope, filter.expr) };
}

/** A SHOW node as the engine gets it: names checked, a WHERE expression made a Printable. */
function show(node: ShowNode, scope: StatementScope): ShowStatement {
  const filter = (f: ShowFilterNode | undefined): { filter?: ShowFilter } => (f === undefined ? {} : { filter: showFilter(scope, f) });
  switch (node.kind) {
    case 'databases':
    case 'charset':
    case 'collation':
      return { kind: node.kind, ...filter(node.filter) };
    case 'tables':
      return { kind: 'tables', full: node.full, ...(node.db === undefined ? {} : { db: node.db }), ...filter(node.filter) };
    case 'tableStatus':
      return { kind: 'tableStatus', ...(node.db === undefined ? {} : { db: node.db }), ...filter(node.filter) };
    case 'columns':
      return { kind: 'columns', table: objectName(node.table), full: node.full, ...filter(node.filter) };
    case 'index':
      return { kind: 'index', table: objectName(node.table), ...filter(node.filter) };
    case 'variables':
    case 'status':
      return { kind: node.kind, scope: node.scope, ...filter(node.filter) };
    case 'createTable':
    case 'partitions':
      return { kind: node.kind, table: objectName(node.table) };
    case 'createDatabase':
    case 'warnings':
    case 'errors':
    case 'engines':
    case 'processlist':
    case 'plugins':
    case 'privileges':
    case 'grants':
      return node;
  }
}

function setAssignments(items: readonly SetItemNode[], scope: StatementScope): SetAssignment[] {
  let carried: VariableScope = 'default';
  const result: SetAssignment[] = [];
  for (const item of items) {
    switch (item.kind) {
      case 'system': {
        // MySQL: an assignment without a scope keyword takes the most recent one.
        const itemScope = item.scope ?? carried;
        if (item.scope !== undefined) carried = item.scope;
        const value = item.value.kind === 'expr' ? { kind: 'expr' as const, expr: exprPrintable(scope, item.value.expr) } : item.value;
        result.push({ kind: 'system', scope: itemScope, name: item.name, value });
        break;
      }
      case 'user':
        result.push({ kind: 'user', name: item.name, value: exprPrintable(scope, item.value) });
        break;
      case 'names':
        result.push(item);
        break;
      case 'characterSet': {
        // SET CHARACTER SET x: client and results use x, the connection the database's charset.
        const word = { kind: 'keyword' as const, word: item.charset };
        const databaseCharset = exprPrintable(scope, { kind: 'systemVariable', scope: 'default', name: 'character_set_database' });
        result.push(
          { kind: 'system', scope: 'session', name: 'character_set_client', value: word },
          { kind: 'system', scope: 'session', name: 'character_set_results', value: word },
          { kind: 'system', scope: 'session', name: 'character_set_connection', value: { kind: 'expr', expr: databaseCharset } },
        );
        break;
      }
      case 'transaction':
        result.push(item);
        break;
    }
  }
  return result;
}

// ---------------------------------------------------------------- entry

/** The Statement for a parsed statement; `paramOffsets` are the offsets of its `?` placeholders. */
export function buildStatement(node: StatementNode, paramOffsets: ReadonlySet<number>): Statement {
  const scope = new StatementScope(paramOffsets);
  const paramCount = scope.paramCount;
  switch (node.kind) {
    case 'select':
      return { kind: 'select', paramCount, query: queryPrintable(scope, node.query) };
    case 'createDatabase':
      checkIdentifier(node.name);
      return { kind: 'createDatabase', paramCount, name: node.name, ifNotExists: node.ifNotExists };
    case 'dropDatabase':
      return { kind: 'dropDatabase', paramCount, name: node.name, ifExists: node.ifExists };
    case 'use':
      return { kind: 'use', paramCount, db: node.db };
    case 'createTable':
      return createTable(node, scope);
    case 'dropTable':
      if (node.temporary) notSupported('DROP TEMPORARY TABLE');
      return { kind: 'dropTable', paramCount, tables: node.tables.map(objectName), ifExists: node.ifExists };
    case 'truncate':
      return { kind: 'truncate', paramCount, table: objectName(node.table) };
    case 'insert':
      return insert(node, scope);
    case 'update':
      return update(node, scope);
    case 'delete':
      return deleteRows(node, scope);
    case 'show':
      return { kind: 'show', paramCount, show: show(node.show, scope) };
    case 'describe':
      // DESCRIBE t col is SHOW COLUMNS FROM t LIKE 'col' in MySQL.
      if (node.column !== undefined) {
        return { kind: 'show', paramCount, show: { kind: 'columns', table: objectName(node.table), full: false, filter: { kind: 'like', pattern: node.column } } };
      }
      return { kind: 'describe', paramCount, table: objectName(node.table) };
    case 'set':
      return { kind: 'set', paramCount, assignments: setAssignments(node.items, scope) };
    case 'begin':
      return { kind: 'begin', paramCount, readOnly: node.readOnly };
    case 'commit':
    case 'rollback':
      return { kind: node.kind, paramCount };
    case 'kill':
      return { kind: 'kill', paramCount, target: node.target, id: node.id };
    case 'noop':
      return { kind: 'noop', paramCount, what: node.what };
    case 'unsupported':
      return notSupported(node.what);
  }
}
