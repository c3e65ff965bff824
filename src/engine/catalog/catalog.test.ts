import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLocalStore } from '../../storage/local/local-store.js';
import type { ObjectStore } from '../../storage/object-store.js';
import { silentLogger } from '../../logging/logger.js';
import { Catalog, DEFAULT_DATABASE } from './catalog.js';

let dir: string;
let store: ObjectStore;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'ducksafe-catalog-'));
  store = await openLocalStore(dir);
});
afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const liveNames = (c: Catalog): string[] => c.current().databases.filter((d) => d.dropped === undefined).map((d) => d.name);

describe('the default database', () => {
  it('is created once, however often the catalog is opened', async () => {
    const first = await Catalog.open(store, silentLogger);
    await first.ensureDefaultDatabase();
    await first.ensureDefaultDatabase();
    const second = await Catalog.open(store, silentLogger);
    await second.ensureDefaultDatabase();
    expect(liveNames(second)).toEqual([DEFAULT_DATABASE]);
    expect(second.current().seq).toBe(1);
  });

  it('comes to a catalog written before it existed, next to what is there', async () => {
    const old = await Catalog.open(store, silentLogger);
    await old.createDatabase('legacy', 'root', false);
    const reopened = await Catalog.open(store, silentLogger);
    await reopened.ensureDefaultDatabase();
    expect(liveNames(reopened).sort()).toEqual([DEFAULT_DATABASE, 'legacy']);
  });

  it('stays dropped when a user dropped it', async () => {
    const catalog = await Catalog.open(store, silentLogger);
    await catalog.ensureDefaultDatabase();
    await catalog.dropDatabase(DEFAULT_DATABASE, 'root', false);
    const reopened = await Catalog.open(store, silentLogger);
    await reopened.ensureDefaultDatabase();
    expect(liveNames(reopened)).toEqual([]);
    await reopened.undropDatabase(DEFAULT_DATABASE, 'root');
    expect(liveNames(reopened)).toEqual([DEFAULT_DATABASE]);
  });
});
