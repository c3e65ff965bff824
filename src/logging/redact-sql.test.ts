import { describe, expect, it } from 'vitest';
import { redactSqlSecrets } from './redact-sql.js';

describe('redactSqlSecrets', () => {
  it('hides the credentials of CONNECTION clauses, Doris properties and passwords', () => {
    expect(redactSqlSecrets("CREATE STAGE s URL = 's3://b/p/' CONNECTION = (access_key_id = 'AKIA', SECRET_ACCESS_KEY='it''s \\' secret', endpoint_url = 'http://h')")).toBe(
      "CREATE STAGE s URL = 's3://b/p/' CONNECTION = (access_key_id = '******', SECRET_ACCESS_KEY='******', endpoint_url = 'http://h')",
    );
    expect(redactSqlSecrets('PROPERTIES ("s3.access_key" = "ak", "s3.secret_key"="sk", "s3.region" = "r")')).toBe(
      'PROPERTIES ("s3.access_key" = "******", "s3.secret_key"="******", "s3.region" = "r")',
    );
    expect(redactSqlSecrets('PROPERTIES ("encryption_key" = "00ff", "timeout" = "60")')).toBe('PROPERTIES ("encryption_key" = "******", "timeout" = "60")');
    expect(redactSqlSecrets("CREATE USER u IDENTIFIED BY 'pw'")).toBe("CREATE USER u IDENTIFIED BY '******'");
    expect(redactSqlSecrets("CREATE USER u IDENTIFIED WITH caching_sha2_password BY 'pw'")).toBe("CREATE USER u IDENTIFIED WITH caching_sha2_password BY '******'");
    expect(redactSqlSecrets("SET PASSWORD = 'pw'")).toBe("SET PASSWORD = '******'");
  });

  it('hides any property whose name says it is a secret, quoted or not', () => {
    const sql = `CREATE REPOSITORY r WITH S3 ON LOCATION "s3://b/p" PROPERTIES ("s3.endpoint" = "http://h:1", 'AWS_SECRET_KEY'='x\\'y', "s3.session_token"="tok", \`my_password\` = 'p')`;
    const out = redactSqlSecrets(sql);
    expect(out).not.toMatch(/x\\'y|tok"|'p'/);
    expect(out).toContain(`'AWS_SECRET_KEY'='******'`);
    expect(out).toContain('"s3.session_token"="******"');
    expect(out).toContain("`my_password` = '******'");
    expect(out).toContain('"s3.endpoint" = "http://h:1"');
  });

  it('leaves other text alone', () => {
    const sql = "SELECT 'secret_access_key' AS k, access_key_id FROM t WHERE x = 'y'";
    expect(redactSqlSecrets(sql)).toBe(sql);
    expect(redactSqlSecrets('SELECT 1')).toBe('SELECT 1');
  });
});
