// One database's commit log: loads its newest state from a checkpoint plus the
// entries after it, notices commits made by other servers, and appends new
// entries. Writers within this process are serialised per database.
import { StorageError, objectUrl, type ObjectStore } from '../../storage/object-store.js';
import { keys } from '../../storage/keys.js';
import type { Logger } from '../../logging/logger.js';
import { appendEntry, highestSeqByListing, laterOf, readJson, writeJson, CommitConflict } from './log-store.js';
import { applyEntry, emptyDatabaseState, formatOf, LOG_FORMAT, type DatabaseState, type LogAction, type LogEntry } from './database-state.js';
import { Mutex } from '../util/mutex.js';

/** A checkpoint every this many commits keeps opening a database O(CHECKPOINT_INTERVAL). */
export const CHECKPOINT_INTERVAL = 20;

export interface CommitRequest {
  readonly user: string;
  readonly operation: string;
  /**
   * Builds the actions against the newest state; called again after a conflict
   * with another writer, so it must validate against the state it is given.
   */
  readonly actions: (state: DatabaseState) => readonly LogAction[];
}

export class DatabaseLog {
  private state: DatabaseState = emptyDatabaseState();
  private readonly writeLock = new Mutex();
  /** Recently read past states, by seq: time-travel queries tend to revisit the same one. */
  private readonly past = new Map<number, DatabaseState>();
  /** Recently read entries (they never change): reads of nearby past states replay the same ones. */
  private readonly entries = new Map<number, LogEntry>();
  /** Recently read checkpoints: reads of nearby past states start from the same one. */
  private readonly checkpoints = new Map<number, DatabaseState>();
  /** Commit times by seq (entries never change): binary searches by time revisit the same probes. */
  private readonly stamps = new Map<number, number>();

  private constructor(
    private readonly store: ObjectStore,
    readonly dbId: string,
    private readonly logger: Logger,
    private readonly now: () => Date,
    private readonly soleWriter: boolean,
  ) {}

  /** `soleWriter`: as for Catalog.open — after loading, the in-memory state is the newest. */
  static async open(store: ObjectStore, dbId: string, logger: Logger, now: () => Date = () => new Date(), soleWriter = false): Promise<DatabaseLog> {
    const log = new DatabaseLog(store, dbId, logger, now, soleWriter);
    await log.load();
    return log;
  }

  current(): DatabaseState {
    return this.state;
  }

  private async load(): Promise<void> {
    const hint = await readJson<{ seq: number }>(this.store, keys.databaseCheckpointHint(this.dbId));
    let checkpointSeq = hint?.seq ?? 0;
    if (hint === undefined) {
      // No hint (new database, or the hint object was lost): find the newest checkpoint by listing.
      checkpointSeq = await highestSeqByListing(this.store, keys.databaseLogPrefix(this.dbId), true);
    }
    let state = emptyDatabaseState();
    if (checkpointSeq > 0) {
      const cp = await readJson<DatabaseState>(this.store, keys.databaseCheckpoint(this.dbId, checkpointSeq));
      if (cp === undefined) throw this.missing(keys.databaseCheckpoint(this.dbId, checkpointSeq), 'a checkpoint the log names');
      if (cp.format > LOG_FORMAT) throw new Error(`checkpoint ${checkpointSeq} of database ${this.dbId} has a newer format (${cp.format})`);
      state = cp;
    }
    this.state = await this.replayFrom(state);
    await this.refuseIfCutShort();
  }

  /**
   * Replay stops at the first entry it cannot read, which is also where a log whose newest
   * entries were removed stops: opening that would pass an older state off as the newest.
   * On a versioned store a delete marker on the next entry tells the two apart. Only a
   * marker counts: a crash in the middle of a commit on the local store can leave a
   * version of the next entry recorded without ever making it current, and that commit
   * was never acknowledged, so the log must open as it is.
   */
  private async refuseIfCutShort(): Promise<void> {
    if (!this.store.capabilities.versioning) return;
    const key = keys.databaseLogEntry(this.dbId, this.state.seq + 1);
    const page = await this.store.listVersions({ prefix: key, pageSize: 16 });
    if (page.items.some((v) => v.key === key && v.isLatest && v.isDeleteMarker)) throw this.missing(key, 'the commit log entry after the last readable one');
  }

  private missing(key: string, what: string): StorageError {
    return new StorageError(
      'NotFound',
      `${objectUrl(this.store, key)} (${what}) was removed from storage; CALL system$fuse_amend brings it back from the bucket's versions`,
      key,
    );
  }

  private async replayFrom(state: DatabaseState): Promise<DatabaseState> {
    let s = state;
    for (;;) {
      const entry = await readJson<LogEntry>(this.store, keys.databaseLogEntry(this.dbId, s.seq + 1));
      if (entry === undefined) return s;
      s = applyEntry(s, entry);
    }
  }

  /**
   * The database as it was right after commit `seq`: the nearest checkpoint at or
   * before it, plus the entries after that checkpoint.
   */
  async stateAt(seq: number): Promise<DatabaseState> {
    if (!Number.isSafeInteger(seq) || seq < 0 || seq > this.state.seq) throw new RangeError(`no commit ${seq} (the newest is ${this.state.seq})`);
    if (seq === this.state.seq) return this.state;
    const cached = this.past.get(seq);
    if (cached !== undefined) return cached;
    let state = emptyDatabaseState();
    for (let cp = Math.floor(seq / CHECKPOINT_INTERVAL) * CHECKPOINT_INTERVAL; cp > 0; cp -= CHECKPOINT_INTERVAL) {
      const found = this.checkpoints.get(cp) ?? (await readJson<DatabaseState>(this.store, keys.databaseCheckpoint(this.dbId, cp)));
      if (found !== undefined) {
        if (this.checkpoints.size >= 8) this.checkpoints.delete(this.checkpoints.keys().next().value as number);
        this.checkpoints.set(cp, found);
        state = found;
        break;
      }
    }
    // The entries after the checkpoint are fetched together (at most CHECKPOINT_INTERVAL - 1 of them), then applied in order.
    const from = state.seq + 1;
    const entries = await Promise.all(Array.from({ length: seq - state.seq }, (_, i) => this.entry(from + i)));
    for (const entry of entries) state = applyEntry(state, entry);
    if (this.past.size >= 16) this.past.delete(this.past.keys().next().value as number);
    this.past.set(seq, state);
    return state;
  }

  /** The newest commit made at or before `time` (0 when the log began after it), by binary search. */
  async seqAt(time: Date): Promise<number> {
    let lo = 0;
    let hi = this.state.seq;
    if (hi > 0 && Date.parse(this.state.timestamp) <= time.getTime()) return hi;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if ((await this.timestampOf(mid)) <= time.getTime()) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** When commit `seq` was made, in ms since the epoch. */
  async timestampOf(seq: number): Promise<number> {
    const known = this.stamps.get(seq);
    if (known !== undefined) return known;
    const entry = await this.entry(seq);
    const at = Date.parse(entry.timestamp);
    if (this.stamps.size >= 16_384) this.stamps.clear();
    this.stamps.set(seq, at);
    return at;
  }

  /** Commit `seq` as stored. */
  async entry(seq: number): Promise<LogEntry> {
    const cached = this.entries.get(seq);
    if (cached !== undefined) return cached;
    const entry = await readJson<LogEntry>(this.store, keys.databaseLogEntry(this.dbId, seq));
    if (entry === undefined) throw this.missing(keys.databaseLogEntry(this.dbId, seq), `commit ${seq}`);
    if (this.entries.size >= 256) this.entries.delete(this.entries.keys().next().value as number);
    this.entries.set(seq, entry);
    return entry;
  }

  /**
   * Every commit from `from` (default: the first) to the newest, with the state before
   * and after it, oldest first. Starts from the nearest checkpoint, not from the beginning.
   */
  async *history(from = 1): AsyncGenerator<{ readonly entry: LogEntry; readonly before: DatabaseState; readonly after: DatabaseState }> {
    const last = this.state.seq;
    let state = from > 1 ? await this.stateAt(Math.min(from - 1, last)) : emptyDatabaseState();
    while (state.seq < last) {
      const entry = await this.entry(state.seq + 1);
      const after = applyEntry(state, entry);
      yield { entry, before: state, after };
      state = after;
    }
  }

  /** Picks up entries other servers committed since we last looked. */
  async refresh(): Promise<DatabaseState> {
    if (this.soleWriter) return this.state;
    const next = await this.replayFrom(this.state);
    if (next.seq > this.state.seq) this.state = next;
    return this.state;
  }

  async commit(request: CommitRequest): Promise<LogEntry> {
    return this.writeLock.run(async () => {
      for (let attempt = 0; ; attempt++) {
        const base = await this.refresh();
        const actions = request.actions(base);
        const entry: LogEntry = {
          format: formatOf(actions),
          seq: base.seq + 1,
          timestamp: laterOf(this.now(), base.timestamp),
          user: request.user,
          operation: request.operation,
          actions,
        };
        // Validate before publishing: an entry that cannot apply must never be written.
        const next = applyEntry(base, entry);
        try {
          await appendEntry(this.store, keys.databaseLogEntry(this.dbId, entry.seq), entry.seq, entry);
        } catch (err) {
          if (err instanceof CommitConflict && attempt < 8) {
            this.logger.info({ db: this.dbId, seq: entry.seq, attempt }, 'commit conflict, retrying on the newer state');
            continue;
          }
          throw err;
        }
        this.state = next;
        if (next.seq % CHECKPOINT_INTERVAL === 0) await this.checkpoint(next);
        return entry;
      }
    });
  }

  private async checkpoint(state: DatabaseState): Promise<void> {
    try {
      // The checkpoint is derived data: losing it only makes the next open slower.
      await writeJson(this.store, keys.databaseCheckpoint(this.dbId, state.seq), state, false);
      await writeJson(this.store, keys.databaseCheckpointHint(this.dbId), { seq: state.seq }, false);
    } catch (err) {
      this.logger.warn({ db: this.dbId, seq: state.seq, err }, 'could not write checkpoint');
    }
  }
}
