// A throwaway MariaDB server for differential tests: Debian's mariadbd, initialised in
// a temporary data directory by mariadb-install-db, listening on a free loopback port
// and on a unix socket in that directory, running as root (tests run as root). It is
// started once per test file that asks for it and stopped, directory removed, by stop().
// The benchmarks use it too (bench/mariadb.mjs, through the compiled dist/ copy).
//
// Only the settings a private loopback instance needs differ from MariaDB's defaults
// (--no-defaults, --bind-address, --skip-name-resolve), and the character set: MySQL 8,
// which ducksafe presents itself as, stores text as utf8mb4 by default where MariaDB
// still picks latin1 (LENGTH of 'é' would differ). The collation stays MariaDB's
// default for utf8mb4, case- and accent-insensitive like MySQL's.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { access, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import type { RowDataPacket } from 'mysql2/promise';

const SEARCH_DIRS = ['/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin'] as const;
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 60_000;

export interface MariaDBServer {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly version: string;
  stop(): Promise<void>;
}

function run(file: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: 5 * 60_000, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err === null) resolve(stdout);
      else reject(new Error(`${file} ${args.join(' ')} failed: ${err.message}\n${stderr.trim().slice(-2000)}`));
    });
  });
}

async function findProgram(name: string): Promise<string | undefined> {
  for (const dir of SEARCH_DIRS) {
    const file = path.join(dir, name);
    try {
      await access(file);
      return file;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

type Readiness = { readonly ok: true; readonly connection: mysql.Connection } | { readonly ok: false; readonly log: string; readonly portTaken: boolean };

async function waitReady(child: ChildProcess, socket: string, errorLog: string): Promise<Readiness> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let lastError: unknown;
  let spawnError: Error | undefined;
  child.once('error', (err) => {
    spawnError = err;
  });
  while (Date.now() < deadline) {
    if (spawnError !== undefined) throw new Error(`could not start mariadbd: ${spawnError.message}`);
    if (child.exitCode !== null || child.signalCode !== null) {
      const log = await readFile(errorLog, 'utf8').catch(() => '');
      return { ok: false, log, portTaken: /Bind on TCP\/IP port|Address already in use/i.test(log) };
    }
    try {
      return { ok: true, connection: await mysql.createConnection({ socketPath: socket, user: 'root' }) };
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const log = await readFile(errorLog, 'utf8').catch(() => '');
  const why = lastError instanceof Error ? lastError.message : 'no attempt';
  throw new Error(`MariaDB did not accept connections in ${START_TIMEOUT_MS / 1000} s (${why}):\n${log.slice(-2000)}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  // No pid: it never started, and no 'exit' will come.
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/** Why MariaDB cannot be started here, or undefined when its programs are installed. */
export async function mariadbUnavailable(): Promise<string | undefined> {
  const missing: string[] = [];
  for (const name of ['mariadbd', 'mariadb-install-db']) if ((await findProgram(name)) === undefined) missing.push(name);
  if (missing.length === 0) return undefined;
  return `${missing.join(' and ')} not found: install Debian's mariadb-server (.ci/run does)`;
}

/** `settings`: extra mariadbd options (the benchmarks size the buffer pool, for one). */
export async function startMariaDB(options: { readonly settings?: readonly string[] } = {}): Promise<MariaDBServer> {
  const server = await findProgram('mariadbd');
  const installDb = await findProgram('mariadb-install-db');
  if (server === undefined || installDb === undefined) throw new Error((await mariadbUnavailable()) ?? 'mariadbd not found');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ducksafe-mariadb-'));
  const datadir = path.join(dir, 'data');
  const socket = path.join(dir, 'mariadb.sock');
  const errorLog = path.join(dir, 'error.log');
  let child: ChildProcess | undefined;
  try {
    await mkdir(datadir);
    // Password (empty) authentication for root: the unix_socket plugin would tie the
    // account to the OS user, which a TCP client cannot prove.
    await run(installDb, ['--no-defaults', `--datadir=${datadir}`, '--user=root', '--auth-root-authentication-method=normal', '--skip-test-db']);
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      child = spawn(
        server,
        [
          '--no-defaults',
          `--datadir=${datadir}`,
          `--socket=${socket}`,
          `--pid-file=${path.join(dir, 'mariadbd.pid')}`,
          `--log-error=${errorLog}`,
          `--port=${port}`,
          '--bind-address=127.0.0.1',
          '--skip-name-resolve',
          '--user=root',
          '--character-set-server=utf8mb4',
          '--collation-server=utf8mb4_general_ci',
          ...(options.settings ?? []),
        ],
        { stdio: ['ignore', 'ignore', 'ignore'] },
      );
      const ready = await waitReady(child, socket, errorLog);
      if (ready.ok) {
        const c = ready.connection;
        try {
          // --skip-name-resolve: a TCP client from loopback is 'root'@'127.0.0.1', not 'root'@'localhost'.
          await c.query("CREATE USER IF NOT EXISTS 'root'@'127.0.0.1'");
          await c.query("GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION");
          const [rows] = await c.query<RowDataPacket[]>('SELECT VERSION() AS v');
          const version = String(rows[0]?.v);
          const started = child;
          return {
            host: '127.0.0.1',
            port,
            user: 'root',
            version,
            stop: async () => {
              await stopChild(started);
              await rm(dir, { recursive: true, force: true });
            },
          };
        } finally {
          await c.end();
        }
      }
      if (!ready.portTaken || attempt >= 3) throw new Error(`mariadbd exited before it was ready:\n${ready.log.slice(-2000)}`);
    }
  } catch (err) {
    if (child !== undefined) await stopChild(child);
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
