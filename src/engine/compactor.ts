// The background compactor: autocommit INSERTs each add a small file, so a table
// that takes many of them is compacted behind the scenes once a partition holds
// `minFiles` small files. It runs one table at a time on its own DuckDB
// connection and commits like any other writer.
import type { Logger } from '../logging/logger.js';
import { Session } from '../server/session.js';
import type { DuckDatabase, DuckSession } from './duckdb/duck-database.js';
import { compactTable, type CompactionPolicy } from './exec/compact.js';
import type { EngineCore } from './exec/context.js';
import { autocommitAccess } from './transaction.js';

export class Compactor {
  private readonly queue = new Map<string, { db: string; table: string }>();
  private running: Promise<void> | null = null;
  private duck: DuckSession | null = null;
  private readonly stop = new AbortController();
  private readonly session = new Session(0, 'ducksafe', 'localhost', null);

  constructor(
    private readonly core: EngineCore,
    private readonly database: DuckDatabase,
    private readonly policy: CompactionPolicy,
    private readonly logger: Logger,
  ) {}

  /** A commit added files to this table; compact it soon if it needs it. */
  notice(db: string, table: string): void {
    if (this.policy.minFiles <= 0 || this.stop.signal.aborted) return;
    this.queue.set(`${db.toLowerCase()}\u0000${table.toLowerCase()}`, { db, table });
    this.running ??= this.drain().finally(() => {
      this.running = null;
    });
  }

  private async drain(): Promise<void> {
    // Let the statement that noticed finish first.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.queue.size > 0 && !this.stop.signal.aborted) {
      const [key, next] = this.queue.entries().next().value as [string, { db: string; table: string }];
      this.queue.delete(key);
      try {
        this.duck ??= await this.database.connect();
        const started = Date.now();
        const work = this.core.work.start(`compaction of ${next.db}.${next.table}`, { logger: this.logger, message: 'compaction progress', fields: { db: next.db, table: next.table } });
        let merged: number;
        try {
          merged = await compactTable(
            { core: this.core, access: autocommitAccess(this.core.warehouse), session: this.session, duck: this.duck, signal: this.stop.signal, params: [] },
            next.db,
            next.table,
            this.policy,
            work.progress,
          );
        } finally {
          work.finish();
        }
        if (merged > 0) this.logger.info({ db: next.db, table: next.table, merged, ms: Date.now() - started }, 'compacted small files');
      } catch (err) {
        // A table dropped or changed meanwhile is simply tried again at its next write.
        this.logger.warn({ db: next.db, table: next.table, err: err instanceof Error ? err.message : String(err) }, 'background compaction skipped');
      }
    }
  }

  async close(): Promise<void> {
    this.stop.abort();
    await this.running;
    this.duck?.close();
  }
}
