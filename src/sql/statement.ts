// The typed statements that sql/ produces and engine/ executes. sql/ is pure:
// text in, Statement out. Everything the engine must supply at run time (which
// files a table reads, the value of @@x, DATABASE()) comes through PrintContext,
// so that printing DuckDB SQL needs no I/O.
import type { BackupAdminStatement } from './backup-statement.js';
import type { ExternalTableLocation, FailSafeStatement, StageRead } from './failsafe-statement.js';
import type { UserAdminStatement } from './user-statement.js';

export type { BackupAdminStatement } from './backup-statement.js';
export type { FailSafeStatement } from './failsafe-statement.js';
export type { UserAdminStatement } from './user-statement.js';

export interface ObjectName {
  /** Absent when the statement relies on the session's current database. */
  readonly db?: string;
  readonly name: string;
}

/** A point in a table's history ([F]); parsed now, resolved by the engine. */
export type AsOf =
  | { readonly kind: 'snapshot'; readonly id: string }
  | { readonly kind: 'timestamp'; readonly value: string };

/** One reference to a base table in a FROM clause (CTE names are not table refs). */
export interface TableRef extends ObjectName {
  /** Unique within one statement; lets the engine tell two references to the same table apart. */
  readonly refId: number;
  readonly alias?: string;
  readonly asOf?: AsOf;
  /** Present for a table function such as `fuse_snapshot('db', 't')`: its (string) arguments. */
  readonly args?: readonly string[];
  /** Present for staged files read as a table: `FROM @stage/path (FILE_FORMAT => 'csv')` ([E]). */
  readonly stage?: StageRead;
}

export type SqlValue = null | string | number | bigint | boolean | Uint8Array;

export const SESSION_FUNCTIONS = [
  'DATABASE',
  'USER',
  'CURRENT_USER',
  'CONNECTION_ID',
  'LAST_INSERT_ID',
  'VERSION',
  'FOUND_ROWS',
  'ROW_COUNT',
] as const;
export type SessionFunctionName = (typeof SESSION_FUNCTIONS)[number];

export type VariableScope = 'session' | 'global' | 'default';

export interface PrintContext {
  /**
   * A DuckDB relation that reads the table: a parenthesised subquery or a
   * relation name. The printer adds `AS <alias ?? name>` after it.
   */
  table(ref: TableRef): string;
  /** Value of @@[scope.]name. Throws SqlError ER_UNKNOWN_SYSTEM_VARIABLE when unknown. */
  systemVariable(name: string, scope: VariableScope): SqlValue;
  /** Value of @name (NULL when never set). */
  userVariable(name: string): SqlValue;
  sessionFunction(name: SessionFunctionName): SqlValue;
  /** Value bound to the index-th `?` (0-based) of a prepared statement. */
  parameter(index: number): SqlValue;
  /**
   * Inside INSERT ... ON DUPLICATE KEY UPDATE only: a DuckDB expression for
   * `column` of the row that was about to be inserted (MySQL's `VALUES(col)` and
   * `new.col` of `VALUES (...) AS new`), e.g. `excluded."col"`. Printing those
   * forms without this hook fails with ER_NOT_SUPPORTED_YET.
   */
  insertedValue?(column: string): string;
  /**
   * A warning MySQL raises while evaluating the statement, found when printing it
   * (constant operands only: 1/0, CAST('abc' AS SIGNED), 'abc' + 1). Absent: dropped.
   */
  warn?(warning: PrintWarning): void;
  /**
   * A statement that changes data under a strict sql_mode with ERROR_FOR_DIVISION_BY_ZERO:
   * dividing a non-NULL value by zero fails it with 1365 (DuckDB's error() with the
   * message `Division by 0`) instead of giving NULL. MySQL checks this per row.
   */
  readonly strictDivision?: boolean;
  /**
   * The session's time zone (`session`: @@time_zone with 'SYSTEM' resolved) or the
   * server's (`system`: @@system_time_zone), as '+hh:mm' or a zone name. NOW(),
   * CURDATE(), FROM_UNIXTIME(), UNIX_TIMESTAMP() and CONVERT_TZ print it into the SQL.
   * Absent (column defaults, printed once at CREATE TABLE): DuckDB's TimeZone.
   */
  timeZone?(which: 'session' | 'system'): string;
  /**
   * GET_LOCK, RELEASE_LOCK, IS_FREE_LOCK, IS_USED_LOCK and RELEASE_ALL_LOCKS: the server's
   * named locks, with the call's arguments (constants, `?` or @variables). Absent: the
   * functions fail with ER_NOT_SUPPORTED_YET.
   */
  userLock?(fn: UserLockFunction, args: readonly SqlValue[]): SqlValue;
}

export const USER_LOCK_FUNCTIONS = ['GET_LOCK', 'RELEASE_LOCK', 'IS_FREE_LOCK', 'IS_USED_LOCK', 'RELEASE_ALL_LOCKS'] as const;
export type UserLockFunction = (typeof USER_LOCK_FUNCTIONS)[number];

export interface PrintWarning {
  readonly level: 'Note' | 'Warning';
  readonly code: number;
  readonly message: string;
}

/** A piece of MySQL SQL that prints as DuckDB SQL once the engine resolves its context. */
export interface Printable {
  /** Base tables it reads (including those in subqueries). */
  readonly tables: readonly TableRef[];
  print(ctx: PrintContext): string;
  /**
   * Set when it is a plain (not `_binary`) string literal of UTF-8 text: DuckDB's
   * CAST to BLOB refuses non-ASCII text and reads `\x..` escapes in it, so a BLOB
   * column takes it through encode() instead, as MySQL stores the text's bytes.
   */
  readonly textLiteral?: true;
  /**
   * Set when it is a literal of bytes (`X'..'`, `_binary'..'`, a string holding bytes
   * that are not UTF-8): a text column takes its bytes as UTF-8 text, through decode(),
   * where DuckDB's CAST to VARCHAR would write `\x..` escapes.
   */
  readonly binaryLiteral?: true;
}

export const COLUMN_BOUND_OPERATORS = ['=', '<', '<=', '>', '>=', 'in', 'isNull'] as const;
export type ColumnBoundOperator = (typeof COLUMN_BOUND_OPERATORS)[number];

/**
 * A conjunct of a WHERE that bounds one column of one table reference: a row of
 * that reference that fails it is never selected, so a data file whose min/max
 * statistics show that none of its rows can pass may be skipped.
 *
 * Values are as written, not converted to the column's type: a number literal is a
 * number (a bigint beyond 2^53), a string or a DATE/TIME/TIMESTAMP literal is a
 * string, TRUE/FALSE a boolean, `?` and `@var` whatever the session holds. NULL
 * never appears (`col = NULL` and an IN member NULL select nothing). Compare only
 * when the column's type and the value's type agree. Strings compare under the
 * session's collation, case- and accent-insensitive by default: byte-ordered
 * min/max statistics may not be compared with them as they are.
 */
export interface ColumnBound {
  /** The TableRef it constrains (for UPDATE/DELETE: the target's refId). */
  readonly refId: number;
  /** As written (the engine matches case-insensitively). */
  readonly column: string;
  readonly op: ColumnBoundOperator;
  /** One for comparisons, one or more for `in`, none for `isNull`. */
  readonly values: readonly SqlValue[];
}

/**
 * Where one item of a SELECT list comes from: a column of one of the given table
 * references (the one that has it), every column of those references (`*`, `t.*`),
 * a COUNT, or anything else.
 */
export type SelectOutput =
  | { readonly kind: 'column'; readonly refIds: readonly number[]; readonly column: string }
  | { readonly kind: 'star'; readonly refIds: readonly number[] }
  /** COUNT(...): MySQL's BIGINT(21) NOT NULL. */
  | { readonly kind: 'count' }
  | { readonly kind: 'expression' };

/**
 * The select list of a single query block over base tables, so that result columns
 * read straight from a table can be described as that table's columns: clients take
 * type, length, NOT NULL, keys and table names from the column definitions.
 */
export interface SelectOutputs {
  readonly items: readonly SelectOutput[];
  /** References on the NULL-extended side of an outer join: their columns may be NULL. */
  readonly outerRefIds: readonly number[];
}

/** A row-producing query (SELECT, UNION, VALUES, TABLE t, WITH ... SELECT). */
export interface Query extends Printable {
  /** FOR UPDATE / LOCK IN SHARE MODE were given (accepted, no effect). */
  readonly locking: boolean;
  /** Absent for set operations, derived tables, NATURAL/USING joins and CTE reads. */
  readonly outputs?: SelectOutputs;
  /**
   * By result column: the decimals MySQL declares for it when it is a DOUBLE (PI() 6,
   * ROUND(x, n) n, PERCENT_RANK()/CUME_DIST() 10, MariaDB's), which MySQL's text
   * protocol prints with exactly that many digits. Undefined where none is declared
   * (DuckDB's shortest form then), and absent for a select list with `*`.
   */
  readonly doubleDecimals?: readonly (number | undefined)[];
  /**
   * Bounds from the WHERE of a single query block (empty for set operations and
   * when no conjunct qualifies). A function because `?` and `@var` values are
   * known only at execution.
   */
  bounds?(ctx: PrintContext): readonly ColumnBound[];
  /**
   * With SQL_CALC_FOUND_ROWS: a query of one row and column, the number of rows the
   * query has without its LIMIT (what FOUND_ROWS() returns next).
   */
  printFoundRows?(ctx: PrintContext): string;
  /**
   * User variables the SELECT assigns (`SELECT @m := MAX(x) FROM t`): the printed query
   * ends with one more column per name, in this order, holding the value the variable
   * has once the row is done. The engine strips them and stores the last row's values
   * in the session, as MySQL leaves them.
   */
  readonly assignedVariables?: readonly string[];
  /** The query calls a named-lock function (GET_LOCK, ...): the engine answers those before it runs. */
  readonly userLocks?: true;
}

export const MYSQL_BASE_TYPES = [
  'TINYINT',
  'SMALLINT',
  'MEDIUMINT',
  'INT',
  'BIGINT',
  'DECIMAL',
  'FLOAT',
  'DOUBLE',
  'BIT',
  'BOOLEAN',
  'CHAR',
  'VARCHAR',
  'TINYTEXT',
  'TEXT',
  'MEDIUMTEXT',
  'LONGTEXT',
  'BINARY',
  'VARBINARY',
  'TINYBLOB',
  'BLOB',
  'MEDIUMBLOB',
  'LONGBLOB',
  'DATE',
  'DATETIME',
  'TIMESTAMP',
  'TIME',
  'YEAR',
  'JSON',
  'ENUM',
  'SET',
] as const;
export type MySqlBaseType = (typeof MYSQL_BASE_TYPES)[number];

/** A column type as declared in MySQL, with the DuckDB type that stores it. */
export interface ColumnType {
  readonly base: MySqlBaseType;
  readonly unsigned: boolean;
  /** Display width / char length / decimal precision, as declared. */
  readonly length?: number;
  /** Decimal scale. */
  readonly scale?: number;
  /** Fractional seconds precision of DATETIME/TIMESTAMP/TIME. */
  readonly fsp?: number;
  /** ENUM / SET members. */
  readonly values?: readonly string[];
  /** How SHOW COLUMNS / SHOW CREATE TABLE print it, e.g. `int unsigned`, `varchar(20)`, `decimal(10,2)`. */
  readonly mysql: string;
  /** The DuckDB type used for storage and casts, e.g. `UINTEGER`, `DECIMAL(10,2)`, `TIMESTAMP`. */
  readonly duck: string;
}

export type DefaultValue =
  | { readonly kind: 'literal'; readonly value: SqlValue }
  /** An expression such as CURRENT_TIMESTAMP; `mysql` is how SHOW prints it. */
  | { readonly kind: 'expression'; readonly mysql: string; readonly duck: string };

export interface ColumnDef {
  readonly name: string;
  readonly type: ColumnType;
  readonly notNull: boolean;
  readonly default?: DefaultValue;
  readonly autoIncrement: boolean;
  readonly comment?: string;
  /** `ON UPDATE CURRENT_TIMESTAMP` was given. */
  readonly onUpdateCurrentTimestamp: boolean;
}

export interface IndexDef {
  readonly kind: 'primary' | 'unique' | 'index';
  readonly name?: string;
  readonly columns: readonly string[];
}

export interface PartitionSpec {
  readonly kind: 'range' | 'rangeColumns' | 'list' | 'listColumns' | 'hash' | 'key';
  /** Partitioning expression or column list as MySQL text. */
  readonly expression: string;
  readonly columns: readonly string[];
  readonly partitions: readonly {
    readonly name: string;
    /** VALUES LESS THAN (...) bounds, or `MAXVALUE`; VALUES IN (...) members. */
    readonly values: readonly SqlValue[] | 'MAXVALUE';
  }[];
  /** PARTITIONS n, for hash/key. */
  readonly count?: number;
}

export type InsertValue = { readonly kind: 'default' } | { readonly kind: 'expr'; readonly expr: Printable };

export type InsertSource =
  | { readonly kind: 'values'; readonly rows: readonly (readonly InsertValue[])[] }
  | { readonly kind: 'query'; readonly query: Query };

export interface Assignment {
  readonly column: string;
  /** `VALUES(col)` inside ON DUPLICATE KEY UPDATE prints through PrintContext as a column of the new row. */
  readonly value: InsertValue;
}

export interface OrderItem {
  readonly expr: Printable;
  readonly direction: 'ASC' | 'DESC';
}

export type ShowFilter =
  | { readonly kind: 'like'; readonly pattern: string }
  /** Evaluated over the SHOW output's own columns. */
  | { readonly kind: 'where'; readonly expr: Printable };

export type ShowStatement =
  | { readonly kind: 'databases'; readonly filter?: ShowFilter }
  | { readonly kind: 'tables'; readonly db?: string; readonly full: boolean; readonly filter?: ShowFilter }
  | { readonly kind: 'columns'; readonly table: ObjectName; readonly full: boolean; readonly filter?: ShowFilter }
  | { readonly kind: 'createTable'; readonly table: ObjectName }
  | { readonly kind: 'createView'; readonly view: ObjectName }
  | { readonly kind: 'createDatabase'; readonly db: string; readonly ifNotExists: boolean }
  | { readonly kind: 'index'; readonly table: ObjectName; readonly filter?: ShowFilter }
  | { readonly kind: 'tableStatus'; readonly db?: string; readonly filter?: ShowFilter }
  | { readonly kind: 'variables'; readonly scope: VariableScope; readonly filter?: ShowFilter }
  | { readonly kind: 'status'; readonly scope: VariableScope; readonly filter?: ShowFilter }
  | { readonly kind: 'warnings' | 'errors'; readonly count: boolean; readonly limit?: number }
  | { readonly kind: 'engines' | 'processlist' | 'plugins' | 'privileges' }
  | { readonly kind: 'charset' | 'collation'; readonly filter?: ShowFilter }
  | { readonly kind: 'grants'; readonly user?: string }
  | { readonly kind: 'partitions'; readonly table: ObjectName }
  /** Databend's SHOW DROP TABLES [FROM db]: dropped tables that UNDROP can still bring back. */
  | { readonly kind: 'dropTables'; readonly db?: string; readonly filter?: ShowFilter };

/** How LOAD DATA splits a file into rows and fields (MySQL's defaults: tab-separated, backslash escapes). */
export interface LoadDataFormat {
  readonly fieldsTerminatedBy: string;
  readonly enclosedBy: string;
  /** ENCLOSED only around strings (OPTIONALLY): read the same way. */
  readonly optionallyEnclosed: boolean;
  readonly escapedBy: string;
  readonly linesStartingBy: string;
  readonly linesTerminatedBy: string;
  readonly ignoreLines: number;
}

export interface LoadDataStatement {
  readonly kind: 'loadData';
  readonly local: boolean;
  readonly file: string;
  readonly table: ObjectName;
  /** What a row with a duplicate key does; LOCAL without REPLACE behaves as IGNORE, as in MySQL. */
  readonly duplicates: 'error' | 'replace' | 'ignore';
  readonly format: LoadDataFormat;
  readonly columns?: readonly string[];
}

export type SetAssignment =
  | {
      readonly kind: 'system';
      readonly scope: VariableScope;
      readonly name: string;
      /** `DEFAULT` or `ON`/`OFF` style bare words come through as `keyword`. */
      readonly value: { readonly kind: 'default' } | { readonly kind: 'keyword'; readonly word: string } | { readonly kind: 'expr'; readonly expr: Printable };
    }
  | { readonly kind: 'user'; readonly name: string; readonly value: Printable }
  | { readonly kind: 'names'; readonly charset: string; readonly collation?: string }
  | { readonly kind: 'transaction'; readonly scope: VariableScope; readonly isolation?: string; readonly readOnly?: boolean };

export type ColumnPosition = { readonly kind: 'first' } | { readonly kind: 'after'; readonly column: string };

/** What VACUUM cleans: one table's expired and orphaned files, or dropped tables (of one database, or everywhere, with dropped databases). */
export type VacuumTarget = { readonly kind: 'table'; readonly table: ObjectName } | { readonly kind: 'dropped'; readonly db?: string };

/** One clause of ALTER TABLE, in the order written. */
export type AlterAction =
  | { readonly kind: 'addColumn'; readonly column: ColumnDef; readonly position?: ColumnPosition }
  | { readonly kind: 'dropColumn'; readonly name: string }
  /** MODIFY [COLUMN] c <definition> */
  | { readonly kind: 'modifyColumn'; readonly column: ColumnDef; readonly position?: ColumnPosition }
  /** CHANGE [COLUMN] old new <definition> */
  | { readonly kind: 'changeColumn'; readonly from: string; readonly column: ColumnDef; readonly position?: ColumnPosition }
  | { readonly kind: 'renameColumn'; readonly from: string; readonly to: string }
  /** ALTER [COLUMN] c SET DEFAULT ... / DROP DEFAULT (default absent) */
  | { readonly kind: 'alterDefault'; readonly column: string; readonly default?: DefaultValue }
  | { readonly kind: 'renameTable'; readonly to: ObjectName }
  | { readonly kind: 'addIndex'; readonly index: IndexDef }
  | { readonly kind: 'dropIndex'; readonly name: string }
  | { readonly kind: 'dropPrimaryKey' }
  | { readonly kind: 'addPartitions'; readonly partitions: PartitionSpec['partitions'] }
  | { readonly kind: 'dropPartitions'; readonly names: readonly string[] }
  | { readonly kind: 'truncatePartitions'; readonly names: readonly string[] | 'ALL' }
  /** Table options: `ENGINE=x, COMMENT='..', AUTO_INCREMENT=n` and Databend's `SET OPTIONS (k = v, ...)`; names lower-cased. */
  | { readonly kind: 'setOptions'; readonly options: Readonly<Record<string, string>> }
  /** ALTER TABLE t FLASHBACK TO (SNAPSHOT => ... | TIMESTAMP => ...) ([F]) */
  | { readonly kind: 'flashback'; readonly to: AsOf };

export type Statement = { readonly paramCount: number } & (
  | { readonly kind: 'select'; readonly query: Query }
  | { readonly kind: 'createDatabase'; readonly name: string; readonly ifNotExists: boolean }
  | { readonly kind: 'dropDatabase'; readonly name: string; readonly ifExists: boolean }
  | { readonly kind: 'use'; readonly db: string }
  | {
      readonly kind: 'createTable';
      readonly table: ObjectName;
      readonly ifNotExists: boolean;
      readonly columns: readonly ColumnDef[];
      readonly indexes: readonly IndexDef[];
      /** Table options (ENGINE=..., COMMENT=..., ducksafe options), names lower-cased. */
      readonly options: Readonly<Record<string, string>>;
      readonly partition?: PartitionSpec;
      readonly asSelect?: Query;
      readonly like?: ObjectName;
      /** An external table's location and CONNECTION ([E]): its log and data live there. */
      readonly external?: ExternalTableLocation;
    }
  | { readonly kind: 'dropTable'; readonly tables: readonly ObjectName[]; readonly ifExists: boolean }
  | {
      readonly kind: 'createView';
      readonly view: ObjectName;
      readonly orReplace: boolean;
      readonly columns?: readonly string[];
      /** The SELECT as written; stored, and parsed again whenever the view is read. */
      readonly definition: string;
      readonly query: Query;
    }
  | { readonly kind: 'dropView'; readonly views: readonly ObjectName[]; readonly ifExists: boolean }
  | LoadDataStatement
  | { readonly kind: 'alterTable'; readonly table: ObjectName; readonly actions: readonly AlterAction[] }
  /** RENAME TABLE a TO b [, c TO d] — applied in order, atomically. */
  | { readonly kind: 'renameTable'; readonly renames: readonly { readonly from: ObjectName; readonly to: ObjectName }[] }
  | { readonly kind: 'optimize'; readonly tables: readonly ObjectName[] }
  /** CHECKSUM TABLE: a checksum of each table's rows, to compare copies (a restored table with its source). */
  | { readonly kind: 'checksum'; readonly tables: readonly ObjectName[] }
  /**
   * UNDELETE FROM t [WHERE ...] AT (TIMESTAMP => ... | SNAPSHOT => ...): re-inserts the rows
   * that existed then (and match the WHERE) and are missing now. `table.asOf` is set.
   */
  | { readonly kind: 'undelete'; readonly table: TableRef; readonly where?: Printable }
  /** UNDROP TABLE t [AS new_name] (the AS form is for a name reused since the drop). */
  | { readonly kind: 'undropTable'; readonly table: ObjectName; readonly as?: ObjectName }
  | { readonly kind: 'undropDatabase'; readonly name: string }
  /**
   * VACUUM TABLE t / VACUUM DROP TABLE [FROM db] ([F]): remove files no retained state
   * needs; DRY RUN lists them instead.
   */
  | { readonly kind: 'vacuum'; readonly target: VacuumTarget; readonly dryRun: boolean }
  /** Repositories, BACKUP/RESTORE SNAPSHOT and their SHOW/CANCEL/DROP statements ([D]). */
  | { readonly kind: 'backupAdmin'; readonly admin: BackupAdminStatement }
  /** CALL system$fuse_amend, stages, LIST/REMOVE and COPY INTO ([E]). */
  | { readonly kind: 'failSafe'; readonly command: FailSafeStatement }
  /** Users, roles, GRANT/REVOKE, SET PASSWORD ([H]). */
  | { readonly kind: 'userAdmin'; readonly admin: UserAdminStatement }
  | { readonly kind: 'truncate'; readonly table: ObjectName }
  | {
      readonly kind: 'insert';
      readonly table: ObjectName;
      readonly columns?: readonly string[];
      readonly source: InsertSource;
      readonly ignore: boolean;
      readonly replace: boolean;
      readonly onDuplicate?: readonly Assignment[];
    }
  | {
      readonly kind: 'update';
      readonly table: TableRef;
      readonly assignments: readonly Assignment[];
      readonly where?: Printable;
      readonly orderBy?: readonly OrderItem[];
      readonly limit?: number;
      /** Bounds on `table` from the WHERE (see ColumnBound). */
      bounds?(ctx: PrintContext): readonly ColumnBound[];
    }
  | {
      readonly kind: 'delete';
      readonly table: TableRef;
      readonly where?: Printable;
      readonly orderBy?: readonly OrderItem[];
      readonly limit?: number;
      /** Bounds on `table` from the WHERE (see ColumnBound). */
      bounds?(ctx: PrintContext): readonly ColumnBound[];
    }
  | { readonly kind: 'show'; readonly show: ShowStatement }
  | { readonly kind: 'describe'; readonly table: ObjectName }
  | { readonly kind: 'set'; readonly assignments: readonly SetAssignment[] }
  | { readonly kind: 'begin'; readonly readOnly: boolean }
  | { readonly kind: 'commit' | 'rollback' }
  | { readonly kind: 'kill'; readonly target: 'connection' | 'query'; readonly id: number }
  /** Statements accepted for client compatibility that change nothing (e.g. LOCK TABLES, FLUSH). */
  | { readonly kind: 'noop'; readonly what: string }
);

export type StatementKind = Statement['kind'];
