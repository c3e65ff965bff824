// StatementNode (the syntax tree) → Statement (what the engine executes). Here
// base-table references get their refIds (CTE names in scope are not references),
// placeholders their indexes, WHERE clauses their bounds, and DDL is checked the
// way MySQL checks it (build-ddl.ts).
import { sqlError } from '../../errors/registry.js';
import type {
  Assignment,
  InsertValue,
  LoadDataFormat,
  LoadDataStatement,
  OrderItem,
  PrintContext,
  Printable,
  Query,
  SetAssignment,
  ShowFilter,
  ShowStatement,
  Statement,
  TableRef,
  VariableScope,
} from '../statement.js';
import { USER_LOCK_FUNCTIONS } from '../statement.js';
import type {
  AssignmentNode,
  DeleteNode,
  Expr,
  InsertNode,
  LoadOptionNode,
  OrderByItem,
  QueryBody,
  QueryNode,
  SelectNode,
  SetItemNode,
  ShowFilterNode,
  ShowNode,
  StatementNode,
  TableExpr,
  TableNode,
  UpdateNode,
  ValueOrDefault,
} from './ast.js';
import { queryBounds, targetBounds } from './bounds.js';
import { buildBackupAdmin } from './build-backup.js';
import { checkIdentifier, notSupported, objectName } from './build-common.js';
import { alterTable, createTable } from './build-ddl.js';
import { failSafeStatement, stageRead } from './build-failsafe.js';
import { rawBytesOf } from './literals.js';
import { Printer, selectAssignments, type InsertedRow, type PrintScope } from './printer.js';
import { selectOutputs } from './select-outputs.js';
import { childrenOf, windowExprs } from './walk.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

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
        const isCte = table.db === undefined && table.asOf === undefined && table.args === undefined && table.stage === undefined && ctes.has(table.name.toLowerCase());
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
  if (node.args !== undefined) ref.args = node.args;
  if (node.stage !== undefined) ref.stage = stageRead(node.stage);
  return ref;
}

// ---------------------------------------------------------------- printables

/** MySQL's declared decimals of a DOUBLE-valued expression, where they are fixed. */
function declaredDecimals(e: Expr): number | undefined {
  if (e.kind !== 'call') return undefined;
  if (e.name === 'PI' && e.args.length === 0) return 6;
  if ((e.name === 'PERCENT_RANK' || e.name === 'CUME_DIST') && e.over !== undefined) return 10;
  const [, digits] = e.args;
  if ((e.name === 'ROUND' || e.name === 'TRUNCATE') && digits?.kind === 'number' && /^\d+$/.test(digits.text)) {
    // 30 is MySQL's limit: beyond it the decimals are not fixed (NOT_FIXED_DEC).
    const n = Number(digits.text);
    return n <= 30 ? n : undefined;
  }
  return undefined;
}

function doubleDecimals(body: QueryBody): (number | undefined)[] | undefined {
  const select = body.kind === 'setOperation' ? undefined : firstSelect(body);
  if (select === undefined || select.items.some((item) => item.kind !== 'expr')) return undefined;
  const decimals = select.items.map((item) => (item.kind === 'expr' ? declaredDecimals(item.expr) : undefined));
  return decimals.some((d) => d !== undefined) ? decimals : undefined;
}

function queryPrintable(scope: StatementScope, node: QueryNode): Query {
  const tables = scope.queryTables(node);
  const decimals = doubleDecimals(node.body);
  let query: Query = {
    tables,
    locking: node.locking,
    print: (ctx) => new Printer(ctx, scope).query(node),
    bounds: (ctx) => queryBounds(node, scope, ctx),
    ...(decimals === undefined ? {} : { doubleDecimals: decimals }),
  };
  const outputs = selectOutputs(scope.refs, node);
  if (outputs !== undefined) query = { ...query, outputs };
  if (callsUserLock(node)) query = { ...query, userLocks: true };
  if (!firstSelect(node.body)?.calcFoundRows) return query;
  const { limit: _limit, ...unlimited } = node;
  return { ...query, printFoundRows: (ctx) => `SELECT count(*) FROM (${new Printer(ctx, scope).query(unlimited)})` };
}

/** A statement's query; a SELECT that assigns user variables also returns what they hold at its end. */
function assigningQuery(scope: StatementScope, node: QueryNode): Query {
  const query = queryPrintable(scope, node);
  const select = node.body.kind === 'select' ? node.body : undefined;
  const names = select === undefined ? [] : selectAssignments(select);
  if (select === undefined || names.length === 0) return query;
  return { ...query, print: (ctx) => new Printer(ctx, scope, undefined, select).query(node), assignedVariables: names };
}

const USER_LOCKS: ReadonlySet<string> = new Set(USER_LOCK_FUNCTIONS);

/** Whether any part of a syntax tree calls GET_LOCK, RELEASE_LOCK, ... */
function callsUserLock(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(callsUserLock);
  if (typeof node !== 'object' || node === null) return false;
  const record = node as Record<string, unknown>;
  if (record.kind === 'call' && typeof record.name === 'string' && USER_LOCKS.has(record.name.toUpperCase())) return true;
  return Object.values(record).some(callsUserLock);
}

/** MySQL reads SQL_CALC_FOUND_ROWS in the first SELECT of a statement only. */
function firstSelect(body: QueryBody): SelectNode | undefined {
  switch (body.kind) {
    case 'select':
      return body;
    case 'setOperation':
      return firstSelect(body.left);
    case 'query':
      return firstSelect(body.body);
    default:
      return undefined;
  }
}

function exprPrintable(scope: StatementScope, expr: Expr, insertedRow?: InsertedRow): Printable {
  const tables = scope.exprTables([expr]);
  const print = (ctx: PrintContext): string => new Printer(ctx, scope, insertedRow).expr(expr);
  const bytes = expr.kind === 'hex' || (expr.kind === 'string' && (expr.binary || rawBytesOf(expr.value) !== undefined));
  if (bytes) return { tables, print, binaryLiteral: true };
  return expr.kind === 'string' ? { tables, print, textLiteral: true } : { tables, print };
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
  const statement: Mutable<Extract<Statement, { kind: 'insert' }>> = {
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

/** What UPDATE and DELETE share: the one target table and which of its rows to touch. */
function rowSelection(
  target: TableNode,
  node: { readonly where?: Expr; readonly orderBy: readonly OrderByItem[]; readonly limit?: Expr },
  scope: StatementScope,
): Pick<Extract<Statement, { kind: 'delete' }>, 'table' | 'where' | 'orderBy' | 'limit' | 'bounds'> {
  objectName(target);
  const table = scope.ref(target);
  const selection: Mutable<Pick<Extract<Statement, { kind: 'delete' }>, 'table' | 'where' | 'orderBy' | 'limit' | 'bounds'>> = {
    table,
    bounds: (ctx) => targetBounds(node.where, target, table, scope, ctx),
  };
  if (node.where !== undefined) selection.where = exprPrintable(scope, node.where);
  if (node.orderBy.length > 0) selection.orderBy = orderItems(scope, node.orderBy);
  const limit = rowLimit(node.limit);
  if (limit !== undefined) selection.limit = limit;
  return selection;
}

function update(node: UpdateNode, scope: StatementScope): Statement {
  const selection = rowSelection(singleTable(node.tables, 'UPDATE'), node, scope);
  return { kind: 'update', paramCount: scope.paramCount, ...selection, assignments: assignments(scope, node.assignments) };
}

function deleteRows(node: DeleteNode, scope: StatementScope): Statement {
  if (node.targets.length > 0) notSupported('multi-table DELETE');
  const selection = rowSelection(singleTable(node.from, 'DELETE'), node, scope);
  return { kind: 'delete', paramCount: scope.paramCount, ...selection };
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
    case 'dropTables':
      return { kind: 'dropTables', ...(node.db === undefined ? {} : { db: node.db }), ...filter(node.filter) };
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
    case 'createView':
      return { kind: 'createView', view: objectName(node.view) };
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

function loadData(node: Extract<StatementNode, { kind: 'loadData' }>): LoadDataStatement {
  if (node.hasSet) notSupported('LOAD DATA ... SET');
  if (node.columns?.some((c) => c.startsWith('@')) === true) notSupported('user variables in the LOAD DATA column list');
  const option = (list: readonly LoadOptionNode[], ...names: LoadOptionNode['option'][]): string | undefined => list.filter((o) => names.includes(o.option)).at(-1)?.value;
  const enclosed = node.fields.filter((o) => o.option === 'enclosed' || o.option === 'optionallyEnclosed').at(-1);
  const format: LoadDataFormat = {
    fieldsTerminatedBy: option(node.fields, 'terminated') ?? '\t',
    enclosedBy: enclosed?.value ?? '',
    optionallyEnclosed: enclosed?.option === 'optionallyEnclosed',
    escapedBy: option(node.fields, 'escaped') ?? '\\',
    linesStartingBy: option(node.lines, 'starting') ?? '',
    linesTerminatedBy: option(node.lines, 'terminated') ?? '\n',
    ignoreLines: node.ignoreLines ?? 0,
  };
  if (format.enclosedBy.length > 1) throw sqlError('ER_WRONG_FIELD_TERMINATORS', 'Field separator argument is not what is expected; check the manual');
  if (format.escapedBy.length > 1) throw sqlError('ER_WRONG_FIELD_TERMINATORS', 'Field separator argument is not what is expected; check the manual');
  if (format.linesTerminatedBy === '' && format.fieldsTerminatedBy === '') notSupported('fixed-width LOAD DATA (empty terminators)');
  return {
    kind: 'loadData',
    local: node.local,
    file: node.file,
    table: objectName(node.table),
    duplicates: node.duplicates ?? (node.local ? 'ignore' : 'error'),
    format,
    ...(node.columns === undefined ? {} : { columns: node.columns }),
  };
}

// ---------------------------------------------------------------- entry

/** The Statement for a parsed statement; `paramOffsets` are the offsets of its `?` placeholders. */
export function buildStatement(node: StatementNode, paramOffsets: ReadonlySet<number>): Statement {
  const scope = new StatementScope(paramOffsets);
  const paramCount = scope.paramCount;
  switch (node.kind) {
    case 'select':
      return { kind: 'select', paramCount, query: assigningQuery(scope, node.query) };
    case 'createDatabase':
      checkIdentifier(node.name);
      return { kind: 'createDatabase', paramCount, name: node.name, ifNotExists: node.ifNotExists };
    case 'dropDatabase':
      return { kind: 'dropDatabase', paramCount, name: node.name, ifExists: node.ifExists };
    case 'use':
      return { kind: 'use', paramCount, db: node.db };
    case 'createTable': {
      const statement = createTable(node, scope);
      return node.asSelect === undefined || node.like !== undefined ? statement : { ...statement, asSelect: queryPrintable(scope, node.asSelect) };
    }
    case 'dropTable':
      if (node.temporary) notSupported('DROP TEMPORARY TABLE');
      return { kind: 'dropTable', paramCount, tables: node.tables.map(objectName), ifExists: node.ifExists };
    case 'truncate':
      return { kind: 'truncate', paramCount, table: objectName(node.table) };
    case 'createView':
      if (paramCount > 0) notSupported('placeholders in CREATE VIEW');
      return {
        kind: 'createView',
        paramCount,
        view: objectName(node.view),
        orReplace: node.orReplace,
        ...(node.columns === undefined ? {} : { columns: node.columns }),
        definition: node.definition,
        query: queryPrintable(scope, node.query),
      };
    case 'dropView':
      return { kind: 'dropView', paramCount, views: node.views.map(objectName), ifExists: node.ifExists };
    case 'loadData':
      return { paramCount, ...loadData(node) };
    case 'undropTable':
      return { kind: 'undropTable', paramCount, table: objectName(node.table), ...(node.as === undefined ? {} : { as: objectName(node.as) }) };
    case 'undropDatabase':
      return { kind: 'undropDatabase', paramCount, name: node.name };
    case 'userAdmin':
      return { kind: 'userAdmin', paramCount, admin: node.admin };
    case 'backupAdmin':
      return { kind: 'backupAdmin', paramCount, admin: buildBackupAdmin(node.admin) };
    case 'vacuum':
      return {
        kind: 'vacuum',
        paramCount,
        dryRun: node.dryRun,
        target: node.target.kind === 'table' ? { kind: 'table', table: objectName(node.target.table) } : node.target,
      };
    case 'undelete': {
      const table = scope.ref(node.table);
      return node.where === undefined
        ? { kind: 'undelete', paramCount: scope.paramCount, table }
        : { kind: 'undelete', paramCount: scope.paramCount, table, where: exprPrintable(scope, node.where) };
    }
    case 'alterTable':
      return alterTable(node, scope);
    case 'renameTable':
      return { kind: 'renameTable', paramCount, renames: node.renames.map((r) => ({ from: objectName(r.from), to: objectName(r.to) })) };
    case 'optimize':
      return { kind: 'optimize', paramCount, tables: node.tables.map(objectName) };
    case 'checksum':
      return { kind: 'checksum', paramCount, tables: node.tables.map(objectName) };
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
    case 'failSafe':
      return { kind: 'failSafe', paramCount, command: failSafeStatement(node.command) };
    case 'unsupported':
      return notSupported(node.what);
  }
}
