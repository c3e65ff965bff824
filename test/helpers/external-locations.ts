// Locations for external tables and stages ([E]) in end-to-end suites: a directory for
// a local run, a bucket of its own on the test S3 server for an S3 run. The suite gets
// the SQL that names the location and a store on it, to look at (and remove) objects
// behind the server's back.
import { pathToFileURL } from 'node:url';
import { openLocalStore } from '../../src/storage/local/local-store.js';
import type { ObjectStore } from '../../src/storage/object-store.js';
import { openS3Store } from '../../src/storage/s3/s3-store.js';
import { createTestBucket, s3TestAvailability } from './s3-env.js';
import { removeDir, tempDir } from './server-process.js';
import type { WarehouseKind } from './warehouses.js';

export interface ExternalLocation {
  /** s3://bucket/prefix/ or file:///dir/ */
  readonly url: string;
  /** `'<url>' CONNECTION = (...)` (or just the quoted URL) for CREATE TABLE and CREATE STAGE. */
  readonly sql: string;
  /** A part of the location, for a second table or stage there. */
  under(path: string): ExternalLocation;
  /** A store rooted at the location, opened by the test itself. */
  openStore(): Promise<ObjectStore>;
  /** Turns versioning on (S3, for a location made without it). */
  enableVersioning(): Promise<void>;
  remove(): Promise<void>;
}

/** CONNECTION = (...) with the test S3 server's endpoint and credentials. */
export function s3ConnectionSql(): string {
  const s3 = s3TestAvailability();
  if (!s3.available) throw new Error(`no S3 test server: ${s3.reason}`);
  return `CONNECTION = (access_key_id = '${s3.settings.accessKeyId}' secret_access_key = '${s3.settings.secretAccessKey}' endpoint_url = '${s3.settings.endpoint}')`;
}

/** A versioned location of the kind (or, with `versioned: false`, one that keeps no versions). */
export async function createExternalLocation(kind: WarehouseKind, options: { readonly versioned?: boolean } = {}): Promise<ExternalLocation> {
  const versioned = options.versioned ?? true;
  if (kind === 'local') {
    const dir = await tempDir('ext');
    const make = (path: string): ExternalLocation => {
      const url = `${pathToFileURL(`${dir}/${path}`).href.replace(/\/?$/, '/')}`;
      return {
        url,
        sql: `'${url}'`,
        under: (sub) => make(`${path}${sub}`),
        openStore: () => openLocalStore(`${dir}/${path}`, { versioning: versioned }),
        enableVersioning: () => Promise.reject(new Error('a local location is versioned or not when it is opened')),
        remove: () => removeDir(dir),
      };
    };
    return make('fail-safe/');
  }
  const s3 = s3TestAvailability();
  if (!s3.available) throw new Error(`no S3 test server: ${s3.reason}`);
  const bucket = await createTestBucket(s3.settings, { versioned });
  const connection = s3ConnectionSql();
  const make = (path: string): ExternalLocation => {
    const url = bucket.url(path);
    return {
      url,
      sql: `'${url}' ${connection}`,
      under: (sub) => make(`${path}${sub}`),
      openStore: () => openS3Store(bucket.storeOptions(path)),
      enableVersioning: () => bucket.enableVersioning(),
      remove: () => bucket.remove(),
    };
  };
  return make('fail-safe/');
}
