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
 * Bytes of a statement's text that are not UTF-8 reach sql/ as lone surrogates
 * U+DC80..U+DCFF, one per byte (protocol/messages/command.ts decodes them so), so
 * that a `_binary'...'` literal keeps the exact bytes the client sent: Connector/J
 * sends setBytes() that way when it prepares statements itself.
 */
const RAW_BYTE = /[\uDC80-\uDCFF]/;

export function hasRawBytes(text: string): boolean {
  return RAW_BYTE.test(text);
}

/** A string literal's bytes: UTF-8, with each raw byte (see hasRawBytes) as itself. */
export function textBytes(text: string): Uint8Array {
  const encoder = new TextEncoder();
  if (!hasRawBytes(text)) return encoder.encode(text);
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code >= 0xdc80 && code <= 0xdcff) out.push(code - 0xdc00);
    else out.push(...encoder.encode(ch));
  }
  return Uint8Array.from(out);
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
