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
