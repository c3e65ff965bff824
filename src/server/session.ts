// A connection's SQL-level state. The server owns it; the engine reads and
// changes it through the statements it runs (USE, SET, BEGIN, ...).

export type VariableValue = null | string | number | bigint;

export interface Warning {
  readonly level: 'Note' | 'Warning' | 'Error';
  readonly code: number;
  readonly message: string;
}

export class Session {
  database: string | null;
  /** Session-scoped system variables that differ from the global values, by lower-case name. */
  readonly variables = new Map<string, VariableValue>();
  /** @user variables, by lower-case name. */
  readonly userVariables = new Map<string, VariableValue>();
  autocommit = true;
  inTransaction = false;
  lastInsertId = 0n;
  /** ROW_COUNT() of the previous statement (-1 after a SELECT). */
  rowCount = -1n;
  foundRows = 0n;
  warnings: Warning[] = [];
  /**
   * How many warnings the last statement raised itself: the count its OK or EOF packet
   * carries. `warnings` may hold older ones (SHOW WARNINGS and a SELECT of no table
   * keep the previous statement's).
   */
  statementWarnings = 0;
  /** What the connection is doing, for SHOW PROCESSLIST. */
  command = 'Sleep';
  info: string | null = null;
  readonly connectedAt = Date.now();

  constructor(
    readonly connectionId: number,
    readonly user: string,
    readonly host: string,
    database: string | null,
  ) {
    this.database = database;
  }

  resetState(): void {
    this.variables.clear();
    this.userVariables.clear();
    this.autocommit = true;
    this.inTransaction = false;
    this.lastInsertId = 0n;
    this.rowCount = -1n;
    this.foundRows = 0n;
    this.warnings = [];
    this.statementWarnings = 0;
  }
}
