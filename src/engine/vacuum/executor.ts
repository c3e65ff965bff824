// Carrying out VACUUM plans. The order is what keeps retained states safe:
//   1. commits made since the plan are read, and any file they (re)added leaves the plan;
//   2. the log records what is about to go (vacuumTable / purgeTable, or the catalog's
//      purgedAt) in a commit that only succeeds on exactly the state checked in 1;
//   3. only then are objects removed, each unless it is pinned at that moment.
// A reader pins a past state's files before it checks the log's record (context.ts
// openPast), so either VACUUM sees the pin or the reader sees the record.
import { sqlError } from '../../errors/registry.js';
import type { DatabaseEntry } from '../catalog/catalog.js';
import type { CommitRequest, DatabaseLog } from '../catalog/database-log.js';
import type { Progress } from '../../observability/progress.js';
import type { VacuumCore } from './vacuum-core.js';
import { dropExpired, databaseRetentionHours, retentionHours } from '../retention.js';
import { removeObjects } from './objects.js';
import { addedKeys, ownedFolder, type DropPlan, type Removal, type TablePlan } from './planner.js';

/** Without removing anything, a VACUUM still records its progress once this many commits expired, so later runs read less of the log. */
const MARKER_EVERY = 1000;

export interface VacuumSummary {
  readonly expiredFiles: number;
  readonly orphanFiles: number;
  readonly droppedFiles: number;
  readonly bytes: number;
  readonly tablesPurged: number;
  readonly databasesPurged: number;
}

export const NOTHING: VacuumSummary = { expiredFiles: 0, orphanFiles: 0, droppedFiles: 0, bytes: 0, tablesPurged: 0, databasesPurged: 0 };

export function addSummaries(a: VacuumSummary, b: VacuumSummary): VacuumSummary {
  return {
    expiredFiles: a.expiredFiles + b.expiredFiles,
    orphanFiles: a.orphanFiles + b.orphanFiles,
    droppedFiles: a.droppedFiles + b.droppedFiles,
    bytes: a.bytes + b.bytes,
    tablesPurged: a.tablesPurged + b.tablesPurged,
    databasesPurged: a.databasesPurged + b.databasesPurged,
  };
}

export interface VacuumRun {
  readonly core: VacuumCore;
  /** Who the log's commits are attributed to. */
  readonly user: string;
  readonly signal?: AbortSignal;
  /** Where planning and removal report how far they are (the log, every few seconds). */
  readonly progress?: Progress;
}

/** The log moved on between the check and the commit: check the new commits too. */
class Moved extends Error {}
/** The plan no longer applies (the table came back, was purged, or is not expired any more). */
class Stale extends Error {}

async function remove(run: VacuumRun, removals: readonly Removal[]): Promise<VacuumSummary> {
  const reasonOf = new Map(removals.map((r) => [r.object.key, r.reason]));
  let summary = NOTHING;
  await removeObjects(
    run.core.store,
    run.core.pins,
    removals.map((r) => r.object),
    run.signal,
    (key, bytes) => {
      run.progress?.add(1, bytes);
      run.core.events.emit({ kind: 'vacuumRemoved', files: 1, bytes });
      const reason = reasonOf.get(key);
      summary = addSummaries(summary, {
        ...NOTHING,
        bytes,
        expiredFiles: reason === 'expired' ? 1 : 0,
        orphanFiles: reason === 'orphan' ? 1 : 0,
        droppedFiles: reason === 'dropped' ? 1 : 0,
      });
    },
  );
  return summary;
}

/**
 * Commits `action` on the database log once no commit after `checkedUpTo` is
 * unread; `onEntry` sees each newer commit first. Retries while writers keep committing.
 */
async function commitAfterChecking(
  run: VacuumRun,
  log: DatabaseLog,
  checkedUpTo: number,
  onEntry: (seq: number) => Promise<void>,
  operation: string,
  action: CommitRequest['actions'] | undefined,
): Promise<void> {
  let checked = checkedUpTo;
  for (let attempt = 0; ; attempt++) {
    const latest = (await log.refresh()).seq;
    for (let seq = checked + 1; seq <= latest; seq++) await onEntry(seq);
    checked = latest;
    if (action === undefined) return;
    try {
      await log.commit({
        user: run.user,
        operation,
        actions: (state) => {
          if (state.seq !== checked) throw new Moved();
          return action(state);
        },
      });
      return;
    } catch (err) {
      if (!(err instanceof Moved)) throw err;
      if (attempt >= 20) throw sqlError('ER_LOCK_DEADLOCK', 'VACUUM could not record its progress: the database kept changing under it; try again');
    }
  }
}

/** VACUUM TABLE for planned tables: records how far each table's history now goes, then removes. */
export async function applyTablePlans(run: VacuumRun, plans: readonly TablePlan[]): Promise<VacuumSummary> {
  startRemoving(run, plans);
  let summary = NOTHING;
  for (const plan of plans) {
    if (run.signal?.aborted === true) break;
    const id = plan.table.meta.id;
    const removals = new Map(plan.removals.map((r) => [r.object.key, r]));
    const previous = plan.table.vacuumedBefore ?? 0;
    const expired = plan.removals.some((r) => r.reason === 'expired');
    const record = plan.expiredBefore > previous && (expired || plan.expiredBefore - previous >= MARKER_EVERY);
    try {
      await commitAfterChecking(
        run,
        plan.log,
        plan.baseSeq,
        async (seq) => {
          for (const k of addedKeys(await plan.log.entry(seq), id)) removals.delete(k);
        },
        'VACUUM',
        record
          ? (state) => {
              if (state.tables[id] === undefined) throw new Stale();
              return [{ kind: 'vacuumTable', tableId: id, beforeSeq: plan.expiredBefore }];
            }
          : undefined,
      );
    } catch (err) {
      if (err instanceof Stale) continue;
      throw err;
    }
    summary = addSummaries(summary, await remove(run, [...removals.values()]));
  }
  return summary;
}

function startRemoving(run: VacuumRun, plans: readonly { readonly removals: readonly Removal[] }[]): void {
  run.progress?.phase('removing', { unit: 'files', total: plans.reduce((n, p) => n + p.removals.length, 0) });
}

function stillExpired(run: VacuumRun, droppedAt: string, hours: number): boolean {
  return dropExpired(droppedAt, hours, run.core.now());
}

/** VACUUM DROP TABLE: marks each dropped table or database purged, then removes its objects; removes orphan folders. */
export async function applyDropPlans(run: VacuumRun, plans: readonly DropPlan[]): Promise<VacuumSummary> {
  startRemoving(run, plans);
  let summary = NOTHING;
  for (const plan of plans) {
    if (run.signal?.aborted === true) break;
    // Something may have pinned these files since the plan: then this one waits for the next run.
    if (plan.removals.some((r) => run.core.pins.isPinned(r.object.key))) continue;
    switch (plan.kind) {
      case 'table': {
        const id = plan.table.meta.id;
        const droppedSeq = plan.table.dropped?.seq;
        try {
          await plan.log.commit({
            user: run.user,
            operation: 'VACUUM DROP',
            actions: (state) => {
              const t = state.tables[id];
              if (t?.dropped === undefined || t.dropped.seq !== droppedSeq || t.purged !== undefined) throw new Stale();
              if (!stillExpired(run, t.dropped.at, retentionHours(t.meta, run.core.retention))) throw new Stale();
              return [{ kind: 'purgeTable', tableId: id }];
            },
          });
        } catch (err) {
          if (err instanceof Stale) continue;
          throw err;
        }
        summary = addSummaries(summary, { ...(await remove(run, plan.removals)), tablesPurged: 1 });
        break;
      }
      case 'database': {
        const log = await run.core.warehouse.log(plan.db);
        const hours = databaseRetentionHours(await log.refresh(), run.core.retention);
        const purged = await run.core.warehouse.catalog.purgeDatabase(plan.db.id, run.user, (d: DatabaseEntry) =>
          d.dropped !== undefined && stillExpired(run, d.dropped.at, hours),
        );
        if (!purged) continue;
        summary = addSummaries(summary, { ...(await remove(run, plan.removals)), databasesPurged: 1 });
        break;
      }
      case 'orphans': {
        // A table created since the plan owns its folder now.
        if (ownedFolder(await plan.log.refresh(), plan.tableId)) continue;
        summary = addSummaries(summary, await remove(run, plan.removals));
        break;
      }
      default: {
        const never: never = plan;
        throw new Error(`unknown drop plan ${JSON.stringify(never)}`);
      }
    }
  }
  return summary;
}
