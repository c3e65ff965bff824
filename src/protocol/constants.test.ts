import { createRequire } from 'node:module';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import {
  CapabilityFlags,
  ColumnFlags,
  ColumnTypes,
  Commands,
  CursorTypes,
  hasCapability,
  ServerStatus,
} from './constants.js';

// mysql2's constant tables, an independent transcription of mysql_com.h.
const require = createRequire(import.meta.url);
const root = path.dirname(require.resolve('mysql2'));
const load = (file: string): Record<string, unknown> =>
  require(path.join(root, 'lib', 'constants', file)) as Record<string, unknown>;

describe('protocol constants', () => {
  it('agree with mysql2 on capability flags', () => {
    const client = load('client.js');
    let compared = 0;
    for (const [name, value] of Object.entries(CapabilityFlags)) {
      const theirs = client[name.replace(/^CLIENT_/, '')] ?? client[name];
      if (theirs !== undefined) {
        expect(value, name).toBe(theirs);
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(27);
    expect(CapabilityFlags.CLIENT_DEPRECATE_EOF).toBe(1 << 24);
    expect(CapabilityFlags.CLIENT_QUERY_ATTRIBUTES).toBe(client.CLIENT_QUERY_ATTRIBUTES);
  });

  it('agree with mysql2 on status flags, commands, types, column flags and cursor types', () => {
    const status = load('server_status.js');
    for (const [name, value] of Object.entries(ServerStatus)) {
      if (status[name] !== undefined) {
        expect(value, name).toBe(status[name]);
      }
    }
    const commands = load('commands.js');
    for (const [name, value] of Object.entries(Commands)) {
      const theirs = commands[name.replace(/^COM_/, '')];
      if (theirs !== undefined) {
        expect(value, name).toBe(theirs);
      }
    }
    const types = load('types.js');
    for (const [name, value] of Object.entries(ColumnTypes)) {
      expect(value, name).toBe(types[name.replace(/^MYSQL_TYPE_/, '')]);
    }
    const fieldFlags = load('field_flags.js');
    for (const [name, value] of Object.entries(ColumnFlags)) {
      const theirs = fieldFlags[name.replace(/_FLAG$/, '')];
      if (theirs !== undefined) {
        expect(value, name).toBe(theirs);
      }
    }
    const cursor = load('cursor.js');
    expect(CursorTypes.CURSOR_TYPE_READ_ONLY).toBe(cursor.READ_ONLY);
    expect(CursorTypes.PARAMETER_COUNT_AVAILABLE).toBe(cursor.PARAMETER_COUNT_AVAILABLE);
  });

  it('tests the top capability bit despite signed 32-bit bit operations', () => {
    const flags = (CapabilityFlags.CLIENT_REMEMBER_OPTIONS | CapabilityFlags.CLIENT_PROTOCOL_41) >>> 0;
    expect(hasCapability(flags, CapabilityFlags.CLIENT_REMEMBER_OPTIONS)).toBe(true);
    expect(hasCapability(flags, CapabilityFlags.CLIENT_PROTOCOL_41)).toBe(true);
    expect(hasCapability(flags, CapabilityFlags.CLIENT_SSL)).toBe(false);
  });
});
