// SQL text reaches the log (failed and slow statements are logged with their text),
// and some statements carry credentials: CONNECTION = (secret_access_key = '...') of
// external tables and stages, Doris's PROPERTIES ("s3.secret_key" = "..."), IDENTIFIED
// BY '...', SET PASSWORD = '...'. The logger runs every `sql` field through this, so
// no caller has to remember to. A value is replaced when its key names a credential,
// quoted or bare, whatever the statement.

const CREDENTIAL_NAME = /secret|password|passwd|token|credential|access_key|encryption_key/i;
const QUOTED = String.raw`'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*"`;
// A key (quoted, back-quoted or bare) = a quoted value.
const ASSIGNMENT = new RegExp(String.raw`((?:${QUOTED}|\x60[^\x60]*\x60|[A-Za-z_][\w.]*)\s*=\s*)(${QUOTED})`, 'g');
const IDENTIFIED_BY = new RegExp(String.raw`(\bIDENTIFIED\s+(?:WITH\s+\w+\s+)?BY\s+)(${QUOTED})`, 'gi');

function masked(value: string): string {
  return value.startsWith('"') ? '"******"' : "'******'";
}

export function redactSqlSecrets(sql: string): string {
  return sql
    .replace(ASSIGNMENT, (whole: string, key: string, value: string) => (CREDENTIAL_NAME.test(key) ? `${key}${masked(value)}` : whole))
    .replace(IDENTIFIED_BY, (_whole: string, by: string, value: string) => `${by}${masked(value)}`);
}
