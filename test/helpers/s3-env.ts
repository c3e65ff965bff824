// What S3 suites use to reach the test S3 server that global-setup.ts started (or that
// DUCKSAFE_TEST_S3_ENDPOINT names), and to get a fresh bucket of their own.
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import type { Logger } from '../../src/logging/logger.js';
import { silentLogger } from '../../src/logging/logger.js';
import { createS3Bucket, deleteS3Bucket, enableS3BucketVersioning } from '../../src/storage/s3/s3-buckets.js';
import type { S3StoreOptions, S3Tuning } from '../../src/storage/s3/s3-store.js';

export interface S3TestSettings {
  readonly endpoint: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** The server is scripts/s3-test-server.sh's Ceph RGW, whose quirks (S3-TEST-SERVER.md) tests may assert. */
  readonly cephRgw: boolean;
}

/** Either settings to use, or why S3 suites must skip. */
export type S3TestAvailability =
  | { readonly available: true; readonly settings: S3TestSettings }
  | { readonly available: false; readonly reason: string };

declare module 'vitest' {
  export interface ProvidedContext {
    ducksafeS3: S3TestAvailability;
  }
}

export function s3TestAvailability(): S3TestAvailability {
  return inject('ducksafeS3');
}

/**
 * The settings, or undefined after printing why the calling suite skips; use as
 * `describe.skipIf(settings === undefined)`.
 */
export function s3TestSettingsOrSkip(suite: string): S3TestSettings | undefined {
  const availability = s3TestAvailability();
  if (availability.available) return availability.settings;
  console.log(`[skip] ${suite}: no S3 test server (${availability.reason})`);
  return undefined;
}

export interface TestBucket {
  readonly bucket: string;
  readonly versioned: boolean;
  /** s3://bucket/prefix */
  url(prefix?: string): string;
  /** Options for openS3Store on this bucket. */
  storeOptions(prefix?: string, extra?: { readonly logger?: Logger; readonly tuning?: Partial<S3Tuning>; readonly endpoint?: string }): S3StoreOptions;
  /** Turns versioning on (for a bucket created without it: what was stored before keeps version 'null'). */
  enableVersioning(): Promise<void>;
  /** Deletes every version in the bucket and the bucket. */
  remove(): Promise<void>;
}

/** A new bucket with a unique name, versioned or not. */
export async function createTestBucket(settings: S3TestSettings, options: { readonly versioned: boolean }): Promise<TestBucket> {
  const bucket = `ducksafe-test-${options.versioned ? 'v' : 'u'}-${randomUUID().slice(0, 13)}`;
  await createS3Bucket(settings, bucket, { versioning: options.versioned });
  const url = (prefix = ''): string => (prefix === '' ? `s3://${bucket}` : `s3://${bucket}/${prefix}`);
  return {
    bucket,
    versioned: options.versioned,
    url,
    storeOptions: (prefix = '', extra = {}) => ({
      url: url(prefix),
      endpoint: extra.endpoint ?? settings.endpoint,
      region: settings.region,
      credentials: { source: 'static', accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
      logger: extra.logger ?? silentLogger,
      ...(extra.tuning === undefined ? {} : { tuning: extra.tuning }),
    }),
    enableVersioning: () => enableS3BucketVersioning(settings, bucket),
    remove: () => deleteS3Bucket(settings, bucket),
  };
}
