// The container files, checked without a Docker engine: the compose file names the
// services, ports, volumes and environment the README promises, and the Dockerfile's
// instructions run as a script (each stage in its own directory standing in for
// /app) and produce a server that starts.
import { execFile, spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { OPTIONS } from '../../src/config/config.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const run = promisify(execFile);

interface Service {
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
}

describe('docker-compose.yml', () => {
  it('runs MinIO with a versioned bucket and ducksafe on it, as the README says', async () => {
    const compose = parseYaml(await readFile(path.join(ROOT, 'docker-compose.yml'), 'utf8')) as { services: Record<string, Service>; volumes: Record<string, unknown> };
    const { minio, ducksafe } = compose.services;
    const bucketJob = compose.services['create-bucket'];
    if (minio === undefined || ducksafe === undefined || bucketJob === undefined) throw new Error('services minio, create-bucket and ducksafe must exist');

    expect(ducksafe.build).toBe('.');
    const env = ducksafe.environment ?? {};
    const knownEnv = new Set(Object.values(OPTIONS).map((o) => o.env));
    for (const name of Object.keys(env)) expect(knownEnv, `${name} is not an option ducksafe reads`).toContain(name);

    // The warehouse is in the bucket the one-shot job creates and versions, on MinIO, with MinIO's credentials.
    const bucket = /^s3:\/\/([^/]+)\//.exec(env.DUCKSAFE_WAREHOUSE ?? '')?.[1];
    expect(bucket).toBeDefined();
    const script = (bucketJob.command ?? []).join(' ');
    expect(script).toContain(`mc mb --ignore-existing local/${bucket}`);
    expect(script).toContain(`mc version enable local/${bucket}`);
    expect(env.DUCKSAFE_S3_ENDPOINT).toBe('http://minio:9000');
    expect(env.DUCKSAFE_S3_ACCESS_KEY).toBe(minio.environment?.MINIO_ROOT_USER);
    expect(env.DUCKSAFE_S3_SECRET_KEY).toBe(minio.environment?.MINIO_ROOT_PASSWORD);
    expect(ducksafe.depends_on?.['create-bucket']?.condition).toBe('service_completed_successfully');
    expect(bucketJob.depends_on?.minio?.condition).toBe('service_healthy');

    // The MySQL and admin ports it listens on are the ones published, on the host's loopback.
    expect(ducksafe.ports).toEqual([`127.0.0.1:${env.DUCKSAFE_PORT}:${env.DUCKSAFE_PORT}`, `127.0.0.1:${env.DUCKSAFE_ADMIN_PORT}:${env.DUCKSAFE_ADMIN_PORT}`]);
    expect(env.DUCKSAFE_HOST).toBe('0.0.0.0');
    for (const v of minio.volumes ?? []) expect(Object.keys(compose.volumes)).toContain(v.split(':')[0]);

    const readme = await readFile(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('docker compose up');
    expect(readme).toContain(`-P ${env.DUCKSAFE_PORT}`);
    expect(readme).toContain(`${env.DUCKSAFE_ADMIN_PORT}/metrics`);
  });
});

interface Instruction {
  readonly op: string;
  readonly args: string;
}

function instructions(text: string): Instruction[] {
  const joined = text.replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const sp = l.indexOf(' ');
      return { op: l.slice(0, sp).toUpperCase(), args: l.slice(sp + 1).trim() };
    });
}

const scratch: string[] = [];
afterAll(async () => {
  for (const d of scratch) await rm(d, { recursive: true, force: true });
});

describe('Dockerfile', () => {
  it('builds and starts when its instructions run as a script', { timeout: 15 * 60_000 }, async () => {
    const base = await mkdtemp(path.join(os.tmpdir(), 'ducksafe-docker-'));
    scratch.push(base);
    const stages = new Map<string, string>();
    let dir = '';
    let env: Record<string, string> = {};
    let entrypoint: string[] = [];
    for (const { op, args } of instructions(await readFile(path.join(ROOT, 'Dockerfile'), 'utf8'))) {
      switch (op) {
        case 'FROM': {
          expect(args).toMatch(/^node:20-/);
          const name = / AS (\S+)$/i.exec(args)?.[1] ?? `stage${stages.size}`;
          dir = path.join(base, name);
          await mkdir(dir, { recursive: true });
          stages.set(name, dir);
          env = {};
          break;
        }
        case 'WORKDIR':
          expect(args).toBe('/app');
          break;
        case 'ENV':
          for (const pair of args.split(/\s+/)) {
            const [k, v] = pair.split('=');
            if (k !== undefined && v !== undefined) env[k] = v;
          }
          break;
        case 'COPY': {
          const parts = args.split(/\s+/);
          const from = parts[0]?.startsWith('--from=') === true ? stages.get(parts.shift()?.slice('--from='.length) ?? '') : ROOT;
          if (from === undefined) throw new Error(`COPY from an unknown stage: ${args}`);
          const dest = parts.pop() ?? '';
          for (const src of parts) {
            const source = path.join(from, src.replace(/^\/app\//, ''));
            const target = dest.endsWith('/') ? path.join(dir, dest, path.basename(src)) : path.join(dir, dest);
            await cp(source, target, { recursive: true, verbatimSymlinks: true });
          }
          break;
        }
        case 'RUN':
          await run('bash', ['-euo', 'pipefail', '-c', args], { cwd: dir, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
          break;
        case 'ENTRYPOINT':
          entrypoint = JSON.parse(args) as string[];
          break;
        case 'USER':
        case 'EXPOSE':
          break;
        default:
          throw new Error(`the script runner does not know ${op}`);
      }
    }
    expect(entrypoint[0]).toBe('node');
    const help = await run(process.execPath, [...entrypoint.slice(1), '--help'], { cwd: dir, env: { ...process.env, ...env } });
    expect(help.stdout).toContain('--warehouse');

    // The runtime stage holds no dev dependencies and still starts a server.
    await expect(readFile(path.join(dir, 'node_modules', 'vitest', 'package.json'))).rejects.toMatchObject({ code: 'ENOENT' });
    const warehouse = path.join(base, 'warehouse');
    const child = spawn(process.execPath, [...entrypoint.slice(1), '--port', '0', '--host', '127.0.0.1', '--warehouse', warehouse], { cwd: dir, env: { ...process.env, ...env } });
    const ready = await new Promise<boolean>((resolve) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('"ducksafe is ready"')) resolve(true);
      });
      child.on('exit', () => resolve(false));
    });
    child.kill('SIGTERM');
    expect(ready).toBe(true);
  });
});
