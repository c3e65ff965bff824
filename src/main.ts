// The composition root: builds every module from the configuration and wires
// them together. Nothing else constructs concrete backends.
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from './config/config.js';
import type { Logger } from './logging/logger.js';
import type { ObjectStore } from './storage/object-store.js';
import { openLocalStore } from './storage/local/local-store.js';
import { openS3Store } from './storage/s3/s3-store.js';
import { acquireWriterLease, writesGuardedBy } from './storage/lease.js';
import { keys } from './storage/keys.js';
import { withRetry } from './storage/retry.js';
import { FileCache } from './storage/file-cache.js';
import { DuckDatabase } from './engine/duckdb/duck-database.js';
import { Engine } from './engine/engine.js';
import type { EngineEvent } from './engine/engine-events.js';
import { SERVER_VERSION } from './engine/variables.js';
import { Warehouse } from './engine/warehouse.js';
import type { StoreOpener } from './engine/external-stores.js';
import { Listener } from './server/listener.js';
import { DorisBackupService } from './backup/service.js';
import type { OpenRepositoryStore } from './backup/repositories.js';
import { metered, type StoreMeter } from './storage/metered-store.js';
import { encrypted, looksEncrypted } from './storage/encrypted-store.js';
import { isStorageError } from './storage/object-store.js';
import { ServerMetrics } from './observability/server-metrics.js';
import { AdminServer } from './admin-http/admin-server.js';
import { ERRORS } from './errors/registry.js';
import { leadingWords } from './sql/parse/sql-scanner.js';
import { loadRsaKeyPair, setUpTls } from './tls/tls-setup.js';

const ER_LOCK_DEADLOCK = ERRORS.ER_LOCK_DEADLOCK.errno;

/** A bounded label for metrics: the statement's first keyword when it is a known one. */
const STATEMENT_KINDS = new Set(['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'REPLACE', 'CREATE', 'DROP', 'ALTER', 'SHOW', 'SET', 'USE', 'BEGIN', 'START', 'COMMIT', 'ROLLBACK', 'BACKUP', 'RESTORE', 'VACUUM', 'CALL', 'TRUNCATE', 'UNDROP', 'UNDELETE', 'OPTIMIZE', 'RENAME', 'DESCRIBE', 'DESC', 'EXPLAIN', 'KILL', 'CANCEL', 'COPY', 'EXECUTE', 'WITH']);

function statementKind(sql: string): string {
  const word = sql.startsWith('EXECUTE ') ? 'EXECUTE' : (leadingWords(sql, 1)[0] ?? '').toUpperCase();
  return STATEMENT_KINDS.has(word) ? word.toLowerCase() : 'other';
}

function recordEngineEvent(metrics: ServerMetrics, event: EngineEvent): void {
  switch (event.kind) {
    case 'failSafeRecovery':
      metrics.failSafeRecovered.inc({}, event.recovered);
      metrics.failSafeNotRecoverable.inc({}, event.notRecoverable);
      return;
    case 'vacuumRemoved':
      metrics.vacuumRemovedFiles.inc({}, event.files);
      metrics.vacuumRemovedBytes.inc({}, event.bytes);
      return;
    case 'compacted':
      metrics.compactedFiles.inc({}, event.merged);
      return;
    default: {
      const never: never = event;
      throw new Error(`unhandled engine event ${JSON.stringify(never)}`);
    }
  }
}

export interface RunningServer {
  readonly port: number;
  readonly host: string;
  close(): Promise<void>;
}

const RETRY = { maxAttempts: 5, baseDelayMs: 50, maxDelayMs: 2000, maxElapsedMs: 30_000 } as const;
const LEASE_TTL_MS = 30_000;

/** True for "host:pid" owners on this host whose process no longer exists. */
function localOwnerIsGone(owner: string): boolean {
  const [host, pidText] = owner.split(':');
  const pid = Number(pidText);
  if (host !== os.hostname() || !Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Opens the warehouse's store with retries. Where the store cannot refuse a second
 * create of the same commit, this server becomes the warehouse's single writer.
 */
async function openWarehouseStore(config: Config, logger: Logger, meter: StoreMeter): Promise<{ store: ObjectStore; soleWriter: boolean }> {
  if (config.warehouse.startsWith('file://')) {
    const root = config.warehouse.slice('file://'.length);
    await mkdir(root, { recursive: true });
    return { store: withRetry(metered(await openLocalStore(root, { logger }), meter), { ...RETRY, logger }), soleWriter: false };
  }
  const { s3 } = config;
  const raw = await openS3Store({
    url: config.warehouse,
    ...(s3.endpoint === undefined ? {} : { endpoint: s3.endpoint }),
    region: s3.region,
    forcePathStyle: s3.forcePathStyle,
    credentials:
      s3.accessKeyId !== undefined && s3.secretAccessKey !== undefined
        ? { source: 'static', accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey }
        : { source: 'default' },
    logger,
    ...(s3.serverSideEncryption === undefined ? {} : { serverSideEncryption: s3.serverSideEncryption }),
  });
  const facts = raw.facts;
  if (facts.versioning !== 'Enabled') {
    logger.warn(
      { bucket: facts.bucket, versioning: facts.versioning },
      'bucket versioning is not enabled: removed objects cannot be recovered (fail-safe is unavailable)',
    );
  } else {
    logger.info({ bucket: facts.bucket }, 'bucket versioning is enabled');
  }
  const store = withRetry(metered(raw, meter), { ...RETRY, logger });
  if (facts.conditionalCreate) {
    logger.info({ endpoint: facts.endpoint }, 'the store enforces conditional creates: commits use them, and several servers may share this warehouse');
    return { store, soleWriter: false };
  }
  logger.warn(
    { endpoint: facts.endpoint, bucket: facts.bucket },
    'the store does not enforce conditional creates: this server takes the single-writer lease and a second writer will be refused',
  );
  const lease = await acquireWriterLease(store, {
    key: keys.writerLease(),
    owner: `${os.hostname()}:${process.pid}`,
    ttlMs: LEASE_TTL_MS,
    logger,
    ownerIsGone: localOwnerIsGone,
  });
  return { store: writesGuardedBy(lease, store), soleWriter: true };
}

/**
 * How the engine reaches the locations of external tables and stages: a directory, or an
 * S3 prefix with the credentials given in CONNECTION (else the SDK's default chain). Each
 * gets its own file cache, under the cache directory.
 */
function externalStoreOpener(config: Config, logger: Logger): StoreOpener {
  return async (location) => {
    let raw: ObjectStore;
    if (location.url.startsWith('file://')) {
      raw = await openLocalStore(fileURLToPath(location.url), { logger });
    } else {
      const { connection } = location;
      raw = await openS3Store({
        url: location.url,
        ...(connection.endpoint_url === undefined ? {} : { endpoint: connection.endpoint_url }),
        region: connection.region ?? config.s3.region,
        credentials:
          connection.access_key_id !== undefined && connection.secret_access_key !== undefined
            ? {
                source: 'static',
                accessKeyId: connection.access_key_id,
                secretAccessKey: connection.secret_access_key,
                ...(connection.session_token === undefined ? {} : { sessionToken: connection.session_token }),
              }
            : { source: 'default' },
        logger,
        purpose: 'external location',
      });
    }
    const store = withRetry(raw, { ...RETRY, logger });
    const dir = path.join(config.cacheDir, 'external', createHash('sha256').update(location.url).digest('hex').slice(0, 16));
    logger.info({ location: location.url, versioning: store.capabilities.versioning }, 'opened an external location');
    return { store, files: new FileCache({ store, dir, maxBytes: config.cacheMaxBytes, logger }) };
  };
}

/** How the backup service reaches a repository: S3 with the repository's own settings, or a directory. */
function repositoryStores(config: Config, logger: Logger): OpenRepositoryStore {
  return async (location) => {
    if (location.kind === 'local') {
      if (!location.readOnly) await mkdir(location.path, { recursive: true });
      return withRetry(await openLocalStore(location.path, { logger }), { ...RETRY, logger });
    }
    // What the repository does not say is taken from the warehouse's own S3 settings.
    const { settings } = location;
    const endpoint = settings.endpoint ?? config.s3.endpoint;
    const accessKeyId = settings.accessKey ?? config.s3.accessKeyId;
    const secretAccessKey = settings.secretKey ?? config.s3.secretAccessKey;
    const store = await openS3Store({
      url: location.url,
      ...(endpoint === undefined ? {} : { endpoint }),
      region: settings.region ?? config.s3.region,
      forcePathStyle: settings.pathStyle ?? config.s3.forcePathStyle,
      credentials:
        accessKeyId !== undefined && secretAccessKey !== undefined
          ? {
              source: 'static',
              accessKeyId,
              secretAccessKey,
              ...(settings.sessionToken === undefined ? {} : { sessionToken: settings.sessionToken }),
            }
          : { source: 'default' },
      logger,
      probeConditionalCreate: false,
      purpose: 'backup repository',
      ...(config.s3.serverSideEncryption === undefined ? {} : { serverSideEncryption: config.s3.serverSideEncryption }),
    });
    return withRetry(store, { ...RETRY, logger });
  };
}

/**
 * Wraps the store in encryption when a key is configured. Without a key, an encrypted
 * warehouse is refused here with a clear message rather than failing to parse later.
 */
async function withEncryption(store: ObjectStore, key: Uint8Array | undefined, logger: Logger): Promise<ObjectStore> {
  if (key !== undefined) {
    logger.info('encryption at rest is on: every object is written with AES-256-GCM');
    return encrypted(store, Buffer.from(key));
  }
  let marker: Uint8Array;
  try {
    marker = await store.get(keys.formatMarker());
  } catch (err) {
    if (isStorageError(err, 'NotFound')) return store;
    throw err;
  }
  if (looksEncrypted(marker)) throw new Error(`the warehouse ${store.url} is encrypted: start the server with its --encryption-key`);
  return store;
}

export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  // Key material first: a bad certificate path should stop the start before the warehouse is touched.
  const tls = await setUpTls(config.tls, logger);
  if (tls !== null) logger.info({ certFile: tls.certFile, subject: tls.subject, validTo: tls.validTo, sha256: tls.fingerprint256, requireSecureTransport: config.tls.requireSecureTransport }, 'TLS is enabled on the MySQL port');
  const rsa = await loadRsaKeyPair(config.rsaPrivateKey);
  const offsetMs = config.clockOffsetSeconds * 1000;
  // A shifted clock exists so that tests can let retention periods pass; every commit time, retention
  // decision and vacuum comes from this one clock.
  const clock = offsetMs === 0 ? () => new Date() : () => new Date(Date.now() + offsetMs);
  if (offsetMs !== 0) logger.warn({ clockOffsetSeconds: config.clockOffsetSeconds }, 'the server clock is shifted (--clock-offset-seconds): for testing only');
  const metrics = new ServerMetrics();
  const opened = await openWarehouseStore(config, logger, {
    request: (op) => metrics.storageRequests.inc({ op }),
    read: (bytes) => metrics.storageReadBytes.inc({}, bytes),
    written: (bytes) => metrics.storageWrittenBytes.inc({}, bytes),
  });
  const { soleWriter } = opened;
  const store = await withEncryption(opened.store, config.encryptionKey, logger);
  logger.info(
    { warehouse: store.url, versioning: store.capabilities.versioning, conditionalCreate: store.capabilities.conditionalCreate },
    'warehouse opened',
  );
  await mkdir(config.cacheDir, { recursive: true });
  const files = new FileCache({ store, dir: path.join(config.cacheDir, 'files'), maxBytes: config.cacheMaxBytes, logger });
  const warehouse = await Warehouse.open(store, logger, { soleWriter, files, openStore: externalStoreOpener(config, logger), now: clock });
  const scratch = path.join(config.cacheDir, 'scratch', String(process.pid));
  await mkdir(scratch, { recursive: true });
  const duck = await DuckDatabase.open({
    memoryLimit: config.duckdbMemoryLimit,
    threads: config.duckdbThreads,
    tempDirectory: path.join(scratch, 'duckdb'),
  });
  const backup = new DorisBackupService({
    openRepository: repositoryStores(config, logger),
    logger,
    concurrency: config.backupConcurrency,
    maxBytesPerSecond: config.backupMaxBytesPerSecond,
  });
  const engine = await Engine.create({
    warehouse,
    store,
    files,
    duck,
    logger,
    spoolDir: path.join(scratch, 'spool'),
    rootPassword: config.rootPassword,
    rootAuthPlugin: config.rootAuthPlugin,
    port: config.port,
    maxAllowedPacket: config.maxAllowedPacket,
    maxConnections: config.maxConnections,
    // Files under 32 MiB count as small: merged files stay far below a row group's worth of work.
    compaction: { minFiles: config.compactionMinFiles, smallFileBytes: 32 * 1024 * 1024 },
    clock,
    retention: { defaultHours: config.retentionHours, orphanGraceMs: config.orphanGraceMinutes * 60_000 },
    vacuumIntervalMs: config.vacuumIntervalSeconds * 1000,
    backup,
    events: { emit: (event) => recordEngineEvent(metrics, event) },
  });
  const listener = new Listener(engine, {
    host: config.host,
    port: config.port,
    maxConnections: config.maxConnections,
    maxAllowedPacket: config.maxAllowedPacket,
    serverVersion: SERVER_VERSION,
    tls: tls?.context ?? null,
    requireSecureTransport: config.tls.requireSecureTransport,
    rsa,
    loginThrottle: { freeFailures: config.loginDelayAfterFailures, stepMs: 1000, maxDelayMs: config.loginMaxDelayMs },
    logger,
    onConnection: () => metrics.connectionsTotal.inc(),
    onStatement: (report) => {
      const kind = statementKind(report.sql);
      metrics.statements.inc({ kind, outcome: report.outcome });
      metrics.statementSeconds.observe(report.seconds, { kind });
      if (report.errno === ER_LOCK_DEADLOCK) metrics.commitConflicts.inc();
      if (report.seconds * 1000 >= config.slowQueryMs) {
        metrics.slowStatements.inc();
        logger.warn(
          { conn: report.connectionId, user: report.user, queryId: report.queryId, ms: Math.round(report.seconds * 1000), outcome: report.outcome, sql: report.sql.slice(0, 2000) },
          'slow statement',
        );
      }
    },
  });
  let accepting = true;
  metrics.registry.gauge('ducksafe_connections', 'Open MySQL connections', () => listener.openConnections);
  metrics.registry.gauge('ducksafe_cache_hits', 'Storage objects served from the local file cache', () => files.stats().hits);
  metrics.registry.gauge('ducksafe_cache_misses', 'Storage objects the local file cache had to download', () => files.stats().misses);
  metrics.registry.gauge('ducksafe_cache_bytes', 'Bytes held in the local file cache', () => files.stats().bytesCached);
  metrics.registry.gauge('ducksafe_backup_jobs', 'BACKUP and RESTORE jobs this server knows, by kind and state', () => {
    const counts = new Map<string, { labels: { kind: string; state: string }; value: number }>();
    for (const j of backup.jobSummaries()) {
      const k = `${j.kind}/${j.state}`;
      const c = counts.get(k) ?? { labels: { kind: j.kind, state: j.state }, value: 0 };
      c.value++;
      counts.set(k, c);
    }
    return [...counts.values()];
  });
  const running = (): ReturnType<typeof backup.jobSummaries> => backup.jobSummaries().filter((j) => j.state !== 'FINISHED' && j.state !== 'CANCELLED');
  metrics.registry.gauge('ducksafe_backup_job_done_bytes', 'Bytes in place of each running BACKUP/RESTORE job', () =>
    running().map((j) => ({ labels: { kind: j.kind, label: j.label }, value: j.doneBytes })),
  );
  metrics.registry.gauge('ducksafe_backup_job_total_bytes', 'Bytes each running BACKUP/RESTORE job has to place', () =>
    running().map((j) => ({ labels: { kind: j.kind, label: j.label }, value: j.totalBytes })),
  );
  metrics.registry.gauge('ducksafe_backup_job_bytes_per_second', 'Transfer rate of each running BACKUP/RESTORE job', () =>
    running().map((j) => ({ labels: { kind: j.kind, label: j.label }, value: j.bytesPerSecond ?? 0 })),
  );
  metrics.registry.gauge('ducksafe_uptime_seconds', 'Seconds since the server started', () => Math.floor(process.uptime()));
  const port = await listener.listen();
  engine.setPort(port);
  engine.setTransportFacts({ haveSsl: tls !== null, requireSecureTransport: config.tls.requireSecureTransport });
  let admin: AdminServer | null = null;
  if (config.adminPort !== undefined) {
    admin = new AdminServer({
      host: config.adminHost,
      port: config.adminPort,
      logger,
      metrics: () => metrics.registry.render(),
      ready: () => warehouse.checkReadable(),
      accepting: () => accepting,
      jobs: () => backup.jobSummaries(),
    });
    const adminPort = await admin.listen();
    logger.info({ host: config.adminHost, port: adminPort }, 'admin HTTP port is listening');
  }
  logger.info({ host: config.host, port, warehouse: store.url, pid: process.pid, hostname: os.hostname() }, 'ducksafe is ready');

  let closing: Promise<void> | null = null;
  return {
    port,
    host: config.host,
    close(): Promise<void> {
      closing ??= (async () => {
        accepting = false;
        await listener.close(config.shutdownGraceMs);
        await admin?.close();
        await engine.close();
        duck.close();
        await store.close();
        logger.info('ducksafe stopped');
      })();
      return closing;
    },
  };
}
