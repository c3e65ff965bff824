// The warehouse as the engine sees it: the catalog plus one commit log per
// database, all on one ObjectStore, and the external tables the catalog lists, each
// with a log of its own at its own location ([E]). Name resolution (db and table
// names to ids) happens here, with MySQL's errors for names that do not exist.
import { StorageError, objectUrl, type ObjectStore } from '../storage/object-store.js';
import { keys } from '../storage/keys.js';
import type { Logger } from '../logging/logger.js';
import { sqlError } from '../errors/registry.js';
import { Catalog, nameKey, type DatabaseEntry } from './catalog/catalog.js';
import { DatabaseLog } from './catalog/database-log.js';
import { liveTables, type DatabaseState, type TableState } from './catalog/database-state.js';
import type { ExternalTableEntry } from './catalog/locations.js';
import { readJson, writeJson } from './catalog/log-store.js';
import { ExternalStores, type OpenedStore, type StoreOpener } from './external-stores.js';
import type { FileAccess, TableHome } from './table/table-files.js';

const WAREHOUSE_FORMAT = 1;

export interface ResolvedTable {
  readonly db: DatabaseEntry;
  /** The log the table lives in: its database's, or for an external table its own. */
  readonly log: DatabaseLog;
  readonly table: TableState;
  readonly home: TableHome;
  /** Present for an external table: where it lives and how to reach it. */
  readonly external?: ExternalTableEntry;
}

/** An external table's own log and where it lives, before its table is looked up in some state of the log. */
export interface ExternalHome {
  readonly entry: ExternalTableEntry;
  readonly log: DatabaseLog;
  readonly home: TableHome;
}

export interface WarehouseOptions {
  /** This process holds the writer lease (no other server can commit). */
  readonly soleWriter?: boolean;
  /** The warehouse store's file cache. */
  readonly files: FileAccess;
  /** Opens the locations of external tables and stages; without it there are none. */
  readonly openStore?: StoreOpener;
  /** The server's clock (default: the system clock). */
  readonly now?: () => Date;
}

export class Warehouse {
  private readonly logs = new Map<string, Promise<DatabaseLog>>();
  private readonly externalLogs = new Map<string, Promise<ExternalHome>>();
  /** The stores of external tables and stages, one per location and credentials. */
  readonly externalStores: ExternalStores;

  private constructor(
    readonly store: ObjectStore,
    readonly catalog: Catalog,
    private readonly logger: Logger,
    private readonly soleWriter: boolean,
    private readonly files: FileAccess,
    openStore: StoreOpener | undefined,
    /** The server's clock: every commit timestamp comes from it. */
    readonly now: () => Date,
  ) {
    this.externalStores = new ExternalStores(openStore);
  }

  static async open(store: ObjectStore, logger: Logger, options: WarehouseOptions): Promise<Warehouse> {
    const now = options.now ?? ((): Date => new Date());
    const marker = await readJson<{ format: number; createdAt: string }>(store, keys.formatMarker());
    if (marker === undefined) {
      await writeJson(store, keys.formatMarker(), { format: WAREHOUSE_FORMAT, createdAt: now().toISOString() }, false);
      logger.info({ warehouse: store.url }, 'initialised a new warehouse');
    } else if (marker.format > WAREHOUSE_FORMAT) {
      throw new Error(`warehouse ${store.url} has format ${marker.format}; this server reads up to ${WAREHOUSE_FORMAT}`);
    }
    const soleWriter = options.soleWriter ?? false;
    const catalog = await Catalog.open(store, logger, soleWriter, now);
    await catalog.ensureDefaultDatabase();
    return new Warehouse(store, catalog, logger, soleWriter, options.files, options.openStore, now);
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
      log = DatabaseLog.open(this.store, db.id, this.logger, this.now, this.soleWriter);
      this.logs.set(db.id, log);
      log.catch(() => this.logs.delete(db.id));
    }
    return log;
  }

  /** Where the database's own tables live. */
  homeOf(db: DatabaseEntry): TableHome {
    return { store: this.store, files: this.files, logId: db.id };
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
    if (table !== undefined) return { db, log, table, home: this.homeOf(db) };
    const entry = this.catalog.liveExternalTable(db.id, tableName);
    if (entry === undefined) throw sqlError('ER_NO_SUCH_TABLE', `Table '${db.name}.${tableName}' doesn't exist`);
    const external = await this.externalHome(entry);
    return { db, ...external, table: externalTableIn(await external.log.refresh(), external), external: entry };
  }

  /** An external table's own log, opened at its location (once per process). */
  externalHome(entry: ExternalTableEntry): Promise<ExternalHome> {
    let opened = this.externalLogs.get(entry.id);
    if (opened === undefined) {
      opened = (async () => {
        const { store, files } = await this.externalStores.open(entry.location);
        const log = await DatabaseLog.open(store, entry.id, this.logger, this.now, this.soleWriter);
        return { entry, log, home: { store, files, logId: entry.id } };
      })();
      this.externalLogs.set(entry.id, opened);
      // Its log may come back (system$fuse_amend): the next statement tries again.
      opened.catch(() => this.externalLogs.delete(entry.id));
    }
    return opened;
  }

  /** The warehouse's store and every external one opened so far, with their file caches. */
  async openStores(): Promise<OpenedStore[]> {
    return [{ store: this.store, files: this.files }, ...(await this.externalStores.all())];
  }

  /** Whether a live table, of the database or external, has that name. */
  async tableNameTaken(db: DatabaseEntry, name: string): Promise<boolean> {
    const log = await this.log(db);
    return liveTables(await log.refresh()).has(nameKey(name)) || this.catalog.liveExternalTable(db.id, name) !== undefined;
  }
}

/**
 * The external table in a state of its own log. A log that lacks it lost its objects
 * where the store could not tell (without versioning): that must not read as an empty table.
 */
export function externalTableIn(state: DatabaseState, external: ExternalHome): TableState {
  const table = state.tables[external.entry.id];
  if (table === undefined) {
    const prefix = keys.databaseLogPrefix(external.entry.id);
    throw new StorageError('NotFound', `the commit log of table '${external.entry.name}' at ${objectUrl(external.home.store, prefix)} is missing`, prefix);
  }
  return table;
}
