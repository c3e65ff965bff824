// The fail-safe statements ([E]): CALL system$fuse_amend (one summary row per call),
// and the stage statements of stages.ts.
import type { RowsResult, StatementResult } from '../../server/query-handler.js';
import type { FailSafeStatement } from '../../sql/statement.js';
import { objectUrl, type ObjectStore } from '../../storage/object-store.js';
import { amendTable, type AmendReport } from '../failsafe/amend.js';
import { requirePrivilege } from '../privileges.js';
import type { ExecContext } from './context.js';
import { intColumn, staticRows, textColumn } from './results.js';
import { copyInto, createStage, dropStage, listStage, removeStage, showStages } from './stages.js';

type FuseAmend = Extract<FailSafeStatement, { kind: 'fuseAmend' }>;

const AMEND_COLUMNS = [
  textColumn('table'),
  intColumn('objects_checked'),
  intColumn('objects_missing'),
  intColumn('objects_recovered'),
  intColumn('objects_not_recoverable'),
  textColumn('missing', { length: 65535 }),
  textColumn('not_recoverable', { length: 65535 }),
];

function amendRow(label: string, store: ObjectStore, report: AmendReport): RowsResult {
  return staticRows(AMEND_COLUMNS, [
    [
      label,
      String(report.checked),
      String(report.missing.length),
      String(report.recovered),
      String(report.lost.length),
      report.missing.map((key) => objectUrl(store, key)).join(', '),
      report.lost.map((l) => `${objectUrl(store, l.key)}: ${l.reason}`).join('; '),
    ],
  ]);
}

async function fuseAmend(x: ExecContext, stmt: FuseAmend): Promise<RowsResult> {
  requirePrivilege(x.session, 'ADMIN', 'system$fuse_amend');
  const { warehouse } = x.core;
  const db = await warehouse.database(stmt.db);
  const label = `${db.name}.${stmt.table}`;
  // The catalog alone finds an external table, whose log may be what was removed.
  const external = warehouse.catalog.liveExternalTable(db.id, stmt.table);
  const store = external === undefined ? warehouse.store : (await warehouse.externalStores.open(external.location)).store;
  const target = external === undefined ? { logId: db.id, table: { name: stmt.table } } : { logId: external.id, table: { id: external.id } };
  const work = x.core.work.start('system$fuse_amend', { logger: x.core.logger, message: 'system$fuse_amend progress', fields: { table: label, dryRun: stmt.dryRun } }, x.session.connectionId);
  let report;
  try {
    report = await amendTable({ store, label, ...target }, stmt.dryRun, work.progress);
  } finally {
    work.finish();
  }
  // A dry run changes nothing: counting what it found would count it again at the real run.
  if (!stmt.dryRun && (report.recovered > 0 || report.lost.length > 0)) {
    x.core.events.emit({ kind: 'failSafeRecovery', recovered: report.recovered, notRecoverable: report.lost.length });
  }
  x.core.logger.info(
    { table: label, dryRun: stmt.dryRun, checked: report.checked, missing: report.missing.length, recovered: report.recovered, lost: report.lost.length },
    'system$fuse_amend',
  );
  return amendRow(label, store, report);
}

export async function failSafe(x: ExecContext, command: FailSafeStatement): Promise<StatementResult> {
  switch (command.kind) {
    case 'fuseAmend':
      return fuseAmend(x, command);
    case 'createStage':
      return createStage(x, command);
    case 'dropStage':
      return dropStage(x, command);
    case 'showStages':
      return showStages(x);
    case 'listStage':
      return listStage(x, command);
    case 'removeStage':
      return removeStage(x, command);
    case 'copyInto':
      return copyInto(x, command);
    default: {
      const never: never = command;
      throw new Error(`unhandled fail-safe statement ${JSON.stringify(never)}`);
    }
  }
}
