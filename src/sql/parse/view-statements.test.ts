import { describe, expect, it } from 'vitest';
import { isSqlError } from '../../errors/registry.js';
import { parseStatement } from './index.js';

describe('view statements', () => {
  it('parses CREATE [OR REPLACE] VIEW with a column list, keeping the query text as written', () => {
    const s = parseStatement('CREATE OR REPLACE ALGORITHM=MERGE DEFINER=`root`@`%` SQL SECURITY INVOKER VIEW shop.v (a, `b c`) AS SELECT id, name FROM t WHERE id > 1 WITH CASCADED CHECK OPTION');
    expect(s).toMatchObject({ kind: 'createView', view: { db: 'shop', name: 'v' }, orReplace: true, columns: ['a', 'b c'], definition: 'SELECT id, name FROM t WHERE id > 1' });
    if (s.kind !== 'createView') throw new Error(s.kind);
    expect(s.query.tables.map((t) => t.name)).toEqual(['t']);
    const plain = parseStatement('create view v as (select 1 as x) union select 2');
    expect(plain).toMatchObject({ kind: 'createView', view: { name: 'v' }, orReplace: false, definition: '(select 1 as x) union select 2' });
    expect(plain).not.toHaveProperty('columns');
  });

  it('parses DROP VIEW [IF EXISTS] with several names and SHOW CREATE VIEW', () => {
    expect(parseStatement('DROP VIEW IF EXISTS a, db.b CASCADE')).toMatchObject({ kind: 'dropView', ifExists: true, views: [{ name: 'a' }, { db: 'db', name: 'b' }] });
    expect(parseStatement('drop view a')).toMatchObject({ kind: 'dropView', ifExists: false, views: [{ name: 'a' }] });
    expect(parseStatement('SHOW CREATE VIEW db.v')).toMatchObject({ kind: 'show', show: { kind: 'createView', view: { db: 'db', name: 'v' } } });
  });

  it('still names routines and triggers as unsupported, and rejects a view without a query', () => {
    const code = (sql: string): string | undefined => {
      try {
        parseStatement(sql);
      } catch (err) {
        return isSqlError(err) ? err.code : undefined;
      }
      return 'parsed';
    };
    expect(code('CREATE DEFINER=root PROCEDURE p() BEGIN END')).toBe('ER_NOT_SUPPORTED_YET');
    expect(code('CREATE OR REPLACE FUNCTION f() RETURNS INT RETURN 1')).toBe('ER_NOT_SUPPORTED_YET');
    expect(code('CREATE VIEW v AS')).toBe('ER_PARSE_ERROR');
  });
});
