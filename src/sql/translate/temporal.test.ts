import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dateFormatSql, intervalSql, normalizeTimeZone, nowInZone, strToDateSql, UTC_NOW, utcToZone, weekSql, yearWeekSql, zoneToUtc } from './temporal.js';

// MySQL's calc_week() (sql/sql_time.cc), ported line by line, as the reference
// for the SQL that weekSql/yearWeekSql print.
function calcDaynr(year: number, month: number, day: number): number {
  let delsum = 365 * year + 31 * (month - 1) + day;
  let y = year;
  if (month <= 2) y--;
  else delsum -= Math.floor((month * 4 + 23) / 10);
  const temp = Math.floor(((Math.floor(y / 100) + 1) * 3) / 4);
  return delsum + Math.floor(y / 4) - temp;
}

const daysInYear = (y: number) => ((y & 3) === 0 && (y % 100 !== 0 || y % 400 === 0) ? 366 : 365);

function calcWeek(year: number, month: number, day: number, behaviour: number): { week: number; year: number } {
  const daynr = calcDaynr(year, month, day);
  let firstDaynr = calcDaynr(year, 1, 1);
  const mondayFirst = (behaviour & 1) !== 0;
  let weekYear = (behaviour & 2) !== 0;
  const firstWeekday = (behaviour & 4) !== 0;
  let weekday = (firstDaynr + 5 + (mondayFirst ? 0 : 1)) % 7;
  let y = year;
  if (month === 1 && day <= 7 - weekday) {
    if (!weekYear && ((firstWeekday && weekday !== 0) || (!firstWeekday && weekday >= 4))) return { week: 0, year: y };
    weekYear = true;
    y--;
    const days = daysInYear(y);
    firstDaynr -= days;
    weekday = (weekday + 53 * 7 - days) % 7;
  }
  const days = (firstWeekday && weekday !== 0) || (!firstWeekday && weekday >= 4) ? daynr - (firstDaynr + (7 - weekday)) : daynr - (firstDaynr - weekday);
  if (weekYear && days >= 52 * 7) {
    weekday = (weekday + daysInYear(y)) % 7;
    if ((!firstWeekday && weekday < 4) || (firstWeekday && weekday === 0)) return { week: 1, year: y + 1 };
  }
  return { week: Math.floor(days / 7) + 1, year: y };
}

function weekMode(mode: number): number {
  let format = mode & 7;
  if ((format & 1) === 0) format ^= 4;
  return format;
}

describe('the reference port of calc_week', () => {
  it("gives the MySQL manual's answers", () => {
    expect(calcWeek(2008, 2, 20, weekMode(0)).week).toBe(7);
    expect(calcWeek(2008, 2, 20, weekMode(1)).week).toBe(8);
    expect(calcWeek(2008, 12, 31, weekMode(1)).week).toBe(53);
    expect(calcWeek(2000, 1, 1, weekMode(0)).week).toBe(0);
    expect(calcWeek(2000, 1, 1, weekMode(2)).week).toBe(52);
    const yearWeek = calcWeek(1987, 1, 1, weekMode(0) | 2);
    expect(yearWeek.year * 100 + yearWeek.week).toBe(198652);
  });
});

describe('temporal SQL in DuckDB', () => {
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;

  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:');
    connection = await instance.connect();
  });

  afterAll(() => {
    connection.closeSync();
    instance.closeSync();
  });

  const rows = async (sql: string) => (await connection.runAndReadAll(sql)).getRowsJson();

  // Seven years around several leap years: every weekday of January 1 and December 31 occurs.
  for (let mode = 0; mode < 8; mode++) {
    it(`WEEK(d, ${mode}) and YEARWEEK(d, ${mode}) agree with calc_week on every day of 2019-2025`, async () => {
      const result = await rows(
        `SELECT CAST(d AS VARCHAR), ${weekSql('d', mode)}, ${yearWeekSql('d', mode)} FROM (SELECT CAST(range AS DATE) AS d FROM range(DATE '2019-01-01', DATE '2026-01-01', INTERVAL 1 DAY))`,
      );
      expect(result).toHaveLength(2557);
      const mismatches = result.filter(([date, week, yearWeek]) => {
        const [y, m, d] = (date as string).split('-').map(Number) as [number, number, number];
        const expectedYearWeek = calcWeek(y, m, d, weekMode(mode) | 2);
        return Number(week) !== calcWeek(y, m, d, weekMode(mode)).week || Number(yearWeek) !== expectedYearWeek.year * 100 + expectedYearWeek.week;
      });
      expect(mismatches).toEqual([]);
    });
  }

  it('formats every DATE_FORMAT letter like MySQL', async () => {
    const ts = "TIMESTAMP '2024-03-05 09:07:09.012345'";
    const cases: [string, string][] = [
      ['%a %b %c %D %d %e', 'Tue Mar 3 5th 05 5'],
      ['%f %H %h %I %i %j %k %l', '012345 09 09 09 07 065 9 9'],
      ['%M %m %p %r %S %s %T', 'March 03 AM 09:07:09 AM 09 09 09:07:09'],
      ['%U %u %V %v %W %w %X %x %Y %y', '09 10 09 10 Tuesday 2 2024 2024 2024 24'],
      ['100%% %Q literal', '100% Q literal'],
      ['', ''],
    ];
    for (const [format, expected] of cases) {
      expect(await rows(`SELECT ${dateFormatSql(ts, format)}`)).toEqual([[expected]]);
    }
    for (const day of [1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 31]) {
      const suffix = day % 10 === 1 && day !== 11 ? 'st' : day % 10 === 2 && day !== 12 ? 'nd' : day % 10 === 3 && day !== 13 ? 'rd' : 'th';
      expect(await rows(`SELECT ${dateFormatSql(`DATE '2024-01-${String(day).padStart(2, '0')}'`, '%D')}`)).toEqual([[`${day}${suffix}`]]);
    }
  });

  it('parses with STR_TO_DATE formats, typed like MySQL', async () => {
    expect(await rows(`SELECT CAST(${strToDateSql("'March 5, 2024'", '%M %e, %Y')} AS VARCHAR)`)).toEqual([['2024-03-05']]);
    expect(await rows(`SELECT CAST(${strToDateSql("'5:07 PM'", '%l:%i %p')} AS VARCHAR)`)).toEqual([['17:07:00']]);
    expect(await rows(`SELECT CAST(${strToDateSql("'2024-03-05 17:07'", '%Y-%m-%d %H:%i')} AS VARCHAR)`)).toEqual([['2024-03-05 17:07:00']]);
  });

  it("reads composite interval strings right-aligned, as MySQL does", async () => {
    const at = (unit: Parameters<typeof intervalSql>[0], value: string) =>
      rows(`SELECT CAST(TIMESTAMP '2024-01-01 00:00:00' + ${intervalSql(unit, `'${value}'`, value)} AS VARCHAR)`);
    expect(await at('HOUR_SECOND', '1:2')).toEqual([['2024-01-01 00:01:02']]);
    expect(await at('HOUR_SECOND', '1:2:3')).toEqual([['2024-01-01 01:02:03']]);
    expect(await at('DAY_HOUR', '2 3')).toEqual([['2024-01-03 03:00:00']]);
    expect(await at('YEAR_MONTH', '1-2')).toEqual([['2025-03-01 00:00:00']]);
    expect(await at('SECOND_MICROSECOND', '1.5')).toEqual([['2024-01-01 00:00:01.000005']]);
    expect(await at('MINUTE_SECOND', '-1:30')).toEqual([['2023-12-31 23:58:30']]);
  });
});

describe('intervals', () => {
  it('need a constant for composite units', () => {
    expect(() => intervalSql('HOUR_MINUTE', '"x"', undefined)).toThrow(expect.objectContaining({ code: 'ER_NOT_SUPPORTED_YET' }));
  });
});

describe('time zones', () => {
  it('accepts what MySQL accepts for time_zone and CONVERT_TZ, in the form MySQL shows', () => {
    expect(normalizeTimeZone('system')).toBe('SYSTEM');
    expect(normalizeTimeZone('+2:00')).toBe('+02:00');
    expect(normalizeTimeZone(' -13:59 ')).toBe('-13:59');
    expect(normalizeTimeZone('+14:00')).toBe('+14:00');
    expect(normalizeTimeZone('Europe/Berlin')).toBe('Europe/Berlin');
    for (const bad of ['+14:01', '-14:00', '+02:60', 'Mars/Olympus', "UTC'; DROP", '', '02:00']) expect(normalizeTimeZone(bad), bad).toBeUndefined();
  });

  describe('in DuckDB', () => {
    let instance: DuckDBInstance;
    let connection: DuckDBConnection;
    beforeAll(async () => {
      instance = await DuckDBInstance.create(':memory:');
      connection = await instance.connect();
    });
    afterAll(() => {
      connection.closeSync();
      instance.closeSync();
    });
    const value = async (sql: string): Promise<string | undefined> => {
      const cell = (await connection.runAndReadAll(`SELECT CAST(${sql} AS VARCHAR)`)).getRowsJson()[0]?.[0];
      return typeof cell === 'string' ? cell : undefined;
    };

    it('moves a UTC timestamp to an offset or a named zone and back', async () => {
      const utc = "TIMESTAMP '2024-07-01 00:00:00'";
      expect(await value(utcToZone(utc, '+05:30'))).toBe('2024-07-01 05:30:00');
      expect(await value(utcToZone(utc, '-08:00'))).toBe('2024-06-30 16:00:00');
      // Europe/Berlin is on summer time (UTC+2) in July, winter time (UTC+1) in January.
      expect(await value(utcToZone(utc, 'Europe/Berlin'))).toBe('2024-07-01 02:00:00');
      expect(await value(utcToZone("TIMESTAMP '2024-01-01 00:00:00'", 'Europe/Berlin'))).toBe('2024-01-01 01:00:00');
      expect(await value(zoneToUtc("TIMESTAMP '2024-07-01 02:00:00'", 'Europe/Berlin'))).toBe('2024-07-01 00:00:00');
      expect(await value(zoneToUtc("TIMESTAMP '2024-07-01 05:30:00'", '+05:30'))).toBe('2024-07-01 00:00:00');
      expect(await value(utcToZone(utc, 'UTC'))).toBe('2024-07-01 00:00:00');
    });

    it('reads NOW() in a zone from the same instant as UTC_TIMESTAMP()', async () => {
      expect(await value(`date_diff('minute', ${UTC_NOW}, ${nowInZone('+05:30')})`)).toBe('330');
    });
  });
});
