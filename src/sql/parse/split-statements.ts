// Splits one COM_QUERY text into statements on top-level semicolons.
import { scanRegions } from './sql-scanner.js';
import { DEFAULT_SQL_MODE_FLAGS, type SqlModeFlags } from './sql-mode.js';

/**
 * The statements of a multi-statement query, each without its `;` and trimmed.
 * Semicolons inside strings, quoted names, comments and executable comments do
 * not split. Trailing pieces that hold nothing but whitespace and comments are
 * dropped; an empty piece between two semicolons is kept (MySQL answers it with
 * ER_EMPTY_QUERY). Whitespace-only input gives [].
 */
export function splitStatements(text: string, mode: SqlModeFlags = DEFAULT_SQL_MODE_FLAGS): string[] {
  const pieces: { text: string; empty: boolean }[] = [];
  let start = 0;
  let empty = true;
  for (const region of scanRegions(text, mode)) {
    if (region.kind !== 'code') {
      if (region.kind !== 'comment') empty = false;
      continue;
    }
    for (let i = region.start; i < region.end; i++) {
      const ch = text[i] ?? '';
      if (ch === ';' && !region.executable) {
        pieces.push({ text: text.slice(start, i).trim(), empty });
        start = i + 1;
        empty = true;
      } else if (ch.trim() !== '') {
        empty = false;
      }
    }
  }
  pieces.push({ text: text.slice(start).trim(), empty });
  while (pieces.length > 0 && pieces[pieces.length - 1]?.empty === true) pieces.pop();
  return pieces.map((p) => p.text);
}
