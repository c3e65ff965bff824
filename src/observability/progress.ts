// Progress of a long job (VACUUM, fail-safe recovery, compaction, COPY INTO): done and
// total counts, the rate and the time left, and a log line at most every few seconds so
// an operator tailing the log sees the job move. BACKUP/RESTORE keep their own record
// (it is persisted and shown by SHOW BACKUP) but share the arithmetic: `estimate`.
import type { Logger } from '../logging/logger.js';

/** How often a running job says in the log how far it is. */
export const PROGRESS_LOG_INTERVAL_MS = 5_000;

/** The rate of what moved since a start, and the seconds left at that rate. */
export interface Estimate {
  readonly perSecond?: number;
  readonly etaSeconds?: number;
}

/**
 * `moved` units in `elapsedSeconds`, `remaining` still to go: no rate before anything
 * moved, and an ETA of 0 once nothing remains.
 */
export function estimate(moved: number, remaining: number, elapsedSeconds: number): Estimate {
  const perSecond = elapsedSeconds > 0 && moved > 0 ? moved / elapsedSeconds : undefined;
  if (remaining <= 0) return { ...(perSecond === undefined ? {} : { perSecond }), etaSeconds: 0 };
  if (perSecond === undefined) return {};
  return { perSecond, etaSeconds: Math.ceil(remaining / perSecond) };
}

export interface ProgressSnapshot {
  /** What the job is doing now, e.g. 'planning' or 'removing'. */
  readonly phase: string;
  /** What `done` and `total` count in this phase, e.g. 'files'. */
  readonly unit: string;
  readonly done: number;
  /** Undefined while the total is not known yet. */
  readonly total?: number;
  readonly bytes: number;
  readonly elapsedSeconds: number;
  readonly perSecond?: number;
  readonly etaSeconds?: number;
}

export interface ProgressOptions {
  readonly logger: Logger;
  /** The log message of every progress line, e.g. 'VACUUM progress'. */
  readonly message: string;
  /** What the job works on (table, stage...), in every line. */
  readonly fields?: Readonly<Record<string, unknown>>;
  readonly intervalMs?: number;
  readonly now?: () => number;
}

export interface Phase {
  /** What `done` and `total` count, e.g. 'files'. */
  readonly unit: string;
  /** Undefined while not known; `setTotal` can give it later. */
  readonly total?: number;
  /** What this phase works on (a database...), in its lines besides the job's own fields. */
  readonly fields?: Readonly<Record<string, unknown>>;
}

export class Progress {
  private phaseName = 'starting';
  private current: Phase = { unit: 'items' };
  private doneCount = 0;
  private totalCount: number | undefined;
  private byteCount = 0;
  private phaseStarted: number;
  private lastLog: number;
  private readonly now: () => number;
  private readonly intervalMs: number;

  constructor(private readonly options: ProgressOptions) {
    this.now = options.now ?? Date.now;
    this.intervalMs = options.intervalMs ?? PROGRESS_LOG_INTERVAL_MS;
    this.phaseStarted = this.now();
    this.lastLog = this.phaseStarted;
  }

  /** Starts a phase with its own count; the rate is measured from here. */
  phase(name: string, phase: Phase): void {
    this.phaseName = name;
    this.current = phase;
    this.doneCount = 0;
    this.totalCount = phase.total;
    this.byteCount = 0;
    this.phaseStarted = this.now();
  }

  /** The total became known (or grew) part way through the phase. */
  setTotal(total: number): void {
    this.totalCount = total;
  }

  /** `count` more units done (`bytes` of them); logs a line when the interval has passed. */
  add(count = 1, bytes = 0): void {
    this.doneCount += count;
    this.byteCount += bytes;
    this.logSometimes();
  }

  snapshot(): ProgressSnapshot {
    const elapsedSeconds = (this.now() - this.phaseStarted) / 1000;
    const remaining = this.totalCount === undefined ? Infinity : this.totalCount - this.doneCount;
    const e = estimate(this.doneCount, remaining, elapsedSeconds);
    return {
      phase: this.phaseName,
      unit: this.current.unit,
      done: this.doneCount,
      ...(this.totalCount === undefined ? {} : { total: this.totalCount }),
      bytes: this.byteCount,
      elapsedSeconds,
      ...(e.perSecond === undefined ? {} : { perSecond: e.perSecond }),
      ...(e.etaSeconds === undefined || remaining === Infinity ? {} : { etaSeconds: e.etaSeconds }),
    };
  }

  private logSometimes(): void {
    const now = this.now();
    if (now - this.lastLog < this.intervalMs) return;
    this.lastLog = now;
    const s = this.snapshot();
    const { unit } = s;
    this.options.logger.info(
      {
        ...this.options.fields,
        ...this.current.fields,
        phase: s.phase,
        [unit]: `${s.done}/${s.total ?? '?'}`,
        ...(s.bytes > 0 ? { bytes: s.bytes } : {}),
        ...(s.total === undefined || s.total === 0 ? {} : { percent: Math.floor((s.done * 100) / s.total) }),
        ...(s.perSecond === undefined ? {} : { [`${unit}PerSecond`]: Math.round(s.perSecond * 100) / 100 }),
        ...(s.etaSeconds === undefined ? {} : { etaSeconds: s.etaSeconds }),
      },
      this.options.message,
    );
  }
}

/** A progress in words, for SHOW PROCESSLIST's State: "removing: 120/400 files (30%), ETA 4 s". */
export function describeProgress(s: ProgressSnapshot): string {
  const percent = s.total === undefined || s.total === 0 ? '' : ` (${Math.floor((s.done * 100) / s.total)}%)`;
  const eta = s.etaSeconds === undefined ? '' : `, ETA ${s.etaSeconds} s`;
  return `${s.phase}: ${s.done}/${s.total ?? '?'} ${s.unit}${percent}${eta}`;
}

/** A job whose progress is shown while it runs; `conn` when a connection's statement runs it. */
export interface RunningWork {
  readonly what: string;
  readonly conn?: number;
  readonly startedAt: number;
  readonly progress: Progress;
}

/**
 * Long jobs running now, so that SHOW PROCESSLIST (and information_schema.PROCESSLIST)
 * show how far each is: a statement's in its connection's State, a background job
 * (compaction, background vacuum) as a row of its own.
 */
export class WorkRegistry {
  private readonly running = new Set<RunningWork>();

  /** Creates the job's Progress and lists it until `finish` is called (calling it twice is harmless). */
  start(what: string, options: ProgressOptions, conn?: number): { readonly progress: Progress; finish(): void } {
    const work: RunningWork = { what, startedAt: Date.now(), progress: new Progress(options), ...(conn === undefined ? {} : { conn }) };
    this.running.add(work);
    return { progress: work.progress, finish: () => this.running.delete(work) };
  }

  list(): readonly RunningWork[] {
    return [...this.running];
  }
}
