// Names and locations of backup repositories never reach outside where they belong: a
// name is never a path, and a local location may not overlap the warehouse directory.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSqlError } from '../../src/errors/registry.js';
import { openLocalStore } from '../../src/storage/local/local-store.js';
import type { ObjectStore } from '../../src/storage/object-store.js';
import { openHarness, type Harness } from '../helpers/backup-harness.js';

describe('repository names and locations', () => {
  let dir: string;
  let store: ObjectStore;
  let h: Harness;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'ducksafe-repo-paths-'));
    store = await openLocalStore(path.join(dir, 'warehouse'));
    h = await openHarness({ store, scratch: path.join(dir, 'scratch') });
  });
  afterAll(async () => {
    await h?.close();
    await store?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  async function message(name: string, location: string): Promise<string> {
    const err = await h.admin({ kind: 'createRepository', name, readOnly: false, storage: 'local', location, properties: [] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!isSqlError(err)) throw new Error(`expected an SQL error for ${name} at ${location}, got ${String(err)}`);
    return err.message;
  }

  it('refuses names that could be paths', async () => {
    for (const name of ['../up', 'a/b', 'a\0b', '%2e%2e', '..', 'a\\b']) {
      expect(await message(name, `file://${dir}/r`)).toContain('Invalid repository name');
    }
  });

  it('refuses local locations that overlap the warehouse directory, however they are spelled', async () => {
    for (const location of [`file://${dir}/warehouse`, `file://${dir}/warehouse/db/x`, `file://${dir}/elsewhere/../warehouse/sub`, `file://${dir}`, 'file:///']) {
      expect(await message('r', location)).toMatch(/overlaps the warehouse directory/);
    }
    expect(await message('r', 'file://relative/path')).toContain('expected file:///absolute/path');
    expect(await readdir(path.join(dir))).not.toContain('relative');
    await h.admin({ kind: 'createRepository', name: 'r', readOnly: false, storage: 'local', location: `file://${dir}/warehouse-backups`, properties: [] });
    expect((await h.show({ kind: 'showRepositories' })).map((r) => r.RepoName)).toEqual(['r']);
  });
});
