// Fail-safe recovery, stages and loading from them ([E]), Databend-compatible:
// CALL system$fuse_amend, CREATE/DROP/SHOW STAGE(S), LIST, REMOVE and COPY INTO.
// They carry no expressions, so the grammar's nodes are already in this shape.

/** `CONNECTION = (access_key_id = '...', ...)`: names lower-cased, in order; the engine checks them. */
export type ConnectionOptions = readonly (readonly [name: string, value: string])[];

/** Where an external table lives: `CREATE TABLE t (...) 's3://bucket/path/' CONNECTION = (...)`. */
export interface ExternalTableLocation {
  readonly url: string;
  readonly connection: ConnectionOptions;
}

/** `@stage` or `@stage/some/path`: a place under a stage's URL. */
export interface StagePath {
  readonly stage: string;
  /** Relative to the stage's URL, as written ('' for the stage itself). */
  readonly path: string;
}

export const FILE_FORMAT_TYPES = ['parquet', 'csv'] as const;
export type FileFormatType = (typeof FILE_FORMAT_TYPES)[number];

/** `FILE_FORMAT = (TYPE = PARQUET | CSV [, SKIP_HEADER = 1, FIELD_DELIMITER = ';', ...])`, with Databend's defaults. */
export type FileFormat =
  | { readonly type: 'parquet' }
  | {
      readonly type: 'csv';
      /** Lines skipped at the start of each file (a header). */
      readonly skipHeader: number;
      readonly fieldDelimiter: string;
      /** '\n' or '\r\n'. */
      readonly recordDelimiter: string;
      readonly quote: string;
      readonly escape: string;
      /** How NULL is written: '\N' by default. */
      readonly nullDisplay: string;
    };

/** SELECT ... FROM @stage/path (FILE_FORMAT => 'csv', PATTERN => '<regex>'): staged files read as a table. */
export interface StageRead {
  readonly at: StagePath;
  readonly format: FileFormatType;
  readonly pattern?: string;
}

export type FailSafeStatement =
  /** CALL system$fuse_amend('db', 'table') [DRY RUN]: bring the table's removed objects back from bucket versions. */
  | { readonly kind: 'fuseAmend'; readonly db: string; readonly table: string; readonly dryRun: boolean }
  | {
      readonly kind: 'createStage';
      readonly name: string;
      readonly ifNotExists: boolean;
      /** URL = 's3://bucket/path/' | 'file:///path/' */
      readonly url: string;
      readonly connection: ConnectionOptions;
    }
  | { readonly kind: 'dropStage'; readonly name: string; readonly ifExists: boolean }
  | { readonly kind: 'showStages' }
  /** LIST @s[/path] [PATTERN = '<regex>'] */
  | { readonly kind: 'listStage'; readonly at: StagePath; readonly pattern?: string }
  /** REMOVE @s[/path] [PATTERN = '<regex>'] */
  | { readonly kind: 'removeStage'; readonly at: StagePath; readonly pattern?: string }
  /** COPY INTO t FROM @s[/path] [FILES = (...)] [PATTERN = '...'] FILE_FORMAT = (...) */
  | {
      readonly kind: 'copyInto';
      readonly table: { readonly db?: string; readonly name: string };
      readonly from: StagePath;
      readonly files?: readonly string[];
      readonly pattern?: string;
      readonly format: FileFormat;
    };
