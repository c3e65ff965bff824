// The character sets and collations the server names: SHOW CHARSET, SHOW
// COLLATION and their information_schema tables. Clients (Connector/NET) look up
// every collation id that arrives in a column definition here, and the text
// collation of a result is whatever the client asked for at login, so the list
// covers the ids clients commonly send, not only utf8mb4.

export interface CollationInfo {
  readonly name: string;
  readonly charset: string;
  readonly id: number;
  readonly isDefault: boolean;
  readonly sortlen: number;
  readonly padAttribute: 'PAD SPACE' | 'NO PAD';
}

export interface CharsetInfo {
  readonly name: string;
  readonly description: string;
  readonly defaultCollation: string;
  readonly maxlen: number;
}

export const CHARSETS: readonly CharsetInfo[] = [
  { name: 'ascii', description: 'US ASCII', defaultCollation: 'ascii_general_ci', maxlen: 1 },
  { name: 'big5', description: 'Big5 Traditional Chinese', defaultCollation: 'big5_chinese_ci', maxlen: 2 },
  { name: 'binary', description: 'Binary pseudo charset', defaultCollation: 'binary', maxlen: 1 },
  { name: 'gb2312', description: 'GB2312 Simplified Chinese', defaultCollation: 'gb2312_chinese_ci', maxlen: 2 },
  { name: 'gbk', description: 'GBK Simplified Chinese', defaultCollation: 'gbk_chinese_ci', maxlen: 2 },
  { name: 'latin1', description: 'cp1252 West European', defaultCollation: 'latin1_swedish_ci', maxlen: 1 },
  { name: 'sjis', description: 'Shift-JIS Japanese', defaultCollation: 'sjis_japanese_ci', maxlen: 2 },
  { name: 'ucs2', description: 'UCS-2 Unicode', defaultCollation: 'ucs2_general_ci', maxlen: 2 },
  { name: 'utf16', description: 'UTF-16 Unicode', defaultCollation: 'utf16_general_ci', maxlen: 4 },
  { name: 'utf32', description: 'UTF-32 Unicode', defaultCollation: 'utf32_general_ci', maxlen: 4 },
  { name: 'utf8mb3', description: 'UTF-8 Unicode', defaultCollation: 'utf8mb3_general_ci', maxlen: 3 },
  { name: 'utf8mb4', description: 'UTF-8 Unicode', defaultCollation: 'utf8mb4_0900_ai_ci', maxlen: 4 },
];

const c = (name: string, id: number, sortlen = 1, padAttribute: CollationInfo['padAttribute'] = 'PAD SPACE'): CollationInfo => {
  const charset = name === 'binary' ? 'binary' : name.slice(0, name.indexOf('_'));
  const isDefault = CHARSETS.some((s) => s.defaultCollation === name);
  return { name, charset, id, isDefault, sortlen, padAttribute };
};

export const COLLATIONS: readonly CollationInfo[] = [
  c('big5_chinese_ci', 1),
  c('latin1_german1_ci', 5),
  c('latin1_swedish_ci', 8),
  c('ascii_general_ci', 11),
  c('sjis_japanese_ci', 13),
  c('gb2312_chinese_ci', 24),
  c('gbk_chinese_ci', 28),
  c('utf8mb3_general_ci', 33),
  c('ucs2_general_ci', 35),
  c('utf8mb4_general_ci', 45),
  c('utf8mb4_bin', 46),
  c('latin1_bin', 47),
  c('latin1_general_ci', 48),
  c('utf16_general_ci', 54),
  c('utf32_general_ci', 60),
  c('binary', 63),
  c('ascii_bin', 65),
  c('utf8mb3_bin', 83),
  c('gbk_bin', 87),
  c('utf8mb3_unicode_ci', 192, 8),
  c('utf8mb4_unicode_ci', 224, 8),
  c('utf8mb4_unicode_520_ci', 246, 8),
  c('utf8mb4_0900_ai_ci', 255, 0, 'NO PAD'),
  c('utf8mb4_0900_as_ci', 305, 0, 'NO PAD'),
  c('utf8mb4_0900_as_cs', 278, 0, 'NO PAD'),
  c('utf8mb4_0900_bin', 309, 1, 'NO PAD'),
];
