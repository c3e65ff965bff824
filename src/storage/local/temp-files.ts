// Temporary files are named after the process that writes them, so a later process
// can tell a crashed writer's leftovers (owner gone) from a live writer's work.
import { randomBytes } from 'node:crypto';
import { readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode } from './fs-errors.js';

const TEMP_NAME_PATTERN = /^(\d+)-[0-9a-f]+\.tmp$/;

export function tempFileName(): string {
  return `${process.pid}-${randomBytes(8).toString('hex')}.tmp`;
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return errnoCode(err) === 'EPERM';
  }
}

/** Removes temporary files in `dir` whose writing process no longer exists; returns how many. */
export async function removeStaleTempFiles(dir: string): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return 0;
    throw err;
  }
  let removed = 0;
  for (const name of names) {
    const match = TEMP_NAME_PATTERN.exec(name);
    if (match === null) continue;
    const pid = Number(match[1]);
    if (pid === process.pid || isProcessAlive(pid)) continue;
    try {
      await unlink(join(dir, name));
      removed++;
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT') throw err;
    }
  }
  return removed;
}
