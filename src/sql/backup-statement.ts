// The backup and restore statements ([D]), Doris-compatible: repositories,
// BACKUP/RESTORE SNAPSHOT jobs, and the SHOW/CANCEL/DROP statements around them.
// They carry no expressions, so the grammar's nodes are already in this shape, but for
// WHERE clauses, which translate/build-backup.ts matches to their columns.

/**
 * PROPERTIES ("k" = "v", ...): keys as written (Doris keys are compared case-sensitively), in order,
 * never one twice. A value written as a bare number or TRUE/FALSE is its text (`3600`, `true`).
 */
export type Properties = readonly (readonly [key: string, value: string])[];

/** One table of an ON (...) list: `t [PARTITION (p, ...)] [AS new_name]` (AS only in RESTORE). */
export interface SnapshotTable {
  readonly table: string;
  readonly partitions?: readonly string[];
  readonly as?: string;
}

export type SnapshotScope =
  | { readonly kind: 'all' }
  | { readonly kind: 'on'; readonly tables: readonly SnapshotTable[] }
  | { readonly kind: 'exclude'; readonly tables: readonly string[] };

/** WHERE <column> = "x" | LIKE "x" in SHOW BACKUP / SHOW RESTORE. */
export interface LabelFilter {
  readonly op: '=' | 'like';
  readonly value: string;
}

export type BackupAdminStatement =
  | {
      readonly kind: 'createRepository';
      readonly name: string;
      readonly readOnly: boolean;
      /** WITH S3 / WITH LOCAL (ducksafe's addition, for a directory). */
      readonly storage: 's3' | 'local';
      /** ON LOCATION "s3://bucket/prefix" | "file:///path" */
      readonly location: string;
      readonly properties: Properties;
    }
  | { readonly kind: 'alterRepository'; readonly name: string; readonly properties: Properties }
  | { readonly kind: 'dropRepository'; readonly name: string }
  | { readonly kind: 'showRepositories' }
  | {
      readonly kind: 'backup';
      /** BACKUP SNAPSHOT [db.]label: absent means the session's database. */
      readonly db?: string;
      readonly label: string;
      readonly repository: string;
      readonly scope: SnapshotScope;
      readonly properties: Properties;
    }
  | { readonly kind: 'showBackup'; readonly db?: string; readonly where?: LabelFilter }
  | { readonly kind: 'cancelBackup'; readonly db?: string }
  /** SHOW SNAPSHOT ON repo [WHERE SNAPSHOT = "label" [AND TIMESTAMP = "ts"]] */
  | { readonly kind: 'showSnapshot'; readonly repository: string; readonly snapshot?: string; readonly timestamp?: string }
  /** DROP SNAPSHOT label ON repo [WHERE TIMESTAMP = "ts"] */
  | { readonly kind: 'dropSnapshot'; readonly repository: string; readonly label: string; readonly timestamp?: string }
  | {
      readonly kind: 'restore';
      readonly db?: string;
      readonly label: string;
      readonly repository: string;
      readonly scope: SnapshotScope;
      readonly properties: Properties;
    }
  | { readonly kind: 'showRestore'; readonly brief: boolean; readonly db?: string; readonly where?: LabelFilter }
  | { readonly kind: 'cancelRestore'; readonly db?: string };
