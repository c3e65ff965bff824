// Walks the two trees of the local store in S3 key order: the tree of current files
// and the history tree. Only the subtree under the prefix's directory is read, and
// subtrees wholly before the resume point are skipped without being opened, so
// paging deep inside a large warehouse stays cheap.
import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode } from './fs-errors.js';
import { HIDDEN_DIR, compareKeys, escapeSegment, splitPrefix, unescapeSegment } from './local-key.js';

/** Where a walk resumes: keys before it (or equal to it, unless inclusive) are skipped. */
export interface WalkBound {
  readonly key: string;
  readonly inclusive: boolean;
}

export const CURRENT_ENTRY_KINDS = ['object', 'prefix'] as const;
export type CurrentEntryKind = (typeof CURRENT_ENTRY_KINDS)[number];

export interface CurrentEntry {
  readonly key: string;
  readonly kind: CurrentEntryKind;
  readonly path: string;
}

export interface HistoryLeaf {
  readonly key: string;
  /** The directory holding the key's version entries. */
  readonly dir: string;
  /** Names of the version entries ('@v<id>', '@d<id>'), unsorted. */
  readonly entryNames: readonly string[];
}

/** Version entries in the history tree start with this; escaped key segments never do. */
export const ENTRY_MARK = '@';

interface Candidate {
  readonly sortName: string;
  readonly name: string;
  readonly subtree: boolean;
}

async function readDirents(dir: string): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw err;
  }
}

function isBefore(key: string, bound: WalkBound | undefined): boolean {
  if (bound === undefined) return false;
  const c = compareKeys(key, bound.key);
  return c < 0 || (c === 0 && !bound.inclusive);
}

/** A subtree `folder` (ending in '/') can be skipped when all its keys sort before the bound. */
function subtreeBefore(folder: string, bound: WalkBound | undefined): boolean {
  return bound !== undefined && compareKeys(folder, bound.key) < 0 && !bound.key.startsWith(folder);
}

function byName(a: Candidate, b: Candidate): number {
  return compareKeys(a.sortName, b.sortName);
}

/** True when some regular file lives below `dir` (empty leftover folders do not count). */
async function containsFile(dir: string): Promise<boolean> {
  for (const dirent of await readDirents(dir)) {
    if (dirent.isFile()) return true;
    if (dirent.isDirectory() && (await containsFile(join(dir, dirent.name)))) return true;
  }
  return false;
}

/**
 * Current objects (regular files) under `prefix`, in key order. With `delimiter`,
 * folders directly under the prefix's level come back once each as 'prefix' entries
 * (only those that hold at least one object).
 */
export async function* walkCurrentTree(
  root: string,
  prefix: string,
  bound: WalkBound | undefined,
  delimiter: boolean,
): AsyncGenerator<CurrentEntry> {
  const { dirSegments, namePrefix } = splitPrefix(prefix);
  const keyPrefix = dirSegments.map((s) => `${s}/`).join('');
  yield* walkCurrentDir(join(root, ...dirSegments), keyPrefix, namePrefix, bound, delimiter, dirSegments.length === 0);
}

async function* walkCurrentDir(
  dir: string,
  keyPrefix: string,
  namePrefix: string,
  bound: WalkBound | undefined,
  delimiter: boolean,
  atRoot: boolean,
): AsyncGenerator<CurrentEntry> {
  const candidates: Candidate[] = [];
  for (const dirent of await readDirents(dir)) {
    const name = dirent.name;
    if (!name.startsWith(namePrefix) || name.includes('\\')) continue;
    if (atRoot && name === HIDDEN_DIR) continue;
    if (dirent.isFile()) candidates.push({ sortName: name, name, subtree: false });
    else if (dirent.isDirectory()) candidates.push({ sortName: `${name}/`, name, subtree: true });
  }
  candidates.sort(byName);
  for (const candidate of candidates) {
    const key = keyPrefix + candidate.sortName;
    const path = join(dir, candidate.name);
    if (!candidate.subtree) {
      if (!isBefore(key, bound)) yield { key, kind: 'object', path };
    } else if (delimiter) {
      if (!isBefore(key, bound) && (await containsFile(path))) yield { key, kind: 'prefix', path };
    } else if (!subtreeBefore(key, bound)) {
      yield* walkCurrentDir(path, key, '', bound, false, false);
    }
  }
}

/**
 * Keys that have version entries under `prefix`, in key order. A key's history
 * directory also holds the directories of longer keys, so each child directory is
 * considered twice: as the key itself and as the folder of keys below it.
 */
export async function* walkHistoryTree(
  historyRoot: string,
  prefix: string,
  bound: WalkBound | undefined,
  delimiter: boolean,
): AsyncGenerator<HistoryLeaf> {
  const { dirSegments, namePrefix } = splitPrefix(prefix);
  const keyPrefix = dirSegments.map((s) => `${s}/`).join('');
  const dir = join(historyRoot, ...dirSegments.map(escapeSegment));
  yield* walkHistoryDir(dir, await readDirents(dir), keyPrefix, namePrefix, bound, delimiter);
}

async function* walkHistoryDir(
  dir: string,
  dirents: readonly Dirent[],
  keyPrefix: string,
  namePrefix: string,
  bound: WalkBound | undefined,
  delimiter: boolean,
): AsyncGenerator<HistoryLeaf> {
  const candidates: Candidate[] = [];
  for (const dirent of dirents) {
    if (!dirent.isDirectory() || dirent.name.startsWith(ENTRY_MARK)) continue;
    const segment = unescapeSegment(dirent.name);
    if (!segment.startsWith(namePrefix)) continue;
    candidates.push({ sortName: segment, name: dirent.name, subtree: false });
    if (!delimiter) candidates.push({ sortName: `${segment}/`, name: dirent.name, subtree: true });
  }
  candidates.sort(byName);
  // The key and its folder are usually adjacent; keep the listing read for the first.
  const childDirents = new Map<string, Dirent[]>();
  const readChild = async (name: string, keep: boolean): Promise<Dirent[]> => {
    const cached = childDirents.get(name);
    if (cached !== undefined) {
      childDirents.delete(name);
      return cached;
    }
    const read = await readDirents(join(dir, name));
    if (keep) childDirents.set(name, read);
    return read;
  };
  for (const candidate of candidates) {
    const key = keyPrefix + candidate.sortName;
    const childDir = join(dir, candidate.name);
    if (!candidate.subtree) {
      if (isBefore(key, bound)) continue;
      const entries = (await readChild(candidate.name, !delimiter)).filter((d) => d.isFile() && d.name.startsWith(ENTRY_MARK));
      if (entries.length > 0) yield { key, dir: childDir, entryNames: entries.map((d) => d.name) };
    } else if (!subtreeBefore(key, bound)) {
      yield* walkHistoryDir(childDir, await readChild(candidate.name, false), key, '', bound, false);
    } else {
      childDirents.delete(candidate.name);
    }
  }
}
