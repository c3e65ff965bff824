// Runs a BACKUP SNAPSHOT job: PENDING → SNAPSHOTING (one commit of the database is
// pinned) → UPLOAD_SNAPSHOT (what the repository already holds is found) → UPLOADING
// (the missing files are copied, a few at a time, each verified) → SAVE_META (every
// file the manifest will name is checked) → UPLOAD_INFO (the manifest, last) →
// FINISHED. A job resumed after a restart carries on from its recorded snapshot. A
// cancelled or failed job removes the objects it copied that nothing else references.
import { fileFields, type DataFile, type DatabaseState, type ViewDef } from '../engine/catalog/database-state.js';
import type { DatabaseLog } from '../engine/catalog/database-log.js';
import { isStorageError, type ObjectStore } from '../storage/object-store.js';
import { isDataFileKey, repositoryKeys } from '../storage/keys.js';
import { transferObject } from '../storage/transfer.js';
import { forEachBounded } from './bounded.js';
import { failureText, JobFailure, stopOf, throttleOf, type JobEnv, type JobHandle } from './job-handle.js';
import { BACKUP_STATES, canMove, type BackupJobRecord, type BackupState, type UploadedFile } from './job-record.js';
import { encodeManifest, snapshotTimestamp, type Manifest, type ManifestTable } from './manifest.js';
import type { RepositoryRecord } from './repositories.js';
import { loadIndex, readManifest, removeInProgress, removeUnreferenced, writeInProgress } from './repository-content.js';
import { resolveBackupScope, resolveBackupViews, selectedFiles, type BackupSelection } from './scope.js';

type Handle = JobHandle<BackupJobRecord>;

interface SnapshotFile {
  readonly table: string;
  readonly file: DataFile;
}

function move(h: Handle, to: BackupState, now: Date, extra: Partial<BackupJobRecord> = {}): void {
  h.update((r) => {
    if (r.state !== to && !canMove(BACKUP_STATES, r.state, to)) throw new Error(`backup job ${r.id} cannot move from ${r.state} to ${to}`);
    return { ...r, ...extra, state: to };
  });
  if (to === 'CANCELLED' || to === 'FINISHED') h.update((r) => ({ ...r, finishedAt: now.toISOString() }));
}

const past = (h: Handle, state: BackupState): boolean => BACKUP_STATES.indexOf(h.record.state) > BACKUP_STATES.indexOf(state);

function fileId(key: string): string {
  return key.split('/').slice(-3).join('/');
}

async function databaseLog(env: JobEnv, job: BackupJobRecord): Promise<DatabaseLog> {
  const { warehouse } = env.core;
  await warehouse.catalog.refresh();
  const db = warehouse.catalog.current().databases.find((d) => d.id === job.databaseId);
  if (db === undefined || db.dropped !== undefined) throw new JobFailure(`database '${job.dbName}' was dropped`);
  const log = await warehouse.log(db);
  await log.refresh();
  return log;
}

function repositoryOf(env: JobEnv, job: BackupJobRecord): RepositoryRecord {
  const repo = env.repositories.list().find((r) => r.id === job.repository.id);
  if (repo === undefined) throw new JobFailure(`repository '${job.repository.name}' was dropped`);
  if (repo.readOnly) throw new JobFailure(`repository '${repo.name}' is READ ONLY`);
  return repo;
}

/** SNAPSHOTING: one state of the database, pinned for the rest of the job. */
async function snapshot(h: Handle, env: JobEnv, log: DatabaseLog, pin: (keys: readonly string[]) => void): Promise<{ state: DatabaseState; selections: BackupSelection[] }> {
  const recorded = h.record.snapshot;
  if (recorded !== undefined) {
    const state = await log.stateAt(recorded.seq);
    const selections = resolveBackupScope(state, h.record.scope, h.record.dbName);
    pin(selections.flatMap((s) => selectedFiles(s).map((f) => f.key)));
    return { state, selections };
  }
  move(h, 'SNAPSHOTING', env.core.now());
  await h.save();
  const state = log.current();
  const selections = resolveBackupScope(state, h.record.scope, h.record.dbName);
  pin(selections.flatMap((s) => selectedFiles(s).map((f) => f.key)));
  const takenAt = env.core.now();
  move(h, 'UPLOAD_SNAPSHOT', takenAt, {
    snapshot: { seq: state.seq, timestamp: snapshotTimestamp(takenAt), takenAt: takenAt.toISOString() },
    snapshotFinishedAt: takenAt.toISOString(),
  });
  await h.save();
  return { state, selections };
}

function buildManifest(job: BackupJobRecord, selections: readonly BackupSelection[], views: readonly ViewDef[], warehouseUrl: string, finishedAt: Date): Manifest {
  const snap = job.snapshot;
  if (snap === undefined) throw new Error('manifest before snapshot');
  const tables = selections.map((s): ManifestTable => {
    const files = selectedFiles(s).map((f) => {
      const up = job.uploaded[f.key];
      if (up === undefined) throw new Error(`file ${f.key} was not uploaded`);
      return { object: up.object, sha256: up.sha256, size: up.size, rows: f.rows, partition: f.partition, fields: fileFields(s.table.meta, f), stats: f.stats, source: f.key };
    });
    return {
      name: s.table.meta.name,
      meta: s.table.meta,
      autoIncrement: s.table.autoIncrement,
      ...(s.partitions === undefined ? {} : { partitions: s.partitions }),
      rows: files.reduce((n, f) => n + f.rows, 0),
      bytes: files.reduce((n, f) => n + f.size, 0),
      files,
    };
  });
  return {
    format: 1,
    label: job.label,
    timestamp: snap.timestamp,
    database: job.dbName,
    takenAt: snap.takenAt,
    finishedAt: finishedAt.toISOString(),
    source: { warehouse: warehouseUrl, databaseId: job.databaseId, seq: snap.seq, jobId: job.id },
    properties: job.properties,
    tables,
    ...(views.length === 0 ? {} : { views }),
  };
}

async function upload(h: Handle, env: JobEnv, repo: ObjectStore, files: readonly SnapshotFile[], plannedCopies: Set<string>, copiedThisRun: Set<string>): Promise<void> {
  const { core } = env;
  const signal = h.signal;
  const index = await loadIndex(repo, env.logger, signal);
  const uploaded: Record<string, UploadedFile> = { ...h.record.uploaded };
  const toCopy: SnapshotFile[] = [];
  for (const f of files) {
    if (!isDataFileKey(f.file.key)) {
      throw new JobFailure(`table '${f.table}' has a file outside the warehouse's own layout (${f.file.key}); tables with their own location cannot be backed up yet`);
    }
    if (uploaded[f.file.key] !== undefined) continue;
    const known = index.bySource.get(f.file.key) ?? (f.file.sha256 === undefined ? undefined : index.bySha256.get(f.file.sha256));
    if (known !== undefined && known.size === f.file.bytes) {
      uploaded[f.file.key] = { ...known, copied: false };
      continue;
    }
    toCopy.push(f);
    plannedCopies.add(repositoryKeys.dataObject(f.file.key));
  }
  const objects = [...new Set([...Object.values(uploaded).map((u) => u.object), ...plannedCopies])];
  await writeInProgress(repo, h.record.token, { jobId: h.record.id, label: h.record.label, startedAt: core.now().toISOString(), objects });
  const inPlace = files.filter((f) => uploaded[f.file.key] !== undefined);
  const doneBytes = inPlace.reduce((n, f) => n + f.file.bytes, 0);
  const copied = Object.values(uploaded).filter((u) => u.copied);
  move(h, 'UPLOADING', core.now(), {
    uploaded,
    progress: {
      totalFiles: files.length,
      totalBytes: files.reduce((n, f) => n + f.file.bytes, 0),
      doneFiles: inPlace.length,
      doneBytes,
      copiedFiles: copied.length,
      copiedBytes: copied.reduce((n, u) => n + u.size, 0),
      transferStartedAt: core.now().toISOString(),
      transferStartBytes: doneBytes,
    },
  });
  await h.save();

  await forEachBounded(toCopy, env.concurrency, signal, async ({ table, file }) => {
    const task = `${table}:${fileId(file.key)}`;
    const object = repositoryKeys.dataObject(file.key);
    let moved = 0;
    h.inFlight.add(task);
    try {
      const result = await transferObject({
        from: core.store,
        fromKey: file.key,
        to: repo,
        toKey: object,
        size: file.bytes,
        ...(file.sha256 === undefined ? {} : { sha256: file.sha256 }),
        signal,
        ...throttleOf(env),
        onBytes: (n) => {
          moved += n;
          h.update((r) => ({ ...r, progress: { ...r.progress, doneBytes: r.progress.doneBytes + n } }));
        },
      });
      copiedThisRun.add(file.key);
      h.update((r) => ({
        ...r,
        uploaded: { ...r.uploaded, [file.key]: { object, sha256: result.sha256, size: result.size, copied: true } },
        progress: {
          ...r.progress,
          doneFiles: r.progress.doneFiles + 1,
          doneBytes: r.progress.doneBytes - moved + result.size,
          copiedFiles: r.progress.copiedFiles + 1,
          copiedBytes: r.progress.copiedBytes + result.size,
        },
      }));
    } catch (err) {
      h.update((r) => ({ ...r, progress: { ...r.progress, doneBytes: r.progress.doneBytes - moved } }));
      if (stopOf(err, signal) === undefined) h.update((r) => ({ ...r, taskErrMsg: `${task}: ${failureText(err)}` }));
      throw err;
    } finally {
      h.inFlight.delete(task);
      h.saveSometimes();
    }
  });
  const now = core.now();
  move(h, 'SAVE_META', now, { uploadFinishedAt: now.toISOString() });
  await h.save();
}

/** SAVE_META: every object the manifest will name is there, with its size (a file found in the repository may have been removed since). */
async function checkObjects(h: Handle, env: JobEnv, repo: ObjectStore, files: readonly SnapshotFile[], copiedThisRun: ReadonlySet<string>): Promise<void> {
  const copiedNow = new Set(copiedThisRun);
  await forEachBounded(files, env.concurrency, h.signal, async ({ file }) => {
    const up = h.record.uploaded[file.key];
    if (up === undefined) throw new Error(`file ${file.key} was not uploaded`);
    // Copied and verified a moment ago; only what was found in the repository needs a look.
    if (copiedNow.has(file.key)) return;
    try {
      const meta = await repo.head(up.object);
      if (meta.size === up.size) return;
    } catch (err) {
      if (!isStorageError(err, 'NotFound')) throw err;
    }
    const object = repositoryKeys.dataObject(file.key);
    const result = await transferObject({ from: env.core.store, fromKey: file.key, to: repo, toKey: object, size: file.bytes, signal: h.signal });
    h.update((r) => ({
      ...r,
      uploaded: { ...r.uploaded, [file.key]: { object, sha256: result.sha256, size: result.size, copied: true } },
      progress: { ...r.progress, copiedFiles: r.progress.copiedFiles + 1, copiedBytes: r.progress.copiedBytes + result.size },
    }));
  });
}

/** UPLOAD_INFO: the manifest, written and read back; from here on the snapshot exists. */
async function publish(h: Handle, env: JobEnv, repo: ObjectStore, selections: readonly BackupSelection[], views: readonly ViewDef[]): Promise<void> {
  const now = env.core.now();
  move(h, 'UPLOAD_INFO', now);
  await h.save();
  const snap = h.record.snapshot;
  if (snap === undefined) throw new Error('publishing before the snapshot');
  const key = repositoryKeys.manifest(h.record.label, snap.timestamp);
  const bytes = encodeManifest(buildManifest(h.record, selections, views, env.core.store.url, now));
  h.signal.throwIfAborted();
  await repo.put(key, bytes, { contentType: 'application/json' });
  const back = await repo.get(key);
  if (!Buffer.from(back).equals(bytes)) {
    await repo.delete(key);
    throw new JobFailure(`the manifest read back from ${key} differs from what was written`);
  }
}

async function finish(h: Handle, env: JobEnv, repo: ObjectStore): Promise<void> {
  try {
    await removeInProgress(repo, h.record.token);
  } catch (err) {
    // A stale marker only keeps DROP SNAPSHOT from removing this backup's files.
    env.logger.warn({ job: h.record.id, err: failureText(err) }, 'could not remove the backup in-progress marker');
  }
  move(h, 'FINISHED', env.core.now());
  h.inFlight.clear();
  await h.save();
  env.logger.info({ job: h.record.id, label: h.record.label, db: h.record.dbName, copiedBytes: h.record.progress.copiedBytes }, 'backup finished');
}

/** Whether the snapshot's manifest is already in the repository: this job's (it stopped right after writing it) or another's. */
async function manifestOwner(repo: ObjectStore, job: BackupJobRecord, warehouseUrl: string): Promise<'none' | 'mine' | 'other'> {
  const snap = job.snapshot;
  if (snap === undefined) return 'none';
  let manifest: Manifest | undefined;
  try {
    manifest = await readManifest(repo, { label: job.label, timestamp: snap.timestamp });
  } catch {
    return 'other';
  }
  if (manifest === undefined) return 'none';
  return manifest.source.jobId === job.id && manifest.source.warehouse === warehouseUrl ? 'mine' : 'other';
}

async function cancel(h: Handle, env: JobEnv, repo: ObjectStore | undefined, reason: string, plannedCopies: ReadonlySet<string>): Promise<void> {
  h.inFlight.clear();
  if (repo !== undefined) {
    const copied = [...Object.values(h.record.uploaded).filter((u) => u.copied).map((u) => u.object), ...plannedCopies];
    try {
      const removed = await removeUnreferenced(repo, copied, env.logger, h.record.token);
      await removeInProgress(repo, h.record.token);
      env.logger.info({ job: h.record.id, removed }, 'removed the objects a cancelled backup had copied');
    } catch (err) {
      env.logger.warn({ job: h.record.id, err: failureText(err) }, 'could not clean up after a cancelled backup');
    }
  }
  // CANCELLED only once the clean-up is over: a job shown as ended has nothing left running.
  move(h, 'CANCELLED', env.core.now(), { cancelReason: reason });
  await h.save();
  env.logger.info({ job: h.record.id, label: h.record.label, reason }, 'backup cancelled');
}

export async function runBackupJob(h: Handle, env: JobEnv): Promise<void> {
  const releases: (() => void)[] = [];
  const plannedCopies = new Set<string>();
  /** Warehouse keys this run copied (and verified); SAVE_META need not look at them again. */
  const copiedThisRun = new Set<string>();
  let repo: ObjectStore | undefined;
  let published = false;
  try {
    const repoRecord = repositoryOf(env, h.record);
    const log = await databaseLog(env, h.record);
    const { state, selections } = await snapshot(h, env, log, (keys) => releases.push(env.core.pins.pin(keys)));
    const files = selections.flatMap((s) => selectedFiles(s).map((file) => ({ table: s.table.meta.name, file })));
    repo = await env.repositories.store(repoRecord);
    const owner = await manifestOwner(repo, h.record, env.core.store.url);
    if (owner === 'other') {
      throw new JobFailure(`snapshot '${h.record.label}' at ${h.record.snapshot?.timestamp ?? ''} already exists in repository '${repoRecord.name}'`);
    }
    if (owner === 'none') {
      if (!past(h, 'UPLOADING')) await upload(h, env, repo, files, plannedCopies, copiedThisRun);
      if (!past(h, 'SAVE_META')) await checkObjects(h, env, repo, files, copiedThisRun);
      await publish(h, env, repo, selections, resolveBackupViews(state, h.record.scope));
    }
    published = true;
    await finish(h, env, repo);
  } catch (err) {
    const stop = stopOf(err, h.signal);
    if (stop?.kind === 'shutdown') {
      await h.pause();
      return;
    }
    if (published && repo !== undefined) {
      // The snapshot exists; only the bookkeeping after it failed.
      env.logger.warn({ job: h.record.id, err: failureText(err) }, 'backup stored, but finishing the job record failed');
      if (h.record.state !== 'FINISHED') await finish(h, env, repo).catch(() => undefined);
      return;
    }
    await cancel(h, env, repo, stop?.message ?? failureText(err), plannedCopies);
  } finally {
    for (const release of releases) release();
    h.disarm();
  }
}
