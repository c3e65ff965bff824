// Runs a RESTORE SNAPSHOT job: PENDING → SNAPSHOTING (the manifest is read and the
// restore planned against the target database, created when missing) → DOWNLOAD →
// DOWNLOADING (files copied under new keys of the target tables, each verified against
// the manifest's size and SHA-256) → COMMIT → COMMITTING (one commit makes every table
// visible at once) → FINISHED. Until that commit nothing is visible; a cancelled or
// failed job removes the files it copied, so the target is left exactly as it was.
import { readJson } from '../engine/catalog/log-store.js';
import { liveTables, type LogEntry } from '../engine/catalog/database-state.js';
import type { DatabaseEntry } from '../engine/catalog/catalog.js';
import type { DatabaseLog } from '../engine/catalog/database-log.js';
import { isStorageError, type ObjectStore } from '../storage/object-store.js';
import { keys } from '../storage/keys.js';
import { transferObject, TransferVerificationError } from '../storage/transfer.js';
import { forEachBounded } from './bounded.js';
import { failureText, JobFailure, stopOf, throttleOf, type JobEnv, type JobHandle } from './job-handle.js';
import { canMove, RESTORE_STATES, restoreOperation, type RestoreFile, type RestoreJobRecord, type RestorePlan, type RestoreState } from './job-record.js';
import type { Manifest } from './manifest.js';
import type { RepositoryRecord } from './repositories.js';
import { readManifest } from './repository-content.js';
import { planRestore, restoreActions, RestoreConflict } from './restore-plan.js';
import { resolveRestoreScope, resolveRestoreViews } from './scope.js';

type Handle = JobHandle<RestoreJobRecord>;

function move(h: Handle, to: RestoreState, now: Date, extra: Partial<RestoreJobRecord> = {}): void {
  h.update((r) => {
    if (r.state !== to && !canMove(RESTORE_STATES, r.state, to)) throw new Error(`restore job ${r.id} cannot move from ${r.state} to ${to}`);
    return { ...r, ...extra, state: to };
  });
  if (to === 'CANCELLED' || to === 'FINISHED') h.update((r) => ({ ...r, finishedAt: now.toISOString() }));
}

const before = (h: Handle, state: RestoreState): boolean => RESTORE_STATES.indexOf(h.record.state) < RESTORE_STATES.indexOf(state);

function repositoryOf(env: JobEnv, job: RestoreJobRecord): RepositoryRecord {
  const repo = env.repositories.list().find((r) => r.id === job.repository.id);
  if (repo === undefined) throw new JobFailure(`repository '${job.repository.name}' was dropped`);
  return repo;
}

/** Reads the snapshot's manifest; a missing or damaged one is a failure that says so. */
export async function loadManifest(repo: ObjectStore, repoName: string, label: string, timestamp: string, signal?: AbortSignal): Promise<Manifest> {
  const manifest = await readManifest(repo, { label, timestamp }, signal);
  if (manifest === undefined) throw new JobFailure(`snapshot '${label}' with backup_timestamp ${timestamp} does not exist in repository '${repoName}'`);
  return manifest;
}

/** The target database, created when missing (and the record says so before anything else happens). */
async function targetDatabase(h: Handle, env: JobEnv): Promise<{ db: DatabaseEntry; log: DatabaseLog }> {
  const { warehouse } = env.core;
  const name = h.record.dbName;
  const created = !(await warehouse.databaseExists(name)) && (await warehouse.catalog.createDatabase(name, h.record.user, true));
  const { db, log } = await warehouse.databaseLog(name);
  if (created) {
    h.update((r) => ({ ...r, createdDatabaseId: db.id }));
    await h.save();
  }
  return { db, log };
}

async function openLog(env: JobEnv, plan: RestorePlan, dbName: string): Promise<DatabaseLog> {
  const { warehouse } = env.core;
  await warehouse.catalog.refresh();
  const db = warehouse.catalog.current().databases.find((d) => d.id === plan.databaseId);
  if (db === undefined || db.dropped !== undefined) throw new JobFailure(`database '${dbName}' was dropped while the restore ran`);
  const log = await warehouse.log(db);
  await log.refresh();
  return log;
}

/** SNAPSHOTING: the plan, from the manifest and the target database as it is now. */
async function prepare(h: Handle, env: JobEnv, repo: ObjectStore, repoName: string): Promise<RestorePlan> {
  move(h, 'SNAPSHOTING', env.core.now());
  await h.save();
  const manifest = await loadManifest(repo, repoName, h.record.label, h.record.backupTimestamp, h.signal);
  const selections = resolveRestoreScope(manifest.tables, h.record.scope, h.record.label, manifest.views);
  const views = resolveRestoreViews(manifest.views ?? [], h.record.scope);
  h.signal.throwIfAborted();
  const { db, log } = await targetDatabase(h, env);
  const now = env.core.now();
  const plan = planRestore(log.current(), {
    dbName: db.name,
    databaseId: db.id,
    selections,
    views,
    forceReplace: h.record.options.forceReplace,
    cleanTables: h.record.options.cleanTables,
    now,
  });
  const files = plan.targets.flatMap((t) => t.files);
  move(h, 'DOWNLOAD', now, {
    plan,
    metaPreparedAt: now.toISOString(),
    snapshotFinishedAt: now.toISOString(),
    progress: {
      totalFiles: files.length,
      totalBytes: files.reduce((n, f) => n + f.size, 0),
      doneFiles: 0,
      doneBytes: 0,
      copiedFiles: 0,
      copiedBytes: 0,
    },
  });
  await h.save();
  return plan;
}

function corrupted(err: TransferVerificationError, job: RestoreJobRecord, repoName: string, table: string, target: string): JobFailure {
  return new JobFailure(
    `file ${err.key} of table '${table}' in repository '${repoName}' is corrupted (${err.what} mismatch: expected ${err.expected}, found ${err.actual}); ` +
      `table '${job.dbName}.${target}' was not changed`,
  );
}

async function download(h: Handle, env: JobEnv, repo: ObjectStore, repoName: string, plan: RestorePlan): Promise<void> {
  const { core } = env;
  const signal = h.signal;
  const done = new Set(h.record.downloaded);
  const work: { readonly table: string; readonly target: string; readonly file: RestoreFile }[] = [];
  for (const t of plan.targets) for (const file of t.files) if (!done.has(file.file.key)) work.push({ table: t.source, target: t.target, file });
  const doneFiles = plan.targets.flatMap((t) => t.files).filter((f) => done.has(f.file.key));
  const doneBytes = doneFiles.reduce((n, f) => n + f.size, 0);
  move(h, 'DOWNLOADING', core.now(), {
    progress: {
      ...h.record.progress,
      doneFiles: doneFiles.length,
      doneBytes,
      transferStartedAt: core.now().toISOString(),
      transferStartBytes: doneBytes,
    },
  });
  await h.save();
  await forEachBounded(work, env.concurrency, signal, async ({ table, target, file }) => {
    const task = `${target}:${file.file.key.split('/').slice(-2).join('/')}`;
    let moved = 0;
    h.inFlight.add(task);
    try {
      const result = await transferObject({
        from: repo,
        fromKey: file.object,
        to: core.store,
        toKey: file.file.key,
        size: file.size,
        sha256: file.sha256,
        signal,
        ...throttleOf(env),
        onBytes: (n) => {
          moved += n;
          h.update((r) => ({ ...r, progress: { ...r.progress, doneBytes: r.progress.doneBytes + n } }));
        },
      });
      h.update((r) => ({
        ...r,
        downloaded: [...r.downloaded, file.file.key],
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
      if (stopOf(err, signal) !== undefined) throw err;
      let failure: unknown = err;
      if (err instanceof TransferVerificationError) failure = corrupted(err, h.record, repoName, table, target);
      else if (isStorageError(err, 'NotFound') && err.key === file.object) {
        failure = new JobFailure(`file ${file.object} of table '${table}' is missing from repository '${repoName}'; table '${h.record.dbName}.${target}' was not changed`);
      }
      h.update((r) => ({ ...r, taskErrMsg: `${task}: ${failureText(failure)}` }));
      throw failure;
    } finally {
      h.inFlight.delete(task);
      h.saveSometimes();
    }
  });
  const now = core.now();
  move(h, 'COMMIT', now, { downloadFinishedAt: now.toISOString() });
  await h.save();
}

/** Whether this job's commit is in the log already (it stopped between committing and saying so). */
async function findCommit(env: JobEnv, plan: RestorePlan, log: DatabaseLog, job: RestoreJobRecord): Promise<boolean> {
  const from = job.commitBase ?? 0;
  const operation = restoreOperation(job);
  for (let seq = log.current().seq; seq > from; seq--) {
    const entry = await readJson<LogEntry>(env.core.store, keys.databaseLogEntry(plan.databaseId, seq));
    if (entry?.operation === operation && entry.user === job.user) return true;
  }
  return false;
}

async function commit(h: Handle, env: JobEnv, plan: RestorePlan): Promise<void> {
  const log = await openLog(env, plan, h.record.dbName);
  if (h.record.state === 'COMMITTING' && (await findCommit(env, plan, log, h.record))) return;
  h.signal.throwIfAborted();
  move(h, 'COMMITTING', env.core.now(), { commitBase: log.current().seq });
  await h.save();
  try {
    await log.commit({ user: h.record.user, operation: restoreOperation(h.record), actions: (state) => restoreActions(state, plan, h.record.dbName) });
  } catch (err) {
    if (err instanceof RestoreConflict) throw new JobFailure(`${err.message}; nothing was restored`);
    throw err;
  }
}

async function cleanUp(h: Handle, env: JobEnv): Promise<void> {
  const { core } = env;
  const planned = (h.record.plan?.targets ?? []).flatMap((t) => t.files.map((f) => f.file.key));
  await forEachBounded(planned, env.concurrency, new AbortController().signal, (key) => core.store.delete(key));
  const createdId = h.record.createdDatabaseId;
  if (createdId === undefined) return;
  await core.warehouse.catalog.refresh();
  const db = core.warehouse.catalog.current().databases.find((d) => d.id === createdId);
  if (db === undefined || db.dropped !== undefined) return;
  const log = await core.warehouse.log(db);
  await log.refresh();
  if (liveTables(log.current()).size === 0) await core.warehouse.catalog.dropDatabase(db.name, h.record.user, true);
}

async function cancel(h: Handle, env: JobEnv, reason: string): Promise<void> {
  h.inFlight.clear();
  try {
    await cleanUp(h, env);
  } catch (err) {
    env.logger.warn({ job: h.record.id, err: failureText(err) }, 'could not remove the files of a cancelled restore');
  }
  // CANCELLED only once the clean-up is over: a job shown as ended has nothing left running.
  move(h, 'CANCELLED', env.core.now(), { cancelReason: reason });
  await h.save();
  env.logger.info({ job: h.record.id, label: h.record.label, reason }, 'restore cancelled');
}

export async function runRestoreJob(h: Handle, env: JobEnv): Promise<void> {
  let release: (() => void) | undefined;
  let committed = false;
  try {
    const repoRecord = repositoryOf(env, h.record);
    let plan = h.record.plan;
    if (plan === undefined || before(h, 'DOWNLOAD')) {
      const repo = await env.repositories.store(repoRecord);
      plan = await prepare(h, env, repo, repoRecord.name);
    }
    // Files not committed yet belong to no table: pinned, VACUUM leaves them alone.
    release = env.core.pins.pin(plan.targets.flatMap((t) => t.files.map((f) => f.file.key)));
    if (before(h, 'COMMIT')) {
      const repo = await env.repositories.store(repoRecord);
      await download(h, env, repo, repoRecord.name, plan);
    }
    await commit(h, env, plan);
    committed = true;
    move(h, 'FINISHED', env.core.now());
    h.inFlight.clear();
    await h.save();
    env.logger.info({ job: h.record.id, label: h.record.label, db: h.record.dbName }, 'restore finished');
  } catch (err) {
    const stop = stopOf(err, h.signal);
    if (committed) {
      env.logger.warn({ job: h.record.id, err: failureText(err) }, 'restore committed, but finishing the job record failed');
      return;
    }
    if (stop?.kind === 'shutdown') {
      await h.pause();
      return;
    }
    await cancel(h, env, stop?.message ?? failureText(err));
  } finally {
    release?.();
    h.disarm();
  }
}
