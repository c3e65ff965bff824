// What the catalog keeps about things that live at a location of their own, reached
// with credentials of their own ([E]): external tables (their commit log and data are at
// the location) and stages (named places to list, load from and remove). Credentials are
// stored here, in the catalog, and never shown back: `masked` is what SHOW prints.
import { sqlError } from '../../errors/registry.js';
import type { ConnectionOptions } from '../../sql/failsafe-statement.js';

/** Databend's CONNECTION option names for S3-compatible storage. */
export const CONNECTION_OPTIONS = ['access_key_id', 'secret_access_key', 'session_token', 'endpoint_url', 'region'] as const;
export type ConnectionOption = (typeof CONNECTION_OPTIONS)[number];

const SECRET_OPTIONS: ReadonlySet<ConnectionOption> = new Set(['access_key_id', 'secret_access_key', 'session_token']);
const MASK = '******';

export type Connection = Readonly<Partial<Record<ConnectionOption, string>>>;

export interface Location {
  /** s3://bucket/prefix/ or file:///absolute/path/ (always ending in '/'). */
  readonly url: string;
  readonly connection: Connection;
}

export interface ExternalTableEntry {
  /** The table's id, which is also the id of its own commit log at the location. */
  readonly id: string;
  readonly dbId: string;
  /** Kept here as well as in the table's log, so the table can be found when its log is gone. */
  readonly name: string;
  readonly location: Location;
  readonly createdAt: string;
  readonly dropped?: { readonly at: string };
}

export interface StageEntry {
  readonly name: string;
  readonly location: Location;
  readonly createdAt: string;
  readonly creator: string;
}

function isConnectionOption(name: string): name is ConnectionOption {
  return (CONNECTION_OPTIONS as readonly string[]).includes(name);
}

/**
 * Checks a URL and CONNECTION clause as written, for an external table or a stage.
 * A location may not overlap the warehouse (`warehouseUrl`, its store's URL): REMOVE
 * there would delete committed objects, and an external log there would sit among the
 * warehouse's own.
 */
export function checkLocation(url: string, options: ConnectionOptions, warehouseUrl: string): Location {
  const s3 = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/.exec(url);
  const file = /^file:\/\/(\/.*)$/.exec(url);
  if (s3 === null && file === null) {
    throw sqlError('ER_WRONG_ARGUMENTS', `Invalid location '${url}': expected 's3://bucket/path/' or 'file:///absolute/path/'`);
  }
  const path = s3?.[1] ?? file?.[1] ?? '';
  if (path.split('/').some((segment) => segment === '.' || segment === '..') || path.includes('\\')) {
    throw sqlError('ER_WRONG_ARGUMENTS', `Invalid location '${url}': '.' and '..' are not allowed in it`);
  }
  const connection: Partial<Record<ConnectionOption, string>> = {};
  for (const [name, value] of options) {
    if (!isConnectionOption(name)) {
      throw sqlError('ER_WRONG_ARGUMENTS', `Unknown CONNECTION option '${name}' (known: ${CONNECTION_OPTIONS.join(', ')})`);
    }
    if (connection[name] !== undefined) throw sqlError('ER_WRONG_ARGUMENTS', `CONNECTION option '${name}' is given twice`);
    connection[name] = value;
  }
  if (file !== null && options.length > 0) throw sqlError('ER_WRONG_ARGUMENTS', `A file:// location takes no CONNECTION options`);
  if ((connection.access_key_id === undefined) !== (connection.secret_access_key === undefined)) {
    throw sqlError('ER_WRONG_ARGUMENTS', 'CONNECTION needs both access_key_id and secret_access_key, or neither');
  }
  const normalized = url.endsWith('/') ? url : `${url}/`;
  if (overlaps(normalized, warehouseUrl)) {
    throw sqlError('ER_WRONG_ARGUMENTS', `Invalid location '${url}': it overlaps the warehouse's storage`);
  }
  return { url: normalized, connection };
}

/**
 * Whether one URL is the other or under it, segment by segment. Compared without the
 * scheme's case or repeated slashes, which name the same place on a file system.
 */
function overlaps(a: string, b: string): boolean {
  const folder = (u: string): string => {
    const m = /^([a-z0-9]+):\/\/(.*)$/i.exec(u);
    const scheme = (m?.[1] ?? '').toLowerCase();
    const rest = (m?.[2] ?? u).replace(/\/+/g, '/');
    return `${scheme}://${rest.endsWith('/') ? rest : `${rest}/`}`;
  };
  const [x, y] = [folder(a), folder(b)];
  return x.startsWith(y) || y.startsWith(x);
}

/** The CONNECTION clause as SHOW prints it: credentials replaced by ******. */
export function maskedConnection(connection: Connection): string {
  const parts = CONNECTION_OPTIONS.flatMap((name) => {
    const value = connection[name];
    if (value === undefined) return [];
    return [`${name} = '${SECRET_OPTIONS.has(name) ? MASK : value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`];
  });
  return parts.length === 0 ? '' : `CONNECTION = (${parts.join(', ')})`;
}
