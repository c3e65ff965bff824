// DATE/DATETIME/TIMESTAMP and TIME in the binary protocol, to and from their MySQL
// text forms ('YYYY-MM-DD[ HH:MM:SS[.ffffff]]', '[-]HH:MM:SS[.ffffff]'). The engine
// hands the server text; COM_STMT_EXECUTE hands it binary.

import type { PayloadReader } from '../payload-reader.js';
import type { PayloadWriter } from '../payload-writer.js';
import { ProtocolError } from '../protocol-error.js';

export interface DateTimeParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly microsecond: number;
  /** Time zone displacement in minutes, only from a 13-byte parameter (MySQL 8.0.19+). */
  readonly offsetMinutes: number | null;
}

export interface TimeParts {
  readonly negative: boolean;
  readonly days: number;
  readonly hours: number;
  readonly minutes: number;
  readonly seconds: number;
  readonly microseconds: number;
}

const TIME_TEXT = /^(-)?(\d{1,10}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/;

/**
 * Parses 'YYYY-MM-DD[( |T)HH:MM:SS[.f{1,6}]]'; null when it is not one (or a field is
 * out of range). Hand-rolled rather than a regular expression: it runs once per
 * temporal cell of every binary row.
 */
export function parseDateTimeText(text: string): DateTimeParts | null {
  const length = text.length;
  if (length !== 10 && length !== 19 && (length < 21 || length > 26)) {
    return null;
  }
  const year = readDigits(text, 0, 4);
  const month = readDigits(text, 5, 2);
  const day = readDigits(text, 8, 2);
  if (year < 0 || month < 0 || day < 0 || text.charCodeAt(4) !== DASH || text.charCodeAt(7) !== DASH) {
    return null;
  }
  let hour = 0;
  let minute = 0;
  let second = 0;
  let microsecond = 0;
  if (length > 10) {
    const separator = text.charCodeAt(10);
    if ((separator !== SPACE && separator !== LETTER_T) || text.charCodeAt(13) !== COLON || text.charCodeAt(16) !== COLON) {
      return null;
    }
    hour = readDigits(text, 11, 2);
    minute = readDigits(text, 14, 2);
    second = readDigits(text, 17, 2);
    if (hour < 0 || minute < 0 || second < 0) {
      return null;
    }
    if (length > 19) {
      const fraction = readDigits(text, 20, length - 20);
      if (text.charCodeAt(19) !== DOT || fraction < 0) {
        return null;
      }
      microsecond = fraction * 10 ** (26 - length);
    }
  }
  // Zero months and days are MySQL's "zero date" parts (0000-00-00, 2024-00-00).
  if (month > 12 || day > 31 || hour > 23 || minute > 59 || second > 59) {
    return null;
  }
  return { year, month, day, hour, minute, second, microsecond, offsetMinutes: null };
}

/** Parses MySQL time text (hours may exceed 24); null when it is not one. */
export function parseTimeText(text: string): TimeParts | null {
  const match = TIME_TEXT.exec(text);
  if (match === null) {
    return null;
  }
  const totalHours = Number(match[2]);
  const minutes = Number(match[3]);
  const seconds = Number(match[4]);
  const days = Math.floor(totalHours / 24);
  if (minutes > 59 || seconds > 59 || days > 0xffff_ffff) {
    return null;
  }
  return {
    negative: match[1] === '-',
    days,
    hours: totalHours % 24,
    minutes,
    seconds,
    microseconds: fractionToMicros(match[5]),
  };
}

/** The binary DATE/DATETIME/TIMESTAMP form: the shortest of 0, 4, 7 or 11 bytes after a length byte. */
export function writeBinaryDateTime(writer: PayloadWriter, parts: DateTimeParts): void {
  const hasTime = parts.hour !== 0 || parts.minute !== 0 || parts.second !== 0;
  if (parts.microsecond !== 0) {
    writer.writeInt1(11);
  } else if (hasTime) {
    writer.writeInt1(7);
  } else if (parts.year !== 0 || parts.month !== 0 || parts.day !== 0) {
    writer.writeInt1(4);
  } else {
    writer.writeInt1(0);
    return;
  }
  writer.writeInt2(parts.year);
  writer.writeInt1(parts.month);
  writer.writeInt1(parts.day);
  if (parts.microsecond === 0 && !hasTime) {
    return;
  }
  writer.writeInt1(parts.hour);
  writer.writeInt1(parts.minute);
  writer.writeInt1(parts.second);
  if (parts.microsecond !== 0) {
    writer.writeInt4(parts.microsecond);
  }
}

/** Reads the binary date form; also accepts the 13-byte form with a time zone displacement. */
export function readBinaryDateTime(reader: PayloadReader): DateTimeParts {
  const length = reader.readInt1();
  if (length !== 0 && length !== 4 && length !== 7 && length !== 11 && length !== 13) {
    throw new ProtocolError(`invalid binary date length ${length}`);
  }
  const year = length >= 4 ? reader.readInt2() : 0;
  const month = length >= 4 ? reader.readInt1() : 0;
  const day = length >= 4 ? reader.readInt1() : 0;
  const hour = length >= 7 ? reader.readInt1() : 0;
  const minute = length >= 7 ? reader.readInt1() : 0;
  const second = length >= 7 ? reader.readInt1() : 0;
  const microsecond = length >= 11 ? reader.readInt4() : 0;
  const offsetMinutes = length === 13 ? reader.readSignedInt2() : null;
  if (month > 12 || day > 31 || hour > 23 || minute > 59 || second > 59 || microsecond > 999_999) {
    throw new ProtocolError(`invalid binary date ${year}-${month}-${day} ${hour}:${minute}:${second}.${microsecond}`);
  }
  return { year, month, day, hour, minute, second, microsecond, offsetMinutes };
}

/** 'YYYY-MM-DD'. */
export function formatDateText(parts: DateTimeParts): string {
  return `${pad(parts.year, 4)}-${pad(parts.month, 2)}-${pad(parts.day, 2)}`;
}

/** 'YYYY-MM-DD HH:MM:SS[.ffffff][+HH:MM]': the fraction only when not zero. */
export function formatDateTimeText(parts: DateTimeParts): string {
  let text = `${formatDateText(parts)} ${pad(parts.hour, 2)}:${pad(parts.minute, 2)}:${pad(parts.second, 2)}`;
  if (parts.microsecond !== 0) {
    text += `.${pad(parts.microsecond, 6)}`;
  }
  if (parts.offsetMinutes !== null) {
    const sign = parts.offsetMinutes < 0 ? '-' : '+';
    const offset = Math.abs(parts.offsetMinutes);
    text += `${sign}${pad(Math.floor(offset / 60), 2)}:${pad(offset % 60, 2)}`;
  }
  return text;
}

/** The binary TIME form: 0, 8 or 12 bytes after a length byte. */
export function writeBinaryTime(writer: PayloadWriter, parts: TimeParts): void {
  const zero =
    parts.days === 0 && parts.hours === 0 && parts.minutes === 0 && parts.seconds === 0 && parts.microseconds === 0;
  if (zero) {
    writer.writeInt1(0);
    return;
  }
  writer.writeInt1(parts.microseconds !== 0 ? 12 : 8);
  writer.writeInt1(parts.negative ? 1 : 0);
  writer.writeInt4(parts.days);
  writer.writeInt1(parts.hours);
  writer.writeInt1(parts.minutes);
  writer.writeInt1(parts.seconds);
  if (parts.microseconds !== 0) {
    writer.writeInt4(parts.microseconds);
  }
}

export function readBinaryTime(reader: PayloadReader): TimeParts {
  const length = reader.readInt1();
  if (length === 0) {
    return { negative: false, days: 0, hours: 0, minutes: 0, seconds: 0, microseconds: 0 };
  }
  if (length !== 8 && length !== 12) {
    throw new ProtocolError(`invalid binary time length ${length}`);
  }
  const negative = reader.readInt1() !== 0;
  const days = reader.readInt4();
  const hours = reader.readInt1();
  const minutes = reader.readInt1();
  const seconds = reader.readInt1();
  const microseconds = length === 12 ? reader.readInt4() : 0;
  // Hours above 23 are accepted: libmysqlclient sends days = 0 and hours up to 838.
  if (minutes > 59 || seconds > 59 || microseconds > 999_999) {
    throw new ProtocolError(`invalid binary time ${days}d ${hours}:${minutes}:${seconds}.${microseconds}`);
  }
  return { negative, days, hours, minutes, seconds, microseconds };
}

/** '[-]HH:MM:SS[.ffffff]' with days folded into hours. */
export function formatTimeText(parts: TimeParts): string {
  const hours = parts.days * 24 + parts.hours;
  let text = `${parts.negative ? '-' : ''}${pad(hours, 2)}:${pad(parts.minutes, 2)}:${pad(parts.seconds, 2)}`;
  if (parts.microseconds !== 0) {
    text += `.${pad(parts.microseconds, 6)}`;
  }
  return text;
}

const DASH = 0x2d;
const COLON = 0x3a;
const DOT = 0x2e;
const SPACE = 0x20;
const LETTER_T = 0x54;

// The decimal value of `count` digits at `start`, or -1 if any is not a digit.
function readDigits(text: string, start: number, count: number): number {
  let value = 0;
  for (let index = start; index < start + count; index++) {
    const digit = text.charCodeAt(index) - 0x30;
    if (!(digit >= 0 && digit <= 9)) {
      return -1;
    }
    value = value * 10 + digit;
  }
  return value;
}

function fractionToMicros(fraction: string | undefined): number {
  return fraction === undefined ? 0 : Number(fraction.padEnd(6, '0'));
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
