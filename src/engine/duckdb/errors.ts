// DuckDB error messages -> MySQL errors, by their "<Kind> Error:" prefix and a
// few well-known shapes. Anything unrecognised becomes ER_UNKNOWN_ERROR (1105)
// with DuckDB's message, which is still more useful to a user than a stack.
import { sqlError, isSqlError, type SqlError } from '../../errors/registry.js';

const PREFIX = /^([A-Za-z ]+) Error: ?/;

function firstLine(message: string): string {
  const nl = message.indexOf('\n');
  return (nl < 0 ? message : message.slice(0, nl)).trim();
}

export function duckErrorToSql(err: unknown): SqlError {
  if (isSqlError(err)) return err;
  const raw = err instanceof Error ? err.message : String(err);
  const m = PREFIX.exec(raw);
  const kind = m?.[1]?.toLowerCase() ?? '';
  const body = firstLine(m === null ? raw : raw.slice(m[0].length));

  let match: RegExpExecArray | null;
  switch (kind) {
    case 'parser':
      return sqlError('ER_PARSE_ERROR', `You have an error in your SQL syntax: ${body}`, err);
    case 'interrupt':
      return sqlError('ER_QUERY_INTERRUPTED', 'Query execution was interrupted', err);
    case 'binder':
      if ((match = /Referenced column "([^"]+)" not found/.exec(body)) !== null ||
          (match = /Values list "[^"]*" does not have a column named "([^"]+)"/.exec(body)) !== null ||
          (match = /column "?([^" ]+)"? (?:must appear|not found)/i.exec(body)) !== null && /not found/i.test(body)) {
        return sqlError('ER_BAD_FIELD_ERROR', `Unknown column '${match[1] ?? ''}' in 'field list'`, err);
      }
      if ((match = /Ambiguous reference to column name "([^"]+)"/.exec(body)) !== null) {
        return sqlError('ER_NON_UNIQ_ERROR', `Column '${match[1] ?? ''}' in field list is ambiguous`, err);
      }
      if ((match = /must appear in the GROUP BY clause/.exec(body)) !== null) {
        return sqlError('ER_WRONG_FIELD_WITH_GROUP', body, err);
      }
      if ((match = /Scalar Function with name ([^ ]+) does not exist/i.exec(body)) !== null ||
          (match = /Function with name ([^ ]+) does not exist/i.exec(body)) !== null) {
        return sqlError('ER_SP_DOES_NOT_EXIST', `FUNCTION ${match[1] ?? ''} does not exist`, err);
      }
      if (/No function matches the given name and argument types/.test(body)) {
        return sqlError('ER_WRONG_ARGUMENTS', `Incorrect arguments: ${body}`, err);
      }
      if (/aggregate function calls cannot be nested|WHERE clause cannot contain aggregates/i.test(body)) {
        return sqlError('ER_INVALID_GROUP_FUNC_USE', 'Invalid use of group function', err);
      }
      return sqlError('ER_UNKNOWN_ERROR', body, err);
    case 'catalog':
      if ((match = /Scalar Function with name "?([^ "]+)"? does not exist/i.exec(body)) !== null ||
          (match = /Function with name "?([^ "]+)"? does not exist/i.exec(body)) !== null ||
          (match = /Table Function with name "?([^ "]+)"? does not exist/i.exec(body)) !== null) {
        return sqlError('ER_SP_DOES_NOT_EXIST', `FUNCTION ${match[1] ?? ''} does not exist`, err);
      }
      return sqlError('ER_UNKNOWN_ERROR', body, err);
    case 'conversion':
      if (/Failure in decode: could not convert blob to UTF8/.test(body)) {
        return sqlError('ER_TRUNCATED_WRONG_VALUE_FOR_FIELD', 'Incorrect string value: the bytes are not valid utf8mb4', err);
      }
      if ((match = /Could not convert string '([^']*)' to (\w+)/.exec(body)) !== null) {
        return sqlError('ER_TRUNCATED_WRONG_VALUE', `Truncated incorrect ${match[2] ?? ''} value: '${match[1] ?? ''}'`, err);
      }
      if (/out of range|overflow/i.test(body)) return sqlError('ER_WARN_DATA_OUT_OF_RANGE', `Out of range value: ${body}`, err);
      return sqlError('ER_TRUNCATED_WRONG_VALUE', `Incorrect value: ${body}`, err);
    case 'out of range':
      return sqlError('ER_WARN_DATA_OUT_OF_RANGE', `Out of range value: ${body}`, err);
    case 'invalid input':
      // error('Division by 0'): a strict data change divided a value by zero (PrintContext.strictDivision).
      if (body === 'Division by 0') return sqlError('ER_DIVISION_BY_ZERO', body, err);
      return sqlError('ER_WRONG_ARGUMENTS', body, err);
    case 'invalid type':
      return sqlError('ER_WRONG_ARGUMENTS', body, err);
    case 'constraint':
      if (/NOT NULL constraint failed: ([^.]+)\.(.+)/.test(body)) {
        const col = /NOT NULL constraint failed: [^.]+\.(.+)/.exec(body)?.[1] ?? '';
        return sqlError('ER_BAD_NULL_ERROR', `Column '${col}' cannot be null`, err);
      }
      return sqlError('ER_DUP_ENTRY', body, err);
    case 'io':
      return sqlError('ER_FILE_NOT_FOUND', `Storage read failed: ${body}`, err);
    case 'out of memory':
      return sqlError('ER_UNKNOWN_ERROR', `Out of memory: ${body}`, err);
    default:
      return sqlError('ER_UNKNOWN_ERROR', body === '' ? 'Unknown error' : body, err);
  }
}
