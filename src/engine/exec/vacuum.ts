// VACUUM TABLE t [DRY RUN] and VACUUM DROP TABLE [FROM db] [DRY RUN] (Databend's
// statements). DRY RUN lists each object that would go, with its size and why;
// the real run removes them and answers with one summary row. One VACUUM runs at a
// time in a server (statements and the background job take turns).
import { sqlError } from '../../errors/registry.js';
import type { StatementResult, WireValue } from '../../server/query-handler.js';
import type { VacuumTarget } from '../../sql/statement.js';
import type { Progress } from '../../observability/progress.js';
import { applyDropPlans, applyTablePlans, type VacuumSummary } from '../vacuum/executor.js';
import { planDropped, planTables, type DropPlan, type TablePlan } from '../vacuum/planner.js';
import { VACUUM_LOCK } from '../vacuum/scheduler.js';
import { currentDatabase, type ExecContext } from './context.js';
import { intColumn, staticRows, textColumn } from './results.js';

const LISTING = [textColumn('database'), textColumn('table'), textColumn('file', { length: 1024 }), intColumn('file_size'), textColumn('reason')];

function listing(rows: WireValue[][]): StatementResult {
  return staticRows(LISTING, rows);
}

function tableRows(plans: readonly TablePlan[]): WireValue[][] {
  return plans.flatMap((p) => p.removals.map((r) => [p.db.name, p.table.meta.name, r.object.key, String(r.bytes), r.reason]));
}

function dropRows(plans: readonly DropPlan[]): WireValue[][] {
  return plans.flatMap((p) => p.removals.map((r) => [p.db.name, p.kind === 'table' ? p.table.meta.name : null, r.object.key, String(r.bytes), r.reason]));
}

function interrupted(x: ExecContext): void {
  if (x.signal.aborted) throw sqlError('ER_QUERY_INTERRUPTED', 'Query execution was interrupted: VACUUM stopped part way (what it removed stays removed)');
}

export async function vacuum(x: ExecContext, target: VacuumTarget, dryRun: boolean): Promise<StatementResult> {
  const work = x.core.work.start('VACUUM', { logger: x.core.logger, message: 'VACUUM progress', fields: { conn: x.session.connectionId, dryRun } }, x.session.connectionId);
  try {
    return await vacuumLocked(x, target, dryRun, work.progress);
  } finally {
    work.finish();
  }
}

async function vacuumLocked(x: ExecContext, target: VacuumTarget, dryRun: boolean, progress: Progress): Promise<StatementResult> {
  return x.core.tableLock(VACUUM_LOCK).run(async () => {
    const run = { core: x.core, user: x.session.user, signal: x.signal, progress };
    if (target.kind === 'table') {
      const { db, log, table } = await x.core.warehouse.table(currentDatabase(x, target.table.db), target.table.name);
      const plans = await planTables(x.core, db, log, [table], x.signal, progress);
      if (dryRun) return listing(tableRows(plans));
      const done = await applyTablePlans(run, plans);
      interrupted(x);
      return staticRows(
        [textColumn('table'), intColumn('files_removed'), intColumn('bytes_removed'), intColumn('expired_files'), intColumn('orphan_files')],
        [[`${db.name}.${table.meta.name}`, String(done.expiredFiles + done.orphanFiles), String(done.bytes), String(done.expiredFiles), String(done.orphanFiles)]],
      );
    }
    const only = target.db === undefined ? undefined : await x.core.warehouse.database(target.db);
    const plans = await planDropped(x.core, only, x.signal, progress);
    if (dryRun) return listing(dropRows(plans));
    const done: VacuumSummary = await applyDropPlans(run, plans);
    interrupted(x);
    return staticRows(
      [intColumn('tables_purged'), intColumn('databases_purged'), intColumn('files_removed'), intColumn('bytes_removed')],
      [[String(done.tablesPurged), String(done.databasesPurged), String(done.droppedFiles + done.orphanFiles), String(done.bytes)]],
    );
  });
}
