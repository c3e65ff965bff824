// One behaviour suite for every ObjectStore backend (local directory, S3, ...).
// A backend's test file calls defineObjectStoreConformance with a way to open a fresh
// store; cases that need a capability the store reports false are skipped and say why.
// Every case works under its own random key prefix, so backends may share one bucket.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import {
  StorageError,
  type ObjectStore,
  type ObjectVersion,
  type StorageErrorKind,
  type StoreCapabilities,
} from '../../src/storage/object-store.js';

export interface ConformanceTarget {
  readonly store: ObjectStore;
  /** Removes what open() created (bucket, directory). Runs once, after the last case. */
  cleanup(): Promise<void>;
}

const LARGE_OBJECT_BYTES = 20 * 1024 * 1024;
const PAGED_KEY_COUNT = 1050;
const PAGE_SIZE = 100;
const CREATE_CONCURRENCY = 16;

const CAPABILITY_REASONS: Record<keyof StoreCapabilities, string> = {
  versioning: 'the store keeps no earlier versions (capabilities.versioning is false)',
  conditionalCreate: 'the store does not enforce If-None-Match (capabilities.conditionalCreate is false)',
  serverSideCopy: 'the store cannot copy inside itself (capabilities.serverSideCopy is false)',
};

function bytes(text: string): Buffer {
  return Buffer.from(text, 'utf8');
}

function text(data: Uint8Array): string {
  return Buffer.from(data).toString('utf8');
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/** Awaits `promise`, expecting it to fail with a StorageError of `kind`. */
async function expectStorageError(promise: Promise<unknown>, kind: StorageErrorKind): Promise<StorageError> {
  const outcome = await promise.then(
    (value: unknown) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  if (outcome.ok) throw new Error(`expected StorageError(${kind}), but the operation succeeded`);
  expect(outcome.error).toBeInstanceOf(StorageError);
  const error = outcome.error as StorageError;
  expect(error.kind, error.message).toBe(kind);
  return error;
}

async function inBatches<T>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

async function allVersions(store: ObjectStore, prefix: string, pageSize?: number): Promise<ObjectVersion[]> {
  const versions: ObjectVersion[] = [];
  let continuation: string | undefined;
  do {
    const page = await store.listVersions({
      prefix,
      ...(pageSize === undefined ? {} : { pageSize }),
      ...(continuation === undefined ? {} : { continuation }),
    });
    if (pageSize !== undefined) expect(page.items.length).toBeLessThanOrEqual(pageSize);
    versions.push(...page.items);
    continuation = page.next;
  } while (continuation !== undefined);
  return versions;
}

export function defineObjectStoreConformance(name: string, open: () => Promise<ConformanceTarget>): void {
  describe(`ObjectStore conformance: ${name}`, () => {
    let target: ConformanceTarget | undefined;
    let scratch = '';

    beforeAll(async () => {
      target = await open();
      scratch = await mkdtemp(join(tmpdir(), 'ducksafe-conformance-'));
    });

    afterAll(async () => {
      if (scratch !== '') await rm(scratch, { recursive: true, force: true });
      await target?.cleanup();
    });

    const store = (): ObjectStore => {
      if (target === undefined) throw new Error(`${name}: the store was not opened`);
      return target.store;
    };
    /** A fresh key prefix per case, so cases never see each other's objects. */
    const newPrefix = (): string => `conformance/${randomUUID()}/`;
    /** Skips the running case, printing why, unless the store reports `capability`. */
    const requires = (ctx: TestContext, capability: keyof StoreCapabilities): void => {
      if (store().capabilities[capability]) return;
      const reason = CAPABILITY_REASONS[capability];
      console.info(`[conformance ${name}] skipping "${ctx.task.name}": ${reason}`);
      ctx.skip(reason);
    };

    it('put, get and head round-trip a buffer (including an empty one)', async () => {
      const s = store();
      const key = `${newPrefix()}hello.txt`;
      const before = Date.now();
      const meta = await s.put(key, bytes('hello, world'), { contentType: 'text/plain' });
      expect(meta.key).toBe(key);
      expect(meta.size).toBe(12);
      expect(text(await s.get(key))).toBe('hello, world');
      const head = await s.head(key);
      expect(head.key).toBe(key);
      expect(head.size).toBe(12);
      // Clocks of a store on the same machine agree within minutes, not hours.
      expect(Math.abs(head.lastModified.getTime() - before)).toBeLessThan(5 * 60_000);
      if (s.capabilities.versioning) {
        expect(meta.versionId).toBeTypeOf('string');
        expect(head.versionId).toBe(meta.versionId);
      }

      const empty = `${newPrefix()}empty`;
      expect((await s.put(empty, new Uint8Array(0))).size).toBe(0);
      expect((await s.get(empty)).length).toBe(0);
      expect((await s.head(empty)).size).toBe(0);
    });

    it('put from a stream and getStream round-trip', async () => {
      const s = store();
      const key = `${newPrefix()}stream.bin`;
      const chunks = [randomBytes(100_000), randomBytes(70_000), randomBytes(1)];
      const meta = await s.put(key, Readable.from(chunks));
      const expected = Buffer.concat(chunks);
      expect(meta.size).toBe(expected.length);
      const read = await readAll(await s.getStream(key));
      expect(sha256(read)).toBe(sha256(expected));
    });

    it('putFile and getFile round-trip a file', async () => {
      const s = store();
      const key = `${newPrefix()}file.bin`;
      const source = join(scratch, `${randomUUID()}.src`);
      const content = randomBytes(300_000);
      await writeFile(source, content);
      expect((await s.putFile(key, source)).size).toBe(content.length);
      const dest = join(scratch, `${randomUUID()}.dst`);
      const meta = await s.getFile(key, dest);
      expect(meta.size).toBe(content.length);
      expect(sha256(await readFile(dest))).toBe(sha256(content));
    });

    it('delete removes the object, and deleting a missing key is not an error', async () => {
      const s = store();
      const prefix = newPrefix();
      const key = `${prefix}doomed`;
      await s.put(key, bytes('x'));
      await s.delete(key);
      expect((await expectStorageError(s.get(key), 'NotFound')).key).toBe(key);
      await expectStorageError(s.head(key), 'NotFound');
      expect((await s.list({ prefix })).items).toEqual([]);
      await expect(s.delete(key)).resolves.toBeUndefined();
      await expect(s.delete(`${prefix}never-existed`)).resolves.toBeUndefined();
    });

    it('removes many objects of one folder at once, every version of each (as VACUUM does)', async () => {
      const s = store();
      const prefix = `${newPrefix()}folder/`;
      const keys = Array.from({ length: 24 }, (_, i) => `${prefix}f${i}`);
      for (const key of keys) {
        await s.put(key, bytes('v1'));
        if (s.capabilities.versioning) await s.put(key, bytes('v2'));
      }
      const versions = (await s.listVersions({ prefix })).items;
      expect(versions).toHaveLength(keys.length * (s.capabilities.versioning ? 2 : 1));
      // Every version of every key at the same time: deleting one empties the folder another is still in.
      await Promise.all(versions.map((v) => s.deleteVersion(v.key, v.versionId)));
      expect((await s.listVersions({ prefix })).items).toEqual([]);
      expect((await s.list({ prefix })).items).toEqual([]);
      await Promise.all(keys.map((k) => s.put(k, bytes('again'))));
      await Promise.all(keys.map((k) => s.delete(k)));
      expect((await s.list({ prefix })).items).toEqual([]);
    });

    it('an overwrite keeps the earlier versions, listed newest first', async (ctx) => {
      requires(ctx, 'versioning');
      const s = store();
      const prefix = newPrefix();
      const key = `${prefix}log.json`;
      const v1 = await s.put(key, bytes('one'));
      const v2 = await s.put(key, bytes('two!'));
      const v3 = await s.put(key, bytes('three'));
      expect(new Set([v1.versionId, v2.versionId, v3.versionId]).size).toBe(3);
      expect(text(await s.get(key))).toBe('three');
      expect(text(await s.get(key, { versionId: v1.versionId as string }))).toBe('one');
      const versions = await allVersions(s, prefix);
      expect(versions.map((v) => v.versionId)).toEqual([v3.versionId, v2.versionId, v1.versionId]);
      expect(versions.map((v) => v.isLatest)).toEqual([true, false, false]);
      expect(versions.map((v) => v.isDeleteMarker)).toEqual([false, false, false]);
      expect(versions.map((v) => v.size)).toEqual([5, 4, 3]);
      expect(versions.every((v) => v.key === key)).toBe(true);
    });

    it('delete leaves a delete marker and keeps the data', async (ctx) => {
      requires(ctx, 'versioning');
      const s = store();
      const prefix = newPrefix();
      const key = `${prefix}table.parquet`;
      const v1 = await s.put(key, bytes('data'));
      await s.delete(key);
      await expectStorageError(s.get(key), 'NotFound');
      expect((await s.list({ prefix })).items).toEqual([]);
      const versions = await allVersions(s, prefix);
      expect(versions).toHaveLength(2);
      const [marker, version] = versions as [ObjectVersion, ObjectVersion];
      expect(marker).toMatchObject({ key, isLatest: true, isDeleteMarker: true });
      expect(version).toMatchObject({ key, versionId: v1.versionId, isLatest: false, isDeleteMarker: false, size: 4 });
      expect(text(await s.get(key, { versionId: v1.versionId as string }))).toBe('data');
    });

    it('get and head by version id; a removed version is NotFound', async (ctx) => {
      requires(ctx, 'versioning');
      const s = store();
      const key = `${newPrefix()}obj`;
      const v1 = await s.put(key, bytes('first'));
      const v2 = await s.put(key, bytes('second!'));
      const id1 = v1.versionId as string;
      const id2 = v2.versionId as string;
      expect((await s.head(key, { versionId: id1 })).size).toBe(5);
      expect((await s.head(key, { versionId: id2 })).versionId).toBe(id2);
      expect((await s.head(key)).versionId).toBe(id2);
      expect(text(await s.get(key, { versionId: id2 }))).toBe('second!');
      expect(text(await readAll(await s.getStream(key, { versionId: id1 })))).toBe('first');
      await s.deleteVersion(key, id1);
      await expectStorageError(s.get(key, { versionId: id1 }), 'NotFound');
      await expectStorageError(s.head(key, { versionId: id1 }), 'NotFound');
      expect(text(await s.get(key))).toBe('second!');
    });

    it('removing the delete marker undeletes; removing the latest version exposes the previous one', async (ctx) => {
      requires(ctx, 'versioning');
      const s = store();
      const prefix = newPrefix();
      const key = `${prefix}restore-me`;
      const v1 = await s.put(key, bytes('old'));
      const v2 = await s.put(key, bytes('new'));
      await s.delete(key);
      const marker = (await allVersions(s, prefix))[0];
      expect(marker?.isDeleteMarker).toBe(true);
      await s.deleteVersion(key, marker?.versionId as string);
      expect(text(await s.get(key))).toBe('new');
      expect((await s.list({ prefix })).items.map((m) => m.key)).toEqual([key]);
      const afterUndelete = await allVersions(s, prefix);
      expect(afterUndelete.map((v) => [v.versionId, v.isLatest])).toEqual([
        [v2.versionId, true],
        [v1.versionId, false],
      ]);
      await s.deleteVersion(key, v2.versionId as string);
      expect(text(await s.get(key))).toBe('old');
      expect((await allVersions(s, prefix)).map((v) => [v.versionId, v.isLatest])).toEqual([[v1.versionId, true]]);
      await s.deleteVersion(key, v1.versionId as string);
      await expectStorageError(s.head(key), 'NotFound');
      expect(await allVersions(s, prefix)).toEqual([]);
    });

    it('deleteVersions removes many versions and markers across keys at once; ones already gone are no error', async (ctx) => {
      requires(ctx, 'versioning');
      const s = store();
      const prefix = newPrefix();
      // More than one S3 DeleteObjects request holds.
      const keys = Array.from({ length: 1005 }, (_, i) => `${prefix}k${String(i).padStart(4, '0')}`);
      await inBatches(keys, CREATE_CONCURRENCY, async (key) => {
        await s.put(key, bytes(key));
        await s.delete(key);
      });
      const markers = (await allVersions(s, prefix)).filter((v) => v.isDeleteMarker);
      expect(markers).toHaveLength(keys.length);
      const refs = markers.map((m) => ({ key: m.key, versionId: m.versionId }));
      await s.deleteVersions(refs);
      // Every key is back with its old content, and removing the same markers again changes nothing.
      await s.deleteVersions(refs.slice(0, 3));
      expect((await allVersions(s, prefix)).filter((v) => v.isDeleteMarker)).toEqual([]);
      const listed: string[] = [];
      let continuation: string | undefined;
      do {
        const page = await s.list(continuation === undefined ? { prefix } : { prefix, continuation });
        listed.push(...page.items.map((m) => m.key));
        continuation = page.next;
      } while (continuation !== undefined);
      expect(listed).toEqual(keys);
      expect(text(await s.get(keys[1004] as string))).toBe(keys[1004]);
      await s.deleteVersions([]);
    });

    it('copy copies the current object to a new key', async () => {
      const s = store();
      const prefix = newPrefix();
      await s.put(`${prefix}src`, bytes('copy me'));
      const meta = await s.copy(`${prefix}src`, `${prefix}dst/copied`);
      expect(meta.key).toBe(`${prefix}dst/copied`);
      expect(meta.size).toBe(7);
      expect(text(await s.get(`${prefix}dst/copied`))).toBe('copy me');
      expect(text(await s.get(`${prefix}src`))).toBe('copy me');
      await expectStorageError(s.copy(`${prefix}missing`, `${prefix}dst/never`), 'NotFound');
      await expectStorageError(s.head(`${prefix}dst/never`), 'NotFound');
    });

    it('copy from a given version (server-side), also onto its own key to restore it', async (ctx) => {
      requires(ctx, 'versioning');
      requires(ctx, 'serverSideCopy');
      const s = store();
      const prefix = newPrefix();
      const key = `${prefix}doc`;
      const v1 = await s.put(key, bytes('version one'));
      await s.put(key, bytes('version two'));
      const copied = await s.copy(key, `${prefix}doc-v1`, { versionId: v1.versionId as string });
      expect(copied.size).toBe(11);
      expect(text(await s.get(`${prefix}doc-v1`))).toBe('version one');
      const restored = await s.copy(key, key, { versionId: v1.versionId as string });
      expect(text(await s.get(key))).toBe('version one');
      const versions = (await allVersions(s, prefix)).filter((v) => v.key === key);
      expect(versions).toHaveLength(3);
      expect(versions[0]?.isLatest).toBe(true);
      if (restored.versionId !== undefined) expect(versions[0]?.versionId).toBe(restored.versionId);
    });

    it('conditional create: of 8 concurrent creators exactly one wins', async (ctx) => {
      const s = store();
      if (!s.capabilities.conditionalCreate) {
        // The S3 test server ignores If-None-Match on versioned buckets; the store must say so rather than pretend.
        expect(s.capabilities.conditionalCreate).toBe(false);
      }
      requires(ctx, 'conditionalCreate');
      const key = `${newPrefix()}00000000000000000001.json`;
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) => s.put(key, bytes(`writer ${i}`), { ifNoneMatch: true })),
      );
      const winners = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
      expect(winners).toHaveLength(1);
      for (const r of results) {
        if (r.status === 'rejected') {
          expect(r.reason).toBeInstanceOf(StorageError);
          expect((r.reason as StorageError).kind).toBe('PreconditionFailed');
        }
      }
      expect(text(await s.get(key))).toBe(`writer ${winners[0]}`);
      await expectStorageError(s.put(key, bytes('late'), { ifNoneMatch: true }), 'PreconditionFailed');
      expect(text(await s.get(key))).toBe(`writer ${winners[0]}`);
      if (s.capabilities.versioning) {
        // A key whose latest version is a delete marker counts as absent.
        await s.delete(key);
        await s.put(key, bytes('after delete'), { ifNoneMatch: true });
        expect(text(await s.get(key))).toBe('after delete');
      }
    });

    it('ranged get and getStream return the inclusive byte range', async () => {
      const s = store();
      const key = `${newPrefix()}ranges.bin`;
      const content = randomBytes(1000);
      await s.put(key, content);
      expect(Buffer.from(await s.get(key, { range: { start: 10, end: 19 } }))).toEqual(content.subarray(10, 20));
      expect(Buffer.from(await s.get(key, { range: { start: 0, end: 0 } }))).toEqual(content.subarray(0, 1));
      // An end past the object is cut at the object's end, as HTTP ranges are.
      expect(Buffer.from(await s.get(key, { range: { start: 990, end: 5000 } }))).toEqual(content.subarray(990));
      const streamed = await readAll(await s.getStream(key, { range: { start: 100, end: 199 } }));
      expect(streamed).toEqual(content.subarray(100, 200));
      const dest = join(scratch, `${randomUUID()}.range`);
      await s.getFile(key, dest, { range: { start: 500, end: 509 } });
      expect(await readFile(dest)).toEqual(content.subarray(500, 510));
    });

    it(`list pages through ${PAGED_KEY_COUNT} keys in key order`, async () => {
      const s = store();
      const prefix = newPrefix();
      const keys = Array.from({ length: PAGED_KEY_COUNT }, (_, i) => `${prefix}k${String(i).padStart(5, '0')}`);
      await inBatches(keys, CREATE_CONCURRENCY, (key) => s.put(key, bytes(key.slice(-5))));
      const seen: string[] = [];
      let continuation: string | undefined;
      let pages = 0;
      do {
        const page = await s.list({ prefix, pageSize: PAGE_SIZE, ...(continuation === undefined ? {} : { continuation }) });
        pages++;
        expect(page.items.length).toBeLessThanOrEqual(PAGE_SIZE);
        if (page.next !== undefined) expect(page.items.length).toBe(PAGE_SIZE);
        expect(page.prefixes).toEqual([]);
        seen.push(...page.items.map((m) => m.key));
        continuation = page.next;
      } while (continuation !== undefined && pages < 100);
      expect(pages).toBe(Math.ceil(PAGED_KEY_COUNT / PAGE_SIZE));
      expect(seen).toEqual(keys);
      const one = await s.list({ prefix: `${prefix}k0104`, pageSize: 1000 });
      expect(one.items.map((m) => m.key)).toEqual(keys.slice(1040, 1050));
      expect(one.items.every((m) => m.size === 5)).toBe(true);
    });

    it('list with a delimiter returns the objects and folders of one level, in key order', async () => {
      const s = store();
      const prefix = newPrefix();
      const keys = ['B', 'a.txt', 'a-b', 'a/1', 'a/2', 'a/z/deep', 'a0', 'c/d/e/f', '_x'].map((k) => prefix + k);
      await inBatches(keys, CREATE_CONCURRENCY, (key) => s.put(key, bytes('.')));
      const flat = await s.list({ prefix });
      expect(flat.items.map((m) => m.key.slice(prefix.length))).toEqual(['B', '_x', 'a-b', 'a.txt', 'a/1', 'a/2', 'a/z/deep', 'a0', 'c/d/e/f']);
      expect(flat.prefixes).toEqual([]);
      const level = await s.list({ prefix, delimiter: true });
      expect(level.items.map((m) => m.key.slice(prefix.length))).toEqual(['B', '_x', 'a-b', 'a.txt', 'a0']);
      expect(level.prefixes).toEqual([`${prefix}a/`, `${prefix}c/`]);
      const partial = await s.list({ prefix: `${prefix}a`, delimiter: true });
      expect(partial.items.map((m) => m.key.slice(prefix.length))).toEqual(['a-b', 'a.txt', 'a0']);
      expect(partial.prefixes).toEqual([`${prefix}a/`]);
      const inner = await s.list({ prefix: `${prefix}a/`, delimiter: true });
      expect(inner.items.map((m) => m.key.slice(prefix.length))).toEqual(['a/1', 'a/2']);
      expect(inner.prefixes).toEqual([`${prefix}a/z/`]);
      const nothing = await s.list({ prefix: `${prefix}nothing/`, delimiter: true });
      expect(nothing).toMatchObject({ items: [], prefixes: [] });
      expect(nothing.next).toBeUndefined();
    });

    it('listVersions pages across keys and versions in order', async (ctx) => {
      requires(ctx, 'versioning');
      const s = store();
      const prefix = newPrefix();
      for (const n of [1, 2, 3]) await s.put(`${prefix}a`, bytes(`a${n}`));
      await s.put(`${prefix}b`, bytes('b1'));
      await s.delete(`${prefix}b`);
      await s.put(`${prefix}c/d`, bytes('d1'));
      const whole = await allVersions(s, prefix);
      expect(whole.map((v) => [v.key.slice(prefix.length), v.isLatest, v.isDeleteMarker])).toEqual([
        ['a', true, false],
        ['a', false, false],
        ['a', false, false],
        ['b', true, true],
        ['b', false, false],
        ['c/d', true, false],
      ]);
      for (const pageSize of [1, 2, 4]) {
        const paged = await allVersions(s, prefix, pageSize);
        expect(paged.map((v) => [v.key, v.versionId])).toEqual(whole.map((v) => [v.key, v.versionId]));
      }
    });

    it('a 20 MiB object survives putFile and getFile with its checksum', async () => {
      const s = store();
      const key = `${newPrefix()}large.parquet`;
      const source = join(scratch, `${randomUUID()}.large`);
      const content = randomBytes(LARGE_OBJECT_BYTES);
      await writeFile(source, content);
      const meta = await s.putFile(key, source);
      expect(meta.size).toBe(LARGE_OBJECT_BYTES);
      expect((await s.head(key)).size).toBe(LARGE_OBJECT_BYTES);
      const dest = join(scratch, `${randomUUID()}.large-copy`);
      expect((await s.getFile(key, dest)).size).toBe(LARGE_OBJECT_BYTES);
      expect((await stat(dest)).size).toBe(LARGE_OBJECT_BYTES);
      expect(sha256(await readFile(dest))).toBe(sha256(content));
      const tail = await s.get(key, { range: { start: LARGE_OBJECT_BYTES - 16, end: LARGE_OBJECT_BYTES - 1 } });
      expect(Buffer.from(tail)).toEqual(content.subarray(LARGE_OBJECT_BYTES - 16));
    });

    it('errors come back as kinds: NotFound names the key, unsafe keys are InvalidKey', async () => {
      const s = store();
      const prefix = newPrefix();
      const missing = `${prefix}missing`;
      expect((await expectStorageError(s.get(missing), 'NotFound')).key).toBe(missing);
      expect((await expectStorageError(s.head(missing), 'NotFound')).key).toBe(missing);
      await expectStorageError(s.getStream(missing), 'NotFound');
      const dest = join(scratch, `${randomUUID()}.never`);
      await expectStorageError(s.getFile(missing, dest), 'NotFound');
      await expect(stat(dest)).rejects.toMatchObject({ code: 'ENOENT' });
      await expectStorageError(s.put('../x', bytes('escape')), 'InvalidKey');
      await expectStorageError(s.get('../x'), 'InvalidKey');
      await expectStorageError(s.put(`${prefix}a/../../x`, bytes('escape')), 'InvalidKey');
      const listed = await s.list({ prefix });
      expect(listed.items).toEqual([]);
    });

    it('a missing version id is NotFound', async (ctx) => {
      requires(ctx, 'versioning');
      const s = store();
      const key = `${newPrefix()}versioned`;
      const v1 = await s.put(key, bytes('1'));
      await s.put(key, bytes('2'));
      await s.deleteVersion(key, v1.versionId as string);
      expect((await expectStorageError(s.get(key, { versionId: v1.versionId as string }), 'NotFound')).key).toBe(key);
      await expectStorageError(s.copy(key, `${key}-copy`, { versionId: v1.versionId as string }), 'NotFound');
    });
  });
}
