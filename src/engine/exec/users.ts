// Account management ([H]): CREATE/ALTER/DROP USER, SET PASSWORD, roles, GRANT and
// REVOKE, each one catalog commit; and SHOW GRANTS. The statement-level ADMIN check
// has run before these (statement-privileges.ts); what depends on the target
// account (SHOW GRANTS FOR someone else) is checked here.
import { sqlError } from '../../errors/registry.js';
import { cachingSha2Verifier, nativePasswordHash } from '../../protocol/index.js';
import type { OkResult, RowsResult } from '../../server/query-handler.js';
import type { AccountName, GrantTarget, Identification, PasswordPlugin, UserAdminStatement } from '../../sql/user-statement.js';
import {
  createAccounts,
  dropAccounts,
  expandPrivileges,
  findAccount,
  grantPrivileges,
  grantRoles,
  loginAccount,
  revokePrivileges,
  revokeRoles,
  setAuth,
  showGrantLines,
  type StoredAuth,
} from '../catalog/accounts.js';
import { authorizationOf, requirePrivilege } from '../privileges.js';
import type { ExecContext } from './context.js';
import { ok, staticRows, textColumn } from './results.js';

/** Only the hash of a password is ever kept. */
export function storedAuth(password: string, plugin: PasswordPlugin): StoredAuth {
  return plugin === 'caching_sha2_password'
    ? { plugin, sha2Verifier: cachingSha2Verifier(password) }
    : { plugin, nativeHash: nativePasswordHash(password).toString('hex') };
}

function authOf(identified: Identification | undefined, defaultPlugin: PasswordPlugin): StoredAuth {
  return storedAuth(identified?.password ?? '', identified?.plugin ?? defaultPlugin);
}

/** `db` absent: *.*; `table` absent: db.*. Unqualified names use the session's database. */
function resolveTarget(x: ExecContext, target: GrantTarget): { readonly db?: string; readonly table?: string } {
  if (target.kind === 'global') return {};
  const db = target.db ?? x.session.database;
  if (db === null) throw sqlError('ER_NO_DB_ERROR', 'No database selected');
  return target.kind === 'database' ? { db } : { db, table: target.table };
}

/** The account the session is logged in as, if it still exists. */
function currentAccount(x: ExecContext): AccountName | undefined {
  const auth = authorizationOf(x.session);
  return auth.kind === 'account' ? auth.account : undefined;
}

export async function userAdmin(x: ExecContext, s: UserAdminStatement, defaultPlugin: PasswordPlugin): Promise<OkResult> {
  const catalog = x.core.warehouse.catalog;
  const user = x.session.user;
  const now = x.core.now().toISOString();
  switch (s.kind) {
    case 'createUser': {
      const specs = s.users.map((u) => ({ account: u.account, auth: authOf(u.identified, defaultPlugin) }));
      await catalog.changeAccounts(user, 'CREATE USER', (a) => createAccounts(a, specs, 'user', s.ifNotExists, now));
      break;
    }
    case 'alterUser':
      await catalog.changeAccounts(user, 'ALTER USER', (accounts) => {
        let next = accounts;
        for (const u of s.users) {
          if (s.ifExists && findAccount(next, u.account) === undefined) continue;
          next = setAuth(next, u.account, authOf(u.identified, defaultPlugin), 'ALTER USER');
        }
        return next === accounts ? undefined : next;
      });
      break;
    case 'dropUser':
      await catalog.changeAccounts(user, 'DROP USER', (a) => dropAccounts(a, s.users, 'user', s.ifExists));
      break;
    case 'setPassword': {
      const target = s.account ?? currentAccount(x);
      if (target === undefined) {
        throw sqlError('ER_CANNOT_USER', `Operation SET PASSWORD failed for '${x.session.user}': its password is set by the server's configuration`);
      }
      await catalog.changeAccounts(user, 'SET PASSWORD', (accounts) => {
        const existing = findAccount(accounts, target);
        const plugin = existing?.auth?.plugin ?? defaultPlugin;
        return setAuth(accounts, target, storedAuth(s.password, plugin), 'SET PASSWORD');
      });
      break;
    }
    case 'createRole': {
      const specs = s.roles.map((account) => ({ account }));
      await catalog.changeAccounts(user, 'CREATE ROLE', (a) => createAccounts(a, specs, 'role', s.ifNotExists, now));
      break;
    }
    case 'dropRole':
      await catalog.changeAccounts(user, 'DROP ROLE', (a) => dropAccounts(a, s.roles, 'role', s.ifExists));
      break;
    case 'grant':
    case 'revoke': {
      const { db, table } = resolveTarget(x, s.target);
      const privileges = expandPrivileges(s.privileges, db);
      if (s.kind === 'grant') await catalog.changeAccounts(user, 'GRANT', (a) => grantPrivileges(a, s.to, privileges, db, table));
      else await catalog.changeAccounts(user, 'REVOKE', (a) => revokePrivileges(a, s.from, privileges, db, table));
      break;
    }
    case 'grantRole':
      await catalog.changeAccounts(user, 'GRANT', (a) => grantRoles(a, s.roles, s.to));
      break;
    case 'revokeRole':
      await catalog.changeAccounts(user, 'REVOKE', (a) => revokeRoles(a, s.roles, s.from));
      break;
    default: {
      const never: never = s;
      throw new Error(`unhandled account statement ${JSON.stringify(never)}`);
    }
  }
  return ok();
}

/** `user@host` as the grammar hands SHOW GRANTS FOR over; no host means `%`. */
function parseAccountText(text: string): AccountName {
  const at = text.lastIndexOf('@');
  return at === -1 ? { user: text, host: '%' } : { user: text.slice(0, at), host: text.slice(at + 1) };
}

const ROOT_GRANTS = ['GRANT ALL PRIVILEGES ON *.* TO `root`@`%` WITH GRANT OPTION'];

/** SHOW GRANTS [FOR user]: one's own always; anyone else's needs ADMIN. */
export async function showGrants(x: ExecContext, forUser: string | undefined): Promise<RowsResult> {
  const catalog = x.core.warehouse.catalog;
  await catalog.refresh();
  const accounts = catalog.accounts();
  const self: AccountName | undefined =
    authorizationOf(x.session).kind === 'root' ? { user: 'root', host: '%' } : (currentAccount(x) ?? loginAccount(accounts, x.session.user, x.session.host));
  const target = forUser === undefined ? self : parseAccountText(forUser);
  if (target === undefined) throw sqlError('ER_NONEXISTING_GRANT', `There is no such grant defined for user '${x.session.user}' on host '${x.session.host}'`);
  const isSelf = self !== undefined && self.user === target.user && (forUser === undefined || self.host.toLowerCase() === target.host.toLowerCase());
  if (!isSelf) requirePrivilege(x.session, 'ADMIN', 'SHOW GRANTS FOR another user');
  const heading = `Grants for ${target.user}@${target.host}`;
  if (target.user === 'root') return staticRows([textColumn(heading)], ROOT_GRANTS.map((l) => [l]));
  const entry = findAccount(accounts, target);
  if (entry === undefined) throw sqlError('ER_NONEXISTING_GRANT', `There is no such grant defined for user '${target.user}' on host '${target.host}'`);
  return staticRows([textColumn(heading)], showGrantLines(entry).map((l) => [l]));
}
