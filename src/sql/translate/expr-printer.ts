// What the function table (functions.ts) may ask of the printer. An interface of
// its own so that the printer imports the function table and not the reverse.
import type { SessionFunctionName, SqlValue, UserLockFunction } from '../statement.js';
import type { Expr, IntervalExpr, OrderByItem, WindowSpec } from './ast.js';
import type { TemporalType } from './temporal.js';

export interface ExprPrinter {
  /** DuckDB SQL for an expression; compound expressions come parenthesised. */
  expr(e: Expr): string;
  /**
   * Like expr(), but a constant string (literal, placeholder or variable holding
   * one) is cast to a temporal type, because DuckDB will not pick one for
   * `year('2024-01-07')`. Without `type` the string's own shape decides.
   */
  temporal(e: Expr, type?: TemporalType): string;
  /** The expression as exactly this temporal type, with one cast (two for a datetime string read as a TIME). */
  temporalAs(e: Expr, type: TemporalType): string;
  /** Like expr(), cast to VARCHAR unless it already is a string literal (MySQL string functions accept anything). */
  text(e: Expr): string;
  /** The value of a constant argument (literal, placeholder, variable), or undefined. */
  constant(e: Expr): SqlValue | undefined;
  /** `d + INTERVAL ...` / `d - INTERVAL ...` with MySQL's result type where it is known. */
  dateArithmetic(date: Expr, interval: IntervalExpr, sign: '+' | '-'): string;
  orderBy(items: readonly OrderByItem[]): string;
  window(spec: WindowSpec): string;
  sessionFunction(name: SessionFunctionName): string;
  userLock(fn: UserLockFunction, args: readonly Expr[]): string;
  /** The session's time zone ('+hh:mm' or a name, 'SYSTEM' resolved), or with 'SYSTEM' the server's; SERVER_LOCAL_ZONE without a session. */
  timeZone(which?: 'SYSTEM'): string;
}
