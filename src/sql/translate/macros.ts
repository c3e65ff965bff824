// MySQL functions too long to print inline, as DuckDB macros. The engine creates
// them once in its DuckDB instance (engine/duckdb); the printer calls them by name.
// Pure SQL text here, so that sql/ stays free of I/O and tests can create them too.

/** MySQL's soundex table for A..Z ('0' = not coded: vowels, H, W, Y). */
const SOUNDEX_CODES = '01230120022455012623010202';
const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const U64 = '18446744073709551616';

export const DUCKDB_MACROS: readonly string[] = [
  // SOUNDEX: the first letter, then the codes of the others with zeros dropped and
  // repeats collapsed (a vowel does not separate repeats: MySQL remembers only the
  // last code written), padded to 4 but never cut.
  `CREATE OR REPLACE MACRO mysql_soundex_runs(z) AS array_to_string(list_filter(string_split(z, ''), (c, i) -> i = 1 OR c <> z[i - 1]), '')`,
  `CREATE OR REPLACE MACRO mysql_soundex_of(letters, codes) AS CASE WHEN letters = '' THEN '' ELSE
    left(letters, 1) || mysql_soundex_runs(replace(codes, '0', ''))[CASE WHEN left(codes, 1) <> '0' THEN 2 ELSE 1 END:] END`,
  `CREATE OR REPLACE MACRO mysql_soundex_pad(r) AS CASE WHEN r <> '' AND length(r) < 4 THEN rpad(r, 4, '0') ELSE r END`,
  `CREATE OR REPLACE MACRO mysql_soundex(s) AS mysql_soundex_pad(mysql_soundex_of(regexp_replace(upper(s), '[^A-Z]', '', 'g'),
    translate(regexp_replace(upper(s), '[^A-Z]', '', 'g'), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', '${SOUNDEX_CODES}')))`,
  // CONV(s, from, to): the longest prefix of s that is a number in base |from| (an
  // optional sign first), as an unsigned 64-bit value (saturating, negatives wrap),
  // written in base |to|, signed when to < 0. Bases outside 2..36 give NULL.
  `CREATE OR REPLACE MACRO mysql_conv_digits(s) AS list_transform(string_split(upper(s), ''), c -> instr('${DIGITS}', c) - 1)`,
  `CREATE OR REPLACE MACRO mysql_conv_value(ds, base) AS list_reduce(
    ds[1:coalesce(list_position(list_transform(ds, d -> d < 0 OR d >= base), true) - 1, len(ds))],
    (acc, d) -> least(acc * base + d, CAST(${U64} AS HUGEINT) - 1), CAST(0 AS HUGEINT))`,
  `CREATE OR REPLACE MACRO mysql_conv_parse(t, base) AS CASE WHEN left(t, 1) = '-'
    THEN (CAST(${U64} AS HUGEINT) - mysql_conv_value(mysql_conv_digits(t[2:]), base)) % CAST(${U64} AS HUGEINT)
    ELSE mysql_conv_value(mysql_conv_digits(CASE WHEN left(t, 1) = '+' THEN t[2:] ELSE t END), base) END`,
  `CREATE OR REPLACE MACRO mysql_conv_write(u, base) AS CASE WHEN u < CAST(9223372036854775808 AS HUGEINT)
    THEN to_base(CAST(u AS BIGINT), base)
    ELSE to_base(CAST(u // base AS BIGINT), base) || to_base(CAST(u % base AS BIGINT), base) END`,
  `CREATE OR REPLACE MACRO mysql_conv_out(u, tb) AS CASE WHEN tb < 0 AND u >= CAST(9223372036854775808 AS HUGEINT)
    THEN '-' || mysql_conv_write(CAST(${U64} AS HUGEINT) - u, -tb)
    ELSE mysql_conv_write(u, abs(tb)) END`,
  `CREATE OR REPLACE MACRO mysql_conv(s, fb, tb) AS CASE
    WHEN abs(fb) NOT BETWEEN 2 AND 36 OR abs(tb) NOT BETWEEN 2 AND 36 THEN NULL
    ELSE mysql_conv_out(mysql_conv_parse(ltrim(s), abs(fb)), tb) END`,
  // GROUP_CONCAT(DISTINCT ...) under a case- and accent-insensitive collation (DuckDB
  // compares exactly inside aggregates). Of a list sorted so that equal values are
  // neighbours, the first of each run; of any other list, each value's first
  // occurrence (quadratic, for the rare ORDER BY of another expression).
  `CREATE OR REPLACE MACRO mysql_distinct_runs(l) AS list_filter(l, (v, i) -> i = 1 OR lower(strip_accents(v)) <> lower(strip_accents(l[i - 1])))`,
  `CREATE OR REPLACE MACRO mysql_distinct_first(l) AS list_filter(l, (v, i) ->
    NOT list_contains(list_transform(l[1:i - 1], w -> lower(strip_accents(w))), lower(strip_accents(v))))`,
  // GROUP_CONCAT of a list: NULL when no value was kept.
  `CREATE OR REPLACE MACRO mysql_group_concat(l, sep) AS CASE WHEN len(l) = 0 THEN NULL ELSE array_to_string(l, sep) END`,
];
