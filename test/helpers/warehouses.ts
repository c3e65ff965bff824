// The warehouses end-to-end suites run on: a local directory always, and an S3
// bucket (versioned) on the test S3 server when it is available.
import { startServer, tempDir, removeDir, type ServerProcess } from './server-process.js';
import { createTestBucket, s3TestAvailability } from './s3-env.js';
import type { ObjectStore } from '../../src/storage/object-store.js';
import { openLocalStore } from '../../src/storage/local/local-store.js';
import { openS3Store } from '../../src/storage/s3/s3-store.js';

export type WarehouseKind = 'local' | 's3';

/** Kinds to run a suite on; prints why S3 is left out when it is. */
export function warehouseKinds(suite: string): WarehouseKind[] {
  const s3 = s3TestAvailability();
  if (!s3.available) {
    console.log(`[${suite}] S3 warehouse runs skipped: ${s3.reason}`);
    return ['local'];
  }
  return ['local', 's3'];
}

export interface Warehouse {
  readonly kind: WarehouseKind;
  /** --warehouse value */
  readonly location: string;
  /** Environment the server needs to reach it. */
  readonly env: NodeJS.ProcessEnv;
  start(args?: string[]): Promise<ServerProcess>;
  /** The warehouse's store, opened by the test itself, to look at what is stored (close it after). */
  openStore(): Promise<ObjectStore>;
  remove(): Promise<void>;
}

export async function createWarehouse(kind: WarehouseKind): Promise<Warehouse> {
  if (kind === 'local') {
    const dir = await tempDir('wh');
    return {
      kind,
      location: dir,
      env: {},
      start: (args = []) => startServer({ warehouse: dir, args }),
      openStore: () => openLocalStore(dir),
      remove: () => removeDir(dir),
    };
  }
  const s3 = s3TestAvailability();
  if (!s3.available) throw new Error(`no S3 test server: ${s3.reason}`);
  const bucket = await createTestBucket(s3.settings, { versioned: true });
  const location = `s3://${bucket.bucket}/warehouse`;
  const env = {
    DUCKSAFE_S3_ENDPOINT: s3.settings.endpoint,
    DUCKSAFE_S3_REGION: s3.settings.region,
    DUCKSAFE_S3_ACCESS_KEY: s3.settings.accessKeyId,
    DUCKSAFE_S3_SECRET_KEY: s3.settings.secretAccessKey,
  };
  return {
    kind,
    location,
    env,
    start: (args = []) => startServer({ warehouse: location, args, env }),
    openStore: () => openS3Store(bucket.storeOptions('warehouse')),
    remove: () => bucket.remove(),
  };
}
