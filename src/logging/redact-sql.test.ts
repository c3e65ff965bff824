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
    expect(redactSqlSecrets("CREATE USER u IDENTIFIED BY 'pw'")).toBe("CREATE USER u IDENTIFIED BY '******'");
  });

  it('leaves other text alone', () => {
    const sql = "SELECT 'secret_access_key' AS k, access_key_id FROM t WHERE x = 'y'";
    expect(redactSqlSecrets(sql)).toBe(sql);
  });
});
