// The composition root: builds every module from the configuration and wires
// them together. Nothing else constructs concrete backends.
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
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
import { SERVER_VERSION } from './engine/variables.js';
import { Warehouse } from './engine/warehouse.js';
import { Listener } from './server/listener.js';
import { DorisBackupService } from './backup/service.js';
import type { OpenRepositoryStore } from './backup/repositories.js';

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
async function openWarehouseStore(config: Config, logger: Logger): Promise<{ store: ObjectStore; soleWriter: boolean }> {
  if (config.warehouse.startsWith('file://')) {
    const root = config.warehouse.slice('file://'.length);
    await mkdir(root, { recursive: true });
    return { store: withRetry(await openLocalStore(root, { logger }), { ...RETRY, logger }), soleWriter: false };
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
  const store = withRetry(raw, { ...RETRY, logger });
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
    });
    return withRetry(store, { ...RETRY, logger });
  };
}

export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  const { store, soleWriter } = await openWarehouseStore(config, logger);
  logger.info(
    { warehouse: store.url, versioning: store.capabilities.versioning, conditionalCreate: store.capabilities.conditionalCreate },
    'warehouse opened',
  );
  await mkdir(config.cacheDir, { recursive: true });
  const files = new FileCache({ store, dir: path.join(config.cacheDir, 'files'), maxBytes: config.cacheMaxBytes, logger });
  const warehouse = await Warehouse.open(store, logger, soleWriter);
  const scratch = path.join(config.cacheDir, 'scratch', String(process.pid));
  await mkdir(scratch, { recursive: true });
  const duck = await DuckDatabase.open({
    memoryLimit: config.duckdbMemoryLimit,
    threads: config.duckdbThreads,
    tempDirectory: path.join(scratch, 'duckdb'),
  });
  const engine = await Engine.create({
    warehouse,
    store,
    files,
    duck,
    logger,
    spoolDir: path.join(scratch, 'spool'),
    rootPassword: config.rootPassword,
    port: config.port,
    maxAllowedPacket: config.maxAllowedPacket,
    maxConnections: config.maxConnections,
    // Files under 32 MiB count as small: merged files stay far below a row group's worth of work.
    compaction: { minFiles: config.compactionMinFiles, smallFileBytes: 32 * 1024 * 1024 },
    backup: new DorisBackupService({
      openRepository: repositoryStores(config, logger),
      logger,
      concurrency: config.backupConcurrency,
      maxBytesPerSecond: config.backupMaxBytesPerSecond,
    }),
  });
  const listener = new Listener(engine, {
    host: config.host,
    port: config.port,
    maxConnections: config.maxConnections,
    maxAllowedPacket: config.maxAllowedPacket,
    serverVersion: SERVER_VERSION,
    logger,
  });
  const port = await listener.listen();
  engine.setPort(port);
  logger.info({ host: config.host, port, warehouse: store.url, pid: process.pid, hostname: os.hostname() }, 'ducksafe is ready');

  let closing: Promise<void> | null = null;
  return {
    port,
    host: config.host,
    close(): Promise<void> {
      closing ??= (async () => {
        await listener.close();
        await engine.close();
        duck.close();
        await store.close();
        logger.info('ducksafe stopped');
      })();
      return closing;
    },
  };
}
