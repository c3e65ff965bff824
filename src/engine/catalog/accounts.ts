// Users, roles and their grants as the catalog stores them, and the pure rules over
// them: host patterns, which account a login is, the privileges an account holds
// through its roles. Only password hashes are stored, never passwords.
import { sqlError } from '../../errors/registry.js';
import { PRIVILEGE_NAMES, type AccountName, type PrivilegeList, type PrivilegeName } from '../../sql/user-statement.js';
import { nameKey } from './names.js';

export type StoredAuth =
  | { readonly plugin: 'mysql_native_password'; /** SHA1(SHA1(pw)) in hex; '' for no password. */ readonly nativeHash: string }
  | { readonly plugin: 'caching_sha2_password'; /** `$A$005$...`; '' for no password. */ readonly sha2Verifier: string };

/** Privileges on `*.*` (no db), `db.*` (no table) or `db.table`. */
export interface GrantEntry {
  readonly db?: string;
  readonly table?: string;
  readonly privileges: readonly PrivilegeName[];
}

export interface AccountEntry {
  readonly user: string;
  readonly host: string;
  /** Roles are accounts that cannot log in (MySQL's model). */
  readonly kind: 'user' | 'role';
  readonly auth?: StoredAuth;
  readonly grants: readonly GrantEntry[];
  /** Roles granted to this account; always active (like activate_all_roles_on_login). */
  readonly roles: readonly AccountName[];
  readonly createdAt: string;
}

/** ADMIN exists only on *.*; ALL elsewhere means every object privilege. */
export const OBJECT_PRIVILEGES: readonly PrivilegeName[] = PRIVILEGE_NAMES.filter((p) => p !== 'ADMIN');

export function formatAccount(a: AccountName): string {
  return `'${a.user}'@'${a.host}'`;
}

/** Users compare case-sensitively, hosts case-insensitively, as in MySQL. */
export function sameAccount(a: AccountName, b: AccountName): boolean {
  return a.user === b.user && a.host.toLowerCase() === b.host.toLowerCase();
}

function normalizeHost(host: string): string {
  const h = host.toLowerCase();
  return h.startsWith('::ffff:') ? h.slice('::ffff:'.length) : h;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** MySQL host patterns: `%` any run, `_` one character; `localhost` is the loopback address. */
export function hostMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  const h = normalizeHost(host);
  if (p === 'localhost') return LOOPBACK.has(h);
  const re = new RegExp(`^${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.')}$`);
  return re.test(h);
}

/** More specific host patterns win: literal hosts, then patterns by their literal prefix, `%` last. */
function specificity(host: string): number {
  const wild = host.search(/[%_]/);
  if (wild === -1) return 1_000_000;
  return wild;
}

/** The user account a login from `host` is, if any. */
export function loginAccount(accounts: readonly AccountEntry[], user: string, host: string): AccountEntry | undefined {
  return accounts
    .filter((a) => a.kind === 'user' && a.user === user && hostMatches(a.host, host))
    .sort((a, b) => specificity(b.host) - specificity(a.host))[0];
}

export function findAccount(accounts: readonly AccountEntry[], name: AccountName): AccountEntry | undefined {
  return accounts.find((a) => sameAccount(a, name));
}

/** The account's own grants plus those of its roles, transitively. */
export function effectiveGrants(accounts: readonly AccountEntry[], account: AccountName): readonly GrantEntry[] {
  const out: GrantEntry[] = [];
  const seen: AccountName[] = [];
  const visit = (name: AccountName): void => {
    if (seen.some((s) => sameAccount(s, name))) return;
    seen.push(name);
    const entry = findAccount(accounts, name);
    if (entry === undefined) return;
    out.push(...entry.grants);
    for (const r of entry.roles) visit(r);
  };
  visit(account);
  return out;
}

function covers(g: GrantEntry, db: string | undefined, table: string | undefined): boolean {
  if (g.db === undefined) return true;
  if (db === undefined || nameKey(g.db) !== nameKey(db)) return false;
  if (g.table === undefined) return true;
  return table !== undefined && nameKey(g.table) === nameKey(table);
}

/** Whether `grants` give `privilege` on `*.*` (no db), a database, or a table. */
export function grantsAllow(grants: readonly GrantEntry[], privilege: PrivilegeName, db?: string, table?: string): boolean {
  return grants.some((g) => g.privileges.includes(privilege) && covers(g, db, table));
}

/** Some privilege on the database or on something in it (what USE and SHOW DATABASES ask). */
export function grantsAnyInDatabase(grants: readonly GrantEntry[], db: string): boolean {
  return grants.some((g) => g.privileges.length > 0 && (g.db === undefined || nameKey(g.db) === nameKey(db)));
}

/** Some privilege on the table (what SHOW COLUMNS and SHOW TABLES ask). */
export function grantsAnyOnTable(grants: readonly GrantEntry[], db: string, table: string): boolean {
  return grants.some((g) => g.privileges.length > 0 && covers(g, db, table));
}

/** The privileges ALL stands for at a level; refuses ADMIN below *.*. */
export function expandPrivileges(list: PrivilegeList, db: string | undefined): readonly PrivilegeName[] {
  if (list === 'ALL') return db === undefined ? PRIVILEGE_NAMES : OBJECT_PRIVILEGES;
  if (db !== undefined && list.includes('ADMIN')) {
    throw sqlError('ER_ILLEGAL_GRANT_FOR_TABLE', 'Illegal GRANT/REVOKE command; ADMIN can only be granted ON *.*');
  }
  return list;
}

function sameLevel(g: GrantEntry, db: string | undefined, table: string | undefined): boolean {
  const dbSame = g.db === undefined ? db === undefined : db !== undefined && nameKey(g.db) === nameKey(db);
  const tableSame = g.table === undefined ? table === undefined : table !== undefined && nameKey(g.table) === nameKey(table);
  return dbSame && tableSame;
}

function cannot(operation: string, names: readonly AccountName[]): never {
  throw sqlError('ER_CANNOT_USER', `Operation ${operation} failed for ${names.map(formatAccount).join(',')}`);
}

function requireExisting(accounts: readonly AccountEntry[], names: readonly AccountName[], operation: string, kind?: 'user' | 'role'): void {
  const missing = names.filter((n) => {
    const found = findAccount(accounts, n);
    return found === undefined || (kind !== undefined && found.kind !== kind);
  });
  if (missing.length > 0) cannot(operation, missing);
}

/** CREATE USER / CREATE ROLE. Returns undefined when IF NOT EXISTS leaves nothing to do. */
export function createAccounts(
  accounts: readonly AccountEntry[],
  specs: readonly { readonly account: AccountName; readonly auth?: StoredAuth }[],
  kind: 'user' | 'role',
  ifNotExists: boolean,
  now: string,
): readonly AccountEntry[] | undefined {
  const operation = kind === 'user' ? 'CREATE USER' : 'CREATE ROLE';
  const reserved = specs.filter((s) => s.account.user === 'root' || s.account.user === '');
  if (reserved.length > 0) cannot(operation, reserved.map((s) => s.account));
  const existing = specs.filter((s) => findAccount(accounts, s.account) !== undefined);
  if (existing.length > 0 && !ifNotExists) cannot(operation, existing.map((s) => s.account));
  const fresh = specs.filter((s, i) => findAccount(accounts, s.account) === undefined && !specs.slice(0, i).some((o) => sameAccount(o.account, s.account)));
  if (fresh.length === 0) return undefined;
  return [
    ...accounts,
    ...fresh.map((s): AccountEntry => ({
      user: s.account.user,
      host: s.account.host,
      kind,
      ...(s.auth === undefined ? {} : { auth: s.auth }),
      grants: [],
      roles: [],
      createdAt: now,
    })),
  ];
}

/** DROP USER / DROP ROLE; a dropped role is also taken from every account that had it. */
export function dropAccounts(
  accounts: readonly AccountEntry[],
  names: readonly AccountName[],
  kind: 'user' | 'role',
  ifExists: boolean,
): readonly AccountEntry[] | undefined {
  const operation = kind === 'user' ? 'DROP USER' : 'DROP ROLE';
  if (!ifExists) requireExisting(accounts, names, operation);
  const kept = accounts.filter((a) => !names.some((n) => sameAccount(a, n)));
  if (kept.length === accounts.length) return undefined;
  return kept.map((a) => ({ ...a, roles: a.roles.filter((r) => !names.some((n) => sameAccount(r, n))) }));
}

export function setAuth(accounts: readonly AccountEntry[], name: AccountName, auth: StoredAuth, operation: string): readonly AccountEntry[] {
  requireExisting(accounts, [name], operation, 'user');
  return accounts.map((a) => (sameAccount(a, name) ? { ...a, auth } : a));
}

/** Adds privileges at one level (db undefined: *.*; table undefined: db.*). */
export function grantPrivileges(
  accounts: readonly AccountEntry[],
  to: readonly AccountName[],
  privileges: readonly PrivilegeName[],
  db: string | undefined,
  table: string | undefined,
): readonly AccountEntry[] {
  requireExisting(accounts, to, 'GRANT');
  return accounts.map((a) => {
    if (!to.some((n) => sameAccount(a, n))) return a;
    const existing = a.grants.find((g) => sameLevel(g, db, table));
    const merged = PRIVILEGE_NAMES.filter((p) => privileges.includes(p) || (existing?.privileges.includes(p) ?? false));
    const entry: GrantEntry = { ...(db === undefined ? {} : { db }), ...(table === undefined ? {} : { table }), privileges: merged };
    return { ...a, grants: existing === undefined ? [...a.grants, entry] : a.grants.map((g) => (g === existing ? entry : g)) };
  });
}

/** Takes privileges away at one level; an account without a grant at that level is an error, as in MySQL. */
export function revokePrivileges(
  accounts: readonly AccountEntry[],
  from: readonly AccountName[],
  privileges: readonly PrivilegeName[],
  db: string | undefined,
  table: string | undefined,
): readonly AccountEntry[] {
  requireExisting(accounts, from, 'REVOKE');
  for (const n of from) {
    const entry = findAccount(accounts, n);
    if (entry !== undefined && !entry.grants.some((g) => sameLevel(g, db, table))) {
      const on = table !== undefined ? ` on table ${table}` : '';
      throw sqlError('ER_NONEXISTING_GRANT', `There is no such grant defined for user '${n.user}' on host '${n.host}'${on}`);
    }
  }
  return accounts.map((a) => {
    if (!from.some((n) => sameAccount(a, n))) return a;
    const grants = a.grants
      .map((g) => (sameLevel(g, db, table) ? { ...g, privileges: g.privileges.filter((p) => !privileges.includes(p)) } : g))
      .filter((g) => g.privileges.length > 0);
    return { ...a, grants };
  });
}

function reaches(accounts: readonly AccountEntry[], from: AccountName, target: AccountName): boolean {
  return effectiveRoles(accounts, from).some((r) => sameAccount(r, target));
}

/** Every role an account holds, directly or through other roles. */
export function effectiveRoles(accounts: readonly AccountEntry[], account: AccountName): readonly AccountName[] {
  const out: AccountName[] = [];
  const visit = (name: AccountName): void => {
    for (const r of findAccount(accounts, name)?.roles ?? []) {
      if (out.some((o) => sameAccount(o, r))) continue;
      out.push(r);
      visit(r);
    }
  };
  visit(account);
  return out;
}

export function grantRoles(accounts: readonly AccountEntry[], roles: readonly AccountName[], to: readonly AccountName[]): readonly AccountEntry[] {
  requireExisting(accounts, roles, 'GRANT', 'role');
  requireExisting(accounts, to, 'GRANT');
  for (const r of roles) {
    for (const t of to) {
      // A role granted to itself, directly or not, would make a cycle.
      if (sameAccount(r, t) || reaches(accounts, r, t)) {
        throw sqlError('ER_WRONG_USAGE', `Granting ${formatAccount(r)} to ${formatAccount(t)} creates a loop in the role graph`);
      }
    }
  }
  return accounts.map((a) => {
    if (!to.some((n) => sameAccount(a, n))) return a;
    const added = roles.filter((r) => !a.roles.some((o) => sameAccount(o, r))).map((r) => ({ user: r.user, host: r.host }));
    return { ...a, roles: [...a.roles, ...added] };
  });
}

export function revokeRoles(accounts: readonly AccountEntry[], roles: readonly AccountName[], from: readonly AccountName[]): readonly AccountEntry[] {
  requireExisting(accounts, roles, 'REVOKE', 'role');
  requireExisting(accounts, from, 'REVOKE');
  return accounts.map((a) => (from.some((n) => sameAccount(a, n)) ? { ...a, roles: a.roles.filter((r) => !roles.some((o) => sameAccount(o, r))) } : a));
}

function quoteName(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

function quoteAccount(a: AccountName): string {
  return `${quoteName(a.user)}@${quoteName(a.host)}`;
}

/** SHOW GRANTS rows for one account, in MySQL's form. */
export function showGrantLines(entry: AccountEntry): readonly string[] {
  const me = quoteAccount(entry);
  const global = entry.grants.find((g) => g.db === undefined);
  const listText = (g: GrantEntry): string => {
    const full = g.db === undefined ? PRIVILEGE_NAMES : OBJECT_PRIVILEGES;
    if (full.every((p) => g.privileges.includes(p))) return 'ALL PRIVILEGES';
    return g.privileges.join(', ');
  };
  const lines = [`GRANT ${global === undefined ? 'USAGE' : listText(global)} ON *.* TO ${me}`];
  for (const g of entry.grants) {
    if (g.db === undefined) continue;
    lines.push(`GRANT ${listText(g)} ON ${quoteName(g.db)}.${g.table === undefined ? '*' : quoteName(g.table)} TO ${me}`);
  }
  if (entry.roles.length > 0) lines.push(`GRANT ${entry.roles.map(quoteAccount).join(',')} TO ${me}`);
  return lines;
}
