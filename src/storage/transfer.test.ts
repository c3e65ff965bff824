import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLocalStore } from './local/local-store.js';
import { isStorageError, type ObjectStore } from './object-store.js';
import { digestObject, transferObject, TransferVerificationError } from './transfer.js';

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

describe('transferObject between local stores', () => {
  let dir: string;
  let a: ObjectStore;
  let b: ObjectStore;
  const body = new Uint8Array(300_000).map((_v, i) => (i * 7) % 251);

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'ducksafe-transfer-'));
    a = await openLocalStore(path.join(dir, 'a'));
    b = await openLocalStore(path.join(dir, 'b'));
    await a.put('x/file.bin', body);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('copies the bytes and reports their size and SHA-256, counting them as they pass', async () => {
    let counted = 0;
    const result = await transferObject({ from: a, fromKey: 'x/file.bin', to: b, toKey: 'y/copy.bin', onBytes: (n) => (counted += n) });
    expect(result).toEqual({ size: body.length, sha256: sha(body), serverSide: false });
    expect(counted).toBe(body.length);
    expect(Buffer.from(await b.get('y/copy.bin')).equals(Buffer.from(body))).toBe(true);
    expect(await digestObject(b, 'y/copy.bin')).toMatchObject({ size: body.length, sha256: sha(body) });
  });

  it('fails on an unexpected checksum or size, and leaves no copy', async () => {
    const wrong = sha(new Uint8Array([1]));
    const err = await transferObject({ from: a, fromKey: 'x/file.bin', to: b, toKey: 'y/bad.bin', sha256: wrong }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransferVerificationError);
    expect((err as TransferVerificationError).message).toContain('x/file.bin: checksum mismatch');
    await expect(b.head('y/bad.bin')).rejects.toSatisfy((e: unknown) => isStorageError(e, 'NotFound'));
    const sized = await transferObject({ from: a, fromKey: 'x/file.bin', to: b, toKey: 'y/bad.bin', size: 5 }).catch((e: unknown) => e);
    expect((sized as TransferVerificationError).what).toBe('size');
    await expect(b.head('y/bad.bin')).rejects.toSatisfy((e: unknown) => isStorageError(e, 'NotFound'));
  });

  it('stops when the signal aborts', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop now'));
    await expect(transferObject({ from: a, fromKey: 'x/file.bin', to: b, toKey: 'y/never.bin', signal: controller.signal })).rejects.toThrow('stop now');
    await expect(b.head('y/never.bin')).rejects.toSatisfy((e: unknown) => isStorageError(e, 'NotFound'));
  });

  it('reports a missing source as NotFound', async () => {
    await expect(transferObject({ from: a, fromKey: 'x/missing.bin', to: b, toKey: 'y/m.bin' })).rejects.toSatisfy((e: unknown) => isStorageError(e, 'NotFound'));
  });
});
