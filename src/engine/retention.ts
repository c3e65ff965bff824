// How long committed states stay readable, and the checks every time-travel read,
// UNDROP and VACUUM share. A table's retained history is the state it had at
// (now - retention) and every later state; only VACUUM ever removes what lies
// before that, and it records in the log how far it went (`vacuumedBefore`), so a
// state it removed stays unreadable even if the retention period grows later.
import { sqlError } from '../errors/registry.js';
import type { DatabaseLog } from './catalog/database-log.js';
import type { DatabaseState, TableMeta, TableState } from './catalog/database-state.js';

export const RETENTION_OPTION = 'data_retention_period_in_hours';
/** A hundred years: enough for "keep everything", far from any date overflow. */
export const MAX_RETENTION_HOURS = 876_000;
const HOUR_MS = 3_600_000;

export interface RetentionPolicy {
  /** Hours every committed state stays readable unless its table sets data_retention_period_in_hours. */
  readonly defaultHours: number;
  /** Files that no commit references are left alone this long: another writer may be about to commit them. */
  readonly orphanGraceMs: number;
}

/** Throws a clear error unless `value` is a whole number of hours from 1 to MAX_RETENTION_HOURS. */
export function checkRetentionOption(value: string): number {
  const hours = /^\d{1,7}$/.test(value) ? Number(value) : NaN;
  if (!(hours >= 1 && hours <= MAX_RETENTION_HOURS)) {
    throw sqlError('ER_WRONG_ARGUMENTS', `${RETENTION_OPTION} must be a whole number of hours from 1 to ${MAX_RETENTION_HOURS}, not '${value}'`);
  }
  return hours;
}

export function retentionHours(meta: TableMeta, policy: RetentionPolicy): number {
  const own = meta.options[RETENTION_OPTION];
  return own !== undefined && /^\d+$/.test(own) && Number(own) >= 1 ? Number(own) : policy.defaultHours;
}

/** The start of the retention period that ends now. */
export function retentionStart(now: Date, hours: number): Date {
  return new Date(now.getTime() - hours * HOUR_MS);
}

/**
 * The oldest seq at which the table can be read: the commit that gave it the state
 * it had at `cutoff` (0 when it did not exist then: its whole history is retained).
 */
export async function retainedFrom(log: DatabaseLog, tableId: string, cutoff: Date): Promise<{ readonly seq: number; readonly horizon: DatabaseState | undefined }> {
  const at = await log.seqAt(cutoff);
  if (at === 0) return { seq: 0, horizon: undefined };
  const horizon = await log.stateAt(at);
  return { seq: horizon.tables[tableId]?.changedSeq ?? 0, horizon };
}

/** The newest `vacuumedBefore` this process knows for a table: the log's current state may be newer than a transaction's snapshot. */
export function vacuumedBefore(log: DatabaseLog, table: TableState): number {
  return Math.max(table.vacuumedBefore ?? 0, log.current().tables[table.meta.id]?.vacuumedBefore ?? 0);
}

function removedError(label: string, when: string, before: number): Error {
  return sqlError(
    'ER_TABLE_DEF_CHANGED',
    `Table '${label}' ${when} is no longer available: VACUUM removed its states before snapshot ${before} after their retention period`,
  );
}

/**
 * Throws when VACUUM already removed the state at `seq` of a table whose states
 * before `before` are gone: the check that must follow pinning the state's files,
 * and that a commit re-adding old files makes against the newest state.
 */
export function assertNotVacuumed(before: number, seq: number, label: string, when: string): void {
  if (seq < before) throw removedError(label, when, before);
}

/**
 * Throws a clear error when the table's state at `seq` is past its retention period
 * or was removed by VACUUM. `table` is the table's current state.
 */
export async function assertRetained(
  log: DatabaseLog,
  table: TableState,
  seq: number,
  now: Date,
  policy: RetentionPolicy,
  label: string,
  when: string,
): Promise<void> {
  assertNotVacuumed(vacuumedBefore(log, table), seq, label, when);
  // The table's current content is retained whatever its age.
  if (seq >= table.changedSeq) return;
  const hours = retentionHours(table.meta, policy);
  const { seq: oldest } = await retainedFrom(log, table.meta.id, retentionStart(now, hours));
  if (seq < oldest) {
    throw sqlError(
      'ER_TABLE_DEF_CHANGED',
      `Table '${label}' ${when} is past its retention period of ${hours} hours: the oldest state kept is snapshot ${oldest}`,
    );
  }
}

/** A dropped table (or database) whose retention period has ended: VACUUM may purge it, UNDROP no longer brings it back. */
export function dropExpired(droppedAt: string, hours: number, now: Date): boolean {
  return Date.parse(droppedAt) + hours * HOUR_MS <= now.getTime();
}

/** A dropped database keeps its data as long as the longest retention among its tables (the default when it has none). */
export function databaseRetentionHours(state: DatabaseState, policy: RetentionPolicy): number {
  const hours = Object.values(state.tables)
    .filter((t) => t.purged === undefined)
    .map((t) => retentionHours(t.meta, policy));
  return hours.length === 0 ? policy.defaultHours : Math.max(...hours);
}
