// One log file and one secrets file for the whole test run ([H]): every line any server
// started by a test prints is appended to the first, every secret a test hands a server
// to the second, and global teardown fails the run when a secret appears in the log.
// Global setup creates both files and names them in the environment, which the test
// workers (started after it) inherit.
import { appendFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

export const RUN_LOG_ENV = 'DUCKSAFE_TEST_LOG_FILE';
export const RUN_SECRETS_ENV = 'DUCKSAFE_TEST_SECRETS_FILE';

// A shorter value would be found by chance in timestamps, ids and hex digests.
const MIN_SECRET_LENGTH = 6;

/** Appends server output to the run's log; without global setup (one file run alone) there is none. */
export function appendRunLog(text: string): void {
  const file = process.env[RUN_LOG_ENV];
  if (file !== undefined && file !== '') appendFileSync(file, text.endsWith('\n') ? text : `${text}\n`);
}

/**
 * Records a secret a test gives the server (kind: what it is, e.g. 'root password'), so the
 * run's teardown checks no server ever logged it. Returns the value, to wrap a literal.
 */
export function registerSecret(kind: string, value: string): string {
  if (value.length < MIN_SECRET_LENGTH) throw new Error(`secret '${kind}' is shorter than ${MIN_SECRET_LENGTH} characters: the run-wide log check could not tell it from chance`);
  const file = process.env[RUN_SECRETS_ENV];
  if (file !== undefined && file !== '') appendFileSync(file, `${JSON.stringify({ kind, value })}\n`);
  return value;
}

/** The kinds (never the values) of the registered secrets that appear in the run's log. */
export async function leakedSecretKinds(logFile: string, secretsFile: string): Promise<{ kinds: string[]; checked: number }> {
  const log = await readFile(logFile, 'utf8');
  const secrets = (await readFile(secretsFile, 'utf8'))
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as { kind: string; value: string });
  // A value is also looked for as JSON escapes it, since the log lines are JSON.
  const kinds = secrets.filter((s) => log.includes(s.value) || log.includes(JSON.stringify(s.value).slice(1, -1))).map((s) => s.kind);
  return { kinds: [...new Set(kinds)], checked: secrets.length };
}
