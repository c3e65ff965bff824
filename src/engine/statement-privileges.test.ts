import { describe, expect, it } from 'vitest';
import { Session } from '../server/session.js';
import { parseStatement } from '../sql/parse/index.js';
import { statementNeeds } from './statement-privileges.js';

function needs(sql: string, db: string | null = 'shop'): string[] {
  const session = new Session(7, 'u', '127.0.0.1', db);
  return statementNeeds(parseStatement(sql), session).map((n) =>
    n.kind === 'global' ? `${n.privilege} *.*` : n.kind === 'database' ? `${n.privilege} ${n.db}.*` : `${n.privilege} ${n.db}.${n.table}`,
  );
}

describe('the privileges a statement needs', () => {
  it('SELECT on every table read, joins and subqueries included, but not CTE names', () => {
    expect(needs('SELECT * FROM a JOIN other.b ON a.x = b.x WHERE a.y IN (SELECT y FROM c)').sort()).toEqual(['SELECT other.b', 'SELECT shop.a', 'SELECT shop.c']);
    expect(needs('WITH w AS (SELECT 1 FROM a) SELECT * FROM w')).toEqual(['SELECT shop.a']);
    expect(needs("SELECT * FROM fuse_snapshot('d', 't')")).toEqual(['SELECT d.t']);
    expect(needs('SELECT * FROM information_schema.tables')).toEqual([]);
    expect(needs('SELECT 1', null)).toEqual([]);
  });

  it('DML needs its own privilege and SELECT on what it reads', () => {
    expect(needs('INSERT INTO t SELECT * FROM s')).toEqual(['INSERT shop.t', 'SELECT shop.s']);
    expect(needs('REPLACE INTO t VALUES (1)')).toEqual(['INSERT shop.t', 'DELETE shop.t']);
    expect(needs('INSERT INTO t VALUES (1) ON DUPLICATE KEY UPDATE a = 2')).toEqual(['INSERT shop.t', 'UPDATE shop.t']);
    expect(needs('UPDATE t SET a = 1')).toEqual(['UPDATE shop.t']);
    expect(needs('UPDATE t SET a = 1 WHERE b = 2')).toEqual(['UPDATE shop.t', 'SELECT shop.t']);
    expect(needs('DELETE FROM t WHERE id IN (SELECT id FROM s)')).toEqual(['DELETE shop.t', 'SELECT shop.t', 'SELECT shop.s']);
  });

  it('DDL needs CREATE, DROP or ALTER at the right level', () => {
    expect(needs('CREATE DATABASE d')).toEqual(['CREATE d.*']);
    expect(needs('DROP DATABASE d')).toEqual(['DROP d.*']);
    expect(needs('CREATE TABLE t (a INT)')).toEqual(['CREATE shop.t']);
    expect(needs('CREATE TABLE t AS SELECT * FROM s')).toEqual(['CREATE shop.t', 'INSERT shop.t', 'SELECT shop.s']);
    expect(needs('DROP TABLE t, x.u')).toEqual(['DROP shop.t', 'DROP x.u']);
    expect(needs('TRUNCATE t')).toEqual(['DROP shop.t']);
    expect(needs('ALTER TABLE t ADD c INT')).toEqual(['ALTER shop.t']);
    expect(needs('RENAME TABLE t TO u')).toEqual(['ALTER shop.t', 'DROP shop.t', 'CREATE shop.u', 'INSERT shop.u']);
    expect(needs('USE d')).toEqual(['ANY d.*']);
    expect(needs('SHOW COLUMNS FROM t')).toEqual(['ANY shop.t']);
  });

  it('ADMIN for backup, account management, SET GLOBAL and killing other connections', () => {
    expect(needs('SHOW REPOSITORIES')).toEqual(['ADMIN *.*']);
    expect(needs("CREATE USER x IDENTIFIED BY 'p'")).toEqual(['ADMIN *.*']);
    expect(needs('GRANT SELECT ON *.* TO x')).toEqual(['ADMIN *.*']);
    expect(needs("SET PASSWORD FOR x = 'p'")).toEqual(['ADMIN *.*']);
    expect(needs("SET PASSWORD = 'p'")).toEqual([]);
    expect(needs('SET GLOBAL max_connections = 10')).toEqual(['ADMIN *.*']);
    expect(needs('SET SESSION sql_mode = ""')).toEqual([]);
    expect(needs('KILL 8')).toEqual(['ADMIN *.*']);
    expect(needs('KILL 7')).toEqual([]);
  });
});
