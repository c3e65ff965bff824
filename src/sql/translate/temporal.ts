// MySQL date and time semantics written as DuckDB SQL: intervals, DATE_FORMAT /
// STR_TO_DATE format letters, WEEK()/YEARWEEK() modes, TIMESTAMPDIFF, NOW(fsp).
// Every function takes and returns SQL text; the caller has already printed its
// arguments.
import { sqlError } from '../../errors/registry.js';
import type { IntervalUnit } from './ast.js';
import { quoteString } from './literals.js';

export type TemporalType = 'DATE' | 'TIME' | 'TIMESTAMP';

/** The temporal type a MySQL date/time string denotes ('2024-01-07', '10:00:00', '2024-01-07 10:00'). */
export function temporalTypeOf(value: string): TemporalType {
  const v = value.trim();
  if (/^\d{4}-\d{1,2}-\d{1,2}$/.test(v)) return 'DATE';
  if (/^-?\d{1,3}:\d{1,2}(:\d{1,2}(\.\d+)?)?$/.test(v)) return 'TIME';
  return 'TIMESTAMP';
}

// ---------------------------------------------------------------- now

const FSP_TRUNCATION: Readonly<Record<number, string>> = { 0: 'second', 3: 'millisecond' };

/** A timestamp truncated to `fsp` fractional digits, as MySQL's NOW(fsp) returns it. */
export function withFsp(timestampSql: string, fsp: number): string {
  if (!Number.isInteger(fsp) || fsp < 0 || fsp > 6) {
    throw sqlError('ER_TOO_BIG_PRECISION', `Too-big precision ${fsp} specified for 'now'. Maximum is 6.`);
  }
  if (fsp === 6) return timestampSql;
  const unit = FSP_TRUNCATION[fsp];
  if (unit !== undefined) return `date_trunc('${unit}', ${timestampSql})`;
  const step = 10 ** (6 - fsp);
  return `make_timestamp(epoch_us(${timestampSql}) // ${step} * ${step})`;
}

/** The server's local current timestamp (DuckDB's TimeZone: the server's zone), for column defaults. */
export const LOCAL_NOW = 'current_localtimestamp()';
export const UTC_NOW = "timezone('UTC', now())";

// ---------------------------------------------------------------- time zones

/** A '+hh:mm' / '-hh:mm' offset in minutes; undefined for a named zone. */
function offsetMinutes(zone: string): number | undefined {
  const m = /^([+-])(\d{1,2}):(\d{2})$/.exec(zone.trim());
  if (m === null) return undefined;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -minutes : minutes;
}

/**
 * A time zone as MySQL accepts it, in the form MySQL shows it: 'SYSTEM', an offset
 * from -13:59 to +14:00 ('+2:00' is '+02:00'), or a name the time zone database
 * knows (Node's ICU, the same IANA names as DuckDB's). Undefined when MySQL would
 * not know it.
 */
export function normalizeTimeZone(text: string): string | undefined {
  const zone = text.trim();
  if (zone.toUpperCase() === 'SYSTEM') return 'SYSTEM';
  const offset = /^([+-])(\d{1,2}):(\d{2})$/.exec(zone);
  if (offset !== null) {
    const [, sign = '+', hours = '', mins = ''] = offset;
    const minutes = Number(hours) * 60 + Number(mins);
    if (Number(mins) > 59 || minutes > (sign === '+' ? 14 * 60 : 13 * 60 + 59)) return undefined;
    return `${sign}${hours.padStart(2, '0')}:${mins}`;
  }
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(zone)) return undefined;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    return undefined;
  }
}

const UTC_NAMES: ReadonlySet<string> = new Set(['utc', 'gmt', 'etc/utc', 'etc/gmt', 'z', 'universal', 'zulu']);

/**
 * The zone of DuckDB's TimeZone setting (the server's): what column defaults use,
 * printed once at CREATE TABLE when no session zone is known. Not a zone name anyone
 * can write (it holds a space).
 */
export const SERVER_LOCAL_ZONE = 'server local';

function shifted(ts: string, minutes: number): string {
  if (minutes === 0) return ts;
  return minutes > 0 ? `(${ts} + to_minutes(${minutes}))` : `(${ts} - to_minutes(${-minutes}))`;
}

/**
 * A TIMESTAMP that holds UTC as local time in `zone`: offsets are arithmetic, named
 * zones go through DuckDB's ICU (timezone(zone, TIMESTAMPTZ) is local time there).
 */
export function utcToZone(ts: string, zone: string): string {
  if (UTC_NAMES.has(zone.toLowerCase())) return ts;
  if (zone === SERVER_LOCAL_ZONE) return `CAST(timezone('UTC', ${ts}) AS TIMESTAMP)`;
  const offset = offsetMinutes(zone);
  return offset === undefined ? `timezone(${quoteString(zone)}, timezone('UTC', ${ts}))` : shifted(ts, offset);
}

/** A TIMESTAMP local to `zone` as the UTC TIMESTAMP of the same instant. */
export function zoneToUtc(ts: string, zone: string): string {
  if (UTC_NAMES.has(zone.toLowerCase())) return ts;
  if (zone === SERVER_LOCAL_ZONE) return `timezone('UTC', CAST(${ts} AS TIMESTAMPTZ))`;
  const offset = offsetMinutes(zone);
  return offset === undefined ? `timezone('UTC', timezone(${quoteString(zone)}, ${ts}))` : shifted(ts, -offset);
}

/** The current timestamp local to `zone` (MySQL's NOW() in a session of that time_zone). */
export function nowInZone(zone: string): string {
  return zone === SERVER_LOCAL_ZONE ? LOCAL_NOW : utcToZone(UTC_NOW, zone);
}

// ---------------------------------------------------------------- intervals

/** DuckDB's interval constructor for each simple unit and the type it takes. */
const SIMPLE_INTERVAL: Readonly<Partial<Record<IntervalUnit, { readonly fn: string; readonly type: string; readonly factor?: number }>>> = {
  MICROSECOND: { fn: 'to_microseconds', type: 'BIGINT' },
  SECOND: { fn: 'to_seconds', type: 'DOUBLE' },
  MINUTE: { fn: 'to_minutes', type: 'BIGINT' },
  HOUR: { fn: 'to_hours', type: 'BIGINT' },
  DAY: { fn: 'to_days', type: 'INTEGER' },
  WEEK: { fn: 'to_weeks', type: 'INTEGER' },
  MONTH: { fn: 'to_months', type: 'INTEGER' },
  QUARTER: { fn: 'to_months', type: 'INTEGER', factor: 3 },
  YEAR: { fn: 'to_years', type: 'INTEGER' },
};

/** The components of a composite unit, most significant first. */
const COMPOSITE_PARTS: Readonly<Partial<Record<IntervalUnit, readonly IntervalUnit[]>>> = {
  SECOND_MICROSECOND: ['SECOND', 'MICROSECOND'],
  MINUTE_MICROSECOND: ['MINUTE', 'SECOND', 'MICROSECOND'],
  MINUTE_SECOND: ['MINUTE', 'SECOND'],
  HOUR_MICROSECOND: ['HOUR', 'MINUTE', 'SECOND', 'MICROSECOND'],
  HOUR_SECOND: ['HOUR', 'MINUTE', 'SECOND'],
  HOUR_MINUTE: ['HOUR', 'MINUTE'],
  DAY_MICROSECOND: ['DAY', 'HOUR', 'MINUTE', 'SECOND', 'MICROSECOND'],
  DAY_SECOND: ['DAY', 'HOUR', 'MINUTE', 'SECOND'],
  DAY_MINUTE: ['DAY', 'HOUR', 'MINUTE'],
  DAY_HOUR: ['DAY', 'HOUR'],
  YEAR_MONTH: ['YEAR', 'MONTH'],
};

/** Units whose intervals keep a DATE a DATE in MySQL. */
const DATE_UNITS: ReadonlySet<IntervalUnit> = new Set(['DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR', 'YEAR_MONTH']);

export function isDateUnit(unit: IntervalUnit): boolean {
  return DATE_UNITS.has(unit);
}

/** `INTERVAL n unit` for a simple unit; `n` is SQL, or digits that need no cast. */
function simpleInterval(unit: IntervalUnit, n: string, digits: boolean): string {
  const spec = SIMPLE_INTERVAL[unit];
  if (spec === undefined) throw new Error(`${unit} is not a simple interval unit`);
  const value = digits ? n : `CAST(${n} AS ${spec.type})`;
  return `${spec.fn}(${spec.factor === undefined ? value : `${value} * ${spec.factor}`})`;
}

/**
 * A DuckDB INTERVAL for `INTERVAL value unit`. Simple units take any expression
 * (`valueSql`); composite units ('1:30' HOUR_MINUTE) need the string at print time.
 */
export function intervalSql(unit: IntervalUnit, valueSql: string, constant: string | number | bigint | undefined): string {
  if (SIMPLE_INTERVAL[unit] !== undefined) {
    const digits = /^\d+$/.test(valueSql) && unit !== 'SECOND';
    return simpleInterval(unit, valueSql, digits);
  }
  const parts = COMPOSITE_PARTS[unit];
  if (parts === undefined || constant === undefined) {
    throw sqlError('ER_NOT_SUPPORTED_YET', `This version of ducksafe doesn't yet support 'INTERVAL ... ${unit} with a non-constant value'`);
  }
  const text = String(constant).trim();
  // MySQL reads the numbers in the string right-aligned against the unit's parts
  // ('1:2' HOUR_SECOND is 1 minute 2 seconds), whatever the delimiters.
  const numbers = (text.match(/\d+/g) ?? []).slice(-parts.length);
  const used = parts.slice(parts.length - numbers.length);
  const terms = numbers.map((n, i) => {
    const part = used[i] ?? 'SECOND';
    return part === 'YEAR' ? `to_months(${BigInt(n) * 12n})` : simpleInterval(part, BigInt(n).toString(), true);
  });
  if (terms.length === 0) return 'NULL';
  const sum = terms.length === 1 ? (terms[0] ?? 'NULL') : `(${terms.join(' + ')})`;
  return text.startsWith('-') ? `(- ${sum})` : sum;
}

// ---------------------------------------------------------------- week modes

// MySQL's calc_week() flags (sql/sql_time.cc): week_mode(mode) maps WEEK()'s
// mode argument to them, YEARWEEK() adds WEEK_YEAR.
const WEEK_MONDAY_FIRST = 1;
const WEEK_YEAR = 2;
const WEEK_FIRST_WEEKDAY = 4;

interface WeekFlags {
  readonly mondayFirst: boolean;
  readonly weekYear: boolean;
  readonly firstWeekday: boolean;
}

function weekFlags(mode: number, yearWeek: boolean): WeekFlags {
  let format = mode & 7;
  if ((format & WEEK_MONDAY_FIRST) === 0) format ^= WEEK_FIRST_WEEKDAY;
  if (yearWeek) format |= WEEK_YEAR;
  return {
    mondayFirst: (format & WEEK_MONDAY_FIRST) !== 0,
    weekYear: (format & WEEK_YEAR) !== 0,
    firstWeekday: (format & WEEK_FIRST_WEEKDAY) !== 0,
  };
}

/**
 * MySQL's calc_week() as SQL over a DATE expression `d` (printed several times,
 * so it should be cheap). Returns the week and the year the week belongs to.
 *
 * calc_week() special-cases the first days of January (before the first full
 * week): they are week 0, or week 1 when January 1 starts a week, or, in the
 * modes that count weeks by year (WEEK_YEAR), the last week of the previous year.
 * Late December days may belong to week 1 of the next year in those modes.
 */
function calcWeek(d: string, flags: WeekFlags): { readonly week: string; readonly year: string } {
  // ISO 8601 weeks (Monday first, week 1 holds January's first Thursday, weeks counted
  // in their own year): DuckDB's own functions, a few times cheaper than the general case.
  if (flags.mondayFirst && flags.weekYear && !flags.firstWeekday) return { week: `week(${d})`, year: `isoyear(${d})` };
  const jan1 = (year: string) => `make_date(${year}, 1, 1)`;
  const weekday = (date: string) => (flags.mondayFirst ? `(isodow(${date}) - 1)` : `dayofweek(${date})`);
  // Whether the days before the first week-start belong to the previous week
  // (first-weekday rule: unless Jan 1 is the first day; 4-day rule: from Thursday on).
  const skipsFirstDays = (w: string) => (flags.firstWeekday ? `${w} <> 0` : `${w} >= 4`);
  /** Days from the start of week 1 of `year` to d. */
  const daysIntoWeeks = (year: string) => {
    const w = weekday(jan1(year));
    const sinceJan1 = `(${d} - ${jan1(year)})`;
    return `(CASE WHEN ${skipsFirstDays(w)} THEN ${sinceJan1} - (7 - ${w}) ELSE ${sinceJan1} + ${w} END)`;
  };

  const year = `year(${d})`;
  const w = weekday(jan1(year));
  const early = `month(${d}) = 1 AND day(${d}) <= 7 - ${w}`;
  const days = daysIntoWeeks(year);
  const plainWeek = `${days} // 7 + 1`;
  if (!flags.weekYear) {
    return { week: `(CASE WHEN ${early} THEN CASE WHEN ${skipsFirstDays(w)} THEN 0 ELSE 1 END ELSE ${plainWeek} END)`, year: year };
  }
  const previousYear = `(${year} - 1)`;
  const lastWeekOfPrevious = `${daysIntoWeeks(previousYear)} // 7 + 1`;
  const nextJan1 = `((${w} + (${jan1(`${year} + 1`)} - ${jan1(year)})) % 7)`;
  const nextYearTakesIt = `${days} >= 364 AND ${flags.firstWeekday ? `${nextJan1} = 0` : `${nextJan1} < 4`}`;
  const januaryInPrevious = `${early} AND ${skipsFirstDays(w)}`;
  return {
    week: `(CASE WHEN ${januaryInPrevious} THEN ${lastWeekOfPrevious} WHEN ${nextYearTakesIt} THEN 1 ELSE ${plainWeek} END)`,
    year: `(CASE WHEN ${januaryInPrevious} THEN ${previousYear} WHEN ${nextYearTakesIt} THEN ${year} + 1 ELSE ${year} END)`,
  };
}

/** WEEK(d, mode). */
export function weekSql(dateSql: string, mode: number): string {
  return calcWeek(dateSql, weekFlags(mode, false)).week;
}

/** YEARWEEK(d, mode): year * 100 + week, the year being the week's own. */
export function yearWeekSql(dateSql: string, mode: number): string {
  const { week, year } = calcWeek(dateSql, weekFlags(mode, true));
  return `(${year} * 100 + ${week})`;
}

// ---------------------------------------------------------------- formats

type FormatPiece = { readonly strftime: string } | { readonly sql: (ts: string) => string };

const padded = (sql: string) => `lpad(CAST(${sql} AS VARCHAR), 2, '0')`;

/** MySQL DATE_FORMAT letters: a strftime equivalent, or SQL where strftime has none. */
const FORMAT_LETTERS: Readonly<Record<string, FormatPiece>> = {
  a: { strftime: '%a' },
  b: { strftime: '%b' },
  c: { strftime: '%-m' },
  D: {
    sql: (ts) =>
      `CAST(day(${ts}) AS VARCHAR) || CASE WHEN day(${ts}) IN (11, 12, 13) THEN 'th' WHEN day(${ts}) % 10 = 1 THEN 'st' WHEN day(${ts}) % 10 = 2 THEN 'nd' WHEN day(${ts}) % 10 = 3 THEN 'rd' ELSE 'th' END`,
  },
  d: { strftime: '%d' },
  e: { strftime: '%-d' },
  f: { strftime: '%f' },
  H: { strftime: '%H' },
  h: { strftime: '%I' },
  I: { strftime: '%I' },
  i: { strftime: '%M' },
  j: { strftime: '%j' },
  k: { strftime: '%-H' },
  l: { strftime: '%-I' },
  M: { strftime: '%B' },
  m: { strftime: '%m' },
  p: { strftime: '%p' },
  r: { strftime: '%I:%M:%S %p' },
  S: { strftime: '%S' },
  s: { strftime: '%S' },
  T: { strftime: '%H:%M:%S' },
  U: { strftime: '%U' },
  u: { sql: (ts) => padded(weekSql(`CAST(${ts} AS DATE)`, 1)) },
  V: { sql: (ts) => padded(weekSql(`CAST(${ts} AS DATE)`, 2)) },
  v: { strftime: '%V' },
  W: { strftime: '%A' },
  w: { strftime: '%w' },
  X: { sql: (ts) => `CAST(${yearWeekSql(`CAST(${ts} AS DATE)`, 2)} // 100 AS VARCHAR)` },
  x: { strftime: '%G' },
  Y: { strftime: '%Y' },
  y: { strftime: '%y' },
};

/** DATE_FORMAT(ts, format) for a format known at print time. */
export function dateFormatSql(timestampSql: string, format: string): string {
  const pieces: string[] = [];
  let run = '';
  const flush = () => {
    if (run !== '') pieces.push(`strftime(${timestampSql}, ${quoteString(run)})`);
    run = '';
  };
  for (let i = 0; i < format.length; i++) {
    const ch = format[i] ?? '';
    if (ch !== '%' || i + 1 >= format.length) {
      run += ch === '%' ? '%%' : ch;
      continue;
    }
    const letter = format[++i] ?? '';
    const piece = FORMAT_LETTERS[letter];
    if (piece === undefined) {
      // MySQL prints an unknown specifier's letter (and `%%` as `%`).
      run += letter === '%' ? '%%' : letter;
    } else if ('strftime' in piece) {
      run += piece.strftime;
    } else {
      flush();
      pieces.push(piece.sql(timestampSql));
    }
  }
  flush();
  if (pieces.length === 0) return `CASE WHEN ${timestampSql} IS NULL THEN NULL ELSE '' END`;
  return pieces.length === 1 ? (pieces[0] ?? '') : `(${pieces.join(' || ')})`;
}

/** STR_TO_DATE letters as strptime understands them. */
const PARSE_LETTERS: Readonly<Record<string, string>> = {
  a: '%a',
  b: '%b',
  c: '%-m',
  d: '%-d',
  e: '%-d',
  f: '%f',
  H: '%-H',
  h: '%-I',
  I: '%-I',
  i: '%M',
  j: '%j',
  k: '%-H',
  l: '%-I',
  M: '%B',
  m: '%-m',
  p: '%p',
  r: '%I:%M:%S %p',
  S: '%S',
  s: '%S',
  T: '%H:%M:%S',
  W: '%A',
  Y: '%Y',
  y: '%y',
};

const DATE_LETTERS = new Set(['a', 'b', 'c', 'd', 'e', 'j', 'M', 'm', 'W', 'Y', 'y']);
const TIME_LETTERS = new Set(['f', 'H', 'h', 'I', 'i', 'k', 'l', 'p', 'r', 'S', 's', 'T']);

/**
 * STR_TO_DATE(s, format) for a VARCHAR `stringSql`: NULL when the string does not match (MySQL warns), and
 * typed like MySQL: DATE for date-only formats, TIME for time-only ones.
 */
export function strToDateSql(stringSql: string, format: string): string {
  let pattern = '';
  let hasDate = false;
  let hasTime = false;
  for (let i = 0; i < format.length; i++) {
    const ch = format[i] ?? '';
    if (ch !== '%' || i + 1 >= format.length) {
      pattern += ch === '%' ? '%%' : ch;
      continue;
    }
    const letter = format[++i] ?? '';
    const mapped = PARSE_LETTERS[letter];
    if (mapped === undefined) {
      if (letter === '%') {
        pattern += '%%';
        continue;
      }
      throw sqlError('ER_NOT_SUPPORTED_YET', `This version of ducksafe doesn't yet support 'STR_TO_DATE format %${letter}'`);
    }
    pattern += mapped;
    hasDate ||= DATE_LETTERS.has(letter);
    hasTime ||= TIME_LETTERS.has(letter);
  }
  const parsed = `try_strptime(${stringSql}, ${quoteString(pattern)})`;
  if (hasDate && !hasTime) return `CAST(${parsed} AS DATE)`;
  if (hasTime && !hasDate) return `CAST(${parsed} AS TIME)`;
  return parsed;
}

// ---------------------------------------------------------------- differences

const COMPLETE_UNITS: Readonly<Record<string, string>> = {
  MICROSECOND: 'microsecond',
  SECOND: 'second',
  MINUTE: 'minute',
  HOUR: 'hour',
  DAY: 'day',
  WEEK: 'week',
};

/**
 * TIMESTAMPDIFF(unit, a, b): whole units from a to b, truncated toward zero.
 * Months count like MySQL's calc_time_diff: a month is complete once b's
 * day-and-time reaches a's (DuckDB's date_sub treats month ends specially).
 */
export function timestampDiffSql(unit: IntervalUnit, a: string, b: string): string {
  const complete = COMPLETE_UNITS[unit];
  if (complete !== undefined) return `date_sub('${complete}', ${a}, ${b})`;
  const monthDivisor: Partial<Record<IntervalUnit, number>> = { MONTH: 1, QUARTER: 3, YEAR: 12 };
  const divisor = monthDivisor[unit];
  if (divisor === undefined) {
    throw sqlError('ER_PARSE_ERROR', `TIMESTAMPDIFF does not accept the unit ${unit}`);
  }
  const rest = (ts: string) => `strftime(${ts}, '%d %H:%M:%S.%f')`;
  const months =
    `(date_diff('month', ${a}, ${b}) - CASE WHEN ${a} <= ${b} AND ${rest(b)} < ${rest(a)} THEN 1` +
    ` WHEN ${a} > ${b} AND ${rest(b)} > ${rest(a)} THEN -1 ELSE 0 END)`;
  return divisor === 1 ? months : `(${months} // ${divisor})`;
}

/** EXTRACT(unit FROM ts) for MySQL's units, composite ones included (DAY_HOUR → day * 100 + hour). */
export function extractSql(unit: IntervalUnit, ts: string): string {
  const part = (p: IntervalUnit): string => {
    switch (p) {
      case 'MICROSECOND':
        return `(microsecond(${ts}) % 1000000)`;
      case 'WEEK':
        return weekSql(`CAST(${ts} AS DATE)`, 0);
      case 'SECOND':
      case 'MINUTE':
      case 'HOUR':
      case 'DAY':
      case 'MONTH':
      case 'QUARTER':
      case 'YEAR':
        return `${p.toLowerCase()}(${ts})`;
      default:
        throw new Error(`extract part ${p}`);
    }
  };
  const parts = COMPOSITE_PARTS[unit];
  if (parts === undefined) return part(unit);
  // Each later part takes two decimal digits, microseconds six.
  return `(${parts
    .map((p, i) => {
      const shift = parts.slice(i + 1).reduce((acc, q) => acc * (q === 'MICROSECOND' ? 1_000_000 : 100), 1);
      return shift === 1 ? part(p) : `${part(p)} * ${shift}`;
    })
    .join(' + ')})`;
}
