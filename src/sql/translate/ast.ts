// The syntax tree that grammar/*.peggy builds and the printer walks. It lives in
// translate/ (not parse/) so that the dependency runs one way: parse/ produces
// these nodes, translate/ consumes them, and nothing in translate/ imports parse/.
//
// Every union below is closed: the printer and the walkers keep one handler per
// `kind` in a Record keyed by the kind, so adding a node kind without handling it
// fails to compile.
import type { UserAdminStatement } from '../user-statement.js';
import type { BackupAdminStatement } from '../backup-statement.js';
import type { AsOf, ColumnPosition, MySqlBaseType, PartitionSpec, VariableScope } from '../statement.js';
import type { ExternalTableLocation, FailSafeStatement, StagePath } from '../failsafe-statement.js';

// ---------------------------------------------------------------- expressions

export interface NumberLiteral {
  readonly kind: 'number';
  /** As written: `1`, `1.50`, `.5`, `1e3`. Never signed (unary minus is a node). */
  readonly text: string;
}

export interface StringLiteral {
  readonly kind: 'string';
  /** Escapes resolved, adjacent literals joined. */
  readonly value: string;
  /** Written with the `_binary` introducer. */
  readonly binary: boolean;
}

/** `X'0f'` or `0x0f`: a binary string in MySQL. */
export interface HexLiteral {
  readonly kind: 'hex';
  /** Even number of hex digits. */
  readonly digits: string;
}

/** `b'0101'` or `0b0101`. */
export interface BitLiteral {
  readonly kind: 'bit';
  readonly digits: string;
}

export interface NullLiteral {
  readonly kind: 'null';
}

export interface BooleanLiteral {
  readonly kind: 'boolean';
  readonly value: boolean;
}

export const TYPED_LITERAL_TYPES = ['DATE', 'TIME', 'TIMESTAMP'] as const;
export type TypedLiteralType = (typeof TYPED_LITERAL_TYPES)[number];

/** `DATE '2024-01-01'`, `{ts '...'}`. */
export interface TypedLiteral {
  readonly kind: 'typedLiteral';
  readonly type: TypedLiteralType;
  readonly value: string;
}

export interface ColumnRef {
  readonly kind: 'column';
  readonly db?: string;
  readonly table?: string;
  readonly name: string;
}

/** A `?` placeholder; its index is its rank among the statement's placeholders. */
export interface Parameter {
  readonly kind: 'parameter';
  readonly offset: number;
}

export interface SystemVariable {
  readonly kind: 'systemVariable';
  readonly scope: VariableScope;
  readonly name: string;
}

export interface UserVariable {
  readonly kind: 'userVariable';
  readonly name: string;
}

/** `@name := value`: its value is `value`'s; only the select list may hold it (see Printer.select). */
export interface UserVariableAssignment {
  readonly kind: 'assignUserVariable';
  readonly name: string;
  readonly value: Expr;
}

export const UNARY_OPERATORS = ['-', '+', '~', 'NOT', 'BINARY'] as const;
export type UnaryOperator = (typeof UNARY_OPERATORS)[number];

export interface UnaryOp {
  readonly kind: 'unary';
  readonly op: UnaryOperator;
  readonly operand: Expr;
}

export const COMPARISON_OPERATORS = ['=', '<>', '<', '<=', '>', '>='] as const;
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];

/** MySQL spellings are normalised by the grammar: `!=` is `<>`, `%` is MOD, `||` OR, `&&` AND. */
export const BINARY_OPERATORS = [
  'OR',
  'XOR',
  'AND',
  ...COMPARISON_OPERATORS,
  '<=>',
  '|',
  '&',
  '<<',
  '>>',
  '+',
  '-',
  '*',
  '/',
  'DIV',
  'MOD',
  '^',
  '->',
  '->>',
] as const;
export type BinaryOperator = (typeof BINARY_OPERATORS)[number];

export interface BinaryOp {
  readonly kind: 'binary';
  readonly op: BinaryOperator;
  readonly left: Expr;
  readonly right: Expr;
}

export interface LikeOp {
  readonly kind: 'like';
  readonly not: boolean;
  readonly expr: Expr;
  readonly pattern: Expr;
  readonly escape?: Expr;
}

export interface RegexpOp {
  readonly kind: 'regexp';
  readonly not: boolean;
  readonly expr: Expr;
  readonly pattern: Expr;
}

export interface IsOp {
  readonly kind: 'is';
  readonly not: boolean;
  readonly expr: Expr;
  readonly value: 'NULL' | 'TRUE' | 'FALSE' | 'UNKNOWN';
}

export interface BetweenOp {
  readonly kind: 'between';
  readonly not: boolean;
  readonly expr: Expr;
  readonly low: Expr;
  readonly high: Expr;
}

export interface InListOp {
  readonly kind: 'inList';
  readonly not: boolean;
  readonly expr: Expr;
  readonly list: readonly Expr[];
}

export interface InQueryOp {
  readonly kind: 'inQuery';
  readonly not: boolean;
  readonly expr: Expr;
  readonly query: QueryNode;
}

export interface ExistsOp {
  readonly kind: 'exists';
  readonly query: QueryNode;
}

/** A scalar subquery. */
export interface SubqueryExpr {
  readonly kind: 'subquery';
  readonly query: QueryNode;
}

/** `a = ANY (SELECT ...)`, `a > ALL (SELECT ...)` (SOME is ANY). */
export interface QuantifiedOp {
  readonly kind: 'quantified';
  readonly op: ComparisonOperator;
  readonly quantifier: 'ANY' | 'ALL';
  readonly expr: Expr;
  readonly query: QueryNode;
}

export type FrameBound =
  | { readonly kind: 'unboundedPreceding' | 'unboundedFollowing' | 'currentRow' }
  | { readonly kind: 'preceding' | 'following'; readonly value: Expr };

export interface WindowFrame {
  readonly units: 'ROWS' | 'RANGE';
  readonly start: FrameBound;
  readonly end?: FrameBound;
}

export interface WindowSpec {
  /** A named window this one refines (`OVER w`, `OVER (w ORDER BY x)`). */
  readonly base?: string;
  readonly partitionBy: readonly Expr[];
  readonly orderBy: readonly OrderByItem[];
  readonly frame?: WindowFrame;
}

export interface FunctionCall {
  readonly kind: 'call';
  /** Upper-cased. */
  readonly name: string;
  readonly args: readonly Expr[];
  /** `COUNT(*)`. */
  readonly star: boolean;
  readonly distinct: boolean;
  /** GROUP_CONCAT(... ORDER BY ...). */
  readonly orderBy: readonly OrderByItem[];
  /** GROUP_CONCAT(... SEPARATOR '...'). */
  readonly separator?: string;
  readonly over?: WindowSpec;
  /** False for the keyword forms `CURRENT_TIMESTAMP`, `CURRENT_USER`, ... */
  readonly parens: boolean;
}

export const CAST_TYPE_NAMES = [
  'SIGNED',
  'UNSIGNED',
  'CHAR',
  'DECIMAL',
  'DATE',
  'DATETIME',
  'TIME',
  'BINARY',
  'JSON',
  'DOUBLE',
  'FLOAT',
] as const;
export type CastTypeName = (typeof CAST_TYPE_NAMES)[number];

export interface CastType {
  readonly name: CastTypeName;
  /** CHAR(n), BINARY(n), DECIMAL(p[,s]), DATETIME(fsp), TIME(fsp). */
  readonly length?: number;
  readonly scale?: number;
}

/** CAST(x AS t) and CONVERT(x, t). */
export interface CastExpr {
  readonly kind: 'cast';
  readonly expr: Expr;
  readonly type: CastType;
}

export interface ConvertUsingExpr {
  readonly kind: 'convertUsing';
  readonly expr: Expr;
  readonly charset: string;
}

export interface CaseExpr {
  readonly kind: 'case';
  readonly operand?: Expr;
  readonly whens: readonly { readonly when: Expr; readonly then: Expr }[];
  readonly else?: Expr;
}

export const INTERVAL_UNITS = [
  'MICROSECOND',
  'SECOND',
  'MINUTE',
  'HOUR',
  'DAY',
  'WEEK',
  'MONTH',
  'QUARTER',
  'YEAR',
  'SECOND_MICROSECOND',
  'MINUTE_MICROSECOND',
  'MINUTE_SECOND',
  'HOUR_MICROSECOND',
  'HOUR_SECOND',
  'HOUR_MINUTE',
  'DAY_MICROSECOND',
  'DAY_SECOND',
  'DAY_MINUTE',
  'DAY_HOUR',
  'YEAR_MONTH',
] as const;
export type IntervalUnit = (typeof INTERVAL_UNITS)[number];

export interface IntervalExpr {
  readonly kind: 'interval';
  readonly value: Expr;
  readonly unit: IntervalUnit;
}

export interface ExtractExpr {
  readonly kind: 'extract';
  readonly unit: IntervalUnit;
  readonly expr: Expr;
}

export interface TrimExpr {
  readonly kind: 'trim';
  readonly side: 'BOTH' | 'LEADING' | 'TRAILING';
  readonly remove?: Expr;
  readonly expr: Expr;
}

export interface CollateExpr {
  readonly kind: 'collate';
  readonly expr: Expr;
  readonly collation: string;
}

/** `(a, b)` or `ROW(a, b)`. */
export interface RowExpr {
  readonly kind: 'row';
  readonly items: readonly Expr[];
}

/** `VALUES(col)` inside INSERT ... ON DUPLICATE KEY UPDATE. */
export interface InsertedValueExpr {
  readonly kind: 'insertedValue';
  readonly column: string;
}

/** `TIMESTAMPDIFF(unit, a, b)` and `TIMESTAMPADD(unit, n, d)`: their first argument is a unit keyword. */
export interface TimestampFunction {
  readonly kind: 'timestampFunction';
  readonly name: 'TIMESTAMPDIFF' | 'TIMESTAMPADD';
  readonly unit: IntervalUnit;
  readonly left: Expr;
  readonly right: Expr;
}

export type Expr =
  | NumberLiteral
  | StringLiteral
  | HexLiteral
  | BitLiteral
  | NullLiteral
  | BooleanLiteral
  | TypedLiteral
  | ColumnRef
  | Parameter
  | SystemVariable
  | UserVariable
  | UserVariableAssignment
  | UnaryOp
  | BinaryOp
  | LikeOp
  | RegexpOp
  | IsOp
  | BetweenOp
  | InListOp
  | InQueryOp
  | ExistsOp
  | SubqueryExpr
  | QuantifiedOp
  | FunctionCall
  | CastExpr
  | ConvertUsingExpr
  | CaseExpr
  | IntervalExpr
  | ExtractExpr
  | TrimExpr
  | CollateExpr
  | RowExpr
  | InsertedValueExpr
  | TimestampFunction;

export type ExprKind = Expr['kind'];

export interface OrderByItem {
  readonly expr: Expr;
  readonly direction: 'ASC' | 'DESC';
}

// ---------------------------------------------------------------- queries

export interface ObjectNameNode {
  readonly db?: string;
  readonly name: string;
}

export interface TableNode {
  readonly kind: 'table';
  readonly db?: string;
  readonly name: string;
  readonly alias?: string;
  readonly asOf?: AsOf;
  /** Arguments of a table function (`FROM fuse_snapshot('db', 't')`). */
  readonly args?: readonly string[];
  /** Staged files as a table (`FROM @stage/path (FILE_FORMAT => 'csv')`), options as written ([E]). */
  readonly stage?: { readonly at: StagePath; readonly options: readonly (readonly [name: string, value: string])[] };
}

export interface DerivedTableNode {
  readonly kind: 'derived';
  readonly query: QueryNode;
  readonly alias: string;
  readonly columns?: readonly string[];
  readonly lateral: boolean;
}

export interface JoinNode {
  readonly kind: 'join';
  /** STRAIGHT_JOIN is an INNER join; a join without a condition is CROSS. */
  readonly type: 'INNER' | 'LEFT' | 'RIGHT' | 'CROSS';
  readonly natural: boolean;
  readonly left: TableExpr;
  readonly right: TableExpr;
  readonly on?: Expr;
  readonly using?: readonly string[];
}

export type TableExpr = TableNode | DerivedTableNode | JoinNode;
export type TableExprKind = TableExpr['kind'];

export type SelectItem =
  | {
      readonly kind: 'expr';
      readonly expr: Expr;
      readonly alias?: string;
      /** The item's source text exactly as written (MySQL names unaliased columns by it). */
      readonly text: string;
    }
  | { readonly kind: 'star'; readonly table?: string; readonly db?: string };

export interface NamedWindow {
  readonly name: string;
  readonly spec: WindowSpec;
}

export interface SelectNode {
  readonly kind: 'select';
  readonly distinct: boolean;
  /** SQL_CALC_FOUND_ROWS: FOUND_ROWS() then counts the rows without the LIMIT. */
  readonly calcFoundRows?: true;
  readonly items: readonly SelectItem[];
  /** Empty for no FROM and for FROM DUAL. */
  readonly from: readonly TableExpr[];
  readonly where?: Expr;
  readonly groupBy: readonly Expr[];
  readonly withRollup: boolean;
  readonly having?: Expr;
  readonly windows: readonly NamedWindow[];
}

export interface SetOperationNode {
  readonly kind: 'setOperation';
  readonly op: 'UNION' | 'INTERSECT' | 'EXCEPT';
  readonly all: boolean;
  readonly left: QueryBody;
  readonly right: QueryBody;
}

/** `VALUES ROW(1, 2), ROW(3, 4)`. */
export interface ValuesNode {
  readonly kind: 'values';
  readonly rows: readonly (readonly Expr[])[];
}

/** `TABLE t`. */
export interface TableValueNode {
  readonly kind: 'tableValue';
  readonly table: TableNode;
}

export type QueryBody = SelectNode | SetOperationNode | ValuesNode | TableValueNode | QueryNode;
export type QueryBodyKind = QueryBody['kind'];

export interface CommonTableExpr {
  readonly name: string;
  readonly columns?: readonly string[];
  readonly query: QueryNode;
}

export interface WithClause {
  readonly recursive: boolean;
  readonly ctes: readonly CommonTableExpr[];
}

export interface LimitClause {
  /** A number literal or a `?` placeholder. */
  readonly count: Expr;
  readonly offset?: Expr;
}

/** A query expression with its own WITH / ORDER BY / LIMIT (also a parenthesised query). */
export interface QueryNode {
  readonly kind: 'query';
  readonly with?: WithClause;
  readonly body: QueryBody;
  readonly orderBy: readonly OrderByItem[];
  readonly limit?: LimitClause;
  readonly locking: boolean;
}

// ---------------------------------------------------------------- statements

export interface TypeSpec {
  readonly base: MySqlBaseType;
  readonly unsigned: boolean;
  readonly zerofill: boolean;
  readonly length?: number;
  readonly scale?: number;
  readonly values?: readonly string[];
}

export type DefaultNode =
  | { readonly kind: 'literal'; readonly expr: Expr }
  /** CURRENT_TIMESTAMP[(n)], NOW([n]), LOCALTIME..., as MySQL allows for temporal columns. */
  | { readonly kind: 'now'; readonly fsp?: number }
  | { readonly kind: 'expression'; readonly expr: Expr; readonly text: string };

export interface ColumnDefNode {
  readonly name: string;
  readonly type: TypeSpec;
  /** undefined when neither NULL nor NOT NULL was written. */
  readonly notNull?: boolean;
  readonly default?: DefaultNode;
  readonly autoIncrement: boolean;
  readonly primaryKey: boolean;
  readonly unique: boolean;
  readonly comment?: string;
  /** ON UPDATE CURRENT_TIMESTAMP[(fsp)]. */
  readonly onUpdateNow: boolean;
  readonly generated: boolean;
}

export interface IndexDefNode {
  readonly kind: 'primary' | 'unique' | 'index' | 'fulltext' | 'spatial' | 'foreign' | 'check';
  readonly name?: string;
  readonly columns: readonly string[];
}

export interface TableOptionNode {
  readonly name: string;
  readonly value: string;
}

/** MAXVALUE inside a multi-column bound: `VALUES LESS THAN (10, MAXVALUE)`. */
export interface MaxValueNode {
  readonly kind: 'maxvalue';
}

export interface PartitionDefinitionNode {
  readonly name: string;
  readonly values: readonly (Expr | MaxValueNode)[] | 'MAXVALUE';
}

export interface PartitionNode {
  readonly kind: PartitionSpec['kind'];
  readonly expression: string;
  readonly expr?: Expr;
  readonly columns: readonly string[];
  readonly partitions: readonly PartitionDefinitionNode[];
  readonly count?: number;
}

export interface CreateTableNode {
  readonly kind: 'createTable';
  readonly temporary: boolean;
  readonly table: ObjectNameNode;
  readonly ifNotExists: boolean;
  readonly columns: readonly ColumnDefNode[];
  readonly indexes: readonly IndexDefNode[];
  readonly options: readonly TableOptionNode[];
  readonly partition?: PartitionNode;
  readonly asSelect?: QueryNode;
  readonly like?: ObjectNameNode;
  /** Databend's external table: its location and CONNECTION ([E]). */
  readonly external?: ExternalTableLocation;
}

/** One clause of ALTER TABLE, as written; see AlterAction in statement.ts. */
export type AlterActionNode =
  | { readonly kind: 'addColumn'; readonly column: ColumnDefNode; readonly position?: ColumnPosition }
  | { readonly kind: 'dropColumn'; readonly name: string }
  | { readonly kind: 'modifyColumn'; readonly column: ColumnDefNode; readonly position?: ColumnPosition }
  | { readonly kind: 'changeColumn'; readonly from: string; readonly column: ColumnDefNode; readonly position?: ColumnPosition }
  | { readonly kind: 'renameColumn'; readonly from: string; readonly to: string }
  | { readonly kind: 'alterDefault'; readonly column: string; readonly default?: DefaultNode }
  | { readonly kind: 'renameTable'; readonly to: ObjectNameNode }
  | { readonly kind: 'addIndex'; readonly index: IndexDefNode }
  | { readonly kind: 'dropIndex'; readonly name: string }
  | { readonly kind: 'dropPrimaryKey' }
  | { readonly kind: 'addPartitions'; readonly partitions: readonly PartitionDefinitionNode[] }
  | { readonly kind: 'dropPartitions'; readonly names: readonly string[] }
  | { readonly kind: 'truncatePartitions'; readonly names: readonly string[] | 'ALL' }
  | { readonly kind: 'setOptions'; readonly options: readonly TableOptionNode[] }
  | { readonly kind: 'flashback'; readonly to: AsOf }
  /** Accepted and without effect on what is stored: ALGORITHM=, LOCK=, FORCE, dropping a foreign key. */
  | { readonly kind: 'ignored'; readonly what: string }
  /** Parsed so that the error names the feature. */
  | { readonly kind: 'unsupported'; readonly what: string };

export type AlterActionNodeKind = AlterActionNode['kind'];

export interface AlterTableNode {
  readonly kind: 'alterTable';
  readonly table: ObjectNameNode;
  readonly actions: readonly AlterActionNode[];
}

/** DEFAULT where a value may be written (INSERT VALUES, SET col = DEFAULT). */
export interface DefaultKeyword {
  readonly kind: 'defaultValue';
}

export type ValueOrDefault = Expr | DefaultKeyword;

export interface AssignmentNode {
  readonly column: ColumnRef;
  readonly value: ValueOrDefault;
}

export type InsertSourceNode =
  | { readonly kind: 'values'; readonly rows: readonly (readonly ValueOrDefault[])[] }
  | { readonly kind: 'query'; readonly query: QueryNode }
  | { readonly kind: 'set'; readonly assignments: readonly AssignmentNode[] };

export interface InsertNode {
  readonly kind: 'insert';
  readonly replace: boolean;
  readonly ignore: boolean;
  readonly table: ObjectNameNode;
  readonly columns?: readonly string[];
  readonly source: InsertSourceNode;
  /** `VALUES (...) AS new [(a, b)]` (MySQL 8.0.19): names the new row in ON DUPLICATE KEY UPDATE. */
  readonly rowAlias?: { readonly name: string; readonly columns?: readonly string[] };
  readonly onDuplicate?: readonly AssignmentNode[];
}

export interface UpdateNode {
  readonly kind: 'update';
  readonly tables: readonly TableExpr[];
  readonly assignments: readonly AssignmentNode[];
  readonly where?: Expr;
  readonly orderBy: readonly OrderByItem[];
  readonly limit?: Expr;
}

export interface DeleteNode {
  readonly kind: 'delete';
  /** Targets of the multi-table form `DELETE t1, t2 FROM ...`; empty for the single-table form. */
  readonly targets: readonly ObjectNameNode[];
  readonly from: readonly TableExpr[];
  readonly where?: Expr;
  readonly orderBy: readonly OrderByItem[];
  readonly limit?: Expr;
}

export type ShowFilterNode =
  | { readonly kind: 'like'; readonly pattern: string }
  | { readonly kind: 'where'; readonly expr: Expr };

export type ShowNode =
  | { readonly kind: 'databases'; readonly filter?: ShowFilterNode }
  | { readonly kind: 'tables'; readonly db?: string; readonly full: boolean; readonly filter?: ShowFilterNode }
  | { readonly kind: 'dropTables'; readonly db?: string; readonly filter?: ShowFilterNode }
  | { readonly kind: 'columns'; readonly table: ObjectNameNode; readonly full: boolean; readonly filter?: ShowFilterNode }
  | { readonly kind: 'createTable'; readonly table: ObjectNameNode }
  | { readonly kind: 'createView'; readonly view: ObjectNameNode }
  | { readonly kind: 'createDatabase'; readonly db: string; readonly ifNotExists: boolean }
  | { readonly kind: 'index'; readonly table: ObjectNameNode; readonly filter?: ShowFilterNode }
  | { readonly kind: 'tableStatus'; readonly db?: string; readonly filter?: ShowFilterNode }
  | { readonly kind: 'variables' | 'status'; readonly scope: VariableScope; readonly filter?: ShowFilterNode }
  | { readonly kind: 'warnings' | 'errors'; readonly count: boolean; readonly limit?: number }
  | { readonly kind: 'engines' | 'processlist' | 'plugins' | 'privileges' }
  | { readonly kind: 'charset' | 'collation'; readonly filter?: ShowFilterNode }
  | { readonly kind: 'grants'; readonly user?: string }
  | { readonly kind: 'partitions'; readonly table: ObjectNameNode };

export type SetValueNode =
  | { readonly kind: 'default' }
  | { readonly kind: 'keyword'; readonly word: string }
  | { readonly kind: 'expr'; readonly expr: Expr };

export type SetItemNode =
  /** `scope` is absent when no scope was written: the previous item's scope carries over (MySQL rule). */
  | { readonly kind: 'system'; readonly scope?: VariableScope; readonly name: string; readonly value: SetValueNode }
  | { readonly kind: 'user'; readonly name: string; readonly value: Expr }
  | { readonly kind: 'names'; readonly charset: string; readonly collation?: string }
  | { readonly kind: 'characterSet'; readonly charset: string }
  | { readonly kind: 'transaction'; readonly scope: VariableScope; readonly isolation?: string; readonly readOnly?: boolean };

/**
 * `column = "value"` or `column LIKE "value"` in the WHERE of SHOW BACKUP, SHOW RESTORE,
 * SHOW SNAPSHOT or DROP SNAPSHOT, with the column as written: build-backup.ts checks it.
 */
export interface BackupConditionNode {
  readonly column: string;
  readonly op: '=' | 'like';
  readonly value: string;
}

/** A backup statement ([D]) in its Statement shape, except the WHERE clauses, still as written. */
export type BackupAdminNode =
  | Exclude<BackupAdminStatement, { readonly kind: 'showBackup' | 'showRestore' | 'showSnapshot' | 'dropSnapshot' }>
  | { readonly kind: 'showBackup'; readonly db?: string; readonly where?: BackupConditionNode }
  | { readonly kind: 'showRestore'; readonly brief: boolean; readonly db?: string; readonly where?: BackupConditionNode }
  | { readonly kind: 'showSnapshot'; readonly repository: string; readonly where: readonly BackupConditionNode[] }
  | { readonly kind: 'dropSnapshot'; readonly repository: string; readonly label: string; readonly where?: BackupConditionNode };

/** One FIELDS or LINES option of LOAD DATA, as written. */
export interface LoadOptionNode {
  readonly option: 'terminated' | 'enclosed' | 'optionallyEnclosed' | 'escaped' | 'starting';
  readonly value: string;
}

export type StatementNode =
  | { readonly kind: 'select'; readonly query: QueryNode }
  | { readonly kind: 'createDatabase'; readonly name: string; readonly ifNotExists: boolean }
  | { readonly kind: 'dropDatabase'; readonly name: string; readonly ifExists: boolean }
  | { readonly kind: 'use'; readonly db: string }
  | CreateTableNode
  | { readonly kind: 'dropTable'; readonly tables: readonly ObjectNameNode[]; readonly ifExists: boolean; readonly temporary: boolean }
  | { readonly kind: 'truncate'; readonly table: ObjectNameNode }
  | {
      readonly kind: 'createView';
      readonly view: ObjectNameNode;
      readonly orReplace: boolean;
      readonly columns?: readonly string[];
      readonly query: QueryNode;
      /** The query's text as written. */
      readonly definition: string;
    }
  | { readonly kind: 'dropView'; readonly views: readonly ObjectNameNode[]; readonly ifExists: boolean }
  | {
      readonly kind: 'loadData';
      readonly local: boolean;
      readonly file: string;
      readonly table: ObjectNameNode;
      readonly duplicates?: 'replace' | 'ignore';
      readonly fields: readonly LoadOptionNode[];
      readonly lines: readonly LoadOptionNode[];
      readonly ignoreLines?: number;
      readonly columns?: readonly string[];
      readonly hasSet: boolean;
    }
  | AlterTableNode
  | { readonly kind: 'renameTable'; readonly renames: readonly { readonly from: ObjectNameNode; readonly to: ObjectNameNode }[] }
  | { readonly kind: 'optimize'; readonly tables: readonly ObjectNameNode[] }
  | { readonly kind: 'checksum'; readonly tables: readonly ObjectNameNode[] }
  | { readonly kind: 'undropTable'; readonly table: ObjectNameNode; readonly as?: ObjectNameNode }
  | { readonly kind: 'undelete'; readonly table: TableNode; readonly where?: Expr }
  | { readonly kind: 'undropDatabase'; readonly name: string }
  | { readonly kind: 'backupAdmin'; readonly admin: BackupAdminNode }
  | { readonly kind: 'vacuum'; readonly target: { readonly kind: 'table'; readonly table: ObjectNameNode } | { readonly kind: 'dropped'; readonly db?: string }; readonly dryRun: boolean }
  | { readonly kind: 'userAdmin'; readonly admin: UserAdminStatement }
  | InsertNode
  | UpdateNode
  | DeleteNode
  | { readonly kind: 'show'; readonly show: ShowNode }
  /** DESCRIBE t [column-or-pattern]. */
  | { readonly kind: 'describe'; readonly table: ObjectNameNode; readonly column?: string }
  | { readonly kind: 'set'; readonly items: readonly SetItemNode[] }
  | { readonly kind: 'begin'; readonly readOnly: boolean }
  | { readonly kind: 'commit' | 'rollback' }
  | { readonly kind: 'kill'; readonly target: 'connection' | 'query'; readonly id: number }
  | { readonly kind: 'noop'; readonly what: string }
  | { readonly kind: 'failSafe'; readonly command: FailSafeNode }
  /** Parsed so that the error names the feature instead of pointing at its syntax. */
  | { readonly kind: 'unsupported'; readonly what: string };

export type StatementNodeKind = StatementNode['kind'];

export type CopyOptionNode =
  | { readonly kind: 'files'; readonly files: readonly string[] }
  | { readonly kind: 'pattern'; readonly pattern: string }
  | { readonly kind: 'fileFormat'; readonly options: readonly (readonly [name: string, value: string])[] };

/** CALL and COPY INTO as written (build-failsafe.ts checks them); the other fail-safe statements are already final. */
export type FailSafeNode =
  | Exclude<FailSafeStatement, { readonly kind: 'fuseAmend' | 'copyInto' }>
  | { readonly kind: 'call'; readonly procedure: string; readonly args: readonly string[]; readonly dryRun: boolean }
  | { readonly kind: 'copyInto'; readonly table: ObjectNameNode; readonly from: StagePath; readonly options: readonly CopyOptionNode[] };
