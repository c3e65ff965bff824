// transferObject against the real S3 server: server-side between two buckets of one
// endpoint (through the retry layer), streamed from a local store, verified both ways.
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logging/logger.js';
import { openLocalStore } from '../../src/storage/local/local-store.js';
import { isStorageError, type ObjectStore } from '../../src/storage/object-store.js';
import { withRetry } from '../../src/storage/retry.js';
import { openS3Store } from '../../src/storage/s3/s3-store.js';
import { transferObject, TransferVerificationError } from '../../src/storage/transfer.js';
import { createTestBucket, s3TestSettingsOrSkip, type TestBucket } from '../helpers/s3-env.js';

const settings = s3TestSettingsOrSkip('S3 transfers');
const RETRY = { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 100, maxElapsedMs: 5_000, logger: silentLogger };
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

describe.skipIf(settings === undefined)('transferObject on S3', () => {
  let one: TestBucket;
  let two: TestBucket;
  let a: ObjectStore;
  let b: ObjectStore;
  let dir: string;
  const body = new Uint8Array(200_000).map((_v, i) => (i * 13) % 256);

  beforeAll(async () => {
    if (settings === undefined) return;
    one = await createTestBucket(settings, { versioned: true });
    two = await createTestBucket(settings, { versioned: true });
    a = withRetry(await openS3Store(one.storeOptions('wh')), RETRY);
    b = withRetry(await openS3Store({ ...two.storeOptions('repo'), probeConditionalCreate: false }), RETRY);
    dir = await mkdtemp(path.join(os.tmpdir(), 'ducksafe-s3-transfer-'));
    await a.put('db/x/file.bin', body);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await one?.remove();
    await two?.remove();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('copies server-side between buckets of one endpoint, and hashes the source', async () => {
    const result = await transferObject({ from: a, fromKey: 'db/x/file.bin', to: b, toKey: 'data/file.bin', size: body.length });
    expect(result).toEqual({ size: body.length, sha256: sha(body), serverSide: true });
    expect(Buffer.from(await b.get('data/file.bin')).equals(Buffer.from(body))).toBe(true);
  });

  it('streams when asked to, with the same result', async () => {
    const result = await transferObject({ from: a, fromKey: 'db/x/file.bin', to: b, toKey: 'data/streamed.bin', noServerSide: true });
    expect(result).toEqual({ size: body.length, sha256: sha(body), serverSide: false });
  });

  it('streams from a local store and checks the expected checksum', async () => {
    const local = await openLocalStore(dir);
    await local.put('f.bin', body);
    const result = await transferObject({ from: local, fromKey: 'f.bin', to: b, toKey: 'data/from-local.bin', sha256: sha(body) });
    expect(result.serverSide).toBe(false);
    const err = await transferObject({ from: local, fromKey: 'f.bin', to: b, toKey: 'data/wrong.bin', sha256: sha(new Uint8Array([0])) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransferVerificationError);
    await expect(b.head('data/wrong.bin')).rejects.toSatisfy((e: unknown) => isStorageError(e, 'NotFound'));
  });

  it('removes a server-side copy whose source does not match the expected checksum', async () => {
    const err = await transferObject({ from: a, fromKey: 'db/x/file.bin', to: b, toKey: 'data/bad.bin', sha256: sha(new Uint8Array([9])) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransferVerificationError);
    await expect(b.head('data/bad.bin')).rejects.toSatisfy((e: unknown) => isStorageError(e, 'NotFound'));
  });
});
