// MySQL column types: how SHOW COLUMNS prints them (MySQL 8.0.19+ style, integer
// display widths dropped except tinyint(1)) and which DuckDB type stores them.
import { sqlError } from '../../errors/registry.js';
import type { ColumnType, MySqlBaseType } from '../statement.js';
import type { TypeSpec } from './ast.js';

/** DuckDB DECIMAL holds at most 38 digits (MySQL allows 65). */
export const MAX_DECIMAL_PRECISION = 38;
const MAX_DECIMAL_SCALE = 30;
const MAX_FSP = 6;
const MAX_CHAR_LENGTH = 255;
const MAX_VARCHAR_LENGTH = 65535;
const MAX_BIT_WIDTH = 64;

type TypeRule = (spec: TypeSpec, column: string) => Omit<ColumnType, 'base' | 'unsigned'>;

/** Signed and unsigned storage, and the display width MySQL gives ZEROFILL columns by default. */
const INTEGER_STORAGE = {
  TINYINT: ['TINYINT', 'UTINYINT', 3],
  SMALLINT: ['SMALLINT', 'USMALLINT', 5],
  MEDIUMINT: ['INTEGER', 'UINTEGER', 8],
  INT: ['INTEGER', 'UINTEGER', 10],
  BIGINT: ['BIGINT', 'UBIGINT', 20],
} as const;

function integerRule(base: keyof typeof INTEGER_STORAGE): TypeRule {
  return (spec) => {
    const [signedType, unsignedType, zerofillWidth] = INTEGER_STORAGE[base];
    const name = base.toLowerCase();
    // ZEROFILL is the one case where MySQL 8 still shows the display width.
    const width = spec.zerofill ? `(${spec.length ?? zerofillWidth})` : '';
    const suffix = `${spec.unsigned ? ' unsigned' : ''}${spec.zerofill ? ' zerofill' : ''}`;
    const mysql = base === 'TINYINT' && spec.length === 1 && !spec.zerofill ? `tinyint(1)${suffix}` : `${name}${width}${suffix}`;
    return withLength({ mysql, duck: spec.unsigned ? unsignedType : signedType }, spec.length);
  };
}

function withLength<T extends object>(type: T, length: number | undefined): T & { readonly length?: number } {
  return length === undefined ? type : { ...type, length };
}

function stringRule(base: 'CHAR' | 'VARCHAR' | 'BINARY' | 'VARBINARY'): TypeRule {
  return (spec, column) => {
    const length = spec.length ?? 1;
    const max = base === 'CHAR' || base === 'BINARY' ? MAX_CHAR_LENGTH : MAX_VARCHAR_LENGTH;
    if (length > max) {
      throw sqlError(
        'ER_TOO_BIG_FIELDLENGTH',
        `Column length too big for column '${column}' (max = ${max}); use BLOB or TEXT instead`,
      );
    }
    const duck = base === 'CHAR' || base === 'VARCHAR' ? 'VARCHAR' : 'BLOB';
    return { mysql: `${base.toLowerCase()}(${length})`, duck, length };
  };
}

function fixedRule(mysql: string, duck: string): TypeRule {
  return () => ({ mysql, duck });
}

function temporalRule(base: 'DATETIME' | 'TIMESTAMP' | 'TIME'): TypeRule {
  return (spec, column) => {
    const fsp = spec.length ?? 0;
    if (fsp > MAX_FSP) {
      throw sqlError('ER_TOO_BIG_PRECISION', `Too-big precision ${fsp} specified for '${column}'. Maximum is ${MAX_FSP}.`);
    }
    const name = base.toLowerCase();
    return { mysql: fsp > 0 ? `${name}(${fsp})` : name, duck: base === 'TIME' ? 'TIME' : 'TIMESTAMP', fsp };
  };
}

function approximateRule(base: 'FLOAT' | 'DOUBLE'): TypeRule {
  return (spec, column) => {
    const name = base.toLowerCase();
    const unsigned = spec.unsigned ? ' unsigned' : '';
    if (spec.length === undefined || spec.scale === undefined) return { mysql: `${name}${unsigned}`, duck: base };
    checkScale(spec.scale, column);
    checkPrecisionCoversScale(spec.length, spec.scale, column);
    return { mysql: `${name}(${spec.length},${spec.scale})${unsigned}`, duck: base, length: spec.length, scale: spec.scale };
  };
}

function checkScale(scale: number, column: string): void {
  if (scale > MAX_DECIMAL_SCALE) {
    throw sqlError('ER_TOO_BIG_SCALE', `Too big scale ${scale} specified for column '${column}'. Maximum is ${MAX_DECIMAL_SCALE}.`);
  }
}

function checkPrecisionCoversScale(precision: number, scale: number, column: string): void {
  if (scale > precision) {
    throw sqlError('ER_M_BIGGER_THAN_D', `For float(M,D), double(M,D) or decimal(M,D), M must be >= D (column '${column}').`);
  }
}

function quoteMember(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function membersRule(base: 'ENUM' | 'SET'): TypeRule {
  return (spec) => {
    const values = spec.values ?? [];
    return { mysql: `${base.toLowerCase()}(${values.map(quoteMember).join(',')})`, duck: 'VARCHAR', values };
  };
}

const TYPE_RULES: Record<MySqlBaseType, TypeRule> = {
  TINYINT: integerRule('TINYINT'),
  SMALLINT: integerRule('SMALLINT'),
  MEDIUMINT: integerRule('MEDIUMINT'),
  INT: integerRule('INT'),
  BIGINT: integerRule('BIGINT'),
  DECIMAL: (spec, column) => {
    const precision = spec.length ?? 10;
    const scale = spec.scale ?? 0;
    // MySQL's order: the scale, then the precision, then the one against the other.
    checkScale(scale, column);
    if (precision > MAX_DECIMAL_PRECISION) {
      throw sqlError(
        'ER_TOO_BIG_PRECISION',
        `Too-big precision ${precision} specified for '${column}'. Maximum is ${MAX_DECIMAL_PRECISION}.`,
      );
    }
    checkPrecisionCoversScale(precision, scale, column);
    const unsigned = spec.unsigned ? ' unsigned' : '';
    return { mysql: `decimal(${precision},${scale})${unsigned}`, duck: `DECIMAL(${precision},${scale})`, length: precision, scale };
  },
  FLOAT: approximateRule('FLOAT'),
  DOUBLE: approximateRule('DOUBLE'),
  BIT: (spec, column) => {
    const width = spec.length ?? 1;
    if (width < 1 || width > MAX_BIT_WIDTH) {
      throw sqlError('ER_TOO_BIG_FIELDLENGTH', `Column length too big for column '${column}' (max = ${MAX_BIT_WIDTH}); use BLOB or TEXT instead`);
    }
    return { mysql: `bit(${width})`, duck: 'UBIGINT', length: width };
  },
  BOOLEAN: () => ({ mysql: 'tinyint(1)', duck: 'BOOLEAN', length: 1 }),
  CHAR: stringRule('CHAR'),
  VARCHAR: stringRule('VARCHAR'),
  TINYTEXT: fixedRule('tinytext', 'VARCHAR'),
  TEXT: fixedRule('text', 'VARCHAR'),
  MEDIUMTEXT: fixedRule('mediumtext', 'VARCHAR'),
  LONGTEXT: fixedRule('longtext', 'VARCHAR'),
  BINARY: stringRule('BINARY'),
  VARBINARY: stringRule('VARBINARY'),
  TINYBLOB: fixedRule('tinyblob', 'BLOB'),
  BLOB: fixedRule('blob', 'BLOB'),
  MEDIUMBLOB: fixedRule('mediumblob', 'BLOB'),
  LONGBLOB: fixedRule('longblob', 'BLOB'),
  DATE: fixedRule('date', 'DATE'),
  DATETIME: temporalRule('DATETIME'),
  TIMESTAMP: temporalRule('TIMESTAMP'),
  TIME: temporalRule('TIME'),
  YEAR: fixedRule('year', 'SMALLINT'),
  JSON: fixedRule('json', 'JSON'),
  ENUM: membersRule('ENUM'),
  SET: membersRule('SET'),
};

/** Types whose unsigned flag MySQL keeps (integers, decimals, floats). */
const NUMERIC_BASES: ReadonlySet<MySqlBaseType> = new Set(['TINYINT', 'SMALLINT', 'MEDIUMINT', 'INT', 'BIGINT', 'DECIMAL', 'FLOAT', 'DOUBLE']);

/**
 * The ColumnType of a declared MySQL type. `column` names the column in error
 * messages (ER_TOO_BIG_PRECISION, ER_TOO_BIG_SCALE, ER_M_BIGGER_THAN_D, ER_TOO_BIG_FIELDLENGTH).
 */
export function mysqlType(spec: TypeSpec, column = ''): ColumnType {
  const unsigned = spec.unsigned && NUMERIC_BASES.has(spec.base);
  const rule = TYPE_RULES[spec.base];
  return { base: spec.base, unsigned, ...rule({ ...spec, unsigned }, column) };
}

/** True for the types MySQL refuses a literal DEFAULT on (ER_BLOB_CANT_HAVE_DEFAULT). */
export function isBlobLike(base: MySqlBaseType): boolean {
  return ['TINYTEXT', 'TEXT', 'MEDIUMTEXT', 'LONGTEXT', 'TINYBLOB', 'BLOB', 'MEDIUMBLOB', 'LONGBLOB', 'JSON'].includes(base);
}
