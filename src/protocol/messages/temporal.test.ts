import { describe, expect, it } from 'vitest';

import { PayloadReader } from '../payload-reader.js';
import { encodePayload } from '../payload-writer.js';
import { ProtocolError } from '../protocol-error.js';
import {
  formatDateTimeText,
  formatTimeText,
  parseDateTimeText,
  parseTimeText,
  readBinaryDateTime,
  readBinaryTime,
  writeBinaryDateTime,
  writeBinaryTime,
} from './temporal.js';

describe('temporal text', () => {
  it('parses dates and datetimes with space or T and 1 to 6 fraction digits', () => {
    expect(parseDateTimeText('2024-02-29')).toMatchObject({ year: 2024, month: 2, day: 29, hour: 0, microsecond: 0 });
    expect(parseDateTimeText('2024-02-29T23:59:58')).toMatchObject({ hour: 23, minute: 59, second: 58 });
    for (const [fraction, micros] of [
      ['1', 100000],
      ['12', 120000],
      ['123456', 123456],
      ['000001', 1],
    ] as const) {
      expect(parseDateTimeText(`2024-02-29 00:00:00.${fraction}`)?.microsecond, fraction).toBe(micros);
    }
  });

  it('rejects what is not a MySQL date', () => {
    for (const text of ['2024-2-29', '2024-02-29 ', '2024-02-29 00:00:00.', '2024-02-29 00:00:00.1234567', '2024/02/29', '2024-02-29 00-00-00', 'abcd-ef-gh', '2024-00-32', '']) {
      expect(parseDateTimeText(text), JSON.stringify(text)).toBeNull();
    }
  });

  it('parses times past 24 hours and negative ones', () => {
    expect(parseTimeText('-838:59:59.000001')).toEqual({ negative: true, days: 34, hours: 22, minutes: 59, seconds: 59, microseconds: 1 });
    expect(parseTimeText('23:00:00')).toEqual({ negative: false, days: 0, hours: 23, minutes: 0, seconds: 0, microseconds: 0 });
    expect(parseTimeText('1:2:3')).toBeNull();
    expect(parseTimeText('10:00:60')).toBeNull();
  });
});

describe('temporal binary forms', () => {
  it('round-trip through write and read', () => {
    for (const text of ['2024-01-02', '2024-01-02 03:04:05', '2024-01-02 03:04:05.000600', '0000-00-00']) {
      const parts = parseDateTimeText(text);
      expect(parts).not.toBeNull();
      if (parts === null) {
        continue;
      }
      const read = readBinaryDateTime(new PayloadReader(encodePayload(writeBinaryDateTime, parts)));
      expect(read).toEqual(parts);
    }
    for (const text of ['-838:59:59.5', '00:00:01', '100:00:00']) {
      const parts = parseTimeText(text);
      expect(parts).not.toBeNull();
      if (parts === null) {
        continue;
      }
      const read = readBinaryTime(new PayloadReader(encodePayload(writeBinaryTime, parts)));
      expect(formatTimeText(read)).toBe(formatTimeText(parts));
    }
  });

  it('formats datetimes with the fraction only when not zero', () => {
    const parts = parseDateTimeText('2024-01-02 03:04:05');
    expect(parts && formatDateTimeText(parts)).toBe('2024-01-02 03:04:05');
    const withFraction = parseDateTimeText('2024-01-02 03:04:05.5');
    expect(withFraction && formatDateTimeText(withFraction)).toBe('2024-01-02 03:04:05.500000');
  });

  it('throws ProtocolError on lengths that are not 0/4/7/11(/13) or 0/8/12', () => {
    expect(() => readBinaryDateTime(new PayloadReader(Buffer.from('05e807010203', 'hex')))).toThrow(ProtocolError);
    expect(() => readBinaryTime(new PayloadReader(Buffer.from('0900000000000102030400', 'hex')))).toThrow(ProtocolError);
    expect(() => readBinaryTime(new PayloadReader(Buffer.from('08000000', 'hex')))).toThrow(ProtocolError);
  });
});
