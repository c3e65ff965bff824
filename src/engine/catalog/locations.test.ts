import { describe, expect, it } from 'vitest';
import { checkLocation, maskedConnection } from './locations.js';

const WAREHOUSE = 'file:///srv/wh';

describe('checkLocation', () => {
  it('takes s3:// and file:// URLs, ending them with a slash, and known CONNECTION options', () => {
    expect(checkLocation('s3://bucket/path', [['endpoint_url', 'http://h'], ['access_key_id', 'a'], ['secret_access_key', 's']], WAREHOUSE)).toEqual({
      url: 's3://bucket/path/',
      connection: { endpoint_url: 'http://h', access_key_id: 'a', secret_access_key: 's' },
    });
    expect(checkLocation('file:///var/data/', [], WAREHOUSE)).toEqual({ url: 'file:///var/data/', connection: {} });
    // A sibling whose name starts with the warehouse's is elsewhere.
    expect(checkLocation('file:///srv/wh2/', [], WAREHOUSE).url).toBe('file:///srv/wh2/');
  });

  it('refuses an S3 location over or under an S3 warehouse, and takes its neighbours', () => {
    const wh = 's3://bucket/warehouse';
    expect(() => checkLocation('s3://bucket/warehouse/db', [], wh)).toThrow(/overlaps the warehouse/);
    expect(() => checkLocation('s3://bucket', [], wh)).toThrow(/overlaps the warehouse/);
    expect(checkLocation('s3://bucket/warehouse-2/', [], wh).url).toBe('s3://bucket/warehouse-2/');
    expect(checkLocation('s3://other/warehouse/', [], wh).url).toBe('s3://other/warehouse/');
  });

  it.each([
    ['http://host/x', [], /Invalid location/],
    ['file://relative/x', [], /Invalid location/],
    ['s3://bucket/a/../b', [], /'\.' and '\.\.'/],
    ['s3://bucket/x', [['password', 'p']], /Unknown CONNECTION option 'password'/],
    ['s3://bucket/x', [['region', 'a'], ['region', 'b']], /given twice/],
    ['s3://bucket/x', [['access_key_id', 'a']], /both access_key_id and secret_access_key/],
    ['file:///x', [['region', 'a']], /takes no CONNECTION/],
    ['file:///srv/wh', [], /overlaps the warehouse/],
    ['file:///srv/wh/db/', [], /overlaps the warehouse/],
    ['file:///srv//wh/x', [], /overlaps the warehouse/],
    ['file:///srv/', [], /overlaps the warehouse/],
    ['file:///', [], /overlaps the warehouse/],
  ] as const)('refuses %s with %j', (url, options, message) => {
    expect(() => checkLocation(url, options, WAREHOUSE)).toThrow(expect.objectContaining({ code: 'ER_WRONG_ARGUMENTS', message: expect.stringMatching(message) as string }));
  });
});

describe('maskedConnection', () => {
  it('shows where, never the credentials', () => {
    expect(maskedConnection({ access_key_id: 'AKIA', secret_access_key: 'sk', endpoint_url: "http://o'h", region: 'r' })).toBe(
      "CONNECTION = (access_key_id = '******', secret_access_key = '******', endpoint_url = 'http://o''h', region = 'r')",
    );
    expect(maskedConnection({})).toBe('');
  });
});
