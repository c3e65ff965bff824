// A throwaway MariaDB server for the benchmarks that compare with it. Starting one is
// test/helpers/mariadb-server.ts's job (`npm run bench` builds it into dist/ first);
// this adds what only a benchmark run does: installing Debian's mariadb-server with
// apt-get when it is missing (root only; nothing already installed is upgraded), and
// reporting what it started.
import { execFile } from 'node:child_process';
import { mariadbUnavailable, startMariaDB as startServer } from '../dist/test/helpers/mariadb-server.js';

const PACKAGE = 'mariadb-server';

function run(file, args, { env = process.env, timeout = 10 * 60_000 } = {}) {
  return new Promise((resolve, reject) => {
    execFile(file, args, { env, timeout, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err === null) resolve(stdout);
      else reject(new Error(`${file} ${args.join(' ')} failed: ${err.message}\n${String(stderr).trim().slice(-2000)}`));
    });
  });
}

/** Installs mariadb-server when its programs are missing; true when this call installed it. */
async function ensureInstalled(say) {
  const missing = await mariadbUnavailable();
  if (missing === undefined) return false;
  if (process.getuid?.() !== 0) throw new Error(`${missing}; this is not root, so install it with 'apt-get install ${PACKAGE}'`);
  say(`installing ${PACKAGE} with apt-get (first run only)`);
  // Debian's policy-rc.d (if present) keeps the packaged service from starting; the
  // benchmark never uses that service either way.
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['update'], { env });
  await run('apt-get', ['install', '-y', '--no-install-recommends', '--no-upgrade', PACKAGE], { env });
  const still = await mariadbUnavailable();
  if (still !== undefined) throw new Error(`${PACKAGE} is installed but ${still}`);
  return true;
}

/**
 * @param {{ settings?: string[], say?: (line: string) => void }} [options]
 *   settings: extra mariadbd options (e.g. '--innodb-buffer-pool-size=512M');
 *   say: progress lines (installing, started).
 * @returns {Promise<{ host: string, port: number, user: string, version: string, installed: boolean, settings: string[], stop(): Promise<void> }>}
 *   `installed` is true when this call installed the package.
 */
export async function startMariaDB(options = {}) {
  const say = options.say ?? (() => {});
  const settings = options.settings ?? [];
  const installed = await ensureInstalled(say);
  const server = await startServer({ settings });
  say(`MariaDB ${server.version} on ${server.host}:${server.port}${installed ? ` (${PACKAGE} installed by this run)` : ''}`);
  return { host: server.host, port: server.port, user: server.user, version: server.version, installed, settings, stop: () => server.stop() };
}
