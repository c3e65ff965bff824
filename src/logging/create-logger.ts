// The only place that knows pino. Secrets are redacted by key name wherever they
// appear in a logged object, so a careless `log.info({ config })` cannot leak one,
// and inside the SQL text logged under `sql`.
import { pino } from 'pino';
import type { Logger } from './logger.js';
import { redactSqlSecrets } from './redact-sql.js';

const SECRET_PATHS = [
  'password',
  'rootPassword',
  'secretAccessKey',
  'secret_access_key',
  'secretKey',
  '*.password',
  '*.rootPassword',
  '*.secretAccessKey',
  '*.secret_access_key',
  '*.secretKey',
  '*.*.secretAccessKey',
  '*.*.secretKey',
  '"s3.secret_key"',
  '*["s3.secret_key"]',
  'encryptionKey',
  '*.encryptionKey',
  '*.*.encryptionKey',
  'encryption_key',
  '*.encryption_key',
  'sessionToken',
  '*.sessionToken',
  '*.*.sessionToken',
];

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options = {
    level,
    base: { pid: process.pid },
    redact: { paths: SECRET_PATHS, censor: '[redacted]' },
    formatters: {
      log: (object: Record<string, unknown>): Record<string, unknown> =>
        typeof object.sql === 'string' ? { ...object, sql: redactSqlSecrets(object.sql) } : object,
    },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}
