// A lexer just fine enough to find where statements end and where comments and
// quotes are: strings ('...' "..." with backslash escapes and doubled quotes),
// back-quoted names, -- and # line comments, /* */ comments, and MySQL's
// executable comments /*! ... */ and /*!80000 ... */, whose contents are SQL.
// ANSI_QUOTES makes "..." a name and NO_BACKSLASH_ESCAPES drops backslash escapes.
import { DEFAULT_SQL_MODE_FLAGS, type SqlModeFlags } from './sql-mode.js';

export const REGION_KINDS = ['code', 'string', 'quotedName', 'comment', 'executableOpen', 'executableClose'] as const;
export type RegionKind = (typeof REGION_KINDS)[number];

export interface Region {
  readonly kind: RegionKind;
  readonly start: number;
  readonly end: number;
  /** False for a quote or comment that runs to the end of the text. */
  readonly terminated: boolean;
  /** Inside an executable comment (its contents are code). */
  readonly executable: boolean;
}

/**
 * Executable comments carry a minimum server version (`/*!80000`); ducksafe runs
 * those written for MySQL 8 and earlier and ignores those for later versions.
 */
const MAX_EXECUTED_VERSION = 89999;

function isSpaceOrControl(ch: string | undefined): boolean {
  return ch === undefined || ch <= ' ';
}

/** The regions of `text` in order, produced lazily so that callers may stop early. */
export function* scanRegions(text: string, mode: SqlModeFlags = DEFAULT_SQL_MODE_FLAGS): Generator<Region, void, undefined> {
  let executable = false;
  let codeStart = 0;
  let i = 0;
  const pending: Region[] = [];
  /** Queues the code before `start`, then the region; `executable` is the state after it. */
  const push = (kind: RegionKind, start: number, end: number, terminated = true, after = executable) => {
    if (codeStart < start) pending.push({ kind: 'code', start: codeStart, end: start, terminated: true, executable });
    pending.push({ kind, start, end, terminated, executable: executable || after });
    executable = after;
    codeStart = end;
    i = end;
  };
  while (i < text.length) {
    const ch = text[i];
    const next = text[i + 1];
    if (ch === "'" || ch === '"' || ch === '`') {
      let j = i + 1;
      let terminated = false;
      while (j < text.length) {
        const c = text[j];
        if (c === '\\' && ch !== '`' && !mode.noBackslashEscapes && !(ch === '"' && mode.ansiQuotes)) {
          j += 2;
        } else if (c === ch) {
          if (text[j + 1] === ch) {
            j += 2;
          } else {
            j += 1;
            terminated = true;
            break;
          }
        } else {
          j += 1;
        }
      }
      push(ch === '`' || (ch === '"' && mode.ansiQuotes) ? 'quotedName' : 'string', i, Math.min(j, text.length), terminated);
    } else if (ch === '#' || (ch === '-' && next === '-' && isSpaceOrControl(text[i + 2]))) {
      const newline = text.indexOf('\n', i);
      push('comment', i, newline === -1 ? text.length : newline);
    } else if (ch === '/' && next === '*') {
      const version = /^\/\*!(\d{5,6})?/.exec(text.slice(i, i + 9));
      if (version !== null && !executable && (version[1] === undefined || Number(version[1]) <= MAX_EXECUTED_VERSION)) {
        push('executableOpen', i, i + version[0].length, true, true);
      } else {
        const close = text.indexOf('*/', i + 2);
        push('comment', i, close === -1 ? text.length : close + 2, close !== -1);
      }
    } else if (executable && ch === '*' && next === '/') {
      push('executableClose', i, i + 2, true, false);
    } else {
      i += 1;
    }
    if (pending.length > 0) yield* pending.splice(0);
  }
  if (codeStart < text.length) yield { kind: 'code', start: codeStart, end: text.length, terminated: true, executable };
}

/**
 * The text with executable-comment markers blanked out, so that their contents
 * parse as SQL. Offsets are kept (markers become spaces) for error positions.
 */
export function unwrapExecutableComments(text: string, mode: SqlModeFlags = DEFAULT_SQL_MODE_FLAGS): string {
  // Fast exit: most statements have no executable comment at all.
  if (!text.includes('/*!')) return text;
  const regions = [...scanRegions(text, mode)];
  if (!regions.some((r) => r.kind === 'executableOpen')) return text;
  return regions
    .map((r) => (r.kind === 'executableOpen' || r.kind === 'executableClose' ? ' '.repeat(r.end - r.start) : text.slice(r.start, r.end)))
    .join('');
}

/** Where an unterminated string, name or comment starts, if there is one. */
export function unterminatedAt(text: string, mode: SqlModeFlags = DEFAULT_SQL_MODE_FLAGS): number | undefined {
  for (const region of scanRegions(text, mode)) if (!region.terminated) return region.start;
  return undefined;
}

/** The first words of the statement's code, upper-cased, skipping comments. */
export function leadingWords(text: string, count: number): string[] {
  const words: string[] = [];
  for (const region of scanRegions(text)) {
    if (region.kind === 'comment' || region.kind === 'executableOpen' || region.kind === 'executableClose') continue;
    if (region.kind !== 'code') break;
    const code = text.slice(region.start, region.end);
    const pattern = /[^\s]+/g;
    for (let m = pattern.exec(code); m !== null; m = pattern.exec(code)) {
      const word = /^[A-Za-z_]+/.exec(m[0]);
      if (word === null) return words;
      words.push(word[0].toUpperCase());
      if (words.length === count || word[0].length < m[0].length) return words;
    }
  }
  return words;
}
