// The AST → DuckDB SQL printer. One handler per node kind in tables keyed by the
// kind, so a kind without a handler does not compile. Compound expressions are
// always parenthesised: the output never depends on DuckDB's operator precedence
// agreeing with MySQL's.
import { sqlError } from '../../errors/registry.js';
import type { PrintContext, SessionFunctionName, SqlValue, TableRef, UserLockFunction } from '../statement.js';
import type {
  BinaryOp,
  CastExpr,
  Expr,
  ExprKind,
  FunctionCall,
  IntervalExpr,
  JoinNode,
  OrderByItem,
  QueryBody,
  QueryBodyKind,
  QueryNode,
  SelectItem,
  SelectNode,
  TableExpr,
  TableExprKind,
  TableNode,
  TrimExpr,
  UserVariable,
  UserVariableAssignment,
  WindowSpec,
} from './ast.js';
import { childrenOf } from './walk.js';
import type { ExprPrinter } from './expr-printer.js';
import { FUNCTIONS, type FunctionRule } from './functions.js';
import { hexOf, quoteIdentifier, quoteString, rawBytesOf, valueLiteral } from './literals.js';
import { extractSql, intervalSql, isDateUnit, SERVER_LOCAL_ZONE, timestampDiffSql, temporalTypeOf, type TemporalType } from './temporal.js';
import { MAX_DECIMAL_PRECISION } from './types.js';

/** What the printer knows about the statement beyond the node it prints. */
export interface PrintScope {
  /** Base-table references by node; a table node without an entry names a CTE. */
  readonly refs: ReadonlyMap<TableNode, TableRef>;
  /** `?` offset in the statement text → placeholder index. */
  readonly paramIndex: ReadonlyMap<number, number>;
}

/**
 * Inside INSERT ... ON DUPLICATE KEY UPDATE, `VALUES(col)` and `alias.col` (the
 * row alias of `VALUES (...) AS alias`) name the row that was about to be inserted.
 */
export interface InsertedRow {
  readonly alias?: string;
  /** Row-alias column name → table column name (`AS new(x, y)`). */
  readonly columns: ReadonlyMap<string, string>;
}

const q = quoteIdentifier;

/** MySQL collations → DuckDB's: binary ones compare bytes, *_ci ones ignore case and accents. */
function duckCollation(mysql: string): string {
  const name = mysql.toLowerCase();
  if (name === 'binary' || name.endsWith('_bin') || name.endsWith('_cs')) return 'c';
  if (name.endsWith('_as_ci')) return 'nocase';
  return 'noaccent.nocase';
}

function isBinaryString(e: Expr): boolean {
  return (e.kind === 'unary' && e.op === 'BINARY') || (e.kind === 'collate' && duckCollation(e.collation) === 'c') || (e.kind === 'string' && e.binary);
}

/** Expressions that print as VARCHAR already (a cast would also drop a COLLATE). */
function isString(e: Expr): boolean {
  switch (e.kind) {
    case 'collate':
      return true;
    case 'convertUsing':
      return e.charset !== 'binary';
    case 'unary':
      return e.op === 'BINARY';
    case 'cast':
      return e.type.name === 'CHAR';
    default:
      return false;
  }
}

/** Functions whose result MySQL types DATE, so that DATE ± INTERVAL n DAY stays a DATE. */
const DATE_FUNCTIONS: ReadonlySet<string> = new Set(['CURDATE', 'CURRENT_DATE', 'UTC_DATE', 'DATE', 'LAST_DAY', 'MAKEDATE', 'FROM_DAYS']);

/**
 * A DuckDB expression whose type is that of `x` with `digits` more decimal places
 * when `x` is exact (integer or DECIMAL), and DOUBLE when it is floating-point.
 */
export function exactScaledBy(x: string, digits: number): string {
  return `(${x} * CAST(1 AS DECIMAL(${MAX_DECIMAL_PRECISION}, ${digits})))`;
}

/** MySQL's message for 1365, also what a strict data change's runtime check raises. */
export const DIVISION_BY_ZERO = 'Division by 0';

/** MySQL's div_precision_increment: the decimals a quotient shows beyond its dividend's. */
const DIV_PRECISION_INCREMENT = 4;
/** The decimals MySQL keeps of a quotient inside an expression: one decimal word (9 digits). */
const DIV_INTERNAL_DIGITS = 9;

/** What MySQL makes of a string in arithmetic: its longest numeric prefix, else 0. */
function numericPrefix(text: string): string {
  const match = /^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)/.exec(text);
  return match?.[1] ?? '0';
}

function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

type ExprHandlers = { readonly [K in ExprKind]: (p: Printer, e: Extract<Expr, { kind: K }>) => string };
type BodyHandlers = { readonly [K in QueryBodyKind]: (p: Printer, b: Extract<QueryBody, { kind: K }>) => string };
type TableHandlers = { readonly [K in TableExprKind]: (p: Printer, t: Extract<TableExpr, { kind: K }>) => string };

/**
 * Inside the select list, HAVING and ORDER BY of a grouped SELECT: the names that may
 * stand outside an aggregate. MySQL (without ONLY_FULL_GROUP_BY, its default before
 * 5.7 and MariaDB's today) lets any column stand there, with a value from the group;
 * DuckDB wants it wrapped in any_value.
 */
interface Grouping {
  readonly keys: readonly { readonly table?: string; readonly name: string }[];
  /** Select-item aliases (lower case): HAVING and ORDER BY may name them. */
  readonly aliases: ReadonlySet<string>;
  /** The GROUP BY expressions as printed: one of them stands as it is. */
  readonly keySql: ReadonlySet<string>;
}

/** Names of the trailing columns that carry assigned user variables (Query.assignedVariables). */
const ASSIGNED_COLUMN_PREFIX = '@ducksafe_assigned_';

/** The user variables a select list assigns (`@v := x`), outside subqueries, in a stable order. */
export function selectAssignments(s: SelectNode): string[] {
  const names = new Set<string>();
  for (const item of s.items) if (item.kind === 'expr') assignedVariables(item.expr, names);
  return [...names];
}

/** Names of the user variables `e` assigns, outside subqueries. */
function assignedVariables(e: Expr, into: Set<string>): Set<string> {
  if (e.kind === 'assignUserVariable') into.add(e.name);
  for (const child of childrenOf(e).exprs) assignedVariables(child, into);
  return into;
}

function assigns(e: Expr, name: string): boolean {
  return assignedVariables(e, new Set()).has(name);
}

function assignmentNotSupported(name: string): never {
  throw sqlError(
    'ER_NOT_SUPPORTED_YET',
    `This version of ducksafe doesn't yet support 'reading @${name} in a SELECT that assigns it, before the row assigns it'`,
  );
}

/** Select items that GROUP BY names by position or alias: DuckDB groups by their expression, which may hold no aggregate. */
function groupedItems(s: SelectNode): ReadonlySet<SelectItem> {
  const found = new Set<SelectItem>();
  for (const e of s.groupBy) {
    if (e.kind === 'number' && /^\d+$/.test(e.text)) {
      const item = s.items[Number(e.text) - 1];
      if (item !== undefined) found.add(item);
    } else if (e.kind === 'column' && e.table === undefined) {
      const name = e.name.toLowerCase();
      for (const item of s.items) if (item.kind === 'expr' && item.alias?.toLowerCase() === name) found.add(item);
    }
  }
  return found;
}

export class Printer implements ExprPrinter {
  private grouping: Grouping | undefined;
  /** Aggregate calls (without OVER) being printed around the current expression. */
  private aggregateDepth = 0;
  /**
   * While printing a select list that assigns user variables: each such variable's
   * value at this point of the row, as DuckDB SQL, or undefined while it still holds
   * what the previous row left there (which a set-based query cannot know).
   */
  private rowVariables: Map<string, string | undefined> | undefined;
  /** Nodes that raised their warning already: some expressions print more than once. */
  private readonly warned = new Set<Expr>();

  constructor(
    readonly ctx: PrintContext,
    readonly scope: PrintScope,
    readonly insertedRow?: InsertedRow,
    /** The statement's own SELECT: the values it leaves in the user variables it assigns are returned as trailing columns. */
    private readonly assigning?: SelectNode,
  ) {}

  // ------------------------------------------------------------ expressions

  expr(e: Expr): string {
    const print = (): string => (EXPRESSIONS[e.kind] as (p: Printer, node: Expr) => string)(this, e);
    const g = this.grouping;
    if (g === undefined || this.aggregateDepth > 0 || g.keySql.size === 0 || e.kind === 'column') return print();
    // A GROUP BY expression repeated in the select list, HAVING or ORDER BY is the group's key.
    const plain = this.withGrouping(undefined, print);
    return g.keySql.has(plain) ? plain : print();
  }

  constant(e: Expr): SqlValue | undefined {
    switch (e.kind) {
      case 'number': {
        if (/^\d+$/.test(e.text)) {
          const n = BigInt(e.text);
          return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
        }
        return Number(e.text);
      }
      case 'string':
        return e.value;
      case 'typedLiteral':
        return e.value;
      case 'null':
        return null;
      case 'boolean':
        return e.value;
      case 'parameter':
        return this.ctx.parameter(this.parameterIndex(e.offset));
      case 'systemVariable':
        return this.ctx.systemVariable(e.name, e.scope);
      case 'userVariable':
        return this.rowVariables?.has(e.name) === true ? undefined : this.ctx.userVariable(e.name);
      case 'unary': {
        if (e.op !== '-') return undefined;
        const value = this.constant(e.operand);
        if (typeof value === 'number') return -value;
        if (typeof value === 'bigint') return -value;
        return undefined;
      }
      default:
        return undefined;
    }
  }

  /** The string value of a constant that DuckDB will see as an untyped string literal. */
  private stringConstant(e: Expr): string | undefined {
    if (e.kind !== 'string' && e.kind !== 'parameter' && e.kind !== 'userVariable' && e.kind !== 'systemVariable') return undefined;
    if (e.kind === 'string' && e.binary) return undefined;
    const value = this.constant(e);
    return typeof value === 'string' ? value : undefined;
  }

  temporal(e: Expr, type?: TemporalType): string {
    const value = this.stringConstant(e);
    return value === undefined ? this.expr(e) : `CAST(${this.expr(e)} AS ${type ?? temporalTypeOf(value)})`;
  }

  temporalAs(e: Expr, type: TemporalType): string {
    const value = this.stringConstant(e);
    // DuckDB casts a datetime string to DATE directly, but not to TIME.
    if (value !== undefined && type === 'TIME' && temporalTypeOf(value) === 'TIMESTAMP') {
      return `CAST(CAST(${this.expr(e)} AS TIMESTAMP) AS TIME)`;
    }
    return `CAST(${this.expr(e)} AS ${type})`;
  }

  text(e: Expr): string {
    return this.stringConstant(e) !== undefined || isString(e) ? this.expr(e) : `CAST(${this.expr(e)} AS VARCHAR)`;
  }

  private warn(node: Expr, code: number, message: string): void {
    if (this.warned.has(node)) return;
    this.warned.add(node);
    this.ctx.warn?.({ level: 'Warning', code, message });
  }

  /**
   * An arithmetic operand. MySQL reads a string as a number there (its longest numeric
   * prefix, 0 when there is none, with warning 1292 when that is not the whole
   * string), TRUE as 1, and computes integers in 64 bits; DuckDB refuses the first
   * two and computes INTEGER literals in 32 bits.
   */
  private numeric(e: Expr, as: 'DOUBLE' | 'INTEGER' | 'DECIMAL' = 'DOUBLE'): string {
    const text = this.stringConstant(e);
    if (text !== undefined) {
      if (e.kind !== 'string') return `CAST(${this.expr(e)} AS DOUBLE)`;
      const whole = as === 'INTEGER' ? /^\s*[-+]?\d+\s*$/ : /^\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*$/;
      if (!whole.test(text)) this.warn(e, 1292, `Truncated incorrect ${as} value: '${text}'`);
      // MySQL reads an integer from a string up to the first character that is not a digit.
      return as === 'INTEGER' ? `CAST(${/^\s*([-+]?\d+)/.exec(text)?.[1] ?? '0'} AS DOUBLE)` : `CAST(${numericPrefix(text)} AS DOUBLE)`;
    }
    if (e.kind === 'boolean') return e.value ? '1' : '0';
    // DuckDB types a literal by its value: one of 10 digits or more is near INTEGER's limit.
    if (e.kind === 'number' && /^\d{10,18}$/.test(e.text)) return `CAST(${e.text} AS BIGINT)`;
    return this.expr(e);
  }

  parameterIndex(offset: number): number {
    const index = this.scope.paramIndex.get(offset);
    if (index === undefined) throw new Error(`placeholder at offset ${offset} was not counted`);
    return index;
  }

  sessionFunction(name: SessionFunctionName): string {
    return valueLiteral(this.ctx.sessionFunction(name));
  }

  /** A named-lock function's answer, as a literal: its arguments must be known before the query runs. */
  userLock(fn: UserLockFunction, args: readonly Expr[]): string {
    if (this.ctx.userLock === undefined) throw sqlError('ER_NOT_SUPPORTED_YET', `This version of ducksafe doesn't yet support '${fn} here'`);
    const values = args.map((a): SqlValue => {
      switch (a.kind) {
        case 'string':
          return a.value;
        case 'number':
          return Number(a.text);
        case 'null':
          return null;
        case 'parameter':
          return this.ctx.parameter(this.parameterIndex(a.offset));
        case 'userVariable':
          return this.ctx.userVariable(a.name);
        default:
          throw sqlError('ER_NOT_SUPPORTED_YET', `This version of ducksafe doesn't yet support '${fn} of a value computed by the query'`);
      }
    });
    // MySQL types every one of them BIGINT (IS_USED_LOCK answers a connection id).
    return `CAST(${valueLiteral(this.ctx.userLock(fn, values))} AS BIGINT)`;
  }

  timeZone(which?: 'SYSTEM'): string {
    return this.ctx.timeZone?.(which === undefined ? 'session' : 'system') ?? SERVER_LOCAL_ZONE;
  }

  private isKnownDate(e: Expr): boolean {
    if (e.kind === 'typedLiteral') return e.type === 'DATE';
    if (e.kind === 'cast') return e.type.name === 'DATE';
    if (e.kind === 'call') return DATE_FUNCTIONS.has(e.name);
    const value = this.stringConstant(e);
    return value !== undefined && temporalTypeOf(value) === 'DATE';
  }

  dateArithmetic(date: Expr, interval: IntervalExpr, sign: '+' | '-'): string {
    const constant = this.constant(interval.value);
    const amount = intervalSql(
      interval.unit,
      this.expr(interval.value),
      typeof constant === 'string' || typeof constant === 'number' || typeof constant === 'bigint' ? constant : undefined,
    );
    const base = this.temporal(date);
    const sum = `(${base} ${sign} ${amount})`;
    // DuckDB's DATE ± INTERVAL is a TIMESTAMP; MySQL keeps a DATE for day-or-larger
    // units. Of a column the printer does not know the type: cast_to_type keeps the
    // base's own type (a DATETIME stays one).
    if (!isDateUnit(interval.unit)) return sum;
    return this.isKnownDate(date) ? `CAST(${sum} AS DATE)` : `cast_to_type(${sum}, ${base})`;
  }

  binary(e: BinaryOp): string {
    const { op, left, right } = e;
    switch (op) {
      case '+':
      case '-':
        if (right.kind === 'interval') return this.dateArithmetic(left, right, op);
        if (op === '+' && left.kind === 'interval') return this.dateArithmetic(right, left, '+');
        return this.arithmetic(e);
      case '*':
        return this.arithmetic(e);
      case '/':
        return this.division(e, DIV_PRECISION_INCREMENT);
      case 'DIV': {
        this.divisionWarning(e);
        const dividend = this.numeric(left);
        return `CAST(trunc(${dividend} / ${this.divisor(dividend, right)}) AS BIGINT)`;
      }
      case 'MOD': {
        this.divisionWarning(e);
        const dividend = this.numeric(left);
        return `(${dividend} % ${this.divisor(dividend, right)})`;
      }
      case '^':
        return `xor(${this.expr(left)}, ${this.expr(right)})`;
      case 'XOR':
        return `(CAST(${this.expr(left)} AS BOOLEAN) <> CAST(${this.expr(right)} AS BOOLEAN))`;
      case '<=>':
        return `(${this.expr(left)} IS NOT DISTINCT FROM ${this.expr(right)})`;
      case '=':
      case '<>':
      case '<':
      case '<=':
      case '>':
      case '>=':
        // A string compared with a number literal is compared as a number ('abc' = 0 holds).
        if (left.kind === 'string' && !left.binary && right.kind === 'number') return `(${this.numeric(left)} ${op} ${this.expr(right)})`;
        if (right.kind === 'string' && !right.binary && left.kind === 'number') return `(${this.expr(left)} ${op} ${this.numeric(right)})`;
        return `(${this.expr(left)} ${op} ${this.expr(right)})`;
      case 'OR':
      case 'AND':
      case '|':
      case '&':
      case '<<':
      case '>>':
      case '->':
      case '->>':
        return `(${this.expr(left)} ${op} ${this.expr(right)})`;
    }
  }

  /**
   * MySQL divides exact numbers to a DECIMAL with the dividend's scale plus 4
   * (div_precision_increment) and floating-point ones to a DOUBLE: the type of
   * `dividend * 1.0000` in DuckDB, which cast_to_type reads without evaluating it.
   */
  private division(e: BinaryOp, digits: number): string {
    this.divisionWarning(e);
    const dividend = this.numeric(e.left);
    return `cast_to_type((${dividend} / ${this.divisor(dividend, e.right)}), ${exactScaledBy(dividend, digits)})`;
  }

  /** A divisor of 0 gives NULL, or in a strict data change an error for a non-NULL dividend. */
  private divisor(dividend: string, right: Expr): string {
    const d = this.numeric(right);
    if (this.ctx.strictDivision !== true) return `NULLIF(${d}, 0)`;
    return `NULLIF(CASE WHEN ${d} = 0 AND ${dividend} IS NOT NULL THEN error('${DIVISION_BY_ZERO}') ELSE ${d} END, 0)`;
  }

  /**
   * a + b, a - b, a * b. A quotient operand keeps MySQL's internal precision (9 more
   * digits, a whole decimal word, not the 4 it shows) and the result is rounded to
   * the scale MySQL declares, so 10 / 3 * 3 is 10.0000 as in MySQL, not 9.9999.
   */
  private arithmetic(e: BinaryOp): string {
    const plain = `(${this.numeric(e.left)} ${e.op} ${this.numeric(e.right)})`;
    const quotient = (x: Expr): boolean => x.kind === 'binary' && x.op === '/';
    if (!quotient(e.left) && !quotient(e.right)) return plain;
    const precise = (x: Expr): string => (x.kind === 'binary' && x.op === '/' ? this.division(x, DIV_INTERNAL_DIGITS) : this.numeric(x));
    return `cast_to_type((${precise(e.left)} ${e.op} ${precise(e.right)}), ${plain})`;
  }

  /** 1365 for a division of constants by zero (of a column MySQL warns per row: not counted here). */
  private divisionWarning(e: BinaryOp): void {
    const asNumber = (v: SqlValue | undefined): number | undefined => {
      if (typeof v === 'number') return v;
      if (typeof v === 'bigint') return Number(v);
      if (typeof v === 'boolean') return v ? 1 : 0;
      if (typeof v === 'string') return Number(numericPrefix(v));
      return undefined;
    };
    if (asNumber(this.constant(e.left)) !== undefined && asNumber(this.constant(e.right)) === 0) this.warn(e, 1365, DIVISION_BY_ZERO);
  }

  call(e: FunctionCall): string {
    const rule = Object.hasOwn(FUNCTIONS, e.name) ? FUNCTIONS[e.name] : undefined;
    if (rule === undefined) throw sqlError('ER_SP_DOES_NOT_EXIST', `FUNCTION ${e.name} does not exist`);
    if (e.args.length < rule.minArgs || e.args.length > rule.maxArgs || (e.star && e.name !== 'COUNT')) {
      throw sqlError('ER_WRONG_PARAMCOUNT_TO_NATIVE_FCT', `Incorrect parameter count in the call to native function '${e.name}'`);
    }
    if (e.distinct && rule.kind !== 'aggregate') {
      throw sqlError('ER_PARSE_ERROR', `DISTINCT is not allowed in ${e.name}()`);
    }
    if (e.over === undefined && rule.kind === 'window') {
      throw sqlError('ER_PARSE_ERROR', `${e.name}() needs an OVER clause`);
    }
    if (e.over !== undefined && rule.kind === 'scalar') {
      throw sqlError('ER_PARSE_ERROR', `${e.name}() is not a window function`);
    }
    const windowed = (sql: string): string => {
      if (e.over === undefined) return sql;
      const { base, ...rest } = e.over;
      const onlyNamed = base !== undefined && rest.partitionBy.length === 0 && rest.orderBy.length === 0 && rest.frame === undefined;
      return onlyNamed ? `${sql} OVER ${q(base)}` : `${sql} OVER (${this.window(e.over)})`;
    };
    const aggregate = rule.kind === 'aggregate' && e.over === undefined;
    if (aggregate) this.aggregateDepth++;
    try {
      return this.printCall(e, rule, windowed);
    } finally {
      if (aggregate) this.aggregateDepth--;
    }
  }

  private printCall(e: FunctionCall, rule: FunctionRule, windowed: (sql: string) => string): string {
    const sql = windowed(rule.print(this, e.args, e));
    if (e.name !== 'AVG') return sql;
    // MySQL's AVG of exact numbers is a DECIMAL with 4 more decimal places, DuckDB's a
    // DOUBLE; SUM has the argument's exactness and scale (and is an aggregate, so it may
    // stand where the argument itself may not).
    const sum = windowed(`sum(${e.distinct ? 'DISTINCT ' : ''}${this.expr(e.args[0] ?? { kind: 'null' })})`);
    return `cast_to_type(${sql}, ${exactScaledBy(sum, 4)})`;
  }

  cast(e: CastExpr): string {
    const { name, length, scale } = e.type;
    const x = this.expr(e.expr);
    switch (name) {
      case 'SIGNED':
        return `CAST(${this.numeric(e.expr, 'INTEGER')} AS BIGINT)`;
      case 'UNSIGNED':
        return `CAST(${this.numeric(e.expr, 'INTEGER')} AS UBIGINT)`;
      case 'CHAR':
        return length === undefined ? this.text(e.expr) : `left(${this.text(e.expr)}, ${length})`;
      case 'DECIMAL': {
        const precision = length ?? 10;
        if (precision > MAX_DECIMAL_PRECISION) {
          throw sqlError('ER_TOO_BIG_PRECISION', `Too-big precision ${precision} specified for '${x}'. Maximum is ${MAX_DECIMAL_PRECISION}.`);
        }
        return `CAST(${this.numeric(e.expr, 'DECIMAL')} AS DECIMAL(${precision}, ${Math.min(scale ?? 0, precision)}))`;
      }
      case 'DATE':
        return `CAST(${x} AS DATE)`;
      case 'DATETIME':
        return `CAST(${x} AS TIMESTAMP)`;
      case 'TIME':
        return `CAST(${x} AS TIME)`;
      case 'BINARY':
        return `encode(${this.text(e.expr)})`;
      case 'JSON':
        return `CAST(${x} AS JSON)`;
      case 'DOUBLE':
        return `CAST(${this.numeric(e.expr)} AS DOUBLE)`;
      case 'FLOAT':
        return `CAST(${this.numeric(e.expr)} AS FLOAT)`;
    }
  }

  trim(e: TrimExpr): string {
    const fn = { BOTH: 'trim', LEADING: 'ltrim', TRAILING: 'rtrim' }[e.side];
    const s = this.text(e.expr);
    if (e.remove === undefined) return `${fn}(${s})`;
    const remove = this.constant(e.remove);
    if (remove === null) return 'NULL';
    if (typeof remove !== 'string') {
      throw sqlError('ER_NOT_SUPPORTED_YET', "This version of ducksafe doesn't yet support 'TRIM of a string that is not a constant'");
    }
    if (remove === '') return s;
    // MySQL removes the whole string repeatedly; DuckDB's trim() removes a set of characters.
    if ([...remove].length === 1) return `${fn}(${s}, ${quoteString(remove)})`;
    const unit = `(${escapeRegex(remove)})+`;
    const leading = (x: string) => `regexp_replace(${x}, ${quoteString(`^${unit}`)}, '')`;
    const trailing = (x: string) => `regexp_replace(${x}, ${quoteString(`${unit}$`)}, '')`;
    if (e.side === 'LEADING') return leading(s);
    if (e.side === 'TRAILING') return trailing(s);
    return trailing(leading(s));
  }

  column(e: Extract<Expr, { kind: 'column' }>): string {
    const row = this.insertedRow;
    if (row?.alias !== undefined && e.table === row.alias && e.db === undefined) {
      return this.insertedValue(row.columns.get(e.name) ?? e.name);
    }
    const sql = e.table === undefined ? q(e.name) : `${q(e.table)}.${q(e.name)}`;
    return this.outsideGroup(e) ? `any_value(${sql})` : sql;
  }

  insertedValue(column: string): string {
    if (this.insertedRow === undefined) return 'NULL';
    if (this.ctx.insertedValue === undefined) {
      throw sqlError('ER_NOT_SUPPORTED_YET', "This version of ducksafe doesn't yet support 'VALUES() in ON DUPLICATE KEY UPDATE here'");
    }
    return this.ctx.insertedValue(column);
  }

  orderBy(items: readonly OrderByItem[]): string {
    return items.map((item) => `${this.expr(item.expr)}${item.direction === 'DESC' ? ' DESC' : ''}`).join(', ');
  }

  window(spec: WindowSpec): string {
    const parts: string[] = [];
    if (spec.base !== undefined) parts.push(q(spec.base));
    if (spec.partitionBy.length > 0) parts.push(`PARTITION BY ${spec.partitionBy.map((e) => this.expr(e)).join(', ')}`);
    if (spec.orderBy.length > 0) parts.push(`ORDER BY ${this.orderBy(spec.orderBy)}`);
    if (spec.frame !== undefined) {
      const bound = (b: NonNullable<WindowSpec['frame']>['start']): string => {
        switch (b.kind) {
          case 'unboundedPreceding':
            return 'UNBOUNDED PRECEDING';
          case 'unboundedFollowing':
            return 'UNBOUNDED FOLLOWING';
          case 'currentRow':
            return 'CURRENT ROW';
          case 'preceding':
            return `${this.expr(b.value)} PRECEDING`;
          case 'following':
            return `${this.expr(b.value)} FOLLOWING`;
        }
      };
      const { units, start, end } = spec.frame;
      parts.push(end === undefined ? `${units} ${bound(start)}` : `${units} BETWEEN ${bound(start)} AND ${bound(end)}`);
    }
    return parts.join(' ');
  }

  // ------------------------------------------------------------ queries

  query(node: QueryNode): string {
    let sql = '';
    if (node.with !== undefined) {
      const ctes = node.with.ctes.map((cte) => {
        const columns = cte.columns === undefined ? '' : `(${cte.columns.map(q).join(', ')})`;
        return `${q(cte.name)}${columns} AS (${this.query(cte.query)})`;
      });
      sql += `WITH ${node.with.recursive ? 'RECURSIVE ' : ''}${ctes.join(', ')} `;
    }
    sql += this.body(node.body);
    if (node.orderBy.length > 0) {
      const grouping = node.body.kind === 'select' ? this.groupingOf(node.body) : undefined;
      sql += ` ORDER BY ${this.withGrouping(grouping, () => this.orderBy(node.orderBy))}`;
    }
    if (node.limit !== undefined) {
      sql += ` LIMIT ${this.expr(node.limit.count)}`;
      if (node.limit.offset !== undefined) sql += ` OFFSET ${this.expr(node.limit.offset)}`;
    }
    return sql;
  }

  body(b: QueryBody): string {
    return (BODIES[b.kind] as (p: Printer, node: QueryBody) => string)(this, b);
  }

  /** A set-operation operand: parenthesised where precedence or its own clauses require. */
  operand(b: QueryBody, parent: 'UNION' | 'INTERSECT' | 'EXCEPT', right: boolean): string {
    if (b.kind === 'query') {
      const plain = b.with === undefined && b.orderBy.length === 0 && b.limit === undefined;
      return plain ? this.operand(b.body, parent, right) : `(${this.query(b)})`;
    }
    if (b.kind === 'setOperation' && (right || (parent === 'INTERSECT' && b.op !== 'INTERSECT'))) return `(${this.body(b)})`;
    return this.body(b);
  }

  private groupingOf(s: SelectNode): Grouping | undefined {
    if (s.groupBy.length === 0) return undefined;
    const keys: { table?: string; name: string }[] = [];
    for (const e of s.groupBy) if (e.kind === 'column') keys.push(e.table === undefined ? { name: e.name } : { table: e.table, name: e.name });
    const aliases = new Set<string>();
    for (const item of s.items) if (item.kind === 'expr' && item.alias !== undefined) aliases.add(item.alias.toLowerCase());
    const keySql = new Set(this.withGrouping(undefined, () => s.groupBy.filter((e) => e.kind !== 'number').map((e) => this.expr(e))));
    return { keys, aliases, keySql };
  }

  select(s: SelectNode): string {
    const grouping = this.groupingOf(s);
    const keyItems = groupedItems(s);
    const items = this.withRowVariables(s, (item, print) => this.withGrouping(keyItems.has(item) ? undefined : grouping, print));
    let sql = `SELECT ${s.distinct ? 'DISTINCT ' : ''}${items.join(', ')}`;
    this.withGrouping(undefined, () => {
      if (s.from.length > 0) sql += ` FROM ${s.from.map((t) => this.tableExpr(t)).join(', ')}`;
      if (s.where !== undefined) sql += ` WHERE ${this.expr(s.where)}`;
      if (s.groupBy.length > 0) {
        const keys = s.groupBy.map((e) => this.expr(e)).join(', ');
        sql += s.withRollup ? ` GROUP BY ROLLUP (${keys})` : ` GROUP BY ${keys}`;
      }
    });
    if (s.having !== undefined) {
      const having = s.having;
      sql += ` HAVING ${this.withGrouping(grouping, () => this.expr(having))}`;
    }
    if (s.windows.length > 0) {
      sql += ` WINDOW ${this.withGrouping(grouping, () => s.windows.map((w) => `${q(w.name)} AS (${this.window(w.spec)})`).join(', '))}`;
    }
    return sql;
  }

  /**
   * MySQL evaluates a select list left to right for each row, so `@v := x` in one item
   * is what a later item of the same row reads as @v (the MariaDB ODBC driver's
   * SQLColumns query relies on it). A set-based query has no such order: each read of
   * @v is printed as the expression that produced its value at that point of the row.
   */
  private withRowVariables(s: SelectNode, inGroup: (item: SelectItem, print: () => string) => string): string[] {
    const names = selectAssignments(s);
    if (names.length === 0) return s.items.map((item) => inGroup(item, () => this.selectItem(item)));
    const outer = this.rowVariables;
    const row = new Map<string, string | undefined>(names.map((n) => [n, undefined]));
    try {
      const items = s.items.map((item) =>
        inGroup(item, () => {
          this.rowVariables = row;
          const sql = this.selectItem(item);
          if (item.kind === 'expr') for (const name of names) row.set(name, this.valueAfter(item.expr, name, row.get(name)));
          return sql;
        }),
      );
      if (this.assigning !== s) return items;
      if (s.distinct) throw sqlError('ER_NOT_SUPPORTED_YET', "This version of ducksafe doesn't yet support 'SELECT DISTINCT that assigns user variables'");
      // What each variable holds once the row is done: the engine keeps the last row's.
      return [...items, ...names.map((name, i) => `${row.get(name) ?? assignmentNotSupported(name)} AS ${q(`${ASSIGNED_COLUMN_PREFIX}${i}`)}`)];
    } finally {
      this.rowVariables = outer;
    }
  }

  /** @name's value once `e` has been evaluated, given its value `before` (undefined: the previous row's). */
  private valueAfter(e: Expr, name: string, before: string | undefined): string | undefined {
    if (!assigns(e, name)) return before;
    if (e.kind === 'assignUserVariable' && e.name === name) return this.expr(e.value);
    const branches = (whens: readonly { readonly when: Expr; readonly then: Expr }[], otherwise: Expr | undefined, operand?: Expr): string | undefined => {
      const thens = whens.map((w) => this.valueAfter(w.then, name, before));
      const last = otherwise === undefined ? before : this.valueAfter(otherwise, name, before);
      if (last === undefined || thens.some((t) => t === undefined)) return undefined;
      const head = operand === undefined ? '' : ` ${this.expr(operand)}`;
      return `CASE${head}${whens.map((w, i) => ` WHEN ${this.expr(w.when)} THEN ${String(thens[i])}`).join('')} ELSE ${last} END`;
    };
    if (e.kind === 'case') return branches(e.whens, e.else, e.operand);
    const [condition, then, otherwise] = e.kind === 'call' && e.name === 'IF' ? e.args : [];
    if (condition !== undefined && then !== undefined && otherwise !== undefined) return branches([{ when: condition, then }], otherwise);
    let value = before;
    for (const child of childrenOf(e).exprs) value = this.valueAfter(child, name, value);
    return value;
  }

  userVariable(e: UserVariable): string {
    const row = this.rowVariables;
    if (row === undefined || !row.has(e.name)) return valueLiteral(this.ctx.userVariable(e.name));
    const value = row.get(e.name);
    return value === undefined ? assignmentNotSupported(e.name) : `(${value})`;
  }

  assignUserVariable(e: UserVariableAssignment): string {
    if (this.rowVariables === undefined) {
      throw sqlError('ER_NOT_SUPPORTED_YET', "This version of ducksafe doesn't yet support 'assigning a user variable with := outside a select list'");
    }
    return this.expr(e.value);
  }

  private withGrouping<T>(grouping: Grouping | undefined, print: () => T): T {
    const outer = { grouping: this.grouping, depth: this.aggregateDepth };
    this.grouping = grouping;
    this.aggregateDepth = 0;
    try {
      return print();
    } finally {
      this.grouping = outer.grouping;
      this.aggregateDepth = outer.depth;
    }
  }

  private outsideGroup(e: Extract<Expr, { kind: 'column' }>): boolean {
    const g = this.grouping;
    if (g === undefined || this.aggregateDepth > 0) return false;
    const name = e.name.toLowerCase();
    if (e.table === undefined && g.aliases.has(name)) return false;
    const table = e.table?.toLowerCase();
    return !g.keys.some((k) => k.name.toLowerCase() === name && (k.table === undefined || table === undefined || k.table.toLowerCase() === table));
  }

  /** MySQL names an unaliased column by the expression's text as written (a string literal by its value). */
  selectItem(item: SelectItem): string {
    if (item.kind === 'star') return item.table === undefined ? '*' : `${q(item.table)}.*`;
    const sql = this.expr(item.expr);
    if (item.alias !== undefined) return `${sql} AS ${q(item.alias)}`;
    // A column keeps its own name, also when it is wrapped in any_value.
    if (item.expr.kind === 'column') return sql.startsWith('any_value(') ? `${sql} AS ${q(item.expr.name)}` : sql;
    const name = item.expr.kind === 'string' ? item.expr.value : item.expr.kind === 'null' ? 'NULL' : item.text;
    // MySQL names `SELECT ''` with an empty name, which DuckDB cannot take as an alias:
    // its own name for the column ('') stands in.
    return name === '' ? sql : `${sql} AS ${q(name)}`;
  }

  tableExpr(t: TableExpr): string {
    return (TABLES[t.kind] as (p: Printer, node: TableExpr) => string)(this, t);
  }

  table(t: TableNode): string {
    const ref = this.scope.refs.get(t);
    if (ref === undefined) return t.alias === undefined ? q(t.name) : `${q(t.name)} AS ${q(t.alias)}`;
    return `${this.ctx.table(ref)} AS ${q(t.alias ?? t.name)}`;
  }

  join(j: JoinNode): string {
    const left = this.tableExpr(j.left);
    const right = j.right.kind === 'join' ? `(${this.tableExpr(j.right)})` : this.tableExpr(j.right);
    if (j.natural) return `${left} NATURAL ${j.type === 'INNER' ? '' : `${j.type} `}JOIN ${right}`;
    if (j.type === 'CROSS') return `${left} CROSS JOIN ${right}`;
    const condition =
      j.using !== undefined ? ` USING (${j.using.map(q).join(', ')})` : j.on !== undefined ? ` ON ${this.expr(j.on)}` : '';
    return `${left} ${j.type} JOIN ${right}${condition}`;
  }
}

const EXPRESSIONS: ExprHandlers = {
  number: (_p, e) => e.text,
  string: (_p, e) => {
    const raw = rawBytesOf(e.value);
    if (raw !== undefined) return `from_hex('${hexOf(raw)}')`;
    return e.binary ? `encode(${quoteString(e.value)})` : quoteString(e.value);
  },
  hex: (_p, e) => `from_hex('${e.digits}')`,
  bit: (_p, e) => (e.digits === '' ? '0' : BigInt(`0b${e.digits}`).toString()),
  null: () => 'NULL',
  boolean: (_p, e) => (e.value ? 'TRUE' : 'FALSE'),
  typedLiteral: (_p, e) => `${e.type} ${quoteString(e.value)}`,
  column: (p, e) => p.column(e),
  parameter: (p, e) => valueLiteral(p.ctx.parameter(p.parameterIndex(e.offset))),
  systemVariable: (p, e) => valueLiteral(p.ctx.systemVariable(e.name, e.scope)),
  userVariable: (p, e) => p.userVariable(e),
  assignUserVariable: (p, e) => p.assignUserVariable(e),
  unary: (p, e) => {
    switch (e.op) {
      case '-':
        return `(- ${p.expr(e.operand)})`;
      case '+':
        return p.expr(e.operand);
      case '~':
        return `(~ ${p.expr(e.operand)})`;
      case 'NOT':
        return `(NOT ${p.expr(e.operand)})`;
      case 'BINARY':
        return `(${p.text(e.operand)} COLLATE c)`;
    }
  },
  binary: (p, e) => p.binary(e),
  like: (p, e) => {
    // MySQL's LIKE ignores case (default collation) and escapes with `\` unless told otherwise.
    const op = isBinaryString(e.expr) || isBinaryString(e.pattern) ? 'LIKE' : 'ILIKE';
    const escape = e.escape === undefined ? "'\\'" : p.expr(e.escape);
    return `(${p.text(e.expr)} ${e.not ? 'NOT ' : ''}${op} ${p.text(e.pattern)} ESCAPE ${escape})`;
  },
  regexp: (p, e) => {
    const flags = isBinaryString(e.expr) || isBinaryString(e.pattern) ? '' : ", 'i'";
    const match = `regexp_matches(${p.text(e.expr)}, ${p.text(e.pattern)}${flags})`;
    return e.not ? `(NOT ${match})` : match;
  },
  is: (p, e) => {
    const value = e.value === 'UNKNOWN' ? 'NULL' : e.value;
    return `(${p.expr(e.expr)} IS ${e.not ? 'NOT ' : ''}${value})`;
  },
  between: (p, e) => `(${p.expr(e.expr)} ${e.not ? 'NOT ' : ''}BETWEEN ${p.expr(e.low)} AND ${p.expr(e.high)})`,
  inList: (p, e) => `(${p.expr(e.expr)} ${e.not ? 'NOT ' : ''}IN (${e.list.map((x) => p.expr(x)).join(', ')}))`,
  inQuery: (p, e) => `(${p.expr(e.expr)} ${e.not ? 'NOT ' : ''}IN (${p.query(e.query)}))`,
  exists: (p, e) => `(EXISTS (${p.query(e.query)}))`,
  subquery: (p, e) => `(${p.query(e.query)})`,
  quantified: (p, e) => `(${p.expr(e.expr)} ${e.op} ${e.quantifier} (${p.query(e.query)}))`,
  call: (p, e) => p.call(e),
  cast: (p, e) => p.cast(e),
  convertUsing: (p, e) => (e.charset === 'binary' ? `encode(${p.text(e.expr)})` : p.text(e.expr)),
  case: (p, e) => {
    const operand = e.operand === undefined ? '' : ` ${p.expr(e.operand)}`;
    const whens = e.whens.map((w) => ` WHEN ${p.expr(w.when)} THEN ${p.expr(w.then)}`).join('');
    const otherwise = e.else === undefined ? '' : ` ELSE ${p.expr(e.else)}`;
    return `CASE${operand}${whens}${otherwise} END`;
  },
  interval: (p, e) => {
    const constant = p.constant(e.value);
    return intervalSql(e.unit, p.expr(e.value), typeof constant === 'string' || typeof constant === 'number' || typeof constant === 'bigint' ? constant : undefined);
  },
  extract: (p, e) => extractSql(e.unit, p.temporal(e.expr)),
  trim: (p, e) => p.trim(e),
  collate: (p, e) => `(${p.text(e.expr)} COLLATE ${duckCollation(e.collation)})`,
  row: (p, e) => `(${e.items.map((x) => p.expr(x)).join(', ')})`,
  insertedValue: (p, e) => p.insertedValue(e.column),
  timestampFunction: (p, e) => {
    if (e.name === 'TIMESTAMPADD') return p.dateArithmetic(e.right, { kind: 'interval', value: e.left, unit: e.unit }, '+');
    return timestampDiffSql(e.unit, p.temporalAs(e.left, 'TIMESTAMP'), p.temporalAs(e.right, 'TIMESTAMP'));
  },
};

const BODIES: BodyHandlers = {
  select: (p, b) => p.select(b),
  setOperation: (p, b) => `${p.operand(b.left, b.op, false)} ${b.op}${b.all ? ' ALL' : ''} ${p.operand(b.right, b.op, true)}`,
  // MySQL names VALUES columns column_0, column_1, ...
  values: (p, b) => {
    const width = b.rows[0]?.length ?? 0;
    const rows = b.rows.map((row) => {
      if (row.length !== width) throw sqlError('ER_WRONG_VALUE_COUNT_ON_ROW', `Column count doesn't match value count at row ${b.rows.indexOf(row) + 1}`);
      return `(${row.map((e) => p.expr(e)).join(', ')})`;
    });
    const names = Array.from({ length: width }, (_, i) => q(`column_${i}`)).join(', ');
    return `SELECT * FROM (VALUES ${rows.join(', ')}) AS "values"(${names})`;
  },
  tableValue: (p, b) => `SELECT * FROM ${p.table(b.table)}`,
  // `(SELECT ... LIMIT 2) ORDER BY x`: DuckDB takes no clauses after a bare parenthesised query.
  query: (p, b) => {
    const plain = b.with === undefined && b.orderBy.length === 0 && b.limit === undefined;
    return plain ? p.body(b.body) : `SELECT * FROM (${p.query(b)}) AS "query"`;
  },
};

const TABLES: TableHandlers = {
  table: (p, t) => p.table(t),
  derived: (p, t) => {
    const columns = t.columns === undefined ? '' : `(${t.columns.map(q).join(', ')})`;
    return `${t.lateral ? 'LATERAL ' : ''}(${p.query(t.query)}) AS ${q(t.alias)}${columns}`;
  },
  join: (p, t) => p.join(t),
};
