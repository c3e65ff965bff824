import { describe, expect, it } from 'vitest';
import { BACKUP_STATES, canMove, etaSeconds, holdOf, holdsOverlap, RESTORE_STATES, showObjects, showProgress, showStatus, showTime, showUnfinished } from './job-record.js';

describe('job states', () => {
  it('move forward or to CANCELLED, never out of a final state', () => {
    expect(canMove(BACKUP_STATES, 'PENDING', 'SNAPSHOTING')).toBe(true);
    expect(canMove(BACKUP_STATES, 'UPLOADING', 'SNAPSHOTING')).toBe(false);
    expect(canMove(BACKUP_STATES, 'UPLOADING', 'CANCELLED')).toBe(true);
    expect(canMove(BACKUP_STATES, 'FINISHED', 'CANCELLED')).toBe(false);
    expect(canMove(RESTORE_STATES, 'CANCELLED', 'COMMIT')).toBe(false);
    expect(canMove(RESTORE_STATES, 'DOWNLOADING', 'COMMITTING')).toBe(true);
  });
});

describe('holds', () => {
  it('overlap on a shared table or a whole database', () => {
    expect(holdsOverlap([holdOf('Shop', 'T')], [holdOf('shop', 't')])).toBe(true);
    expect(holdsOverlap([holdOf('shop', 'a')], [holdOf('shop', 'b')])).toBe(false);
    expect(holdsOverlap([holdOf('shop')], [holdOf('shop', 'b')])).toBe(true);
    expect(holdsOverlap([holdOf('shop')], [holdOf('other')])).toBe(false);
  });
});

describe('display', () => {
  const now = new Date('2026-11-21T10:00:10Z');
  const progress = { totalFiles: 10, totalBytes: 1000, doneFiles: 4, doneBytes: 400, copiedFiles: 3, copiedBytes: 300, transferStartedAt: '2026-11-21T10:00:00Z', transferStartBytes: 100 };

  it('estimates the time left from the rate since the transfer began', () => {
    // 300 bytes in 10 s: 600 left take 20 s.
    expect(etaSeconds(progress, now)).toBe(20);
    expect(etaSeconds({ ...progress, transferStartedAt: '2026-11-21T10:00:10Z' }, now)).toBeUndefined();
    expect(showProgress(progress, 'UPLOADING', now)).toBe('4/10 files, 400/1000 bytes (40%); copied 3 files, 300 bytes; ETA 20 s');
    expect(showProgress({ ...progress, doneFiles: 10, doneBytes: 1000 }, 'FINISHED', now)).toBe('10/10 files, 1000/1000 bytes (100%); copied 3 files, 300 bytes; ETA 0 s');
  });

  it("shows times, status, objects and tasks as Doris does", () => {
    expect(showTime(undefined)).toBe('N/A');
    expect(showTime('2026-11-21T10:00:10.123Z')).toBe('2026-11-21 10:00:10');
    expect(showStatus({ cancelReason: 'timed out after 5 s' } as never)).toBe('[CANCELLED, msg: timed out after 5 s]');
    expect(showStatus({} as never)).toBe('[OK]');
    expect(showObjects([{ name: 't', partitions: ['p1', 'p2'] }, { name: 'u', as: 'v' }])).toBe('[t PARTITIONS [p1, p2], u AS v]');
    expect(showUnfinished(Array.from({ length: 10 }, (_v, i) => `t:${i}`))).toBe('[t:0, t:1, t:2, t:3, t:4, t:5, t:6, t:7, ... 2 more]');
    expect(showUnfinished([])).toBe('');
  });
});
