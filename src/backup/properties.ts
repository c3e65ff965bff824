// PROPERTIES of the backup statements, checked against what each statement accepts:
// an unknown key is an error that names it, values are validated, and replica-related
// keys (which mean nothing with one copy on object storage) are accepted and echoed.
import { sqlError } from '../errors/registry.js';
import type { Properties } from '../sql/backup-statement.js';

/** Doris's default job timeout: one day. */
export const DEFAULT_TIMEOUT_SECONDS = 86_400;

function keyList(keys: readonly string[]): string {
  return keys.map((k) => `"${k}"`).join(', ');
}

/** The properties as a map, refusing duplicates and keys outside `allowed` (compared case-sensitively, as Doris does). */
export function checkProperties(properties: Properties, allowed: readonly string[], statement: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const [key, value] of properties) {
    if (!allowed.includes(key)) {
      const hint = allowed.find((a) => a.toLowerCase() === key.toLowerCase());
      throw sqlError(
        'ER_WRONG_ARGUMENTS',
        `Unknown property "${key}" for ${statement}${hint === undefined ? '' : ` (did you mean "${hint}"?)`}; accepted: ${keyList(allowed)}`,
      );
    }
    if (map.has(key)) throw sqlError('ER_WRONG_ARGUMENTS', `Property "${key}" is given twice in ${statement}`);
    map.set(key, value);
  }
  return map;
}

export function booleanProperty(map: ReadonlyMap<string, string>, key: string, fallback: boolean): boolean {
  const value = map.get(key);
  if (value === undefined) return fallback;
  const lower = value.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  throw sqlError('ER_WRONG_ARGUMENTS', `Property "${key}" must be "true" or "false", not "${value}"`);
}

export function timeoutProperty(map: ReadonlyMap<string, string>): number {
  const value = map.get('timeout');
  if (value === undefined) return DEFAULT_TIMEOUT_SECONDS;
  if (!/^\d{1,9}$/.test(value.trim()) || Number(value) <= 0) {
    throw sqlError('ER_WRONG_ARGUMENTS', `Property "timeout" must be a positive number of seconds, not "${value}"`);
  }
  return Number(value);
}

function positiveInteger(map: ReadonlyMap<string, string>, key: string): void {
  const value = map.get(key);
  if (value !== undefined && (!/^\d{1,4}$/.test(value) || Number(value) <= 0)) {
    throw sqlError('ER_WRONG_ARGUMENTS', `Property "${key}" must be a positive integer, not "${value}"`);
  }
}

// ---- repositories -------------------------------------------------------------------

/** Doris spells the S3 settings two ways; both name the same setting. */
const S3_ALIASES = {
  's3.endpoint': 'endpoint',
  AWS_ENDPOINT: 'endpoint',
  's3.region': 'region',
  AWS_REGION: 'region',
  's3.access_key': 'accessKey',
  AWS_ACCESS_KEY: 'accessKey',
  's3.secret_key': 'secretKey',
  AWS_SECRET_KEY: 'secretKey',
  's3.session_token': 'sessionToken',
  AWS_TOKEN: 'sessionToken',
  use_path_style: 'pathStyle',
  's3.use_path_style': 'pathStyle',
} as const;
type S3Setting = (typeof S3_ALIASES)[keyof typeof S3_ALIASES];
export const S3_REPOSITORY_KEYS = Object.keys(S3_ALIASES) as (keyof typeof S3_ALIASES)[];

export interface S3Settings {
  readonly endpoint?: string;
  readonly region?: string;
  readonly accessKey?: string;
  readonly secretKey?: string;
  readonly sessionToken?: string;
  readonly pathStyle?: boolean;
}

/** The S3 settings a repository's PROPERTIES give, later ones (ALTER) layered over `base`. */
export function s3Settings(properties: Properties, statement: string, base: S3Settings = {}): S3Settings {
  const map = checkProperties(properties, S3_REPOSITORY_KEYS, statement);
  const seen = new Map<S3Setting, string>();
  const out: { -readonly [K in keyof S3Settings]: S3Settings[K] } = { ...base };
  for (const [key, value] of map) {
    const setting = S3_ALIASES[key as keyof typeof S3_ALIASES];
    const earlier = seen.get(setting);
    if (earlier !== undefined) throw sqlError('ER_WRONG_ARGUMENTS', `Properties "${earlier}" and "${key}" set the same thing in ${statement}`);
    seen.set(setting, key);
    if (setting === 'pathStyle') {
      out.pathStyle = booleanProperty(map, key, true);
      continue;
    }
    if (value.trim() === '') throw sqlError('ER_WRONG_ARGUMENTS', `Property "${key}" may not be empty`);
    if (setting === 'endpoint' && !/^https?:\/\/[^\s/]+/.test(value)) {
      throw sqlError('ER_WRONG_ARGUMENTS', `Property "${key}" must be an http:// or https:// URL, not "${value}"`);
    }
    out[setting] = value.trim();
  }
  if ((out.accessKey === undefined) !== (out.secretKey === undefined)) {
    throw sqlError('ER_WRONG_ARGUMENTS', `${statement} needs both "s3.access_key" and "s3.secret_key", or neither (then the server's default credentials are used)`);
  }
  return out;
}

// ---- jobs ---------------------------------------------------------------------------

/** Replica settings mean nothing with one copy on object storage; Doris scripts set them, so they are echoed. */
const BACKUP_KEYS = ['type', 'timeout', 'content', 'replication_num', 'replication_allocation'] as const;

export interface BackupOptions {
  readonly timeoutSeconds: number;
  /** Every property as given, for the manifest and SHOW. */
  readonly echoed: Readonly<Record<string, string>>;
}

export function backupOptions(properties: Properties): BackupOptions {
  const map = checkProperties(properties, BACKUP_KEYS, 'BACKUP SNAPSHOT');
  const type = map.get('type');
  if (type !== undefined && type.toLowerCase() !== 'full') {
    throw sqlError('ER_NOT_SUPPORTED_YET', `Backup type "${type}" is not supported: every backup is "full" (unchanged files are still copied only once)`);
  }
  const content = map.get('content');
  if (content !== undefined && content.toLowerCase() !== 'all') {
    throw sqlError('ER_NOT_SUPPORTED_YET', `Backup content "${content}" is not supported: only "all"`);
  }
  positiveInteger(map, 'replication_num');
  return { timeoutSeconds: timeoutProperty(map), echoed: Object.fromEntries(map) };
}

const RESTORE_KEYS = [
  'backup_timestamp',
  'timeout',
  'replication_num',
  'replication_allocation',
  'allow_load',
  'reserve_replica',
  'reserve_dynamic_partition_enable',
  'meta_version',
  'atomic_restore',
  'force_replace',
  'clean_tables',
  'clean_partitions',
] as const;

export interface RestoreOptions {
  readonly backupTimestamp: string;
  readonly timeoutSeconds: number;
  /** Replace an existing table whose definition differs from the backup's. */
  readonly forceReplace: boolean;
  /** Drop the target database's tables that the snapshot does not hold. */
  readonly cleanTables: boolean;
  readonly allowLoad: boolean;
  readonly replicationNum: string;
  readonly replicaAllocation: string;
  readonly reserveReplica: boolean;
  readonly reserveDynamicPartitionEnable: boolean;
  readonly echoed: Readonly<Record<string, string>>;
}

export const SNAPSHOT_TIMESTAMP = /^\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}$/;

export function restoreOptions(properties: Properties): RestoreOptions {
  const map = checkProperties(properties, RESTORE_KEYS, 'RESTORE SNAPSHOT');
  const backupTimestamp = map.get('backup_timestamp');
  if (backupTimestamp === undefined) {
    throw sqlError('ER_WRONG_ARGUMENTS', 'RESTORE SNAPSHOT needs the property "backup_timestamp" (see SHOW SNAPSHOT ON <repository>)');
  }
  if (!SNAPSHOT_TIMESTAMP.test(backupTimestamp)) {
    throw sqlError('ER_WRONG_ARGUMENTS', `Invalid "backup_timestamp" "${backupTimestamp}": expected YYYY-MM-DD-HH-MM-SS`);
  }
  positiveInteger(map, 'replication_num');
  const metaVersion = map.get('meta_version');
  if (metaVersion !== undefined && !/^-?\d+$/.test(metaVersion)) {
    throw sqlError('ER_WRONG_ARGUMENTS', `Property "meta_version" must be an integer, not "${metaVersion}"`);
  }
  booleanProperty(map, 'atomic_restore', true);
  booleanProperty(map, 'clean_partitions', false);
  const replicationNum = map.get('replication_num') ?? '1';
  return {
    backupTimestamp,
    timeoutSeconds: timeoutProperty(map),
    forceReplace: booleanProperty(map, 'force_replace', false),
    cleanTables: booleanProperty(map, 'clean_tables', false),
    allowLoad: booleanProperty(map, 'allow_load', false),
    replicationNum,
    replicaAllocation: map.get('replication_allocation') ?? `tag.location.default: ${replicationNum}`,
    reserveReplica: booleanProperty(map, 'reserve_replica', false),
    reserveDynamicPartitionEnable: booleanProperty(map, 'reserve_dynamic_partition_enable', false),
    echoed: Object.fromEntries(map),
  };
}
