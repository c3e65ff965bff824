// The warehouse as the engine sees it: the catalog plus one commit log per
// database, all on one ObjectStore. Name resolution (db and table names to ids)
// happens here, with MySQL's errors for names that do not exist.
import type { ObjectStore } from '../storage/object-store.js';
import { keys } from '../storage/keys.js';
import type { Logger } from '../logging/logger.js';
import { sqlError } from '../errors/registry.js';
import { Catalog, nameKey, type DatabaseEntry } from './catalog/catalog.js';
import { DatabaseLog } from './catalog/database-log.js';
import { liveTables, type TableState } from './catalog/database-state.js';
import { readJson, writeJson } from './catalog/log-store.js';

const WAREHOUSE_FORMAT = 1;

export interface ResolvedTable {
  readonly db: DatabaseEntry;
  readonly log: DatabaseLog;
  readonly table: TableState;
}

export class Warehouse {
  private readonly logs = new Map<string, Promise<DatabaseLog>>();

  private constructor(
    readonly store: ObjectStore,
    readonly catalog: Catalog,
    private readonly logger: Logger,
    private readonly soleWriter: boolean,
  ) {}

  /** `soleWriter`: this process holds the writer lease (no other server can commit). */
  static async open(store: ObjectStore, logger: Logger, soleWriter = false): Promise<Warehouse> {
    const marker = await readJson<{ format: number; createdAt: string }>(store, keys.formatMarker());
    if (marker === undefined) {
      await writeJson(store, keys.formatMarker(), { format: WAREHOUSE_FORMAT, createdAt: new Date().toISOString() }, false);
      logger.info({ warehouse: store.url }, 'initialised a new warehouse');
    } else if (marker.format > WAREHOUSE_FORMAT) {
      throw new Error(`warehouse ${store.url} has format ${marker.format}; this server reads up to ${WAREHOUSE_FORMAT}`);
    }
    const catalog = await Catalog.open(store, logger, soleWriter);
    return new Warehouse(store, catalog, logger, soleWriter);
  }

  /** The live database of that name, with the catalog refreshed first. */
  async database(name: string): Promise<DatabaseEntry> {
    await this.catalog.refresh();
    const db = this.catalog.liveDatabase(name);
    if (db === undefined) throw sqlError('ER_BAD_DB_ERROR', `Unknown database '${name}'`);
    return db;
  }

  async databaseExists(name: string): Promise<boolean> {
    await this.catalog.refresh();
    return this.catalog.liveDatabase(name) !== undefined;
  }

  /**
   * For readiness probes: the store answers, and the catalog and every database's
   * commit log can be read. Rejects with the first problem found.
   */
  async checkReadable(): Promise<void> {
    await this.store.head(keys.formatMarker());
    const state = await this.catalog.refresh();
    for (const db of state.databases) {
      if (db.dropped !== undefined) continue;
      const log = await this.log(db);
      await log.refresh();
    }
  }

  log(db: DatabaseEntry): Promise<DatabaseLog> {
    let log = this.logs.get(db.id);
    if (log === undefined) {
      log = DatabaseLog.open(this.store, db.id, this.logger, undefined, this.soleWriter);
      this.logs.set(db.id, log);
      log.catch(() => this.logs.delete(db.id));
    }
    return log;
  }

  /** Opens the database log at its newest state. */
  async databaseLog(name: string): Promise<{ db: DatabaseEntry; log: DatabaseLog }> {
    const db = await this.database(name);
    const log = await this.log(db);
    await log.refresh();
    return { db, log };
  }

  async table(dbName: string, tableName: string): Promise<ResolvedTable> {
    const { db, log } = await this.databaseLog(dbName);
    const table = liveTables(log.current()).get(nameKey(tableName));
    if (table === undefined) throw sqlError('ER_NO_SUCH_TABLE', `Table '${db.name}.${tableName}' doesn't exist`);
    return { db, log, table };
  }
}
