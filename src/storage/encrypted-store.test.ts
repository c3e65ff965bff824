import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { ENCRYPTION_OVERHEAD, encrypted, looksEncrypted, parseEncryptionKey } from './encrypted-store.js';
import { exposesLocalFiles } from './local/local-files.js';
import { openLocalStore } from './local/local-store.js';
import { isStorageError } from './object-store.js';

const KEY = parseEncryptionKey('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff');
const OTHER = parseEncryptionKey(Buffer.alloc(32, 7).toString('base64'));
const dirs: string[] = [];

async function tempStore() {
  const dir = await mkdtemp(join(tmpdir(), 'enc-'));
  dirs.push(dir);
  return { dir, raw: await openLocalStore(dir) };
}

afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe('parseEncryptionKey', () => {
  it('takes 32 bytes as hex or base64 and refuses anything else', () => {
    expect(KEY).toHaveLength(32);
    expect(OTHER).toHaveLength(32);
    for (const bad of ['', 'abc', '00'.repeat(31), Buffer.alloc(16).toString('base64'), 'not a key at all!']) {
      expect(() => parseEncryptionKey(bad), bad).toThrow(/32 bytes/);
    }
  });
});

describe('the encrypting store', () => {
  it('round-trips objects, streams, files and ranges while the backend holds only ciphertext', async () => {
    const { dir, raw } = await tempStore();
    const store = encrypted(raw, KEY);
    expect(exposesLocalFiles(store)).toBe(false);
    const text = Buffer.from('hello, encrypted world');
    const meta = await store.put('a/b.json', text);
    expect(meta.size).toBe(text.length);
    expect(Buffer.from(await store.get('a/b.json')).toString()).toBe(text.toString());
    expect(Buffer.from(await store.get('a/b.json', { range: { start: 7, end: 15 } })).toString()).toBe('encrypted');
    const stored = await raw.get('a/b.json');
    expect(looksEncrypted(stored)).toBe(true);
    expect(stored.length).toBe(text.length + ENCRYPTION_OVERHEAD);
    expect(Buffer.from(stored).includes(text)).toBe(false);
    expect((await store.head('a/b.json')).size).toBe(text.length);
    expect((await store.list({ prefix: 'a/' })).items.map((m) => m.size)).toEqual([text.length]);

    await store.put('s', Readable.from([Buffer.from('str'), Buffer.from('eam')]));
    const chunks: Buffer[] = [];
    for await (const c of await store.getStream('s')) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('stream');
    const out = join(dir, '..', `${dir.split('/').pop() ?? 'x'}-out`);
    dirs.push(out);
    await store.getFile('s', out);
    expect(await readFile(out, 'utf8')).toBe('stream');
    await store.copy('s', 'copied');
    expect(Buffer.from(await store.get('copied')).toString()).toBe('stream');
  });

  it('gives each object its own nonce', async () => {
    const { raw } = await tempStore();
    const store = encrypted(raw, KEY);
    await store.put('x', Buffer.from('same'));
    await store.put('y', Buffer.from('same'));
    expect(Buffer.from(await raw.get('x')).equals(Buffer.from(await raw.get('y')))).toBe(false);
  });

  it('fails clearly with a wrong key, on a plaintext object, and on a damaged one', async () => {
    const { raw } = await tempStore();
    await encrypted(raw, KEY).put('k', Buffer.from('secret'));
    const wrong = await encrypted(raw, OTHER).get('k').catch((e: unknown) => e);
    expect(isStorageError(wrong, 'AccessDenied') && wrong.message).toMatch(/different key/);
    await raw.put('plain', Buffer.from('{"a":1}'));
    const plain = await encrypted(raw, KEY).get('plain').catch((e: unknown) => e);
    expect(isStorageError(plain, 'AccessDenied') && plain.message).toMatch(/not encrypted/);
    const sealed = Buffer.from(await raw.get('k'));
    sealed[sealed.length - 20] = (sealed[sealed.length - 20] ?? 0) ^ 1;
    await raw.put('k', sealed);
    const damaged = await encrypted(raw, KEY).get('k').catch((e: unknown) => e);
    expect(isStorageError(damaged, 'Unexpected') && damaged.message).toMatch(/integrity/);
  });
});
