// The local store: the shared conformance suite (versioned and unversioned), then what
// only a directory can show: the on-disk layout, crash leftovers, hand-placed files,
// key escapes, and durability across re-open.
import { spawnSync } from 'node:child_process';
import { link, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalStore, openLocalStore } from '../../src/storage/local/local-store.js';
import { VersionIdGenerator } from '../../src/storage/local/version-id.js';
import { StorageError, type StorageErrorKind } from '../../src/storage/object-store.js';
import { defineObjectStoreConformance } from './object-store-conformance.js';

async function tempRoot(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'ducksafe-local-store-'));
}

defineObjectStoreConformance('local directory (versioned)', async () => {
  const root = await tempRoot();
  const store = await openLocalStore(root);
  return { store, cleanup: async () => { await store.close(); await rm(root, { recursive: true, force: true }); } };
});

defineObjectStoreConformance('local directory (versioning off)', async () => {
  const root = await tempRoot();
  const store = await openLocalStore(root, { versioning: false });
  return { store, cleanup: async () => { await store.close(); await rm(root, { recursive: true, force: true }); } };
});

async function storageErrorOf(promise: Promise<unknown>): Promise<StorageError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StorageError);
  return error as StorageError;
}

async function expectKind(promise: Promise<unknown>, kind: StorageErrorKind): Promise<void> {
  const error = await storageErrorOf(promise);
  expect(error.kind, error.message).toBe(kind);
}

function text(data: Uint8Array): string {
  return Buffer.from(data).toString('utf8');
}

/** A pid that belonged to a process that has exited (as a crashed writer's would). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  expect(child.pid).toBeGreaterThan(0);
  return child.pid;
}

describe('LocalStore on disk', () => {
  let root = '';
  let store: LocalStore;

  beforeEach(async () => {
    root = await tempRoot();
    store = await openLocalStore(root);
  });

  afterEach(async () => {
    await store.close();
    await rm(root, { recursive: true, force: true });
  });

  it('keeps the current version as a plain file at <root>/<key> and history out of listings', async () => {
    const key = 'db/d1/t1/p0/f1.parquet';
    await store.put(key, Buffer.from('PAR1'));
    await store.put(key, Buffer.from('PAR1 v2'));
    expect(store.localPath(key)).toBe(join(root, 'db', 'd1', 't1', 'p0', 'f1.parquet'));
    expect(await readFile(join(root, key), 'utf8')).toBe('PAR1 v2');
    expect((await readdir(root)).sort()).toEqual(['.versions', 'db']);
    expect((await store.list({ prefix: '' })).items.map((m) => m.key)).toEqual([key]);
    expect((await store.list({ prefix: '', delimiter: true })).prefixes).toEqual(['db/']);
    expect(store.url).toBe(`file://${root}`);
    expect(store.capabilities).toEqual({ versioning: true, conditionalCreate: true, serverSideCopy: true });
  });

  it('removes temporary files of crashed writers at open, and never lists them', async () => {
    const tmp = join(root, '.versions', 'tmp');
    const crashed = join(tmp, `${deadPid()}-0123abcd.tmp`);
    const live = join(tmp, `${process.pid}-4567ef01.tmp`);
    await writeFile(crashed, 'half a parquet file');
    await writeFile(live, 'a write still in progress');
    expect((await store.list({ prefix: '' })).items).toEqual([]);
    const reopened = await openLocalStore(root);
    await expect(stat(crashed)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readFile(live, 'utf8')).toBe('a write still in progress');
    expect((await reopened.listVersions({ prefix: '' })).items).toEqual([]);
    await reopened.close();
  });

  it('a crash between recording a version and renaming it into place leaves the old version current', async () => {
    const key = '_catalog/log/00000000000000000001.json';
    const v1 = await store.put(key, Buffer.from('committed'));
    // What a writer that died after linking its version entry, before the rename, leaves behind.
    const orphanId = new VersionIdGenerator().next(v1.versionId);
    const orphan = join(root, '.versions', 'tmp', 'orphan-data');
    await writeFile(orphan, 'never acknowledged');
    await link(orphan, join(root, '.versions', 'keys', '_catalog', 'log', '00000000000000000001.json', `@v${orphanId}`));
    expect(text(await store.get(key))).toBe('committed');
    expect((await store.head(key)).versionId).toBe(v1.versionId);
    const versions = (await store.listVersions({ prefix: key })).items;
    expect(versions.map((v) => [v.versionId, v.isLatest])).toEqual([
      [orphanId, false],
      [v1.versionId, true],
    ]);
    // The next write still becomes the newest, current version.
    const v2 = await store.put(key, Buffer.from('next'));
    const after = (await store.listVersions({ prefix: key })).items;
    expect(after[0]).toMatchObject({ versionId: v2.versionId, isLatest: true });
    expect(after.filter((v) => v.isLatest)).toHaveLength(1);
  });

  it('a file placed by hand is version "null" and keeps its bytes when replaced or deleted', async () => {
    await mkdir(join(root, 'imports'), { recursive: true });
    await writeFile(join(root, 'imports', 'hand.csv'), 'a,b\n1,2\n');
    const head = await store.head('imports/hand.csv');
    expect(head).toMatchObject({ size: 8, versionId: 'null' });
    expect((await store.listVersions({ prefix: 'imports/' })).items).toMatchObject([
      { key: 'imports/hand.csv', versionId: 'null', isLatest: true, isDeleteMarker: false, size: 8 },
    ]);
    expect(text(await store.get('imports/hand.csv', { versionId: 'null' }))).toBe('a,b\n1,2\n');
    const replaced = await store.put('imports/hand.csv', Buffer.from('new'));
    const versions = (await store.listVersions({ prefix: 'imports/' })).items;
    expect(versions).toHaveLength(2);
    expect(versions[0]).toMatchObject({ versionId: replaced.versionId, isLatest: true });
    const adopted = versions[1];
    expect(adopted).toMatchObject({ isLatest: false, size: 8 });
    expect(text(await store.get('imports/hand.csv', { versionId: adopted?.versionId as string }))).toBe('a,b\n1,2\n');

    await writeFile(join(root, 'imports', 'other.csv'), 'x');
    await store.delete('imports/other.csv');
    const kept = (await store.listVersions({ prefix: 'imports/other' })).items;
    expect(kept.map((v) => v.isDeleteMarker)).toEqual([true, false]);
    expect(text(await store.get('imports/other.csv', { versionId: kept[1]?.versionId as string }))).toBe('x');
  });

  it('refuses keys that could escape the root or alias the history area', async () => {
    const bad = ['', '../x', 'a/../../x', '/etc/passwd', 'a//b', 'a/', './a', 'a/./b', 'a\\b', 'a\0b', '.versions/keys/x', '.versions', 'x'.repeat(1025)];
    for (const key of bad) {
      await expectKind(store.put(key, Buffer.from('x')), 'InvalidKey');
      await expectKind(store.get(key), 'InvalidKey');
      await expectKind(store.head(key), 'InvalidKey');
      await expectKind(store.delete(key), 'InvalidKey');
      expect(() => store.localPath(key)).toThrow(StorageError);
    }
    await expectKind(store.copy('ok', '../escape'), 'InvalidKey');
    await expectKind(store.list({ prefix: '../' }), 'InvalidKey');
    await expectKind(store.list({ prefix: 'a/../b' }), 'InvalidKey');
    await expectKind(store.listVersions({ prefix: '.versions/' }), 'InvalidKey');
    // Odd but safe keys are fine and stay inside the root.
    await store.put('weird/..x/@v1/%40/ü ñ.txt', Buffer.from('ok'));
    expect(text(await store.get('weird/..x/@v1/%40/ü ñ.txt'))).toBe('ok');
    expect((await store.listVersions({ prefix: 'weird/' })).items.map((v) => v.key)).toEqual(['weird/..x/@v1/%40/ü ñ.txt']);
    expect((await readdir(root)).sort()).toEqual(['.versions', 'weird']);
  });

  it('cannot hold a key and keys below it as a folder, and says so', async () => {
    await store.put('a/b', Buffer.from('file'));
    await expectKind(store.put('a/b/c', Buffer.from('below a file')), 'Unsupported');
    await expectKind(store.get('a/b/c'), 'NotFound');
    await store.put('x/y/z', Buffer.from('deep'));
    await expectKind(store.put('x/y', Buffer.from('over a folder')), 'Unsupported');
    await expectKind(store.put('x/y', Buffer.from('over a folder'), { ifNoneMatch: true }), 'Unsupported');
    await expectKind(store.get('x/y'), 'NotFound');
    expect(text(await store.get('x/y/z'))).toBe('deep');
    expect((await store.list({ prefix: '' })).items.map((m) => m.key)).toEqual(['a/b', 'x/y/z']);
  });

  it('conditional create is race-safe between independent stores on one directory (as between processes)', async () => {
    const stores = await Promise.all(Array.from({ length: 8 }, () => openLocalStore(root)));
    const key = 'db/d1/_log/00000000000000000007.json';
    const results = await Promise.allSettled(stores.map((s, i) => s.put(key, Buffer.from(`writer ${i}`), { ifNoneMatch: true })));
    const winners = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
    expect(winners).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect((r.reason as StorageError).kind).toBe('PreconditionFailed');
    const versions = (await store.listVersions({ prefix: key })).items;
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({ isLatest: true, isDeleteMarker: false });
    expect(text(await store.get(key))).toBe(`writer ${winners[0]}`);
    await Promise.all(stores.map((s) => s.close()));
  });

  it('deleting the last object of a folder removes the folder, and empty folders are never listed', async () => {
    await store.put('p/q/r/s.bin', Buffer.from('x'));
    await store.put('p/keep.bin', Buffer.from('y'));
    await store.delete('p/q/r/s.bin');
    await expect(stat(join(root, 'p', 'q'))).rejects.toMatchObject({ code: 'ENOENT' });
    await mkdir(join(root, 'p', 'empty', 'deeper'), { recursive: true });
    const level = await store.list({ prefix: 'p/', delimiter: true });
    expect(level.items.map((m) => m.key)).toEqual(['p/keep.bin']);
    expect(level.prefixes).toEqual([]);
    // The deleted key's history remains visible.
    expect((await store.listVersions({ prefix: 'p/q/' })).items.map((v) => v.isDeleteMarker)).toEqual([true, false]);
  });

  it('an aborted streaming put leaves neither the object nor a temporary file', async () => {
    const controller = new AbortController();
    async function* slow(): AsyncGenerator<Buffer> {
      yield Buffer.alloc(1024, 1);
      controller.abort();
      await new Promise((r) => setTimeout(r, 10));
      yield Buffer.alloc(1024, 2);
    }
    const error = await store.put('aborted.bin', Readable.from(slow()), { signal: controller.signal }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as Error).name).toBe('AbortError');
    await expectKind(store.head('aborted.bin'), 'NotFound');
    expect(await readdir(join(root, '.versions', 'tmp'))).toEqual([]);
  });

  it('keeps every version across close and re-open', async () => {
    const v1 = await store.put('k', Buffer.from('one'));
    const v2 = await store.put('k', Buffer.from('two'));
    await store.delete('k');
    const before = (await store.listVersions({ prefix: '' })).items;
    await store.close();
    store = await openLocalStore(root);
    const after = (await store.listVersions({ prefix: '' })).items;
    expect(after).toEqual(before);
    expect(after.map((v) => v.isDeleteMarker)).toEqual([true, false, false]);
    expect(text(await store.get('k', { versionId: v1.versionId as string }))).toBe('one');
    expect(text(await store.get('k', { versionId: v2.versionId as string }))).toBe('two');
    expect(after.map((v) => v.lastModified.getTime())).toEqual(before.map((v) => v.lastModified.getTime()));
  });

  it('opens a file: URL, and refuses a root that is not a directory', async () => {
    const byUrl = await openLocalStore(store.url);
    expect(byUrl.root).toBe(root);
    await byUrl.close();
    await writeFile(join(root, 'plain-file'), 'x');
    const error = await storageErrorOf(openLocalStore(join(root, 'plain-file')));
    expect(error.message).toContain('is not a directory');
  });

  it('refuses a directory whose layout marker it does not know', async () => {
    await writeFile(join(root, '.versions', 'format.json'), '{"format":"ducksafe-local-store","version":99}');
    await expectKind(openLocalStore(root), 'Unsupported');
  });
});

describe('LocalStore with versioning off', () => {
  let root = '';
  let store: LocalStore;

  beforeEach(async () => {
    root = await tempRoot();
    store = await openLocalStore(root, { versioning: false });
  });

  afterEach(async () => {
    await store.close();
    await rm(root, { recursive: true, force: true });
  });

  it('keeps nothing on overwrite or delete and lists only current objects, as version "null"', async () => {
    expect(store.capabilities).toEqual({ versioning: false, conditionalCreate: true, serverSideCopy: true });
    const first = await store.put('t/f', Buffer.from('one'));
    expect(first.versionId).toBeUndefined();
    await store.put('t/f', Buffer.from('two'));
    await store.put('t/g', Buffer.from('gee'));
    expect((await store.listVersions({ prefix: 't/' })).items).toMatchObject([
      { key: 't/f', versionId: 'null', isLatest: true, isDeleteMarker: false, size: 3 },
      { key: 't/g', versionId: 'null', isLatest: true, isDeleteMarker: false, size: 3 },
    ]);
    expect(text(await store.get('t/f', { versionId: 'null' }))).toBe('two');
    await expectKind(store.get('t/f', { versionId: new VersionIdGenerator().next() }), 'NotFound');
    await store.delete('t/f');
    expect((await store.listVersions({ prefix: 't/' })).items.map((v) => v.key)).toEqual(['t/g']);
    expect(await readdir(join(root, '.versions', 'keys'))).toEqual([]);
    await store.deleteVersion('t/g', 'null');
    expect((await store.list({ prefix: '' })).items).toEqual([]);
  });

  it('still enforces conditional create', async () => {
    await store.put('log/1', Buffer.from('a'), { ifNoneMatch: true });
    await expectKind(store.put('log/1', Buffer.from('b'), { ifNoneMatch: true }), 'PreconditionFailed');
    expect(text(await store.get('log/1'))).toBe('a');
  });
});
