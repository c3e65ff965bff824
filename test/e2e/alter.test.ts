// ALTER TABLE, RENAME TABLE, OPTIMIZE TABLE and SHOW CREATE TABLE through mysql2 on
// the real server. Schema changes never rewrite data files, so every test writes
// rows in several statements (several files) before and after its ALTERs and reads
// them all back; the last test restarts the server on the same warehouse and
// checks that every table reads the same.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import type { Connection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { ServerProcess } from '../helpers/server-process.js';
import { createWarehouse, warehouseKinds, type Warehouse } from '../helpers/warehouses.js';

interface SqlFailure {
  readonly errno?: number;
  readonly sqlState?: string;
  readonly message?: string;
}

async function failure(p: Promise<unknown>): Promise<SqlFailure> {
  return p.then(
    () => {
      throw new Error('the statement should have failed');
    },
    (e: unknown) => e as SqlFailure,
  );
}

/** Parquet files under a local warehouse (the key layout: db/<db-id>/<table-id>/<partition>/<file>.parquet). */
async function localParquetFiles(root: string): Promise<string[]> {
  const entries = await readdir(path.join(root, 'db'), { recursive: true });
  return entries.filter((e) => e.endsWith('.parquet')).sort();
}

const TABLE_OPTIONS = 'DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci';

describe.each(warehouseKinds('alter e2e'))('ALTER, RENAME, OPTIMIZE and SHOW CREATE on a %s warehouse', (kind) => {
  let warehouse: Warehouse;
  let server: ServerProcess;
  let c: Connection;

  const connect = async (): Promise<Connection> =>
    mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root', database: 'd', dateStrings: true });

  const rows = async (sql: string): Promise<unknown[][]> => {
    const [r] = await c.query<RowDataPacket[]>({ sql, rowsAsArray: true });
    return r as unknown as unknown[][];
  };
  const run = async (...statements: string[]): Promise<void> => {
    for (const sql of statements) await c.query(sql);
  };
  const showCreate = async (table: string): Promise<string> => {
    const [r] = await c.query<RowDataPacket[]>(`SHOW CREATE TABLE ${table}`);
    expect(r).toHaveLength(1);
    return String(r[0]?.['Create Table']);
  };
  /** DESCRIBE as [Field, Type, Null, Key, Default, Extra] rows. */
  const describeRows = (table: string): Promise<unknown[][]> => rows(`DESCRIBE ${table}`);

  beforeAll(async () => {
    warehouse = await createWarehouse(kind);
    server = await warehouse.start();
    const first = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root' });
    await first.query('CREATE DATABASE d');
    await first.end();
    c = await connect();
  });
  afterAll(async () => {
    await c?.end();
    await server?.stop();
    await warehouse?.remove();
  });

  it('adds columns with defaults, positions and implicit defaults; old rows read as the default the column had when added', async () => {
    await run(
      'CREATE TABLE ac (id INT PRIMARY KEY, name VARCHAR(20))',
      "INSERT INTO ac VALUES (1, 'one'), (2, 'two')",
      "INSERT INTO ac VALUES (3, 'three')",
    );
    const [added] = await c.query<ResultSetHeader>('ALTER TABLE ac ADD COLUMN qty INT NOT NULL DEFAULT 7');
    expect(added.affectedRows).toBe(0);
    await run(
      "INSERT INTO ac (id, name) VALUES (4, 'four')",
      "INSERT INTO ac VALUES (5, 'five', 50)",
      // A later default applies to later rows only; rows that already exist keep theirs.
      'ALTER TABLE ac ALTER COLUMN qty SET DEFAULT 8',
      "INSERT INTO ac (id, name) VALUES (6, 'six')",
      // NOT NULL without a default: existing rows read as the type's implicit default.
      'ALTER TABLE ac ADD code VARCHAR(5) NOT NULL AFTER id',
      'ALTER TABLE ac ADD COLUMN flag INT NOT NULL FIRST',
      'ALTER TABLE ac ADD COLUMN note VARCHAR(10)',
      "ALTER TABLE ac ADD COLUMN tag VARCHAR(10) DEFAULT 'new', ADD COLUMN price DECIMAL(6,2) NOT NULL",
      "INSERT INTO ac (id, code, name, flag, price) VALUES (7, 'x', 'seven', 1, 2.5)",
    );
    expect(await rows('SELECT * FROM ac ORDER BY id')).toEqual([
      [0, 1, '', 'one', 7, null, 'new', '0.00'],
      [0, 2, '', 'two', 7, null, 'new', '0.00'],
      [0, 3, '', 'three', 7, null, 'new', '0.00'],
      [0, 4, '', 'four', 7, null, 'new', '0.00'],
      [0, 5, '', 'five', 50, null, 'new', '0.00'],
      [0, 6, '', 'six', 8, null, 'new', '0.00'],
      [1, 7, 'x', 'seven', 8, null, 'new', '2.50'],
    ]);
    expect(await describeRows('ac')).toEqual([
      ['flag', 'int', 'NO', '', null, ''],
      ['id', 'int', 'NO', 'PRI', null, ''],
      ['code', 'varchar(5)', 'NO', '', null, ''],
      ['name', 'varchar(20)', 'YES', '', null, ''],
      ['qty', 'int', 'NO', '', '8', ''],
      ['note', 'varchar(10)', 'YES', '', null, ''],
      ['tag', 'varchar(10)', 'YES', '', 'new', ''],
      ['price', 'decimal(6,2)', 'NO', '', null, ''],
    ]);
    expect(await showCreate('ac')).toBe(
      [
        'CREATE TABLE `ac` (',
        '  `flag` int NOT NULL,',
        '  `id` int NOT NULL,',
        '  `code` varchar(5) NOT NULL,',
        '  `name` varchar(20) DEFAULT NULL,',
        "  `qty` int NOT NULL DEFAULT '8',",
        '  `note` varchar(10) DEFAULT NULL,',
        "  `tag` varchar(10) DEFAULT 'new',",
        '  `price` decimal(6,2) NOT NULL,',
        '  PRIMARY KEY (`id`)',
        `) ENGINE=DUCKSAFE ${TABLE_OPTIONS}`,
      ].join('\n'),
    );
    // Filters on added columns see the fill values of the older files.
    expect(await rows('SELECT id FROM ac WHERE qty = 7 ORDER BY id')).toEqual([[1], [2], [3], [4]]);
    expect(await rows("SELECT count(*) FROM ac WHERE tag = 'new' AND note IS NULL AND code = ''")).toEqual([[6]]);
    expect(await rows('SELECT id FROM ac WHERE price = 0 AND flag = 0 ORDER BY id')).toEqual([[1], [2], [3], [4], [5], [6]]);

    const [upd] = await c.query<ResultSetHeader>("UPDATE ac SET note = 'upd', qty = qty + 1 WHERE id IN (2, 5)");
    expect(upd.affectedRows).toBe(2);
    const [del] = await c.query<ResultSetHeader>('DELETE FROM ac WHERE qty = 7 AND id < 2');
    expect(del.affectedRows).toBe(1);
    expect(await rows('SELECT id, qty, note, tag FROM ac ORDER BY id')).toEqual([
      [2, 8, 'upd', 'new'],
      [3, 7, null, 'new'],
      [4, 7, null, 'new'],
      [5, 51, 'upd', 'new'],
      [6, 8, null, 'new'],
      [7, 8, null, 'new'],
    ]);
  });

  it('gives existing rows one CURRENT_TIMESTAMP, taken when the column is added', async () => {
    await run('CREATE TABLE ts (id INT)', 'INSERT INTO ts VALUES (1), (2)', 'INSERT INTO ts VALUES (3)');
    const [[before]] = (await rows('SELECT NOW()')) as [[string]];
    await run('ALTER TABLE ts ADD COLUMN at DATETIME DEFAULT CURRENT_TIMESTAMP');
    const [[after]] = (await rows('SELECT NOW()')) as [[string]];
    const first = (await rows('SELECT id, at FROM ts ORDER BY id')) as [number, string][];
    expect(first.map((r) => r[0])).toEqual([1, 2, 3]);
    const stamps = new Set(first.map((r) => r[1]));
    expect(stamps.size).toBe(1);
    const stamp = [...stamps][0] ?? '';
    expect(stamp >= before && stamp <= after, `${stamp} within [${before}, ${after}]`).toBe(true);
    // The value is stored as of the ALTER, not evaluated at read time.
    await new Promise((r) => setTimeout(r, 1100));
    expect(await rows('SELECT id, at FROM ts ORDER BY id')).toEqual(first);
  });

  it('drops a column, and a column added again under the same name reads NULL or its default, not the old data', async () => {
    await run(
      'CREATE TABLE dc (id INT PRIMARY KEY, secret VARCHAR(10), n INT)',
      "INSERT INTO dc VALUES (1, 's1', 10), (2, 's2', 20)",
      "INSERT INTO dc VALUES (3, 's3', 30)",
      'ALTER TABLE dc DROP COLUMN SECRET',
    );
    expect(await rows('SELECT * FROM dc ORDER BY id')).toEqual([
      [1, 10],
      [2, 20],
      [3, 30],
    ]);
    expect(await failure(c.query('SELECT secret FROM dc'))).toMatchObject({ errno: 1054, sqlState: '42S22' });
    await run('INSERT INTO dc VALUES (4, 40)', 'ALTER TABLE dc ADD COLUMN secret VARCHAR(10)');
    expect(await rows('SELECT id, secret, n FROM dc ORDER BY id')).toEqual([
      [1, null, 10],
      [2, null, 20],
      [3, null, 30],
      [4, null, 40],
    ]);
    expect(await rows("SELECT count(*) FROM dc WHERE secret = 's1' OR secret = 's3'")).toEqual([[0]]);
    expect(await rows('SELECT count(*) FROM dc WHERE secret IS NULL')).toEqual([[4]]);

    await run('ALTER TABLE dc DROP COLUMN n, ADD COLUMN n INT NOT NULL DEFAULT -1', "INSERT INTO dc (id, secret) VALUES (5, 'new')");
    expect(await rows('SELECT id, secret, n FROM dc ORDER BY id')).toEqual([
      [1, null, -1],
      [2, null, -1],
      [3, null, -1],
      [4, null, -1],
      [5, 'new', -1],
    ]);
    expect(await rows('SELECT count(*) FROM dc WHERE n = 10 OR n = 40')).toEqual([[0]]);
    expect(await describeRows('dc')).toEqual([
      ['id', 'int', 'NO', 'PRI', null, ''],
      ['secret', 'varchar(10)', 'YES', '', null, ''],
      ['n', 'int', 'NO', '', '-1', ''],
    ]);
  });

  it('renames columns with RENAME COLUMN and CHANGE; DML uses the new names and keys follow them', async () => {
    await run(
      'CREATE TABLE rc (id INT PRIMARY KEY, a VARCHAR(10), b INT, UNIQUE KEY ub (b))',
      "INSERT INTO rc VALUES (1, 'x', 100), (2, 'y', 200)",
      "INSERT INTO rc VALUES (3, 'z', 300)",
      'ALTER TABLE rc RENAME COLUMN a TO label',
      'ALTER TABLE rc CHANGE COLUMN b amount BIGINT',
      // A primary key column stays NOT NULL whatever CHANGE says.
      'ALTER TABLE rc CHANGE id rid INT',
    );
    expect(await rows('SELECT * FROM rc ORDER BY rid')).toEqual([
      [1, 'x', 100],
      [2, 'y', 200],
      [3, 'z', 300],
    ]);
    expect(await failure(c.query('SELECT a FROM rc'))).toMatchObject({ errno: 1054, sqlState: '42S22' });
    expect(await failure(c.query('UPDATE rc SET b = 1'))).toMatchObject({ errno: 1054, sqlState: '42S22' });

    const [ins] = await c.query<ResultSetHeader>("INSERT INTO rc (rid, label, amount) VALUES (4, 'w', 400)");
    expect(ins.affectedRows).toBe(1);
    const [upd] = await c.query<ResultSetHeader>("UPDATE rc SET label = concat(label, '!') WHERE amount >= 200");
    expect(upd.affectedRows).toBe(3);
    const [del] = await c.query<ResultSetHeader>("DELETE FROM rc WHERE label = 'X'");
    expect(del.affectedRows).toBe(1);
    expect(await rows('SELECT rid, label, amount FROM rc ORDER BY rid')).toEqual([
      [2, 'y!', 200],
      [3, 'z!', 300],
      [4, 'w!', 400],
    ]);

    const dupUnique = await failure(c.query("INSERT INTO rc VALUES (5, 'v', 300)"));
    expect(dupUnique).toMatchObject({ errno: 1062, sqlState: '23000', message: "Duplicate entry '300' for key 'rc.ub'" });
    const dupPrimary = await failure(c.query("INSERT INTO rc VALUES (2, 'v', 500)"));
    expect(dupPrimary).toMatchObject({ errno: 1062, sqlState: '23000', message: "Duplicate entry '2' for key 'rc.PRIMARY'" });
    expect(await showCreate('rc')).toBe(
      [
        'CREATE TABLE `rc` (',
        '  `rid` int NOT NULL,',
        '  `label` varchar(10) DEFAULT NULL,',
        '  `amount` bigint DEFAULT NULL,',
        '  PRIMARY KEY (`rid`),',
        '  UNIQUE KEY `ub` (`amount`)',
        `) ENGINE=DUCKSAFE ${TABLE_OPTIONS}`,
      ].join('\n'),
    );

    // The old name is free again: a new column under it starts empty.
    await run('ALTER TABLE rc ADD COLUMN a VARCHAR(10)');
    expect(await rows('SELECT rid, a, label FROM rc ORDER BY rid')).toEqual([
      [2, null, 'y!'],
      [3, null, 'z!'],
      [4, null, 'w!'],
    ]);
    // Swapping two columns' names through a temporary one, then moving columns around.
    await run(
      'ALTER TABLE rc RENAME COLUMN label TO tmp',
      'ALTER TABLE rc RENAME COLUMN a TO label',
      'ALTER TABLE rc RENAME COLUMN tmp TO a',
      "INSERT INTO rc (rid, label, a, amount) VALUES (6, 'L', 'A', 600)",
      'ALTER TABLE rc MODIFY COLUMN amount BIGINT FIRST',
      'ALTER TABLE rc CHANGE label label VARCHAR(12) AFTER rid',
    );
    expect(await describeRows('rc')).toEqual([
      ['amount', 'bigint', 'YES', 'UNI', null, ''],
      ['rid', 'int', 'NO', 'PRI', null, ''],
      ['label', 'varchar(12)', 'YES', '', null, ''],
      ['a', 'varchar(10)', 'YES', '', null, ''],
    ]);
    expect(await rows('SELECT * FROM rc ORDER BY rid')).toEqual([
      [200, 2, null, 'y!'],
      [300, 3, null, 'z!'],
      [400, 4, null, 'w!'],
      [600, 6, 'L', 'A'],
    ]);
    expect(await rows("SELECT rid FROM rc WHERE a LIKE '%!' ORDER BY rid")).toEqual([[2], [3], [4]]);
  });

  it('stores an UPDATE that changes only the letter case, in renamed tables and columns too', async () => {
    await run(
      'CREATE TABLE lc (id INT PRIMARY KEY, v VARCHAR(5))',
      "INSERT INTO lc VALUES (1, 'b'), (2, 'x')",
      'ALTER TABLE lc RENAME COLUMN v TO w',
      'RENAME TABLE lc TO lc2',
    );
    // 'b' = 'B' under the collation, but they are different values: MySQL stores the new one.
    const [res] = await c.query<ResultSetHeader>("UPDATE lc2 SET w = 'B' WHERE id = 1");
    expect(res.affectedRows).toBe(1);
    expect(res.changedRows).toBe(1);
    expect(await rows('SELECT id, w FROM lc2 ORDER BY id')).toEqual([
      [1, 'B'],
      [2, 'x'],
    ]);
  });

  it('re-reads the definition for prepared statements, and commits an open transaction as MySQL DDL does', async () => {
    await run('CREATE TABLE pe (id INT, v INT)', 'INSERT INTO pe VALUES (1, 10)');
    const [first] = await c.execute<RowDataPacket[]>('SELECT * FROM pe WHERE id = ?', [1]);
    expect(first).toEqual([{ id: 1, v: 10 }]);
    await run('ALTER TABLE pe ADD COLUMN w INT DEFAULT 3, RENAME COLUMN v TO vv');
    // mysql2 reuses its prepared statement; the server must answer with the new shape.
    const [second] = await c.execute<RowDataPacket[]>('SELECT * FROM pe WHERE id = ?', [1]);
    expect(second).toEqual([{ id: 1, vv: 10, w: 3 }]);
    await c.execute('INSERT INTO pe VALUES (?, ?, ?)', [2, 20, 4]);

    await run('START TRANSACTION', 'INSERT INTO pe VALUES (9, 90, 9)', 'ALTER TABLE pe DROP COLUMN w', 'ROLLBACK');
    expect(await rows('SELECT * FROM pe ORDER BY id')).toEqual([
      [1, 10],
      [2, 20],
      [9, 90],
    ]);
  });

  it('never mixes a transaction written under the old definition into the new one', async () => {
    await run('CREATE TABLE cx (id INT PRIMARY KEY, v VARCHAR(5))', "INSERT INTO cx VALUES (1, 'one')");
    const other = await connect();
    try {
      await other.query('START TRANSACTION');
      await other.query("INSERT INTO cx VALUES (2, 'two')");
      await other.query("UPDATE cx SET v = 'uno' WHERE id = 1");
      await run('ALTER TABLE cx RENAME COLUMN v TO w, ADD COLUMN v INT DEFAULT 7');
      // MySQL makes the ALTER wait for the transaction; ducksafe may instead refuse
      // the later commit. Either way each row reads through the right definition.
      const committed = await other.query('COMMIT').then(
        () => true,
        (e: unknown) => {
          expect(e).toMatchObject({ errno: 1213, sqlState: '40001' });
          return false;
        },
      );
      expect(await rows('SELECT id, w, v FROM cx ORDER BY id')).toEqual(
        committed
          ? [
              [1, 'uno', 7],
              [2, 'two', 7],
            ]
          : [[1, 'one', 7]],
      );
    } finally {
      await other.end();
    }
  });

  it('changes column types after checking the data; a failed change changes nothing', async () => {
    await run(
      'CREATE TABLE ty (id INT PRIMARY KEY, s VARCHAR(20), w VARCHAR(20), n INT, d DECIMAL(8,3), opt INT)',
      "INSERT INTO ty VALUES (1, '12', 'short', 5, 1.55, NULL), (2, '7x', 'a bit longer', -7, 2.25, 1)",
      "INSERT INTO ty VALUES (3, '3', NULL, 300, 0, 2)",
    );
    const before = await rows('SELECT * FROM ty ORDER BY id');
    const describedBefore = await describeRows('ty');

    const notNumber = await failure(c.query('ALTER TABLE ty MODIFY s INT'));
    expect(notNumber).toMatchObject({ errno: 1265, sqlState: '01000' });
    expect(notNumber.message).toMatch(/^Data truncated for column 's'/);
    const tooLong = await failure(c.query('ALTER TABLE ty MODIFY w VARCHAR(5)'));
    expect(tooLong).toMatchObject({ errno: 1265, sqlState: '01000' });
    expect(tooLong.message).toMatch(/^Data truncated for column 'w'/);
    const nulls = await failure(c.query('ALTER TABLE ty MODIFY opt INT NOT NULL'));
    expect(nulls).toMatchObject({ errno: 1138, sqlState: '22004' });
    // One failing action in a statement undoes its other actions too.
    expect(await failure(c.query('ALTER TABLE ty MODIFY n BIGINT, MODIFY s INT'))).toMatchObject({ errno: 1265 });
    expect(await rows('SELECT * FROM ty ORDER BY id')).toEqual(before);
    expect(await describeRows('ty')).toEqual(describedBefore);

    await run("UPDATE ty SET s = '7' WHERE id = 2", 'ALTER TABLE ty MODIFY s INT');
    expect(await rows('SELECT id FROM ty WHERE s > 5 ORDER BY id')).toEqual([[1], [2]]);
    await run('ALTER TABLE ty MODIFY n BIGINT', 'ALTER TABLE ty MODIFY n VARCHAR(10)');
    expect(await rows('SELECT id, n FROM ty ORDER BY id')).toEqual([
      [1, '5'],
      [2, '-7'],
      [3, '300'],
    ]);
    expect(await rows("SELECT id FROM ty WHERE n = '300'")).toEqual([[3]]);
    await run("UPDATE ty SET n = concat(n, '0') WHERE id = 1", "INSERT INTO ty (id, n) VALUES (4, '44')", 'ALTER TABLE ty MODIFY n INT');
    expect(await rows('SELECT id, n FROM ty WHERE n > 0 ORDER BY id')).toEqual([
      [1, 50],
      [3, 300],
      [4, 44],
    ]);
    await run('ALTER TABLE ty MODIFY n DECIMAL(10,2)', 'ALTER TABLE ty MODIFY w VARCHAR(50)');
    // DECIMAL to a smaller scale rounds (a note in MySQL, not an error).
    await run('ALTER TABLE ty MODIFY d DECIMAL(8,1)');
    await run('UPDATE ty SET opt = 0 WHERE opt IS NULL', 'ALTER TABLE ty MODIFY opt INT NOT NULL');
    expect(await rows('SELECT * FROM ty ORDER BY id')).toEqual([
      [1, 12, 'short', '50.00', '1.6', 0],
      [2, 7, 'a bit longer', '-7.00', '2.3', 1],
      [3, 3, null, '300.00', '0.0', 2],
      [4, null, null, '44.00', null, 0],
    ]);
    expect(await failure(c.query('INSERT INTO ty (id, opt) VALUES (5, NULL)'))).toMatchObject({ errno: 1048, sqlState: '23000' });
    expect(await describeRows('ty')).toEqual([
      ['id', 'int', 'NO', 'PRI', null, ''],
      ['s', 'int', 'YES', '', null, ''],
      ['w', 'varchar(50)', 'YES', '', null, ''],
      ['n', 'decimal(10,2)', 'YES', '', null, ''],
      ['d', 'decimal(8,1)', 'YES', '', null, ''],
      ['opt', 'int', 'NO', '', null, ''],
    ]);
    const [full] = await c.query<RowDataPacket[]>("SHOW FULL COLUMNS FROM ty WHERE Field IN ('s', 'w')");
    expect(full.map((r) => [r.Field, r.Type, r.Collation])).toEqual([
      ['s', 'int', null],
      ['w', 'varchar(50)', 'utf8mb4_0900_ai_ci'],
    ]);
  });

  it('refuses a narrowing to a type the values do not fit with 1264, as MySQL does', async () => {
    await run('CREATE TABLE nr (id INT, n INT)', 'INSERT INTO nr VALUES (1, 5)', 'INSERT INTO nr VALUES (2, 300)');
    expect(await failure(c.query('ALTER TABLE nr MODIFY n TINYINT'))).toMatchObject({ errno: 1264, sqlState: '22003' });
    expect(await rows('SELECT id, n FROM nr ORDER BY id')).toEqual([
      [1, 5],
      [2, 300],
    ]);
  });

  it('refuses text that holds no number when the column becomes numeric with 1366, as MySQL does', async () => {
    await run('CREATE TABLE nn (id INT, s VARCHAR(10))', "INSERT INTO nn VALUES (1, '5')", "INSERT INTO nn VALUES (2, 'abc')");
    expect(await failure(c.query('ALTER TABLE nn MODIFY s INT'))).toMatchObject({ errno: 1366, sqlState: 'HY000' });
    expect(await rows('SELECT id, s FROM nn ORDER BY id')).toEqual([
      [1, '5'],
      [2, 'abc'],
    ]);
  });

  it('sets and drops column defaults for the rows inserted afterwards', async () => {
    await run(
      "CREATE TABLE df (id INT, v INT DEFAULT 1, w VARCHAR(5) NOT NULL DEFAULT 'a')",
      'INSERT INTO df (id) VALUES (1)',
      "ALTER TABLE df ALTER COLUMN v SET DEFAULT 2, ALTER COLUMN w SET DEFAULT 'b'",
      'INSERT INTO df (id) VALUES (2)',
      'ALTER TABLE df ALTER v DROP DEFAULT',
      "INSERT INTO df (id, w) VALUES (3, 'c')",
      'ALTER TABLE df ALTER w DROP DEFAULT',
    );
    expect(await failure(c.query('INSERT INTO df (id) VALUES (4)'))).toMatchObject({
      errno: 1364,
      sqlState: 'HY000',
      message: "Field 'w' doesn't have a default value",
    });
    expect(await rows('SELECT * FROM df ORDER BY id')).toEqual([
      [1, 1, 'a'],
      [2, 2, 'b'],
      [3, null, 'c'],
    ]);
    expect(await describeRows('df')).toEqual([
      ['id', 'int', 'YES', '', null, ''],
      ['v', 'int', 'YES', '', null, ''],
      ['w', 'varchar(5)', 'NO', '', null, ''],
    ]);
    expect(await showCreate('df')).toBe(
      [
        'CREATE TABLE `df` (',
        '  `id` int DEFAULT NULL,',
        '  `v` int DEFAULT NULL,',
        '  `w` varchar(5) NOT NULL',
        `) ENGINE=DUCKSAFE ${TABLE_OPTIONS}`,
      ].join('\n'),
    );
  });

  it('renames tables with ALTER ... RENAME TO and RENAME TABLE, in order and atomically', async () => {
    await run(
      'CREATE TABLE tr1 (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(5))',
      "INSERT INTO tr1 (v) VALUES ('a'), ('b')",
      "INSERT INTO tr1 (v) VALUES ('c')",
      'CREATE TABLE tr2 (id INT PRIMARY KEY, w INT)',
      'INSERT INTO tr2 VALUES (1, 10)',
      'ALTER TABLE tr1 RENAME TO tr1new',
    );
    expect(await failure(c.query('SELECT * FROM tr1'))).toMatchObject({ errno: 1146, sqlState: '42S02' });
    const [ins] = await c.query<ResultSetHeader>("INSERT INTO tr1new (v) VALUES ('d')");
    expect(ins.insertId).toBe(4);
    await run("UPDATE tr1new SET v = 'bb' WHERE id = 2", 'DELETE FROM tr1new WHERE id = 1');
    expect(await rows('SELECT id, v FROM tr1new ORDER BY id')).toEqual([
      [2, 'bb'],
      [3, 'c'],
      [4, 'd'],
    ]);

    const [renamed] = await c.query<ResultSetHeader>('RENAME TABLE tr1new TO tr1, tr2 TO tr2new');
    expect(renamed.affectedRows).toBe(0);
    expect(await rows("SHOW TABLES LIKE 'tr%'")).toEqual([['tr1'], ['tr2new']]);

    // Swap through a temporary name: the renames apply in order.
    await run('RENAME TABLE tr1 TO ttmp, tr2new TO tr1, ttmp TO tr2new');
    expect(await rows("SHOW TABLES LIKE 'tr%'")).toEqual([['tr1'], ['tr2new']]);
    expect(await rows('SELECT * FROM tr1')).toEqual([[1, 10]]);
    expect(await rows('SELECT * FROM tr2new ORDER BY id')).toEqual([
      [2, 'bb'],
      [3, 'c'],
      [4, 'd'],
    ]);

    // Nothing is renamed when one of the renames fails.
    expect(await failure(c.query('RENAME TABLE tr1 TO tzz, missing TO yy'))).toMatchObject({ errno: 1146, sqlState: '42S02' });
    expect(await failure(c.query('RENAME TABLE tr1 TO tr2new'))).toMatchObject({ errno: 1050, sqlState: '42S01' });
    expect(await failure(c.query('ALTER TABLE tr1 RENAME TO tr2new'))).toMatchObject({ errno: 1050, sqlState: '42S01' });
    await run('CREATE DATABASE other');
    expect(await failure(c.query('RENAME TABLE tr1 TO other.tr1'))).toMatchObject({ errno: 1235, sqlState: '42000' });
    expect(await failure(c.query('ALTER TABLE tr1 RENAME TO other.tr1'))).toMatchObject({ errno: 1235, sqlState: '42000' });
    expect(await rows("SHOW TABLES LIKE 'tr%'")).toEqual([['tr1'], ['tr2new']]);
    expect(await rows("SHOW TABLES LIKE 'tz%'")).toEqual([]);
    expect(await rows('SHOW TABLES FROM other')).toEqual([]);

    await run('RENAME TABLE d.tr2new TO d.tr3', 'ALTER TABLE tr3 RENAME TO tr4, ADD COLUMN z INT DEFAULT 3');
    const [next] = await c.query<ResultSetHeader>("INSERT INTO tr4 (v) VALUES ('e')");
    expect(next.insertId).toBe(5);
    expect(await rows('SELECT id, v, z FROM tr4 ORDER BY id')).toEqual([
      [2, 'bb', 3],
      [3, 'c', 3],
      [4, 'd', 3],
      [5, 'e', 3],
    ]);
    expect(await failure(c.query("INSERT INTO tr4 (id, v) VALUES (3, 'x')"))).toMatchObject({
      errno: 1062,
      message: "Duplicate entry '3' for key 'tr4.PRIMARY'",
    });
    expect(await showCreate('tr4')).toBe(
      [
        'CREATE TABLE `tr4` (',
        '  `id` int NOT NULL AUTO_INCREMENT,',
        '  `v` varchar(5) DEFAULT NULL,',
        "  `z` int DEFAULT '3',",
        '  PRIMARY KEY (`id`)',
        `) ENGINE=DUCKSAFE AUTO_INCREMENT=6 ${TABLE_OPTIONS}`,
      ].join('\n'),
    );
  });

  it('enforces keys added after the fact, and refuses them over data that breaks them', async () => {
    await run(
      'CREATE TABLE ky (id INT, email VARCHAR(30), grp INT)',
      "INSERT INTO ky VALUES (1, 'a@x', 1), (2, 'b@x', 1)",
      "INSERT INTO ky VALUES (3, 'A@X', 2)",
    );
    // 'a@x' and 'A@X' are equal under utf8mb4_0900_ai_ci, and sit in different files.
    expect(await failure(c.query('ALTER TABLE ky ADD UNIQUE KEY uq_email (email)'))).toMatchObject({ errno: 1062, sqlState: '23000' });
    expect(await describeRows('ky')).toEqual([
      ['id', 'int', 'YES', '', null, ''],
      ['email', 'varchar(30)', 'YES', '', null, ''],
      ['grp', 'int', 'YES', '', null, ''],
    ]);

    await run("UPDATE ky SET email = 'c@x' WHERE id = 3", 'ALTER TABLE ky ADD UNIQUE KEY uq_email (email)');
    expect(await failure(c.query("INSERT INTO ky VALUES (4, 'B@X', 3)"))).toMatchObject({
      errno: 1062,
      sqlState: '23000',
      message: "Duplicate entry 'B@X' for key 'ky.uq_email'",
    });
    await run('INSERT INTO ky VALUES (5, NULL, 3), (6, NULL, 3)');

    await run('ALTER TABLE ky ADD PRIMARY KEY (id)');
    expect(await failure(c.query("INSERT INTO ky VALUES (1, 'z@x', 0)"))).toMatchObject({
      errno: 1062,
      message: "Duplicate entry '1' for key 'ky.PRIMARY'",
    });
    expect(await failure(c.query("INSERT INTO ky VALUES (NULL, 'y@x', 0)"))).toMatchObject({ errno: 1048, sqlState: '23000' });
    expect(await failure(c.query('UPDATE ky SET id = 2 WHERE id = 6'))).toMatchObject({ errno: 1062 });

    await run('ALTER TABLE ky ADD INDEX by_grp (grp)', 'INSERT INTO ky VALUES (7, NULL, 3)');
    expect(await describeRows('ky')).toEqual([
      ['id', 'int', 'NO', 'PRI', null, ''],
      ['email', 'varchar(30)', 'YES', 'UNI', null, ''],
      ['grp', 'int', 'YES', 'MUL', null, ''],
    ]);
    // Soft: the checks below still run when only the key order differs.
    expect.soft(await showCreate('ky')).toBe(
      [
        'CREATE TABLE `ky` (',
        '  `id` int NOT NULL,',
        '  `email` varchar(30) DEFAULT NULL,',
        '  `grp` int DEFAULT NULL,',
        '  PRIMARY KEY (`id`),',
        '  UNIQUE KEY `uq_email` (`email`),',
        '  KEY `by_grp` (`grp`)',
        `) ENGINE=DUCKSAFE ${TABLE_OPTIONS}`,
      ].join('\n'),
    );

    await run('ALTER TABLE ky DROP INDEX uq_email', "INSERT INTO ky VALUES (8, 'a@x', 1)");
    await run('ALTER TABLE ky DROP PRIMARY KEY', "INSERT INTO ky VALUES (1, 'dup', 1)");
    expect(await failure(c.query('ALTER TABLE ky ADD PRIMARY KEY (id)'))).toMatchObject({ errno: 1062, sqlState: '23000' });
    expect(await failure(c.query('ALTER TABLE ky ADD UNIQUE (email)'))).toMatchObject({ errno: 1062, sqlState: '23000' });
    // A composite key only needs the pairs to be unique.
    await run('ALTER TABLE ky ADD UNIQUE KEY id_email (id, email)');
    expect(await failure(c.query("INSERT INTO ky VALUES (1, 'DUP', 9)"))).toMatchObject({
      errno: 1062,
      message: "Duplicate entry '1-DUP' for key 'ky.id_email'",
    });
    expect(await rows('SELECT id, email, grp FROM ky ORDER BY id, email')).toEqual([
      [1, 'a@x', 1],
      [1, 'dup', 1],
      [2, 'b@x', 1],
      [3, 'c@x', 2],
      [5, null, 3],
      [6, null, 3],
      [7, null, 3],
      [8, 'a@x', 1],
    ]);
  });

  it('refuses a primary key over NULLs with 1138', async () => {
    await run('CREATE TABLE kn (id INT, v INT)', 'INSERT INTO kn VALUES (1, 1)', 'INSERT INTO kn VALUES (NULL, 2)');
    expect(await failure(c.query('ALTER TABLE kn ADD PRIMARY KEY (id)'))).toMatchObject({ errno: 1138, sqlState: '22004' });
    expect(await rows('SELECT id, v FROM kn ORDER BY v')).toEqual([
      [1, 1],
      [null, 2],
    ]);
    expect(await describeRows('kn')).toEqual([
      ['id', 'int', 'YES', '', null, ''],
      ['v', 'int', 'YES', '', null, ''],
    ]);
  });

  it('answers impossible ALTERs with MySQL errors and leaves the table as it was', async () => {
    await run('CREATE TABLE er (id INT PRIMARY KEY, v INT, KEY kv (v))', 'INSERT INTO er VALUES (1, 1)');
    const cases: [string, number, string][] = [
      ['ALTER TABLE er ADD COLUMN V INT', 1060, '42S21'],
      ['ALTER TABLE er DROP COLUMN nope', 1091, '42000'],
      ['ALTER TABLE er MODIFY nope INT', 1054, '42S22'],
      ['ALTER TABLE er CHANGE nope x INT', 1054, '42S22'],
      ['ALTER TABLE er CHANGE v id INT', 1060, '42S21'],
      ['ALTER TABLE er RENAME COLUMN nope TO x', 1054, '42S22'],
      ['ALTER TABLE er RENAME COLUMN v TO id', 1060, '42S21'],
      ['ALTER TABLE er ALTER COLUMN nope SET DEFAULT 1', 1054, '42S22'],
      ['ALTER TABLE er ADD COLUMN x INT AFTER nope', 1054, '42S22'],
      ['ALTER TABLE missing ADD COLUMN x INT', 1146, '42S02'],
      ['ALTER TABLE er DROP COLUMN id, DROP COLUMN v', 1090, '42000'],
      ['ALTER TABLE er DROP INDEX nope', 1091, '42000'],
      ['ALTER TABLE er ADD PRIMARY KEY (v)', 1068, '42000'],
      ['ALTER TABLE er ADD INDEX kv (id)', 1061, '42000'],
      ['ALTER TABLE er ADD INDEX kx (nope)', 1072, '42000'],
      ['ALTER TABLE er ADD COLUMN fresh INT, DROP COLUMN nope', 1091, '42000'],
      ['ALTER TABLE er PARTITION BY HASH (id) PARTITIONS 2', 1235, '42000'],
      // Partition maintenance on a table without partitions: ER_PARTITION_MGMT_ON_NONPARTITIONED.
      ['ALTER TABLE er ADD PARTITION (PARTITION p9 VALUES LESS THAN (10))', 1505, 'HY000'],
      ['ALTER TABLE er DROP PARTITION p0', 1505, 'HY000'],
      ['ALTER TABLE er TRUNCATE PARTITION p0', 1505, 'HY000'],
      ["ALTER TABLE er FLASHBACK TO (SNAPSHOT => 'abc')", 1210, 'HY000'],
      // Before the table existed.
      ["ALTER TABLE er FLASHBACK TO (TIMESTAMP => '2026-01-01 00:00:00')", 1146, '42S02'],
    ];
    const seen: [string, number | undefined, string | undefined][] = [];
    for (const [sql] of cases) {
      const e = await failure(c.query(sql));
      seen.push([sql, e.errno, e.sqlState]);
    }
    expect(seen).toEqual(cases);
    expect(await describeRows('er')).toEqual([
      ['id', 'int', 'NO', 'PRI', null, ''],
      ['v', 'int', 'YES', 'MUL', null, ''],
    ]);
    expect(await rows('SELECT * FROM er')).toEqual([[1, 1]]);

    // Databend's retention option is accepted and changes no data.
    const [opt] = await c.query<ResultSetHeader>('ALTER TABLE er SET OPTIONS (data_retention_period_in_hours = 48)');
    expect(opt.affectedRows).toBe(0);
    expect(await rows('SELECT * FROM er')).toEqual([[1, 1]]);
    expect(await failure(c.query("ALTER TABLE er SET OPTIONS (data_retention_period_in_hours = 'soon')"))).toMatchObject({ errno: 1210 });
    // An option nobody knows is refused, as MariaDB does, not kept and ignored.
    expect(await failure(c.query("CREATE TABLE er_loc (a INT) LOCATION = 'file:///tmp/elsewhere'"))).toMatchObject({ errno: 1911, message: "Unknown option 'location'" });
    expect(await failure(c.query('SELECT * FROM er_loc'))).toMatchObject({ errno: 1146 });
    expect(await failure(c.query('ALTER TABLE er SET OPTIONS (colour = 1)'))).toMatchObject({ errno: 1911 });
    await c.query('CREATE TABLE er_dump (a INT) ENGINE=InnoDB ROW_FORMAT=DYNAMIC DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci STATS_PERSISTENT=0');
    await c.query('DROP TABLE er_dump');
  });

  it('sets AUTO_INCREMENT and COMMENT table options', async () => {
    const create = (options: string): string =>
      ['CREATE TABLE `ai` (', '  `id` int NOT NULL AUTO_INCREMENT,', '  `v` int DEFAULT NULL,', '  PRIMARY KEY (`id`)', `) ENGINE=DUCKSAFE ${options}`].join('\n');
    await run('CREATE TABLE ai (id INT AUTO_INCREMENT PRIMARY KEY, v INT)', 'INSERT INTO ai (v) VALUES (1), (2), (3)');
    await run('ALTER TABLE ai AUTO_INCREMENT = 100');
    const [a] = await c.query<ResultSetHeader>('INSERT INTO ai (v) VALUES (4)');
    expect(a.insertId).toBe(100);
    await run("ALTER TABLE ai COMMENT = 'counts'");
    expect(await showCreate('ai')).toBe(create(`AUTO_INCREMENT=101 ${TABLE_OPTIONS} COMMENT='counts'`));
    await run("ALTER TABLE ai COMMENT = ''");
    const [b] = await c.query<ResultSetHeader>('INSERT INTO ai (v) VALUES (5)');
    expect(b.insertId).toBe(101);
    expect(await showCreate('ai')).toBe(create(`AUTO_INCREMENT=102 ${TABLE_OPTIONS}`));
    expect(await rows('SELECT id, v FROM ai ORDER BY id')).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
      [100, 4],
      [101, 5],
    ]);
  });

  it('moves an AUTO_INCREMENT set below the largest id to that id + 1, as InnoDB does', async () => {
    await run('CREATE TABLE al (id INT AUTO_INCREMENT PRIMARY KEY, v INT)', 'INSERT INTO al (v) VALUES (1), (2), (3)', 'ALTER TABLE al AUTO_INCREMENT = 2');
    // MySQL: the next id is 4; handing out 2 again would break the primary key.
    const [next] = await c.query<ResultSetHeader>('INSERT INTO al (v) VALUES (4)');
    expect(next.insertId).toBe(4);
    expect(await rows('SELECT id, v FROM al ORDER BY id')).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
      [4, 4],
    ]);
  });

  it('prints SHOW CREATE TABLE and SHOW CREATE DATABASE exactly as MySQL 8 does', async () => {
    await run(
      'CREATE TABLE people (' +
        'id INT AUTO_INCREMENT, email VARCHAR(40) NOT NULL, price DECIMAL(10,2) NOT NULL DEFAULT 1.50, ' +
        "ok BOOLEAN DEFAULT TRUE, born DATE, at DATETIME DEFAULT CURRENT_TIMESTAMP, score DOUBLE, big BIGINT UNSIGNED, c CHAR(3) COMMENT 'it''s', " +
        "PRIMARY KEY (id), UNIQUE KEY uq_email (email), KEY k_born (born, score)) COMMENT='people' AUTO_INCREMENT=50",
    );
    const expected = (columns: string[], keys: string[], options: string): string =>
      ['CREATE TABLE `people` (', [...columns, ...keys].map((l) => `  ${l}`).join(',\n'), `) ${options}`].join('\n');
    const columns = [
      '`id` int NOT NULL AUTO_INCREMENT',
      '`email` varchar(40) NOT NULL',
      "`price` decimal(10,2) NOT NULL DEFAULT '1.50'",
      "`ok` tinyint(1) DEFAULT '1'",
      '`born` date DEFAULT NULL',
      '`at` datetime DEFAULT CURRENT_TIMESTAMP',
      '`score` double DEFAULT NULL',
      '`big` bigint unsigned DEFAULT NULL',
      "`c` char(3) DEFAULT NULL COMMENT 'it''s'",
    ];
    const keys = ['PRIMARY KEY (`id`)', 'UNIQUE KEY `uq_email` (`email`)', 'KEY `k_born` (`born`,`score`)'];
    expect(await showCreate('people')).toBe(expected(columns, keys, `ENGINE=DUCKSAFE AUTO_INCREMENT=50 ${TABLE_OPTIONS} COMMENT='people'`));

    await run(
      "INSERT INTO people (email, born) VALUES ('p@x', '2001-02-03')",
      'ALTER TABLE people DROP COLUMN c, MODIFY score FLOAT DEFAULT 0 AFTER email, ADD KEY k_ok (ok)',
      "ALTER TABLE people RENAME COLUMN email TO mail, COMMENT = 'persons'",
    );
    expect(await showCreate('people')).toBe(
      expected(
        [
          '`id` int NOT NULL AUTO_INCREMENT',
          '`mail` varchar(40) NOT NULL',
          "`score` float DEFAULT '0'",
          "`price` decimal(10,2) NOT NULL DEFAULT '1.50'",
          "`ok` tinyint(1) DEFAULT '1'",
          '`born` date DEFAULT NULL',
          '`at` datetime DEFAULT CURRENT_TIMESTAMP',
          '`big` bigint unsigned DEFAULT NULL',
        ],
        ['PRIMARY KEY (`id`)', 'UNIQUE KEY `uq_email` (`mail`)', 'KEY `k_born` (`born`,`score`)', 'KEY `k_ok` (`ok`)'],
        `ENGINE=DUCKSAFE AUTO_INCREMENT=51 ${TABLE_OPTIONS} COMMENT='persons'`,
      ),
    );
    const [[name]] = (await rows('SHOW CREATE TABLE people')) as [[string]];
    expect(name).toBe('people');
    expect(await rows('SELECT id, mail, score, price, ok, born, big FROM people')).toEqual([[50, 'p@x', null, '1.50', 1, '2001-02-03', null]]);

    expect(await rows('SHOW CREATE DATABASE d')).toEqual([
      ['d', "CREATE DATABASE `d` /*!40100 DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_ai_ci */ /*!80016 DEFAULT ENCRYPTION='N' */"],
    ]);
    expect(await failure(c.query('SHOW CREATE TABLE nope'))).toMatchObject({ errno: 1146, sqlState: '42S02' });
    expect(await failure(c.query('SHOW CREATE DATABASE nope'))).toMatchObject({ errno: 1049, sqlState: '42000' });
  });

  it('prints a DECIMAL default in the column type, as MySQL 8 does', async () => {
    await run('CREATE TABLE dd (p DECIMAL(10,2) NOT NULL DEFAULT 0)', 'ALTER TABLE dd ADD COLUMN q DECIMAL(5,1) DEFAULT 2');
    expect(await showCreate('dd')).toBe(
      ['CREATE TABLE `dd` (', "  `p` decimal(10,2) NOT NULL DEFAULT '0.00',", "  `q` decimal(5,1) DEFAULT '2.0'", `) ENGINE=DUCKSAFE ${TABLE_OPTIONS}`].join('\n'),
    );
  });

  it('prints TEXT columns without DEFAULT NULL, as MySQL 8 does', async () => {
    await run('CREATE TABLE tx (id INT NOT NULL, body TEXT)', 'ALTER TABLE tx ADD COLUMN extra TEXT NOT NULL');
    expect(await showCreate('tx')).toBe(
      ['CREATE TABLE `tx` (', '  `id` int NOT NULL,', '  `body` text,', '  `extra` text NOT NULL', `) ENGINE=DUCKSAFE ${TABLE_OPTIONS}`].join('\n'),
    );
  });

  it('lists keys in MySQL 8 order whatever order they were added in: PRIMARY, UNIQUE, then the others', async () => {
    await run(
      'CREATE TABLE ko (a INT NOT NULL, b INT, c INT)',
      'ALTER TABLE ko ADD INDEX ic (c)',
      'ALTER TABLE ko ADD UNIQUE KEY ub (b)',
      'ALTER TABLE ko ADD PRIMARY KEY (a)',
    );
    expect(await showCreate('ko')).toBe(
      [
        'CREATE TABLE `ko` (',
        '  `a` int NOT NULL,',
        '  `b` int DEFAULT NULL,',
        '  `c` int DEFAULT NULL,',
        '  PRIMARY KEY (`a`),',
        '  UNIQUE KEY `ub` (`b`),',
        '  KEY `ic` (`c`)',
        `) ENGINE=DUCKSAFE ${TABLE_OPTIONS}`,
      ].join('\n'),
    );
  });

  it('compacts a table with OPTIMIZE TABLE, keeping every row exactly', async () => {
    await run(
      'CREATE TABLE op (id INT PRIMARY KEY, name VARCHAR(20), amount DECIMAL(10,2), day DATE)',
      "INSERT INTO op VALUES (1, 'a', 1.10, '2024-01-01'), (2, 'b', NULL, NULL)",
      "INSERT INTO op VALUES (3, 'c', 3.30, '2024-03-03')",
      "INSERT INTO op VALUES (4, NULL, 4.40, '2024-04-04'), (5, 'e', 5.50, '2024-05-05')",
      'ALTER TABLE op ADD COLUMN extra INT DEFAULT 42',
      "INSERT INTO op VALUES (6, 'f', 6.60, '2024-06-06', 6)",
      'ALTER TABLE op RENAME COLUMN name TO title',
      "INSERT INTO op (id, title) VALUES (7, 'g')",
      "UPDATE op SET title = 'cc' WHERE id = 3",
      'DELETE FROM op WHERE id = 5',
      'ALTER TABLE op MODIFY amount DECIMAL(12,2)',
      'CREATE TABLE op_empty (id INT)',
    );
    const expected = [
      [1, 'a', '1.10', '2024-01-01', 42],
      [2, 'b', null, null, 42],
      [3, 'cc', '3.30', '2024-03-03', 42],
      [4, null, '4.40', '2024-04-04', 42],
      [6, 'f', '6.60', '2024-06-06', 6],
      [7, 'g', null, null, 42],
    ];
    expect(await rows('SELECT * FROM op ORDER BY id')).toEqual(expected);
    const filesBefore = kind === 'local' ? await localParquetFiles(warehouse.location) : [];

    const [result, fields] = await c.query<RowDataPacket[]>('OPTIMIZE TABLE op');
    expect(fields.map((f) => f.name)).toEqual(['Table', 'Op', 'Msg_type', 'Msg_text']);
    expect(result).toEqual([{ Table: 'd.op', Op: 'optimize', Msg_type: 'status', Msg_text: 'OK' }]);
    expect(await rows('SELECT * FROM op ORDER BY id')).toEqual(expected);
    expect(await rows('SELECT id FROM op WHERE extra = 42 AND title IS NOT NULL ORDER BY id')).toEqual([[1], [2], [3], [7]]);

    // Files can be counted from here on the local warehouse only: one new file holds
    // the table's rows, and the old ones stay for time travel.
    if (kind === 'local') {
      const filesAfter = await localParquetFiles(warehouse.location);
      expect(filesAfter.length).toBe(filesBefore.length + 1);
      expect(filesBefore.every((f) => filesAfter.includes(f))).toBe(true);
      expect(await rows('OPTIMIZE TABLE op')).toEqual([['d.op', 'optimize', 'status', 'OK']]);
      expect(await localParquetFiles(warehouse.location)).toEqual(filesAfter);
    }

    expect(await rows('OPTIMIZE TABLE op, op_empty')).toEqual([
      ['d.op', 'optimize', 'status', 'OK'],
      ['d.op_empty', 'optimize', 'status', 'OK'],
    ]);
    expect(await failure(c.query("INSERT INTO op (id, title) VALUES (3, 'dup')"))).toMatchObject({
      errno: 1062,
      message: "Duplicate entry '3' for key 'op.PRIMARY'",
    });
    // The compacted file must not bring a dropped column's data back under its name.
    await run('ALTER TABLE op DROP COLUMN extra', 'ALTER TABLE op ADD COLUMN extra INT');
    expect(await rows('SELECT count(*) FROM op WHERE extra IS NULL')).toEqual([[6]]);
    await run("INSERT INTO op VALUES (8, 'h', 8.80, '2024-08-08', 8)", 'OPTIMIZE TABLE op');
    expect(await rows('SELECT id, title, extra FROM op ORDER BY id')).toEqual([
      [1, 'a', null],
      [2, 'b', null],
      [3, 'cc', null],
      [4, null, null],
      [6, 'f', null],
      [7, 'g', null],
      [8, 'h', 8],
    ]);
  });

  it('compacts a partitioned table into one file per partition, across ALTERs', async () => {
    await run(
      'CREATE TABLE pa (id INT, r INT, v VARCHAR(5), PRIMARY KEY (id, r)) ' +
        'PARTITION BY LIST (r) (PARTITION east VALUES IN (1, 2), PARTITION west VALUES IN (3, 4))',
      "INSERT INTO pa VALUES (1, 1, 'a'), (2, 3, 'b')",
      "INSERT INTO pa VALUES (3, 2, 'c'), (4, 4, 'd')",
      'ALTER TABLE pa ADD COLUMN z INT DEFAULT 5, RENAME COLUMN v TO w',
      "INSERT INTO pa VALUES (5, 1, 'e', 6), (6, 3, 'f', 7)",
      "UPDATE pa SET w = 'cc' WHERE id = 3",
    );
    const partitionRows = async (): Promise<[string, string][]> => {
      const [r] = await c.query<RowDataPacket[]>('SHOW PARTITIONS FROM pa');
      return r.map((p) => [String(p.PartitionName), String(p.RowCount)]);
    };
    const expected = [
      [1, 1, 'a', 5],
      [2, 3, 'b', 5],
      [3, 2, 'cc', 5],
      [4, 4, 'd', 5],
      [5, 1, 'e', 6],
      [6, 3, 'f', 7],
    ];
    expect(await rows('SELECT * FROM pa ORDER BY id')).toEqual(expected);
    expect(await partitionRows()).toEqual([
      ['east', '3'],
      ['west', '3'],
    ]);
    const filesBefore = kind === 'local' ? await localParquetFiles(warehouse.location) : [];
    expect(await rows('OPTIMIZE TABLE pa')).toEqual([['d.pa', 'optimize', 'status', 'OK']]);
    expect(await rows('SELECT * FROM pa ORDER BY id')).toEqual(expected);
    expect(await partitionRows()).toEqual([
      ['east', '3'],
      ['west', '3'],
    ]);
    expect(await rows('SELECT id FROM pa WHERE r IN (3, 4) ORDER BY id')).toEqual([[2], [4], [6]]);
    if (kind === 'local') {
      const filesAfter = await localParquetFiles(warehouse.location);
      expect(filesAfter.length).toBe(filesBefore.length + 2);
    }
    await run("INSERT INTO pa (id, r, w) VALUES (7, 4, 'g')");
    expect(await rows('SELECT id, r, w, z FROM pa WHERE id = 7')).toEqual([[7, 4, 'g', 5]]);
  });

  it('keeps the partitioning clause in SHOW CREATE TABLE, as MySQL 8 does', async () => {
    await run('CREATE TABLE pc (id INT, r INT) PARTITION BY LIST (r) (PARTITION east VALUES IN (1, 2), PARTITION west VALUES IN (3, 4))');
    await run('ALTER TABLE pc ADD COLUMN note VARCHAR(5)');
    const text = await showCreate('pc');
    expect(text).toMatch(/^CREATE TABLE `pc` \(\n {2}`id` int DEFAULT NULL,\n {2}`r` int DEFAULT NULL,\n {2}`note` varchar\(5\) DEFAULT NULL\n\) ENGINE=DUCKSAFE /);
    expect(text).toMatch(/PARTITION BY LIST \(`r`\)/);
  });

  it('answers OPTIMIZE TABLE of a missing table with the rows MySQL gives', async () => {
    expect(await rows('OPTIMIZE TABLE nope')).toEqual([
      ['d.nope', 'optimize', 'Error', "Table 'd.nope' doesn't exist"],
      ['d.nope', 'optimize', 'status', 'Operation failed'],
    ]);
  });

  it('reads every altered, renamed and optimized table the same after a restart', async () => {
    // A table of this test's own, so that what it checks after the restart does not
    // depend on the outcome of the tests above.
    await run(
      'CREATE TABLE rs (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(10), n INT)',
      "INSERT INTO rs (name, n) VALUES ('a', 1), ('b', 2)",
      "INSERT INTO rs (name, n) VALUES ('c', 3)",
      "ALTER TABLE rs ADD COLUMN kind VARCHAR(5) NOT NULL DEFAULT 'old', ADD UNIQUE KEY u_name (name)",
      "ALTER TABLE rs ALTER COLUMN kind SET DEFAULT 'new', RENAME COLUMN n TO qty, AUTO_INCREMENT = 50",
      "INSERT INTO rs (name, qty) VALUES ('d', 4)",
      'ALTER TABLE rs DROP COLUMN qty, ADD COLUMN qty BIGINT NOT NULL',
      'RENAME TABLE rs TO rs_renamed',
      'OPTIMIZE TABLE rs_renamed',
      "INSERT INTO rs_renamed (name, qty) VALUES ('e', 5)",
    );
    const expected = [
      [1, 'a', 'old', 0],
      [2, 'b', 'old', 0],
      [3, 'c', 'old', 0],
      [50, 'd', 'new', 0],
      [51, 'e', 'new', 5],
    ];
    expect(await rows('SELECT id, name, kind, qty FROM rs_renamed ORDER BY id')).toEqual(expected);

    const snapshot = async (): Promise<Record<string, unknown>> => {
      const tables = (await rows('SHOW TABLES')).map((r) => String(r[0]));
      const out: Record<string, unknown> = {};
      for (const t of tables) {
        const columns = await rows(`SHOW FULL COLUMNS FROM \`${t}\``);
        const order = columns.map((_col, i) => i + 1).join(', ');
        out[t] = {
          create: await showCreate(`\`${t}\``),
          columns,
          rows: await rows(`SELECT * FROM \`${t}\` ORDER BY ${order}`),
        };
      }
      return out;
    };
    const before = await snapshot();
    expect(Object.keys(before)).toContain('rs_renamed');
    expect(Object.keys(before).length).toBeGreaterThan(10);

    await c.end();
    expect(await server.stop()).toBe(0);
    server = await warehouse.start();
    c = await connect();
    expect(await snapshot()).toEqual(before);

    // What the ALTERs set keeps working: names, defaults, keys, the counter.
    expect(await failure(c.query('SELECT * FROM rs'))).toMatchObject({ errno: 1146 });
    const [ins] = await c.query<ResultSetHeader>("INSERT INTO rs_renamed (name, qty) VALUES ('f', 6)");
    expect(ins.insertId).toBe(52);
    expect(await failure(c.query("INSERT INTO rs_renamed (name, qty) VALUES ('A', 7)"))).toMatchObject({
      errno: 1062,
      message: "Duplicate entry 'A' for key 'rs_renamed.u_name'",
    });
    expect(await rows('SELECT id, name, kind, qty FROM rs_renamed ORDER BY id')).toEqual([...expected, [52, 'f', 'new', 6]]);

    // A crash after more changes loses nothing committed either.
    await run("ALTER TABLE rs_renamed ADD COLUMN later VARCHAR(5) DEFAULT 'z', MODIFY qty INT", 'OPTIMIZE TABLE rs_renamed');
    const again = await snapshot();
    await c.end();
    await server.kill();
    server = await warehouse.start();
    c = await connect();
    expect(await snapshot()).toEqual(again);
    expect(await rows("SELECT count(*) FROM rs_renamed WHERE later = 'z'")).toEqual([[6]]);
    // Two restarts and three reads of every table: on S3 this takes far longer than one statement.
  }, 240_000);
});
