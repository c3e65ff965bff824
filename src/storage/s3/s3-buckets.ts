// Bucket administration: creating a bucket (optionally versioned) and removing one with
// everything in it. The server never does this on its own; tools and test setup do, and
// they come here because the AWS SDK is imported nowhere else.
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { ObjectIdentifier } from '@aws-sdk/client-s3';
import { toStorageError } from './s3-errors.js';

export interface S3BucketAdminOptions {
  readonly endpoint: string;
  readonly region?: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

function client(options: S3BucketAdminOptions): S3Client {
  return new S3Client({
    endpoint: options.endpoint,
    region: options.region ?? 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
    maxAttempts: 3,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** Creates the bucket, with versioning enabled when asked. */
export async function createS3Bucket(
  options: S3BucketAdminOptions,
  bucket: string,
  settings: { readonly versioning: boolean },
): Promise<void> {
  const s3 = client(options);
  const ctx = { endpoint: options.endpoint, bucket };
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket })).catch((err: unknown) => {
      throw toStorageError(err, { ...ctx, op: 'create bucket' });
    });
    if (settings.versioning) {
      await s3
        .send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }))
        .catch((err: unknown) => {
          throw toStorageError(err, { ...ctx, op: 'enable versioning on' });
        });
    }
  } finally {
    s3.destroy();
  }
}

/** Turns versioning on for an existing bucket (objects already in it keep the version id 'null'). */
export async function enableS3BucketVersioning(options: S3BucketAdminOptions, bucket: string): Promise<void> {
  const s3 = client(options);
  try {
    await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } })).catch((err: unknown) => {
      throw toStorageError(err, { endpoint: options.endpoint, bucket, op: 'enable versioning on' });
    });
  } finally {
    s3.destroy();
  }
}

/** Deletes every object version and delete marker in the bucket, then the bucket. */
export async function deleteS3Bucket(options: S3BucketAdminOptions, bucket: string): Promise<void> {
  const s3 = client(options);
  const ctx = { endpoint: options.endpoint, bucket };
  try {
    let keyMarker: string | undefined;
    let versionIdMarker: string | undefined;
    for (;;) {
      const page = await s3
        .send(new ListObjectVersionsCommand({ Bucket: bucket, KeyMarker: keyMarker, VersionIdMarker: versionIdMarker }))
        .catch((err: unknown) => {
          throw toStorageError(err, { ...ctx, op: 'list versions in' });
        });
      const doomed: ObjectIdentifier[] = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].flatMap((v) =>
        v.Key === undefined ? [] : [{ Key: v.Key, VersionId: v.VersionId }],
      );
      if (doomed.length > 0) {
        const out = await s3
          .send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: doomed, Quiet: true } }))
          .catch((err: unknown) => {
            throw toStorageError(err, { ...ctx, op: 'delete objects in' });
          });
        const first = out.Errors?.[0];
        if (first !== undefined) {
          throw toStorageError(Object.assign(new Error(first.Message ?? ''), { name: first.Code ?? 'Error' }), {
            ...ctx,
            op: 'delete objects in',
            ...(first.Key === undefined ? {} : { objectKey: first.Key }),
          });
        }
      }
      if (page.IsTruncated !== true) break;
      keyMarker = page.NextKeyMarker;
      versionIdMarker = page.NextVersionIdMarker;
    }
    await s3.send(new DeleteBucketCommand({ Bucket: bucket })).catch((err: unknown) => {
      throw toStorageError(err, { ...ctx, op: 'delete bucket' });
    });
  } finally {
    s3.destroy();
  }
}
