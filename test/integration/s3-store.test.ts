// The S3 backend against a real S3 server (Ceph RGW from scripts/s3-test-server.sh, or
// the server DUCKSAFE_TEST_S3_ENDPOINT names): the shared conformance suite on a versioned
// and on an unversioned bucket, then what only S3 has: startup checks, probed facts,
// multipart paths and prefix isolation.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isStorageError, listAll } from '../../src/storage/object-store.js';
import type { ObjectStore, StorageError } from '../../src/storage/object-store.js';
import { openS3Store } from '../../src/storage/s3/s3-store.js';
import type { S3Store } from '../../src/storage/s3/s3-store.js';
import { createTestBucket, s3TestSettingsOrSkip } from '../helpers/s3-env.js';
import type { S3TestSettings, TestBucket } from '../helpers/s3-env.js';
import { defineObjectStoreConformance } from './object-store-conformance.js';

const settings = s3TestSettingsOrSkip('S3 store');
const MIB = 1024 * 1024;

/** One bucket per kind for the whole file, created on first use and removed at the end. */
function sharedBucket(s: S3TestSettings, versioned: boolean): { get(): Promise<TestBucket>; remove(): Promise<void> } {
  let bucket: Promise<TestBucket> | undefined;
  return {
    get: () => (bucket ??= createTestBucket(s, { versioned })),
    remove: async () => {
      if (bucket !== undefined) await (await bucket).remove();
    },
  };
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function expectStorageError(promise: Promise<unknown>): Promise<StorageError> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isStorageError(err)) throw new Error(`expected a StorageError, got ${String(err)}`);
  return err;
}

describe.skipIf(settings === undefined)('S3 store', () => {
  const s = settings as S3TestSettings;
  const versioned = sharedBucket(s, true);
  const unversioned = sharedBucket(s, false);
  afterAll(async () => {
    await versioned.remove();
    await unversioned.remove();
  });

  // Each open gets its own prefix, so cases never see each other's keys.
  const opener = (bucket: { get(): Promise<TestBucket> }) => async () => {
    const b = await bucket.get();
    const store = await openS3Store(b.storeOptions(`conformance-${randomUUID().slice(0, 8)}`));
    return { store: store as ObjectStore, cleanup: () => store.close() };
  };
  defineObjectStoreConformance('S3 (versioned bucket)', opener(versioned));
  defineObjectStoreConformance('S3 (unversioned bucket)', opener(unversioned));

  describe('opening', () => {
    it('reports a versioned bucket, and a conditional-create probe that matches what the store does', async () => {
      const b = await versioned.get();
      const store = await openS3Store(b.storeOptions('probe-v'));
      try {
        expect(store.facts.versioning).toBe('Enabled');
        expect(store.capabilities.versioning).toBe(true);
        expect(store.capabilities.serverSideCopy).toBe(true);
        // Ceph RGW ignores If-None-Match in versioned buckets (S3-TEST-SERVER.md).
        if (s.cephRgw) expect(store.facts.conditionalCreate).toBe(false);
        expect(store.capabilities.conditionalCreate).toBe(store.facts.conditionalCreate);
        await store.put('once', new Uint8Array([1]), { ifNoneMatch: true });
        const second = store.put('once', new Uint8Array([2]), { ifNoneMatch: true });
        if (store.facts.conditionalCreate) await expect(second).rejects.toMatchObject({ kind: 'PreconditionFailed' });
        else await expect(second).resolves.toMatchObject({ key: 'once', size: 1 });
      } finally {
        await store.close();
      }
    });

    it('reports an unversioned bucket where conditional create is enforced', async () => {
      const b = await unversioned.get();
      const store = await openS3Store(b.storeOptions('probe-u'));
      try {
        expect(store.facts).toMatchObject({ versioning: 'Unversioned', conditionalCreate: true, bucket: b.bucket, prefix: 'probe-u/' });
        expect(store.capabilities).toEqual({ versioning: false, conditionalCreate: true, serverSideCopy: true });
        await store.put('once', new Uint8Array([1]), { ifNoneMatch: true });
        const err = await expectStorageError(store.put('once', new Uint8Array([2]), { ifNoneMatch: true }));
        expect(err.kind).toBe('PreconditionFailed');
        expect(err.message).toContain(`s3://${b.bucket}/probe-u/once`);
        expect(Buffer.from(await store.get('once'))).toEqual(Buffer.from([1]));
      } finally {
        await store.close();
      }
    });

    it('leaves no trace of the probe object, not even old versions', async () => {
      for (const bucket of [versioned, unversioned]) {
        const b = await bucket.get();
        const prefix = `probe-clean-${randomUUID().slice(0, 8)}`;
        const store = await openS3Store(b.storeOptions(prefix));
        try {
          const page = await store.listVersions({ prefix: '' });
          expect(page.items).toEqual([]);
        } finally {
          await store.close();
        }
      }
    });

    it('names the endpoint and the bucket when nothing listens on the port', async () => {
      const b = await versioned.get();
      const endpoint = `http://127.0.0.1:${await closedPort()}`;
      const started = Date.now();
      const err = await expectStorageError(openS3Store(b.storeOptions('x', { endpoint })));
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(err.kind).toBe('Temporary');
      expect(err.message).toContain(endpoint);
      expect(err.message).toContain(b.bucket);
      expect(err.message).toContain('ECONNREFUSED');
    });

    it('reports a wrong secret as AccessDenied naming the endpoint and the S3 error code, never the secret', async () => {
      const b = await versioned.get();
      const wrongSecret = `wrong-${randomUUID()}`;
      const err = await expectStorageError(
        openS3Store({ ...b.storeOptions('x'), credentials: { source: 'static', accessKeyId: s.accessKeyId, secretAccessKey: wrongSecret } }),
      );
      expect(err.kind).toBe('AccessDenied');
      expect(err.message).toContain(s.endpoint);
      expect(err.message).toContain(b.bucket);
      expect(err.message).toContain('SignatureDoesNotMatch');
      expect(err.message).not.toContain(wrongSecret);
      expect(err.message).not.toContain(s.secretAccessKey);
    });

    it('reports an unknown access key as AccessDenied', async () => {
      const b = await versioned.get();
      const err = await expectStorageError(
        openS3Store({ ...b.storeOptions('x'), credentials: { source: 'static', accessKeyId: 'NOSUCHKEY', secretAccessKey: 'x' } }),
      );
      expect(err.kind).toBe('AccessDenied');
      expect(err.message).toContain('InvalidAccessKeyId');
    });

    it('reports a missing bucket as BucketMissing naming it', async () => {
      const b = await versioned.get();
      const missing = `ducksafe-missing-${randomUUID().slice(0, 8)}`;
      const err = await expectStorageError(openS3Store({ ...b.storeOptions('x'), url: `s3://${missing}/x` }));
      expect(err.kind).toBe('BucketMissing');
      expect(err.message).toContain(missing);
      expect(err.message).toContain(s.endpoint);
      expect(err.message).toContain('NoSuchBucket');
    });

    it('refuses a URL that is not s3://bucket/prefix', async () => {
      const b = await versioned.get();
      await expect(openS3Store({ ...b.storeOptions(), url: 'file:///tmp/x' })).rejects.toMatchObject({ kind: 'InvalidKey' });
      await expect(openS3Store({ ...b.storeOptions(), url: 's3://Bad_Bucket/x' })).rejects.toMatchObject({ kind: 'InvalidKey' });
      await expect(openS3Store({ ...b.storeOptions(), url: `s3://${b.bucket}/a/../b` })).rejects.toMatchObject({ kind: 'InvalidKey' });
    });
  });

  describe('S3 only', () => {
    let store: S3Store;
    let tmp: string;
    const small = { multipartThreshold: 6 * MIB, partSize: 5 * MIB, copyThreshold: 6 * MIB, copyPartSize: 5 * MIB };
    beforeAll(async () => {
      const b = await versioned.get();
      store = await openS3Store(b.storeOptions(`s3-only-${randomUUID().slice(0, 8)}`, { tuning: small }));
      tmp = await mkdtemp(path.join(os.tmpdir(), 'ducksafe-s3-test-'));
    });
    afterAll(async () => {
      await store.close();
      await rm(tmp, { recursive: true, force: true });
    });

    it('uploads a file above the threshold in parts and reads it back whole', async () => {
      const bytes = randomBytes(13 * MIB + 123);
      const file = path.join(tmp, 'big.bin');
      await writeFile(file, bytes);
      const meta = await store.putFile('multipart/file.bin', file);
      expect(meta.size).toBe(bytes.length);
      // A multipart ETag is "<md5 of part md5s>-<part count>": 13 MiB in 5 MiB parts is 3.
      expect(meta.etag).toMatch(/-3$/);
      expect(meta.versionId).toBeDefined();
      const out = path.join(tmp, 'big.out');
      const got = await store.getFile('multipart/file.bin', out);
      expect(got.size).toBe(bytes.length);
      expect(sha256(await readFile(out))).toBe(sha256(bytes));
    });

    it('uploads a stream of unknown length in parts', async () => {
      const bytes = randomBytes(11 * MIB);
      // Uneven chunks, so parts are cut across chunk boundaries.
      const chunks = [bytes.subarray(0, 1_000_001), bytes.subarray(1_000_001, 7 * MIB), bytes.subarray(7 * MIB)];
      const meta = await store.put('multipart/stream.bin', Readable.from(chunks));
      expect(meta.size).toBe(bytes.length);
      expect(meta.etag).toMatch(/-3$/);
      expect(sha256(await store.get('multipart/stream.bin'))).toBe(sha256(bytes));
    });

    it('copies an older version above the copy threshold with part copies', async () => {
      const first = randomBytes(7 * MIB);
      const v1 = await store.put('copy/src.bin', first);
      await store.put('copy/src.bin', new Uint8Array([9]));
      const copied = await store.copy('copy/src.bin', 'copy/dst.bin', { versionId: v1.versionId ?? '' });
      expect(copied.size).toBe(first.length);
      expect(copied.etag).toMatch(/-2$/);
      expect(sha256(await store.get('copy/dst.bin'))).toBe(sha256(first));
    });

    it('reports a missing copy source under its own key', async () => {
      const err = await expectStorageError(store.copy('copy/nothing-here', 'copy/dst2.bin'));
      expect(err.kind).toBe('NotFound');
      expect(err.message).toContain('copy/nothing-here');
    });

    it('keeps stores with different prefixes apart and lists keys relative to the prefix', async () => {
      const b = await versioned.get();
      const other = await openS3Store(b.storeOptions(`${store.facts.prefix}sibling`));
      try {
        await other.put('only-here.txt', new TextEncoder().encode('x'));
        const mine = [];
        for await (const o of listAll(store, 'multipart/')) mine.push(o.key);
        expect(mine).toEqual(['multipart/file.bin', 'multipart/stream.bin']);
        const theirs = [];
        for await (const o of listAll(other, '')) theirs.push(o.key);
        expect(theirs).toEqual(['only-here.txt']);
        const top = await store.list({ prefix: '', delimiter: true });
        expect(top.prefixes).toContain('sibling/');
      } finally {
        await other.close();
      }
    });

    it('leaves no file and no temporary file behind when a download fails', async () => {
      const dir = await mkdtemp(path.join(tmp, 'getfile-'));
      const err = await expectStorageError(store.getFile('no/such/key', path.join(dir, 'out.bin')));
      expect(err.kind).toBe('NotFound');
      expect(err.key).toBe('no/such/key');
      expect(await readdir(dir)).toEqual([]);
    });

    it('reads a version id that does not exist as NotFound', async () => {
      await store.put('versions/a', new Uint8Array([1]));
      const err = await expectStorageError(store.get('versions/a', { versionId: 'no-such-version-id' }));
      expect(err.kind).toBe('NotFound');
      expect(err.message).toContain('no-such-version-id');
    });

    it('lists versions page by page in S3 order, delete markers included', async () => {
      for (const key of ['order/a', 'order/b']) {
        await store.put(key, new Uint8Array([1]));
        await store.put(key, new Uint8Array([2]));
        await store.delete(key);
      }
      const seen: { key: string; marker: boolean; latest: boolean }[] = [];
      let continuation: string | undefined;
      let pages = 0;
      do {
        const page = await store.listVersions({ prefix: 'order/', pageSize: 2, ...(continuation === undefined ? {} : { continuation }) });
        seen.push(...page.items.map((v) => ({ key: v.key, marker: v.isDeleteMarker, latest: v.isLatest })));
        continuation = page.next;
        pages += 1;
      } while (continuation !== undefined);
      expect(pages).toBeGreaterThanOrEqual(3);
      expect(seen).toEqual([
        { key: 'order/a', marker: true, latest: true },
        { key: 'order/a', marker: false, latest: false },
        { key: 'order/a', marker: false, latest: false },
        { key: 'order/b', marker: true, latest: true },
        { key: 'order/b', marker: false, latest: false },
        { key: 'order/b', marker: false, latest: false },
      ]);
    });

    it('refuses keys that could escape the prefix', async () => {
      for (const key of ['../x', 'a/../../x', '/abs', 'a//b', 'a\\b', '']) {
        await expect(store.put(key, new Uint8Array([1]))).rejects.toMatchObject({ kind: 'InvalidKey' });
      }
    });
  });
});
