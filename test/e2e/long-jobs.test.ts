// Long jobs across a shutdown, and the counters they move: a throttled BACKUP stopped by
// SIGTERM part way resumes at the next start and its snapshot restores; fuse_amend and
// VACUUM show up in /metrics as they happen. One local warehouse, two server lives.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import mysql, { type RowDataPacket } from 'mysql2/promise';
import { createExternalLocation, type ExternalLocation } from '../helpers/external-locations.js';
import { removeDir, startServer, tempDir, type ServerProcess } from '../helpers/server-process.js';

const dirs: string[] = [];
const locations: ExternalLocation[] = [];
afterAll(async () => {
  for (const d of dirs) await removeDir(d);
  for (const l of locations) await l.remove();
});

const HOUR = 3600;

function adminUrl(server: ServerProcess): string {
  return `http://127.0.0.1:${Number(server.logs.find((l) => l.msg === 'admin HTTP port is listening')?.port)}`;
}

/** The value of an unlabelled series in /metrics. */
async function metric(server: ServerProcess, name: string): Promise<number> {
  const text = await (await fetch(`${adminUrl(server)}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  if (line === undefined) throw new Error(`no ${name} in /metrics`);
  return Number(line.slice(name.length + 1));
}

interface JobView {
  readonly label: string;
  readonly kind: string;
  readonly state: string;
  readonly doneBytes: number;
  readonly totalBytes: number;
}

async function waitForJob(server: ServerProcess, kind: string, label: string, done: (j: JobView) => boolean): Promise<JobView> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { jobs } = (await (await fetch(`${adminUrl(server)}/jobs`)).json()) as { jobs: JobView[] };
    const job = jobs.find((j) => j.kind === kind && j.label === label);
    if (job !== undefined && done(job)) return job;
    if (Date.now() > deadline) throw new Error(`${kind} ${label} did not get there: ${JSON.stringify(job)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('long jobs', () => {
  it('resumes a backup stopped by SIGTERM part way, and counts recoveries and VACUUM removals in /metrics', async () => {
    const warehouse = await tempDir('long-jobs-wh');
    const repo = await tempDir('long-jobs-repo');
    dirs.push(warehouse, repo);
    const ext = await createExternalLocation('local');
    locations.push(ext);
    const common = ['--admin-port', '0', '--retention-hours', '1', '--vacuum-interval-seconds', '0'];
    // About 1.5 MB of incompressible rows at 200 KB/s: a backup of several seconds.
    let server = await startServer({ warehouse, args: [...common, '--backup-max-bytes-per-second', '200000'] });
    let c = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root' });
    await c.query('CREATE DATABASE shop');
    await c.query('CREATE TABLE shop.blobs (id INT PRIMARY KEY, body VARCHAR(2000))');
    for (let batch = 0; batch < 6; batch++) {
      const values = Array.from({ length: 500 }, (_, i) => `(${batch * 500 + i}, '${randomBytes(500).toString('hex')}')`).join(',');
      await c.query(`INSERT INTO shop.blobs VALUES ${values}`);
    }
    await c.query('CREATE DATABASE old');
    await c.query('CREATE TABLE old.gone (id INT)');
    await c.query('INSERT INTO old.gone VALUES (1), (2)');
    await c.query('DROP TABLE old.gone');

    // A file of an external table removed, then brought back by fuse_amend.
    await c.query('CREATE DATABASE fs');
    await c.query(`CREATE TABLE fs.p (id INT) ${ext.sql}`);
    await c.query('INSERT INTO fs.p VALUES (1)');
    await c.query('INSERT INTO fs.p VALUES (2)');
    await c.query(`CREATE STAGE st URL = ${ext.sql}`);
    const [listed] = await c.query<RowDataPacket[]>("LIST @st PATTERN = '[.]parquet$'");
    const victim = String(listed[0]?.name);
    await c.query(`REMOVE @st PATTERN = '${victim.replace(/[.]/g, '[.]')}'`);
    expect(await metric(server, 'ducksafe_failsafe_recovered_objects_total')).toBe(0);
    const [amended] = await c.query<RowDataPacket[]>("CALL system$fuse_amend('fs', 'p')");
    expect(amended[0]).toMatchObject({ objects_recovered: 1, objects_not_recoverable: 0 });
    expect(await metric(server, 'ducksafe_failsafe_recovered_objects_total')).toBe(1);
    expect(await metric(server, 'ducksafe_failsafe_unrecoverable_objects_total')).toBe(0);
    const [[count]] = await c.query<RowDataPacket[][]>({ sql: 'SELECT COUNT(*) FROM fs.p', rowsAsArray: true });
    expect(count).toEqual([2]);

    // SIGTERM while the backup is copying: a clean exit, and a line saying it will resume.
    await c.query(`CREATE REPOSITORY r WITH LOCAL ON LOCATION "file://${path.join(repo, 'r')}"`);
    await c.query('BACKUP SNAPSHOT shop.daily TO r');
    const partWay = await waitForJob(server, 'backup', 'daily', (j) => j.state === 'UPLOADING' && j.doneBytes > 0);
    expect(partWay.doneBytes).toBeLessThan(partWay.totalBytes);
    await c.end();
    expect(await server.stop()).toBe(0);
    const paused = server.logs.find((l) => l.msg === 'backup paused by the shutdown: it resumes at the next start');
    expect(paused).toMatchObject({ label: 'daily', db: 'shop', state: 'UPLOADING' });
    expect(server.logs.some((l) => l.msg === 'ducksafe stopped')).toBe(true);

    // Two hours later: the backup resumes and finishes; the dropped table is past retention.
    server = await startServer({ warehouse, args: [...common, '--clock-offset-seconds', String(2 * HOUR)] });
    c = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root' });
    expect(server.logs.find((l) => l.msg === 'resuming a backup job after a restart')).toMatchObject({ label: 'daily', state: 'UPLOADING' });
    const finished = await waitForJob(server, 'backup', 'daily', (j) => j.state === 'FINISHED' || j.state === 'CANCELLED');
    expect(finished.state).toBe('FINISHED');
    expect(finished.doneBytes).toBe(finished.totalBytes);

    const [snapshots] = await c.query<RowDataPacket[]>('SHOW SNAPSHOT ON r WHERE SNAPSHOT = "daily"');
    const ts = String(snapshots.at(-1)?.Timestamp);
    await c.query(`RESTORE SNAPSHOT shop.daily FROM r ON (blobs AS blobs2) PROPERTIES ("backup_timestamp" = "${ts}")`);
    expect((await waitForJob(server, 'restore', 'daily', (j) => j.state === 'FINISHED' || j.state === 'CANCELLED')).state).toBe('FINISHED');
    const sums = async (table: string): Promise<unknown> => (await c.query({ sql: `SELECT COUNT(*), SUM(id), MAX(body) FROM shop.${table}`, rowsAsArray: true }))[0];
    expect(await sums('blobs2')).toEqual(await sums('blobs'));

    expect(await metric(server, 'ducksafe_vacuum_removed_files_total')).toBe(0);
    const [vacuumed] = await c.query<RowDataPacket[]>('VACUUM DROP TABLE FROM old');
    const removed = vacuumed[0] as { tables_purged: number; files_removed: number; bytes_removed: number };
    expect(removed.tables_purged).toBe(1);
    expect(removed.files_removed).toBeGreaterThan(0);
    expect(await metric(server, 'ducksafe_vacuum_removed_files_total')).toBe(removed.files_removed);
    expect(await metric(server, 'ducksafe_vacuum_removed_bytes_total')).toBe(removed.bytes_removed);
    await c.end();
    expect(await server.stop()).toBe(0);
  });
});
