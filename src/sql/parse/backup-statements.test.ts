// The backup and restore statements ([D], SQL-REFERENCE.md "Backup and restore"):
// each form with its exact parsed shape, and the errors a user meets on the way.
import { describe, expect, it } from 'vitest';
import { isSqlError, type ErrorName } from '../../errors/registry.js';
import type { BackupAdminStatement } from '../statement.js';
import { parseStatement } from './index.js';

function admin(sql: string): BackupAdminStatement {
  const statement = parseStatement(sql);
  if (statement.kind !== 'backupAdmin') throw new Error(`${sql} parsed as ${statement.kind}`);
  return statement.admin;
}

function failure(sql: string): { code: ErrorName; errno: number; message: string } {
  try {
    parseStatement(sql);
  } catch (err) {
    if (!isSqlError(err)) throw err;
    return { code: err.code, errno: err.errno, message: err.message };
  }
  throw new Error(`${sql} did not fail`);
}

/** The ER_PARSE_ERROR message for a statement that goes wrong at `text` on `line`. */
const near = (text: string, line = 1) =>
  `You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near '${text}' at line ${line}`;

const syntax = (text: string, line = 1) => ({ code: 'ER_PARSE_ERROR', errno: 1064, message: near(text, line) });

describe('repositories', () => {
  it('creates an S3 repository with the properties as written, in order', () => {
    const sql = `CREATE READ ONLY REPOSITORY backups
      WITH S3 ON LOCATION "s3://bucket/prefix"
      PROPERTIES ("s3.endpoint" = "http://host:9000", "s3.region" = "us-east-1",
                  "s3.access_key" = "AK", "s3.secret_key" = "SK",
                  "use_path_style" = "true");`;
    expect(parseStatement(sql)).toEqual({
      kind: 'backupAdmin',
      paramCount: 0,
      admin: {
        kind: 'createRepository',
        name: 'backups',
        readOnly: true,
        storage: 's3',
        location: 's3://bucket/prefix',
        properties: [
          ['s3.endpoint', 'http://host:9000'],
          ['s3.region', 'us-east-1'],
          ['s3.access_key', 'AK'],
          ['s3.secret_key', 'SK'],
          ['use_path_style', 'true'],
        ],
      },
    });
  });

  it('creates a local repository without properties, in any case and quoting', () => {
    expect(admin(`CREATE REPOSITORY r WITH LOCAL ON LOCATION "file:///var/backups"`)).toEqual({
      kind: 'createRepository',
      name: 'r',
      readOnly: false,
      storage: 'local',
      location: 'file:///var/backups',
      properties: [],
    });
    expect(admin("create repository `my repo` with s3 on location 's3://b/it''s' properties ('S3.Region' = 'eu')")).toEqual({
      kind: 'createRepository',
      name: 'my repo',
      readOnly: false,
      storage: 's3',
      location: "s3://b/it's",
      properties: [['S3.Region', 'eu']],
    });
  });

  it('refuses the Doris repository kinds it cannot serve as not supported, not as bad syntax', () => {
    expect(failure('CREATE REPOSITORY bos WITH BROKER bos_broker ON LOCATION "bos://b/p" PROPERTIES ("bos_endpoint" = "x")')).toEqual({
      code: 'ER_NOT_SUPPORTED_YET',
      errno: 1235,
      message: "This version of ducksafe doesn't yet support 'CREATE REPOSITORY ... WITH BROKER'",
    });
    expect(failure("create read only repository h with hdfs on location 'hdfs://nn/p'")).toMatchObject({
      code: 'ER_NOT_SUPPORTED_YET',
      message: expect.stringContaining('WITH HDFS') as string,
    });
  });

  it('alters, drops and lists repositories', () => {
    expect(admin(`ALTER REPOSITORY r PROPERTIES ("s3.access_key" = "new", 's3.secret_key' = "s")`)).toEqual({
      kind: 'alterRepository',
      name: 'r',
      properties: [
        ['s3.access_key', 'new'],
        ['s3.secret_key', 's'],
      ],
    });
    expect(admin('drop repository `r`')).toEqual({ kind: 'dropRepository', name: 'r' });
    expect(admin('SHOW REPOSITORIES')).toEqual({ kind: 'showRepositories' });
    expect(admin('show Repositories ;')).toEqual({ kind: 'showRepositories' });
  });

  it('points at what is missing', () => {
    expect(failure('ALTER REPOSITORY r')).toEqual(syntax(''));
    expect(failure('CREATE REPOSITORY r WITH S3 PROPERTIES ("a" = "b")')).toEqual(syntax('PROPERTIES ("a" = "b")'));
    expect(failure('CREATE REPOSITORY r WITH S3 ON LOCATION s3_bucket')).toEqual(syntax('s3_bucket'));
  });

  it('refuses a name longer than MySQL allows', () => {
    expect(failure(`DROP REPOSITORY ${'r'.repeat(65)}`)).toMatchObject({ code: 'ER_TOO_LONG_IDENT' });
  });
});

describe('PROPERTIES', () => {
  it('keeps keys as written and takes numbers and TRUE/FALSE as their text', () => {
    expect(admin(`BACKUP SNAPSHOT d.l TO r PROPERTIES ("Timeout" = 3600, "type" = 'full', 'x' = TRUE, "y" = false)`)).toMatchObject({
      properties: [
        ['Timeout', '3600'],
        ['type', 'full'],
        ['x', 'true'],
        ['y', 'false'],
      ],
    });
  });

  it('refuses a key given twice, naming it', () => {
    expect(failure(`BACKUP SNAPSHOT d.l TO r PROPERTIES ("timeout" = "1", "type" = "full", 'timeout' = "2")`)).toEqual({
      code: 'ER_DUP_ARGUMENT',
      errno: 1225,
      message: "Property 'timeout' used twice in PROPERTIES",
    });
    // Keys are compared as written, as Doris compares them.
    expect(admin(`ALTER REPOSITORY r PROPERTIES ("timeout" = "1", "TIMEOUT" = "2")`)).toMatchObject({ properties: [['timeout', '1'], ['TIMEOUT', '2']] });
  });

  it('points at a missing value, an empty list and a missing comma', () => {
    expect(failure(`BACKUP SNAPSHOT d.l TO r PROPERTIES ("type" = )`)).toEqual(syntax(')'));
    expect(failure(`BACKUP SNAPSHOT d.l TO r PROPERTIES ("type")`)).toEqual(syntax(')'));
    expect(failure(`BACKUP SNAPSHOT d.l TO r PROPERTIES ()`)).toEqual(syntax(')'));
    expect(failure(`BACKUP SNAPSHOT d.l TO r PROPERTIES ("a" = "1" "b" = "2")`)).toEqual(syntax('"b" = "2")'));
    expect(failure(`BACKUP SNAPSHOT d.l TO r PROPERTIES (type = "full")`)).toEqual(syntax('type = "full")'));
  });
});

describe('BACKUP SNAPSHOT', () => {
  it('backs up a whole database, named or the session one', () => {
    expect(admin('BACKUP SNAPSHOT shop.nightly TO repo')).toEqual({
      kind: 'backup',
      db: 'shop',
      label: 'nightly',
      repository: 'repo',
      scope: { kind: 'all' },
      properties: [],
    });
    expect(admin('backup snapshot `nightly 2` to `repo`;')).toEqual({
      kind: 'backup',
      label: 'nightly 2',
      repository: 'repo',
      scope: { kind: 'all' },
      properties: [],
    });
  });

  it('backs up listed tables and partitions', () => {
    expect(admin(`BACKUP SNAPSHOT shop.l TO repo ON (t1 PARTITION (p1, p2), \`t2\`) PROPERTIES ("type" = "full", "timeout" = "3600")`)).toEqual({
      kind: 'backup',
      db: 'shop',
      label: 'l',
      repository: 'repo',
      scope: { kind: 'on', tables: [{ table: 't1', partitions: ['p1', 'p2'] }, { table: 't2' }] },
      properties: [
        ['type', 'full'],
        ['timeout', '3600'],
      ],
    });
  });

  it('backs up all tables but the excluded ones', () => {
    expect(admin('Backup Snapshot shop.l To repo Exclude (t3, `t 4`)')).toEqual({
      kind: 'backup',
      db: 'shop',
      label: 'l',
      repository: 'repo',
      scope: { kind: 'exclude', tables: ['t3', 't 4'] },
      properties: [],
    });
  });

  it('refuses a table listed twice (names compare case-insensitively)', () => {
    expect(failure('BACKUP SNAPSHOT d.l TO r ON (t1 PARTITION (p1), T1 PARTITION (p2))')).toEqual({
      code: 'ER_NONUNIQ_TABLE',
      errno: 1066,
      message: "Not unique table/alias: 'T1'",
    });
    expect(failure('BACKUP SNAPSHOT d.l TO r EXCLUDE (a, b, a)')).toMatchObject({ code: 'ER_NONUNIQ_TABLE', message: "Not unique table/alias: 'a'" });
  });

  it('points at the first thing that is wrong', () => {
    // Missing TO repo.
    expect(failure('BACKUP SNAPSHOT shop.l ON (t)')).toEqual(syntax('ON (t)'));
    expect(failure('BACKUP SNAPSHOT shop.l TO')).toEqual(syntax(''));
    // Missing label.
    expect(failure('BACKUP SNAPSHOT TO repo')).toEqual(syntax('TO repo'));
    // An unclosed ON list, over several lines.
    expect(failure('BACKUP SNAPSHOT shop.l TO repo\nON (t1,\n    t2')).toEqual(syntax('', 3));
    expect(failure('BACKUP SNAPSHOT shop.l TO repo ON (t1 t2)')).toEqual(syntax('t2)'));
    expect(failure('BACKUP SNAPSHOT shop.l TO repo ON ()')).toEqual(syntax(')'));
    expect(failure('BACKUP SNAPSHOT shop.l TO repo ON (t1 PARTITION p1)')).toEqual(syntax('p1)'));
    // Renaming is for RESTORE only; ON and EXCLUDE do not combine.
    expect(failure('BACKUP SNAPSHOT shop.l TO repo ON (t1 AS t2)')).toEqual(syntax('AS t2)'));
    expect(failure('BACKUP SNAPSHOT shop.l TO repo ON (t1) EXCLUDE (t2)')).toEqual(syntax('EXCLUDE (t2)'));
    expect(failure('BACKUP SNAPSHOT shop.l TO repo EXCLUDE (t1 PARTITION (p1))')).toEqual(syntax('PARTITION (p1))'));
    expect(failure('BACKUP shop.l TO repo')).toEqual(syntax('shop.l TO repo'));
  });
});

describe('SHOW BACKUP and CANCEL BACKUP', () => {
  it('filters on SnapshotName with = or LIKE', () => {
    expect(admin('SHOW BACKUP')).toEqual({ kind: 'showBackup' });
    expect(admin('SHOW BACKUP FROM shop WHERE SnapshotName = "nightly"')).toEqual({ kind: 'showBackup', db: 'shop', where: { op: '=', value: 'nightly' } });
    expect(admin("show backup in `shop` where snapshotname like 'night%'")).toEqual({ kind: 'showBackup', db: 'shop', where: { op: 'like', value: 'night%' } });
    expect(admin('SHOW BACKUP WHERE `SNAPSHOTNAME` = "x"')).toEqual({ kind: 'showBackup', where: { op: '=', value: 'x' } });
  });

  it('refuses another WHERE column by name', () => {
    expect(failure('SHOW BACKUP WHERE Label = "x"')).toEqual({
      code: 'ER_BAD_FIELD_ERROR',
      errno: 1054,
      message: `Unknown column 'Label' in 'where clause': SHOW BACKUP filters on SnapshotName = "..." or SnapshotName LIKE "..."`,
    });
    expect(failure('SHOW BACKUP WHERE State = "FINISHED"')).toMatchObject({ code: 'ER_BAD_FIELD_ERROR', message: expect.stringContaining("'State'") as string });
  });

  it('points at a WHERE that is not a single comparison with a string', () => {
    expect(failure('SHOW BACKUP WHERE SnapshotName = nightly')).toEqual(syntax('nightly'));
    expect(failure('SHOW BACKUP WHERE SnapshotName = "a" AND SnapshotName = "b"')).toEqual(syntax('AND SnapshotName = "b"'));
    expect(failure('SHOW BACKUP FROM')).toEqual(syntax(''));
  });

  it('cancels the backup of the session database or a named one', () => {
    expect(admin('CANCEL BACKUP')).toEqual({ kind: 'cancelBackup' });
    expect(admin('cancel backup from `shop`')).toEqual({ kind: 'cancelBackup', db: 'shop' });
    expect(failure('CANCEL BACKUP shop')).toEqual(syntax('shop'));
  });
});

describe('SHOW SNAPSHOT and DROP SNAPSHOT', () => {
  it('lists the snapshots of a repository, by label and timestamp', () => {
    expect(admin('SHOW SNAPSHOT ON repo')).toEqual({ kind: 'showSnapshot', repository: 'repo' });
    expect(admin('SHOW SNAPSHOT ON repo WHERE SNAPSHOT = "nightly"')).toEqual({ kind: 'showSnapshot', repository: 'repo', snapshot: 'nightly' });
    expect(admin(`show snapshot on \`repo\` where snapshot = 'nightly' and timestamp = "2026-11-21-13-45-08"`)).toEqual({
      kind: 'showSnapshot',
      repository: 'repo',
      snapshot: 'nightly',
      timestamp: '2026-11-21-13-45-08',
    });
    // Either order, as Doris accepts.
    expect(admin('SHOW SNAPSHOT ON repo WHERE TIMESTAMP = "t" AND SNAPSHOT = "l"')).toEqual({ kind: 'showSnapshot', repository: 'repo', snapshot: 'l', timestamp: 't' });
  });

  it('refuses a WHERE that does not name one snapshot the documented way', () => {
    expect(failure('SHOW SNAPSHOT ON repo WHERE Label = "l"')).toEqual({
      code: 'ER_BAD_FIELD_ERROR',
      errno: 1054,
      message: "Unknown column 'Label' in 'where clause': SHOW SNAPSHOT filters on SNAPSHOT and TIMESTAMP",
    });
    expect(failure('SHOW SNAPSHOT ON repo WHERE TIMESTAMP = "t"')).toMatchObject({ code: 'ER_WRONG_USAGE', errno: 1221 });
    expect(failure('SHOW SNAPSHOT ON repo WHERE SNAPSHOT = "a" AND snapshot = "b"')).toEqual({
      code: 'ER_DUP_ARGUMENT',
      errno: 1225,
      message: "Column 'snapshot' used twice in the WHERE clause of SHOW SNAPSHOT",
    });
    expect(failure('SHOW SNAPSHOT ON repo WHERE SNAPSHOT LIKE "a%"')).toEqual(syntax('LIKE "a%"'));
    expect(failure('SHOW SNAPSHOT repo')).toEqual(syntax('repo'));
  });

  it('drops a snapshot, or one backup of it by timestamp', () => {
    expect(admin('DROP SNAPSHOT nightly ON repo')).toEqual({ kind: 'dropSnapshot', repository: 'repo', label: 'nightly' });
    expect(admin("drop snapshot `nightly` on repo where timestamp = '2026-11-21-13-45-08'")).toEqual({
      kind: 'dropSnapshot',
      repository: 'repo',
      label: 'nightly',
      timestamp: '2026-11-21-13-45-08',
    });
    expect(failure('DROP SNAPSHOT nightly ON repo WHERE SNAPSHOT = "nightly"')).toEqual({
      code: 'ER_BAD_FIELD_ERROR',
      errno: 1054,
      message: "Unknown column 'SNAPSHOT' in 'where clause': DROP SNAPSHOT filters on TIMESTAMP",
    });
    expect(failure('DROP SNAPSHOT nightly')).toEqual(syntax(''));
  });
});

describe('RESTORE SNAPSHOT', () => {
  it('restores with every documented property, in order', () => {
    const sql = `RESTORE SNAPSHOT shop.nightly FROM repo
      PROPERTIES ("backup_timestamp" = "2026-11-21-13-45-08", "timeout" = "3600", "replication_num" = "1",
                  "allow_load" = "false", "reserve_replica" = "true", "meta_version" = "1", "atomic_restore" = "true",
                  "force_replace" = "false", "clean_tables" = "false", "clean_partitions" = "false")`;
    expect(admin(sql)).toEqual({
      kind: 'restore',
      db: 'shop',
      label: 'nightly',
      repository: 'repo',
      scope: { kind: 'all' },
      properties: [
        ['backup_timestamp', '2026-11-21-13-45-08'],
        ['timeout', '3600'],
        ['replication_num', '1'],
        ['allow_load', 'false'],
        ['reserve_replica', 'true'],
        ['meta_version', '1'],
        ['atomic_restore', 'true'],
        ['force_replace', 'false'],
        ['clean_tables', 'false'],
        ['clean_partitions', 'false'],
      ],
    });
  });

  it('restores listed tables and partitions, under new names', () => {
    expect(admin(`restore snapshot nightly from repo on (t as t_new, \`t2\` partition (p1) as \`t2 new\`, t3) properties ('backup_timestamp' = 'ts')`)).toEqual({
      kind: 'restore',
      label: 'nightly',
      repository: 'repo',
      scope: { kind: 'on', tables: [{ table: 't', as: 't_new' }, { table: 't2', partitions: ['p1'], as: 't2 new' }, { table: 't3' }] },
      properties: [['backup_timestamp', 'ts']],
    });
    expect(admin('RESTORE SNAPSHOT shop.l FROM repo EXCLUDE (t3) PROPERTIES ("backup_timestamp" = "ts")')).toMatchObject({
      scope: { kind: 'exclude', tables: ['t3'] },
    });
    // Two tables may trade names.
    expect(admin('RESTORE SNAPSHOT shop.l FROM repo ON (a AS b, b AS a) PROPERTIES ("backup_timestamp" = "ts")')).toMatchObject({
      scope: { kind: 'on', tables: [{ table: 'a', as: 'b' }, { table: 'b', as: 'a' }] },
    });
  });

  it('refuses two tables restored under one name', () => {
    expect(failure('RESTORE SNAPSHOT shop.l FROM repo ON (t1 AS t2, t2) PROPERTIES ("backup_timestamp" = "ts")')).toEqual({
      code: 'ER_NONUNIQ_TABLE',
      errno: 1066,
      message: "Not unique table/alias: 't2'",
    });
    expect(failure('RESTORE SNAPSHOT shop.l FROM repo ON (t1 AS a, t1 AS b)')).toMatchObject({ code: 'ER_NONUNIQ_TABLE', message: "Not unique table/alias: 't1'" });
  });

  it('points at the first thing that is wrong', () => {
    expect(failure('RESTORE SNAPSHOT shop.l TO repo')).toEqual(syntax('TO repo'));
    expect(failure('RESTORE SNAPSHOT shop.l FROM repo ON (t AS) PROPERTIES ("backup_timestamp" = "ts")')).toEqual(
      syntax(') PROPERTIES ("backup_timestamp" = "ts")'),
    );
    expect(failure('RESTORE SNAPSHOT shop.l FROM repo PROPERTIES ("backup_timestamp" = "ts"')).toEqual(syntax(''));
  });
});

describe('SHOW RESTORE and CANCEL RESTORE', () => {
  it('filters on Label, in full or BRIEF', () => {
    expect(admin('SHOW RESTORE')).toEqual({ kind: 'showRestore', brief: false });
    expect(admin('SHOW BRIEF RESTORE FROM shop')).toEqual({ kind: 'showRestore', brief: true, db: 'shop' });
    expect(admin('show restore from shop where label = "nightly"')).toEqual({ kind: 'showRestore', brief: false, db: 'shop', where: { op: '=', value: 'nightly' } });
    expect(admin("SHOW BRIEF RESTORE WHERE Label LIKE 'n%'")).toEqual({ kind: 'showRestore', brief: true, where: { op: 'like', value: 'n%' } });
  });

  it('refuses another WHERE column by name', () => {
    expect(failure('SHOW RESTORE WHERE SnapshotName = "x"')).toEqual({
      code: 'ER_BAD_FIELD_ERROR',
      errno: 1054,
      message: `Unknown column 'SnapshotName' in 'where clause': SHOW RESTORE filters on Label = "..." or Label LIKE "..."`,
    });
  });

  it('cancels the restore of the session database or a named one', () => {
    expect(admin('CANCEL RESTORE')).toEqual({ kind: 'cancelRestore' });
    expect(admin('CANCEL RESTORE FROM shop;')).toEqual({ kind: 'cancelRestore', db: 'shop' });
    expect(failure('CANCEL RESTORE FROM')).toEqual(syntax(''));
  });
});

describe('around the other statements', () => {
  it('reaches the grammar from every first word, comments and all', () => {
    expect(admin('/* nightly */ BACKUP -- job\n SNAPSHOT shop.l TO repo')).toMatchObject({ kind: 'backup', label: 'l' });
    expect(failure('BACKUP')).toEqual(syntax(''));
    expect(failure('RESTORE')).toEqual(syntax(''));
    expect(failure('CANCEL')).toEqual(syntax(''));
    expect(failure('CANCEL LOAD')).toEqual(syntax('LOAD'));
  });

  it('leaves the MySQL statements that share their first words as they were', () => {
    expect(parseStatement('SHOW TABLES FROM shop')).toMatchObject({ kind: 'show', show: { kind: 'tables', db: 'shop' } });
    expect(parseStatement('SHOW STATUS')).toMatchObject({ kind: 'show', show: { kind: 'status' } });
    expect(parseStatement('DROP TABLE snapshot')).toMatchObject({ kind: 'dropTable', tables: [{ name: 'snapshot' }] });
    expect(parseStatement('CREATE TABLE repository (a INT)')).toMatchObject({ kind: 'createTable', table: { name: 'repository' } });
    expect(parseStatement('ALTER TABLE backup ADD restore INT')).toMatchObject({ kind: 'alterTable', table: { name: 'backup' } });
    expect(parseStatement('SELECT backup, restore, snapshot FROM repositories')).toMatchObject({ kind: 'select' });
    expect(failure('SHOW BACKUPS')).toEqual(syntax('BACKUPS'));
    expect(failure('CREATE TABLE t (a INT')).toEqual(syntax(''));
  });
});
