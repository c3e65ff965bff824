// The S3 backend: a warehouse at s3://bucket/prefix on AWS S3 or an S3-compatible server
// (Ceph RGW, MinIO). The only module that imports the AWS SDK. Retries are not done here
// (the SDK's are off): the retry layer (../retry.ts) wraps this store, so every transient
// failure must come out as a StorageError of kind Temporary.
import { randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { TransformCallback } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import type { CompletedPart, GetObjectCommandOutput } from '@aws-sdk/client-s3';
import { fromEnv } from '@aws-sdk/credential-providers';
import type { Logger } from '../../logging/logger.js';
import { StorageError, isStorageError } from '../object-store.js';
import type {
  GetOptions,
  ListOptions,
  ListResult,
  ObjectMeta,
  ObjectStore,
  ObjectVersion,
  Page,
  PutOptions,
  StoreCapabilities,
  VersionRef,
} from '../object-store.js';
import type { PeerCopy } from '../peer-copy.js';
import { ChunkReader, S3_LIMITS, partRanges, partSizeFor, runBounded } from './multipart.js';
import { isAbortError, toStorageError } from './s3-errors.js';
import type { S3ErrorContext } from './s3-errors.js';
import { checkPrefix, copySource, fromObjectKey, parseS3Url, toObjectKey } from './s3-location.js';
import type { S3Location } from './s3-location.js';
import { addServerSideEncryption, type S3ServerSideEncryption } from './s3-sse.js';
import { decodeVersionCursor, encodeVersionCursor, mergeVersions } from './s3-versions.js';

/** Where credentials come from. */
export const S3_CREDENTIAL_SOURCES = ['static', 'env', 'default'] as const;
export type S3CredentialSource = (typeof S3_CREDENTIAL_SOURCES)[number];

export type S3Credentials =
  | {
      readonly source: 'static';
      readonly accessKeyId: string;
      readonly secretAccessKey: string;
      readonly sessionToken?: string;
    }
  /** AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN only. */
  | { readonly source: 'env' }
  /** The SDK's default chain: environment, shared config files, SSO, container and instance roles. */
  | { readonly source: 'default' };

/** The bucket's versioning state as GetBucketVersioning reports it ('Unversioned': never enabled). */
export const S3_VERSIONING_STATES = ['Enabled', 'Suspended', 'Unversioned'] as const;
export type S3VersioningState = (typeof S3_VERSIONING_STATES)[number];

export interface S3Tuning {
  /** Objects above this size go up in parts. */
  readonly multipartThreshold: number;
  /** Preferred part size; grows for very large files to stay within 10,000 parts. */
  readonly partSize: number;
  /** Parts (and part copies) in flight at once, per upload. */
  readonly concurrency: number;
  /** Copies above this size use UploadPartCopy (CopyObject stops at 5 GiB). */
  readonly copyThreshold: number;
  readonly copyPartSize: number;
  readonly connectTimeoutMs: number;
  /** A socket that stays silent this long is dropped (a Temporary error). */
  readonly idleTimeoutMs: number;
  /** Attempts made by the SDK itself; 1 because ../retry.ts is the retry layer. */
  readonly maxAttempts: number;
}

const MIB = 1024 * 1024;

export const DEFAULT_S3_TUNING: S3Tuning = {
  multipartThreshold: 16 * MIB,
  partSize: 8 * MIB,
  concurrency: 4,
  copyThreshold: S3_LIMITS.maxSinglePutBytes,
  copyPartSize: 512 * MIB,
  connectTimeoutMs: 5_000,
  idleTimeoutMs: 30_000,
  maxAttempts: 1,
};

export interface S3StoreOptions {
  /** s3://bucket or s3://bucket/prefix */
  readonly url: string;
  /** For S3-compatible servers, e.g. http://127.0.0.1:7480; AWS when absent. */
  readonly endpoint?: string;
  /** Default us-east-1. */
  readonly region?: string;
  /** Default: true when an endpoint is given (most S3-compatible servers need it). */
  readonly forcePathStyle?: boolean;
  /** Default: the SDK's default chain. */
  readonly credentials?: S3Credentials;
  readonly logger: Logger;
  readonly tuning?: Partial<S3Tuning>;
  /**
   * Probe whether conditional creates are enforced (default true). The probe writes and
   * removes an object, so callers that may only read (a READ ONLY backup repository) turn
   * it off; the store then reports conditional creates as unavailable.
   */
  readonly probeConditionalCreate?: boolean;
  /** What the store is, in error messages (default 'warehouse'). */
  readonly purpose?: string;
  /** Server-side encryption headers on every object created (the store must honour them). */
  readonly serverSideEncryption?: S3ServerSideEncryption;
}

/** What openS3Store found out about the bucket, for the startup log. */
export interface S3StoreFacts {
  readonly endpoint: string;
  readonly bucket: string;
  readonly prefix: string;
  readonly region: string;
  readonly versioning: S3VersioningState;
  /** If-None-Match: * was enforced by the store in a probe at open. */
  readonly conditionalCreate: boolean;
}

// A key under the warehouse prefix used only for the conditional-create probe and removed
// (all its versions) right after. Its name cannot be produced by ../keys.ts.
const PROBE_PREFIX = '_ducksafe-probe/';

type OpContext = Omit<S3ErrorContext, 'endpoint' | 'bucket'>;

/** What a write's answer says about the new object (servers differ in what they include). */
interface Written {
  readonly versionId: string | undefined;
  readonly etag: string | undefined;
}

interface PartBody {
  readonly length: number;
  /** Opened only when the part's upload starts, so queued parts hold no file handle. */
  readonly open: () => Uint8Array | Readable;
}

function unquote(etag: string | undefined): string | undefined {
  if (etag === undefined || etag === '') return undefined;
  return etag.replace(/^"(.*)"$/, '$1');
}

function totalSize(contentRange: string | undefined, contentLength: number | undefined): number {
  const total = contentRange === undefined ? undefined : /\/(\d+)$/.exec(contentRange)?.[1];
  return total !== undefined ? Number(total) : (contentLength ?? 0);
}

function buildMeta(
  key: string,
  fields: {
    readonly size: number;
    readonly lastModified: Date | undefined;
    readonly etag: string | undefined;
    readonly versionId: string | undefined;
  },
): ObjectMeta {
  const etag = unquote(fields.etag);
  return {
    key,
    size: fields.size,
    lastModified: fields.lastModified ?? new Date(0),
    ...(etag === undefined ? {} : { etag }),
    ...(fields.versionId === undefined || fields.versionId === '' ? {} : { versionId: fields.versionId }),
  };
}

/** Passes bytes through and fails with a Temporary error when the body ends short or long. */
class LengthCheck extends Transform {
  private seen = 0;
  constructor(
    private readonly expected: number | undefined,
    private readonly mismatch: (seen: number, expected: number) => Error,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.seen += chunk.length;
    callback(null, chunk);
  }
  override _flush(callback: TransformCallback): void {
    if (this.expected !== undefined && this.seen !== this.expected) callback(this.mismatch(this.seen, this.expected));
    else callback();
  }
}

export class S3Store implements ObjectStore, PeerCopy {
  readonly url: string;
  readonly capabilities: StoreCapabilities;
  /** Buckets behind one endpoint copy between each other server-side (CopyObject). */
  readonly copyDomain: string;

  /** Use openS3Store: it checks the bucket and probes the facts this constructor takes. */
  constructor(
    private readonly client: S3Client,
    private readonly location: S3Location,
    readonly facts: S3StoreFacts,
    private readonly tuning: S3Tuning,
    private readonly logger: Logger,
  ) {
    this.url = `s3://${location.bucket}/${location.prefix}`;
    this.copyDomain = `s3 ${facts.endpoint}`;
    this.capabilities = {
      versioning: facts.versioning === 'Enabled',
      conditionalCreate: facts.conditionalCreate,
      serverSideCopy: true,
    };
  }

  async put(key: string, body: Uint8Array | Readable, options: PutOptions = {}): Promise<ObjectMeta> {
    const objectKey = toObjectKey(this.location, key);
    if (body instanceof Uint8Array) {
      if (body.length <= this.tuning.multipartThreshold) {
        const written = await this.putObject(key, objectKey, body, body.length, options);
        return this.headWritten(key, objectKey, written, body.length);
      }
      const partSize = partSizeFor(body.length, this.tuning.partSize);
      const parts = partRanges(body.length, partSize).map(
        (r): PartBody => ({ length: r.end - r.start + 1, open: () => body.subarray(r.start, r.end + 1) }),
      );
      const written = await this.multipartUpload(key, objectKey, fromList(parts), options);
      return this.headWritten(key, objectKey, written, body.length);
    }
    return this.putStream(key, objectKey, body, options);
  }

  async putFile(key: string, path: string, options: PutOptions = {}): Promise<ObjectMeta> {
    const objectKey = toObjectKey(this.location, key);
    let size: number;
    try {
      size = (await stat(path)).size;
    } catch (err) {
      throw new StorageError('Unexpected', `cannot upload local file ${path} to ${this.describe(objectKey)}: ${String(err)}`, key, {
        cause: err,
      });
    }
    let written: Written;
    if (size <= this.tuning.multipartThreshold) {
      const body = createReadStream(path);
      try {
        written = await this.putObject(key, objectKey, body, size, options);
      } finally {
        body.destroy();
      }
    } else {
      const partSize = partSizeFor(size, this.tuning.partSize);
      const parts = partRanges(size, partSize).map(
        (r): PartBody => ({ length: r.end - r.start + 1, open: () => createReadStream(path, { start: r.start, end: r.end }) }),
      );
      written = await this.multipartUpload(key, objectKey, fromList(parts), options);
    }
    return this.headWritten(key, objectKey, written, size);
  }

  async get(key: string, options: GetOptions = {}): Promise<Uint8Array> {
    const objectKey = toObjectKey(this.location, key);
    const ctx = this.readContext('GET', key, objectKey, options);
    return this.call(ctx, async () => {
      const out = await this.getObject(objectKey, options);
      const body = out.Body;
      if (body === undefined) return new Uint8Array(0);
      const bytes = await body.transformToByteArray();
      if (out.ContentLength !== undefined && bytes.length !== out.ContentLength) {
        throw this.truncated(ctx, bytes.length, out.ContentLength);
      }
      return bytes;
    });
  }

  async getStream(key: string, options: GetOptions = {}): Promise<Readable> {
    const objectKey = toObjectKey(this.location, key);
    const ctx = this.readContext('GET', key, objectKey, options);
    const out = await this.call(ctx, () => this.getObject(objectKey, options));
    return this.checkedBody(out, ctx);
  }

  async getFile(key: string, path: string, options: GetOptions = {}): Promise<ObjectMeta> {
    const objectKey = toObjectKey(this.location, key);
    const ctx = this.readContext('GET', key, objectKey, options);
    const out = await this.call(ctx, () => this.getObject(objectKey, options));
    const body = this.checkedBody(out, ctx);
    // Same directory, so the rename is atomic; a crash leaves at most a stray temp file,
    // never a torn file under the final name.
    const temp = `${path}.${randomUUID()}.tmp`;
    try {
      await pipeline(body, createWriteStream(temp, { flags: 'wx', flush: true }));
      await rename(temp, path);
    } catch (err) {
      await rm(temp, { force: true });
      if (isStorageError(err) || isAbortError(err)) throw err;
      throw new StorageError('Unexpected', `cannot write ${path} from ${this.describe(objectKey)}: ${String(err)}`, key, {
        cause: err,
      });
    }
    return buildMeta(key, {
      size: totalSize(out.ContentRange, out.ContentLength),
      lastModified: out.LastModified,
      etag: out.ETag,
      versionId: out.VersionId,
    });
  }

  async head(key: string, options: { readonly versionId?: string } = {}): Promise<ObjectMeta> {
    const objectKey = toObjectKey(this.location, key);
    return this.headObject(key, objectKey, options.versionId);
  }

  async delete(key: string): Promise<void> {
    const objectKey = toObjectKey(this.location, key);
    await this.deleteObject(key, objectKey, undefined);
  }

  async deleteVersion(key: string, versionId: string): Promise<void> {
    const objectKey = toObjectKey(this.location, key);
    await this.deleteObject(key, objectKey, versionId);
  }

  async deleteVersions(versions: readonly VersionRef[]): Promise<void> {
    const batches: VersionRef[][] = [];
    for (let i = 0; i < versions.length; i += S3_LIMITS.maxDeleteBatch) batches.push(versions.slice(i, i + S3_LIMITS.maxDeleteBatch));
    await runBounded(fromList(batches), (batch) => this.deleteBatch(batch), this.tuning.concurrency);
  }

  async list(options: ListOptions): Promise<ListResult> {
    checkPrefix(options.prefix);
    const prefix = this.location.prefix + options.prefix;
    const out = await this.call({ op: 'list', objectKey: prefix, key: options.prefix }, () =>
      this.client.send(
        new ListObjectsV2Command({
          Bucket: this.location.bucket,
          Prefix: prefix,
          Delimiter: options.delimiter === true ? '/' : undefined,
          MaxKeys: options.pageSize,
          ContinuationToken: options.continuation,
        }),
      ),
    );
    const items = (out.Contents ?? []).flatMap((o): ObjectMeta[] =>
      o.Key === undefined
        ? []
        : [
            buildMeta(fromObjectKey(this.location, o.Key), {
              size: o.Size ?? 0,
              lastModified: o.LastModified,
              etag: o.ETag,
              versionId: undefined,
            }),
          ],
    );
    const prefixes = (out.CommonPrefixes ?? []).flatMap((p) =>
      p.Prefix === undefined ? [] : [fromObjectKey(this.location, p.Prefix)],
    );
    const next = out.IsTruncated === true ? out.NextContinuationToken : undefined;
    return next === undefined ? { items, prefixes } : { items, prefixes, next };
  }

  async listVersions(options: ListOptions): Promise<Page<ObjectVersion>> {
    checkPrefix(options.prefix);
    const prefix = this.location.prefix + options.prefix;
    const cursor = options.continuation === undefined ? undefined : decodeVersionCursor(options.continuation);
    if (options.continuation !== undefined && cursor === undefined) {
      throw new StorageError('Unexpected', `invalid continuation token for listing versions under '${options.prefix}'`);
    }
    const out = await this.call({ op: 'list versions', objectKey: prefix, key: options.prefix }, () =>
      this.client.send(
        new ListObjectVersionsCommand({
          Bucket: this.location.bucket,
          Prefix: prefix,
          Delimiter: options.delimiter === true ? '/' : undefined,
          MaxKeys: options.pageSize,
          KeyMarker: cursor?.keyMarker,
          VersionIdMarker: cursor?.versionIdMarker,
        }),
      ),
    );
    const versions = (out.Versions ?? []).flatMap((v): ObjectVersion[] =>
      v.Key === undefined
        ? []
        : [
            {
              key: fromObjectKey(this.location, v.Key),
              versionId: v.VersionId ?? 'null',
              isLatest: v.IsLatest === true,
              isDeleteMarker: false,
              size: v.Size ?? 0,
              lastModified: v.LastModified ?? new Date(0),
            },
          ],
    );
    const markers = (out.DeleteMarkers ?? []).flatMap((m): ObjectVersion[] =>
      m.Key === undefined
        ? []
        : [
            {
              key: fromObjectKey(this.location, m.Key),
              versionId: m.VersionId ?? 'null',
              isLatest: m.IsLatest === true,
              isDeleteMarker: true,
              size: 0,
              lastModified: m.LastModified ?? new Date(0),
            },
          ],
    );
    const items = mergeVersions(versions, markers);
    if (out.IsTruncated !== true || out.NextKeyMarker === undefined) return { items };
    const next = encodeVersionCursor(
      out.NextVersionIdMarker === undefined
        ? { keyMarker: out.NextKeyMarker }
        : { keyMarker: out.NextKeyMarker, versionIdMarker: out.NextVersionIdMarker },
    );
    return { items, next };
  }

  async copy(fromKey: string, toKey: string, options: { readonly versionId?: string } = {}): Promise<ObjectMeta> {
    const fromObject = toObjectKey(this.location, fromKey);
    const toObject = toObjectKey(this.location, toKey);
    // The source's size decides between CopyObject and a multipart copy, and a missing
    // source is reported as NotFound under its own key rather than the destination's.
    const source = await this.headObject(fromKey, fromObject, options.versionId);
    const from = copySource(this.location, fromObject, options.versionId);
    let written: Written;
    if (source.size <= this.tuning.copyThreshold) {
      const out = await this.call({ op: `COPY from ${fromObject} to`, objectKey: toObject, key: toKey }, () =>
        this.client.send(new CopyObjectCommand({ Bucket: this.location.bucket, Key: toObject, CopySource: from })),
      );
      written = { versionId: out.VersionId, etag: out.CopyObjectResult?.ETag };
    } else {
      written = await this.multipartCopy(toKey, toObject, from, source.size);
    }
    // Some servers (Ceph RGW) return no version id from CopyObject: the HEAD that follows
    // then reads the newest version, which is ours unless another writer raced on toKey.
    return this.headWritten(toKey, toObject, written, source.size);
  }

  copySource(key: string): string {
    return copySource(this.location, toObjectKey(this.location, key));
  }

  async copyFromPeer(source: string, size: number, toKey: string, options: { readonly signal?: AbortSignal } = {}): Promise<ObjectMeta> {
    const toObject = toObjectKey(this.location, toKey);
    let written: Written;
    if (size <= this.tuning.copyThreshold) {
      const out = await this.call({ op: `COPY from ${source} to`, objectKey: toObject, key: toKey }, () =>
        this.client.send(new CopyObjectCommand({ Bucket: this.location.bucket, Key: toObject, CopySource: source }), abortable(options.signal)),
      );
      written = { versionId: out.VersionId, etag: out.CopyObjectResult?.ETag };
    } else {
      written = await this.multipartCopy(toKey, toObject, source, size);
    }
    return this.headWritten(toKey, toObject, written, size);
  }

  close(): Promise<void> {
    this.client.destroy();
    return Promise.resolve();
  }

  // --- internals -------------------------------------------------------------------------

  private describe(objectKey: string): string {
    return `s3://${this.location.bucket}/${objectKey} at ${this.facts.endpoint}`;
  }

  private async call<T>(ctx: OpContext, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      if (isAbortError(err)) throw err;
      throw toStorageError(err, { ...ctx, endpoint: this.facts.endpoint, bucket: this.location.bucket });
    }
  }

  private readContext(op: string, key: string, objectKey: string, options: GetOptions): OpContext {
    return options.versionId === undefined ? { op, key, objectKey } : { op, key, objectKey, versionId: options.versionId };
  }

  private truncated(ctx: OpContext, seen: number, expected: number): StorageError {
    return new StorageError(
      'Temporary',
      `S3 ${ctx.op} ${this.describe(ctx.objectKey ?? '')} failed: body ended after ${seen} of ${expected} bytes`,
      ctx.key,
    );
  }

  private getObject(objectKey: string, options: GetOptions): Promise<GetObjectCommandOutput> {
    const range = options.range === undefined ? undefined : `bytes=${options.range.start}-${options.range.end}`;
    return this.client.send(
      new GetObjectCommand({ Bucket: this.location.bucket, Key: objectKey, VersionId: options.versionId, Range: range }),
      abortable(options.signal),
    );
  }

  /** The response body as a Readable whose errors are StorageErrors and whose length is checked. */
  private checkedBody(out: GetObjectCommandOutput, ctx: OpContext): Readable {
    const body = out.Body;
    if (body === undefined) return Readable.from([]);
    if (!(body instanceof Readable)) {
      throw new StorageError('Unexpected', `S3 ${ctx.op} ${this.describe(ctx.objectKey ?? '')}: the response body is not a Node stream`, ctx.key);
    }
    const checked = new LengthCheck(out.ContentLength, (seen, expected) => this.truncated(ctx, seen, expected));
    const convert = (err: unknown): Error =>
      isAbortError(err) ? (err as Error) : toStorageError(err, { ...ctx, endpoint: this.facts.endpoint, bucket: this.location.bucket });
    body.on('error', (err) => checked.destroy(convert(err)));
    // A consumer that stops early must give the socket back.
    checked.on('close', () => {
      if (!body.destroyed) body.destroy();
    });
    body.pipe(checked);
    return checked;
  }

  private async headObject(key: string, objectKey: string, versionId: string | undefined): Promise<ObjectMeta> {
    const ctx: OpContext = versionId === undefined ? { op: 'HEAD', key, objectKey } : { op: 'HEAD', key, objectKey, versionId };
    const out = await this.call(ctx, () =>
      this.client.send(new HeadObjectCommand({ Bucket: this.location.bucket, Key: objectKey, VersionId: versionId })),
    );
    if (out.DeleteMarker === true) {
      throw new StorageError('NotFound', `S3 HEAD ${this.describe(objectKey)}: the version is a delete marker`, key);
    }
    return buildMeta(key, { size: out.ContentLength ?? 0, lastModified: out.LastModified, etag: out.ETag, versionId: out.VersionId });
  }

  /**
   * The written object's metadata, read back (by version id when the write returned one)
   * because writes do not report a modification time and some servers return no version
   * id or ETag. The write has happened by now: if the read-back fails, what the write told
   * is returned rather than an error, so a caller never retries a write that succeeded (a
   * conditional create would then fail against its own object).
   */
  private async headWritten(key: string, objectKey: string, written: Written, size: number): Promise<ObjectMeta> {
    const versionId = written.versionId === '' ? undefined : written.versionId;
    try {
      return await this.headObject(key, objectKey, versionId);
    } catch (err) {
      this.logger.warn(
        { key, err: err instanceof Error ? err.message : String(err) },
        'could not read back a written S3 object; its modification time is taken from the local clock',
      );
      return buildMeta(key, { size, lastModified: new Date(), etag: written.etag, versionId });
    }
  }

  private async putObject(
    key: string,
    objectKey: string,
    body: Uint8Array | Readable,
    length: number,
    options: PutOptions,
  ): Promise<Written> {
    const out = await this.call({ op: 'PUT', key, objectKey }, () =>
      this.client.send(
        new PutObjectCommand({
          Bucket: this.location.bucket,
          Key: objectKey,
          Body: body,
          ContentLength: length,
          ContentType: options.contentType,
          IfNoneMatch: options.ifNoneMatch === true ? '*' : undefined,
        }),
        abortable(options.signal),
      ),
    );
    return { versionId: out.VersionId, etag: out.ETag };
  }

  private async putStream(key: string, objectKey: string, stream: Readable, options: PutOptions): Promise<ObjectMeta> {
    const reader = new ChunkReader(stream);
    try {
      let first: Buffer;
      let exhausted: boolean;
      try {
        first = await reader.read(this.tuning.multipartThreshold);
        exhausted = await reader.exhausted();
      } catch (err) {
        throw new StorageError('Unexpected', `cannot read the body for ${this.describe(objectKey)}: ${String(err)}`, key, {
          cause: err,
        });
      }
      if (exhausted) {
        const written = await this.putObject(key, objectKey, first, first.length, options);
        return await this.headWritten(key, objectKey, written, first.length);
      }
      // Parts of a stream of unknown length have a fixed size, so the part count bounds
      // the object at partSize × 10,000.
      const partSize = Math.max(this.tuning.partSize, S3_LIMITS.minPartBytes);
      let buffered: Buffer = first;
      let count = 0;
      let total = 0;
      const next = async (): Promise<PartBody | undefined> => {
        let part: Buffer;
        if (buffered.length >= partSize) {
          part = buffered.subarray(0, partSize);
          buffered = buffered.subarray(partSize);
        } else {
          const more = await reader.read(partSize - buffered.length);
          part = buffered.length === 0 ? more : Buffer.concat([buffered, more]);
          buffered = Buffer.alloc(0);
        }
        if (part.length === 0) return undefined;
        count += 1;
        if (count > S3_LIMITS.maxParts) {
          throw new StorageError(
            'Unsupported',
            `${this.describe(objectKey)}: a streamed body larger than ${S3_LIMITS.maxParts} parts of ${partSize} bytes cannot be uploaded`,
            key,
          );
        }
        total += part.length;
        return { length: part.length, open: () => part };
      };
      const written = await this.multipartUpload(key, objectKey, next, options);
      return await this.headWritten(key, objectKey, written, total);
    } finally {
      await reader.cancel();
    }
  }

  private async multipartUpload(
    key: string,
    objectKey: string,
    next: () => Promise<PartBody | undefined>,
    options: PutOptions,
  ): Promise<Written> {
    const bucket = this.location.bucket;
    const created = await this.call({ op: 'create multipart upload', key, objectKey }, () =>
      this.client.send(
        new CreateMultipartUploadCommand({ Bucket: bucket, Key: objectKey, ContentType: options.contentType }),
        abortable(options.signal),
      ),
    );
    const uploadId = created.UploadId;
    if (uploadId === undefined) {
      throw new StorageError('Unexpected', `S3 create multipart upload ${this.describe(objectKey)}: no upload id returned`, key);
    }
    try {
      const parts = await runBounded(
        next,
        async (part, index): Promise<CompletedPart> => {
          const partNumber = index + 1;
          const body = part.open();
          try {
            const out = await this.call({ op: `upload part ${partNumber}`, key, objectKey }, () =>
              this.client.send(
                new UploadPartCommand({
                  Bucket: bucket,
                  Key: objectKey,
                  UploadId: uploadId,
                  PartNumber: partNumber,
                  Body: body,
                  ContentLength: part.length,
                }),
                abortable(options.signal),
              ),
            );
            return { PartNumber: partNumber, ETag: out.ETag };
          } finally {
            // A failed request may leave a file stream unread and its descriptor open.
            if (body instanceof Readable) body.destroy();
          }
        },
        this.tuning.concurrency,
      );
      const done = await this.call({ op: 'complete multipart upload', key, objectKey }, () =>
        this.client.send(
          new CompleteMultipartUploadCommand({
            Bucket: bucket,
            Key: objectKey,
            UploadId: uploadId,
            MultipartUpload: { Parts: parts },
            IfNoneMatch: options.ifNoneMatch === true ? '*' : undefined,
          }),
          abortable(options.signal),
        ),
      );
      return { versionId: done.VersionId, etag: done.ETag };
    } catch (err) {
      await this.abortUpload(key, objectKey, uploadId);
      throw err;
    }
  }

  private async multipartCopy(toKey: string, toObject: string, from: string, size: number): Promise<Written> {
    const bucket = this.location.bucket;
    const created = await this.call({ op: 'create multipart upload', key: toKey, objectKey: toObject }, () =>
      this.client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: toObject })),
    );
    const uploadId = created.UploadId;
    if (uploadId === undefined) {
      throw new StorageError('Unexpected', `S3 create multipart upload ${this.describe(toObject)}: no upload id returned`, toKey);
    }
    try {
      const ranges = partRanges(size, partSizeFor(size, this.tuning.copyPartSize));
      const parts = await runBounded(
        fromList(ranges),
        async (range, index): Promise<CompletedPart> => {
          const partNumber = index + 1;
          const out = await this.call({ op: `copy part ${partNumber}`, key: toKey, objectKey: toObject }, () =>
            this.client.send(
              new UploadPartCopyCommand({
                Bucket: bucket,
                Key: toObject,
                UploadId: uploadId,
                PartNumber: partNumber,
                CopySource: from,
                CopySourceRange: `bytes=${range.start}-${range.end}`,
              }),
            ),
          );
          return { PartNumber: partNumber, ETag: out.CopyPartResult?.ETag };
        },
        this.tuning.concurrency,
      );
      const done = await this.call({ op: 'complete multipart copy', key: toKey, objectKey: toObject }, () =>
        this.client.send(
          new CompleteMultipartUploadCommand({ Bucket: bucket, Key: toObject, UploadId: uploadId, MultipartUpload: { Parts: parts } }),
        ),
      );
      return { versionId: done.VersionId, etag: done.ETag };
    } catch (err) {
      await this.abortUpload(toKey, toObject, uploadId);
      throw err;
    }
  }

  /** Best effort: an upload left behind costs storage until a lifecycle rule removes it. */
  private async abortUpload(key: string, objectKey: string, uploadId: string): Promise<void> {
    try {
      await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.location.bucket, Key: objectKey, UploadId: uploadId }));
    } catch (err) {
      const failure = toStorageError(err, {
        op: 'abort multipart upload',
        key,
        objectKey,
        endpoint: this.facts.endpoint,
        bucket: this.location.bucket,
      });
      this.logger.warn({ key, uploadId, err: failure.message }, 'could not abort a failed multipart upload');
    }
  }

  private async deleteBatch(batch: readonly VersionRef[]): Promise<void> {
    const objects = batch.map((v) => ({ Key: toObjectKey(this.location, v.key), VersionId: v.versionId }));
    const first = objects[0]?.Key ?? '';
    const out = await this.call({ op: `DELETE ${batch.length} versions from`, key: batch[0]?.key ?? '', objectKey: first }, () =>
      this.client.send(new DeleteObjectsCommand({ Bucket: this.location.bucket, Delete: { Objects: objects, Quiet: true } })),
    );
    // Each object fails or succeeds on its own; one already gone is done, as for a single delete.
    const failure = (out.Errors ?? []).map((e) => {
      const objectKey = e.Key ?? first;
      const ctx: OpContext = { op: 'DELETE', key: fromObjectKey(this.location, objectKey), objectKey, ...(e.VersionId === undefined ? {} : { versionId: e.VersionId }) };
      return toStorageError(Object.assign(new Error(e.Message ?? ''), { name: e.Code ?? 'Error' }), { ...ctx, endpoint: this.facts.endpoint, bucket: this.location.bucket });
    }).find((err) => err.kind !== 'NotFound');
    if (failure !== undefined) throw failure;
  }

  private async deleteObject(key: string, objectKey: string, versionId: string | undefined): Promise<void> {
    const ctx: OpContext = versionId === undefined ? { op: 'DELETE', key, objectKey } : { op: 'DELETE', key, objectKey, versionId };
    try {
      await this.call(ctx, () =>
        this.client.send(new DeleteObjectCommand({ Bucket: this.location.bucket, Key: objectKey, VersionId: versionId })),
      );
    } catch (err) {
      // Deleting what is not there is done, as S3 itself answers for plain deletes.
      if (isStorageError(err, 'NotFound')) return;
      throw err;
    }
  }
}

function abortable(signal: AbortSignal | undefined): { abortSignal?: AbortSignal } {
  return signal === undefined ? {} : { abortSignal: signal };
}

function fromList<T>(items: readonly T[]): () => Promise<T | undefined> {
  let index = 0;
  return () => Promise.resolve(items[index++]);
}

/**
 * The SDK's logger over ours. Without one the SDK writes some warnings to the console;
 * with one it also logs every command, input included, at info: noise (and request
 * bodies) the log must not carry, so info and debug are dropped.
 */
function sdkLogger(logger: Logger): {
  trace(): void;
  debug(): void;
  info(): void;
  warn(...content: unknown[]): void;
  error(...content: unknown[]): void;
} {
  // The SDK logs live request objects (circular): summarise, and never let logging throw
  // into the operation it describes.
  const one = (c: unknown): string => {
    if (typeof c === 'string') return c;
    if (c instanceof Error) return `${c.name}: ${c.message}`;
    try {
      return JSON.stringify(c) ?? String(c);
    } catch {
      return inspect(c, { depth: 1, breakLength: Infinity });
    }
  };
  const text = (content: unknown[]): string => content.map(one).join(' ').slice(0, 1000);
  return {
    trace: () => {},
    debug: () => {},
    info: () => {},
    warn: (...content) => logger.warn({ source: 'aws-sdk' }, text(content)),
    error: (...content) => logger.error({ source: 'aws-sdk' }, text(content)),
  };
}

function makeClient(options: S3StoreOptions, region: string, tuning: S3Tuning): S3Client {
  const credentials = options.credentials ?? { source: 'default' };
  const client = new S3Client({
    logger: sdkLogger(options.logger),
    region,
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    forcePathStyle: options.forcePathStyle ?? options.endpoint !== undefined,
    ...(credentials.source === 'static'
      ? {
          credentials: {
            accessKeyId: credentials.accessKeyId,
            secretAccessKey: credentials.secretAccessKey,
            ...(credentials.sessionToken === undefined ? {} : { sessionToken: credentials.sessionToken }),
          },
        }
      : credentials.source === 'env'
        ? { credentials: fromEnv() }
        : {}),
    maxAttempts: tuning.maxAttempts,
    // With the SDK's default (WHEN_SUPPORTED) checksums, streamed bodies go out with
    // aws-chunked encoding, which S3-compatible servers such as Ceph RGW reject (411).
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: {
      connectionTimeout: tuning.connectTimeoutMs,
      socketTimeout: tuning.idleTimeoutMs,
      httpAgent: { keepAlive: true, maxSockets: 64 },
      httpsAgent: { keepAlive: true, maxSockets: 64 },
    },
  });
  addServerSideEncryption(client, options.serverSideEncryption);
  return client;
}

const STARTUP_HINTS: Partial<Record<StorageError['kind'], string>> = {
  AccessDenied: 'check the access key and secret key, and that they may use this bucket',
  BucketMissing: 'create the bucket first, or fix the bucket name in the warehouse URL',
  Temporary: 'is the endpoint reachable and the S3 server running?',
};

function startupError(err: unknown, url: string, purpose: string): unknown {
  if (!isStorageError(err)) return err;
  const hint = STARTUP_HINTS[err.kind];
  const message = `cannot open the S3 ${purpose} ${url}: ${err.message}${hint === undefined ? '' : ` (${hint})`}`;
  return new StorageError(err.kind, message, err.key, { cause: err });
}

async function readVersioning(client: S3Client, bucket: string, endpoint: string): Promise<S3VersioningState> {
  try {
    const out = await client.send(new GetBucketVersioningCommand({ Bucket: bucket }));
    return out.Status === 'Enabled' ? 'Enabled' : out.Status === 'Suspended' ? 'Suspended' : 'Unversioned';
  } catch (err) {
    throw toStorageError(err, { op: 'GET bucket versioning of', endpoint, bucket });
  }
}

/**
 * Whether the store refuses a second create of the same key: some servers (Ceph RGW on
 * versioned buckets) accept If-None-Match and ignore it, so only a real attempt tells.
 */
async function probeConditionalCreate(store: S3Store, logger: Logger): Promise<boolean> {
  const key = `${PROBE_PREFIX}${randomUUID()}`;
  const body = new TextEncoder().encode('conditional-create probe');
  await store.put(key, body, { ifNoneMatch: true });
  try {
    await store.put(key, body, { ifNoneMatch: true });
    return false;
  } catch (err) {
    if (isStorageError(err, 'PreconditionFailed')) return true;
    if (isStorageError(err, 'Unsupported') || isStorageError(err, 'Unexpected')) {
      logger.warn({ err: err.message }, 'the S3 store rejected a conditional PUT; treating conditional create as unavailable');
      return false;
    }
    throw err;
  } finally {
    await removeAllVersions(store, key, logger);
  }
}

async function removeAllVersions(store: S3Store, key: string, logger: Logger): Promise<void> {
  try {
    if (store.facts.versioning === 'Unversioned') {
      await store.delete(key);
      return;
    }
    let continuation: string | undefined;
    do {
      const page = await store.listVersions(continuation === undefined ? { prefix: key } : { prefix: key, continuation });
      for (const v of page.items) if (v.key === key) await store.deleteVersion(key, v.versionId);
      continuation = page.next;
    } while (continuation !== undefined);
  } catch (err) {
    logger.warn({ key, err: err instanceof Error ? err.message : String(err) }, 'could not remove the conditional-create probe object');
  }
}

/**
 * Opens the warehouse at options.url: checks that the endpoint answers, the credentials
 * are accepted and the bucket exists (each failure a StorageError whose message names
 * the endpoint, the bucket and the S3 error code), reads the bucket's versioning state and
 * probes whether conditional creates are enforced. The result's `facts` say what was found.
 */
export async function openS3Store(options: S3StoreOptions): Promise<S3Store> {
  const location = parseS3Url(options.url);
  const region = options.region ?? 'us-east-1';
  const tuning: S3Tuning = { ...DEFAULT_S3_TUNING, ...options.tuning };
  const endpoint = options.endpoint ?? `https://s3.${region}.amazonaws.com`;
  const client = makeClient(options, region, tuning);
  try {
    const versioning = await readVersioning(client, location.bucket, endpoint);
    const facts = { endpoint, bucket: location.bucket, prefix: location.prefix, region, versioning };
    const probing = new S3Store(client, location, { ...facts, conditionalCreate: false }, tuning, options.logger);
    if (options.probeConditionalCreate === false) return probing;
    const conditionalCreate = await probeConditionalCreate(probing, options.logger);
    return new S3Store(client, location, { ...facts, conditionalCreate }, tuning, options.logger);
  } catch (err) {
    client.destroy();
    throw startupError(err, options.url, options.purpose ?? 'warehouse');
  }
}
