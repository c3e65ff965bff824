// External tables ([E]): CREATE TABLE t (...) 's3://bucket/path/' CONNECTION = (...).
// The table's commit log and data files live at that location, laid out as a warehouse
// with one database whose id is the table's (db/<id>/_log/..., db/<id>/<id>/<partition>/...),
// so the location alone holds everything the table is. The catalog keeps which external
// tables a database has, their names and how to reach them. Dropping one marks it dropped
// in the catalog and leaves its location as it is, so UNDROP brings it back whole.
import { sqlError } from '../../errors/registry.js';
import type { OkResult } from '../../server/query-handler.js';
import type { ExternalTableLocation } from '../../sql/failsafe-statement.js';
import { nameKey, type DatabaseEntry } from '../catalog/catalog.js';
import { initialAutoIncrement, liveTables, type TableMeta } from '../catalog/database-state.js';
import { checkLocation, type ExternalTableEntry } from '../catalog/locations.js';
import type { ExecContext } from './context.js';
import { ok } from './results.js';
import { requirePrivilege } from '../privileges.js';

export async function createExternalTable(
  x: ExecContext,
  db: DatabaseEntry,
  meta: TableMeta,
  where: ExternalTableLocation,
  ifNotExists: boolean,
): Promise<OkResult> {
  // A location comes with credentials of its own, or is this machine's disk (file://).
  requirePrivilege(x.session, 'ADMIN', 'CREATE TABLE at a location');
  const { warehouse } = x.core;
  const location = checkLocation(where.url, where.connection, warehouse.store.url);
  if (await warehouse.tableNameTaken(db, meta.name)) {
    if (!ifNotExists) throw sqlError('ER_TABLE_EXISTS_ERROR', `Table '${meta.name}' already exists`);
    x.session.warnings.push({ level: 'Note', code: 1050, message: `Table '${meta.name}' already exists` });
    return ok();
  }
  const entry: ExternalTableEntry = { id: meta.id, dbId: db.id, name: meta.name, location, createdAt: meta.createdAt };
  // The log first: a table the catalog lists always has one. A failure after this leaves
  // an unused log under a fresh id at the location, which nothing reads.
  const { log } = await warehouse.externalHome(entry);
  await log.commit({
    user: x.session.user,
    operation: 'CREATE TABLE',
    actions: () => [{ kind: 'createTable', table: meta, autoIncrement: initialAutoIncrement(meta) }],
  });
  await warehouse.catalog.addExternalTable(entry, x.session.user);
  return ok();
}

export async function dropExternalTable(x: ExecContext, entry: ExternalTableEntry): Promise<void> {
  const at = x.core.now().toISOString();
  await x.core.warehouse.catalog.changeExternalTable(entry.id, x.session.user, 'DROP TABLE', (t) => ({ ...t, dropped: { at } }));
}

/** Renames it in its own log (which keeps the definition) and in the catalog (which finds it by name). */
export async function renameExternalTable(x: ExecContext, db: DatabaseEntry, entry: ExternalTableEntry, name: string): Promise<void> {
  const { warehouse } = x.core;
  if (nameKey(name) !== nameKey(entry.name) && (await warehouse.tableNameTaken(db, name))) {
    throw sqlError('ER_TABLE_EXISTS_ERROR', `Table '${name}' already exists`);
  }
  const { log } = await warehouse.externalHome(entry);
  await log.commit({
    user: x.session.user,
    operation: 'RENAME TABLE',
    actions: (state) => {
      const table = state.tables[entry.id];
      if (table === undefined || liveTables(state).get(nameKey(table.meta.name)) !== table) {
        throw sqlError('ER_NO_SUCH_TABLE', `Table '${db.name}.${entry.name}' doesn't exist`);
      }
      return [{ kind: 'alterTable', tableId: entry.id, table: { ...table.meta, name } }];
    },
  });
  await warehouse.catalog.changeExternalTable(entry.id, x.session.user, 'RENAME TABLE', (t) => ({ ...t, name }));
}

/** UNDROP TABLE for an external table: live again in the catalog, under `name` (its old one or a new one). */
export async function undropExternalTable(x: ExecContext, db: DatabaseEntry, entry: ExternalTableEntry, name: string): Promise<OkResult> {
  const { warehouse } = x.core;
  if (await warehouse.tableNameTaken(db, name)) throw sqlError('ER_TABLE_EXISTS_ERROR', `Table '${name}' already exists`);
  if (name !== entry.name) await renameExternalTable(x, db, entry, name);
  await warehouse.catalog.changeExternalTable(entry.id, x.session.user, 'UNDROP TABLE', (t) => {
    const { dropped: _d, ...live } = t;
    return live;
  });
  return ok();
}

/** The most recently dropped external table of that name in the database. */
export function droppedExternalTable(x: ExecContext, db: DatabaseEntry, name: string): ExternalTableEntry | undefined {
  return x.core.warehouse.catalog
    .externalTables(db.id)
    .filter((t) => t.dropped !== undefined && nameKey(t.name) === nameKey(name))
    .sort((a, b) => Date.parse(b.dropped?.at ?? '') - Date.parse(a.dropped?.at ?? ''))[0];
}
