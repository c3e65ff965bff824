// The fail-safe statements ([E]) through the whole parser: grammar/ducksafe-failsafe.peggy
// and translate/build-failsafe.ts.
import { describe, expect, it } from 'vitest';
import { parseStatement } from './parse-statement.js';

const command = (sql: string): unknown => {
  const s = parseStatement(sql);
  if (s.kind !== 'failSafe') throw new Error(`${sql} parsed as ${s.kind}`);
  return s.command;
};

describe('CALL system$fuse_amend', () => {
  it('takes the database and the table, and an optional DRY RUN', () => {
    expect(command("CALL system$fuse_amend('default', 't')")).toEqual({ kind: 'fuseAmend', db: 'default', table: 't', dryRun: false });
    expect(command('call SYSTEM$FUSE_AMEND("shop", "orders") dry run;')).toEqual({ kind: 'fuseAmend', db: 'shop', table: 'orders', dryRun: true });
  });

  it('answers other procedures and argument counts as MySQL does', () => {
    expect(() => parseStatement("CALL my_proc('x')")).toThrow(expect.objectContaining({ code: 'ER_SP_DOES_NOT_EXIST', message: 'PROCEDURE my_proc does not exist' }));
    expect(() => parseStatement("CALL system$fuse_amend('t')")).toThrow(
      expect.objectContaining({ code: 'ER_SP_WRONG_NO_OF_ARGS', message: 'Incorrect number of arguments for PROCEDURE system$fuse_amend; expected 2, got 1' }),
    );
    expect(() => parseStatement('CALL p(1 + 2)')).toThrow(expect.objectContaining({ code: 'ER_NOT_SUPPORTED_YET' }));
  });
});

describe('external tables', () => {
  it("reads Databend's location and CONNECTION after the column list, commas optional", () => {
    const s = parseStatement(
      "CREATE TABLE t(a INT) 's3://databend-doc/fail-safe/' CONNECTION = (access_key_id ='ak' secret_access_key ='sk', ENDPOINT_URL = 'http://h:1')",
    );
    expect(s).toMatchObject({
      kind: 'createTable',
      table: { name: 't' },
      external: { url: 's3://databend-doc/fail-safe/', connection: [['access_key_id', 'ak'], ['secret_access_key', 'sk'], ['endpoint_url', 'http://h:1']] },
    });
    expect(parseStatement("CREATE TABLE t (a INT) 'file:///data/t/' COMMENT 'x'")).toMatchObject({ external: { url: 'file:///data/t/', connection: [] }, options: { comment: 'x' } });
    expect(parseStatement('CREATE TABLE t (a INT)')).not.toHaveProperty('external');
  });

  it('refuses AS SELECT into a location', () => {
    expect(() => parseStatement("CREATE TABLE t 's3://b/p/' AS SELECT 1")).toThrow(expect.objectContaining({ code: 'ER_NOT_SUPPORTED_YET' }));
  });
});

describe('stages', () => {
  it('creates, drops and shows them', () => {
    expect(command("CREATE STAGE IF NOT EXISTS test_fail_safe URL = 's3://b/fail-safe/' CONNECTION = (access_key_id = 'a' secret_access_key = 's')")).toEqual({
      kind: 'createStage',
      name: 'test_fail_safe',
      ifNotExists: true,
      url: 's3://b/fail-safe/',
      connection: [['access_key_id', 'a'], ['secret_access_key', 's']],
    });
    expect(command("create stage s url='file:///x/'")).toMatchObject({ kind: 'createStage', ifNotExists: false, connection: [] });
    expect(command('DROP STAGE IF EXISTS s')).toEqual({ kind: 'dropStage', name: 's', ifExists: true });
    expect(command('SHOW STAGES')).toEqual({ kind: 'showStages' });
  });

  it('lists and removes under a path, with a PATTERN', () => {
    expect(command('LIST @s')).toEqual({ kind: 'listStage', at: { stage: 's', path: '' } });
    expect(command("list @s/data/2026/ PATTERN = '.*[.]csv'")).toEqual({ kind: 'listStage', at: { stage: 's', path: 'data/2026/' }, pattern: '.*[.]csv' });
    expect(command('REMOVE @test_fail_safe;')).toEqual({ kind: 'removeStage', at: { stage: 'test_fail_safe', path: '' } });
  });

  it('copies into a table with FILES, PATTERN and FILE_FORMAT in any order, with defaults', () => {
    expect(command("COPY INTO db.t FROM @s/in FILE_FORMAT = (TYPE = CSV, SKIP_HEADER = 1 FIELD_DELIMITER = ';') FILES = ('a.csv', 'b.csv')")).toEqual({
      kind: 'copyInto',
      table: { db: 'db', name: 't' },
      from: { stage: 's', path: 'in' },
      files: ['a.csv', 'b.csv'],
      format: { type: 'csv', skipHeader: 1, fieldDelimiter: ';', recordDelimiter: '\n', quote: '"', escape: '"', nullDisplay: '\\N' },
    });
    expect(command("COPY INTO t FROM @s PATTERN = '.*parquet'")).toEqual({ kind: 'copyInto', table: { name: 't' }, from: { stage: 's', path: '' }, pattern: '.*parquet', format: { type: 'parquet' } });
  });

  it('refuses options that do not fit', () => {
    const refused = (sql: string, message: RegExp): void => {
      expect(() => parseStatement(sql)).toThrow(expect.objectContaining({ code: 'ER_WRONG_ARGUMENTS', message: expect.stringMatching(message) as string }));
    };
    refused('COPY INTO t FROM @s FILE_FORMAT = (TYPE = JSON)', /Unknown file format type 'JSON'/);
    refused('COPY INTO t FROM @s FILE_FORMAT = (TYPE = PARQUET, SKIP_HEADER = 1)', /SKIP_HEADER does not apply to PARQUET/);
    refused("COPY INTO t FROM @s FILE_FORMAT = (TYPE = CSV, FIELD_DELIMITER = '::')", /one character/);
    refused("COPY INTO t FROM @s PATTERN = 'a' PATTERN = 'b'", /PATTERN is given twice/);
    refused("SELECT * FROM @s (FORMAT => 'csv')", /Unknown option FORMAT/);
  });

  it('reads staged files as a table in FROM', () => {
    const s = parseStatement("SELECT p.a FROM @s/in/ (FILE_FORMAT => 'csv', PATTERN => '.*') AS p JOIN t ON t.a = p.a");
    expect(s.kind === 'select' ? s.query.tables : []).toEqual([
      { refId: 1, name: 's', alias: 'p', stage: { at: { stage: 's', path: 'in/' }, format: 'csv', pattern: '.*' } },
      { refId: 2, name: 't' },
    ]);
    const plain = parseStatement('SELECT * FROM @s/x.parquet');
    expect(plain.kind === 'select' ? plain.query.tables[0]?.stage : undefined).toEqual({ at: { stage: 's', path: 'x.parquet' }, format: 'parquet' });
  });
});
