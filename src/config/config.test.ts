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

  it('names the option in every error', () => {
    expect(() => loadConfig(['--port', 'x'], {})).toThrow(/--port/);
    expect(() => loadConfig(['--port', '70000'], {})).toThrow(ConfigError);
    expect(() => loadConfig(['--nope', '1'], {})).toThrow(/unknown option '--nope'/);
    expect(() => loadConfig(['--log-level', 'loud'], {})).toThrow(/--log-level/);
    expect(() => loadConfig(['--warehouse', 'ftp://x'], {})).toThrow(/--warehouse/);
    expect(() => loadConfig(['--port'], {})).toThrow(/needs a value/);
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
