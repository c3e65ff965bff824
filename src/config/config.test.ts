import { describe, expect, it } from 'vitest';
import { ConfigError, helpText, loadConfig, OPTIONS } from './config.js';

describe('loadConfig', () => {
  it('uses the embedded defaults', () => {
    const c = loadConfig([], {}, '/srv');
    expect(c).toMatchObject({ host: '127.0.0.1', port: 3307, warehouse: 'file:///srv/data', logLevel: 'info', rootPassword: '' });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('takes flags over the environment over defaults', () => {
    const env = { DUCKSAFE_PORT: '4000', DUCKSAFE_HOST: '0.0.0.0', DUCKSAFE_LOG_LEVEL: 'debug' };
    const c = loadConfig(['--port', '5000', '--warehouse=/tmp/wh'], env, '/srv');
    expect(c.port).toBe(5000);
    expect(c.host).toBe('0.0.0.0');
    expect(c.logLevel).toBe('debug');
    expect(c.warehouse).toBe('file:///tmp/wh');
  });

  it('accepts s3 warehouses and normalises trailing slashes', () => {
    expect(loadConfig(['--warehouse', 's3://bucket/some/prefix/'], {}).warehouse).toBe('s3://bucket/some/prefix');
  });

  it('reads the S3 server-side encryption settings and refuses ones that cannot work', () => {
    expect(loadConfig([], {}).s3.serverSideEncryption).toBeUndefined();
    expect(loadConfig(['--s3-sse', 'AES256'], {}).s3.serverSideEncryption).toEqual({ mode: 'AES256' });
    expect(loadConfig(['--s3-sse', 'aws:kms', '--s3-sse-kms-key-id', 'k1'], {}).s3.serverSideEncryption).toEqual({ mode: 'aws:kms', kmsKeyId: 'k1' });
    expect(() => loadConfig(['--s3-sse', 'rot13'], {})).toThrow(/--s3-sse: 'rot13' is not one of AES256, aws:kms/);
    expect(() => loadConfig(['--s3-sse', 'AES256', '--s3-sse-kms-key-id', 'k1'], {})).toThrow(/--s3-sse-kms-key-id needs --s3-sse aws:kms/);
  });

  it('names the option in every error', () => {
    expect(() => loadConfig(['--port', 'x'], {})).toThrow(/--port/);
    expect(() => loadConfig(['--port', '70000'], {})).toThrow(ConfigError);
    expect(() => loadConfig(['--nope', '1'], {})).toThrow(/unknown option '--nope'/);
    expect(() => loadConfig(['--log-level', 'loud'], {})).toThrow(/--log-level/);
    expect(() => loadConfig(['--warehouse', 'ftp://x'], {})).toThrow(/--warehouse/);
    expect(() => loadConfig(['--port'], {})).toThrow(/needs a value/);
  });

  it('reads the TLS and authentication options, resolving files against the working directory', () => {
    const c = loadConfig(['--tls-cert', 'certs/server.pem', '--tls-key=/etc/k.pem', '--require-secure-transport', '--root-auth-plugin', 'caching_sha2_password', '--cache-dir', '/var/cache/ds'], {}, '/srv');
    expect(c.tls).toEqual({ certFile: '/srv/certs/server.pem', keyFile: '/etc/k.pem', selfSigned: false, selfSignedDir: '/var/cache/ds/tls', requireSecureTransport: true });
    expect(c.rootAuthPlugin).toBe('caching_sha2_password');
    expect(c.rsaPrivateKey).toBe('');
    expect(loadConfig([], {}).rootAuthPlugin).toBe('mysql_native_password');
    expect(loadConfig([], {})).toMatchObject({ loginDelayAfterFailures: 3, loginMaxDelayMs: 10_000 });
    // A boolean flag alone means true, also right before another flag.
    expect(loadConfig(['--tls-self-signed', '--port', '1'], {}).tls.selfSigned).toBe(true);
    expect(loadConfig(['--tls-self-signed=false'], {}).tls.selfSigned).toBe(false);
    expect(loadConfig([], { DUCKSAFE_TLS_SELF_SIGNED: 'yes', DUCKSAFE_REQUIRE_SECURE_TRANSPORT: '1' }).tls).toMatchObject({ selfSigned: true, requireSecureTransport: true });
  });

  it('refuses TLS options that cannot work together', () => {
    expect(() => loadConfig(['--tls-cert', 'a.pem'], {})).toThrow(/--tls-cert and --tls-key go together/);
    expect(() => loadConfig(['--require-secure-transport'], {})).toThrow(/--require-secure-transport needs TLS/);
    expect(() => loadConfig(['--root-auth-plugin', 'sha256_password'], {})).toThrow(/--root-auth-plugin/);
  });

  it('reads retention, vacuum and the test clock offset', () => {
    expect(loadConfig([], {})).toMatchObject({ retentionHours: 168, orphanGraceMinutes: 60, vacuumIntervalSeconds: 3600, clockOffsetSeconds: 0 });
    const c = loadConfig(['--retention-hours', '24', '--vacuum-interval-seconds=0', '--clock-offset-seconds', '-7200'], { DUCKSAFE_ORPHAN_GRACE_MINUTES: '5' });
    expect(c).toMatchObject({ retentionHours: 24, orphanGraceMinutes: 5, vacuumIntervalSeconds: 0, clockOffsetSeconds: -7200 });
    expect(() => loadConfig(['--retention-hours', '0'], {})).toThrow(/--retention-hours/);
    expect(() => loadConfig(['--clock-offset-seconds', '1.5'], {})).toThrow(/--clock-offset-seconds/);
  });

  it('lists every option in --help', () => {
    const text = helpText();
    for (const spec of Object.values(OPTIONS)) expect(text).toContain(spec.flag);
  });
});

describe('the config file', () => {
  async function withFile(text: string, run: (file: string, dir: string) => void): Promise<void> {
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const os = await import('node:os');
    const path = await import('node:path');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ducksafe-config-'));
    try {
      const file = path.join(dir, 'ducksafe.toml');
      await writeFile(file, text);
      run(file, dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  it('sits below flags and the environment, above the defaults', async () => {
    await withFile('port = 4100\nhost = "0.0.0.0"\nlog-level = "warn"\ns3-path-style = false\nwarehouse = "wh"\n', (file, dir) => {
      const c = loadConfig(['--config', file, '--port', '4200'], { DUCKSAFE_HOST: '10.0.0.1' }, dir);
      expect(c.port).toBe(4200);
      expect(c.host).toBe('10.0.0.1');
      expect(c.logLevel).toBe('warn');
      expect(c.s3.forcePathStyle).toBe(false);
      expect(c.warehouse).toBe(`file://${dir}/wh`);
      expect(loadConfig([], { DUCKSAFE_CONFIG: file }, dir).port).toBe(4100);
    });
  });

  it('names the option or the place that is wrong', async () => {
    await withFile('colour = "blue"\n', (file) => {
      expect(() => loadConfig(['--config', file], {})).toThrow(/unknown option 'colour'/);
    });
    await withFile('port = "x"\n', (file) => {
      expect(() => loadConfig(['--config', file], {})).toThrow(/--port: 'x'/);
    });
    await withFile('port = [1]\n', (file) => {
      expect(() => loadConfig(['--config', file], {})).toThrow(/option 'port' must be a string, number or boolean/);
    });
    await withFile('port = \n', (file) => {
      expect(() => loadConfig(['--config', file], {})).toThrow(/not valid TOML at line 1/);
    });
    expect(() => loadConfig(['--config', '/nonexistent/ducksafe.toml'], {})).toThrow(/--config: cannot read \/nonexistent\/ducksafe.toml \(ENOENT\)/);
  });
});
