// BACKUP and RESTORE jobs as they are persisted in the warehouse (one record per job,
// rewritten as it moves on) and shown by SHOW BACKUP / SHOW RESTORE. Pure: the state
// sets, the transitions each kind allows, progress arithmetic and the display forms.
import type { SnapshotScope } from '../sql/backup-statement.js';
import type { DataFile, TableMeta, ViewDef } from '../engine/catalog/database-state.js';
import { estimate } from '../observability/progress.js';

export const JOB_RECORD_FORMAT = 1;

export const BACKUP_STATES = ['PENDING', 'SNAPSHOTING', 'UPLOAD_SNAPSHOT', 'UPLOADING', 'SAVE_META', 'UPLOAD_INFO', 'FINISHED', 'CANCELLED'] as const;
export type BackupState = (typeof BACKUP_STATES)[number];

export const RESTORE_STATES = ['PENDING', 'SNAPSHOTING', 'DOWNLOAD', 'DOWNLOADING', 'COMMIT', 'COMMITTING', 'FINISHED', 'CANCELLED'] as const;
export type RestoreState = (typeof RESTORE_STATES)[number];

export const FINAL_STATES = ['FINISHED', 'CANCELLED'] as const;

export function isFinal(state: BackupState | RestoreState): boolean {
  return (FINAL_STATES as readonly string[]).includes(state);
}

/** A job moves forward through its states, or to CANCELLED from anywhere that is not final. */
export function canMove<S extends BackupState | RestoreState>(states: readonly S[], from: S, to: S): boolean {
  if (isFinal(from)) return false;
  if (to === 'CANCELLED') return true;
  return states.indexOf(to) > states.indexOf(from);
}

export interface Progress {
  readonly totalFiles: number;
  readonly totalBytes: number;
  /** Files and bytes that are in place (copied now, or already there). */
  readonly doneFiles: number;
  readonly doneBytes: number;
  /** What this job actually moved (files already in place are not copied again). */
  readonly copiedFiles: number;
  readonly copiedBytes: number;
  /** When the transfer phase began (ISO), for the estimate of time left. */
  readonly transferStartedAt?: string;
  /** Bytes done when the transfer phase (re)started, so a resumed job estimates from its own rate. */
  readonly transferStartBytes?: number;
}

export const NO_PROGRESS: Progress = { totalFiles: 0, totalBytes: 0, doneFiles: 0, doneBytes: 0, copiedFiles: 0, copiedBytes: 0 };

interface JobCommon {
  readonly format: number;
  readonly id: number;
  readonly label: string;
  readonly dbName: string;
  readonly repository: { readonly id: number; readonly name: string };
  readonly user: string;
  readonly createdAt: string;
  readonly finishedAt?: string;
  readonly timeoutSeconds: number;
  /** The PROPERTIES as given, echoed. */
  readonly properties: Readonly<Record<string, string>>;
  /** Why the job was cancelled (Status), and the last sub-task error (TaskErrMsg). */
  readonly cancelReason?: string;
  readonly taskErrMsg?: string;
  readonly progress: Progress;
  /** What the unfinished sub-tasks are working on, when persisted. */
  readonly unfinished?: readonly string[];
  /** The tables the job holds while it runs. */
  readonly holds: readonly Hold[];
}

/** A file the backup has placed in the repository (or found there). */
export interface UploadedFile {
  readonly object: string;
  readonly sha256: string;
  readonly size: number;
  /** True when this job copied it; only those are removed when the job is cancelled. */
  readonly copied: boolean;
}

export interface BackupJobRecord extends JobCommon {
  readonly kind: 'backup';
  readonly state: BackupState;
  readonly databaseId: string;
  readonly scope: SnapshotScope;
  /** BackupObjs as shown. */
  readonly objects: string;
  /** Names the job's in-progress marker in the repository. */
  readonly token: string;
  readonly snapshot?: { readonly seq: number; readonly timestamp: string; readonly takenAt: string };
  readonly snapshotFinishedAt?: string;
  readonly uploadFinishedAt?: string;
  /** By warehouse data-file key. */
  readonly uploaded: Readonly<Record<string, UploadedFile>>;
}

/** One file of a restore: where it comes from in the repository and what it becomes. */
export interface RestoreFile {
  readonly object: string;
  readonly sha256: string;
  readonly size: number;
  /** The data file as it will be committed (its key is new, in the target table). */
  readonly file: DataFile;
}

export const RESTORE_MODES = ['create', 'replace', 'partitions'] as const;
export type RestoreMode = (typeof RESTORE_MODES)[number];

export interface RestoreTarget {
  readonly source: string;
  readonly target: string;
  /** create: a new table; replace: the existing table gets the backup's definition and files; partitions: only those. */
  readonly mode: RestoreMode;
  readonly tableId: string;
  readonly meta: TableMeta;
  readonly autoIncrement: string;
  /** Storage ids of the target partitions whose files are replaced (mode partitions). */
  readonly partitionIds?: readonly string[];
  readonly files: readonly RestoreFile[];
}

export interface RestorePlan {
  readonly databaseId: string;
  readonly targets: readonly RestoreTarget[];
  /** Live tables to drop at commit ("clean_tables"), by id. */
  readonly dropTableIds: readonly string[];
  /** Views created (or replaced) by the commit, under their target names. */
  readonly views?: readonly ViewDef[];
}

export interface RestoreJobRecord extends JobCommon {
  readonly kind: 'restore';
  readonly state: RestoreState;
  readonly backupTimestamp: string;
  readonly scope: SnapshotScope;
  readonly objects: string;
  readonly options: {
    readonly allowLoad: boolean;
    readonly replicationNum: string;
    readonly replicaAllocation: string;
    readonly reserveReplica: boolean;
    readonly reserveDynamicPartitionEnable: boolean;
    readonly forceReplace: boolean;
    readonly cleanTables: boolean;
  };
  readonly metaPreparedAt?: string;
  readonly snapshotFinishedAt?: string;
  readonly downloadFinishedAt?: string;
  readonly plan?: RestorePlan;
  /** Target keys downloaded and verified. */
  readonly downloaded: readonly string[];
  /** The database's newest commit before this job's commit, to find that commit after a restart. */
  readonly commitBase?: number;
  /** The database did not exist and the job created it: it is dropped again if the job fails and it is still empty. */
  readonly createdDatabaseId?: string;
}

export type JobRecord = BackupJobRecord | RestoreJobRecord;

/** The operation text of a restore's commit; the job id in it lets a restarted server find it. */
export function restoreOperation(job: Pick<RestoreJobRecord, 'label' | 'id'>): string {
  return `RESTORE SNAPSHOT ${job.label} (job ${job.id})`;
}

/** A table a running job holds (names in lower case); no table: the whole database. */
export interface Hold {
  readonly db: string;
  readonly table?: string;
}

export function holdOf(db: string, table?: string): Hold {
  return table === undefined ? { db: db.toLowerCase() } : { db: db.toLowerCase(), table: table.toLowerCase() };
}

/** Whether two jobs' holds overlap: a table in common, or one holds the whole database of the other. */
export function holdsOverlap(a: readonly Hold[], b: readonly Hold[]): boolean {
  return a.some((x) => b.some((y) => x.db === y.db && (x.table === undefined || y.table === undefined || x.table === y.table)));
}

// ---- display ----------------------------------------------------------------------

/** Doris's time form, UTC; 'N/A' for a time not reached yet. */
export function showTime(iso: string | undefined): string {
  if (iso === undefined) return 'N/A';
  return iso.slice(0, 19).replace('T', ' ');
}

/** Status: Doris's [OK] or [CANCELLED, msg: ...]. */
export function showStatus(job: JobCommon): string {
  return job.cancelReason === undefined ? '[OK]' : `[CANCELLED, msg: ${job.cancelReason}]`;
}

/** Seconds left at the rate seen since the transfer phase began; undefined before there is a rate. */
export function etaSeconds(progress: Progress, now: Date): number | undefined {
  if (progress.transferStartedAt === undefined) return undefined;
  const elapsed = (now.getTime() - Date.parse(progress.transferStartedAt)) / 1000;
  return estimate(progress.doneBytes - (progress.transferStartBytes ?? 0), progress.totalBytes - progress.doneBytes, elapsed).etaSeconds;
}

/**
 * Progress: files and bytes in place of the total, what this job copied, and the time
 * left, e.g. "3/10 files, 1048576/5242880 bytes (20%); copied 2 files, 524288 bytes; ETA 12 s".
 */
export function showProgress(progress: Progress, state: string, now: Date): string {
  const final = isFinal(state as BackupState);
  const percent = progress.totalBytes === 0 ? (final && progress.doneFiles === progress.totalFiles ? 100 : 0) : Math.floor((progress.doneBytes * 100) / progress.totalBytes);
  const eta = final ? 0 : etaSeconds(progress, now);
  return (
    `${progress.doneFiles}/${progress.totalFiles} files, ${progress.doneBytes}/${progress.totalBytes} bytes (${percent}%); ` +
    `copied ${progress.copiedFiles} files, ${progress.copiedBytes} bytes; ETA ${eta === undefined ? 'N/A' : `${eta} s`}`
  );
}

/** A job as operators' tools see it (the admin port's /jobs, metrics, `ducksafe jobs`). */
export interface JobSummary {
  readonly id: number;
  readonly kind: 'backup' | 'restore';
  readonly label: string;
  readonly db: string;
  readonly repository: string;
  readonly state: string;
  readonly createdAt: string;
  readonly finishedAt?: string;
  readonly status: string;
  readonly totalFiles: number;
  readonly doneFiles: number;
  readonly totalBytes: number;
  readonly doneBytes: number;
  readonly copiedBytes: number;
  /** Bytes per second since the transfer phase began; absent before it. */
  readonly bytesPerSecond?: number;
  readonly etaSeconds?: number;
}

export function summarize(job: JobRecord, now: Date): JobSummary {
  const p = job.progress;
  const started = p.transferStartedAt === undefined ? undefined : Date.parse(p.transferStartedAt);
  const end = job.finishedAt === undefined ? now.getTime() : Date.parse(job.finishedAt);
  const seconds = started === undefined ? 0 : (end - started) / 1000;
  const moved = p.doneBytes - (p.transferStartBytes ?? 0);
  const eta = isFinal(job.state) ? 0 : etaSeconds(p, now);
  return {
    id: job.id,
    kind: job.kind,
    label: job.label,
    db: job.dbName,
    repository: job.repository.name,
    state: job.state,
    createdAt: job.createdAt,
    ...(job.finishedAt === undefined ? {} : { finishedAt: job.finishedAt }),
    status: showStatus(job),
    totalFiles: p.totalFiles,
    doneFiles: p.doneFiles,
    totalBytes: p.totalBytes,
    doneBytes: p.doneBytes,
    copiedBytes: p.copiedBytes,
    ...(seconds > 0 && moved >= 0 ? { bytesPerSecond: Math.round(moved / seconds) } : {}),
    ...(eta === undefined ? {} : { etaSeconds: eta }),
  };
}

/** UnfinishedTasks: what is being copied right now (Doris lists task ids), bounded. */
export function showUnfinished(tasks: readonly string[] | undefined): string {
  if (tasks === undefined || tasks.length === 0) return '';
  const shown = tasks.slice(0, 8);
  return `[${shown.join(', ')}${tasks.length > shown.length ? `, ... ${tasks.length - shown.length} more` : ''}]`;
}

/** BackupObjs / RestoreObjs: tables with their partitions and new names. */
export function showObjects(tables: readonly { readonly name: string; readonly partitions?: readonly string[]; readonly as?: string }[]): string {
  return `[${tables
    .map((t) => `${t.name}${t.partitions === undefined ? '' : ` PARTITIONS [${t.partitions.join(', ')}]`}${t.as === undefined ? '' : ` AS ${t.as}`}`)
    .join(', ')}]`;
}
