// The composition root: builds every module from the configuration and wires
// them together. Nothing else constructs concrete backends.
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Config } from './config/config.js';
import type { Logger } from './logging/logger.js';
import type { ObjectStore } from './storage/object-store.js';
import { openLocalStore } from './storage/local/local-store.js';
import { withRetry } from './storage/retry.js';
import { FileCache } from './storage/file-cache.js';
import { DuckDatabase } from './engine/duckdb/duck-database.js';
import { Engine } from './engine/engine.js';
import { SERVER_VERSION } from './engine/variables.js';
import { Warehouse } from './engine/warehouse.js';
import { Listener } from './server/listener.js';

export interface RunningServer {
  readonly port: number;
  readonly host: string;
  close(): Promise<void>;
}

async function openWarehouseStore(config: Config, logger: Logger): Promise<ObjectStore> {
  if (config.warehouse.startsWith('file://')) {
    const root = config.warehouse.slice('file://'.length);
    await mkdir(root, { recursive: true });
    return openLocalStore(root, { logger });
  }
  throw new Error(`warehouse ${config.warehouse}: only local warehouses are supported in this build`);
}

export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  const rawStore = await openWarehouseStore(config, logger);
  const store = withRetry(rawStore, { maxAttempts: 5, baseDelayMs: 50, maxDelayMs: 2000, maxElapsedMs: 30_000, logger });
  logger.info(
    { warehouse: store.url, versioning: store.capabilities.versioning, conditionalCreate: store.capabilities.conditionalCreate },
    'warehouse opened',
  );
  await mkdir(config.cacheDir, { recursive: true });
  const files = new FileCache({ store, dir: path.join(config.cacheDir, 'files'), maxBytes: config.cacheMaxBytes, logger });
  const warehouse = await Warehouse.open(store, logger);
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
