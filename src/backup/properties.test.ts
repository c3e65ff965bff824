import { describe, expect, it } from 'vitest';
import { isSqlError } from '../errors/registry.js';
import { backupOptions, restoreOptions, s3Settings } from './properties.js';

function errorOf(fn: () => unknown): { errno: number; message: string } {
  try {
    fn();
  } catch (err) {
    if (isSqlError(err)) return { errno: err.errno, message: err.message };
    throw err;
  }
  throw new Error('expected an error');
}

describe('BACKUP properties', () => {
  it('accepts type, timeout and replica keys, and echoes them', () => {
    expect(backupOptions([['type', 'full'], ['timeout', '60'], ['replication_num', '3']])).toEqual({
      timeoutSeconds: 60,
      echoed: { type: 'full', timeout: '60', replication_num: '3' },
    });
    expect(backupOptions([]).timeoutSeconds).toBe(86_400);
  });

  it('rejects unknown keys by name, with a hint for a mis-cased one', () => {
    expect(errorOf(() => backupOptions([['colour', 'red']]))).toMatchObject({ errno: 1210, message: expect.stringContaining('Unknown property "colour" for BACKUP SNAPSHOT') });
    expect(errorOf(() => backupOptions([['TIMEOUT', '5']])).message).toContain('did you mean "timeout"?');
  });

  it('checks values', () => {
    expect(errorOf(() => backupOptions([['timeout', '0']])).message).toContain('"timeout" must be a positive number of seconds');
    expect(errorOf(() => backupOptions([['type', 'incremental']])).errno).toBe(1235);
    expect(errorOf(() => backupOptions([['timeout', '5'], ['timeout', '6']])).message).toContain('given twice');
  });
});

describe('RESTORE properties', () => {
  it('needs a well-formed backup_timestamp', () => {
    expect(errorOf(() => restoreOptions([])).message).toContain('needs the property "backup_timestamp"');
    expect(errorOf(() => restoreOptions([['backup_timestamp', '2026-11-21 13:45:08']])).message).toContain('expected YYYY-MM-DD-HH-MM-SS');
  });

  it('accepts every Doris key, with defaults', () => {
    const o = restoreOptions([
      ['backup_timestamp', '2026-11-21-13-45-08'],
      ['replication_num', '2'],
      ['allow_load', 'TRUE'],
      ['reserve_replica', 'false'],
      ['meta_version', '-1'],
      ['atomic_restore', 'true'],
      ['force_replace', 'true'],
      ['clean_tables', 'false'],
      ['clean_partitions', 'false'],
      ['timeout', '30'],
    ]);
    expect(o).toMatchObject({
      backupTimestamp: '2026-11-21-13-45-08',
      timeoutSeconds: 30,
      forceReplace: true,
      cleanTables: false,
      allowLoad: true,
      replicationNum: '2',
      replicaAllocation: 'tag.location.default: 2',
    });
    expect(errorOf(() => restoreOptions([['backup_timestamp', '2026-11-21-13-45-08'], ['allow_load', 'maybe']])).message).toContain('"allow_load" must be "true" or "false"');
  });
});

describe('repository properties', () => {
  it('reads both Doris spellings and layers ALTER over CREATE', () => {
    const created = s3Settings([['s3.endpoint', 'http://h:9000'], ['AWS_ACCESS_KEY', 'a'], ['s3.secret_key', 'b'], ['use_path_style', 'false']], 'CREATE REPOSITORY');
    expect(created).toEqual({ endpoint: 'http://h:9000', accessKey: 'a', secretKey: 'b', pathStyle: false });
    expect(s3Settings([['AWS_ACCESS_KEY', 'c'], ['AWS_SECRET_KEY', 'd']], 'ALTER REPOSITORY', created)).toEqual({ ...created, accessKey: 'c', secretKey: 'd' });
  });

  it('refuses the same setting twice, half a key pair, and a bad endpoint', () => {
    expect(errorOf(() => s3Settings([['s3.access_key', 'a'], ['AWS_ACCESS_KEY', 'b']], 'X')).message).toContain('set the same thing');
    expect(errorOf(() => s3Settings([['s3.access_key', 'a']], 'X')).message).toContain('needs both "s3.access_key" and "s3.secret_key"');
    expect(errorOf(() => s3Settings([['s3.endpoint', 'ftp://x']], 'X')).message).toContain('http:// or https://');
    expect(errorOf(() => s3Settings([['s3.bucket', 'x']], 'CREATE REPOSITORY')).message).toContain('Unknown property "s3.bucket" for CREATE REPOSITORY');
  });
});
