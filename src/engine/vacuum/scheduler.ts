// The background vacuum: every `intervalMs` it runs VACUUM TABLE on every table of
// every live database, then VACUUM DROP TABLE everywhere, and logs what it removed.
// The next run is scheduled only when one ends, so runs never overlap; close() stops
// it between objects and waits for it.
import type { Logger } from '../../logging/logger.js';
import { liveTables } from '../catalog/database-state.js';
import type { VacuumCore } from './vacuum-core.js';
import { addSummaries, applyDropPlans, applyTablePlans, NOTHING, type VacuumRun, type VacuumSummary } from './executor.js';
import { planDropped, planTables } from './planner.js';

/** The tableLock key VACUUM runs under (no table id contains ':'): one VACUUM at a time per server. */
export const VACUUM_LOCK = 'vacuum:all';

/** Who the background job's commits are attributed to. */
const BACKGROUND_USER = 'ducksafe';

/** VACUUM TABLE on every live table, then VACUUM DROP TABLE everywhere; one database at a time under the lock. */
export async function vacuumEverything(run: VacuumRun): Promise<VacuumSummary> {
  const { core } = run;
  let summary = NOTHING;
  const catalog = await core.warehouse.catalog.refresh();
  for (const db of catalog.databases) {
    if (db.dropped !== undefined || run.signal?.aborted === true) continue;
    summary = addSummaries(
      summary,
      await core.tableLock(VACUUM_LOCK).run(async () => {
        const log = await core.warehouse.log(db);
        const state = await log.refresh();
        return applyTablePlans(run, await planTables(core, db, log, [...liveTables(state).values()], run.signal, run.progress));
      }),
    );
  }
  if (run.signal?.aborted === true) return summary;
  return addSummaries(summary, await core.tableLock(VACUUM_LOCK).run(async () => applyDropPlans(run, await planDropped(core, undefined, run.signal, run.progress))));
}

export class BackgroundVacuum {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private readonly stop = new AbortController();

  constructor(
    private readonly core: VacuumCore,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.intervalMs <= 0) return;
    this.logger.info({ intervalSeconds: this.intervalMs / 1000 }, 'background vacuum scheduled');
    this.schedule();
  }

  private schedule(): void {
    if (this.stop.signal.aborted) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.runOnce().finally(() => {
        this.running = null;
        this.schedule();
      });
    }, this.intervalMs);
  }

  private async runOnce(): Promise<void> {
    const started = Date.now();
    try {
      const work = this.core.work.start('background vacuum', { logger: this.logger, message: 'background vacuum progress' });
      let s;
      try {
        s = await vacuumEverything({ core: this.core, user: BACKGROUND_USER, signal: this.stop.signal, progress: work.progress });
      } finally {
        work.finish();
      }
      const files = s.expiredFiles + s.orphanFiles + s.droppedFiles;
      if (files > 0 || s.tablesPurged > 0 || s.databasesPurged > 0) {
        this.logger.info({ ...s, files, ms: Date.now() - started }, 'background vacuum removed files past retention');
      } else {
        this.logger.debug({ ms: Date.now() - started }, 'background vacuum found nothing to remove');
      }
    } catch (err) {
      // Whatever stopped this run (a storage fault, a shutdown) is tried again at the next one.
      if (!this.stop.signal.aborted) this.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'background vacuum failed');
    }
  }

  async close(): Promise<void> {
    this.stop.abort();
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}
