import { describe, expect, it } from 'vitest';
import type { Logger } from '../logging/logger.js';
import { estimate, Progress } from './progress.js';

function recordingLogger(): { logger: Logger; lines: { obj: Record<string, unknown>; msg: string | undefined }[] } {
  const lines: { obj: Record<string, unknown>; msg: string | undefined }[] = [];
  const info = (obj: Record<string, unknown> | string, msg?: string): void => {
    lines.push(typeof obj === 'string' ? { obj: {}, msg: obj } : { obj, msg });
  };
  const noop = (): void => {};
  const logger: Logger = { trace: noop, debug: noop, info, warn: noop, error: noop, fatal: noop, child: () => logger };
  return { logger, lines };
}

describe('estimate', () => {
  it('gives the rate and the seconds left, none before anything moved, 0 when done', () => {
    expect(estimate(50, 150, 10)).toEqual({ perSecond: 5, etaSeconds: 30 });
    expect(estimate(0, 150, 10)).toEqual({});
    expect(estimate(10, 0, 0)).toEqual({ etaSeconds: 0 });
    expect(estimate(7, 1, 2)).toEqual({ perSecond: 3.5, etaSeconds: 1 });
  });
});

describe('Progress', () => {
  it('logs done/total, the rate and the ETA at most once per interval', () => {
    let t = 1_000_000;
    const { logger, lines } = recordingLogger();
    const p = new Progress({ logger, message: 'VACUUM progress', fields: { table: 'd.t' }, intervalMs: 5000, now: () => t });
    p.phase('removing', { unit: 'files', total: 100 });
    t += 1000;
    p.add(10, 1000);
    expect(lines).toEqual([]);
    t += 4000;
    p.add(10, 1000);
    expect(lines).toEqual([
      { obj: { table: 'd.t', phase: 'removing', files: '20/100', bytes: 2000, percent: 20, filesPerSecond: 4, etaSeconds: 20 }, msg: 'VACUUM progress' },
    ]);
    t += 1000;
    p.add(30);
    expect(lines).toHaveLength(1);
    expect(p.snapshot()).toMatchObject({ phase: 'removing', done: 50, total: 100, bytes: 2000, elapsedSeconds: 6 });
  });

  it('restarts the count and the rate at each phase, and shows an unknown total as ?', () => {
    let t = 0;
    const { logger, lines } = recordingLogger();
    const p = new Progress({ logger, message: 'm', intervalMs: 1000, now: () => t });
    p.phase('checking', { unit: 'objects', fields: { db: 'd' } });
    t += 2000;
    p.add(4);
    expect(lines[0]?.obj).toEqual({ db: 'd', phase: 'checking', objects: '4/?', objectsPerSecond: 2 });
    expect(p.snapshot().etaSeconds).toBeUndefined();
    p.phase('recovering', { unit: 'objects', total: 2 });
    expect(p.snapshot()).toMatchObject({ phase: 'recovering', unit: 'objects', done: 0, total: 2, elapsedSeconds: 0 });
    p.setTotal(3);
    t += 1000;
    p.add(3);
    expect(p.snapshot()).toMatchObject({ done: 3, total: 3, etaSeconds: 0 });
    expect(lines[1]?.obj).toMatchObject({ phase: 'recovering', objects: '3/3', percent: 100 });
    expect(lines[1]?.obj).not.toHaveProperty('db');
  });
});
