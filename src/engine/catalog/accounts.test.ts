import { describe, expect, it } from 'vitest';
import { isSqlError } from '../../errors/registry.js';
import {
  createAccounts,
  dropAccounts,
  effectiveGrants,
  expandPrivileges,
  grantPrivileges,
  grantRoles,
  grantsAllow,
  grantsAnyInDatabase,
  grantsAnyOnTable,
  hostMatches,
  loginAccount,
  revokePrivileges,
  revokeRoles,
  showGrantLines,
  type AccountEntry,
} from './accounts.js';

const NOW = '2026-01-01T00:00:00.000Z';
const u = { user: 'u', host: '%' };
const reader = { user: 'reader', host: '%' };

function errorCode(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    return isSqlError(err) ? `${err.code} ${err.errno}` : String(err);
  }
  return 'no error';
}

function base(): readonly AccountEntry[] {
  return createAccounts([], [{ account: u }, { account: { user: 'u', host: 'localhost' } }], 'user', false, NOW) ?? [];
}

describe('host patterns and login accounts', () => {
  it('matches % and _ and treats localhost as the loopback address', () => {
    expect(hostMatches('%', '192.168.1.9')).toBe(true);
    expect(hostMatches('192.168.%', '192.168.1.9')).toBe(true);
    expect(hostMatches('192.168.%', '10.0.0.1')).toBe(false);
    expect(hostMatches('10.0.0._', '10.0.0.7')).toBe(true);
    expect(hostMatches('10.0.0._', '10.0.0.17')).toBe(false);
    expect(hostMatches('localhost', '::ffff:127.0.0.1')).toBe(true);
    expect(hostMatches('localhost', '::1')).toBe(true);
    expect(hostMatches('127.0.0.1', '::ffff:127.0.0.1')).toBe(true);
    expect(hostMatches('localhost', '10.1.1.1')).toBe(false);
  });

  it('picks the most specific account, never a role', () => {
    const accounts = base();
    expect(loginAccount(accounts, 'u', '127.0.0.1')?.host).toBe('localhost');
    expect(loginAccount(accounts, 'u', '10.0.0.1')?.host).toBe('%');
    expect(loginAccount(accounts, 'U', '10.0.0.1')).toBeUndefined();
    const withRole = createAccounts(accounts, [{ account: reader }], 'role', false, NOW) ?? [];
    expect(loginAccount(withRole, 'reader', '10.0.0.1')).toBeUndefined();
  });
});

describe('creating and dropping accounts', () => {
  it('refuses duplicates (1396) unless IF NOT EXISTS, and refuses root', () => {
    expect(errorCode(() => createAccounts(base(), [{ account: u }], 'user', false, NOW))).toBe('ER_CANNOT_USER 1396');
    expect(createAccounts(base(), [{ account: { user: 'u', host: '%' } }], 'user', true, NOW)).toBeUndefined();
    expect(errorCode(() => createAccounts([], [{ account: { user: 'root', host: 'x' } }], 'user', false, NOW))).toBe('ER_CANNOT_USER 1396');
  });

  it('drops accounts and takes a dropped role from its holders', () => {
    let a = createAccounts(base(), [{ account: reader }], 'role', false, NOW) ?? [];
    a = grantRoles(a, [reader], [u]);
    expect(a.find((x) => x.user === 'u' && x.host === '%')?.roles).toEqual([reader]);
    a = dropAccounts(a, [reader], 'role', false) ?? [];
    expect(a.find((x) => x.user === 'u' && x.host === '%')?.roles).toEqual([]);
    expect(errorCode(() => dropAccounts(a, [reader], 'role', false))).toBe('ER_CANNOT_USER 1396');
    expect(dropAccounts(a, [reader], 'role', true)).toBeUndefined();
  });
});

describe('privilege resolution', () => {
  it('applies global, database and table grants to the right objects', () => {
    let a = grantPrivileges(base(), [u], ['SELECT'], 'shop', undefined);
    a = grantPrivileges(a, [u], ['INSERT'], 'shop', 'orders');
    const g = effectiveGrants(a, u);
    expect(grantsAllow(g, 'SELECT', 'SHOP', 'anything')).toBe(true);
    expect(grantsAllow(g, 'SELECT', 'other', 't')).toBe(false);
    expect(grantsAllow(g, 'INSERT', 'shop', 'Orders')).toBe(true);
    expect(grantsAllow(g, 'INSERT', 'shop', 'items')).toBe(false);
    expect(grantsAllow(g, 'SELECT')).toBe(false);
    expect(grantsAnyInDatabase(g, 'shop')).toBe(true);
    expect(grantsAnyInDatabase(g, 'other')).toBe(false);
    expect(grantsAnyOnTable(g, 'shop', 'orders')).toBe(true);
    const global = effectiveGrants(grantPrivileges(base(), [u], ['DELETE'], undefined, undefined), u);
    expect(grantsAllow(global, 'DELETE', 'any', 'table')).toBe(true);
    expect(grantsAllow(global, 'ADMIN')).toBe(false);
  });

  it('follows roles transitively and refuses cycles', () => {
    const writer = { user: 'writer', host: '%' };
    let a = createAccounts(base(), [{ account: reader }, { account: writer }], 'role', false, NOW) ?? [];
    a = grantPrivileges(a, [reader], ['SELECT'], 'shop', undefined);
    a = grantPrivileges(a, [writer], ['INSERT'], 'shop', undefined);
    a = grantRoles(a, [reader], [writer]);
    a = grantRoles(a, [writer], [u]);
    expect(grantsAllow(effectiveGrants(a, u), 'SELECT', 'shop', 't')).toBe(true);
    expect(errorCode(() => grantRoles(a, [writer], [reader]))).toBe('ER_WRONG_USAGE 1221');
    a = revokeRoles(a, [writer], [u]);
    expect(grantsAllow(effectiveGrants(a, u), 'SELECT', 'shop', 't')).toBe(false);
  });

  it('expands ALL by level and keeps ADMIN on *.* only', () => {
    expect(expandPrivileges('ALL', undefined)).toContain('ADMIN');
    expect(expandPrivileges('ALL', 'shop')).not.toContain('ADMIN');
    expect(errorCode(() => expandPrivileges(['ADMIN'], 'shop'))).toBe('ER_ILLEGAL_GRANT_FOR_TABLE 1144');
  });

  it('revokes at one level and refuses a revoke with no grant there (1141)', () => {
    let a = grantPrivileges(base(), [u], ['SELECT', 'INSERT'], 'shop', undefined);
    a = revokePrivileges(a, [u], ['INSERT'], 'shop', undefined);
    const g = effectiveGrants(a, u);
    expect(grantsAllow(g, 'SELECT', 'shop', 't')).toBe(true);
    expect(grantsAllow(g, 'INSERT', 'shop', 't')).toBe(false);
    expect(errorCode(() => revokePrivileges(a, [u], ['SELECT'], 'other', undefined))).toBe('ER_NONEXISTING_GRANT 1141');
  });

  it('prints SHOW GRANTS lines as MySQL does', () => {
    let a = createAccounts(base(), [{ account: reader }], 'role', false, NOW) ?? [];
    a = grantPrivileges(a, [u], expandPrivileges('ALL', 'shop'), 'shop', undefined);
    a = grantPrivileges(a, [u], ['SELECT', 'UPDATE'], 'shop', 'orders');
    a = grantRoles(a, [reader], [u]);
    const entry = a.find((x) => x.user === 'u' && x.host === '%');
    if (entry === undefined) throw new Error('no account');
    expect(showGrantLines(entry)).toEqual([
      'GRANT USAGE ON *.* TO `u`@`%`',
      'GRANT ALL PRIVILEGES ON `shop`.* TO `u`@`%`',
      'GRANT SELECT, UPDATE ON `shop`.`orders` TO `u`@`%`',
      'GRANT `reader`@`%` TO `u`@`%`',
    ]);
  });
});
