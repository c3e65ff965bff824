import { describe, expect, it } from 'vitest';
import { parseColumnType } from '../parse/index.js';
import { mysqlType } from './types.js';

/** Declared type → [how SHOW COLUMNS prints it, the DuckDB storage type]. */
const TYPES: readonly (readonly [string, string, string])[] = [
  ['TINYINT', 'tinyint', 'TINYINT'],
  ['TINYINT UNSIGNED', 'tinyint unsigned', 'UTINYINT'],
  ['TINYINT(1)', 'tinyint(1)', 'TINYINT'],
  ['BOOL', 'tinyint(1)', 'BOOLEAN'],
  ['BOOLEAN', 'tinyint(1)', 'BOOLEAN'],
  ['SMALLINT(6)', 'smallint', 'SMALLINT'],
  ['SMALLINT UNSIGNED', 'smallint unsigned', 'USMALLINT'],
  ['MEDIUMINT', 'mediumint', 'INTEGER'],
  ['MEDIUMINT UNSIGNED', 'mediumint unsigned', 'UINTEGER'],
  ['INT(11)', 'int', 'INTEGER'],
  ['INTEGER UNSIGNED', 'int unsigned', 'UINTEGER'],
  ['INT(5) ZEROFILL', 'int(5) unsigned zerofill', 'UINTEGER'],
  ['BIGINT ZEROFILL', 'bigint(20) unsigned zerofill', 'UBIGINT'],
  ['BIGINT', 'bigint', 'BIGINT'],
  ['BIGINT UNSIGNED', 'bigint unsigned', 'UBIGINT'],
  ['INT8', 'bigint', 'BIGINT'],
  ['DECIMAL', 'decimal(10,0)', 'DECIMAL(10,0)'],
  ['DECIMAL(5)', 'decimal(5,0)', 'DECIMAL(5,0)'],
  ['NUMERIC(12,4)', 'decimal(12,4)', 'DECIMAL(12,4)'],
  ['DEC(38,10)', 'decimal(38,10)', 'DECIMAL(38,10)'],
  ['FLOAT', 'float', 'FLOAT'],
  ['FLOAT(30)', 'double', 'DOUBLE'],
  ['FLOAT(7,4)', 'float(7,4)', 'FLOAT'],
  ['DOUBLE', 'double', 'DOUBLE'],
  ['DOUBLE PRECISION', 'double', 'DOUBLE'],
  ['REAL', 'double', 'DOUBLE'],
  ['BIT', 'bit(1)', 'UBIGINT'],
  ['BIT(64)', 'bit(64)', 'UBIGINT'],
  ['CHAR', 'char(1)', 'VARCHAR'],
  ['CHAR(10) CHARACTER SET utf8mb4', 'char(10)', 'VARCHAR'],
  ['NATIONAL CHAR(3)', 'char(3)', 'VARCHAR'],
  ['VARCHAR(255)', 'varchar(255)', 'VARCHAR'],
  ['CHARACTER VARYING(20)', 'varchar(20)', 'VARCHAR'],
  ['NVARCHAR(20)', 'varchar(20)', 'VARCHAR'],
  ['VARCHAR(20) BINARY', 'varchar(20)', 'VARCHAR'],
  ['TINYTEXT', 'tinytext', 'VARCHAR'],
  ['TEXT', 'text', 'VARCHAR'],
  ['MEDIUMTEXT', 'mediumtext', 'VARCHAR'],
  ['LONGTEXT', 'longtext', 'VARCHAR'],
  ['LONG VARCHAR', 'mediumtext', 'VARCHAR'],
  ['BINARY(16)', 'binary(16)', 'BLOB'],
  ['VARBINARY(255)', 'varbinary(255)', 'BLOB'],
  ['TINYBLOB', 'tinyblob', 'BLOB'],
  ['BLOB', 'blob', 'BLOB'],
  ['MEDIUMBLOB', 'mediumblob', 'BLOB'],
  ['LONGBLOB', 'longblob', 'BLOB'],
  ['LONG VARBINARY', 'mediumblob', 'BLOB'],
  ['DATE', 'date', 'DATE'],
  ['DATETIME', 'datetime', 'TIMESTAMP'],
  ['DATETIME(6)', 'datetime(6)', 'TIMESTAMP'],
  ['TIMESTAMP(3)', 'timestamp(3)', 'TIMESTAMP'],
  ['TIME', 'time', 'TIME'],
  ['TIME(6)', 'time(6)', 'TIME'],
  ['YEAR', 'year', 'SMALLINT'],
  ['YEAR(4)', 'year', 'SMALLINT'],
  ['JSON', 'json', 'JSON'],
  ["ENUM('small', 'it''s')", "enum('small','it''s')", 'VARCHAR'],
  ["SET('a','b')", "set('a','b')", 'VARCHAR'],
];

describe('MySQL column types', () => {
  for (const [declared, mysql, duck] of TYPES) {
    it(`${declared} shows as ${mysql} and is stored as ${duck}`, () => {
      const type = parseColumnType(declared);
      expect(type.mysql).toBe(mysql);
      expect(type.duck).toBe(duck);
      // What SHOW COLUMNS prints reads back as itself; only BOOLEAN's storage is not in the text.
      const reread = parseColumnType(type.mysql);
      expect(reread.mysql).toBe(mysql);
      expect(reread.duck).toBe(type.base === 'BOOLEAN' ? 'TINYINT' : duck);
    });
  }

  it('keeps the declared details the engine needs', () => {
    expect(parseColumnType('DECIMAL(10,2) UNSIGNED')).toEqual({
      base: 'DECIMAL',
      unsigned: true,
      length: 10,
      scale: 2,
      mysql: 'decimal(10,2) unsigned',
      duck: 'DECIMAL(10,2)',
    });
    expect(parseColumnType('DATETIME(3)')).toEqual({ base: 'DATETIME', unsigned: false, fsp: 3, mysql: 'datetime(3)', duck: 'TIMESTAMP' });
    expect(parseColumnType("ENUM('a','b')")).toMatchObject({ base: 'ENUM', values: ['a', 'b'] });
    expect(parseColumnType('VARCHAR(20)')).toMatchObject({ base: 'VARCHAR', length: 20 });
  });

  it('drops UNSIGNED where MySQL has no unsigned form', () => {
    expect(mysqlType({ base: 'VARCHAR', unsigned: true, zerofill: false, length: 3 })).toMatchObject({ unsigned: false, mysql: 'varchar(3)' });
  });

  it('refuses sizes DuckDB or MySQL cannot hold, naming the column', () => {
    expect(() => mysqlType({ base: 'DECIMAL', unsigned: false, zerofill: false, length: 65, scale: 2 }, 'price')).toThrow(
      expect.objectContaining({ code: 'ER_TOO_BIG_PRECISION', message: "Too-big precision 65 specified for 'price'. Maximum is 38." }),
    );
    expect(() => mysqlType({ base: 'DECIMAL', unsigned: false, zerofill: false, length: 5, scale: 6 }, 'p')).toThrow(
      expect.objectContaining({ code: 'ER_M_BIGGER_THAN_D', errno: 1427, sqlState: '42000', message: "For float(M,D), double(M,D) or decimal(M,D), M must be >= D (column 'p')." }),
    );
    expect(() => mysqlType({ base: 'DECIMAL', unsigned: false, zerofill: false, length: 38, scale: 31 }, 'p')).toThrow(
      expect.objectContaining({ code: 'ER_TOO_BIG_SCALE', errno: 1425, sqlState: '42000', message: "Too big scale 31 specified for column 'p'. Maximum is 30." }),
    );
    // MySQL looks at the scale before the precision.
    expect(() => mysqlType({ base: 'DECIMAL', unsigned: false, zerofill: false, length: 65, scale: 31 }, 'p')).toThrow(expect.objectContaining({ code: 'ER_TOO_BIG_SCALE' }));
    expect(() => mysqlType({ base: 'FLOAT', unsigned: false, zerofill: false, length: 4, scale: 5 }, 'f')).toThrow(expect.objectContaining({ code: 'ER_M_BIGGER_THAN_D' }));
    expect(() => mysqlType({ base: 'DOUBLE', unsigned: false, zerofill: false, length: 40, scale: 31 }, 'd')).toThrow(expect.objectContaining({ code: 'ER_TOO_BIG_SCALE' }));
    expect(() => mysqlType({ base: 'VARCHAR', unsigned: false, zerofill: false, length: 70000 }, 'v')).toThrow(expect.objectContaining({ code: 'ER_TOO_BIG_FIELDLENGTH' }));
    expect(() => mysqlType({ base: 'BIT', unsigned: false, zerofill: false, length: 65 }, 'b')).toThrow(expect.objectContaining({ code: 'ER_TOO_BIG_FIELDLENGTH' }));
    expect(() => mysqlType({ base: 'TIME', unsigned: false, zerofill: false, length: 9 }, 't')).toThrow(expect.objectContaining({ code: 'ER_TOO_BIG_PRECISION' }));
  });
});
