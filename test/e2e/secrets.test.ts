// Secrets never leave the server: a server given every kind of secret (root password,
// encryption key, S3 keys in repositories, stages and external tables, user passwords,
// statements that fail while carrying a secret) never writes one to its log, never shows
// one in SHOW output, and never puts one in an error message. (This server has no
// information_schema database to query.)
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, startServer, tempDir, type ServerProcess } from '../helpers/server-process.js';
import { registerSecret } from '../helpers/run-log.js';
import { s3TestAvailability } from '../helpers/s3-env.js';

const s3 = s3TestAvailability();
// A real endpoint answers wrong credentials with AccessDenied; without one, a closed port refuses.
const ENDPOINT = s3.available ? s3.settings.endpoint : 'http://127.0.0.1:9';
const ACCESS_KEY = s3.available ? s3.settings.accessKeyId : 'AKIDNOTREAL';

function secret(label: string): string {
  return `${label}${randomBytes(8).toString('hex')}`;
}

const SECRETS = {
  root: secret('rootpw'),
  encryption: randomBytes(32).toString('hex'),
  repository: secret('reposecret'),
  repositoryKey: randomBytes(32).toString('hex'),
  stage: secret('stagesecret'),
  external: secret('extsecret'),
  user: secret('userpw'),
  userChanged: secret('userpw2'),
  failing: secret('failpw'),
  unknownProperty: secret('propsecret'),
  syntax: secret('synpw'),
} as const;
for (const [kind, value] of Object.entries(SECRETS)) registerSecret(`secrets.test ${kind}`, value);

describe('secrets', () => {
  let dir: string;
  let server: ServerProcess;
  let c: mysql.Connection;
  /** Every message of every error the statements below produced. */
  const errors: string[] = [];
  /** Every SHOW and information_schema answer, as text. */
  const shown: string[] = [];

  async function run(sql: string): Promise<void> {
    try {
      await c.query(sql);
    } catch (err) {
      errors.push(String((err as Error).message));
    }
  }

  async function show(sql: string): Promise<void> {
    try {
      const [rows] = await c.query<RowDataPacket[]>(sql);
      shown.push(JSON.stringify(rows));
    } catch (err) {
      errors.push(String((err as Error).message));
    }
  }

  beforeAll(async () => {
    dir = await tempDir('secrets');
    server = await startServer({ args: ['--root-password', SECRETS.root, '--encryption-key', SECRETS.encryption] });
    c = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root', password: SECRETS.root });
    await run('CREATE DATABASE s');
    await run('USE s');
    await run(`CREATE USER alice IDENTIFIED BY '${SECRETS.user}'`);
    await run(`ALTER USER alice IDENTIFIED BY '${SECRETS.userChanged}'`);
    // Fails (alice exists) while carrying a password.
    await run(`CREATE USER alice IDENTIFIED BY '${SECRETS.failing}'`);
    await run(`CREATE USER bob IDENTIFIED BY '${SECRETS.syntax}' WITH GARBAGE`);
    await run(`CREATE REPOSITORY r1 WITH S3 ON LOCATION "s3://ducksafe-no-such-bucket/p"
      PROPERTIES ("s3.endpoint" = "${ENDPOINT}", "s3.access_key" = "${ACCESS_KEY}", "s3.secret_key" = "${SECRETS.repository}", "encryption_key" = "${SECRETS.repositoryKey}")`);
    await run(`CREATE REPOSITORY r2 WITH S3 ON LOCATION "s3://ducksafe-bucket/p"
      PROPERTIES ("s3.secret_key" = "${SECRETS.unknownProperty}", "s3.colour" = "blue")`);
    await run(`CREATE REPOSITORY r3 WITH LOCAL ON LOCATION "file://${dir}/repo" PROPERTIES ("encryption_key" = "${SECRETS.repositoryKey}")`);
    await run(`CREATE STAGE st URL = 's3://ducksafe-no-such-bucket/stage/'
      CONNECTION = (access_key_id = '${ACCESS_KEY}', secret_access_key = '${SECRETS.stage}', endpoint_url = '${ENDPOINT}')`);
    await run('LIST @st');
    await run(`CREATE TABLE ext (a INT) 's3://ducksafe-no-such-bucket/ext/'
      CONNECTION = (access_key_id = '${ACCESS_KEY}', secret_access_key = '${SECRETS.external}', endpoint_url = '${ENDPOINT}')`);
    const login = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'alice', password: SECRETS.user }).catch((err: unknown) => err);
    if (login instanceof Error) errors.push(login.message);
    else await (login as mysql.Connection).end();
    for (const q of [
      'SHOW REPOSITORIES',
      'SHOW STAGES',
      'SHOW CREATE TABLE ext',
      'SHOW GRANTS FOR alice',
      'SHOW VARIABLES',
      'SHOW TABLES',
      'SHOW DATABASES',
    ]) {
      await show(q);
    }
  }, 120_000);

  afterAll(async () => {
    await c?.end();
    await server?.stop();
    if (dir !== undefined) await removeDir(dir);
  });

  it('ran the statements that carry secrets (some were meant to fail)', () => {
    expect(errors.some((e) => e.includes("Operation CREATE USER failed for 'alice'"))).toBe(true);
    expect(errors.some((e) => e.includes('SignatureDoesNotMatch') || e.includes('cannot be used'))).toBe(true);
    expect(errors.some((e) => e.includes('Unknown property "s3.colour"'))).toBe(true);
    expect(shown.some((t) => t.includes('r3'))).toBe(true);
    expect(server.logs.length).toBeGreaterThan(10);
  });

  it.each(Object.entries(SECRETS))('never logs, shows or reports the %s secret', (_label, value) => {
    const logText = JSON.stringify(server.logs);
    expect(logText.includes(value), 'in the log').toBe(false);
    expect(shown.filter((t) => t.includes(value)), 'in SHOW output').toEqual([]);
    expect(errors.filter((e) => e.includes(value)), 'in an error message').toEqual([]);
  });
});
