// A throwaway MariaDB server for the benchmarks that compare with it: Debian's
// mariadb-server, initialised in a temporary data directory and listening on a free
// loopback port, stopped (and its directory removed) by stop(). Installs the package
// with apt-get when it is missing (root only; nothing already installed is upgraded).
//
// It runs with MariaDB's defaults (durable InnoDB commits included) except for the
// settings passed in `options.settings` and the few below that make it a private,
// loopback-only instance: --no-defaults, --bind-address=127.0.0.1, --skip-name-resolve
// (with a root@127.0.0.1 account) and --user=root.
import { execFile, spawn } from 'node:child_process';
import { access, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';

const PACKAGE = 'mariadb-server';
const PROGRAMS = { server: 'mariadbd', installDb: 'mariadb-install-db' };
const SEARCH_DIRS = ['/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin'];
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 60_000;

function run(file, args, { env = process.env, timeout = 10 * 60_000 } = {}) {
  return new Promise((resolve, reject) => {
    execFile(file, args, { env, timeout, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err === null) resolve(stdout);
      else reject(new Error(`${file} ${args.join(' ')} failed: ${err.message}\n${String(stderr).trim().slice(-2000)}`));
    });
  });
}

async function findProgram(name) {
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

/** Paths of mariadbd and mariadb-install-db, installing mariadb-server when one is missing. */
async function programs(say) {
  let server = await findProgram(PROGRAMS.server);
  let installDb = await findProgram(PROGRAMS.installDb);
  let installed = false;
  if (server === undefined || installDb === undefined) {
    if (process.getuid?.() !== 0) throw new Error(`${PACKAGE} is not installed and this is not root: install it with 'apt-get install ${PACKAGE}'`);
    say(`installing ${PACKAGE} with apt-get (first run only)`);
    // Debian's policy-rc.d (if present) keeps the packaged service from starting; the
    // benchmark never uses that service either way.
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    await run('apt-get', ['update'], { env });
    await run('apt-get', ['install', '-y', '--no-install-recommends', '--no-upgrade', PACKAGE], { env });
    installed = true;
    server = await findProgram(PROGRAMS.server);
    installDb = await findProgram(PROGRAMS.installDb);
    if (server === undefined || installDb === undefined) throw new Error(`${PACKAGE} is installed but ${PROGRAMS.server} or ${PROGRAMS.installDb} is not found`);
  }
  return { server, installDb, installed };
}

/** A port that was free a moment ago; the caller retries when another process takes it first. */
function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitReady(child, socket, errorLog) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let lastError;
  let spawnError;
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
      const c = await mysql.createConnection({ socketPath: socket, user: 'root' });
      return { ok: true, connection: c };
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const log = await readFile(errorLog, 'utf8').catch(() => '');
  throw new Error(`MariaDB did not accept connections in ${START_TIMEOUT_MS / 1000} s (${lastError?.message ?? 'no attempt'}):\n${log.slice(-2000)}`);
}

async function stopChild(child) {
  // No pid: it never started, and no 'exit' will come.
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts a private MariaDB server.
 * @param {{ settings?: string[], say?: (line: string) => void }} [options]
 *   settings: extra mariadbd options (e.g. '--innodb-buffer-pool-size=512M');
 *   say: progress lines (installing, started).
 * @returns {Promise<{ host: string, port: number, user: string, version: string, installed: boolean, settings: string[], stop(): Promise<void> }>}
 *   `installed` is true when this call installed the package.
 */
export async function startMariaDB(options = {}) {
  const say = options.say ?? (() => {});
  const settings = options.settings ?? [];
  const { server, installDb, installed } = await programs(say);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ducksafe-bench-mariadb-'));
  const datadir = path.join(dir, 'data');
  const socket = path.join(dir, 'mariadb.sock');
  const errorLog = path.join(dir, 'error.log');
  let child;
  try {
    await mkdir(datadir);
    // normal (password) authentication for root: the socket plugin would tie the
    // account to the OS user, which TCP clients cannot prove.
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
          ...settings,
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
          const [[row]] = await c.query('SELECT VERSION() AS v');
          const version = String(row.v);
          say(`MariaDB ${version} on 127.0.0.1:${port}${installed ? ` (${PACKAGE} installed by this run)` : ''}`);
          const started = child;
          return {
            host: '127.0.0.1',
            port,
            user: 'root',
            version,
            installed,
            settings,
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
