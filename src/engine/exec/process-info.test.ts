import { describe, expect, it } from 'vitest';
import { WorkRegistry } from '../../observability/progress.js';
import { processList, type ProcessInfo } from './process-info.js';
import type { Logger } from '../../logging/logger.js';

const quiet = { info: () => undefined } as unknown as Logger;

const session = (id: number): ProcessInfo => ({ id, user: 'root', host: 'localhost', db: 'd', command: 'Query', time: 3, state: 'executing', info: 'VACUUM TABLE t' });

describe('processList', () => {
  it("puts a statement's progress in its connection's State and lists background jobs as system user rows", () => {
    const work = new WorkRegistry();
    const vacuum = work.start('VACUUM', { logger: quiet, message: 'VACUUM progress' }, 7);
    vacuum.progress.phase('removing', { unit: 'files', total: 400 });
    vacuum.progress.add(120);
    const compaction = work.start('compaction of d.t', { logger: quiet, message: 'compaction progress' });
    compaction.progress.phase('merging', { unit: 'files' });
    compaction.progress.add(3);

    const rows = processList([session(7), session(8)], work.list());
    expect(rows[0]?.state).toMatch(/^VACUUM removing: 120\/400 files \(30%\)/);
    expect(rows[1]?.state).toBe('executing');
    expect(rows[2]).toMatchObject({ id: 0, user: 'system user', command: 'Daemon', state: 'compaction of d.t merging: 3/? files', info: null });

    vacuum.finish();
    compaction.finish();
    compaction.finish();
    expect(processList([session(7)], work.list())).toEqual([session(7)]);
  });
});
