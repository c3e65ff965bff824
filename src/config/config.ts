// The server's configuration: one typed, frozen object built from flags, the
// environment and an optional TOML file (flags win over the environment, which
// wins over the file, which wins over the defaults). This is the only module
// that reads process.env.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse as parseToml, TomlError } from 'smol-toml';
import os from 'node:os';
import path from 'node:path';
import { parseEncryptionKey } from '../storage/encrypted-store.js';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The password plugins root can log in with. */
export const ROOT_AUTH_PLUGINS = ['mysql_native_password', 'caching_sha2_password'] as const;
export type RootAuthPlugin = (typeof ROOT_AUTH_PLUGINS)[number];

export interface TlsConfig {
  /** PEM files ('' for none). */
  readonly certFile: string;
  readonly keyFile: string;
  /** Generate a self-signed certificate at first start (into the cache dir unless files are named). */
  readonly selfSigned: boolean;
  readonly selfSignedDir: string;
  /** Refuse logins over plain connections. */
  readonly requireSecureTransport: boolean;
}

export interface S3Settings {
  readonly endpoint?: string;
  readonly region: string;
  readonly accessKeyId?: string;
  readonly secretAccessKey?: string;
  readonly forcePathStyle: boolean;
  /** Server-side encryption headers for stores that honour them (warehouse and repositories). */
  readonly serverSideEncryption?: { readonly mode: S3SseMode; readonly kmsKeyId?: string };
}

export const S3_SSE_MODES = ['AES256', 'aws:kms'] as const;
export type S3SseMode = (typeof S3_SSE_MODES)[number];

export interface Config {
  readonly host: string;
  readonly port: number;
  /** file:///abs/path or s3://bucket/prefix */
  readonly warehouse: string;
  readonly cacheDir: string;
  readonly cacheMaxBytes: number;
  readonly logLevel: LogLevel;
  /** Empty string: root logs in without a password. */
  readonly rootPassword: string;
  readonly rootAuthPlugin: RootAuthPlugin;
  readonly tls: TlsConfig;
  /** PEM RSA private key for caching_sha2_password without TLS; '' makes one per run. */
  readonly rsaPrivateKey: string;
  /** Failed logins from a host before its further attempts are delayed. */
  readonly loginDelayAfterFailures: number;
  /** Upper bound of that delay (0: never delay). */
  readonly loginMaxDelayMs: number;
  readonly maxConnections: number;
  readonly maxAllowedPacket: number;
  /** DuckDB memory limit, e.g. '4GB'; empty for DuckDB's default. */
  readonly duckdbMemoryLimit: string;
  readonly duckdbThreads: number;
  /** Merge a partition's small files once it has this many (0: no background compaction). */
  readonly compactionMinFiles: number;
  /** Files one BACKUP/RESTORE job copies at once. */
  readonly backupConcurrency: number;
  /** Bytes per second one BACKUP/RESTORE job may move (0: no limit). */
  readonly backupMaxBytesPerSecond: number;
  /** HTTP admin port (/healthz, /readyz, /metrics); undefined: off. */
  readonly adminPort?: number;
  readonly adminHost: string;
  /** Statements slower than this are logged as slow (0: every statement). */
  readonly slowQueryMs: number;
  /** On SIGTERM/SIGINT, how long running statements may finish before they are stopped. */
  readonly shutdownGraceMs: number;
  /** How long every committed state stays readable, unless a table sets data_retention_period_in_hours. */
  readonly retentionHours: number;
  /** VACUUM removes unreferenced files (of crashed or failed writes) only once they are this old. */
  readonly orphanGraceMinutes: number;
  /** Seconds between background vacuum runs (0: off). */
  readonly vacuumIntervalSeconds: number;
  /** For tests only: the server's clock runs this many seconds ahead (negative: behind) of the system clock. */
  readonly clockOffsetSeconds: number;
  readonly s3: S3Settings;
  /** AES-256 key that encrypts every object of the warehouse; absent: objects are stored as they are. */
  readonly encryptionKey?: Uint8Array;
}

interface OptionSpec {
  readonly flag: string;
  readonly env: string;
  readonly help: string;
  readonly default: string;
  readonly secret?: boolean;
}

export const OPTIONS = {
  config: { flag: '--config', env: 'DUCKSAFE_CONFIG', help: 'TOML file of options: keys are the flags without "--" (port = 3307)', default: '' },
  host: { flag: '--host', env: 'DUCKSAFE_HOST', help: 'address to listen on', default: '127.0.0.1' },
  port: { flag: '--port', env: 'DUCKSAFE_PORT', help: 'MySQL protocol port (0 picks a free one)', default: '3307' },
  warehouse: { flag: '--warehouse', env: 'DUCKSAFE_WAREHOUSE', help: 'storage root: a directory, file:///dir or s3://bucket/prefix', default: './data' },
  cacheDir: { flag: '--cache-dir', env: 'DUCKSAFE_CACHE_DIR', help: 'local cache and scratch space (default: a directory per warehouse under the OS temp dir)', default: '' },
  cacheMaxBytes: { flag: '--cache-max-bytes', env: 'DUCKSAFE_CACHE_MAX_BYTES', help: 'cache size limit in bytes', default: String(8 * 1024 ** 3) },
  logLevel: { flag: '--log-level', env: 'DUCKSAFE_LOG_LEVEL', help: `one of ${LOG_LEVELS.join(', ')}`, default: 'info' },
  rootPassword: { flag: '--root-password', env: 'DUCKSAFE_ROOT_PASSWORD', help: "password of the 'root' user", default: '', secret: true },
  rootAuthPlugin: { flag: '--root-auth-plugin', env: 'DUCKSAFE_ROOT_AUTH_PLUGIN', help: `root's password plugin: ${ROOT_AUTH_PLUGINS.join(' or ')}`, default: 'mysql_native_password' },
  tlsCert: { flag: '--tls-cert', env: 'DUCKSAFE_TLS_CERT', help: 'PEM certificate (chain) for TLS on the MySQL port', default: '' },
  tlsKey: { flag: '--tls-key', env: 'DUCKSAFE_TLS_KEY', help: 'PEM private key of --tls-cert', default: '' },
  tlsSelfSigned: { flag: '--tls-self-signed', env: 'DUCKSAFE_TLS_SELF_SIGNED', help: 'make a self-signed certificate at first start (at --tls-cert/--tls-key, else in the cache dir) and reuse it', default: 'false' },
  requireSecureTransport: { flag: '--require-secure-transport', env: 'DUCKSAFE_REQUIRE_SECURE_TRANSPORT', help: 'refuse logins that do not use TLS (error 3159)', default: 'false' },
  rsaPrivateKey: { flag: '--rsa-private-key', env: 'DUCKSAFE_RSA_PRIVATE_KEY', help: 'PEM RSA key for caching_sha2_password over plain connections (default: a new one per start)', default: '' },
  loginDelayAfterFailures: { flag: '--login-delay-after-failures', env: 'DUCKSAFE_LOGIN_DELAY_AFTER_FAILURES', help: 'failed logins from a host before its next attempts are delayed', default: '3' },
  loginMaxDelayMs: { flag: '--login-max-delay-ms', env: 'DUCKSAFE_LOGIN_MAX_DELAY_MS', help: 'longest delay for a host with failed logins, growing 1 s per failure (0: off)', default: '10000' },
  maxConnections: { flag: '--max-connections', env: 'DUCKSAFE_MAX_CONNECTIONS', help: 'connections accepted at once', default: '151' },
  maxAllowedPacket: { flag: '--max-allowed-packet', env: 'DUCKSAFE_MAX_ALLOWED_PACKET', help: 'largest client packet in bytes', default: String(64 * 1024 * 1024) },
  duckdbMemoryLimit: { flag: '--duckdb-memory-limit', env: 'DUCKSAFE_DUCKDB_MEMORY_LIMIT', help: "DuckDB memory limit, e.g. '4GB'", default: '' },
  duckdbThreads: { flag: '--duckdb-threads', env: 'DUCKSAFE_DUCKDB_THREADS', help: 'DuckDB worker threads (0: one per core)', default: '0' },
  compactionMinFiles: { flag: '--compaction-min-files', env: 'DUCKSAFE_COMPACTION_MIN_FILES', help: 'merge a partition in the background once it has this many small files (0: off)', default: '16' },
  backupConcurrency: { flag: '--backup-concurrency', env: 'DUCKSAFE_BACKUP_CONCURRENCY', help: 'files one BACKUP/RESTORE job copies at once', default: '8' },
  backupMaxBytesPerSecond: {
    flag: '--backup-max-bytes-per-second',
    env: 'DUCKSAFE_BACKUP_MAX_BYTES_PER_SECOND',
    help: 'bandwidth one BACKUP/RESTORE job may use (0: no limit)',
    default: '0',
  },
  adminPort: { flag: '--admin-port', env: 'DUCKSAFE_ADMIN_PORT', help: 'HTTP port for /healthz, /readyz and /metrics (0 picks a free one; empty: off)', default: '' },
  adminHost: { flag: '--admin-host', env: 'DUCKSAFE_ADMIN_HOST', help: 'address of the HTTP admin port (keep it on loopback unless it must be reached from elsewhere)', default: '127.0.0.1' },
  slowQueryMs: { flag: '--slow-query-ms', env: 'DUCKSAFE_SLOW_QUERY_MS', help: 'log statements slower than this many milliseconds', default: '2000' },
  shutdownGraceSeconds: { flag: '--shutdown-grace-seconds', env: 'DUCKSAFE_SHUTDOWN_GRACE_SECONDS', help: 'on SIGTERM/SIGINT, let running statements finish for this long', default: '30' },
  retentionHours: { flag: '--retention-hours', env: 'DUCKSAFE_RETENTION_HOURS', help: 'how long every committed state stays readable (tables may set data_retention_period_in_hours)', default: '168' },
  orphanGraceMinutes: { flag: '--orphan-grace-minutes', env: 'DUCKSAFE_ORPHAN_GRACE_MINUTES', help: 'VACUUM removes files no commit references only once they are this old', default: '60' },
  vacuumIntervalSeconds: { flag: '--vacuum-interval-seconds', env: 'DUCKSAFE_VACUUM_INTERVAL_SECONDS', help: 'seconds between background VACUUM runs over every database (0: off)', default: '3600' },
  clockOffsetSeconds: { flag: '--clock-offset-seconds', env: 'DUCKSAFE_CLOCK_OFFSET_SECONDS', help: 'FOR TESTING ONLY: run the server clock this many seconds ahead (negative: behind)', default: '0' },
  s3Endpoint: { flag: '--s3-endpoint', env: 'DUCKSAFE_S3_ENDPOINT', help: 'S3 endpoint URL for an s3:// warehouse', default: '' },
  s3Region: { flag: '--s3-region', env: 'DUCKSAFE_S3_REGION', help: 'S3 region', default: 'us-east-1' },
  s3AccessKey: { flag: '--s3-access-key', env: 'DUCKSAFE_S3_ACCESS_KEY', help: 'S3 access key (else the AWS default chain)', default: '' },
  s3SecretKey: { flag: '--s3-secret-key', env: 'DUCKSAFE_S3_SECRET_KEY', help: 'S3 secret key', default: '', secret: true },
  encryptionKey: { flag: '--encryption-key', env: 'DUCKSAFE_ENCRYPTION_KEY', help: 'encrypt the warehouse with AES-256-GCM under this 32-byte key (64 hex digits or base64); the same key is needed to read it', default: '', secret: true },
  s3Sse: { flag: '--s3-sse', env: 'DUCKSAFE_S3_SSE', help: 'ask S3 to encrypt every object it stores: AES256 or aws:kms (empty: the bucket default)', default: '' },
  s3SseKmsKeyId: { flag: '--s3-sse-kms-key-id', env: 'DUCKSAFE_S3_SSE_KMS_KEY_ID', help: 'the KMS key for --s3-sse aws:kms (empty: the account default)', default: '' },
  s3PathStyle: { flag: '--s3-path-style', env: 'DUCKSAFE_S3_PATH_STYLE', help: 'path-style S3 URLs (true for most S3-compatible stores)', default: 'true' },
} as const satisfies Record<string, OptionSpec>;

type OptionName = keyof typeof OPTIONS;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function helpText(): string {
  const lines = ['Usage: ducksafe [options]', '', 'Options (each also read from the environment variable shown):'];
  for (const spec of Object.values(OPTIONS)) {
    const def = spec.default === '' ? '' : ` (default: ${spec.default})`;
    lines.push(`  ${spec.flag.padEnd(24)} ${spec.env.padEnd(30)} ${spec.help}${def}`);
  }
  lines.push(`  ${'--help'.padEnd(24)} ${''.padEnd(30)} show this text`);
  lines.push('', 'Commands:', '  ducksafe jobs [--follow LABEL|ID]   list or follow BACKUP/RESTORE jobs of a running server (see ducksafe jobs --help)');
  return lines.join('\n');
}

/** Parses `--name value` and `--name=value` pairs; unknown flags are an error. */
function parseArgv(argv: readonly string[]): Map<OptionName, string> {
  const byFlag = new Map<string, OptionName>();
  for (const [name, spec] of Object.entries(OPTIONS)) byFlag.set(spec.flag, name as OptionName);
  const values = new Map<OptionName, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const eq = arg.indexOf('=');
    const flag = eq >= 0 ? arg.slice(0, eq) : arg;
    const name = byFlag.get(flag);
    if (name === undefined) throw new ConfigError(`unknown option '${flag}' (see --help)`);
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      i++;
    }
    if (eq < 0 && isBooleanOption(name) && (value === undefined || value.startsWith('--'))) {
      // A boolean flag on its own means true: `--tls-self-signed`.
      value = 'true';
      i--;
    }
    if (value === undefined) throw new ConfigError(`option ${flag} needs a value`);
    values.set(name, value);
  }
  return values;
}

function isBooleanOption(name: OptionName): boolean {
  const def: string = OPTIONS[name].default;
  return def === 'true' || def === 'false';
}

function integer(name: OptionName, raw: string, min: number, max: number): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new ConfigError(`option ${OPTIONS[name].flag}: '${raw}' is not an integer between ${min} and ${max}`);
  }
  return n;
}

function signedInteger(name: OptionName, raw: string, limit: number): number {
  const n = Number(raw);
  if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || Math.abs(n) > limit) {
    throw new ConfigError(`option ${OPTIONS[name].flag}: '${raw}' is not an integer between ${-limit} and ${limit}`);
  }
  return n;
}

function bool(name: OptionName, raw: string): boolean {
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new ConfigError(`option ${OPTIONS[name].flag}: '${raw}' is not true or false`);
}

function serverSideEncryption(mode: string, kmsKeyId: string): Pick<S3Settings, 'serverSideEncryption'> {
  if (mode === '') {
    if (kmsKeyId !== '') throw new ConfigError('option --s3-sse-kms-key-id needs --s3-sse aws:kms');
    return {};
  }
  if (!(S3_SSE_MODES as readonly string[]).includes(mode)) throw new ConfigError(`option --s3-sse: '${mode}' is not one of ${S3_SSE_MODES.join(', ')}`);
  if (kmsKeyId !== '' && mode !== 'aws:kms') throw new ConfigError('option --s3-sse-kms-key-id needs --s3-sse aws:kms');
  return { serverSideEncryption: { mode: mode as S3SseMode, ...(kmsKeyId === '' ? {} : { kmsKeyId }) } };
}

/** Normalises a warehouse location to file:///abs or s3://bucket/prefix. */
export function normaliseWarehouse(raw: string, cwd: string): string {
  if (raw.startsWith('s3://')) {
    const rest = raw.slice('s3://'.length);
    const bucket = rest.split('/')[0] ?? '';
    if (bucket === '') throw new ConfigError(`option --warehouse: '${raw}' names no bucket`);
    return 's3://' + rest.replace(/\/+$/, '');
  }
  if (raw.startsWith('file://')) {
    const p = raw.slice('file://'.length);
    if (!path.isAbsolute(p)) throw new ConfigError(`option --warehouse: '${raw}' must be an absolute file:/// URL`);
    return 'file://' + path.resolve(p);
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) throw new ConfigError(`option --warehouse: unsupported scheme in '${raw}' (use a directory, file:// or s3://)`);
  return 'file://' + path.resolve(cwd, raw);
}

/** Reads a TOML option file: top-level `flag-name = value` pairs, each checked against OPTIONS. */
export function parseConfigFile(text: string, file: string): Map<OptionName, string> {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text);
  } catch (err) {
    const where = err instanceof TomlError ? ` at line ${err.line}, column ${err.column}` : '';
    throw new ConfigError(`config file ${file}: not valid TOML${where}`);
  }
  const byKey = new Map<string, OptionName>();
  for (const [name, spec] of Object.entries(OPTIONS)) byKey.set(spec.flag.slice(2), name as OptionName);
  const values = new Map<OptionName, string>();
  for (const [key, value] of Object.entries(doc)) {
    const name = byKey.get(key);
    if (name === undefined || name === 'config') throw new ConfigError(`config file ${file}: unknown option '${key}' (see --help)`);
    if (typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) {
      values.set(name, String(value));
    } else if (typeof value === 'bigint') {
      values.set(name, value.toString());
    } else {
      throw new ConfigError(`config file ${file}: option '${key}' must be a string, number or boolean`);
    }
  }
  return values;
}

function readConfigFile(file: string, cwd: string): Map<OptionName, string> {
  const full = path.resolve(cwd, file);
  let text: string;
  try {
    text = readFileSync(full, 'utf8');
  } catch (err) {
    throw new ConfigError(`option --config: cannot read ${full} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  return parseConfigFile(text, full);
}

export function loadConfig(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const flags = parseArgv(argv);
  const configFile = flags.get('config') ?? env[OPTIONS.config.env] ?? '';
  const file = configFile === '' ? new Map<OptionName, string>() : readConfigFile(configFile, cwd);
  const get = (name: OptionName): string => flags.get(name) ?? env[OPTIONS[name].env] ?? file.get(name) ?? OPTIONS[name].default;

  const logLevel = get('logLevel');
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError(`option --log-level: '${logLevel}' is not one of ${LOG_LEVELS.join(', ')}`);
  }
  const warehouse = normaliseWarehouse(get('warehouse'), cwd);
  const cacheDirRaw = get('cacheDir');
  // Never inside a local warehouse: the store would see cache files as objects.
  const cacheDir =
    cacheDirRaw !== ''
      ? path.resolve(cwd, cacheDirRaw)
      : path.join(env.TMPDIR ?? os.tmpdir(), 'ducksafe-cache', createHash('sha256').update(warehouse).digest('hex').slice(0, 16));

  const s3: S3Settings = {
    region: get('s3Region'),
    forcePathStyle: bool('s3PathStyle', get('s3PathStyle')),
    ...(get('s3Endpoint') !== '' ? { endpoint: get('s3Endpoint') } : {}),
    ...(get('s3AccessKey') !== '' ? { accessKeyId: get('s3AccessKey') } : {}),
    ...(get('s3SecretKey') !== '' ? { secretAccessKey: get('s3SecretKey') } : {}),
    ...serverSideEncryption(get('s3Sse'), get('s3SseKmsKeyId')),
  };

  const rootAuthPlugin = get('rootAuthPlugin');
  if (!(ROOT_AUTH_PLUGINS as readonly string[]).includes(rootAuthPlugin)) {
    throw new ConfigError(`option --root-auth-plugin: '${rootAuthPlugin}' is not one of ${ROOT_AUTH_PLUGINS.join(', ')}`);
  }
  const filePath = (name: OptionName): string => (get(name) === '' ? '' : path.resolve(cwd, get(name)));
  const tls: TlsConfig = {
    certFile: filePath('tlsCert'),
    keyFile: filePath('tlsKey'),
    selfSigned: bool('tlsSelfSigned', get('tlsSelfSigned')),
    selfSignedDir: path.join(cacheDir, 'tls'),
    requireSecureTransport: bool('requireSecureTransport', get('requireSecureTransport')),
  };
  if (!tls.selfSigned && (tls.certFile === '') !== (tls.keyFile === '')) {
    throw new ConfigError('options --tls-cert and --tls-key go together (or use --tls-self-signed)');
  }
  if (tls.requireSecureTransport && !tls.selfSigned && tls.certFile === '') {
    throw new ConfigError('option --require-secure-transport needs TLS: give --tls-cert and --tls-key, or --tls-self-signed');
  }

  let encryptionKey: Uint8Array | undefined;
  if (get('encryptionKey') !== '') {
    try {
      encryptionKey = parseEncryptionKey(get('encryptionKey'));
    } catch (err) {
      throw new ConfigError(`option --encryption-key: ${(err as Error).message}`);
    }
  }

  return Object.freeze({
    host: get('host'),
    port: integer('port', get('port'), 0, 65535),
    warehouse,
    cacheDir,
    cacheMaxBytes: integer('cacheMaxBytes', get('cacheMaxBytes'), 1024 * 1024, Number.MAX_SAFE_INTEGER),
    logLevel: logLevel as LogLevel,
    rootPassword: get('rootPassword'),
    rootAuthPlugin: rootAuthPlugin as RootAuthPlugin,
    tls: Object.freeze(tls),
    rsaPrivateKey: filePath('rsaPrivateKey'),
    loginDelayAfterFailures: integer('loginDelayAfterFailures', get('loginDelayAfterFailures'), 0, 1_000_000),
    loginMaxDelayMs: integer('loginMaxDelayMs', get('loginMaxDelayMs'), 0, 3_600_000),
    maxConnections: integer('maxConnections', get('maxConnections'), 1, 100_000),
    maxAllowedPacket: integer('maxAllowedPacket', get('maxAllowedPacket'), 1024, 1024 ** 3),
    duckdbMemoryLimit: get('duckdbMemoryLimit'),
    duckdbThreads: integer('duckdbThreads', get('duckdbThreads'), 0, 1024),
    compactionMinFiles: integer('compactionMinFiles', get('compactionMinFiles'), 0, 1_000_000),
    backupConcurrency: integer('backupConcurrency', get('backupConcurrency'), 1, 256),
    backupMaxBytesPerSecond: integer('backupMaxBytesPerSecond', get('backupMaxBytesPerSecond'), 0, Number.MAX_SAFE_INTEGER),
    ...(get('adminPort').trim() === '' ? {} : { adminPort: integer('adminPort', get('adminPort'), 0, 65535) }),
    adminHost: get('adminHost'),
    slowQueryMs: integer('slowQueryMs', get('slowQueryMs'), 0, 86_400_000),
    shutdownGraceMs: integer('shutdownGraceSeconds', get('shutdownGraceSeconds'), 0, 86_400) * 1000,
    retentionHours: integer('retentionHours', get('retentionHours'), 1, 876_000),
    orphanGraceMinutes: integer('orphanGraceMinutes', get('orphanGraceMinutes'), 0, 525_600),
    vacuumIntervalSeconds: integer('vacuumIntervalSeconds', get('vacuumIntervalSeconds'), 0, 31_536_000),
    clockOffsetSeconds: signedInteger('clockOffsetSeconds', get('clockOffsetSeconds'), 3_153_600_000),
    s3: Object.freeze(s3),
    ...(encryptionKey === undefined ? {} : { encryptionKey }),
  });
}
