// What the benchmark suites share: starting and stopping the real server, the S3 test
// server (the one the environment names, or one started for the run), and measuring.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CLI = path.join(ROOT, 'dist', 'src', 'cli.js');
const S3_SCRIPT = path.join(ROOT, 'scripts', 's3-test-server.sh');
const REGION = 'us-east-1';

/** The environment a server needs to reach an S3 warehouse with these settings. */
export function s3Env(settings) {
  return {
    DUCKSAFE_S3_ENDPOINT: settings.endpoint,
    DUCKSAFE_S3_REGION: settings.region,
    DUCKSAFE_S3_ACCESS_KEY: settings.accessKeyId,
    DUCKSAFE_S3_SECRET_KEY: settings.secretAccessKey,
  };
}

/** Starts the built server on a free port; `cacheDir` defaults to the server's own choice. */
export async function startServer(warehouse, cacheDir, env = {}) {
  const cache = cacheDir === undefined ? [] : ['--cache-dir', cacheDir];
  // The ready line is logged at info; run at info and drop the rest of the output.
  // stderr is kept for the error message: the AWS SDK warns there about Node 20 on every start.
  const child = spawn(process.execPath, [CLI, '--port', '0', '--warehouse', warehouse, ...cache, '--log-level', 'info'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  const port = await new Promise((resolve, reject) => {
    let buf = '';
    const onData = (d) => {
      buf += d;
      const m = /"port":(\d+)[^\n]*"msg":"ducksafe is ready"|"msg":"ducksafe is ready"[^\n]*"port":(\d+)/.exec(buf);
      if (m) {
        child.stdout.off('data', onData);
        child.stdout.resume();
        resolve(Number(m[1] ?? m[2]));
      }
    };
    child.stdout.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited ${code} before it was ready: ${buf.slice(-2000)}\n${stderr}`)));
  });
  return { child, port };
}

export async function stopServer(server) {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  const exited = new Promise((r) => server.child.on('exit', r));
  server.child.kill('SIGTERM');
  await exited;
}

function runScript(command, dir) {
  return new Promise((resolve, reject) => {
    execFile('bash', [S3_SCRIPT, command], { env: { ...process.env, DUCKSAFE_S3_DIR: dir }, timeout: 5 * 60_000, killSignal: 'SIGKILL' }, (err, stdout, stderr) => {
      if (err === null) resolve(stdout);
      else reject(new Error(`${S3_SCRIPT} ${command} failed: ${err.message}\n${stderr.trim()}`));
    });
  });
}

/** The S3 server to use: the one the environment names, or one started (and later stopped) here. */
export async function s3Server() {
  const env = process.env;
  if ((env.DUCKSAFE_TEST_S3_ENDPOINT ?? '') !== '') {
    if (env.DUCKSAFE_TEST_S3_ACCESS_KEY === undefined || env.DUCKSAFE_TEST_S3_SECRET_KEY === undefined) {
      throw new Error('DUCKSAFE_TEST_S3_ACCESS_KEY and DUCKSAFE_TEST_S3_SECRET_KEY must be set with DUCKSAFE_TEST_S3_ENDPOINT');
    }
    const settings = { endpoint: env.DUCKSAFE_TEST_S3_ENDPOINT, accessKeyId: env.DUCKSAFE_TEST_S3_ACCESS_KEY, secretAccessKey: env.DUCKSAFE_TEST_S3_SECRET_KEY, region: REGION };
    return { settings, describe: `S3 server at ${settings.endpoint} (DUCKSAFE_TEST_S3_ENDPOINT)`, stop: async () => {} };
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ducksafe-bench-s3-'));
  const stop = async () => {
    try {
      await runScript('stop', dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
  let stdout;
  try {
    stdout = await runScript('start', dir);
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
  const vars = new Map();
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('export ')) continue;
    for (const pair of line.slice('export '.length).trim().split(/\s+/)) {
      const eq = pair.indexOf('=');
      if (eq > 0) vars.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  }
  const settings = {
    endpoint: vars.get('DUCKSAFE_TEST_S3_ENDPOINT'),
    accessKeyId: vars.get('DUCKSAFE_TEST_S3_ACCESS_KEY'),
    secretAccessKey: vars.get('DUCKSAFE_TEST_S3_SECRET_KEY'),
    region: REGION,
  };
  if (settings.endpoint === undefined || settings.accessKeyId === undefined || settings.secretAccessKey === undefined) {
    await stop();
    throw new Error(`${S3_SCRIPT} start printed no usable export line: ${stdout}`);
  }
  return { settings, describe: `Ceph RGW test server started for this run at ${settings.endpoint}`, stop };
}

// --- measuring and formatting -------------------------------------------------------------

export async function timed(fn) {
  const t0 = process.hrtime.bigint();
  const value = await fn();
  return { value, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const ms = (seconds) => {
  const v = seconds * 1000;
  return `${v < 1 ? v.toFixed(3) : v < 10 ? v.toFixed(2) : v.toFixed(1)} ms`;
};
export const secs = (s) => (s < 1 ? `${(s * 1000).toFixed(0)} ms` : `${s.toFixed(2)} s`);
export const count = (n) => Math.round(n).toLocaleString('en');
export const perSecond = (n) => (n < 100 ? n.toFixed(1) : count(n));

/** A small seeded generator (mulberry32), so both servers get the same id sequence. */
export function randomIds(seed, below) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * below);
  };
}
