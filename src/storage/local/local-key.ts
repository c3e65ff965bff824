// Maps object keys onto the local filesystem. A key becomes a plain relative path,
// so everything that could make it escape the root or alias another key is refused
// here, before any path is built.
import { StorageError } from '../object-store.js';

/** The hidden area at the root that holds version history and temporary files. */
export const HIDDEN_DIR = '.versions';

// S3's limit, so a key that works here also works there.
const MAX_KEY_BYTES = 1024;

function invalid(key: string, why: string): StorageError {
  return new StorageError('InvalidKey', `invalid key ${JSON.stringify(key)}: ${why}`, key);
}

function checkSegment(key: string, segment: string): void {
  if (segment === '') throw invalid(key, 'empty path segment');
  if (segment === '.' || segment === '..') throw invalid(key, `'${segment}' segment`);
}

function checkCharacters(key: string): void {
  if (key.includes('\\')) throw invalid(key, 'backslash');
  if (key.includes('\0')) throw invalid(key, 'NUL character');
  if (key.startsWith('/')) throw invalid(key, 'absolute path');
  if (key.startsWith(HIDDEN_DIR)) throw invalid(key, `'${HIDDEN_DIR}' is reserved by the local store`);
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) throw invalid(key, `longer than ${MAX_KEY_BYTES} bytes`);
}

/** Throws StorageError('InvalidKey') unless `key` is a safe relative object key. */
export function checkKey(key: string): string[] {
  if (key === '') throw invalid(key, 'empty');
  checkCharacters(key);
  const segments = key.split('/');
  for (const segment of segments) checkSegment(key, segment);
  return segments;
}

/**
 * Splits a list prefix into the directory to walk (every complete segment, checked
 * like a key) and the partial name that entries of that directory must start with.
 */
export function splitPrefix(prefix: string): { readonly dirSegments: string[]; readonly namePrefix: string } {
  if (prefix === '') return { dirSegments: [], namePrefix: '' };
  checkCharacters(prefix);
  const segments = prefix.split('/');
  const namePrefix = segments.pop() ?? '';
  for (const segment of segments) checkSegment(prefix, segment);
  return { dirSegments: segments, namePrefix };
}

/**
 * Orders keys by Unicode code point, which is S3's order (UTF-8 bytes). Plain `<`
 * compares UTF-16 code units, which disagrees only between surrogate pairs and
 * U+E000..U+FFFF.
 */
export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) return codePointRank(x) - codePointRank(y);
    return x - y;
  }
  return a.length - b.length;
}

function codePointRank(unit: number): number {
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}

// In the history tree a key's directory holds both its version entries (named with a
// leading '@') and the directories of longer keys, so segments are escaped to never
// start with '@'. Only '%' and '@' change, keeping names readable.
export function escapeSegment(segment: string): string {
  return segment.replace(/[%@]/g, (c) => (c === '%' ? '%25' : '%40'));
}

export function unescapeSegment(name: string): string {
  return name.replace(/%(25|40)/g, (_m, code: string) => (code === '25' ? '%' : '@'));
}
