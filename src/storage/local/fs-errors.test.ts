import { describe, expect, it } from 'vitest';
import { StorageError } from '../object-store.js';
import { toStorageError } from './fs-errors.js';

function fsError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: something, open '/secret/path'`), { code });
}

describe('toStorageError', () => {
  it.each([
    ['ENOENT', 'read', 'NotFound'],
    ['ENOENT', 'write', 'NotFound'],
    ['EACCES', 'read', 'AccessDenied'],
    ['EPERM', 'write', 'AccessDenied'],
    ['EROFS', 'write', 'AccessDenied'],
    ['ENOSPC', 'write', 'Temporary'],
    ['EMFILE', 'read', 'Temporary'],
    ['EAGAIN', 'read', 'Temporary'],
    ['EBUSY', 'write', 'Temporary'],
    ['ENAMETOOLONG', 'write', 'InvalidKey'],
    ['ENOTDIR', 'read', 'NotFound'],
    ['EISDIR', 'read', 'NotFound'],
    ['ENOTDIR', 'write', 'Unsupported'],
    ['EISDIR', 'write', 'Unsupported'],
    ['EIO', 'read', 'Unexpected'],
  ] as const)('%s while %sing is %s', (code, mode, kind) => {
    const err = toStorageError(fsError(code), mode === 'read' ? 'read' : 'write', 'db/k', mode);
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).kind).toBe(kind);
    expect((err as StorageError).key).toBe('db/k');
    expect(err.message).toContain('"db/k"');
    expect((err as StorageError).cause).toBeInstanceOf(Error);
  });

  it('temporary kinds are flagged temporary', () => {
    expect((toStorageError(fsError('ENOSPC'), 'write', 'k', 'write') as StorageError).temporary).toBe(true);
    expect((toStorageError(fsError('ENOENT'), 'read', 'k', 'read') as StorageError).temporary).toBe(false);
  });

  it('passes storage errors and abort errors through unchanged', () => {
    const storage = new StorageError('PreconditionFailed', 'exists', 'k');
    expect(toStorageError(storage, 'write', 'k', 'write')).toBe(storage);
    const abort = new DOMException('stop', 'AbortError');
    expect(toStorageError(abort, 'write', 'k', 'write')).toBe(abort);
  });

  it('turns an error without a code into Unexpected', () => {
    const err = toStorageError(new TypeError('bad'), 'read', 'k', 'read') as StorageError;
    expect(err.kind).toBe('Unexpected');
    expect(err.message).toContain('bad');
  });
});
