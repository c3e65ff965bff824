// The result sets of SHOW REPOSITORIES / BACKUP / RESTORE / SNAPSHOT, with Doris's
// columns in Doris's order (tools read them by position: see SQL-REFERENCE.md).
import { textColumn } from '../engine/exec/results.js';
import type { ResultColumn, WireValue } from '../server/query-handler.js';
import {
  showProgress,
  showStatus,
  showTime,
  showUnfinished,
  type BackupJobRecord,
  type RestoreJobRecord,
} from './job-record.js';
import type { RepositoryRecord } from './repositories.js';

const columns = (names: readonly string[]): ResultColumn[] => names.map((n) => textColumn(n));

export const REPOSITORY_COLUMNS = ['RepoId', 'RepoName', 'CreateTime', 'IsReadOnly', 'Location', 'Broker', 'ErrMsg'] as const;

export const BACKUP_COLUMNS = [
  'JobId',
  'SnapshotName',
  'DbName',
  'State',
  'BackupObjs',
  'CreateTime',
  'SnapshotFinishedTime',
  'UploadFinishedTime',
  'FinishedTime',
  'UnfinishedTasks',
  'Progress',
  'TaskErrMsg',
  'Status',
  'Timeout',
] as const;

export const RESTORE_COLUMNS = [
  'JobId',
  'Label',
  'Timestamp',
  'DbName',
  'State',
  'AllowLoad',
  'ReplicationNum',
  'ReplicaAllocation',
  'ReserveReplica',
  'ReserveDynamicPartitionEnable',
  'RestoreObjs',
  'CreateTime',
  'MetaPreparedTime',
  'SnapshotFinishedTime',
  'DownloadFinishedTime',
  'FinishedTime',
  'UnfinishedTasks',
  'Progress',
  'TaskErrMsg',
  'Status',
  'Timeout',
] as const;

/** SHOW BRIEF RESTORE leaves these out. */
const NOT_BRIEF: ReadonlySet<string> = new Set(['RestoreObjs', 'Progress', 'TaskErrMsg']);

export const SNAPSHOT_COLUMNS = ['Snapshot', 'Timestamp', 'Status'] as const;
export const SNAPSHOT_DETAIL_COLUMNS = ['Snapshot', 'Timestamp', 'Status', 'Database', 'Details'] as const;

export function repositoryColumns(): ResultColumn[] {
  return columns(REPOSITORY_COLUMNS);
}

export function repositoryRow(r: RepositoryRecord, errMsg: string): WireValue[] {
  // Broker: Doris names the broker that reaches the location; S3 and local need none.
  return [String(r.id), r.name, showTime(r.createdAt), r.readOnly ? 'true' : 'false', r.location, '-', errMsg];
}

export function backupColumns(): ResultColumn[] {
  return columns(BACKUP_COLUMNS);
}

export function backupRow(job: BackupJobRecord, now: Date): WireValue[] {
  return [
    String(job.id),
    job.label,
    job.dbName,
    job.state,
    job.objects,
    showTime(job.createdAt),
    showTime(job.snapshotFinishedAt),
    showTime(job.uploadFinishedAt),
    showTime(job.finishedAt),
    showUnfinished(job.unfinished),
    showProgress(job.progress, job.state, now),
    job.taskErrMsg ?? '',
    showStatus(job),
    String(job.timeoutSeconds),
  ];
}

export function restoreColumns(brief: boolean): ResultColumn[] {
  return columns(RESTORE_COLUMNS.filter((c) => !brief || !NOT_BRIEF.has(c)));
}

export function restoreRow(job: RestoreJobRecord, now: Date, brief: boolean): WireValue[] {
  const all: Record<(typeof RESTORE_COLUMNS)[number], string> = {
    JobId: String(job.id),
    Label: job.label,
    Timestamp: job.backupTimestamp,
    DbName: job.dbName,
    State: job.state,
    AllowLoad: String(job.options.allowLoad),
    ReplicationNum: job.options.replicationNum,
    ReplicaAllocation: job.options.replicaAllocation,
    ReserveReplica: String(job.options.reserveReplica),
    ReserveDynamicPartitionEnable: String(job.options.reserveDynamicPartitionEnable),
    RestoreObjs: job.objects,
    CreateTime: showTime(job.createdAt),
    MetaPreparedTime: showTime(job.metaPreparedAt),
    SnapshotFinishedTime: showTime(job.snapshotFinishedAt),
    DownloadFinishedTime: showTime(job.downloadFinishedAt),
    FinishedTime: showTime(job.finishedAt),
    UnfinishedTasks: showUnfinished(job.unfinished),
    Progress: showProgress(job.progress, job.state, now),
    TaskErrMsg: job.taskErrMsg ?? '',
    Status: showStatus(job),
    Timeout: String(job.timeoutSeconds),
  };
  return RESTORE_COLUMNS.filter((c) => !brief || !NOT_BRIEF.has(c)).map((c) => all[c]);
}

export function snapshotColumns(detailed: boolean): ResultColumn[] {
  return columns(detailed ? SNAPSHOT_DETAIL_COLUMNS : SNAPSHOT_COLUMNS);
}
