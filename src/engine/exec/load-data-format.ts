// LOAD DATA's reading of a text file into rows, by MySQL's rules: lines end
// with LINES TERMINATED BY (after an optional STARTING BY prefix; lines without
// it are skipped), fields end with FIELDS TERMINATED BY, a field may be wrapped
// in the ENCLOSED BY character (doubled inside to stand for itself), and the
// ESCAPED BY character introduces \0 \b \n \r \t \Z and \N (NULL).
import type { LoadDataFormat } from '../../sql/statement.js';

export type LoadedField = string | null;

const ESCAPES: Readonly<Record<string, string>> = { '0': '\0', b: '\b', n: '\n', r: '\r', t: '\t', Z: '\x1a' };

export function parseDelimited(text: string, f: LoadDataFormat): LoadedField[][] {
  const rows: LoadedField[][] = [];
  const { fieldsTerminatedBy: ft, linesTerminatedBy: lt, enclosedBy: enc, escapedBy: esc, linesStartingBy: start } = f;
  let i = 0;
  let skip = f.ignoreLines;
  const at = (s: string, pos: number): boolean => s !== '' && text.startsWith(s, pos);
  while (i < text.length) {
    if (start !== '') {
      const found = text.indexOf(start, i);
      if (found < 0) break;
      // A line without the prefix is skipped: find the prefix, on this line or a later one.
      i = found + start.length;
    }
    const row: LoadedField[] = [];
    let endOfLine = false;
    while (!endOfLine) {
      let value = '';
      let quoted = false;
      let sawEscapeN = false;
      if (enc !== '' && text[i] === enc) {
        quoted = true;
        i++;
        for (;;) {
          if (i >= text.length) break;
          const ch = text[i] ?? '';
          if (esc !== '' && ch === esc && i + 1 < text.length) {
            const next = text[i + 1] ?? '';
            value += ESCAPES[next] ?? next;
            i += 2;
            continue;
          }
          if (ch === enc) {
            if (text[i + 1] === enc) {
              value += enc;
              i += 2;
              continue;
            }
            // The closing character counts only before a terminator or the end.
            if (i + 1 >= text.length || at(ft, i + 1) || at(lt, i + 1)) {
              i++;
              break;
            }
          }
          value += ch;
          i++;
        }
      } else {
        for (;;) {
          if (i >= text.length || at(ft, i) || at(lt, i)) break;
          const ch = text[i] ?? '';
          if (esc !== '' && ch === esc && i + 1 < text.length) {
            const next = text[i + 1] ?? '';
            if (next === 'N' && value === '' && !sawEscapeN) sawEscapeN = true;
            else value += ESCAPES[next] ?? next;
            i += 2;
            continue;
          }
          value += ch;
          i++;
        }
      }
      // \N alone is NULL; followed by more text it was just an escaped N.
      const isNull = !quoted && ((sawEscapeN && value === '') || (!sawEscapeN && enc !== '' && value === 'NULL'));
      row.push(isNull ? null : sawEscapeN ? `N${value}` : value);
      if (at(ft, i)) {
        i += ft.length;
      } else {
        endOfLine = true;
        if (at(lt, i)) i += lt.length;
        else if (i < text.length) i++;
      }
    }
    if (skip > 0) {
      skip--;
      continue;
    }
    rows.push(row);
  }
  return rows;
}
