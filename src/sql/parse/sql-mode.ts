// The sql_mode flags that change how statement text reads (everything else in
// sql_mode is the engine's): ANSI_QUOTES makes "x" a name, PIPES_AS_CONCAT makes
// || concatenate, NO_BACKSLASH_ESCAPES makes \ an ordinary character in strings.
// ANSI (and its expansion) includes the first two, as in MySQL.

export interface SqlModeFlags {
  readonly ansiQuotes: boolean;
  readonly pipesAsConcat: boolean;
  readonly noBackslashEscapes: boolean;
}

export const DEFAULT_SQL_MODE_FLAGS: SqlModeFlags = { ansiQuotes: false, pipesAsConcat: false, noBackslashEscapes: false };

/** The flags of an sql_mode value (comma-separated, any case). */
export function sqlModeFlags(sqlMode: string): SqlModeFlags {
  const modes = new Set(sqlMode.toUpperCase().split(',').map((m) => m.trim()));
  const ansi = modes.has('ANSI');
  return { ansiQuotes: ansi || modes.has('ANSI_QUOTES'), pipesAsConcat: ansi || modes.has('PIPES_AS_CONCAT'), noBackslashEscapes: modes.has('NO_BACKSLASH_ESCAPES') };
}

/** The flags as sql_mode text, for what is stored with a view; '' when none is set. */
export function sqlModeText(flags: SqlModeFlags): string {
  const on: string[] = [];
  if (flags.ansiQuotes) on.push('ANSI_QUOTES');
  if (flags.pipesAsConcat) on.push('PIPES_AS_CONCAT');
  if (flags.noBackslashEscapes) on.push('NO_BACKSLASH_ESCAPES');
  return on.join(',');
}
