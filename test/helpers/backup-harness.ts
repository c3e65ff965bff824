// An engine with the backup service, in this process, on a given warehouse store: SQL
// goes through a real engine session, backup statements straight to the service (as the
// engine would hand them over once it has checked the ADMIN privilege).
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { DorisBackupService } from '../../src/backup/service.js';
import type { OpenRepositoryStore } from '../../src/backup/repositories.js';
import { DuckDatabase } from '../../src/engine/duckdb/duck-database.js';
import { Engine } from '../../src/engine/engine.js';
import type { ExecContext } from '../../src/engine/exec/context.js';
import { Warehouse } from '../../src/engine/warehouse.js';
import { silentLogger, type Logger } from '../../src/logging/logger.js';
import type { SessionHandler, StatementResult, WireValue } from '../../src/server/query-handler.js';
import { Session } from '../../src/server/session.js';
import type { BackupAdminStatement } from '../../src/sql/backup-statement.js';
import { FileCache } from '../../src/storage/file-cache.js';
import { openLocalStore } from '../../src/storage/local/local-store.js';
import type { ObjectStore } from '../../src/storage/object-store.js';
import { withRetry } from '../../src/storage/retry.js';
import { openS3Store } from '../../src/storage/s3/s3-store.js';

/** These sessions never run LOAD DATA LOCAL INFILE. */
function noLocalFiles(): AsyncIterable<Uint8Array> {
  throw new Error('no client files in this test');
}

const RETRY = { maxAttempts: 4, baseDelayMs: 20, maxDelayMs: 500, maxElapsedMs: 10_000, logger: silentLogger } as const;

/** Repository stores as main.ts opens them, with the repository's own S3 settings. */
export const openRepositoryForTests: OpenRepositoryStore = async (location) => {
  if (location.kind === 'local') {
    await mkdir(location.path, { recursive: true });
    return withRetry(await openLocalStore(location.path), RETRY);
  }
  const s = location.settings;
  const store = await openS3Store({
    url: location.url,
    ...(s.endpoint === undefined ? {} : { endpoint: s.endpoint }),
    region: s.region ?? 'us-east-1',
    credentials:
      s.accessKey !== undefined && s.secretKey !== undefined ? { source: 'static', accessKeyId: s.accessKey, secretAccessKey: s.secretKey } : { source: 'default' },
    logger: silentLogger,
    probeConditionalCreate: false,
    purpose: 'backup repository',
  });
  return withRetry(store, RETRY);
};

export type Row = Record<string, string | null>;

export interface Harness {
  readonly store: ObjectStore;
  readonly service: DorisBackupService;
  /** Runs SQL through an engine session; rows as text. */
  sql(text: string): Promise<(string | null)[][]>;
  /** Runs a backup statement as root, with `db` as the session's database. */
  admin(statement: BackupAdminStatement, db?: string | null): Promise<StatementResult>;
  /** A SHOW statement's rows as objects by column name. */
  show(statement: BackupAdminStatement, db?: string | null): Promise<Row[]>;
  /** Waits until the newest job with that label is FINISHED or CANCELLED; returns its SHOW row. */
  waitJob(kind: 'backup' | 'restore', label: string, db: string): Promise<Row>;
  /** Shuts the engine down (jobs stop at a safe point, to resume at the next open). */
  close(): Promise<void>;
}

function text(v: WireValue): string | null {
  if (v === null) return null;
  return typeof v === 'string' ? v : Buffer.from(v).toString('utf8');
}

async function collect(result: StatementResult): Promise<{ columns: string[]; rows: (string | null)[][] }> {
  if (result.kind === 'ok') return { columns: [], rows: [] };
  const rows: (string | null)[][] = [];
  for await (const batch of result.rows) for (const r of batch) rows.push(r.map(text));
  return { columns: result.columns.map((c) => c.name), rows };
}

export async function openHarness(options: {
  readonly store: ObjectStore;
  readonly scratch: string;
  readonly openRepository?: OpenRepositoryStore;
  readonly concurrency?: number;
  readonly maxBytesPerSecond?: number;
  readonly logger?: Logger;
}): Promise<Harness> {
  const logger = options.logger ?? silentLogger;
  const { store, scratch } = options;
  await mkdir(scratch, { recursive: true });
  const files = new FileCache({ store, dir: path.join(scratch, 'files'), maxBytes: 1 << 30, logger });
  const warehouse = await Warehouse.open(store, logger, { files });
  const duck = await DuckDatabase.open({ memoryLimit: '512MB', threads: 1, tempDirectory: path.join(scratch, 'duck') });
  const service = new DorisBackupService({
    openRepository: options.openRepository ?? openRepositoryForTests,
    logger,
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    ...(options.maxBytesPerSecond === undefined ? {} : { maxBytesPerSecond: options.maxBytesPerSecond }),
  });
  const engine = await Engine.create({
    warehouse,
    store,
    files,
    duck,
    logger,
    spoolDir: path.join(scratch, 'spool'),
    rootPassword: '',
    rootAuthPlugin: 'mysql_native_password',
    port: 0,
    maxAllowedPacket: 64 << 20,
    maxConnections: 10,
    compaction: { minFiles: 0, smallFileBytes: 0 },
    retention: { defaultHours: 168, orphanGraceMs: 3_600_000 },
    vacuumIntervalMs: 0,
    backup: service,
  });
  const session = new Session(1, 'root', 'localhost', null);
  const handler: SessionHandler = await engine.openSession(session, { closeConnection: () => undefined, readLocalFile: noLocalFiles });

  const sql = async (statementText: string): Promise<(string | null)[][]> => {
    const rows: (string | null)[][] = [];
    for await (const outcome of handler.query(statementText, new AbortController().signal)) {
      if (outcome.kind === 'error') throw outcome.error;
      rows.push(...(await collect(outcome.result)).rows);
    }
    return rows;
  };
  const admin = (statement: BackupAdminStatement, db: string | null = null): Promise<StatementResult> => {
    const s = new Session(2, 'root', 'localhost', db);
    // The service reads the session and its own engine core (given at start), nothing else.
    const x = { session: s, signal: new AbortController().signal } as unknown as ExecContext;
    return service.execute(x, statement);
  };
  const show = async (statement: BackupAdminStatement, db: string | null = null): Promise<Row[]> => {
    const { columns, rows } = await collect(await admin(statement, db));
    return rows.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i] ?? null])));
  };
  const waitJob = async (kind: 'backup' | 'restore', label: string, db: string): Promise<Row> => {
    const statement: BackupAdminStatement =
      kind === 'backup' ? { kind: 'showBackup', db, where: { op: '=', value: label } } : { kind: 'showRestore', brief: false, db, where: { op: '=', value: label } };
    for (let i = 0; i < 1200; i++) {
      const [row] = await show(statement);
      if (row !== undefined && (row.State === 'FINISHED' || row.State === 'CANCELLED')) return row;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`${kind} job '${label}' did not finish in 60 s`);
  };
  return {
    store,
    service,
    sql,
    admin,
    show,
    waitJob,
    close: async () => {
      await handler.close();
      await engine.close();
      duck.close();
    },
  };
}
