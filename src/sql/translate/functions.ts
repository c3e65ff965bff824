// MySQL functions as DuckDB SQL. Each entry states its argument count and prints
// MySQL's semantics; a name missing here is an unknown function, reported as MySQL
// does (ER_SP_DOES_NOT_EXIST) rather than passed to DuckDB to mean something else.
import { sqlError } from '../../errors/registry.js';
import type { SessionFunctionName, UserLockFunction } from '../statement.js';
import type { Expr, FunctionCall, OrderByItem } from './ast.js';
import type { ExprPrinter } from './expr-printer.js';
import { quoteString } from './literals.js';
import { dateFormatSql, normalizeTimeZone, nowInZone, strToDateSql, UTC_NOW, utcToZone, weekSql, withFsp, yearWeekSql, zoneToUtc } from './temporal.js';

export type FunctionKind = 'scalar' | 'aggregate' | 'window';

export interface FunctionRule {
  readonly minArgs: number;
  readonly maxArgs: number;
  readonly kind: FunctionKind;
  print(p: ExprPrinter, args: readonly Expr[], call: FunctionCall): string;
}

const MANY = Number.POSITIVE_INFINITY;

function scalar(minArgs: number, maxArgs: number, print: FunctionRule['print']): FunctionRule {
  return { minArgs, maxArgs, kind: 'scalar', print };
}

/** The same function in DuckDB, arguments printed as they are. */
function same(duckName: string, minArgs: number, maxArgs = minArgs): FunctionRule {
  return scalar(minArgs, maxArgs, (p, args) => `${duckName}(${args.map((a) => p.expr(a)).join(', ')})`);
}

/** A string function: its first argument is text whatever its type. */
function stringFn(duckName: string, minArgs: number, maxArgs = minArgs): FunctionRule {
  return scalar(minArgs, maxArgs, (p, [first, ...rest]) =>
    `${duckName}(${[first === undefined ? '' : p.text(first), ...rest.map((a) => p.expr(a))].join(', ')})`,
  );
}

/** A function of one date/time argument. */
function temporalFn(print: (ts: string) => string): FunctionRule {
  return scalar(1, 1, (p, [a]) => print(p.temporal(arg(a))));
}

function aggregate(duckName: string, minArgs = 1, maxArgs = minArgs): FunctionRule {
  return {
    minArgs,
    maxArgs,
    kind: 'aggregate',
    print: (p, args, call) => `${duckName}(${call.distinct ? 'DISTINCT ' : ''}${args.map((a) => p.expr(a)).join(', ')})`,
  };
}

function windowFn(duckName: string, minArgs = 0, maxArgs = minArgs): FunctionRule {
  return { minArgs, maxArgs, kind: 'window', print: (p, args) => `${duckName}(${args.map((a) => p.expr(a)).join(', ')})` };
}

function session(name: SessionFunctionName): FunctionRule {
  return scalar(0, 0, (p) => p.sessionFunction(name));
}

/** A named-lock function: answered by the engine before the query runs (Printer.userLock). */
function userLock(name: UserLockFunction, minArgs: number, maxArgs: number): FunctionRule {
  return scalar(minArgs, maxArgs, (p, args) => p.userLock(name, args));
}

function unsupported(what: string): FunctionRule {
  return scalar(0, MANY, () => {
    throw sqlError('ER_NOT_SUPPORTED_YET', `This version of ducksafe doesn't yet support '${what}'`);
  });
}

/** Argument counts are checked before printing, so a missing argument is a bug. */
function arg(e: Expr | undefined): Expr {
  if (e === undefined) throw new Error('function argument missing after the count check');
  return e;
}

function constantInteger(p: ExprPrinter, e: Expr | undefined, what: string): number {
  const value = e === undefined ? undefined : p.constant(e);
  const n = typeof value === 'bigint' ? Number(value) : typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n)) {
    throw sqlError('ER_NOT_SUPPORTED_YET', `This version of ducksafe doesn't yet support '${what} that is not a constant integer'`);
  }
  return n;
}

function constantString(p: ExprPrinter, e: Expr, what: string): string | null {
  const value = p.constant(e);
  if (value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  throw sqlError('ER_NOT_SUPPORTED_YET', `This version of ducksafe doesn't yet support '${what} that is not a constant string'`);
}

/**
 * MySQL's GREATEST/LEAST are NULL when any argument is (DuckDB's skip NULLs), and
 * compare strings by the collation: DuckDB's greatest() compares exactly, its
 * comparison operators by the session collation.
 */
function extremum(op: '>=' | '<=', duckName: 'greatest' | 'least'): FunctionRule {
  return scalar(2, MANY, (p, args) => {
    const printed = args.map((a) => p.expr(a));
    const [a = '', b = ''] = printed;
    // Of more than two, DuckDB's own function for numbers (typeof() is folded when the
    // query is bound, and the other branch dropped), a fold by comparisons for strings.
    const pick =
      printed.length === 2
        ? `CASE WHEN ${a} ${op} ${b} THEN ${a} ELSE ${b} END`
        : `CASE WHEN typeof(${a}) = 'VARCHAR' THEN list_reduce([${printed.join(', ')}], (x, y) -> CASE WHEN x ${op} y THEN x ELSE y END) ELSE ${duckName}(${printed.join(', ')}) END`;
    return `CASE WHEN ${printed.map((x) => `${x} IS NULL`).join(' OR ')} THEN NULL ELSE ${pick} END`;
  });
}

/** Arguments whose comparison ignores the collation (BINARY, COLLATE): compared exactly. */
function exactText(e: Expr): boolean {
  return e.kind === 'collate' || (e.kind === 'unary' && e.op === 'BINARY') || (e.kind === 'string' && e.binary);
}

/** Arguments that are numbers whatever their operands: no collation key needed. */
function numericExpr(e: Expr): boolean {
  return e.kind === 'number' || (e.kind === 'binary' && ['+', '-', '*', '/', 'DIV', 'MOD'].includes(e.op));
}

/**
 * COUNT(DISTINCT x) by the collation, where DuckDB compares exactly inside an
 * aggregate: of a string, its case- and accent-folded form. The printer does not know
 * column types; typeof() is folded when DuckDB binds, and the aggregate the CASE does
 * not pick is dropped, so COUNT(DISTINCT) of a number costs what it did.
 */
function countDistinct(p: ExprPrinter, e: Expr, call: FunctionCall): string {
  const x = p.expr(e);
  if (exactText(e) || numericExpr(e) || call.over !== undefined) return `count(DISTINCT ${x})`;
  return `CASE WHEN typeof(any_value(${x})) = 'VARCHAR' THEN count(DISTINCT lower(strip_accents(CAST(${x} AS VARCHAR)))) ELSE count(DISTINCT ${x}) END`;
}

/**
 * An aggregate's ORDER BY item sorted by the collation (DuckDB sorts exactly there):
 * a string by its folded form only, so that equal spellings keep the order rows were
 * read in, as in MySQL; another value by itself.
 */
function collatedOrder(p: ExprPrinter, item: OrderByItem): string {
  const x = p.expr(item.expr);
  const dir = item.direction === 'DESC' ? ' DESC' : '';
  if (exactText(item.expr) || numericExpr(item.expr)) return `${x}${dir}`;
  const isText = `typeof(${x}) = 'VARCHAR'`;
  return `CASE WHEN ${isText} THEN lower(strip_accents(CAST(${x} AS VARCHAR))) END${dir}, CASE WHEN NOT ${isText} THEN ${x} END${dir}`;
}

/** Math functions that MySQL answers with NULL outside their domain (DuckDB raises). */
function guarded(duckName: string, domain: (x: string) => string): FunctionRule {
  return scalar(1, 1, (p, [a]) => {
    const x = p.expr(arg(a));
    return `CASE WHEN ${domain(x)} THEN ${duckName}(${x}) END`;
  });
}

/** LOCATE(sub, str[, pos]): 1-based, 0 when absent, case-insensitive like MySQL's default collation. */
function locate(p: ExprPrinter, needle: Expr, haystack: Expr, from: Expr | undefined): string {
  const sub = `lower(${p.text(needle)})`;
  const str = `lower(${p.text(haystack)})`;
  if (from === undefined) return `strpos(${str}, ${sub})`;
  const pos = p.expr(from);
  const found = `strpos(substring(${str}, ${pos}), ${sub})`;
  return `CASE WHEN ${pos} < 1 THEN 0 WHEN ${found} = 0 THEN 0 ELSE ${found} + ${pos} - 1 END`;
}

/** SUBSTRING(s, pos[, len]): MySQL gives '' for pos 0 and for a negative length. */
function substring(p: ExprPrinter, str: Expr, posExpr: Expr, lenExpr: Expr | undefined): string {
  const s = p.text(str);
  const pos = p.expr(posExpr);
  const posValue = p.constant(posExpr);
  const lenValue = lenExpr === undefined ? undefined : p.constant(lenExpr);
  const simplePos = typeof posValue === 'number' && posValue !== 0;
  if (lenExpr === undefined) return simplePos ? `substring(${s}, ${pos})` : `CASE WHEN ${pos} = 0 THEN '' ELSE substring(${s}, ${pos}) END`;
  const len = p.expr(lenExpr);
  const simpleLen = typeof lenValue === 'number' && lenValue >= 0;
  const call = `substring(${s}, ${pos}, ${simpleLen ? len : `CASE WHEN ${len} < 0 THEN 0 ELSE ${len} END`})`;
  return simplePos ? call : `CASE WHEN ${pos} = 0 THEN '' ELSE ${call} END`;
}

function concat(p: ExprPrinter, args: readonly Expr[]): string {
  // DuckDB's concat() skips NULLs; MySQL's CONCAT is NULL when any argument is, as `||` is.
  const parts = args.map((a) => p.text(a));
  return parts.length === 1 ? (parts[0] ?? '') : `(${parts.join(' || ')})`;
}

function groupConcat(p: ExprPrinter, args: readonly Expr[], call: FunctionCall): string {
  const value = args.length === 1 ? p.text(arg(args[0])) : concat(p, args);
  const separator = quoteString(call.separator ?? ',');
  const order = call.orderBy.map((item) => collatedOrder(p, item)).join(', ');
  if (!call.distinct) return `string_agg(${value}, ${separator}${order === '' ? '' : ` ORDER BY ${order}`})`;
  // DISTINCT by the collation: sorted by the value itself (as MySQL's DISTINCT returns
  // it without ORDER BY), equal values are neighbours and the first of each run stays.
  const only = args.length === 1 ? arg(args[0]) : undefined;
  const byValue = call.orderBy.length === 0 || (only !== undefined && call.orderBy.every((item) => p.expr(item.expr) === p.expr(only)));
  const sortedBy = call.orderBy.length > 0 ? order : only !== undefined ? collatedOrder(p, { expr: only, direction: 'ASC' }) : `lower(strip_accents(${value}))`;
  const list = `list(${value} ORDER BY ${sortedBy}) FILTER (WHERE ${value} IS NOT NULL)`;
  return `mysql_group_concat(${byValue ? 'mysql_distinct_runs' : 'mysql_distinct_first'}(${list}), ${separator})`;
}

function count(p: ExprPrinter, args: readonly Expr[], call: FunctionCall): string {
  if (call.star) return 'count(*)';
  if (args.length > 1) {
    if (!call.distinct) throw sqlError('ER_PARSE_ERROR', 'COUNT with several arguments needs DISTINCT');
    // MySQL counts distinct tuples with no NULL member.
    const printed = args.map((a) => p.expr(a));
    return `count(DISTINCT CASE WHEN ${printed.map((a) => `${a} IS NOT NULL`).join(' AND ')} THEN row(${printed.join(', ')}) END)`;
  }
  return call.distinct ? countDistinct(p, arg(args[0]), call) : `count(${p.expr(arg(args[0]))})`;
}

/** NOW() and friends: in the session's time zone, or UTC. */
function nowFunction(zone: 'session' | 'UTC', cast?: 'DATE' | 'TIME'): FunctionRule {
  return scalar(0, 1, (p, [fsp]) => {
    const base = zone === 'UTC' ? UTC_NOW : nowInZone(p.timeZone());
    const ts = withFsp(base, fsp === undefined ? 0 : constantInteger(p, fsp, 'fractional seconds precision'));
    return cast === undefined ? ts : `CAST(${ts} AS ${cast})`;
  });
}

/** WEEK()/YEARWEEK()'s argument as a DATE (the week SQL reads it several times). */
function weekDate(p: ExprPrinter, e: Expr | undefined): string {
  return p.temporalAs(arg(e), 'DATE');
}

function weekMode(p: ExprPrinter, e: Expr | undefined): number {
  return e === undefined ? 0 : constantInteger(p, e, 'WEEK mode');
}

/**
 * CONVERT_TZ(ts, from, to): through UTC. 'SYSTEM' is the server's zone; a zone MySQL
 * does not know gives NULL (DuckDB would refuse the query).
 */
function convertTz(p: ExprPrinter, args: readonly Expr[]): string {
  const from = constantString(p, arg(args[1]), 'CONVERT_TZ zone');
  const to = constantString(p, arg(args[2]), 'CONVERT_TZ zone');
  const source = from === null ? undefined : normalizeTimeZone(from);
  const target = to === null ? undefined : normalizeTimeZone(to);
  if (source === undefined || target === undefined) return 'NULL';
  const zone = (z: string): string => (z === 'SYSTEM' ? p.timeZone('SYSTEM') : z);
  return utcToZone(zoneToUtc(p.temporalAs(arg(args[0]), 'TIMESTAMP'), zone(source)), zone(target));
}

/** A TIME as the INTERVAL since midnight (DuckDB casts no TIME to INTERVAL). */
function timeAsInterval(p: ExprPrinter, time: Expr): string {
  return `to_microseconds(date_diff('microsecond', TIME '00:00:00', ${p.temporalAs(time, 'TIME')}))`;
}

function trimLike(duckName: string): FunctionRule {
  return scalar(1, 1, (p, [a]) => `${duckName}(${p.text(arg(a))})`);
}

export const FUNCTIONS: Readonly<Record<string, FunctionRule>> = {
  // session
  DATABASE: session('DATABASE'),
  SCHEMA: session('DATABASE'),
  USER: session('USER'),
  SESSION_USER: session('USER'),
  SYSTEM_USER: session('USER'),
  CURRENT_USER: session('CURRENT_USER'),
  CONNECTION_ID: session('CONNECTION_ID'),
  GET_LOCK: userLock('GET_LOCK', 2, 2),
  RELEASE_LOCK: userLock('RELEASE_LOCK', 1, 1),
  IS_FREE_LOCK: userLock('IS_FREE_LOCK', 1, 1),
  IS_USED_LOCK: userLock('IS_USED_LOCK', 1, 1),
  RELEASE_ALL_LOCKS: userLock('RELEASE_ALL_LOCKS', 0, 0),
  LAST_INSERT_ID: session('LAST_INSERT_ID'),
  VERSION: session('VERSION'),
  FOUND_ROWS: session('FOUND_ROWS'),
  ROW_COUNT: session('ROW_COUNT'),

  // control flow
  IF: scalar(3, 3, (p, [c, a, b]) => `CASE WHEN ${p.expr(arg(c))} THEN ${p.expr(arg(a))} ELSE ${p.expr(arg(b))} END`),
  IFNULL: same('COALESCE', 2),
  NULLIF: same('NULLIF', 2),
  COALESCE: same('COALESCE', 1, MANY),
  ISNULL: scalar(1, 1, (p, [a]) => `(${p.expr(arg(a))} IS NULL)`),
  GREATEST: extremum('>=', 'greatest'),
  LEAST: extremum('<=', 'least'),

  // strings
  CONCAT: scalar(1, MANY, concat),
  CONCAT_WS: scalar(2, MANY, (p, [sep, ...rest]) => `concat_ws(${p.text(arg(sep))}, ${rest.map((a) => p.text(a)).join(', ')})`),
  LENGTH: scalar(1, 1, (p, [a]) => `strlen(${p.text(arg(a))})`),
  OCTET_LENGTH: scalar(1, 1, (p, [a]) => `strlen(${p.text(arg(a))})`),
  BIT_LENGTH: scalar(1, 1, (p, [a]) => `(strlen(${p.text(arg(a))}) * 8)`),
  CHAR_LENGTH: stringFn('length', 1),
  CHARACTER_LENGTH: stringFn('length', 1),
  UPPER: stringFn('upper', 1),
  UCASE: stringFn('upper', 1),
  LOWER: stringFn('lower', 1),
  LCASE: stringFn('lower', 1),
  LEFT: stringFn('left', 2),
  RIGHT: stringFn('right', 2),
  SUBSTRING: scalar(2, 3, (p, [s, pos, len]) => substring(p, arg(s), arg(pos), len)),
  SUBSTR: scalar(2, 3, (p, [s, pos, len]) => substring(p, arg(s), arg(pos), len)),
  MID: scalar(3, 3, (p, [s, pos, len]) => substring(p, arg(s), arg(pos), len)),
  LOCATE: scalar(2, 3, (p, [sub, str, pos]) => locate(p, arg(sub), arg(str), pos)),
  INSTR: scalar(2, 2, (p, [str, sub]) => locate(p, arg(sub), arg(str), undefined)),
  LPAD: stringFn('lpad', 3),
  RPAD: stringFn('rpad', 3),
  REPLACE: scalar(3, 3, (p, [s, from, to]) => `replace(${p.text(arg(s))}, ${p.text(arg(from))}, ${p.text(arg(to))})`),
  REVERSE: stringFn('reverse', 1),
  REPEAT: stringFn('repeat', 2),
  SPACE: scalar(1, 1, (p, [n]) => `repeat(' ', ${p.expr(arg(n))})`),
  ASCII: stringFn('ascii', 1),
  ORD: stringFn('ascii', 1),
  HEX: same('hex', 1),
  UNHEX: stringFn('from_hex', 1),
  TRIM: trimLike('trim'),
  LTRIM: trimLike('ltrim'),
  RTRIM: trimLike('rtrim'),
  CHAR: scalar(1, MANY, (p, args) => {
    const chars = args.map((a) => `chr(CAST(${p.expr(a)} AS INTEGER))`);
    return chars.length === 1 ? (chars[0] ?? '') : `(${chars.join(' || ')})`;
  }),
  STRCMP: scalar(2, 2, (p, [a, b]) => {
    const x = p.expr(arg(a));
    const y = p.expr(arg(b));
    return `CASE WHEN ${x} < ${y} THEN -1 WHEN ${x} > ${y} THEN 1 WHEN ${x} = ${y} THEN 0 END`;
  }),
  FIELD: scalar(2, MANY, (p, [needle, ...list]) => {
    const x = p.expr(arg(needle));
    return `CASE ${list.map((item, i) => `WHEN ${x} = ${p.expr(item)} THEN ${i + 1}`).join(' ')} ELSE 0 END`;
  }),
  ELT: scalar(2, MANY, (p, [n, ...list]) => `CASE ${p.expr(arg(n))} ${list.map((item, i) => `WHEN ${i + 1} THEN ${p.expr(item)}`).join(' ')} END`),
  FIND_IN_SET: scalar(2, 2, (p, [needle, list]) => {
    const x = p.text(arg(needle));
    const set = p.text(arg(list));
    return `CASE WHEN ${x} IS NULL OR ${set} IS NULL THEN NULL ELSE coalesce(list_position(string_split(${set}, ','), ${x}), 0) END`;
  }),
  SUBSTRING_INDEX: scalar(3, 3, (p, [s, d, n]) => {
    const parts = `string_split(${p.text(arg(s))}, ${p.text(arg(d))})`;
    const count = p.expr(arg(n));
    const delimiter = p.text(arg(d));
    return `CASE WHEN ${count} >= 0 THEN array_to_string(${parts}[1:${count}], ${delimiter}) ELSE array_to_string(${parts}[${count}:], ${delimiter}) END`;
  }),
  FORMAT: scalar(2, 3, (p, [x, d]) => {
    const decimals = Math.max(0, constantInteger(p, d, 'FORMAT decimals'));
    // round() first: MySQL rounds half away from zero, the formatter to even.
    return `format('{:,.${decimals}f}', round(${p.expr(arg(x))}, ${decimals}))`;
  }),
  INSERT: scalar(4, 4, (p, [str, pos, len, add]) => {
    const s = p.text(arg(str));
    const at = p.expr(arg(pos));
    const n = p.expr(arg(len));
    const head = `left(${s}, ${at} - 1) || ${p.text(arg(add))}`;
    // Out of range, MySQL returns the string unchanged; a length past the end replaces the rest.
    return `CASE WHEN ${at} < 1 OR ${at} > length(${s}) THEN ${s} WHEN ${n} < 0 OR ${at} + ${n} > length(${s}) THEN ${head} ELSE ${head} || substr(${s}, ${at} + ${n}) END`;
  }),
  // MySQL's regular expressions ignore case under the default collation, and replace every match.
  REGEXP_REPLACE: scalar(3, 3, (p, [s, pattern, by]) => `regexp_replace(${p.text(arg(s))}, ${p.text(arg(pattern))}, ${p.text(arg(by))}, 'gi')`),
  REGEXP_INSTR: scalar(2, 2, (p, [s, pattern]) => {
    const str = p.text(arg(s));
    const re = p.text(arg(pattern));
    // The first match's position: the length of the shortest prefix before it, plus one.
    return `CASE WHEN NOT regexp_matches(${str}, ${re}, 'i') THEN 0 ELSE length(regexp_extract(${str}, '(?s)^(.*?)(?:' || ${re} || ')', 1, 'i')) + 1 END`;
  }),
  REGEXP_SUBSTR: scalar(2, 2, (p, [s, pattern]) => `regexp_extract(${p.text(arg(s))}, ${p.text(arg(pattern))}, 0, 'i')`),
  QUOTE: scalar(1, 1, (p, [a]) => {
    const s = p.text(arg(a));
    return `CASE WHEN ${s} IS NULL THEN 'NULL' ELSE '''' || replace(replace(${s}, '\\', '\\\\'), '''', '\\''') || '''' END`;
  }),
  CHARSET: scalar(1, 1, (p, [a]) => `CASE WHEN typeof(${p.expr(arg(a))}) = 'VARCHAR' THEN 'utf8mb4' ELSE 'binary' END`),
  SOUNDEX: scalar(1, 1, (p, [a]) => `mysql_soundex(${p.text(arg(a))})`),
  MD5: stringFn('md5', 1),
  SHA1: stringFn('sha1', 1),
  SHA: stringFn('sha1', 1),
  SHA2: scalar(2, 2, (p, [s, bits]) => {
    const n = constantInteger(p, bits, 'SHA2 length');
    if (n !== 0 && n !== 256) throw sqlError('ER_NOT_SUPPORTED_YET', `This version of ducksafe doesn't yet support 'SHA2 with ${n} bits'`);
    return `sha256(${p.text(arg(s))})`;
  }),
  UUID: scalar(0, 0, () => 'CAST(uuid() AS VARCHAR)'),
  TO_BASE64: scalar(1, 1, (p, [s]) => `to_base64(encode(${p.text(arg(s))}))`),
  FROM_BASE64: stringFn('from_base64', 1),

  // numbers
  ABS: same('abs', 1),
  BIT_COUNT: scalar(1, 1, (p, [a]) => `CAST(bit_count(CAST(${p.expr(arg(a))} AS BIGINT)) AS BIGINT)`),
  SIGN: same('sign', 1),
  CEIL: same('ceil', 1),
  CEILING: same('ceil', 1),
  FLOOR: same('floor', 1),
  ROUND: same('round', 1, 2),
  TRUNCATE: same('trunc', 2),
  MOD: scalar(2, 2, (p, [a, b]) => `(${p.expr(arg(a))} % NULLIF(${p.expr(arg(b))}, 0))`),
  POW: same('pow', 2),
  POWER: same('pow', 2),
  SQRT: guarded('sqrt', (x) => `${x} >= 0`),
  EXP: same('exp', 1),
  LN: guarded('ln', (x) => `${x} > 0`),
  LOG: scalar(1, 2, (p, [a, b]) => {
    if (b === undefined) {
      const x = p.expr(arg(a));
      return `CASE WHEN ${x} > 0 THEN ln(${x}) END`;
    }
    const base = p.expr(arg(a));
    const x = p.expr(b);
    return `CASE WHEN ${base} > 0 AND ${base} <> 1 AND ${x} > 0 THEN log(${base}, ${x}) END`;
  }),
  LOG2: guarded('log2', (x) => `${x} > 0`),
  LOG10: guarded('log10', (x) => `${x} > 0`),
  PI: same('pi', 0),
  RAND: scalar(0, 0, () => 'random()'),
  SIN: same('sin', 1),
  COS: same('cos', 1),
  TAN: same('tan', 1),
  COT: same('cot', 1),
  ASIN: same('asin', 1),
  ACOS: same('acos', 1),
  ATAN: scalar(1, 2, (p, [a, b]) => (b === undefined ? `atan(${p.expr(arg(a))})` : `atan2(${p.expr(arg(a))}, ${p.expr(b)})`)),
  ATAN2: same('atan2', 2),
  DEGREES: same('degrees', 1),
  RADIANS: same('radians', 1),
  BIN: scalar(1, 1, (p, [a]) => `bin(CAST(${p.expr(arg(a))} AS BIGINT))`),
  // CONV and OCT are DuckDB macros (macros.ts).
  CONV: scalar(3, 3, (p, [n, from, to]) => `mysql_conv(${p.text(arg(n))}, ${p.expr(arg(from))}, ${p.expr(arg(to))})`),
  OCT: scalar(1, 1, (p, [n]) => `mysql_conv(${p.text(arg(n))}, 10, 8)`),

  // dates and times
  NOW: nowFunction('session'),
  CURRENT_TIMESTAMP: nowFunction('session'),
  LOCALTIME: nowFunction('session'),
  LOCALTIMESTAMP: nowFunction('session'),
  SYSDATE: nowFunction('session'),
  CURDATE: scalar(0, 0, (p) => `CAST(${nowInZone(p.timeZone())} AS DATE)`),
  CURRENT_DATE: scalar(0, 0, (p) => `CAST(${nowInZone(p.timeZone())} AS DATE)`),
  CURTIME: nowFunction('session', 'TIME'),
  CURRENT_TIME: nowFunction('session', 'TIME'),
  UTC_TIMESTAMP: nowFunction('UTC'),
  UTC_DATE: scalar(0, 0, () => `CAST(${UTC_NOW} AS DATE)`),
  UTC_TIME: nowFunction('UTC', 'TIME'),
  DATE: scalar(1, 1, (p, [a]) => p.temporalAs(arg(a), 'DATE')),
  TIME: scalar(1, 1, (p, [a]) => p.temporalAs(arg(a), 'TIME')),
  TIMESTAMP: scalar(1, 2, (p, [a, b]) => {
    const ts = p.temporalAs(arg(a), 'TIMESTAMP');
    return b === undefined ? ts : `(${ts} + ${timeAsInterval(p, b)})`;
  }),
  YEAR: temporalFn((ts) => `year(${ts})`),
  MONTH: temporalFn((ts) => `month(${ts})`),
  DAY: temporalFn((ts) => `day(${ts})`),
  DAYOFMONTH: temporalFn((ts) => `day(${ts})`),
  HOUR: temporalFn((ts) => `hour(${ts})`),
  MINUTE: temporalFn((ts) => `minute(${ts})`),
  SECOND: temporalFn((ts) => `second(${ts})`),
  MICROSECOND: temporalFn((ts) => `(microsecond(${ts}) % 1000000)`),
  QUARTER: temporalFn((ts) => `quarter(${ts})`),
  DAYOFYEAR: temporalFn((ts) => `dayofyear(${ts})`),
  // MySQL: 1 = Sunday; DuckDB's dayofweek: 0 = Sunday.
  DAYOFWEEK: temporalFn((ts) => `(dayofweek(${ts}) + 1)`),
  // MySQL: 0 = Monday.
  WEEKDAY: temporalFn((ts) => `(isodow(${ts}) - 1)`),
  WEEKOFYEAR: temporalFn((ts) => `weekofyear(${ts})`),
  MONTHNAME: temporalFn((ts) => `monthname(${ts})`),
  DAYNAME: temporalFn((ts) => `dayname(${ts})`),
  LAST_DAY: temporalFn((ts) => `last_day(${ts})`),
  WEEK: scalar(1, 2, (p, [d, mode]) => weekSql(weekDate(p, d), weekMode(p, mode))),
  YEARWEEK: scalar(1, 2, (p, [d, mode]) => yearWeekSql(weekDate(p, d), weekMode(p, mode))),
  TO_DAYS: scalar(1, 1, (p, [d]) => `(${p.temporalAs(arg(d), 'DATE')} - DATE '0001-01-01' + 366)`),
  FROM_DAYS: scalar(1, 1, (p, [n]) => `CAST(DATE '0001-01-01' + to_days(CAST(${p.expr(arg(n))} - 366 AS INTEGER)) AS DATE)`),
  MAKEDATE: scalar(2, 2, (p, [y, d]) => {
    const day = p.expr(arg(d));
    return `CASE WHEN ${day} > 0 THEN CAST(make_date(CAST(${p.expr(arg(y))} AS BIGINT), 1, 1) + to_days(CAST(${day} - 1 AS INTEGER)) AS DATE) END`;
  }),
  MAKETIME: scalar(3, 3, (p, [h, m, s]) => `make_time(CAST(${p.expr(arg(h))} AS BIGINT), CAST(${p.expr(arg(m))} AS BIGINT), CAST(${p.expr(arg(s))} AS DOUBLE))`),
  SEC_TO_TIME: scalar(1, 1, (p, [n]) => `to_seconds(CAST(${p.expr(arg(n))} AS DOUBLE))`),
  TIME_TO_SEC: scalar(1, 1, (p, [t]) => {
    const time = p.temporalAs(arg(t), 'TIME');
    return `(hour(${time}) * 3600 + minute(${time}) * 60 + second(${time}))`;
  }),
  DATEDIFF: scalar(2, 2, (p, [a, b]) => `(${p.temporalAs(arg(a), 'DATE')} - ${p.temporalAs(arg(b), 'DATE')})`),
  // An INTERVAL, so that negative differences and differences over 24 hours survive (MySQL's TIME does both).
  TIMEDIFF: scalar(2, 2, (p, [a, b]) => {
    const x = p.temporal(arg(a));
    const y = p.temporal(arg(b));
    const diff = `to_microseconds(date_diff('microsecond', ${y}, ${x}))`;
    // MySQL answers NULL for arguments of different types (a DATETIME and a DATE); of a
    // column only DuckDB knows the type (typeof is folded when the query is bound).
    return arg(a).kind === 'column' || arg(b).kind === 'column' ? `CASE WHEN typeof(${x}) = typeof(${y}) THEN ${diff} END` : diff;
  }),
  ADDTIME: scalar(2, 2, (p, [d, t]) => `(${p.temporal(arg(d))} + ${timeAsInterval(p, arg(t))})`),
  SUBTIME: scalar(2, 2, (p, [d, t]) => `(${p.temporal(arg(d))} - ${timeAsInterval(p, arg(t))})`),
  DATE_ADD: scalar(2, 2, (p, [d, i]) => dateAdd(p, arg(d), arg(i), '+')),
  ADDDATE: scalar(2, 2, (p, [d, i]) => dateAdd(p, arg(d), arg(i), '+')),
  DATE_SUB: scalar(2, 2, (p, [d, i]) => dateAdd(p, arg(d), arg(i), '-')),
  SUBDATE: scalar(2, 2, (p, [d, i]) => dateAdd(p, arg(d), arg(i), '-')),
  DATE_FORMAT: scalar(2, 2, (p, [d, f]) => {
    const format = constantString(p, arg(f), 'DATE_FORMAT format');
    return format === null ? 'NULL' : dateFormatSql(p.temporal(arg(d), 'TIMESTAMP'), format);
  }),
  TIME_FORMAT: scalar(2, 2, (p, [t, f]) => {
    const format = constantString(p, arg(f), 'TIME_FORMAT format');
    // strftime takes no TIME; anchor the time to a day.
    return format === null ? 'NULL' : dateFormatSql(`(DATE '1970-01-01' + ${p.temporalAs(arg(t), 'TIME')})`, format);
  }),
  STR_TO_DATE: scalar(2, 2, (p, [s, f]) => {
    const format = constantString(p, arg(f), 'STR_TO_DATE format');
    return format === null ? 'NULL' : strToDateSql(p.text(arg(s)), format);
  }),
  UNIX_TIMESTAMP: scalar(0, 1, (p, [d]) => {
    // A DATETIME is local to the session's time zone.
    const instant = d === undefined ? 'now()' : zoneToUtc(p.temporalAs(d, 'TIMESTAMP'), p.timeZone());
    return `CAST(floor(epoch(${instant})) AS BIGINT)`;
  }),
  FROM_UNIXTIME: scalar(1, 2, (p, [n, f]) => {
    const ts = utcToZone(`timezone('UTC', to_timestamp(${p.expr(arg(n))}))`, p.timeZone());
    if (f === undefined) return ts;
    const format = constantString(p, f, 'FROM_UNIXTIME format');
    return format === null ? 'NULL' : dateFormatSql(ts, format);
  }),
  CONVERT_TZ: scalar(3, 3, (p, args) => convertTz(p, args)),

  // JSON
  JSON_EXTRACT: same('json_extract', 2),
  JSON_UNQUOTE: scalar(1, 1, (p, [a]) => {
    const inner = arg(a);
    if (inner.kind === 'call' && inner.name === 'JSON_EXTRACT' && inner.args.length === 2) {
      return `json_extract_string(${inner.args.map((x) => p.expr(x)).join(', ')})`;
    }
    if (inner.kind === 'binary' && inner.op === '->') return `(${p.expr(inner.left)} ->> ${p.expr(inner.right)})`;
    return `(CAST(${p.expr(inner)} AS JSON) ->> '$')`;
  }),
  JSON_OBJECT: same('json_object', 0, MANY),
  JSON_ARRAY: same('json_array', 0, MANY),
  JSON_VALID: same('json_valid', 1),
  JSON_CONTAINS: same('json_contains', 2),
  JSON_KEYS: same('json_keys', 1, 2),

  // aggregates
  COUNT: { minArgs: 0, maxArgs: MANY, kind: 'aggregate', print: count },
  SUM: aggregate('sum'),
  AVG: aggregate('avg'),
  MIN: aggregate('min'),
  MAX: aggregate('max'),
  GROUP_CONCAT: { minArgs: 1, maxArgs: MANY, kind: 'aggregate', print: groupConcat },
  BIT_AND: aggregate('bit_and'),
  BIT_OR: aggregate('bit_or'),
  BIT_XOR: aggregate('bit_xor'),
  STD: aggregate('stddev_pop'),
  STDDEV: aggregate('stddev_pop'),
  STDDEV_POP: aggregate('stddev_pop'),
  STDDEV_SAMP: aggregate('stddev_samp'),
  VARIANCE: aggregate('var_pop'),
  VAR_POP: aggregate('var_pop'),
  VAR_SAMP: aggregate('var_samp'),
  ANY_VALUE: aggregate('any_value'),
  JSON_ARRAYAGG: aggregate('json_group_array'),
  JSON_OBJECTAGG: aggregate('json_group_object', 2),
  GROUPING: { minArgs: 1, maxArgs: MANY, kind: 'scalar', print: (p, args) => `grouping(${args.map((a) => p.expr(a)).join(', ')})` },

  // window functions
  ROW_NUMBER: windowFn('row_number'),
  RANK: windowFn('rank'),
  DENSE_RANK: windowFn('dense_rank'),
  PERCENT_RANK: windowFn('percent_rank'),
  CUME_DIST: windowFn('cume_dist'),
  NTILE: windowFn('ntile', 1),
  LAG: windowFn('lag', 1, 3),
  LEAD: windowFn('lead', 1, 3),
  FIRST_VALUE: windowFn('first_value', 1),
  LAST_VALUE: windowFn('last_value', 1),
  NTH_VALUE: windowFn('nth_value', 2),

  MATCH: unsupported('MATCH ... AGAINST'),
  DEFAULT: unsupported('DEFAULT()'),
};

function dateAdd(p: ExprPrinter, date: Expr, amount: Expr, sign: '+' | '-'): string {
  // ADDDATE(d, n) counts days.
  const interval = amount.kind === 'interval' ? amount : { kind: 'interval' as const, value: amount, unit: 'DAY' as const };
  return p.dateArithmetic(date, interval, sign);
}
