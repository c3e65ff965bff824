// SQL text reaches the log (a failed statement is logged with its text), and some
// statements carry credentials: CONNECTION = (secret_access_key = '...') of external
// tables and stages, Doris's PROPERTIES ("s3.secret_key" = "..."), IDENTIFIED BY '...'.
// Their values are replaced before the text is logged.

const QUOTED = String.raw`'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*"`;
const SECRET_ASSIGNMENT = new RegExp(
  String.raw`((?:\b(?:access_key_id|secret_access_key|session_token)|["'\x60]s3\.(?:access_key|secret_key)["'\x60])\s*=\s*|\bIDENTIFIED\s+(?:WITH\s+\w+\s+)?BY\s+)(${QUOTED})`,
  'gi',
);

export function redactSqlSecrets(sql: string): string {
  return sql.replace(SECRET_ASSIGNMENT, (_match, lead: string, value: string) => `${lead}${value.startsWith('"') ? '"******"' : "'******'"}`);
}
