// The run-wide secrets check (test/helpers/run-log.ts) finds a secret in the servers'
// log, plainly or as JSON escapes it, and names only its kind.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { leakedSecretKinds, registerSecret } from '../helpers/run-log.js';

describe('run log secrets check', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('names the kinds of the secrets in the log, and only those', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ducksafe-run-log-test-'));
    dirs.push(dir);
    const log = path.join(dir, 'log');
    const secrets = path.join(dir, 'secrets');
    const entries = [
      { kind: 'plain', value: 'leaked-123' },
      { kind: 'quoted', value: 'say "hi"\\now' },
      { kind: 'absent', value: 'never-logged-456' },
    ];
    await writeFile(secrets, entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
    await writeFile(log, `${JSON.stringify({ msg: 'x', sql: 'pw leaked-123' })}\n${JSON.stringify({ detail: 'say "hi"\\now' })}\n`);
    expect(await leakedSecretKinds(log, secrets)).toEqual({ kinds: ['plain', 'quoted'], checked: 3 });
  });

  it('refuses a secret too short to tell from chance', () => {
    expect(() => registerSecret('tiny', 'ab')).toThrow(/shorter than/);
  });
});
