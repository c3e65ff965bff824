// What SHOW PROCESSLIST and information_schema.PROCESSLIST say about a connection,
// and about the long jobs running now.
import { describeProgress, type RunningWork } from '../../observability/progress.js';

/** One connection as SHOW PROCESSLIST lists it. */
export interface ProcessInfo {
  readonly id: number;
  readonly user: string;
  readonly host: string;
  readonly db: string | null;
  /** Daemon: a background job (compaction, background vacuum), listed under id 0 as MySQL lists its own threads. */
  readonly command: 'Query' | 'Sleep' | 'Daemon';
  /** Seconds in the current state. */
  readonly time: number;
  readonly state: string;
  readonly info: string | null;
}

/**
 * SHOW PROCESSLIST's rows: each session, its State saying how far the job its statement
 * runs has got, then each background job as a 'system user' row.
 */
export function processList(sessions: readonly ProcessInfo[], work: readonly RunningWork[]): ProcessInfo[] {
  const byConn = new Map(work.filter((w) => w.conn !== undefined).map((w) => [w.conn, w]));
  const rows = sessions.map((p) => {
    const w = byConn.get(p.id);
    return w === undefined ? p : { ...p, state: `${w.what} ${describeProgress(w.progress.snapshot())}` };
  });
  for (const w of work) {
    if (w.conn !== undefined) continue;
    rows.push({
      id: 0,
      user: 'system user',
      host: '',
      db: null,
      command: 'Daemon',
      time: Math.floor((Date.now() - w.startedAt) / 1000),
      state: `${w.what} ${describeProgress(w.progress.snapshot())}`,
      info: null,
    });
  }
  return rows;
}

