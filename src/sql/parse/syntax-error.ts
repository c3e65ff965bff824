// ER_PARSE_ERROR in MySQL's words: the text from the offending token on (at most
// 80 characters) and the line it is on.
import { sqlError, type SqlError } from '../../errors/registry.js';

const NEAR_LENGTH = 80;

export function syntaxError(text: string, offset: number, cause?: unknown): SqlError {
  let at = Math.min(Math.max(offset, 0), text.length);
  while (at < text.length && /\s/.test(text[at] ?? '')) at++;
  const near = [...text.slice(at)].slice(0, NEAR_LENGTH).join('');
  const line = text.slice(0, at).split('\n').length;
  return sqlError(
    'ER_PARSE_ERROR',
    `You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near '${near}' at line ${line}`,
    cause,
  );
}
