import { describe, expect, it } from 'vitest';
import { splitStatements } from './split-statements.js';
import { sqlModeFlags } from './sql-mode.js';

describe('splitStatements', () => {
  it('splits on top-level semicolons and trims each statement', () => {
    expect(splitStatements('SELECT 1;  SELECT 2 ;\n SELECT 3')).toEqual(['SELECT 1', 'SELECT 2', 'SELECT 3']);
  });

  it('takes a statement without a semicolon whole', () => {
    expect(splitStatements('  SELECT 1  ')).toEqual(['SELECT 1']);
  });

  it('gives nothing for empty or whitespace-only input', () => {
    expect(splitStatements('')).toEqual([]);
    expect(splitStatements(' \n\t ')).toEqual([]);
  });

  it('drops trailing pieces that hold only whitespace and comments', () => {
    expect(splitStatements('SELECT 1;  \n')).toEqual(['SELECT 1']);
    expect(splitStatements('SELECT 1; -- done')).toEqual(['SELECT 1']);
    expect(splitStatements('SELECT 1; /* done */ ;  # really')).toEqual(['SELECT 1']);
    expect(splitStatements('-- only a comment')).toEqual([]);
  });

  it('keeps an empty statement between two semicolons (MySQL answers it with ER_EMPTY_QUERY)', () => {
    expect(splitStatements('SELECT 1;;SELECT 2')).toEqual(['SELECT 1', '', 'SELECT 2']);
    expect(splitStatements('SELECT 1; /* nothing */ ; SELECT 2')).toEqual(['SELECT 1', '/* nothing */', 'SELECT 2']);
  });

  it('gives nothing for a lone semicolon (every piece is an empty trailing one)', () => {
    expect(splitStatements(';')).toEqual([]);
  });

  it('does not split inside single- or double-quoted strings', () => {
    expect(splitStatements(`SELECT 'a;b'; SELECT "c;d"`)).toEqual([`SELECT 'a;b'`, `SELECT "c;d"`]);
  });

  it('knows backslash escapes and doubled quotes inside strings', () => {
    expect(splitStatements(`SELECT 'it\\'s; fine'; SELECT 2`)).toEqual([`SELECT 'it\\'s; fine'`, 'SELECT 2']);
    expect(splitStatements(`SELECT 'it''s;'; SELECT "say ""hi;"""; SELECT 3`)).toEqual([`SELECT 'it''s;'`, `SELECT "say ""hi;"""`, 'SELECT 3']);
    expect(splitStatements(`SELECT '\\\\'; SELECT 2`)).toEqual([`SELECT '\\\\'`, 'SELECT 2']);
  });

  it('does not split inside back-quoted names, where a backslash is an ordinary character', () => {
    expect(splitStatements('SELECT `a;b` FROM t; SELECT 2')).toEqual(['SELECT `a;b` FROM t', 'SELECT 2']);
    expect(splitStatements('SELECT 1 AS `a\\`; SELECT 2')).toEqual(['SELECT 1 AS `a\\`', 'SELECT 2']);
    expect(splitStatements('SELECT 1 AS `a``;b`; SELECT 2')).toEqual(['SELECT 1 AS `a``;b`', 'SELECT 2']);
  });

  it('does not split inside -- and # line comments', () => {
    expect(splitStatements('SELECT 1 -- a;b\n; SELECT 2')).toEqual(['SELECT 1 -- a;b', 'SELECT 2']);
    expect(splitStatements('SELECT 1 # a;b\n; SELECT 2')).toEqual(['SELECT 1 # a;b', 'SELECT 2']);
  });

  it('reads -- without a following space as two minus signs, as MySQL does', () => {
    expect(splitStatements('SELECT 1--1; SELECT 2')).toEqual(['SELECT 1--1', 'SELECT 2']);
  });

  it('does not split inside /* */ comments', () => {
    expect(splitStatements('SELECT /* ; */ 1; SELECT 2')).toEqual(['SELECT /* ; */ 1', 'SELECT 2']);
  });

  it('keeps executable comments, whose contents MySQL runs, in the statement text', () => {
    expect(splitStatements('/*!40101 SET NAMES utf8mb4 */; /*!SET @a = 1 */;')).toEqual(['/*!40101 SET NAMES utf8mb4 */', '/*!SET @a = 1 */']);
    expect(splitStatements(`/*!40000 SELECT ';*/' */; SELECT 2`)).toEqual([`/*!40000 SELECT ';*/' */`, 'SELECT 2']);
  });

  it('splits a mysqldump preamble', () => {
    const dump = [
      '/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;',
      '/*!50503 SET NAMES utf8mb4 */;',
      'DROP TABLE IF EXISTS `t`;',
      "INSERT INTO `t` VALUES (1,'a;b'),(2,'c\\'d');",
    ].join('\n');
    expect(splitStatements(dump)).toEqual([
      '/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */',
      '/*!50503 SET NAMES utf8mb4 */',
      'DROP TABLE IF EXISTS `t`',
      "INSERT INTO `t` VALUES (1,'a;b'),(2,'c\\'d')",
    ]);
  });

  it('leaves an unterminated string to the parser, whole', () => {
    expect(splitStatements("SELECT 'abc; SELECT 2")).toEqual(["SELECT 'abc; SELECT 2"]);
  });

  it('follows sql_mode: a backslash ends no string under NO_BACKSLASH_ESCAPES, and "..." is a name under ANSI_QUOTES', () => {
    const text = "SELECT 'C:\\'; SELECT 2";
    expect(splitStatements(text)).toEqual([text]);
    expect(splitStatements(text, sqlModeFlags('NO_BACKSLASH_ESCAPES'))).toEqual(["SELECT 'C:\\'", 'SELECT 2']);
    const quoted = 'SELECT "a\\"; SELECT 3';
    expect(splitStatements(quoted, sqlModeFlags('ANSI'))).toEqual(['SELECT "a\\"', 'SELECT 3']);
  });
});
