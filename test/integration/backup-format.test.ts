// A repository written by the first format (fixtures/repository-v1) must stay restorable
// by every later server: a change that breaks this needs a migration, not a new fixture.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { openLocalStore } from '../../src/storage/local/local-store.js';
import { openHarness } from '../helpers/backup-harness.js';

const FIXTURE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'repository-v1');
const dirs: string[] = [];

afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

it('restores the snapshot of a format-1 repository', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ducksafe-repo-v1-'));
  dirs.push(dir);
  await cp(FIXTURE, path.join(dir, 'repo'), { recursive: true });
  const store = await openLocalStore(path.join(dir, 'warehouse'));
  const h = await openHarness({ store, scratch: path.join(dir, 'scratch') });
  try {
    await h.admin({ kind: 'createRepository', name: 'old', readOnly: true, storage: 'local', location: `file://${dir}/repo`, properties: [] });
    expect(await h.show({ kind: 'showSnapshot', repository: 'old' })).toEqual([{ Snapshot: 'first', Timestamp: '2026-11-21-17-52-11', Status: 'OK' }]);
    const [details] = await h.show({ kind: 'showSnapshot', repository: 'old', snapshot: 'first', timestamp: '2026-11-21-17-52-11' });
    expect(JSON.parse(details?.Details ?? '{}')).toMatchObject({ database: 'legacy', files: 3, rows: 6, properties: { type: 'full' } });
    await h.admin({ kind: 'restore', db: 'legacy', label: 'first', repository: 'old', scope: { kind: 'all' }, properties: [['backup_timestamp', '2026-11-21-17-52-11']] });
    const job = await h.waitJob('restore', 'first', 'legacy');
    expect(job.State, String(job.Status)).toBe('FINISHED');
    expect(await h.sql('SELECT id, name, price FROM legacy.items ORDER BY id')).toEqual([
      ['1', 'apple', '1.50'],
      ['2', 'pear', '2.25'],
      ['3', 'plum', null],
    ]);
    await h.sql("INSERT INTO legacy.items (name) VALUES ('fig')");
    expect(await h.sql("SELECT id FROM legacy.items WHERE name = 'fig'")).toEqual([['4']]);
    expect(await h.sql('SELECT y, COUNT(*) FROM legacy.sales GROUP BY y ORDER BY y')).toEqual([
      ['1', '1'],
      ['2', '2'],
    ]);
  } finally {
    await h.close();
    await store.close();
  }
});
