// Account management ([H]): users, roles, GRANT/REVOKE and SET PASSWORD. The grammar
// (grammar/ducksafe-users.peggy) builds these shapes directly; names are as written.

/** Privileges as MySQL names them, plus ducksafe's ADMIN (backup, fail-safe, VACUUM, accounts). */
export const PRIVILEGE_NAMES = [
  'SELECT',
  'INSERT',
  'UPDATE',
  'DELETE',
  'CREATE',
  'DROP',
  'ALTER',
  'INDEX',
  'CREATE VIEW',
  'SHOW VIEW',
  'ADMIN',
] as const;
export type PrivilegeName = (typeof PRIVILEGE_NAMES)[number];

/** `'user'@'host'`; host is `%` when not written. */
export interface AccountName {
  readonly user: string;
  readonly host: string;
}

export const PASSWORD_PLUGINS = ['mysql_native_password', 'caching_sha2_password'] as const;
export type PasswordPlugin = (typeof PASSWORD_PLUGINS)[number];

/** IDENTIFIED [WITH plugin] BY 'password'; no plugin means the server's default. */
export interface Identification {
  readonly plugin?: PasswordPlugin;
  readonly password: string;
}

/** The ON part of GRANT/REVOKE: `*.*`, `db.*`, `db.t`, or `*` / `t` in the session's database. */
export type GrantTarget =
  | { readonly kind: 'global' }
  | { readonly kind: 'database'; readonly db?: string }
  | { readonly kind: 'table'; readonly db?: string; readonly table: string };

/** ALL [PRIVILEGES] or a list. */
export type PrivilegeList = 'ALL' | readonly PrivilegeName[];

export type UserAdminStatement =
  | {
      readonly kind: 'createUser';
      readonly ifNotExists: boolean;
      readonly users: readonly { readonly account: AccountName; readonly identified?: Identification }[];
    }
  | { readonly kind: 'alterUser'; readonly ifExists: boolean; readonly users: readonly { readonly account: AccountName; readonly identified: Identification }[] }
  | { readonly kind: 'dropUser'; readonly ifExists: boolean; readonly users: readonly AccountName[] }
  /** SET PASSWORD [FOR account] = 'pw'; no account: the session's own. */
  | { readonly kind: 'setPassword'; readonly account?: AccountName; readonly password: string }
  | { readonly kind: 'createRole'; readonly ifNotExists: boolean; readonly roles: readonly AccountName[] }
  | { readonly kind: 'dropRole'; readonly ifExists: boolean; readonly roles: readonly AccountName[] }
  | { readonly kind: 'grant'; readonly privileges: PrivilegeList; readonly target: GrantTarget; readonly to: readonly AccountName[] }
  | { readonly kind: 'revoke'; readonly privileges: PrivilegeList; readonly target: GrantTarget; readonly from: readonly AccountName[] }
  | { readonly kind: 'grantRole'; readonly roles: readonly AccountName[]; readonly to: readonly AccountName[] }
  | { readonly kind: 'revokeRole'; readonly roles: readonly AccountName[]; readonly from: readonly AccountName[] };
