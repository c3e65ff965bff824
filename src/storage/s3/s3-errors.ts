// Converts what the AWS SDK throws into StorageError kinds, at the backend's edge.
// S3-compatible servers (Ceph RGW among them) often send error bodies with an empty
// message, so the SDK's `message` is "UnknownError": the kind comes from the error name
// (the S3 error code) and the HTTP status, and our message supplies the context.
import { StorageError } from '../object-store.js';
import type { StorageErrorKind } from '../object-store.js';

export interface S3ErrorContext {
  /** The operation as a person would name it: 'GET', 'PUT', 'list versions', ... */
  readonly op: string;
  readonly endpoint: string;
  readonly bucket: string;
  /** The full object key in the bucket, when the operation is about one object. */
  readonly objectKey?: string;
  /** The key as the caller gave it (relative to the warehouse prefix). */
  readonly key?: string;
  readonly versionId?: string;
}

interface SdkErrorShape {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly message?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
}

const NOT_FOUND_CODES: ReadonlySet<string> = new Set(['NoSuchKey', 'NotFound', 'NoSuchVersion', 'NoSuchUpload']);
const ACCESS_DENIED_CODES: ReadonlySet<string> = new Set([
  'AccessDenied',
  'Forbidden',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'InvalidToken',
  'ExpiredToken',
  'TokenRefreshRequired',
  'CredentialsProviderError',
]);
const TEMPORARY_CODES: ReadonlySet<string> = new Set([
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'BandwidthLimitExceeded',
  'RequestTimeout',
  'RequestTimeoutException',
  'InternalError',
  'ServiceUnavailable',
  'OperationAborted',
  // AWS answers a conditional write that raced another with 409 and asks for a retry,
  // which then ends in 412 (or success) once the other write settles.
  'ConditionalRequestConflict',
  'TimeoutError',
]);
// Socket-level failures: the request may not have reached the server, or its answer was
// lost; the same request can succeed a moment later.
const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
]);

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function classify(code: string | undefined, netCode: string | undefined, status: number | undefined, message: string, ctx: S3ErrorContext): StorageErrorKind {
  if (code === 'NoSuchBucket') return 'BucketMissing';
  // A read of a delete marker by version id: 405 on AWS, 404 on RGW.
  if (code === 'MethodNotAllowed' || status === 405) return ctx.versionId !== undefined ? 'NotFound' : 'Unexpected';
  // AWS answers 400 for a version id it cannot parse: for the caller that version does not exist.
  if (code === 'InvalidArgument' && ctx.versionId !== undefined) return 'NotFound';
  if (code !== undefined && NOT_FOUND_CODES.has(code)) return 'NotFound';
  if (code === 'PreconditionFailed' || status === 412) return 'PreconditionFailed';
  if ((code !== undefined && ACCESS_DENIED_CODES.has(code)) || status === 403 || status === 401) return 'AccessDenied';
  if (code === 'NotImplemented' || status === 501) return 'Unsupported';
  if (code !== undefined && TEMPORARY_CODES.has(code)) return 'Temporary';
  if (netCode !== undefined && NETWORK_CODES.has(netCode)) return 'Temporary';
  if (status !== undefined && (status >= 500 || status === 429)) return 'Temporary';
  if (status === 404) return 'NotFound';
  if (status === undefined && /socket hang up|timed? ?out|network|ECONNRESET|EPIPE/i.test(message)) return 'Temporary';
  return 'Unexpected';
}

function describe(ctx: S3ErrorContext): string {
  const target = ctx.objectKey === undefined ? `s3://${ctx.bucket}` : `s3://${ctx.bucket}/${ctx.objectKey}`;
  const version = ctx.versionId === undefined ? '' : ` (version ${ctx.versionId})`;
  return `S3 ${ctx.op} ${target}${version} at ${ctx.endpoint}`;
}

/** True for the SDK's own abort error: the caller asked to stop, nothing failed. */
export function isAbortError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as SdkErrorShape).name === 'AbortError';
}

export function toStorageError(err: unknown, ctx: S3ErrorContext): StorageError {
  if (err instanceof StorageError) return err;
  const e: SdkErrorShape = typeof err === 'object' && err !== null ? err : {};
  const rawStatus = e.$metadata?.httpStatusCode;
  const status = typeof rawStatus === 'number' ? rawStatus : undefined;
  const netCode = str(e.code);
  let code = str(e.name);
  // The SDK names errors it could not parse "Error" or "Unknown"; those carry no S3 code.
  if (code === 'Error' || code === 'Unknown' || code === 'UnknownError') code = undefined;
  const message = str(e.message) ?? String(err);
  const kind = classify(code, netCode, status, message, ctx);

  const reason: string[] = [];
  if (code !== undefined) reason.push(code);
  if (status !== undefined) reason.push(`HTTP ${status}`);
  if (netCode !== undefined && netCode !== code) reason.push(netCode);
  if (message !== 'UnknownError' && message !== code) reason.push(message);
  const detail = reason.length === 0 ? 'unknown error' : reason.join(', ');
  return new StorageError(kind, `${describe(ctx)} failed: ${detail}`, ctx.key, { cause: err });
}
