// Runs once per test run, before any suite. Shared fixtures that are expensive to
// start (the S3 test server) are started here and described to suites through
// vitest's provide/inject (see s3-env.ts) and environment variables.
//
// S3: DUCKSAFE_TEST_S3_ENDPOINT (+ _ACCESS_KEY, _SECRET_KEY; _SERVER=ceph-rgw when it is the
// script's server) names a server to use as is.
// Otherwise a throwaway Ceph RGW is started with scripts/s3-test-server.sh when Ceph is
// installed, or when CI is set (the script then installs it). Without either, S3 suites
// skip and say why; under CI, a server that fails to start fails the run.
import { execFile } from 'node:child_process';
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { constants } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import type { S3TestAvailability, S3TestSettings } from './s3-env.js';
import { leakedSecretKinds, registerSecret, RUN_LOG_ENV, RUN_SECRETS_ENV } from './run-log.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SCRIPT = path.join(ROOT, 'scripts/s3-test-server.sh');
const CEPH_BINARIES = ['ceph-mon', 'ceph-osd', 'radosgw'] as const;
const START_TIMEOUT_MS = 3 * 60_000;
// A first start under CI installs ~70 packages with apt.
const INSTALL_START_TIMEOUT_MS = 15 * 60_000;
const REGION = 'us-east-1';

async function onPath(binary: string): Promise<boolean> {
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(path.delimiter)) {
    try {
      await access(path.join(dir, binary), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

/** The export line the script prints: `export A=x B=y`. */
function parseExports(stdout: string): Map<string, string> {
  const vars = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('export ')) continue;
    for (const pair of line.slice('export '.length).trim().split(/\s+/)) {
      const eq = pair.indexOf('=');
      if (eq > 0) vars.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  }
  return vars;
}

function settingsFrom(vars: { get(name: string): string | undefined }): S3TestSettings | string {
  const endpoint = vars.get('DUCKSAFE_TEST_S3_ENDPOINT');
  const accessKeyId = vars.get('DUCKSAFE_TEST_S3_ACCESS_KEY');
  const secretAccessKey = vars.get('DUCKSAFE_TEST_S3_SECRET_KEY');
  if (endpoint === undefined || endpoint === '') return 'DUCKSAFE_TEST_S3_ENDPOINT is not set';
  if (accessKeyId === undefined || secretAccessKey === undefined) {
    return 'DUCKSAFE_TEST_S3_ACCESS_KEY and DUCKSAFE_TEST_S3_SECRET_KEY must be set with DUCKSAFE_TEST_S3_ENDPOINT';
  }
  const cephRgw = vars.get('DUCKSAFE_TEST_S3_SERVER') === 'ceph-rgw';
  return { endpoint, region: REGION, accessKeyId, secretAccessKey, cephRgw };
}

function runScript(command: string, dir: string, timeoutMs: number): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      'bash',
      [SCRIPT, command],
      { env: { ...process.env, DUCKSAFE_S3_DIR: dir }, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 4 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err === null) resolve({ stdout, stderr });
        else reject(new Error(`${SCRIPT} ${command} failed (${err.message.split('\n')[0] ?? ''}):\n${stderr.trim()}`));
      },
    );
  });
}

/**
 * Starts a cluster in a fresh directory. A second try covers a test run started at the
 * same moment on this machine taking the same default ports (the script then fails
 * rather than share the other run's server); the retry finds those ports taken.
 */
async function startServer(timeoutMs: number): Promise<{ stdout: string; stop: () => Promise<void> }> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= 2; attempt++) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ducksafe-s3-'));
    const stop = async (): Promise<void> => {
      try {
        await runScript('stop', dir, 60_000);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    };
    try {
      const { stdout } = await runScript('start', dir, timeoutMs);
      return { stdout, stop };
    } catch (err) {
      lastError = err;
      await stop().catch(() => undefined);
    }
  }
  throw lastError;
}

/**
 * Unit tests under src/ never need S3: when every file filter given on the command line
 * points there, starting Ceph would only cost time. Anything else starts it.
 */
function onlyUnitTestsSelected(): boolean {
  const runIndex = process.argv.findIndex((arg) => arg === 'run' || arg === 'watch' || arg === 'related');
  if (runIndex < 0) return false;
  const filters = process.argv.slice(runIndex + 1).filter((arg) => !arg.startsWith('-'));
  return filters.length > 0 && filters.every((f) => /^(\.\/)?src\//.test(f));
}

async function setupS3(project: TestProject): Promise<() => Promise<void>> {
  const provide = (value: S3TestAvailability): void => project.provide('ducksafeS3', value);
  const unavailable = (reason: string): (() => Promise<void>) => {
    console.log(`[global-setup] S3 suites will skip: ${reason}`);
    provide({ available: false, reason });
    return () => Promise.resolve();
  };
  const ci = (process.env.CI ?? '') !== '' && process.env.CI !== 'false';

  if ((process.env.DUCKSAFE_TEST_S3_ENDPOINT ?? '') !== '') {
    const settings = settingsFrom({ get: (name) => process.env[name] });
    if (typeof settings === 'string') {
      if (ci) throw new Error(settings);
      return unavailable(settings);
    }
    provide({ available: true, settings });
    return () => Promise.resolve();
  }

  if (!ci && onlyUnitTestsSelected()) return unavailable('only unit tests under src/ were selected');

  const installed = (await Promise.all(CEPH_BINARIES.map(onPath))).every(Boolean);
  if (!installed && !ci) {
    return unavailable(
      `Ceph is not installed (${CEPH_BINARIES.join(', ')}); run 'scripts/s3-test-server.sh start' as root once to install it, ` +
        'or set DUCKSAFE_TEST_S3_ENDPOINT',
    );
  }

  const started = Date.now();
  let server: { stdout: string; stop: () => Promise<void> };
  try {
    server = await startServer(installed ? START_TIMEOUT_MS : INSTALL_START_TIMEOUT_MS);
  } catch (err) {
    if (ci) throw err;
    return unavailable(`the S3 test server did not start: ${err instanceof Error ? err.message : String(err)}`);
  }
  const { stop } = server;
  const settings = settingsFrom(parseExports(server.stdout));
  if (typeof settings === 'string') {
    await stop();
    const reason = `the S3 test server printed no usable settings: ${settings}`;
    if (ci) throw new Error(reason);
    return unavailable(reason);
  }
  console.log(`[global-setup] S3 test server (Ceph RGW) at ${settings.endpoint}, started in ${Date.now() - started} ms`);
  provide({ available: true, settings });
  // Suites that read the environment (and child processes they start) see the same server.
  process.env.DUCKSAFE_TEST_S3_ENDPOINT = settings.endpoint;
  process.env.DUCKSAFE_TEST_S3_ACCESS_KEY = settings.accessKeyId;
  process.env.DUCKSAFE_TEST_S3_SECRET_KEY = settings.secretAccessKey;
  process.env.DUCKSAFE_TEST_S3_SERVER = 'ceph-rgw';
  return stop;
}

/**
 * The run's log and secrets files (run-log.ts), then S3. Teardown stops S3, then fails
 * the run, naming each leaked secret's kind, when a registered secret is in the log.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ducksafe-run-log-'));
  const logFile = path.join(dir, 'servers.log');
  const secretsFile = path.join(dir, 'secrets.jsonl');
  await writeFile(logFile, '');
  await writeFile(secretsFile, '');
  process.env[RUN_LOG_ENV] = logFile;
  process.env[RUN_SECRETS_ENV] = secretsFile;
  const stopS3 = await setupS3(project);
  for (const [kind, name] of [
    ['S3 test access key', 'DUCKSAFE_TEST_S3_ACCESS_KEY'],
    ['S3 test secret key', 'DUCKSAFE_TEST_S3_SECRET_KEY'],
  ] as const) {
    const value = process.env[name];
    if (value !== undefined && value !== '') registerSecret(kind, value);
  }
  return async () => {
    try {
      await stopS3();
      const { kinds, checked } = await leakedSecretKinds(logFile, secretsFile);
      if (kinds.length > 0) throw new Error(`secrets found in the servers' logs of this run: ${kinds.join(', ')} (log kept at ${logFile})`);
      console.log(`[global-setup] no server log of this run holds any of the ${checked} secrets the tests registered`);
      await rm(dir, { recursive: true, force: true });
    } catch (err) {
      await rm(secretsFile, { force: true });
      throw err;
    }
  };
}
