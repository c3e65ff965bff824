// A snapshot's manifest: everything needed to rebuild its tables on any server —
// definitions, partitions, options, AUTO_INCREMENT, and every data file with its row
// count, statistics, size and SHA-256. It is written last, after every file it names
// is stored and verified, so a manifest that exists describes a complete snapshot.
// The stored form wraps it with a checksum of its own text, so a damaged manifest is
// reported as damaged rather than misread.
import { createHash } from 'node:crypto';
import type { ColumnStats, FileField, TableMeta, ViewDef } from '../engine/catalog/database-state.js';

export const MANIFEST_FORMAT = 1;

export interface ManifestFile {
  /** The object in the repository that holds the file. */
  readonly object: string;
  readonly sha256: string;
  readonly size: number;
  readonly rows: number;
  /** Storage id of the file's partition in the table's `meta`. */
  readonly partition: string;
  /** The columns the file was written with (always explicit here). */
  readonly fields: readonly FileField[];
  readonly stats: Readonly<Record<string, ColumnStats>>;
  /** The warehouse data-file key it was copied from (its identity for later backups). */
  readonly source: string;
}

export interface ManifestTable {
  readonly name: string;
  readonly meta: TableMeta;
  readonly autoIncrement: string;
  /** The partitions backed up, by name, when not all of them were. */
  readonly partitions?: readonly string[];
  readonly rows: number;
  readonly bytes: number;
  readonly files: readonly ManifestFile[];
}

export interface Manifest {
  readonly format: number;
  readonly label: string;
  /** Doris's backup timestamp, YYYY-MM-DD-HH-MM-SS (UTC): the instant of the snapshot. */
  readonly timestamp: string;
  readonly database: string;
  /** When the snapshot was taken and when the backup finished (ISO). */
  readonly takenAt: string;
  readonly finishedAt: string;
  readonly source: { readonly warehouse: string; readonly databaseId: string; readonly seq: number; readonly jobId: number };
  /** The BACKUP statement's PROPERTIES, echoed. */
  readonly properties: Readonly<Record<string, string>>;
  readonly tables: readonly ManifestTable[];
  /** The database's views at the snapshot (absent in snapshots taken before views were backed up). */
  readonly views?: readonly ViewDef[];
}

interface StoredManifest {
  readonly sha256: string;
  readonly manifest: Manifest;
}

export class ManifestError extends Error {
  override readonly name = 'ManifestError';
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function encodeManifest(manifest: Manifest): Uint8Array {
  const text = JSON.stringify(manifest);
  return new TextEncoder().encode(`{"sha256":"${sha256(text)}","manifest":${text}}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function check(condition: boolean, where: string, what: string): asserts condition {
  if (!condition) throw new ManifestError(`${where}: ${what}`);
}

/** Parses and checks a stored manifest; `where` names it in errors. */
export function decodeManifest(bytes: Uint8Array, where: string): Manifest {
  const text = new TextDecoder().decode(bytes);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ManifestError(`${where}: the manifest is not valid JSON (damaged or truncated)`);
  }
  check(isObject(parsed) && typeof parsed.sha256 === 'string' && isObject(parsed.manifest), where, 'not a ducksafe snapshot manifest');
  const stored = parsed as unknown as StoredManifest;
  // The checksum covers the manifest's own serialisation, found between the wrapper's braces.
  const start = text.indexOf('"manifest":') + '"manifest":'.length;
  const inner = text.slice(start, text.lastIndexOf('}'));
  check(sha256(inner) === stored.sha256, where, 'the manifest does not match its checksum (damaged)');
  const m = stored.manifest;
  check(typeof m.format === 'number', where, 'no format');
  check(m.format <= MANIFEST_FORMAT, where, `format ${m.format} is newer than this server reads (${MANIFEST_FORMAT})`);
  check(typeof m.label === 'string' && typeof m.timestamp === 'string' && typeof m.database === 'string', where, 'no label, timestamp or database');
  check(Array.isArray(m.tables), where, 'no tables');
  for (const t of m.tables) {
    check(isObject(t) && typeof t.name === 'string' && isObject(t.meta) && Array.isArray(t.files), where, 'a table entry is incomplete');
    for (const f of t.files) {
      check(
        isObject(f) && typeof f.object === 'string' && typeof f.sha256 === 'string' && typeof f.size === 'number' && typeof f.partition === 'string',
        where,
        `a file entry of table ${t.name} is incomplete`,
      );
    }
  }
  if (m.views !== undefined) {
    check(Array.isArray(m.views), where, 'views is not a list');
    for (const v of m.views) check(isObject(v) && typeof v.name === 'string' && typeof v.definition === 'string', where, 'a view entry is incomplete');
  }
  return m;
}

export function manifestTotals(manifest: Pick<Manifest, 'tables'>): { files: number; bytes: number; rows: number } {
  let files = 0;
  let bytes = 0;
  let rows = 0;
  for (const t of manifest.tables) {
    files += t.files.length;
    bytes += t.files.reduce((n, f) => n + f.size, 0);
    rows += t.files.reduce((n, f) => n + f.rows, 0);
  }
  return { files, bytes, rows };
}

/** SHOW SNAPSHOT's Details: the backed-up objects as JSON. */
export function manifestDetails(manifest: Manifest): string {
  const totals = manifestTotals(manifest);
  return JSON.stringify({
    database: manifest.database,
    backup_time: manifest.takenAt,
    finished_time: manifest.finishedAt,
    tables: manifest.tables.map((t) => ({
      name: t.name,
      ...(t.partitions === undefined ? {} : { partitions: t.partitions }),
      rows: t.rows,
      bytes: t.bytes,
      files: t.files.length,
    })),
    ...(manifest.views === undefined ? {} : { views: manifest.views.map((v) => v.name) }),
    files: totals.files,
    bytes: totals.bytes,
    rows: totals.rows,
    properties: manifest.properties,
  });
}

/** Doris's backup timestamp of an instant: YYYY-MM-DD-HH-MM-SS, UTC. */
export function snapshotTimestamp(at: Date): string {
  return at.toISOString().slice(0, 19).replace('T', '-').replace(/:/g, '-');
}
