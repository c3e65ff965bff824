// CREATE [OR REPLACE] VIEW, DROP VIEW, SHOW CREATE VIEW. A view is a commit to
// its database's log (see ViewDef): it is time-travelled and undropped with the
// database. Reading one is handled where table names are resolved (openTables).
import { isSqlError, sqlError } from '../../errors/registry.js';
import type { ColumnDef, ObjectName, Statement } from '../../sql/statement.js';
import type { OkResult, RowsResult } from '../../server/query-handler.js';
import { nameKey } from '../catalog/catalog.js';
import { liveTables, liveViews, type LogAction, type TableState, type ViewDef } from '../catalog/database-state.js';
import { checkName } from './ddl.js';
import type { ResolvedTable } from '../warehouse.js';
import { parseStatement, sqlModeFlags, sqlModeText } from '../../sql/parse/index.js';
import { currentDatabase, findView, openView, viewColumns, type ExecContext } from './context.js';
import { ok, staticRows, textColumn } from './results.js';

type CreateView = Extract<Statement, { kind: 'createView' }>;

function quoteName(name: string): string {
  return '`' + name.replace(/`/g, '``') + '`';
}

export async function createView(x: ExecContext, s: CreateView): Promise<OkResult> {
  const dbName = currentDatabase(x, s.view.db);
  checkName('table', s.view.name);
  const mode = sqlModeText(sqlModeFlags(String(x.core.variables.get(x.session, 'sql_mode', 'session') ?? '')));
  const bare: ViewDef = { name: s.view.name, definition: s.definition, definer: `${x.session.user}@%`, createdAt: x.core.now().toISOString(), ...(mode === '' ? {} : { sqlMode: mode }) };
  const view: ViewDef = s.columns === undefined ? bare : { ...bare, columns: s.columns };
  const { log } = await x.core.warehouse.databaseLog(dbName);
  const conflict = (state: Parameters<typeof liveTables>[0]): void => {
    if (liveTables(state).has(nameKey(view.name)) || (!s.orReplace && liveViews(state).has(nameKey(view.name)))) {
      throw sqlError('ER_TABLE_EXISTS_ERROR', `Table '${view.name}' already exists`);
    }
  };
  conflict(log.current());
  if (await readsView(x, dbName, bare, { db: dbName, name: view.name }, 0)) {
    throw sqlError('ER_VIEW_RECURSIVE', `${quoteName(dbName)}.${quoteName(view.name)} contains view recursion`);
  }
  // MySQL checks a view when it is created: its tables exist and its column list fits.
  const opened = await openView(x, dbName, bare, 0);
  let names: string[];
  try {
    const stream = await x.duck.stream(`SELECT * FROM ${opened.sql} AS "__check" LIMIT 0`);
    names = stream.columns.map((c) => c.name);
    await stream.batches().return(undefined);
  } finally {
    opened.release();
  }
  const finalNames = s.columns ?? names;
  if (s.columns !== undefined && s.columns.length !== names.length) {
    throw sqlError('ER_VIEW_WRONG_LIST', 'In definition of view, derived table or common table expression, SELECT list and column names list have different column counts');
  }
  const seen = new Set<string>();
  for (const n of finalNames) {
    if (seen.has(nameKey(n))) throw sqlError('ER_DUP_FIELDNAME', `Duplicate column name '${n}'`);
    seen.add(nameKey(n));
  }
  await log.commit({
    user: x.session.user,
    operation: s.orReplace ? 'CREATE OR REPLACE VIEW' : 'CREATE VIEW',
    actions: (state): LogAction[] => {
      conflict(state);
      return [{ kind: 'createView', view }];
    },
  });
  return ok();
}

/** Whether a query reads the view `target`, directly or through other views. */
async function readsView(x: ExecContext, db: string, view: ViewDef, target: { db: string; name: string }, depth: number): Promise<boolean> {
  const statement = parseStatement(view.definition, sqlModeFlags(view.sqlMode ?? ''));
  if (statement.kind !== 'select' || depth > 32) return false;
  for (const ref of statement.query.tables) {
    if (ref.args !== undefined) continue;
    const refDb = ref.db ?? db;
    if (nameKey(refDb) === nameKey(target.db) && nameKey(ref.name) === nameKey(target.name)) return true;
    if (!(await x.core.warehouse.databaseExists(refDb))) continue;
    const view = await findView(x, refDb, ref.name);
    if (view !== undefined && (await readsView(x, refDb, view, target, depth + 1))) return true;
  }
  return false;
}

export async function dropViews(x: ExecContext, views: readonly ObjectName[], ifExists: boolean): Promise<OkResult> {
  const missing: string[] = [];
  const found: { db: string; name: string }[] = [];
  for (const v of views) {
    const db = currentDatabase(x, v.db);
    const exists = (await x.core.warehouse.databaseExists(db)) && liveViews((await x.core.warehouse.databaseLog(db)).log.current()).has(nameKey(v.name));
    if (exists) found.push({ db, name: v.name });
    else missing.push(`${db}.${v.name}`);
  }
  if (missing.length > 0 && !ifExists) throw sqlError('ER_BAD_TABLE_ERROR', `Unknown table '${missing.join(',')}'`);
  for (const m of missing) x.session.warnings.push({ level: 'Note', code: 1051, message: `Unknown table '${m}'` });
  for (const { db, name } of found) {
    const { log } = await x.core.warehouse.databaseLog(db);
    await log.commit({
      user: x.session.user,
      operation: 'DROP VIEW',
      actions: (state): LogAction[] => {
        const view = liveViews(state).get(nameKey(name));
        return view === undefined ? [] : [{ kind: 'dropView', name: view.name }];
      },
    });
  }
  return ok();
}

/** A name as a table, or else as a view with its columns; ER_NO_SUCH_TABLE when neither. */
export async function tableOrView(
  x: ExecContext,
  db: string,
  name: string,
): Promise<
  | { readonly kind: 'table'; readonly table: TableState; readonly external?: ResolvedTable['external'] }
  | { readonly kind: 'view'; readonly view: ViewDef; readonly columns: readonly ColumnDef[] }
> {
  try {
    const { table, external } = await x.core.warehouse.table(db, name);
    return { kind: 'table', table, ...(external === undefined ? {} : { external }) };
  } catch (err) {
    const view = isSqlError(err) && err.code === 'ER_NO_SUCH_TABLE' ? await findView(x, db, name) : undefined;
    if (view === undefined) throw err;
    return { kind: 'view', view, columns: await viewColumns(x, db, view) };
  }
}

/** MySQL's SHOW CREATE VIEW text for a stored view. */
export function createViewText(view: ViewDef): string {
  const [user = 'root', host = '%'] = view.definer.split('@');
  const columns = view.columns === undefined ? '' : ` (${view.columns.map(quoteName).join(',')})`;
  return `CREATE ALGORITHM=UNDEFINED DEFINER=${quoteName(user)}@${quoteName(host)} SQL SECURITY DEFINER VIEW ${quoteName(view.name)}${columns} AS ${view.definition}`;
}

export async function showCreateView(x: ExecContext, name: ObjectName): Promise<RowsResult> {
  const dbName = currentDatabase(x, name.db);
  const { db, log } = await x.core.warehouse.databaseLog(dbName);
  const view = liveViews(log.current()).get(nameKey(name.name));
  if (view === undefined) {
    if (liveTables(log.current()).has(nameKey(name.name))) throw sqlError('ER_WRONG_OBJECT', `'${db.name}.${name.name}' is not VIEW`);
    throw sqlError('ER_NO_SUCH_TABLE', `Table '${db.name}.${name.name}' doesn't exist`);
  }
  return staticRows(
    [textColumn('View'), textColumn('Create View', { length: 1024 }), textColumn('character_set_client'), textColumn('collation_connection')],
    [[view.name, createViewText(view), 'utf8mb4', 'utf8mb4_0900_ai_ci']],
  );
}
