// The one place that decides whether a session may do something. The configured
// root holds every privilege; any other session holds what the catalog grants its
// account (directly and through roles), bound to the session before each statement.
import { sqlError } from '../errors/registry.js';
import type { Session } from '../server/session.js';
import type { AccountName, PrivilegeName } from '../sql/user-statement.js';
import { grantsAllow, grantsAnyInDatabase, grantsAnyOnTable, type GrantEntry } from './catalog/accounts.js';
import { INFORMATION_SCHEMA } from './exec/information-schema.js';

export { PRIVILEGE_NAMES as PRIVILEGES } from '../sql/user-statement.js';
export type Privilege = PrivilegeName;

/** What a session may do: root, or an account's effective grants (none once the account is gone). */
export type Authorization =
  | { readonly kind: 'root' }
  | { readonly kind: 'account'; readonly account: AccountName | undefined; readonly grants: readonly GrantEntry[] };

const bound = new WeakMap<Session, Authorization>();

export function isRoot(session: Session): boolean {
  return session.user === 'root';
}

/** Called by the engine before each statement with the catalog's current grants. */
export function bindAuthorization(session: Session, authorization: Authorization): void {
  bound.set(session, authorization);
}

export function authorizationOf(session: Session): Authorization {
  if (isRoot(session)) return { kind: 'root' };
  return bound.get(session) ?? { kind: 'account', account: undefined, grants: [] };
}

/** A privilege on `*.*` (no `on`), a database, or a table. */
export interface PrivilegeScope {
  readonly db: string;
  readonly table?: string;
}

export function hasPrivilege(session: Session, privilege: Privilege, on?: PrivilegeScope): boolean {
  const auth = authorizationOf(session);
  if (auth.kind === 'root') return true;
  return grantsAllow(auth.grants, privilege, on?.db, on?.table);
}

/** Some privilege on the database or on a table in it: enough to USE it and to see it listed. */
export function canSeeDatabase(session: Session, db: string): boolean {
  const auth = authorizationOf(session);
  return auth.kind === 'root' || grantsAnyInDatabase(auth.grants, db);
}

/** Some privilege on the table: enough to see it listed and described. */
export function canSeeTable(session: Session, db: string, table: string): boolean {
  const auth = authorizationOf(session);
  return auth.kind === 'root' || grantsAnyOnTable(auth.grants, db, table);
}

function who(session: Session): string {
  return `'${session.user}'@'${session.host}'`;
}

/** Throws MySQL's 1227 unless the session holds global `privilege`; `what` names the refused operation. */
export function requirePrivilege(session: Session, privilege: Privilege, what: string): void {
  if (hasPrivilege(session, privilege)) return;
  throw sqlError(
    'ER_SPECIFIC_ACCESS_DENIED_ERROR',
    `Access denied; you need (at least one of) the ${privilege} privilege(s) for this operation (${what})`,
  );
}

/** Throws 1044 unless the session holds `privilege` on the database (or globally). */
/** Databases every account may read (their content is filtered, not refused) and none may change, root included, as in MySQL. */
export const SYSTEM_DATABASES: ReadonlySet<string> = new Set([INFORMATION_SCHEMA]);

function refuseSystemChange(session: Session, privilege: Privilege | 'ANY', db: string): void {
  if (privilege !== 'SELECT' && privilege !== 'ANY' && SYSTEM_DATABASES.has(db.toLowerCase())) {
    throw sqlError('ER_DBACCESS_DENIED_ERROR', `Access denied for user ${who(session)} to database '${db}'`);
  }
}

export function requireDatabasePrivilege(session: Session, privilege: Privilege | 'ANY', db: string): void {
  refuseSystemChange(session, privilege, db);
  const ok = privilege === 'ANY' ? canSeeDatabase(session, db) : hasPrivilege(session, privilege, { db });
  if (ok) return;
  throw sqlError('ER_DBACCESS_DENIED_ERROR', `Access denied for user ${who(session)} to database '${db}'`);
}

/** Throws 1142 unless the session holds `privilege` on the table; `command` names the statement as MySQL does. */
export function requireTablePrivilege(session: Session, privilege: Privilege | 'ANY', db: string, table: string, command: string): void {
  refuseSystemChange(session, privilege, db);
  const ok = privilege === 'ANY' ? canSeeTable(session, db, table) : hasPrivilege(session, privilege, { db, table });
  if (ok) return;
  throw sqlError('ER_TABLEACCESS_DENIED_ERROR', `${command} command denied to user ${who(session)} for table '${db}.${table}'`);
}
