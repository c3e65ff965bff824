// When a change computed from one state of a table may not be committed on top
// of a newer one (another server committed in between). Inside one process the
// table lock orders writers, so this fires only for writers in other processes
// or transactions that read an older snapshot; the client retries on 1213.
import { sqlError } from '../../errors/registry.js';
import type { DataFile, TableState } from '../catalog/database-state.js';
import { uniqueKeys } from './keys.js';

export function assertUnchanged(readState: TableState, latest: TableState, removed: readonly DataFile[]): void {
  const present = new Set(latest.files.map((f) => f.key));
  // Rows this change rewrote were rewritten by someone else first.
  const lostFiles = removed.some((f) => !present.has(f.key));
  // Key checks and AUTO_INCREMENT values were computed against rows another writer has since changed.
  const keyed = uniqueKeys(readState.meta).length > 0 || readState.meta.columns.some((c) => c.autoIncrement);
  if (lostFiles || (keyed && latest.changedSeq !== readState.changedSeq)) {
    throw sqlError('ER_LOCK_DEADLOCK', 'Deadlock found when trying to get lock; try restarting transaction');
  }
}
