// Compaction: merging a partition's small files into one. The merged file is
// committed like any write (the rows are unchanged, so it only has to find its
// input files still current); the inputs stay in storage for time travel.
import { sqlError } from '../../errors/registry.js';
import { nameKey } from '../catalog/catalog.js';
import { liveTables, type DataFile, type LogAction } from '../catalog/database-state.js';
import { openScan, writeDataFile } from '../table/table-files.js';
import type { Progress } from '../../observability/progress.js';
import type { ExecContext } from './context.js';

export interface CompactionPolicy {
  /** Merge a partition once it has at least this many files under `smallFileBytes`. */
  readonly minFiles: number;
  readonly smallFileBytes: number;
}

/** Returns how many files were merged (0 when nothing needed it); `progress` hears each partition merged. */
export async function compactTable(x: ExecContext, dbName: string, tableName: string, policy: CompactionPolicy, progress?: Progress): Promise<number> {
  const first = await x.core.warehouse.table(dbName, tableName);
  return x.core.tableLock(first.table.meta.id).run(async () => {
    const { log, table, home } = await x.core.warehouse.table(dbName, tableName);
    const small = new Map<string, DataFile[]>();
    for (const f of table.files) {
      if (f.bytes < policy.smallFileBytes) small.set(f.partition, [...(small.get(f.partition) ?? []), f]);
    }
    const removed: DataFile[] = [];
    const added: DataFile[] = [];
    const due = [...small].filter(([, files]) => files.length >= policy.minFiles);
    progress?.phase('merging', { unit: 'files', total: due.reduce((n, [, files]) => n + files.length, 0) });
    for (const [partition, files] of due) {
      const scan = await openScan({ ...table, files }, home.files, x.signal);
      try {
        const merged = await writeDataFile(x.duck, scan.sql, table, { home, spoolDir: x.core.spoolDir }, partition);
        removed.push(...files);
        if (merged !== undefined) added.push(merged);
        progress?.add(files.length, files.reduce((n, f) => n + f.bytes, 0));
      } finally {
        scan.release();
      }
    }
    if (removed.length === 0) return 0;
    await log.commit({
      user: x.session.user,
      operation: 'OPTIMIZE',
      actions: (state): LogAction[] => {
        const now = liveTables(state).get(nameKey(table.meta.name));
        const present = new Set(now?.files.map((f) => f.key));
        if (now?.meta.id !== table.meta.id || removed.some((f) => !present.has(f.key))) {
          throw sqlError('ER_LOCK_DEADLOCK', 'Deadlock found when trying to get lock; try restarting transaction');
        }
        return [
          { kind: 'removeFiles', tableId: table.meta.id, keys: removed.map((f) => f.key) },
          ...(added.length > 0 ? [{ kind: 'addFiles' as const, tableId: table.meta.id, files: added }] : []),
        ];
      },
    });
    x.core.events.emit({ kind: 'compacted', merged: removed.length });
    return removed.length;
  });
}
