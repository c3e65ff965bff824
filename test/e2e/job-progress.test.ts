// Watching a long BACKUP: the job's progress in the log every few seconds, on the
// admin port (/jobs and /metrics), and through `ducksafe jobs --follow` with its
// progress bar, against a backup slowed down by a bandwidth limit.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import { CLI, removeDir, startServer, tempDir } from '../helpers/server-process.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await removeDir(d);
});

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('following a backup job', () => {
  it('shows its progress in the log, on /jobs and /metrics, and with ducksafe jobs --follow', async () => {
    const warehouse = await tempDir('jobs-wh');
    const repo = await tempDir('jobs-repo');
    dirs.push(warehouse, repo);
    // About 1.5 MB of incompressible rows at 200 KB/s: a backup of several seconds.
    const server = await startServer({ warehouse, args: ['--admin-port', '0', '--backup-max-bytes-per-second', '200000'] });
    const adminPort = Number(server.logs.find((l) => l.msg === 'admin HTTP port is listening')?.port);
    const admin = `http://127.0.0.1:${adminPort}`;
    const c = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root' });
    await c.query('CREATE DATABASE shop');
    await c.query('CREATE TABLE shop.blobs (id INT PRIMARY KEY, body VARCHAR(2000))');
    for (let batch = 0; batch < 6; batch++) {
      const values = Array.from({ length: 500 }, (_, i) => `(${batch * 500 + i}, '${randomBytes(500).toString('hex')}')`).join(',');
      await c.query(`INSERT INTO shop.blobs VALUES ${values}`);
    }
    await c.query(`CREATE REPOSITORY r WITH LOCAL ON LOCATION "file://${path.join(repo, 'r')}"`);
    await c.query('BACKUP SNAPSHOT shop.daily TO r');

    const followed = await runCli(['jobs', '--admin-url', admin, '--follow', 'daily', '--interval-ms', '200']);
    expect(followed.stderr).toBe('');
    expect(followed.code).toBe(0);
    const lines = followed.stdout.trim().split('\n');
    // Not a TTY: one line per change, each a bar; the last says it finished.
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) expect(line).toMatch(/^backup daily \[[#.]{30}\] \d+% \d+\/\d+ files [\d.]+\/[\d.]+ MiB/);
    expect(lines.at(-1)).toMatch(/\[#{30}\] 100% .* FINISHED$/);
    expect(lines.some((l) => / [1-9]\d?% /.test(l))).toBe(true);

    const listed = await runCli(['jobs', '--admin-url', admin]);
    expect(listed.stdout).toMatch(/^\d+\s+backup\s+shop\.daily\s+FINISHED\s+100%$/m);
    const jobs = (await (await fetch(`${admin}/jobs`)).json()) as { jobs: { label: string; state: string; doneBytes: number; totalBytes: number }[] };
    expect(jobs.jobs[0]).toMatchObject({ label: 'daily', state: 'FINISHED' });
    expect(jobs.jobs[0]?.doneBytes).toBe(jobs.jobs[0]?.totalBytes);
    const metrics = await (await fetch(`${admin}/metrics`)).text();
    expect(metrics).toContain('ducksafe_backup_jobs{kind="backup",state="FINISHED"} 1');

    const progress = server.logs.filter((l) => l.msg === 'backup progress');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress[0]).toMatchObject({ label: 'daily', db: 'shop', state: 'UPLOADING' });
    expect(String(progress[0]?.files)).toMatch(/^\d+\/\d+$/);

    const unknown = await runCli(['jobs', '--admin-url', admin, '--follow', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("no job with the label or id 'nope'");
    await c.end();
    expect(await server.stop()).toBe(0);
  });
});
