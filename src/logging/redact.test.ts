import { describe, expect, it } from 'vitest';
import { redactSecrets } from './redact.js';

describe('redactSecrets', () => {
  it('hides the values of secret properties and keeps the rest', () => {
    const sql = `CREATE REPOSITORY r WITH S3 ON LOCATION "s3://b/p" PROPERTIES ("s3.endpoint" = "http://h:1", "s3.access_key" = "AK", "s3.secret_key" = "S3CR3T", 'AWS_SECRET_KEY'='x\\'y', "s3.session_token"="tok")`;
    const out = redactSecrets(sql);
    expect(out).not.toMatch(/S3CR3T|x\\'y|tok"/);
    expect(out).toContain('"s3.secret_key" = "[redacted]"');
    expect(out).toContain(`'AWS_SECRET_KEY'='[redacted]'`);
    expect(out).toContain('"s3.endpoint" = "http://h:1"');
    expect(out).toContain('"s3.access_key" = "AK"');
  });

  it('hides connection secrets and passwords', () => {
    expect(redactSecrets("CREATE STAGE s URL='s3://b/' CONNECTION = (access_key_id = 'a', secret_access_key = 'zz')")).toBe(
      "CREATE STAGE s URL='s3://b/' CONNECTION = (access_key_id = 'a', secret_access_key = '[redacted]')",
    );
    expect(redactSecrets("CREATE USER u IDENTIFIED BY 'pw'")).toBe("CREATE USER u IDENTIFIED BY '[redacted]'");
    expect(redactSecrets("SET PASSWORD = 'pw'")).toBe("SET PASSWORD = '[redacted]'");
    expect(redactSecrets("SELECT 'secret' = 'x'")).toBe("SELECT 'secret' = '[redacted]'");
    expect(redactSecrets('SELECT 1')).toBe('SELECT 1');
  });
});
