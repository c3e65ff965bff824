// How values and names are written in DuckDB SQL. Identifiers are always
// double-quoted and strings always single-quoted, so no MySQL spelling (backticks,
// "double-quoted strings", backslash escapes) can reach DuckDB unchanged.
import { sqlError } from '../../errors/registry.js';
import type { SqlValue } from '../statement.js';

/** DuckDB cannot quote NUL in a name; it only arises from a column named after a string literal, and is dropped. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('\0', '').replaceAll('"', '""')}"`;
}

/**
 * A DuckDB string literal. DuckDB strings cannot hold NUL in literal text, so a
 * value containing NUL becomes a concatenation with chr(0).
 */
export function quoteString(value: string): string {
  if (!value.includes('\0')) return `'${value.replaceAll("'", "''")}'`;
  const pieces = value.split('\0').map((piece) => `'${piece.replaceAll("'", "''")}'`);
  return `(${pieces.join(' || chr(0) || ')})`;
}

/**
 * The protocol layer keeps each byte of a statement that is not UTF-8 as the code
 * unit U+DC00 + byte (protocol/query-text.ts); a string literal holding one is bytes,
 * not text (PyMySQL writes BLOB parameters so).
 */
const RAW_BYTE = /(?<![\ud800-\udbff])[\udc80-\udcff]/;

/** The bytes a literal's value stands for when it holds raw (non-UTF-8) bytes, else undefined. */
export function rawBytesOf(value: string): Uint8Array | undefined {
  if (!RAW_BYTE.test(value)) return undefined;
  const parts: Buffer[] = [];
  let text = '';
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    const afterHighSurrogate = i > 0 && value.charCodeAt(i - 1) >= 0xd800 && value.charCodeAt(i - 1) <= 0xdbff;
    if (unit >= 0xdc80 && unit <= 0xdcff && !afterHighSurrogate) {
      parts.push(Buffer.from(text, 'utf8'), Buffer.of(unit - 0xdc00));
      text = '';
    } else {
      text += value[i] ?? '';
    }
  }
  parts.push(Buffer.from(text, 'utf8'));
  return Buffer.concat(parts);
}

export function hexOf(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A value supplied by the engine (variables, placeholders, session functions) as a DuckDB literal. */
export function valueLiteral(value: SqlValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'string') return quoteString(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Uint8Array) return `from_hex('${hexOf(value)}')`;
  if (typeof value === 'bigint') return value < 0n ? `(${value.toString()})` : value.toString();
  if (!Number.isFinite(value)) {
    throw sqlError('ER_WRONG_ARGUMENTS', `${String(value)} is not a value MySQL can represent`);
  }
  // Parenthesised so that `a - -1` can never print as the comment `a --1`.
  return value < 0 || Object.is(value, -0) ? `(${String(value)})` : String(value);
}
