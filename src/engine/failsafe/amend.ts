// system$fuse_amend: brings back, from the store's version history, every object a
// table's current state needs. That is the commit log the table lives in (every entry,
// checkpoint and hint of it: the log is how the state is rebuilt, and time travel reads
// all of it) and every data file of the table's newest state. Which files those are is
// read from the log as it will be once recovered, so it works when the log itself was
// removed, and in a dry run, where nothing is changed.
//
// Recovery removes delete markers inside the store (storage/recovery.ts): no data passes
// through this process. Running it twice, or twice at once, is safe: removing a marker
// that is already gone is a no-op, and an object already back counts as present.
import { sqlError } from '../../errors/registry.js';
import type { Progress } from '../../observability/progress.js';
import { keys, parseLogSeq } from '../../storage/keys.js';
import { objectUrl, type ObjectStore, type ObjectVersion } from '../../storage/object-store.js';
import { recoveryOf, undelete, versionsByKey, type Recovery } from '../../storage/recovery.js';
import { nameKey } from '../catalog/catalog.js';
import { applyEntry, emptyDatabaseState, liveTables, type DatabaseState, type LogEntry } from '../catalog/database-state.js';

export interface AmendTarget {
  readonly store: ObjectStore;
  /** The log holding the table: its database's, or an external table's own. */
  readonly logId: string;
  /**
   * The table by id when the catalog knows it, else by name: looked up in the log as it
   * will be once recovered, since the log the server has open may be the thing that is gone.
   */
  readonly table: { readonly id: string } | { readonly name: string };
  /** 'db.t', for messages. */
  readonly label: string;
}

export interface LostObject {
  readonly key: string;
  readonly reason: string;
}

export interface AmendReport {
  /** Objects the table's state needs, each looked up in the store. */
  readonly checked: number;
  /** Keys of those that were removed (recoverable or not). */
  readonly missing: readonly string[];
  /** Brought back by this run (none in a dry run). */
  readonly recovered: number;
  readonly lost: readonly LostObject[];
}

type Recoverable = Extract<Recovery, { kind: 'recoverable' }>;

const decoder = new TextDecoder();

class Walk {
  readonly recoveries = new Map<string, Recovery>();

  constructor(private readonly store: ObjectStore) {}

  note(key: string, versions: readonly ObjectVersion[] | undefined): Recovery {
    const recovery = recoveryOf(versions);
    this.recoveries.set(key, recovery);
    return recovery;
  }

  /** The object as it will read once recovered, or undefined when it will not be there. */
  async read<T>(key: string): Promise<T | undefined> {
    const r = this.recoveries.get(key);
    if (r === undefined || r.kind === 'lost') return undefined;
    const bytes = await this.store.get(key, r.kind === 'recoverable' ? { versionId: r.version.versionId } : {});
    return JSON.parse(decoder.decode(bytes)) as T;
  }

  report(recovered: number): AmendReport {
    const missing: string[] = [];
    const lost: LostObject[] = [];
    for (const [key, r] of this.recoveries) {
      if (r.kind === 'present') continue;
      missing.push(key);
      if (r.kind === 'lost') lost.push({ key, reason: r.reason });
    }
    return { checked: this.recoveries.size, missing, recovered, lost };
  }

  recoverable(): Recoverable[] {
    return [...this.recoveries.values()].filter((r): r is Recoverable => r.kind === 'recoverable');
  }
}

/**
 * The log's newest state once its recoverable objects are back: the newest checkpoint
 * that will be readable, and every entry after it up to the newest ever written. Throws
 * (naming the object) when an entry on that path cannot come back.
 */
async function recoveredState(walk: Walk, logId: string): Promise<DatabaseState> {
  let newest = 0;
  let checkpoint = 0;
  for (const [key, r] of walk.recoveries) {
    const parsed = parseLogSeq(key);
    if (parsed === undefined) continue;
    if (!parsed.checkpoint) newest = Math.max(newest, parsed.seq);
    else if (r.kind !== 'lost') checkpoint = Math.max(checkpoint, parsed.seq);
  }
  let state = checkpoint === 0 ? emptyDatabaseState() : ((await walk.read<DatabaseState>(keys.databaseCheckpoint(logId, checkpoint))) ?? emptyDatabaseState());
  while (state.seq < newest) {
    const key = keys.databaseLogEntry(logId, state.seq + 1);
    const entry = await walk.read<LogEntry>(key);
    if (entry === undefined) throw new LogGap(key, walk.recoveries.get(key));
    state = applyEntry(state, entry);
  }
  return state;
}

class LogGap extends Error {
  constructor(
    readonly key: string,
    recovery: Recovery | undefined,
  ) {
    super(`commit log entry ${key} cannot be recovered (${recovery?.kind === 'lost' ? recovery.reason : 'it was never written'}), so the table's newest state is unknown`);
  }
}

/** Walks the table's objects and, unless `dryRun`, brings back the removed ones; `progress` hears each step. */
export async function amendTable(target: AmendTarget, dryRun: boolean, progress?: Progress): Promise<AmendReport> {
  const { store, logId } = target;
  if (!store.capabilities.versioning) {
    throw sqlError(
      'ER_OPTION_PREVENTS_STATEMENT',
      `system$fuse_amend needs bucket versioning, and ${store.url} does not keep versions: objects removed from it cannot be recovered`,
    );
  }
  const walk = new Walk(store);
  for (const [key, versions] of await versionsByKey(store, keys.databaseLogPrefix(logId))) walk.note(key, versions);

  let state: DatabaseState | undefined;
  try {
    state = await recoveredState(walk, logId);
  } catch (err) {
    if (!(err instanceof LogGap)) throw err;
    // Without the log the table's files are unknown: recover what can be, and say what blocked the rest.
    const recovered = await bringBack(store, walk, dryRun, progress);
    const report = walk.report(recovered);
    return { ...report, lost: [...report.lost.filter((l) => l.key !== err.key), { key: err.key, reason: err.message }] };
  }
  const table = 'id' in target.table ? state.tables[target.table.id] : liveTables(state).get(nameKey(target.table.name));
  if (table === undefined || table.dropped !== undefined) {
    throw sqlError('ER_NO_SUCH_TABLE', `Table '${target.label}' doesn't exist in its commit log at ${objectUrl(store, keys.databaseLogPrefix(logId))}`);
  }
  const prefix = keys.tablePrefix(logId, table.meta.id);
  progress?.phase('checking data files', { unit: 'files', total: table.files.length });
  const tableVersions = await versionsByKey(store, prefix);
  for (const file of table.files) {
    // Files live under the table's prefix; one found elsewhere is looked up on its own.
    const versions = file.key.startsWith(prefix) ? tableVersions.get(file.key) : (await versionsByKey(store, file.key)).get(file.key);
    walk.note(file.key, versions);
    progress?.add();
  }
  return walk.report(await bringBack(store, walk, dryRun, progress));
}

async function bringBack(store: ObjectStore, walk: Walk, dryRun: boolean, progress: Progress | undefined): Promise<number> {
  const recoverable = walk.recoverable();
  if (dryRun || recoverable.length === 0) return 0;
  progress?.phase('recovering', { unit: 'objects', total: recoverable.length });
  await undelete(store, recoverable, (n) => progress?.add(n));
  return recoverable.length;
}
