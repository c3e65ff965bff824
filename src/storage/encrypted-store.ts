// Encryption at rest done by ducksafe itself, as a layer over any store: every
// object is sealed with AES-256-GCM under its own random 96-bit nonce. Object
// layout: "DSE1" | key check (8 bytes) | nonce (12) | ciphertext | tag (16).
// The key check (the first bytes of SHA-256 over a label and the key) tells a
// wrong key from a damaged object without revealing the key. Objects are sealed
// whole, so ranged reads decrypt the object and slice it. Local files of a local
// store hold ciphertext, so this layer never passes `localPath` through: readers
// go through the file cache, which holds plaintext on local disk only.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { StorageError, type GetOptions, type ListOptions, type ObjectMeta, type ObjectStore, type PutOptions } from './object-store.js';

const MAGIC = Buffer.from('DSE1', 'latin1');
const CHECK_LENGTH = 8;
const NONCE_LENGTH = 12;
const TAG_LENGTH = 16;
const HEADER_LENGTH = MAGIC.length + CHECK_LENGTH + NONCE_LENGTH;
/** Bytes a sealed object has beyond its plaintext. */
export const ENCRYPTION_OVERHEAD = HEADER_LENGTH + TAG_LENGTH;
export const ENCRYPTION_KEY_BYTES = 32;

/** Parses a 32-byte key written as 64 hex digits or as base64; throws a message for the user otherwise. */
export function parseEncryptionKey(text: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : /^[A-Za-z0-9+/_-]+={0,2}$/.test(t) ? Buffer.from(t, 'base64') : Buffer.alloc(0);
  if (key.length !== ENCRYPTION_KEY_BYTES) {
    throw new RangeError(`an encryption key is ${ENCRYPTION_KEY_BYTES} bytes, written as 64 hex digits or in base64`);
  }
  return key;
}

function keyCheck(key: Buffer): Buffer {
  return createHash('sha256').update('ducksafe key check\0').update(key).digest().subarray(0, CHECK_LENGTH);
}

/** Whether `bytes` start like an object this layer sealed (for "this warehouse is encrypted" messages). */
export function looksEncrypted(bytes: Uint8Array): boolean {
  return bytes.length >= ENCRYPTION_OVERHEAD && Buffer.from(bytes.subarray(0, MAGIC.length)).equals(MAGIC);
}

/** Whether `bytes` were sealed with `key` (by the key check alone: nothing is decrypted). */
export function sealedWith(key: Buffer, bytes: Uint8Array): boolean {
  return looksEncrypted(bytes) && Buffer.from(bytes.subarray(MAGIC.length, MAGIC.length + CHECK_LENGTH)).equals(keyCheck(key));
}

export function seal(key: Buffer, plaintext: Uint8Array): Buffer {
  const nonce = randomBytes(NONCE_LENGTH);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([MAGIC, keyCheck(key), nonce, body, cipher.getAuthTag()]);
}

/** How the messages of a wrong key name the store and the setting that holds its key. */
export interface KeyNaming {
  /** What was written without a key, e.g. "the warehouse". */
  readonly store: string;
  /** Where the key is set, e.g. "--encryption-key". */
  readonly setting: string;
}

const WAREHOUSE_KEY: KeyNaming = { store: 'the warehouse', setting: '--encryption-key' };

/** Throws StorageError 'AccessDenied' for a wrong key or a plaintext object, 'Unexpected' for a damaged one. */
export function open(key: Buffer, sealed: Uint8Array, objectKey: string, naming: KeyNaming = WAREHOUSE_KEY): Buffer {
  const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  if (!looksEncrypted(bytes)) {
    throw new StorageError('AccessDenied', `object ${objectKey} is not encrypted, but a key was given: ${naming.store} was written without one`, objectKey);
  }
  if (!bytes.subarray(MAGIC.length, MAGIC.length + CHECK_LENGTH).equals(keyCheck(key))) {
    throw new StorageError('AccessDenied', `object ${objectKey} was encrypted with a different key: wrong ${naming.setting}`, objectKey);
  }
  const nonce = bytes.subarray(MAGIC.length + CHECK_LENGTH, HEADER_LENGTH);
  const decipher = createDecipheriv('aes-256-gcm', key, nonce);
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_LENGTH));
  try {
    return Buffer.concat([decipher.update(bytes.subarray(HEADER_LENGTH, bytes.length - TAG_LENGTH)), decipher.final()]);
  } catch (err) {
    throw new StorageError('Unexpected', `object ${objectKey} failed its integrity check: it was changed or damaged after it was written`, objectKey, { cause: err });
  }
}

async function collect(body: Uint8Array | Readable): Promise<Uint8Array> {
  if (body instanceof Uint8Array) return body;
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

// The inner ETag is the ciphertext's (on S3, its MD5): readers that check an ETag against
// the bytes they read would see a mismatch, so it is left out.
function plainMeta(meta: ObjectMeta, size: number): ObjectMeta {
  const { etag: _ciphertextEtag, ...rest } = meta;
  return { ...rest, size };
}

function plainSize(size: number): number {
  return Math.max(0, size - ENCRYPTION_OVERHEAD);
}

/** `inner` with every object encrypted on the way in and decrypted on the way out. */
export function encrypted(inner: ObjectStore, key: Buffer, naming: KeyNaming = WAREHOUSE_KEY): ObjectStore {
  if (key.length !== ENCRYPTION_KEY_BYTES) throw new RangeError(`an encryption key is ${ENCRYPTION_KEY_BYTES} bytes`);
  const read = async (objectKey: string, options?: GetOptions): Promise<Buffer> => {
    const { range, ...rest } = options ?? {};
    const plain = open(key, await inner.get(objectKey, rest), objectKey, naming);
    return range === undefined ? plain : plain.subarray(range.start, range.end + 1);
  };
  return {
    url: inner.url,
    capabilities: inner.capabilities,
    async put(objectKey: string, body: Uint8Array | Readable, options?: PutOptions): Promise<ObjectMeta> {
      const plain = await collect(body);
      return plainMeta(await inner.put(objectKey, seal(key, plain), options), plain.length);
    },
    async putFile(objectKey: string, path: string, options?: PutOptions): Promise<ObjectMeta> {
      const plain = await readFile(path);
      return plainMeta(await inner.put(objectKey, seal(key, plain), options), plain.length);
    },
    get: read,
    async getStream(objectKey: string, options?: GetOptions): Promise<Readable> {
      return Readable.from([await read(objectKey, options)]);
    },
    async getFile(objectKey: string, path: string, options?: GetOptions): Promise<ObjectMeta> {
      const plain = await read(objectKey, options);
      const meta = await inner.head(objectKey, options?.versionId === undefined ? undefined : { versionId: options.versionId });
      const temp = `${path}.${randomBytes(6).toString('hex')}.part`;
      try {
        await writeFile(temp, plain);
        await rename(temp, path);
      } catch (err) {
        await rm(temp, { force: true });
        throw err;
      }
      return plainMeta(meta, plain.length);
    },
    async head(objectKey: string, options?: { readonly versionId?: string }): Promise<ObjectMeta> {
      const meta = await inner.head(objectKey, options);
      return plainMeta(meta, plainSize(meta.size));
    },
    delete: (objectKey: string) => inner.delete(objectKey),
    deleteVersion: (objectKey: string, versionId: string) => inner.deleteVersion(objectKey, versionId),
    deleteVersions: (versions) => inner.deleteVersions(versions),
    async list(options: ListOptions) {
      const page = await inner.list(options);
      return { ...page, items: page.items.map((m) => plainMeta(m, plainSize(m.size))) };
    },
    async listVersions(options: ListOptions) {
      const page = await inner.listVersions(options);
      return { ...page, items: page.items.map((v) => (v.isDeleteMarker ? v : { ...v, size: plainSize(v.size) })) };
    },
    // A sealed object does not name its key, so a copy stays readable as it is.
    async copy(fromKey: string, toKey: string, options?: { readonly versionId?: string }): Promise<ObjectMeta> {
      const meta = await inner.copy(fromKey, toKey, options);
      return plainMeta(meta, plainSize(meta.size));
    },
    close: () => inner.close(),
  };
}
