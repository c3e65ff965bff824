import { describe, expect, it } from 'vitest';
import { isSqlError } from '../../errors/registry.js';
import { parseStatement } from './parse-statement.js';

function admin(sql: string): unknown {
  const s = parseStatement(sql);
  if (s.kind !== 'userAdmin') throw new Error(`${sql} parsed as ${s.kind}`);
  return s.admin;
}

describe('account statements', () => {
  it('parses CREATE/ALTER/DROP USER with host patterns and plugins', () => {
    expect(admin("CREATE USER 'app'@'10.0.%' IDENTIFIED BY 'pw'")).toEqual({
      kind: 'createUser',
      ifNotExists: false,
      users: [{ account: { user: 'app', host: '10.0.%' }, identified: { password: 'pw' } }],
    });
    expect(admin("create user if not exists a identified with 'caching_sha2_password' by 'x', b@localhost")).toEqual({
      kind: 'createUser',
      ifNotExists: true,
      users: [
        { account: { user: 'a', host: '%' }, identified: { plugin: 'caching_sha2_password', password: 'x' } },
        { account: { user: 'b', host: 'localhost' } },
      ],
    });
    expect(admin("ALTER USER IF EXISTS `u` IDENTIFIED WITH mysql_native_password BY 'n'")).toMatchObject({ kind: 'alterUser', ifExists: true });
    expect(admin("DROP USER u, 'v'@'h'")).toEqual({ kind: 'dropUser', ifExists: false, users: [{ user: 'u', host: '%' }, { user: 'v', host: 'h' }] });
  });

  it('parses SET PASSWORD, roles and role grants', () => {
    expect(admin("SET PASSWORD = 'x'")).toEqual({ kind: 'setPassword', password: 'x' });
    expect(admin("SET PASSWORD FOR 'u'@'%' = 'y'")).toEqual({ kind: 'setPassword', account: { user: 'u', host: '%' }, password: 'y' });
    expect(admin('CREATE ROLE IF NOT EXISTS reader, writer')).toMatchObject({ kind: 'createRole', ifNotExists: true, roles: [{ user: 'reader' }, { user: 'writer' }] });
    expect(admin('DROP ROLE reader')).toMatchObject({ kind: 'dropRole', roles: [{ user: 'reader', host: '%' }] });
    expect(admin('GRANT reader TO u, v')).toMatchObject({ kind: 'grantRole', roles: [{ user: 'reader' }], to: [{ user: 'u' }, { user: 'v' }] });
    expect(admin('REVOKE reader FROM u')).toMatchObject({ kind: 'revokeRole', roles: [{ user: 'reader' }], from: [{ user: 'u' }] });
  });

  it('parses GRANT/REVOKE of privileges at every level', () => {
    expect(admin("GRANT SELECT, insert, SELECT ON shop.* TO 'u'@'%'")).toEqual({
      kind: 'grant',
      privileges: ['SELECT', 'INSERT'],
      target: { kind: 'database', db: 'shop' },
      to: [{ user: 'u', host: '%' }],
    });
    expect(admin('GRANT ALL PRIVILEGES ON *.* TO u')).toMatchObject({ privileges: 'ALL', target: { kind: 'global' } });
    expect(admin('GRANT CREATE VIEW, SHOW VIEW, CREATE, INDEX ON shop.t TO u')).toMatchObject({
      privileges: ['CREATE VIEW', 'SHOW VIEW', 'CREATE', 'INDEX'],
      target: { kind: 'table', db: 'shop', table: 't' },
    });
    expect(admin('GRANT ADMIN ON *.* TO u')).toMatchObject({ privileges: ['ADMIN'] });
    expect(admin('REVOKE UPDATE, DELETE ON TABLE t FROM u')).toMatchObject({ kind: 'revoke', target: { kind: 'table', table: 't' } });
    expect(admin('GRANT DROP, ALTER ON * TO u')).toMatchObject({ target: { kind: 'database' } });
  });

  it('rejects unknown privileges and plugins as syntax errors', () => {
    for (const sql of ['GRANT FLY ON *.* TO u', "CREATE USER u IDENTIFIED WITH sha256_password BY 'x'", 'GRANT SELECT ON *.* TO']) {
      let code = '';
      try {
        parseStatement(sql);
      } catch (err) {
        code = isSqlError(err) ? err.code : String(err);
      }
      expect(code, sql).toBe('ER_PARSE_ERROR');
    }
  });
});
