// Text of one statement → Statement: classify, parse with the grammar, build.
import { sqlError } from '../../errors/registry.js';
import type { ColumnType, Statement } from '../statement.js';
import type { StatementNode } from '../translate/ast.js';
import { buildStatement } from '../translate/build-statement.js';
import { mysqlType } from '../translate/types.js';
import { classify } from './classify.js';
import { parse, SyntaxError as GrammarError } from './generated/mysql-parser.js';
import { unterminatedAt, unwrapExecutableComments } from './sql-scanner.js';
import { syntaxError } from './syntax-error.js';
import { DEFAULT_SQL_MODE_FLAGS, type SqlModeFlags } from './sql-mode.js';

function runGrammar<T>(text: string, sql: string, run: (sql: string) => T, mode: SqlModeFlags = DEFAULT_SQL_MODE_FLAGS): T {
  try {
    return run(sql);
  } catch (err) {
    // The parser recurses once per nesting level; hundreds of levels exhaust the stack.
    if (err instanceof RangeError) {
      throw sqlError('ER_STACK_OVERRUN_NEED_MORE', 'Thread stack overrun: the statement nests too deeply to be parsed', err);
    }
    if (!(err instanceof GrammarError)) throw err;
    // An unterminated quote or comment is where MySQL's lexer stops, unless an earlier error stopped the parse.
    const unterminated = unterminatedAt(text, mode);
    const offset = unterminated !== undefined && unterminated <= err.location.start.offset ? unterminated : err.location.start.offset;
    throw syntaxError(text, offset, err);
  }
}

/**
 * One statement (a trailing `;` is allowed). Throws SqlError: ER_EMPTY_QUERY for
 * nothing but whitespace and comments, ER_PARSE_ERROR with MySQL's message for a
 * syntax error, ER_NOT_SUPPORTED_YET for MySQL statements ducksafe lacks, and the
 * errors MySQL raises while checking DDL (ER_DUP_FIELDNAME, ER_TOO_BIG_PRECISION, ...).
 */
export function parseStatement(text: string, mode: SqlModeFlags = DEFAULT_SQL_MODE_FLAGS): Statement {
  const sql = unwrapExecutableComments(text, mode);
  const route = classify(sql);
  switch (route.kind) {
    case 'empty':
      throw sqlError('ER_EMPTY_QUERY', 'Query was empty');
    case 'unsupported':
      throw sqlError('ER_NOT_SUPPORTED_YET', `This version of ducksafe doesn't yet support '${route.what}'`);
    case 'grammar':
      break;
  }
  const paramOffsets = new Set<number>();
  const node: StatementNode = runGrammar(text, sql, (input) => parse(input, { startRule: 'Statement', paramOffsets, ...mode }), mode);
  return buildStatement(node, paramOffsets);
}

/**
 * A column type as MySQL writes it (`int unsigned`, `varchar(20)`, `decimal(10,2)`).
 * The `mysql` text of a ColumnType reads back to the same text and storage,
 * except BOOLEAN: it prints as `tinyint(1)`, which reads back as a TINYINT.
 */
export function parseColumnType(text: string): ColumnType {
  return mysqlType(runGrammar(text, text, (input) => parse(input, { startRule: 'ColumnTypeOnly' })));
}
