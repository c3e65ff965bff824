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
