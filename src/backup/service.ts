// The backup service the engine calls for every backup statement: repositories,
// BACKUP/RESTORE jobs in the background, SHOW/CANCEL, and snapshot lifecycle. Job
// records live in the warehouse, so SHOW BACKUP/RESTORE keep their history across
// restarts and unfinished jobs resume when the server starts again.
import { randomBytes } from 'node:crypto';
import { sqlError } from '../errors/registry.js';
import type { Logger } from '../logging/logger.js';
import type { BackupService } from '../engine/backup-service.js';
import { appendEntry, CommitConflict, readJson } from '../engine/catalog/log-store.js';
import type { EngineCore, ExecContext } from '../engine/exec/context.js';
import { likeToRegExp, ok, staticRows } from '../engine/exec/results.js';
import type { StatementResult, WireValue } from '../server/query-handler.js';
import type { BackupAdminStatement, LabelFilter } from '../sql/backup-statement.js';
import { listAll } from '../storage/object-store.js';
import { keys, parseBackupJobKey, repositoryKeys } from '../storage/keys.js';
import { runBackupJob } from './backup-job.js';
import { JobHandle, JobStop, type JobEnv } from './job-handle.js';
import {
  holdOf,
  holdsOverlap,
  isFinal,
  JOB_RECORD_FORMAT,
  NO_PROGRESS,
  showObjects,
  type BackupJobRecord,
  type Hold,
  type JobRecord,
  type JobSummary,
  type RestoreJobRecord,
  summarize,
} from './job-record.js';
import { ManifestError, manifestDetails, type Manifest } from './manifest.js';
import { backupOptions, restoreOptions } from './properties.js';
import { Repositories, type OpenRepositoryStore, type RepositoryRecord } from './repositories.js';
import { listSnapshots, readManifest, removeUnreferenced, type SnapshotRef } from './repository-content.js';
import { planRestore } from './restore-plan.js';
import { RateLimiter } from './rate-limit.js';
import { runRestoreJob } from './restore-job.js';
import { resolveBackupScope, resolveRestoreScope, resolveRestoreViews } from './scope.js';
import {
  backupColumns,
  backupRow,
  repositoryColumns,
  repositoryRow,
  restoreColumns,
  restoreRow,
  snapshotColumns,
} from './show.js';

export interface BackupServiceOptions {
  /** Opens the store of a repository location (main.ts knows how to reach S3 and directories). */
  readonly openRepository: OpenRepositoryStore;
  readonly logger: Logger;
  /** Files one job copies at once (default 8). */
  readonly concurrency?: number;
  /** Bytes per second one job may move (default: no limit). */
  readonly maxBytesPerSecond?: number;
}

/** Doris's label rule. */
const LABEL = /^[-_A-Za-z0-9:]{1,128}$/;
/** How long CANCEL and shutdown wait for a job to clean up after itself. */
const STOP_WAIT_MS = 30_000;
/** How long SHOW REPOSITORIES waits for a repository to answer. */
const PING_WAIT_MS = 5_000;

interface Running {
  readonly handle: JobHandle<BackupJobRecord> | JobHandle<RestoreJobRecord>;
  readonly done: Promise<void>;
}

function checkLabel(label: string): void {
  if (!LABEL.test(label)) {
    throw sqlError('ER_WRONG_ARGUMENTS', `Invalid snapshot label '${label}': use up to 128 letters, digits, '_', '-' and ':'`);
  }
}

function targetDatabase(x: ExecContext, db: string | undefined): string {
  const name = db ?? x.session.database;
  if (name === null || name === undefined) throw sqlError('ER_NO_DB_ERROR', 'No database selected');
  return name;
}

function matches(filter: LabelFilter | undefined, label: string): boolean {
  if (filter === undefined) return true;
  return filter.op === '=' ? filter.value === label : likeToRegExp(filter.value).test(label);
}

function withTimeout<T>(work: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

export class DorisBackupService implements BackupService {
  private core: EngineCore | undefined;
  private repos: Repositories | undefined;
  /** Every job this server knows, newest state (running ones are read from their handle). */
  private readonly jobs = new Map<number, JobRecord>();
  private readonly running = new Map<number, Running>();
  private nextJobId = 1;
  private closed = false;

  constructor(private readonly options: BackupServiceOptions) {}

  async start(core: EngineCore): Promise<void> {
    this.core = core;
    this.repos = await Repositories.load(core.store, this.options.openRepository, this.options.logger);
    for await (const meta of listAll(core.store, keys.backupJobsPrefix())) {
      const id = parseBackupJobKey(meta.key);
      if (id === undefined) continue;
      const record = await readJson<JobRecord>(core.store, meta.key);
      if (record === undefined || record.format > JOB_RECORD_FORMAT) continue;
      this.jobs.set(id, record);
      this.nextJobId = Math.max(this.nextJobId, id + 1);
    }
    for (const record of [...this.jobs.values()].sort((a, b) => a.id - b.id)) {
      if (isFinal(record.state)) continue;
      this.options.logger.info({ job: record.id, kind: record.kind, state: record.state, label: record.label }, 'resuming a backup job after a restart');
      this.launch(record);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const stopping = [...this.running.values()];
    for (const r of stopping) r.handle.stop(new JobStop('shutdown', 'the server is shutting down'));
    await withTimeout(Promise.all(stopping.map((r) => r.done)), STOP_WAIT_MS, []);
    await this.repos?.close();
  }

  async execute(x: ExecContext, statement: BackupAdminStatement): Promise<StatementResult> {
    const { core, repos } = this.started();
    const now = core.now();
    switch (statement.kind) {
      case 'createRepository':
        await repos.create(statement, x.session.user, now);
        return ok();
      case 'alterRepository':
        await repos.alter(statement.name, statement.properties, x.session.user, now);
        return ok();
      case 'dropRepository': {
        await repos.refresh();
        const record = repos.get(statement.name);
        const user = this.runningJobs().find((r) => r.repository.id === record.id);
        if (user !== undefined) throw sqlError('ER_WRONG_USAGE', `Repository '${record.name}' is used by running ${user.kind} job ${user.id}; cancel it first`);
        await repos.drop(statement.name, x.session.user);
        return ok();
      }
      case 'showRepositories':
        return this.showRepositories(repos);
      case 'backup':
        await this.createBackup(x, statement, core, repos);
        return ok();
      case 'showBackup':
        return this.showJobs(x, 'backup', statement.db, statement.where, false);
      case 'cancelBackup':
        await this.cancel(x, 'backup', statement.db);
        return ok();
      case 'showSnapshot':
        return this.showSnapshots(repos, statement);
      case 'dropSnapshot':
        return this.dropSnapshot(repos, statement);
      case 'restore':
        await this.createRestore(x, statement, core, repos);
        return ok();
      case 'showRestore':
        return this.showJobs(x, 'restore', statement.db, statement.where, statement.brief);
      case 'cancelRestore':
        await this.cancel(x, 'restore', statement.db);
        return ok();
      default: {
        const never: never = statement;
        throw new Error(`unhandled backup statement ${JSON.stringify(never)}`);
      }
    }
  }

  private started(): { core: EngineCore; repos: Repositories } {
    if (this.core === undefined || this.repos === undefined) throw sqlError('ER_NOT_SUPPORTED_YET', 'The backup service has not started');
    if (this.closed) throw sqlError('ER_SERVER_SHUTDOWN', 'Server shutdown in progress');
    return { core: this.core, repos: this.repos };
  }

  private env(): JobEnv {
    const { core, repos } = this.started();
    const limiter = new RateLimiter(this.options.maxBytesPerSecond ?? 0);
    return {
      core,
      repositories: repos,
      logger: this.options.logger,
      concurrency: this.options.concurrency ?? 8,
      ...(limiter.limited ? { throttle: (n: number) => limiter.take(n) } : {}),
    };
  }

  /** Every job this server knows, newest first, with running ones as they are now. */
  jobSummaries(): JobSummary[] {
    const now = this.core?.now() ?? new Date();
    return [...new Set([...this.jobs.keys(), ...this.running.keys()])]
      .sort((a, b) => b - a)
      .flatMap((id) => {
        const r = this.record(id);
        return r === undefined ? [] : [summarize(r, now)];
      });
  }

  private record(id: number): JobRecord | undefined {
    return this.running.get(id)?.handle.record ?? this.jobs.get(id);
  }

  private runningJobs(): JobRecord[] {
    return [...this.running.values()].map((r) => r.handle.record);
  }

  private checkConflicts(kind: JobRecord['kind'], db: string, label: string, holds: readonly Hold[]): void {
    for (const job of this.runningJobs()) {
      // A job that has ended is only tidying up after itself.
      if (isFinal(job.state)) continue;
      if (job.kind === kind && job.label === label && job.dbName.toLowerCase() === db.toLowerCase()) {
        throw sqlError('ER_WRONG_USAGE', `${kind === 'backup' ? 'Backup' : 'Restore'} job ${job.id} with label '${label}' is already running in database '${job.dbName}'`);
      }
      if (holdsOverlap(holds, job.holds)) {
        const shared = holds.find((h) => holdsOverlap([h], job.holds));
        const what = shared?.table === undefined ? `database '${db}'` : `table '${db}.${shared.table}'`;
        throw sqlError(
          'ER_WRONG_USAGE',
          `${job.kind === 'backup' ? 'Backup' : 'Restore'} job ${job.id} ('${job.label}', ${job.state}) is running on ${what}; wait for it or cancel it (jobs on other tables may run side by side)`,
        );
      }
    }
  }

  /** Stores the new job's record under the next free id (another server may take one at the same time). */
  private async allocate<R extends JobRecord>(core: EngineCore, build: (id: number) => R): Promise<R> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const record = build(this.nextJobId++);
      try {
        await appendEntry(core.store, keys.backupJob(record.id), record.id, record);
        return record;
      } catch (err) {
        if (!(err instanceof CommitConflict)) throw err;
      }
    }
    throw new Error('could not allocate a job id');
  }

  private launch(record: JobRecord): void {
    const env = this.env();
    const logger = this.options.logger;
    let running: Running;
    if (record.kind === 'backup') {
      const handle = new JobHandle(record, env.core.store, logger);
      handle.armTimeout(Date.parse(record.createdAt) + record.timeoutSeconds * 1000, () => env.core.now().getTime());
      running = { handle, done: runBackupJob(handle, env) };
    } else {
      const handle = new JobHandle(record, env.core.store, logger);
      handle.armTimeout(Date.parse(record.createdAt) + record.timeoutSeconds * 1000, () => env.core.now().getTime());
      running = { handle, done: runRestoreJob(handle, env) };
    }
    const done = running.done
      .catch((err: unknown) => {
        logger.error({ job: record.id, err: err instanceof Error ? err.message : String(err) }, 'a backup job failed unexpectedly');
      })
      .finally(() => {
        this.jobs.set(record.id, running.handle.record);
        this.running.delete(record.id);
      });
    this.running.set(record.id, { handle: running.handle, done });
  }

  private async createBackup(x: ExecContext, s: Extract<BackupAdminStatement, { kind: 'backup' }>, core: EngineCore, repos: Repositories): Promise<void> {
    const dbName = targetDatabase(x, s.db);
    checkLabel(s.label);
    const options = backupOptions(s.properties);
    await repos.refresh();
    const repo = repos.get(s.repository);
    if (repo.readOnly) throw sqlError('ER_OPTION_PREVENTS_STATEMENT', `Repository '${repo.name}' is READ ONLY, so it cannot take backups`);
    const { db, log } = await core.warehouse.databaseLog(dbName);
    const selections = resolveBackupScope(log.current(), s.scope, db.name);
    const holds = s.scope.kind === 'all' ? [holdOf(db.name)] : selections.map((t) => holdOf(db.name, t.table.meta.name));
    this.checkConflicts('backup', db.name, s.label, holds);
    const record = await this.allocate(core, (id): BackupJobRecord => ({
      format: JOB_RECORD_FORMAT,
      kind: 'backup',
      id,
      label: s.label,
      dbName: db.name,
      databaseId: db.id,
      repository: { id: repo.id, name: repo.name },
      user: x.session.user,
      createdAt: core.now().toISOString(),
      timeoutSeconds: options.timeoutSeconds,
      properties: options.echoed,
      progress: NO_PROGRESS,
      holds,
      state: 'PENDING',
      scope: s.scope,
      objects: showObjects(selections.map((t) => ({ name: t.table.meta.name, ...(t.partitions === undefined ? {} : { partitions: t.partitions }) }))),
      token: randomBytes(12).toString('base64url'),
      uploaded: {},
    }));
    this.options.logger.info({ job: record.id, label: record.label, db: record.dbName, repository: repo.name }, 'backup job created');
    this.launch(record);
  }

  private async createRestore(x: ExecContext, s: Extract<BackupAdminStatement, { kind: 'restore' }>, core: EngineCore, repos: Repositories): Promise<void> {
    const dbName = targetDatabase(x, s.db);
    checkLabel(s.label);
    const options = restoreOptions(s.properties);
    await repos.refresh();
    const repo = repos.get(s.repository);
    const manifest = await this.manifest(repos, repo, s.label, options.backupTimestamp);
    const selections = resolveRestoreScope(manifest.tables, s.scope, s.label, manifest.views);
    const views = resolveRestoreViews(manifest.views ?? [], s.scope);
    // A dry run against the database as it is now, so that a conflict is reported here and not later.
    if (await core.warehouse.databaseExists(dbName)) {
      const { db, log } = await core.warehouse.databaseLog(dbName);
      planRestore(log.current(), {
        dbName: db.name,
        databaseId: db.id,
        selections,
        views,
        forceReplace: options.forceReplace,
        cleanTables: options.cleanTables,
        now: core.now(),
      });
    }
    const holds = options.cleanTables ? [holdOf(dbName)] : selections.map((t) => holdOf(dbName, t.target));
    this.checkConflicts('restore', dbName, s.label, holds);
    const record = await this.allocate(core, (id): RestoreJobRecord => ({
      format: JOB_RECORD_FORMAT,
      kind: 'restore',
      id,
      label: s.label,
      dbName,
      repository: { id: repo.id, name: repo.name },
      user: x.session.user,
      createdAt: core.now().toISOString(),
      timeoutSeconds: options.timeoutSeconds,
      properties: options.echoed,
      progress: NO_PROGRESS,
      holds,
      state: 'PENDING',
      backupTimestamp: options.backupTimestamp,
      scope: s.scope,
      objects: showObjects(
        selections.map((t) => ({
          name: t.table.name,
          ...(t.partitions === undefined ? {} : { partitions: t.partitions }),
          ...(t.target === t.table.name ? {} : { as: t.target }),
        })),
      ),
      options: {
        allowLoad: options.allowLoad,
        replicationNum: options.replicationNum,
        replicaAllocation: options.replicaAllocation,
        reserveReplica: options.reserveReplica,
        reserveDynamicPartitionEnable: options.reserveDynamicPartitionEnable,
        forceReplace: options.forceReplace,
        cleanTables: options.cleanTables,
      },
      downloaded: [],
    }));
    this.options.logger.info({ job: record.id, label: record.label, db: record.dbName, repository: repo.name }, 'restore job created');
    this.launch(record);
  }

  /** A snapshot's manifest, or the error that says why it cannot be had. */
  private async manifest(repos: Repositories, repo: RepositoryRecord, label: string, timestamp: string): Promise<Manifest> {
    const store = await repos.store(repo);
    let manifest: Manifest | undefined;
    try {
      manifest = await readManifest(store, { label, timestamp });
    } catch (err) {
      if (err instanceof ManifestError) throw sqlError('ER_STORAGE_ERROR', `Repository '${repo.name}': ${err.message}`, err);
      throw err;
    }
    if (manifest !== undefined) return manifest;
    const others = await listSnapshots(store, label);
    const hint =
      others.length === 0
        ? `no snapshot named '${label}' exists there`
        : `snapshot '${label}' exists with backup_timestamp ${others.map((o) => `"${o.timestamp}"`).join(', ')}`;
    throw sqlError('ER_WRONG_ARGUMENTS', `Snapshot '${label}' with backup_timestamp "${timestamp}" does not exist in repository '${repo.name}': ${hint}`);
  }

  private async showRepositories(repos: Repositories): Promise<StatementResult> {
    await repos.refresh();
    const list = repos.list();
    const errors = await Promise.all(list.map((r) => withTimeout(repos.ping(r), PING_WAIT_MS, repos.errorOf(r.id) || `no answer within ${PING_WAIT_MS / 1000} s`)));
    return staticRows(
      repositoryColumns(),
      list.map((r, i) => repositoryRow(r, errors[i] ?? '')),
    );
  }

  private showJobs(x: ExecContext, kind: JobRecord['kind'], db: string | undefined, where: LabelFilter | undefined, brief: boolean): StatementResult {
    const { core } = this.started();
    const dbName = db ?? x.session.database ?? undefined;
    const now = core.now();
    const ids = new Set([...this.jobs.keys(), ...this.running.keys()]);
    const records = [...ids]
      .map((id) => this.record(id))
      .filter((r): r is JobRecord => r !== undefined && r.kind === kind)
      .filter((r) => dbName === undefined || r.dbName.toLowerCase() === dbName.toLowerCase())
      .filter((r) => matches(where, r.label))
      .sort((a, b) => b.id - a.id);
    const live = (r: JobRecord): JobRecord => {
      const handle = this.running.get(r.id)?.handle;
      return handle === undefined ? r : { ...r, unfinished: [...handle.inFlight] };
    };
    if (kind === 'backup') {
      return staticRows(
        backupColumns(),
        records.map((r) => backupRow(live(r) as BackupJobRecord, now)),
      );
    }
    return staticRows(
      restoreColumns(brief),
      records.map((r) => restoreRow(live(r) as RestoreJobRecord, now, brief)),
    );
  }

  private async cancel(x: ExecContext, kind: JobRecord['kind'], db: string | undefined): Promise<void> {
    const dbName = targetDatabase(x, db);
    const targets = [...this.running.values()].filter((r) => r.handle.record.kind === kind && r.handle.record.dbName.toLowerCase() === dbName.toLowerCase());
    const what = kind === 'backup' ? 'backup' : 'restore';
    if (targets.length === 0) throw sqlError('ER_WRONG_USAGE', `No ${what} job is running in database '${dbName}'`);
    const cancellable = targets.filter((r) => r.handle.record.state !== 'COMMITTING');
    if (cancellable.length === 0) throw sqlError('ER_WRONG_USAGE', `The ${what} job in database '${dbName}' is committing and can no longer be cancelled`);
    for (const r of cancellable) r.handle.stop(new JobStop('cancel', `cancelled by user ${x.session.user}`));
    await withTimeout(Promise.all(cancellable.map((r) => r.done)), STOP_WAIT_MS, []);
  }

  private async showSnapshots(repos: Repositories, s: Extract<BackupAdminStatement, { kind: 'showSnapshot' }>): Promise<StatementResult> {
    await repos.refresh();
    const repo = repos.get(s.repository);
    const store = await repos.store(repo);
    let refs: SnapshotRef[];
    try {
      refs = await listSnapshots(store, s.snapshot);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      repos.noteError(repo.id, message);
      throw err;
    }
    if (s.timestamp !== undefined) refs = refs.filter((r) => r.timestamp === s.timestamp);
    const detailed = s.timestamp !== undefined;
    const rows: WireValue[][] = [];
    for (const ref of refs) {
      if (!detailed) {
        rows.push([ref.label, ref.timestamp, 'OK']);
        continue;
      }
      try {
        const manifest = await readManifest(store, ref);
        if (manifest === undefined) continue;
        rows.push([ref.label, ref.timestamp, 'OK', manifest.database, manifestDetails(manifest)]);
      } catch (err) {
        rows.push([ref.label, ref.timestamp, `ERROR: ${err instanceof Error ? err.message : String(err)}`, '', '']);
      }
    }
    return staticRows(snapshotColumns(detailed), rows);
  }

  /** DROP SNAPSHOT: the manifest goes first, then the data objects no other snapshot or running backup uses. */
  private async dropSnapshot(repos: Repositories, s: Extract<BackupAdminStatement, { kind: 'dropSnapshot' }>): Promise<StatementResult> {
    await repos.refresh();
    const repo = repos.get(s.repository);
    if (repo.readOnly) throw sqlError('ER_OPTION_PREVENTS_STATEMENT', `Repository '${repo.name}' is READ ONLY, so its snapshots cannot be dropped`);
    const store = await repos.store(repo);
    let refs = await listSnapshots(store, s.label);
    if (s.timestamp !== undefined) refs = refs.filter((r) => r.timestamp === s.timestamp);
    if (refs.length === 0) {
      const at = s.timestamp === undefined ? '' : ` with timestamp "${s.timestamp}"`;
      throw sqlError('ER_WRONG_ARGUMENTS', `Snapshot '${s.label}'${at} does not exist in repository '${repo.name}'`);
    }
    const reading = this.runningJobs().find(
      (j) => j.kind === 'restore' && j.repository.id === repo.id && j.label === s.label && refs.some((r) => r.timestamp === j.backupTimestamp),
    );
    if (reading !== undefined) throw sqlError('ER_WRONG_USAGE', `Restore job ${reading.id} is reading snapshot '${s.label}'; wait for it or cancel it`);
    const candidates: string[] = [];
    for (const ref of refs) {
      try {
        const manifest = await readManifest(store, ref);
        for (const t of manifest?.tables ?? []) for (const f of t.files) candidates.push(f.object);
      } catch (err) {
        if (!(err instanceof ManifestError)) throw err;
        // A damaged manifest is still dropped; its objects stay (nothing can say which they are).
      }
      await store.delete(repositoryKeys.manifest(ref.label, ref.timestamp));
    }
    const removed = await removeUnreferenced(store, candidates, this.options.logger);
    this.options.logger.info({ repository: repo.name, label: s.label, snapshots: refs.length, removedObjects: removed }, 'dropped snapshots');
    return ok(refs.length, 0n, `Snapshots dropped: ${refs.length}; data files removed: ${removed}`);
  }
}
