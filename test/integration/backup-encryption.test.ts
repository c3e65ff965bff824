// Encrypted backup repositories ("encryption_key" in CREATE REPOSITORY): every object
// in the repository is ciphertext, a snapshot restores every row, and a repository at
// the same location is refused without its key or with another one. Run with a plain
// and an encrypted warehouse, on a local repository and (when S3 is there) an S3 one.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSqlError } from '../../src/errors/registry.js';
import { silentLogger } from '../../src/logging/logger.js';
import { encrypted, looksEncrypted } from '../../src/storage/encrypted-store.js';
import { openLocalStore } from '../../src/storage/local/local-store.js';
import { listAll, type ObjectStore } from '../../src/storage/object-store.js';
import { withRetry } from '../../src/storage/retry.js';
import { openS3Store } from '../../src/storage/s3/s3-store.js';
import type { BackupAdminStatement } from '../../src/sql/backup-statement.js';
import { openHarness, type Harness } from '../helpers/backup-harness.js';
import { createTestBucket, s3TestAvailability, type TestBucket } from '../helpers/s3-env.js';

const s3 = s3TestAvailability();
const settings = s3.available ? s3.settings : undefined;
if (!s3.available) console.log(`[backup encryption] S3 repository run skipped: ${s3.reason}`);
const RETRY = { maxAttempts: 4, baseDelayMs: 20, maxDelayMs: 500, maxElapsedMs: 10_000, logger: silentLogger };
const REPO_KEY = randomBytes(32).toString('hex');
const OTHER_KEY = randomBytes(32).toString('hex');
/** A value that must appear in the warehouse's rows and nowhere in the repository's bytes. */
const MARK = `needle${randomBytes(6).toString('hex')}`;

interface Case {
  readonly name: string;
  readonly warehouseKey: string | undefined;
  readonly repository: 'local' | 's3';
}

const cases: readonly Case[] = [
  { name: 'plain warehouse, local repository', warehouseKey: undefined, repository: 'local' },
  // The same key on both sides: objects still stream through and are sealed again.
  { name: 'encrypted warehouse, local repository', warehouseKey: REPO_KEY, repository: 'local' },
  ...(settings === undefined ? [] : [{ name: 'encrypted warehouse, S3 repository', warehouseKey: OTHER_KEY, repository: 's3' } as const]),
];

describe.each(cases)('encrypted repository: $name', ({ warehouseKey, repository }) => {
  let dir: string;
  let bucket: TestBucket | undefined;
  let store: ObjectStore;
  let repoRaw: ObjectStore;
  let h: Harness;
  let location: string;
  let s3Properties: [string, string][] = [];

  function create(name: string, readOnly: boolean, properties: [string, string][]): BackupAdminStatement {
    return { kind: 'createRepository', name, readOnly, storage: repository, location, properties: [...s3Properties, ...properties] };
  }

  async function sqlErrorOf(work: Promise<unknown>): Promise<Error & { errno: number }> {
    const err = await work.then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!isSqlError(err)) throw new Error(`expected an SQL error, got ${String(err)}`);
    return err;
  }

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'ducksafe-backup-enc-'));
    const inner = withRetry(await openLocalStore(path.join(dir, 'warehouse')), RETRY);
    store = warehouseKey === undefined ? inner : encrypted(inner, Buffer.from(warehouseKey, 'hex'));
    if (repository === 'local') {
      location = `file://${path.join(dir, 'repo')}`;
      repoRaw = await openLocalStore(path.join(dir, 'repo'));
    } else {
      if (settings === undefined) throw new Error('no S3');
      bucket = await createTestBucket(settings, { versioned: true });
      location = bucket.url('repo');
      repoRaw = await openS3Store(bucket.storeOptions('repo'));
      s3Properties = [
        ['s3.endpoint', settings.endpoint],
        ['s3.region', settings.region],
        ['s3.access_key', settings.accessKeyId],
        ['s3.secret_key', settings.secretAccessKey],
        ['use_path_style', 'true'],
      ];
    }
    h = await openHarness({ store, scratch: path.join(dir, 'scratch') });
    await h.sql('CREATE DATABASE shop');
    await h.sql('CREATE TABLE shop.items (id INT PRIMARY KEY, name VARCHAR(40))');
    await h.sql(`INSERT INTO shop.items VALUES (1, '${MARK}'), (2, 'pear')`);
  });
  afterAll(async () => {
    await h?.close();
    await store?.close();
    await repoRaw?.close();
    await bucket?.remove();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('refuses a malformed key without echoing it', async () => {
    const err = await sqlErrorOf(h.admin(create('bad', false, [['encryption_key', 'abc-secret-ish']])));
    expect(err.errno).toBe(1210);
    expect(err.message).toContain('Property "encryption_key" is invalid');
    expect(err.message).not.toContain('abc-secret-ish');
  });

  it('writes only ciphertext to the repository and restores every row', async () => {
    await h.admin(create('enc', false, [['encryption_key', REPO_KEY]]));
    await h.admin({ kind: 'backup', db: 'shop', label: 'snap', repository: 'enc', scope: { kind: 'all' }, properties: [] });
    expect(await h.waitJob('backup', 'snap', 'shop')).toMatchObject({ State: 'FINISHED', Status: '[OK]' });

    const objects: string[] = [];
    for await (const m of listAll(repoRaw, '')) {
      objects.push(m.key);
      const bytes = await repoRaw.get(m.key);
      expect(looksEncrypted(bytes), m.key).toBe(true);
      expect(Buffer.from(bytes).includes(MARK), m.key).toBe(false);
      expect(Buffer.from(bytes).includes('"format"'), m.key).toBe(false);
    }
    expect(objects.some((k) => k.endsWith('manifest.json'))).toBe(true);
    expect(objects.some((k) => k.endsWith('.parquet'))).toBe(true);

    const [snapshot] = await h.show({ kind: 'showSnapshot', repository: 'enc' });
    const ts = snapshot?.Timestamp ?? '';
    await h.sql('DROP TABLE shop.items');
    await h.admin({ kind: 'restore', db: 'shop', label: 'snap', repository: 'enc', scope: { kind: 'all' }, properties: [['backup_timestamp', ts]] });
    expect(await h.waitJob('restore', 'snap', 'shop')).toMatchObject({ State: 'FINISHED', Status: '[OK]' });
    expect(await h.sql('SELECT id, name FROM shop.items ORDER BY id')).toEqual([['1', MARK], ['2', 'pear']]);
    expect(JSON.stringify(await h.show({ kind: 'showRepositories' }))).not.toContain(REPO_KEY);
  });

  it('refuses the same location without its key, with another key, or as unencrypted', async () => {
    const missing = await sqlErrorOf(h.admin(create('ro1', true, [])));
    expect(missing.message).toMatch(/Repository 'ro1' at .* is encrypted: give its key as PROPERTIES \("encryption_key"/);
    const wrong = await sqlErrorOf(h.admin(create('ro2', true, [['encryption_key', OTHER_KEY]])));
    expect(wrong.message).toMatch(/Repository 'ro2' at .* was encrypted with a different key: wrong "encryption_key"/);
    expect(wrong.message).not.toContain(OTHER_KEY);
    expect((await h.show({ kind: 'showRepositories' })).map((r) => r.RepoName)).toEqual(['enc']);

    // With the right key (here in base64) a READ ONLY repository lists the same snapshots.
    await h.admin(create('ro3', true, [['encryption_key', Buffer.from(REPO_KEY, 'hex').toString('base64')]]));
    expect(await h.show({ kind: 'showSnapshot', repository: 'ro3' })).toEqual(await h.show({ kind: 'showSnapshot', repository: 'enc' }));
  });

  it('refuses a key for a repository that was written without one', async () => {
    const plainLocation = repository === 'local' ? `file://${path.join(dir, 'plainrepo')}` : (bucket?.url('plainrepo') ?? '');
    const plain: BackupAdminStatement = { kind: 'createRepository', name: 'plain', readOnly: false, storage: repository, location: plainLocation, properties: s3Properties };
    await h.admin(plain);
    const withKey: BackupAdminStatement = { kind: 'createRepository', name: 'plain2', readOnly: false, storage: repository, location: plainLocation, properties: [...s3Properties, ['encryption_key', REPO_KEY]] };
    const err = await sqlErrorOf(h.admin(withKey));
    expect(err.message).toMatch(/Repository 'plain2' at .* is not encrypted: create it without "encryption_key"/);
  });
});
