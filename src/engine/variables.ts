// System variables with MySQL's names and defaults. Values live in two places:
// the global map here (per server process) and a session's overrides in
// Session.variables. Reading @@x returns the session value, else the global one.
import { sqlError } from '../errors/registry.js';
import { normalizeTimeZone } from '../sql/parse/index.js';
import type { Session, VariableValue } from '../server/session.js';

export const SERVER_VERSION = '8.0.36-ducksafe-0.1.0';
export const VERSION_COMMENT = 'ducksafe 0.1.0 - MySQL protocol over Parquet on versioned storage';

type Scope = 'both' | 'global' | 'session';
type Kind = 'int' | 'string' | 'bool';

interface VariableSpec {
  readonly scope: Scope;
  readonly kind: Kind;
  readonly value: VariableValue;
  readonly readOnly?: boolean;
  /** Allowed values for string variables (compared case-insensitively). */
  readonly choices?: readonly string[];
}

const v = (scope: Scope, kind: Kind, value: VariableValue, extra: Partial<VariableSpec> = {}): VariableSpec => ({
  scope,
  kind,
  value,
  ...extra,
});

/** transaction_isolation's values; what each does is in transaction.ts. */
export const ISOLATION_LEVELS = ['READ-UNCOMMITTED', 'READ-COMMITTED', 'REPEATABLE-READ', 'SERIALIZABLE'] as const;
export type IsolationLevel = (typeof ISOLATION_LEVELS)[number];

export const SYSTEM_VARIABLES: Readonly<Record<string, VariableSpec>> = {
  auto_increment_increment: v('both', 'int', 1),
  auto_increment_offset: v('both', 'int', 1),
  autocommit: v('both', 'bool', 1),
  character_set_client: v('both', 'string', 'utf8mb4'),
  character_set_connection: v('both', 'string', 'utf8mb4'),
  character_set_database: v('both', 'string', 'utf8mb4'),
  character_set_filesystem: v('both', 'string', 'binary'),
  character_set_results: v('both', 'string', 'utf8mb4'),
  character_set_server: v('both', 'string', 'utf8mb4'),
  character_set_system: v('global', 'string', 'utf8mb3', { readOnly: true }),
  collation_connection: v('both', 'string', 'utf8mb4_0900_ai_ci'),
  collation_database: v('both', 'string', 'utf8mb4_0900_ai_ci'),
  collation_server: v('both', 'string', 'utf8mb4_0900_ai_ci'),
  default_storage_engine: v('both', 'string', 'DUCKSAFE'),
  default_week_format: v('both', 'int', 0),
  div_precision_increment: v('both', 'int', 4),
  explicit_defaults_for_timestamp: v('both', 'bool', 1),
  foreign_key_checks: v('both', 'bool', 1),
  group_concat_max_len: v('both', 'int', 1024),
  have_ssl: v('global', 'string', 'DISABLED', { readOnly: true }),
  init_connect: v('global', 'string', ''),
  interactive_timeout: v('both', 'int', 28800),
  lc_messages: v('both', 'string', 'en_US'),
  lc_time_names: v('both', 'string', 'en_US'),
  license: v('global', 'string', 'Apache-2.0', { readOnly: true }),
  lower_case_table_names: v('global', 'int', 2, { readOnly: true }),
  max_allowed_packet: v('both', 'int', 67108864),
  max_connections: v('global', 'int', 151),
  max_execution_time: v('both', 'int', 0),
  net_buffer_length: v('both', 'int', 16384),
  net_read_timeout: v('both', 'int', 30),
  net_write_timeout: v('both', 'int', 60),
  performance_schema: v('global', 'bool', 0, { readOnly: true }),
  protocol_version: v('global', 'int', 10, { readOnly: true }),
  query_cache_size: v('global', 'int', 0),
  query_cache_type: v('both', 'string', 'OFF'),
  read_only: v('global', 'bool', 0),
  // Set from --require-secure-transport; the listener reads the option, not this variable.
  require_secure_transport: v('global', 'bool', 0, { readOnly: true }),
  session_track_gtids: v('both', 'string', 'OFF'),
  session_track_schema: v('both', 'bool', 1),
  session_track_state_change: v('both', 'bool', 0),
  session_track_system_variables: v('both', 'string', 'time_zone,autocommit,character_set_client,character_set_results,character_set_connection'),
  session_track_transaction_info: v('both', 'string', 'OFF'),
  sql_auto_is_null: v('both', 'bool', 0),
  // Without ONLY_FULL_GROUP_BY, as MariaDB: a grouped SELECT may name any column (see the translator's Grouping).
  sql_mode: v('both', 'string', 'STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'),
  sql_notes: v('both', 'bool', 1),
  sql_quote_show_create: v('both', 'bool', 1),
  sql_safe_updates: v('both', 'bool', 0),
  sql_select_limit: v('both', 'int', 18446744073709551615n),
  sql_warnings: v('both', 'bool', 0),
  storage_engine: v('both', 'string', 'DUCKSAFE'),
  // The server process's zone: what time_zone 'SYSTEM' means (DuckDB's default TimeZone too).
  system_time_zone: v('global', 'string', Intl.DateTimeFormat().resolvedOptions().timeZone, { readOnly: true }),
  time_zone: v('both', 'string', 'SYSTEM'),
  transaction_isolation: v('both', 'string', 'REPEATABLE-READ', { choices: ISOLATION_LEVELS }),
  transaction_read_only: v('both', 'bool', 0),
  tx_isolation: v('both', 'string', 'REPEATABLE-READ', { choices: ISOLATION_LEVELS }),
  tx_read_only: v('both', 'bool', 0),
  unique_checks: v('both', 'bool', 1),
  version: v('global', 'string', SERVER_VERSION, { readOnly: true }),
  version_comment: v('global', 'string', VERSION_COMMENT, { readOnly: true }),
  version_compile_machine: v('global', 'string', process.arch === 'x64' ? 'x86_64' : process.arch, { readOnly: true }),
  version_compile_os: v('global', 'string', process.platform === 'linux' ? 'Linux' : process.platform, { readOnly: true }),
  wait_timeout: v('both', 'int', 28800),
  // Values computed from the session; listed so SHOW VARIABLES and @@x know them.
  hostname: v('global', 'string', '', { readOnly: true }),
  port: v('global', 'int', 0, { readOnly: true }),
  warning_count: v('session', 'int', 0, { readOnly: true }),
  error_count: v('session', 'int', 0, { readOnly: true }),
  identity: v('session', 'int', 0),
  last_insert_id: v('session', 'int', 0),
  timestamp: v('session', 'int', 0),
};

/** Variables whose name differs but which hold one value. */
const ALIASES: Readonly<Record<string, string>> = { tx_isolation: 'transaction_isolation', tx_read_only: 'transaction_read_only' };

export class Variables {
  private readonly globals = new Map<string, VariableValue>();

  constructor(serverFacts: { hostname: string; port: number; maxAllowedPacket: number; maxConnections: number }) {
    for (const [name, spec] of Object.entries(SYSTEM_VARIABLES)) this.globals.set(name, spec.value);
    this.globals.set('hostname', serverFacts.hostname);
    this.globals.set('port', serverFacts.port);
    this.globals.set('max_allowed_packet', serverFacts.maxAllowedPacket);
    this.globals.set('max_connections', serverFacts.maxConnections);
  }

  /** Facts only known after start-up (the bound port). */
  setServerFact(name: 'port' | 'hostname' | 'have_ssl' | 'require_secure_transport', value: VariableValue): void {
    this.globals.set(name, value);
  }

  private spec(name: string): { name: string; spec: VariableSpec } {
    const lower = ALIASES[name.toLowerCase()] ?? name.toLowerCase();
    const spec = SYSTEM_VARIABLES[lower];
    if (spec === undefined) throw sqlError('ER_UNKNOWN_SYSTEM_VARIABLE', `Unknown system variable '${name}'`);
    return { name: lower, spec };
  }

  get(session: Session, name: string, scope: 'session' | 'global' | 'default'): VariableValue {
    const { name: key, spec } = this.spec(name);
    if (scope === 'global' && spec.scope === 'session') {
      throw sqlError('ER_WRONG_USAGE', `Variable '${name}' is a SESSION variable`);
    }
    if (scope === 'session' && spec.scope === 'global') {
      throw sqlError('ER_WRONG_USAGE', `Variable '${name}' is a GLOBAL variable`);
    }
    switch (key) {
      case 'autocommit':
        if (scope !== 'global') return session.autocommit ? 1 : 0;
        break;
      case 'warning_count':
        // MySQL counts every condition here, errors included (SHOW COUNT(*) WARNINGS).
        return session.warnings.length;
      case 'error_count':
        return session.warnings.filter((w) => w.level === 'Error').length;
      case 'identity':
      case 'last_insert_id':
        return session.lastInsertId;
      case 'timestamp':
        return Math.floor(Date.now() / 1000);
      default:
        break;
    }
    if (scope !== 'global' && session.variables.has(key)) return session.variables.get(key) ?? null;
    return this.globals.get(key) ?? null;
  }

  /** Applies SET; `value` undefined means DEFAULT. Returns the stored value. */
  set(session: Session, name: string, scope: 'session' | 'global' | 'default', value: VariableValue | undefined): VariableValue {
    const { name: key, spec } = this.spec(name);
    if (spec.readOnly === true) {
      throw sqlError('ER_WRONG_USAGE', `Variable '${name}' is a read only variable`);
    }
    const target = scope === 'global' ? 'global' : 'session';
    if (target === 'global' && spec.scope === 'session') throw sqlError('ER_WRONG_USAGE', `Variable '${name}' is a SESSION variable and can't be used with SET GLOBAL`);
    if (target === 'session' && spec.scope === 'global') throw sqlError('ER_WRONG_USAGE', `Variable '${name}' is a GLOBAL variable and should be set with SET GLOBAL`);
    const coerced = value === undefined ? (target === 'global' ? spec.value : (this.globals.get(key) ?? spec.value)) : coerce(name, spec, value);
    const normalised = key === 'time_zone' ? timeZone(coerced) : coerced;
    if (target === 'global') this.globals.set(key, normalised);
    else if (key === 'autocommit') session.autocommit = normalised === 1;
    else if (key === 'identity' || key === 'last_insert_id') session.lastInsertId = BigInt(normalised ?? 0);
    else session.variables.set(key, normalised);
    for (const [alias, real] of Object.entries(ALIASES)) {
      if (real === key && target === 'session') session.variables.set(alias, normalised);
      if (alias === key && target === 'session') session.variables.set(real, normalised);
    }
    return normalised;
  }

  /** Every variable with its value for the session (SHOW VARIABLES). */
  all(session: Session, scope: 'session' | 'global' | 'default'): [string, VariableValue][] {
    const out: [string, VariableValue][] = [];
    for (const [name, spec] of Object.entries(SYSTEM_VARIABLES)) {
      if (scope === 'global' && spec.scope === 'session') continue;
      out.push([name, this.get(session, name, scope === 'global' ? 'global' : spec.scope === 'global' ? 'global' : 'session')]);
    }
    return out.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  }
}

/** time_zone: as MySQL accepts and shows it (normalizeTimeZone), else ER_UNKNOWN_TIME_ZONE. */
function timeZone(value: VariableValue): string {
  const text = String(value ?? '');
  const zone = normalizeTimeZone(text);
  if (zone === undefined) throw sqlError('ER_UNKNOWN_TIME_ZONE', `Unknown or incorrect time zone: '${text}'`);
  return zone;
}

function coerce(name: string, spec: VariableSpec, value: VariableValue): VariableValue {
  const wrong = (): never => {
    throw sqlError('ER_WRONG_VALUE_FOR_VAR', `Variable '${name}' can't be set to the value of '${String(value)}'`);
  };
  switch (spec.kind) {
    case 'bool': {
      if (typeof value === 'string') {
        const s = value.toUpperCase();
        if (s === 'ON' || s === 'TRUE' || s === '1') return 1;
        if (s === 'OFF' || s === 'FALSE' || s === '0') return 0;
        return wrong();
      }
      if (value === 1 || value === 1n) return 1;
      if (value === 0 || value === 0n) return 0;
      return wrong();
    }
    case 'int': {
      if (typeof value === 'bigint') return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value.trim());
      throw sqlError('ER_WRONG_TYPE_FOR_VAR', `Incorrect argument type to variable '${name}'`);
    }
    case 'string': {
      if (value === null) return wrong();
      const s = String(value);
      if (spec.choices !== undefined) {
        const hit = spec.choices.find((c) => c.toLowerCase() === s.toLowerCase().replace(/ /g, '-'));
        return hit ?? wrong();
      }
      return s;
    }
    default: {
      const never: never = spec.kind;
      return never;
    }
  }
}
