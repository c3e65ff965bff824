import { describe, expect, it } from 'vitest';
import type { LoadDataFormat } from '../../sql/statement.js';
import { parseDelimited } from './load-data-format.js';

const TSV: LoadDataFormat = { fieldsTerminatedBy: '\t', enclosedBy: '', optionallyEnclosed: false, escapedBy: '\\', linesStartingBy: '', linesTerminatedBy: '\n', ignoreLines: 0 };
const CSV: LoadDataFormat = { ...TSV, fieldsTerminatedBy: ',', enclosedBy: '"', optionallyEnclosed: true, linesTerminatedBy: '\r\n' };

describe('parseDelimited', () => {
  it('reads MySQL default tab-separated text with escapes and \\N', () => {
    expect(parseDelimited('1\ta\\tb\t\\N\n2\tline\\nbreak\t\n3\t\\Nx\t\n', TSV)).toEqual([
      ['1', 'a\tb', null],
      ['2', 'line\nbreak', ''],
      ['3', 'Nx', ''],
    ]);
  });

  it('reads enclosed CSV: separators and doubled quotes inside quotes, NULL, a last line without terminator', () => {
    expect(parseDelimited('id,name,note\r\n1,"Smith, J","say ""hi"""\r\n2,plain,NULL\r\n3,"",x', { ...CSV, ignoreLines: 1 })).toEqual([
      ['1', 'Smith, J', 'say "hi"'],
      ['2', 'plain', null],
      ['3', '', 'x'],
    ]);
  });

  it('keeps a quote that is not followed by a terminator, and a quoted "NULL" as text', () => {
    expect(parseDelimited('"a"b",c\n"NULL",\\N\n', { ...CSV, linesTerminatedBy: '\n' })).toEqual([
      ['a"b', 'c'],
      ['NULL', null],
    ]);
  });

  it('skips lines without the STARTING BY prefix and takes the text after it', () => {
    expect(parseDelimited('xxx|1|a\nnoise\n|2|b\n', { ...TSV, fieldsTerminatedBy: '|', linesStartingBy: '|' })).toEqual([
      ['1', 'a'],
      ['2', 'b'],
    ]);
  });

  it('reads with no escape character and multi-character terminators', () => {
    expect(parseDelimited('a\\b::c;;d::e;;', { ...TSV, escapedBy: '', fieldsTerminatedBy: '::', linesTerminatedBy: ';;' })).toEqual([
      ['a\\b', 'c'],
      ['d', 'e'],
    ]);
  });
});
