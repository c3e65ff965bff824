// The local store's edge: every filesystem error becomes a StorageError kind here,
// so no raw fs error crosses the ObjectStore interface.
import { StorageError, type StorageErrorKind } from '../object-store.js';

/** Reads see a path collision as a missing key; writes see it as a key the local layout cannot hold. */
export const FS_ACCESS_MODES = ['read', 'write'] as const;
export type FsAccessMode = (typeof FS_ACCESS_MODES)[number];

const TEMPORARY_CODES: ReadonlySet<string> = new Set(['ENOSPC', 'EMFILE', 'ENFILE', 'EAGAIN', 'EBUSY', 'EINTR', 'ETIMEDOUT']);
const DENIED_CODES: ReadonlySet<string> = new Set(['EACCES', 'EPERM', 'EROFS']);
// A file where a directory is needed or the reverse: 'a/b' exists and 'a/b/c' is wanted.
const COLLISION_CODES: ReadonlySet<string> = new Set(['ENOTDIR', 'EISDIR', 'ENOTEMPTY', 'EEXIST']);

export function errnoCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  return typeof err.code === 'string' ? err.code : undefined;
}

export function isAbortError(err: unknown): boolean {
  return err instanceof Error && err.name === 'AbortError';
}

function kindOf(code: string | undefined, mode: FsAccessMode): StorageErrorKind {
  if (code === undefined) return 'Unexpected';
  if (code === 'ENOENT') return 'NotFound';
  if (DENIED_CODES.has(code)) return 'AccessDenied';
  if (TEMPORARY_CODES.has(code)) return 'Temporary';
  if (code === 'ENAMETOOLONG') return 'InvalidKey';
  if (COLLISION_CODES.has(code)) return mode === 'read' ? 'NotFound' : 'Unsupported';
  return 'Unexpected';
}

/**
 * Converts whatever an fs call threw into a StorageError naming the key. Storage
 * errors pass through unchanged and abort errors stay abort errors, so callers can
 * tell a cancelled operation from a failed one.
 */
export function toStorageError(err: unknown, action: string, key: string, mode: FsAccessMode): Error {
  if (err instanceof StorageError || isAbortError(err)) return err as Error;
  const code = errnoCode(err);
  const kind = kindOf(code, mode);
  const detail =
    kind === 'NotFound'
      ? 'not found'
      : kind === 'Unsupported'
        ? `the local store cannot hold both a key and keys under it as a folder (${code})`
        : (code ?? (err instanceof Error ? err.message : String(err)));
  return new StorageError(kind, `local store: cannot ${action} ${JSON.stringify(key)}: ${detail}`, key, { cause: err });
}
