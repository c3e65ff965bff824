// Statement text goes to the log when a statement fails; secrets written in it
// (PROPERTIES ("s3.secret_key" = "..."), CONNECTION = (secret_access_key = '...'),
// IDENTIFIED BY '...') must not go with it. Values of keys that name a secret are
// replaced wherever they appear, quoted or not, whatever the statement.

const SECRET_NAME = /secret|password|passwd|token|credential/i;
const QUOTED = `'(?:[^'\\\\]|\\\\.|'')*'|"(?:[^"\\\\]|\\\\.|"")*"`;
// A key (quoted or bare) = a quoted value.
const ASSIGNMENT = new RegExp(`((?:${QUOTED}|\`[^\`]*\`|[A-Za-z_][\\w.]*)\\s*=\\s*)(${QUOTED})`, 'g');
const IDENTIFIED_BY = new RegExp(`(IDENTIFIED\\s+(?:WITH\\s+\\S+\\s+)?BY\\s+)(${QUOTED})`, 'gi');

export function redactSecrets(sql: string): string {
  return sql
    .replace(ASSIGNMENT, (whole: string, key: string, value: string) => (SECRET_NAME.test(key) ? `${key}${value[0] ?? "'"}[redacted]${value[0] ?? "'"}` : whole))
    .replace(IDENTIFIED_BY, (_whole: string, by: string, value: string) => `${by}${value[0] ?? "'"}[redacted]${value[0] ?? "'"}`);
}
