// What SHOW PROCESSLIST and information_schema.PROCESSLIST say about a connection.

/** One connection as SHOW PROCESSLIST lists it. */
export interface ProcessInfo {
  readonly id: number;
  readonly user: string;
  readonly host: string;
  readonly db: string | null;
  readonly command: 'Query' | 'Sleep';
  /** Seconds in the current state. */
  readonly time: number;
  readonly state: string;
  readonly info: string | null;
}
