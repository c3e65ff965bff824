// Every metric the server exports, in one place, so /metrics reads as a list and
// each module records into a named field rather than inventing metric names.
import { Registry, type Counter, type Histogram } from './metrics.js';

/** Seconds; statements range from sub-millisecond lookups to minutes-long scans. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 60, 300];

export const STATEMENT_OUTCOMES = ['ok', 'error'] as const;
export type StatementOutcome = (typeof STATEMENT_OUTCOMES)[number];

export class ServerMetrics {
  readonly registry = new Registry();
  readonly connectionsTotal: Counter;
  readonly statements: Counter;
  readonly statementSeconds: Histogram;
  readonly slowStatements: Counter;
  readonly storageRequests: Counter;
  readonly storageReadBytes: Counter;
  readonly storageWrittenBytes: Counter;
  readonly commitConflicts: Counter;
  readonly failSafeRecovered: Counter;
  readonly failSafeNotRecoverable: Counter;
  readonly vacuumRemovedFiles: Counter;
  readonly vacuumRemovedBytes: Counter;
  readonly compactedFiles: Counter;

  constructor() {
    const r = this.registry;
    this.connectionsTotal = r.counter('ducksafe_connections_total', 'MySQL connections accepted since start');
    this.statements = r.counter('ducksafe_statements_total', 'Statements run, by kind and outcome');
    this.statementSeconds = r.histogram('ducksafe_statement_duration_seconds', 'Statement latency, by kind', LATENCY_BUCKETS);
    this.slowStatements = r.counter('ducksafe_slow_statements_total', 'Statements slower than the slow-query threshold');
    this.storageRequests = r.counter('ducksafe_storage_requests_total', 'Requests to the warehouse store, by operation');
    this.storageReadBytes = r.counter('ducksafe_storage_read_bytes_total', 'Bytes read from the warehouse store');
    this.storageWrittenBytes = r.counter('ducksafe_storage_written_bytes_total', 'Bytes written to the warehouse store');
    this.commitConflicts = r.counter('ducksafe_commit_conflicts_total', 'Transactions refused because another writer committed first (1213)');
    this.failSafeRecovered = r.counter('ducksafe_failsafe_recovered_objects_total', 'Objects system$fuse_amend brought back from bucket versions');
    this.failSafeNotRecoverable = r.counter('ducksafe_failsafe_unrecoverable_objects_total', 'Objects system$fuse_amend found removed with no version to bring back');
    this.vacuumRemovedFiles = r.counter('ducksafe_vacuum_removed_files_total', 'Files VACUUM (statement or background) removed from storage');
    this.vacuumRemovedBytes = r.counter('ducksafe_vacuum_removed_bytes_total', 'Bytes VACUUM (statement or background) removed from storage');
    this.compactedFiles = r.counter('ducksafe_compacted_files_total', 'Small files merged by compaction (background or OPTIMIZE TABLE)');
    // Shown as 0 from the start, so a scrape can tell "none yet" from "not exported".
    for (const c of [this.failSafeRecovered, this.failSafeNotRecoverable, this.vacuumRemovedFiles, this.vacuumRemovedBytes, this.compactedFiles]) c.inc({}, 0);
  }
}
