// Encryption at rest: a warehouse written with --encryption-key holds no plaintext,
// reads back after a restart with the same key, and refuses a wrong or missing key
// with a message that says so.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import type { RowDataPacket } from 'mysql2/promise';
import { registerSecret } from '../helpers/run-log.js';
import { createWarehouse, warehouseKinds } from '../helpers/warehouses.js';

const KEY = registerSecret('encryption key', 'a1'.repeat(32));
const OTHER_KEY = Buffer.alloc(32, 3).toString('base64');
const MARKER = 'very-recognisable-row-text';

describe.each(warehouseKinds('encryption e2e'))('an encrypted %s warehouse', (kind) => {
  it('round-trips data across a restart and refuses a wrong or missing key', async () => {
    const wh = await createWarehouse(kind);
    try {
      let s = await wh.start(['--encryption-key', KEY]);
      let c = await mysql.createConnection({ host: '127.0.0.1', port: s.port, user: 'root' });
      await c.query('CREATE DATABASE vault');
      await c.query('CREATE TABLE vault.t (id INT PRIMARY KEY, note VARCHAR(64))');
      await c.query(`INSERT INTO vault.t VALUES (1, '${MARKER}'), (2, 'other')`);
      await c.query("CREATE USER keeper IDENTIFIED BY 'k'");
      await c.end();
      await s.stop();

      if (kind === 'local') {
        const entries = await readdir(wh.location, { recursive: true, withFileTypes: true });
        const files = entries.filter((e) => e.isFile());
        expect(files.length).toBeGreaterThan(3);
        for (const f of files) {
          const bytes = await readFile(join(f.parentPath, f.name));
          expect(bytes.includes(Buffer.from(MARKER)), f.name).toBe(false);
          expect(bytes.includes(Buffer.from('vault')), f.name).toBe(false);
        }
      }

      s = await wh.start(['--encryption-key', KEY]);
      c = await mysql.createConnection({ host: '127.0.0.1', port: s.port, user: 'keeper', password: 'k' });
      await c.end();
      c = await mysql.createConnection({ host: '127.0.0.1', port: s.port, user: 'root' });
      const [rows] = await c.query<RowDataPacket[]>('SELECT id, note FROM vault.t ORDER BY id');
      expect(rows.map((r) => [r.id, r.note])).toEqual([
        [1, MARKER],
        [2, 'other'],
      ]);
      await c.end();
      await s.stop();

      for (const args of [['--encryption-key', OTHER_KEY], []]) {
        const failed = await wh.start(args).then(
          async (srv) => {
            await srv.stop();
            return 'started';
          },
          (err: unknown) => String(err),
        );
        expect(failed, args.join(' ')).toMatch(args.length === 0 ? /is encrypted: start the server with its --encryption-key/ : /different key: wrong --encryption-key/);
      }
    } finally {
      await wh.remove();
    }
  });
});
