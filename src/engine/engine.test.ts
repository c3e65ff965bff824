// Dispatch through a real Engine on a local warehouse: VACUUM is for ADMIN only.
// (Until users exist, [H], no client can log in as anyone but root, so this cannot
// be tested end to end.)
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../logging/logger.js';
import type { QueryOutcome, SessionHandler } from '../server/query-handler.js';
import { Session } from '../server/session.js';
import { FileCache } from '../storage/file-cache.js';
import { openLocalStore } from '../storage/local/local-store.js';
import type { ObjectStore } from '../storage/object-store.js';
import { DuckDatabase } from './duckdb/duck-database.js';
import { Engine } from './engine.js';
import { Warehouse } from './warehouse.js';

/** These sessions never run LOAD DATA LOCAL INFILE. */
function noLocalFiles(): AsyncIterable<Uint8Array> {
  throw new Error('no client files in this test');
}

let dir: string;
let store: ObjectStore;
let duck: DuckDatabase;
let engine: Engine;

async function outcomes(s: SessionHandler, sql: string): Promise<QueryOutcome[]> {
  const all: QueryOutcome[] = [];
  for await (const o of s.query(sql, new AbortController().signal)) all.push(o);
  return all;
}

async function sessionOf(user: string, id: number): Promise<SessionHandler> {
  return engine.openSession(new Session(id, user, 'localhost', null), { closeConnection: () => {}, readLocalFile: noLocalFiles });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'ducksafe-engine-'));
  store = await openLocalStore(path.join(dir, 'wh'));
  duck = await DuckDatabase.open({ memoryLimit: '', threads: 1, tempDirectory: path.join(dir, 'duck') });
  const files = new FileCache({ store, dir: path.join(dir, 'cache'), maxBytes: 1024 ** 3, logger: silentLogger });
  engine = await Engine.create({
    warehouse: await Warehouse.open(store, silentLogger, { files }),
    store,
    files,
    duck,
    logger: silentLogger,
    spoolDir: path.join(dir, 'spool'),
    rootPassword: '',
    rootAuthPlugin: 'mysql_native_password',
    port: 0,
    maxAllowedPacket: 1024 ** 2,
    maxConnections: 10,
    compaction: { minFiles: 0, smallFileBytes: 0 },
    retention: { defaultHours: 168, orphanGraceMs: 3_600_000 },
    vacuumIntervalMs: 0,
  });
  const root = await sessionOf('root', 1);
  expect((await outcomes(root, 'CREATE DATABASE d; CREATE TABLE d.t (a INT)')).map((o) => o.kind)).toEqual(['result', 'result']);
  await root.close();
});
afterAll(async () => {
  await engine?.close();
  duck?.close();
  await store?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('VACUUM dispatch', () => {
  it('refuses a session without the ADMIN privilege with 1227', async () => {
    const alice = await sessionOf('alice', 2);
    for (const sql of ['VACUUM TABLE d.t', 'VACUUM TABLE d.t DRY RUN', 'VACUUM DROP TABLE', 'VACUUM DROP TABLE FROM d DRY RUN']) {
      const [o] = await outcomes(alice, sql);
      expect(o?.kind === 'error' ? o.error : undefined, sql).toMatchObject({ errno: 1227, sqlState: '42000', message: expect.stringContaining('VACUUM') });
    }
    await alice.close();
  });

  it('runs it for root', async () => {
    const root = await sessionOf('root', 3);
    const [o] = await outcomes(root, 'VACUUM TABLE d.t');
    expect(o?.kind).toBe('result');
    await root.close();
  });
});
