// Which privileges a statement needs, derived from the Statement alone, and the
// check that runs before every statement is dispatched. Executors that need a
// decision only they can make (SHOW GRANTS FOR another user, SET PASSWORD for
// oneself, which databases SHOW lists) ask privileges.ts themselves.
import type { ObjectName, Printable, Statement, TableRef } from '../sql/statement.js';
import type { Session } from '../server/session.js';
import { nameKey } from './catalog/catalog.js';
import { requireDatabasePrivilege, requirePrivilege, requireTablePrivilege, SYSTEM_DATABASES, type Privilege } from './privileges.js';

export type Need =
  | { readonly kind: 'global'; readonly privilege: Privilege; readonly what: string }
  | { readonly kind: 'database'; readonly privilege: Privilege | 'ANY'; readonly db: string }
  | { readonly kind: 'table'; readonly privilege: Privilege | 'ANY'; readonly db: string; readonly table: string; readonly command: string };


/** Table functions whose first two arguments name the table they read. */
const TABLE_READING_FUNCTIONS = new Set(['fuse_snapshot']);

class Needs {
  readonly list: Need[] = [];
  constructor(private readonly currentDb: string | null) {}

  /** Unqualified names without a current database are left to the executor's ER_NO_DB_ERROR. */
  table(privilege: Privilege | 'ANY', name: ObjectName, command: string): void {
    const db = name.db ?? this.currentDb;
    if (db === null) return;
    if (SYSTEM_DATABASES.has(nameKey(db)) && (privilege === 'SELECT' || privilege === 'ANY')) return;
    this.list.push({ kind: 'table', privilege, db, table: name.name, command });
  }

  database(privilege: Privilege | 'ANY', db: string | undefined): void {
    const name = db ?? this.currentDb;
    if (name === null || (SYSTEM_DATABASES.has(nameKey(name)) && (privilege === 'SELECT' || privilege === 'ANY'))) return;
    this.list.push({ kind: 'database', privilege, db: name });
  }

  global(privilege: Privilege, what: string): void {
    this.list.push({ kind: 'global', privilege, what });
  }

  reads(refs: readonly TableRef[]): void {
    for (const ref of refs) {
      if (ref.args === undefined) {
        this.table('SELECT', ref, 'SELECT');
        continue;
      }
      const [db, table] = ref.args;
      if (TABLE_READING_FUNCTIONS.has(ref.name.toLowerCase()) && db !== undefined && table !== undefined) {
        this.table('SELECT', { db, name: table }, 'SELECT');
      }
    }
  }

  readsIn(p: Printable | undefined): void {
    if (p !== undefined) this.reads(p.tables);
  }
}

/** What `s` needs; the session's database resolves unqualified names. */
export function statementNeeds(s: Statement, session: Session): readonly Need[] {
  const n = new Needs(session.database);
  switch (s.kind) {
    case 'select':
      n.reads(s.query.tables);
      break;
    case 'insert':
      n.table('INSERT', s.table, s.replace ? 'REPLACE' : 'INSERT');
      // REPLACE deletes the rows it replaces; ON DUPLICATE KEY UPDATE updates them.
      if (s.replace) n.table('DELETE', s.table, 'REPLACE');
      if (s.onDuplicate !== undefined) {
        n.table('UPDATE', s.table, 'INSERT');
        for (const a of s.onDuplicate) if (a.value.kind === 'expr') n.readsIn(a.value.expr);
      }
      if (s.source.kind === 'query') n.reads(s.source.query.tables);
      else for (const row of s.source.rows) for (const v of row) if (v.kind === 'expr') n.readsIn(v.expr);
      break;
    case 'update':
    case 'delete': {
      const command = s.kind === 'update' ? 'UPDATE' : 'DELETE';
      n.table(command, s.table, command);
      // Reading the target's columns in WHERE needs SELECT on it, as in MySQL.
      if (s.where !== undefined) n.table('SELECT', s.table, 'SELECT');
      n.readsIn(s.where);
      for (const o of s.orderBy ?? []) n.readsIn(o.expr);
      if (s.kind === 'update') for (const a of s.assignments) if (a.value.kind === 'expr') n.readsIn(a.value.expr);
      break;
    }
    case 'createDatabase':
      n.database('CREATE', s.name);
      break;
    case 'dropDatabase':
      n.database('DROP', s.name);
      break;
    case 'undropDatabase':
      n.database('CREATE', s.name);
      break;
    case 'use':
      n.database('ANY', s.db);
      break;
    case 'createTable':
      n.table('CREATE', s.table, 'CREATE');
      if (s.asSelect !== undefined) {
        n.table('INSERT', s.table, 'INSERT');
        n.reads(s.asSelect.tables);
      }
      if (s.like !== undefined) n.table('SELECT', s.like, 'SELECT');
      break;
    case 'dropTable':
      for (const t of s.tables) n.table('DROP', t, 'DROP');
      break;
    case 'truncate':
      n.table('DROP', s.table, 'DROP');
      break;
    case 'alterTable':
      n.table('ALTER', s.table, 'ALTER');
      for (const a of s.actions) {
        if (a.kind === 'renameTable') {
          // An unqualified new name stays in the table's database.
          const db = a.to.db ?? s.table.db;
          const to: ObjectName = db === undefined ? { name: a.to.name } : { db, name: a.to.name };
          n.table('DROP', s.table, 'ALTER');
          n.table('CREATE', to, 'ALTER');
          n.table('INSERT', to, 'ALTER');
        }
        if (a.kind === 'dropPartitions' || a.kind === 'truncatePartitions') n.table('DROP', s.table, 'ALTER');
      }
      break;
    case 'renameTable':
      for (const r of s.renames) {
        n.table('ALTER', r.from, 'ALTER');
        n.table('DROP', r.from, 'DROP');
        n.table('CREATE', r.to, 'CREATE');
        n.table('INSERT', r.to, 'INSERT');
      }
      break;
    case 'checksum':
      for (const t of s.tables) n.table('SELECT', t, 'SELECT');
      break;
    case 'optimize':
      for (const t of s.tables) {
        n.table('SELECT', t, 'SELECT');
        n.table('INSERT', t, 'INSERT');
      }
      break;
    case 'undropTable':
      n.table('CREATE', s.as ?? s.table, 'CREATE');
      break;
    case 'undelete':
      n.table('INSERT', s.table, 'INSERT');
      n.table('SELECT', s.table, 'SELECT');
      n.readsIn(s.where);
      break;
    case 'describe':
      n.table('ANY', s.table, 'SHOW');
      break;
    case 'show':
      switch (s.show.kind) {
        case 'columns':
        case 'createTable':
        case 'index':
        case 'partitions':
          n.table('ANY', s.show.table, 'SHOW');
          break;
        case 'createView':
          n.table('SHOW VIEW', s.show.view, 'SHOW CREATE VIEW');
          break;
        case 'tables':
        case 'tableStatus':
        case 'dropTables':
          n.database('ANY', s.show.db);
          break;
        case 'createDatabase':
          n.database('ANY', s.show.db);
          break;
        case 'processlist':
        case 'databases':
        case 'variables':
        case 'status':
        case 'warnings':
        case 'errors':
        case 'engines':
        case 'plugins':
        case 'privileges':
        case 'charset':
        case 'collation':
        case 'grants':
          break;
        default: {
          const never: never = s.show;
          throw new Error(`unhandled SHOW ${JSON.stringify(never)}`);
        }
      }
      break;
    case 'set':
      for (const a of s.assignments) {
        if ((a.kind === 'system' || a.kind === 'transaction') && a.scope === 'global') n.global('ADMIN', 'SET GLOBAL');
        if (a.kind === 'system' && a.value.kind === 'expr') n.readsIn(a.value.expr);
        if (a.kind === 'user') n.readsIn(a.value);
      }
      break;
    case 'kill':
      if (s.id !== session.connectionId) n.global('ADMIN', 'KILL');
      break;
    case 'backupAdmin':
      n.global('ADMIN', s.admin.kind);
      break;
    case 'loadData':
      n.table('INSERT', s.table, 'LOAD DATA');
      if (s.duplicates === 'replace') n.table('DELETE', s.table, 'LOAD DATA ... REPLACE');
      break;
    case 'createView':
      n.table('CREATE VIEW', s.view, 'CREATE VIEW');
      if (s.orReplace) n.table('DROP', s.view, 'CREATE OR REPLACE VIEW');
      n.reads(s.query.tables);
      break;
    case 'dropView':
      for (const v of s.views) n.table('DROP', v, 'DROP VIEW');
      break;
    case 'vacuum':
      n.global('ADMIN', 'VACUUM');
      break;
    case 'failSafe':
      switch (s.command.kind) {
        case 'copyInto':
          n.table('INSERT', s.command.table, 'COPY INTO');
          break;
        case 'showStages':
        case 'listStage':
          break;
        case 'fuseAmend':
        case 'createStage':
        case 'dropStage':
        case 'removeStage':
          n.global('ADMIN', s.command.kind);
          break;
        default: {
          const never: never = s.command;
          throw new Error(`unhandled fail-safe statement ${JSON.stringify(never)}`);
        }
      }
      break;
    case 'userAdmin':
      // Changing one's own password is open to every user (SET PASSWORD without FOR).
      if (!(s.admin.kind === 'setPassword' && s.admin.account === undefined)) n.global('ADMIN', s.admin.kind);
      break;
    case 'begin':
    case 'commit':
    case 'rollback':
    case 'noop':
      break;
    default: {
      const never: never = s;
      throw new Error(`unhandled statement ${JSON.stringify(never)}`);
    }
  }
  return n.list;
}

/** Throws the first access-denied error `s` would meet. */
export function checkStatement(session: Session, s: Statement): void {
  for (const need of statementNeeds(s, session)) {
    switch (need.kind) {
      case 'global':
        requirePrivilege(session, need.privilege, need.what);
        break;
      case 'database':
        requireDatabasePrivilege(session, need.privilege, need.db);
        break;
      case 'table':
        requireTablePrivilege(session, need.privilege, need.db, need.table, need.command);
        break;
    }
  }
}
