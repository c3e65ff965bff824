// Checks and conversions that building every kind of statement shares.
import { sqlError } from '../../errors/registry.js';
import type { ObjectName, SqlValue } from '../statement.js';
import type { Expr, ObjectNameNode } from './ast.js';
import { rawBytesOf } from './literals.js';

const MAX_IDENTIFIER_LENGTH = 64;

export function notSupported(what: string): never {
  throw sqlError('ER_NOT_SUPPORTED_YET', `This version of ducksafe doesn't yet support '${what}'`);
}

export function checkIdentifier(name: string): void {
  if ([...name].length > MAX_IDENTIFIER_LENGTH) throw sqlError('ER_TOO_LONG_IDENT', `Identifier name '${name}' is too long`);
}

export function objectName(node: ObjectNameNode): ObjectName {
  checkIdentifier(node.name);
  if (node.db === undefined) return { name: node.name };
  checkIdentifier(node.db);
  return { db: node.db, name: node.name };
}

/** A constant written in DDL (DEFAULT, partition bounds) as the value it denotes. */
export function literalValue(e: Expr): SqlValue | undefined {
  switch (e.kind) {
    case 'number': {
      if (/^\d+$/.test(e.text)) {
        const n = BigInt(e.text);
        return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
      }
      // Kept as written: a decimal default such as 1.50 must not pass through a double.
      return /e/i.test(e.text) ? Number(e.text) : e.text;
    }
    case 'string': {
      // Bytes that are not UTF-8 (see literals.ts) make any string literal a byte string.
      const raw = rawBytesOf(e.value);
      if (raw !== undefined) return raw;
      return e.binary ? new TextEncoder().encode(e.value) : e.value;
    }
    case 'hex':
      return Uint8Array.from(e.digits.match(/../g) ?? [], (byte) => parseInt(byte, 16));
    case 'bit': {
      const n = e.digits === '' ? 0n : BigInt(`0b${e.digits}`);
      return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
    }
    case 'null':
      return null;
    case 'boolean':
      return e.value;
    case 'typedLiteral':
      return e.value;
    case 'unary': {
      if (e.op !== '-') return undefined;
      const value = literalValue(e.operand);
      if (typeof value === 'number') return -value;
      if (typeof value === 'bigint') return -value;
      if (typeof value === 'string' && /^[\d.]+$/.test(value)) return `-${value}`;
      return undefined;
    }
    default:
      return undefined;
  }
}
