import { describe, expect, it } from 'vitest';
import { StorageError } from '../object-store.js';
import { isAbortError, toStorageError } from './s3-errors.js';
import type { S3ErrorContext } from './s3-errors.js';

const ctx: S3ErrorContext = {
  op: 'GET',
  endpoint: 'http://127.0.0.1:7480',
  bucket: 'warehouse',
  objectKey: 'pre/db/1/_log/00000000000000000001.json',
  key: 'db/1/_log/00000000000000000001.json',
};

/** What the SDK throws for an S3 error answer: name = S3 code, message often "UnknownError". */
function sdkError(name: string, status: number | undefined, message = 'UnknownError'): Error {
  const err = new Error(message);
  err.name = name;
  return Object.assign(err, { $metadata: status === undefined ? {} : { httpStatusCode: status } });
}

function networkError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('toStorageError', () => {
  const cases: [string, Error, StorageError['kind']][] = [
    ['NoSuchKey', sdkError('NoSuchKey', 404), 'NotFound'],
    ['HEAD 404 (no body, name NotFound)', sdkError('NotFound', 404), 'NotFound'],
    ['NoSuchVersion', sdkError('NoSuchVersion', 404), 'NotFound'],
    ['NoSuchBucket', sdkError('NoSuchBucket', 404), 'BucketMissing'],
    ['PreconditionFailed', sdkError('PreconditionFailed', 412), 'PreconditionFailed'],
    ['a bare 412', sdkError('Unknown', 412), 'PreconditionFailed'],
    ['AccessDenied', sdkError('AccessDenied', 403), 'AccessDenied'],
    ['InvalidAccessKeyId', sdkError('InvalidAccessKeyId', 403), 'AccessDenied'],
    ['SignatureDoesNotMatch', sdkError('SignatureDoesNotMatch', 403), 'AccessDenied'],
    ['HEAD 403 (no body)', sdkError('Unknown', 403), 'AccessDenied'],
    ['InternalError', sdkError('InternalError', 500), 'Temporary'],
    ['ServiceUnavailable', sdkError('ServiceUnavailable', 503), 'Temporary'],
    ['SlowDown', sdkError('SlowDown', 503), 'Temporary'],
    ['a bare 502', sdkError('Unknown', 502), 'Temporary'],
    ['429', sdkError('TooManyRequests', 429), 'Temporary'],
    ['a conditional write that raced (409)', sdkError('ConditionalRequestConflict', 409), 'Temporary'],
    ['NotImplemented (501 is not temporary)', sdkError('NotImplemented', 501), 'Unsupported'],
    ['ECONNRESET', networkError('ECONNRESET', 'read ECONNRESET'), 'Temporary'],
    ['ECONNREFUSED', networkError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1'), 'Temporary'],
    ['EPIPE', networkError('EPIPE', 'write EPIPE'), 'Temporary'],
    ['socket hang up', new Error('socket hang up'), 'Temporary'],
    ['the SDK timeout', sdkError('TimeoutError', undefined, 'Connection timed out after 5000 ms'), 'Temporary'],
    ['InvalidRange', sdkError('InvalidRange', 416), 'Unexpected'],
    ['something else', new Error('boom'), 'Unexpected'],
  ];
  for (const [label, err, kind] of cases) {
    it(`maps ${label} to ${kind}`, () => {
      const converted = toStorageError(err, ctx);
      expect(converted).toBeInstanceOf(StorageError);
      expect(converted.kind).toBe(kind);
      expect(converted.key).toBe(ctx.key);
      expect(converted.cause).toBe(err);
    });
  }

  it('reads a version id the server cannot parse, or a delete marker read by version, as NotFound', () => {
    const withVersion = { ...ctx, versionId: 'bogus' };
    expect(toStorageError(sdkError('InvalidArgument', 400), withVersion).kind).toBe('NotFound');
    expect(toStorageError(sdkError('MethodNotAllowed', 405), withVersion).kind).toBe('NotFound');
    expect(toStorageError(sdkError('InvalidArgument', 400), ctx).kind).toBe('Unexpected');
  });

  it('names the operation, the object, the endpoint and the S3 code, and skips the empty "UnknownError"', () => {
    const converted = toStorageError(sdkError('SignatureDoesNotMatch', 403), ctx);
    expect(converted.message).toBe(
      'S3 GET s3://warehouse/pre/db/1/_log/00000000000000000001.json at http://127.0.0.1:7480 failed: SignatureDoesNotMatch, HTTP 403',
    );
  });

  it('keeps a real server message and a socket error code', () => {
    expect(toStorageError(sdkError('SlowDown', 503, 'Please reduce your request rate.'), ctx).message).toMatch(
      /failed: SlowDown, HTTP 503, Please reduce your request rate\.$/,
    );
    expect(toStorageError(networkError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1'), { ...ctx, versionId: 'v1' }).message).toMatch(
      /\(version v1\) at http:\/\/127\.0\.0\.1:7480 failed: ECONNREFUSED, connect ECONNREFUSED 127\.0\.0\.1:1$/,
    );
  });

  it('passes StorageErrors through and recognises aborts', () => {
    const mine = new StorageError('NotFound', 'x');
    expect(toStorageError(mine, ctx)).toBe(mine);
    const abort = new Error('Request aborted');
    abort.name = 'AbortError';
    expect(isAbortError(abort)).toBe(true);
    expect(isAbortError(new Error('x'))).toBe(false);
  });
});
