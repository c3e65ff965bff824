// A running job: its record (kept in memory, persisted in the warehouse on every state
// change and every few seconds of progress), its abort controller, and what makes it
// stop. Every loop of a job checks `signal`, so CANCEL, a timeout and a shutdown are
// all seen promptly.
import { setMaxListeners } from 'node:events';
import { writeJson } from '../engine/catalog/log-store.js';
import type { Logger } from '../logging/logger.js';
import { PROGRESS_LOG_INTERVAL_MS } from '../observability/progress.js';
import type { ObjectStore } from '../storage/object-store.js';
import { keys } from '../storage/keys.js';
import type { EngineCore } from '../engine/exec/context.js';
import { summarize, type JobRecord } from './job-record.js';
import type { Repositories } from './repositories.js';

export const STOP_KINDS = ['cancel', 'timeout', 'shutdown'] as const;
export type StopKind = (typeof STOP_KINDS)[number];

/** Why a job was told to stop: a shutdown leaves it to resume; the others cancel it. */
export class JobStop extends Error {
  override readonly name = 'JobStop';
  constructor(
    readonly kind: StopKind,
    message: string,
  ) {
    super(message);
  }
}

/** The stop that aborted `signal`, if that is why `err` was thrown. */
export function stopOf(err: unknown, signal: AbortSignal): JobStop | undefined {
  if (err instanceof JobStop) return err;
  if (signal.aborted && signal.reason instanceof JobStop) return signal.reason;
  return undefined;
}

const SAVE_INTERVAL_MS = 2_000;
const MAX_TIMER_MS = 2 ** 31 - 1;

export class JobHandle<R extends JobRecord> {
  private readonly controller = new AbortController();
  private lastSave = 0;
  private lastProgressLog = Date.now();
  private saving: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  /** Sub-tasks running now, for UnfinishedTasks. */
  readonly inFlight = new Set<string>();

  constructor(
    private current: R,
    private readonly store: ObjectStore,
    private readonly logger: Logger,
  ) {
    // Every copy in flight listens to the job's signal (several layers each).
    setMaxListeners(256, this.controller.signal);
  }

  get record(): R {
    return this.current;
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Aborts the job's work; the first reason wins. */
  stop(reason: JobStop): void {
    if (!this.controller.signal.aborted) this.controller.abort(reason);
  }

  /** Stops the job with a timeout once `deadline` (ms since the epoch, on `now`'s clock) passes. */
  armTimeout(deadline: number, now: () => number): void {
    const left = deadline - now();
    const fire = (): void => this.stop(new JobStop('timeout', `timed out after ${this.current.timeoutSeconds} s`));
    if (left <= 0) {
      fire();
      return;
    }
    // Timers cap at about 24.8 days; longer timeouts re-arm.
    this.timer = setTimeout(() => (left > MAX_TIMER_MS ? this.armTimeout(deadline, now) : fire()), Math.min(left, MAX_TIMER_MS));
    this.timer.unref();
  }

  disarm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
  }

  update(change: (record: R) => R): void {
    this.current = change(this.current);
  }

  /** Persists the record now (after any save already under way). */
  save(): Promise<void> {
    const snapshot = { ...this.current, unfinished: [...this.inFlight] };
    this.lastSave = Date.now();
    this.saving = this.saving.then(
      () => writeJson(this.store, keys.backupJob(snapshot.id), snapshot, false),
      () => writeJson(this.store, keys.backupJob(snapshot.id), snapshot, false),
    );
    return this.saving;
  }

  /** Leaves the job where it is for the next start (a shutdown): its record persisted as it stands, and a line saying so. */
  async pause(): Promise<void> {
    await this.save().catch((err: unknown) => {
      this.logger.warn({ job: this.current.id, err: err instanceof Error ? err.message : String(err) }, 'could not save job progress');
    });
    this.logger.info(progressLine(this.current), `${this.current.kind} paused by the shutdown: it resumes at the next start`);
  }

  private logProgressSometimes(): void {
    if (Date.now() - this.lastProgressLog < PROGRESS_LOG_INTERVAL_MS) return;
    this.lastProgressLog = Date.now();
    this.logger.info(progressLine(this.current), `${this.current.kind} progress`);
  }

  /** Persists progress at most every couple of seconds; a failure is logged, the job goes on. */
  saveSometimes(): void {
    this.logProgressSometimes();
    if (Date.now() - this.lastSave < SAVE_INTERVAL_MS) return;
    this.save().catch((err: unknown) => {
      this.logger.warn({ job: this.current.id, err: err instanceof Error ? err.message : String(err) }, 'could not save job progress');
    });
  }
}

/** The log line operators follow: done/total files and bytes, the rate and the time left. */
function progressLine(record: JobRecord): Record<string, unknown> {
  const s = summarize(record, new Date());
  return {
    job: s.id,
    label: s.label,
    db: s.db,
    state: s.state,
    files: `${s.doneFiles}/${s.totalFiles}`,
    bytes: `${s.doneBytes}/${s.totalBytes}`,
    percent: s.totalBytes === 0 ? 0 : Math.floor((s.doneBytes * 100) / s.totalBytes),
    ...(s.bytesPerSecond === undefined ? {} : { mibPerSecond: Math.round((s.bytesPerSecond / 1048576) * 100) / 100 }),
    ...(s.etaSeconds === undefined ? {} : { etaSeconds: s.etaSeconds }),
  };
}

/** A job cannot go on; the message becomes its Status. */
export class JobFailure extends Error {
  override readonly name = 'JobFailure';
}

/** What jobs need from the rest of the server. */
export interface JobEnv {
  readonly core: EngineCore;
  readonly repositories: Repositories;
  readonly logger: Logger;
  /** Files copied at once by one job. */
  readonly concurrency: number;
  /** The job's bandwidth limit, when it has one. */
  readonly throttle?: (n: number) => Promise<void>;
}

/** The throttle of a transfer, spread into its request. */
export function throttleOf(env: JobEnv): { readonly throttle?: (n: number) => Promise<void> } {
  return env.throttle === undefined ? {} : { throttle: env.throttle };
}

/** The text a failure leaves in Status: the error's own message, whatever threw it. */
export function failureText(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
