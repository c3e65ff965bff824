// Numbers of the MySQL client/server protocol, named as in the MySQL source
// (include/mysql_com.h, include/field_types.h, include/my_command.h).

/** The largest payload one packet can carry; a payload this long continues in the next packet. */
export const MAX_PACKET_PAYLOAD = 0xff_ff_ff;

/** MySQL 8's default max_allowed_packet. */
export const DEFAULT_MAX_PAYLOAD_LENGTH = 64 * 1024 * 1024;

/** The version byte of the only handshake clients still speak. */
export const PROTOCOL_VERSION = 10;

/** Capability flags exchanged in the handshake. Values above 2^30 are read back as unsigned. */
export const CapabilityFlags = {
  CLIENT_LONG_PASSWORD: 0x0000_0001,
  CLIENT_FOUND_ROWS: 0x0000_0002,
  CLIENT_LONG_FLAG: 0x0000_0004,
  CLIENT_CONNECT_WITH_DB: 0x0000_0008,
  CLIENT_NO_SCHEMA: 0x0000_0010,
  CLIENT_COMPRESS: 0x0000_0020,
  CLIENT_ODBC: 0x0000_0040,
  CLIENT_LOCAL_FILES: 0x0000_0080,
  CLIENT_IGNORE_SPACE: 0x0000_0100,
  CLIENT_PROTOCOL_41: 0x0000_0200,
  CLIENT_INTERACTIVE: 0x0000_0400,
  CLIENT_SSL: 0x0000_0800,
  CLIENT_IGNORE_SIGPIPE: 0x0000_1000,
  CLIENT_TRANSACTIONS: 0x0000_2000,
  CLIENT_RESERVED: 0x0000_4000,
  /** Called CLIENT_RESERVED2 in MySQL 8's headers. */
  CLIENT_SECURE_CONNECTION: 0x0000_8000,
  CLIENT_MULTI_STATEMENTS: 0x0001_0000,
  CLIENT_MULTI_RESULTS: 0x0002_0000,
  CLIENT_PS_MULTI_RESULTS: 0x0004_0000,
  CLIENT_PLUGIN_AUTH: 0x0008_0000,
  CLIENT_CONNECT_ATTRS: 0x0010_0000,
  CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA: 0x0020_0000,
  CLIENT_CAN_HANDLE_EXPIRED_PASSWORDS: 0x0040_0000,
  CLIENT_SESSION_TRACK: 0x0080_0000,
  CLIENT_DEPRECATE_EOF: 0x0100_0000,
  CLIENT_OPTIONAL_RESULTSET_METADATA: 0x0200_0000,
  CLIENT_ZSTD_COMPRESSION_ALGORITHM: 0x0400_0000,
  CLIENT_QUERY_ATTRIBUTES: 0x0800_0000,
  CLIENT_MULTI_FACTOR_AUTHENTICATION: 0x1000_0000,
  CLIENT_CAPABILITY_EXTENSION: 0x2000_0000,
  CLIENT_SSL_VERIFY_SERVER_CERT: 0x4000_0000,
  CLIENT_REMEMBER_OPTIONS: 0x8000_0000,
} as const;
export type CapabilityFlagName = keyof typeof CapabilityFlags;
export type CapabilityFlag = (typeof CapabilityFlags)[CapabilityFlagName];

/**
 * Whether `flag` is set in `capabilities`. JS bit operators work on signed 32-bit
 * integers, so `flags & CLIENT_REMEMBER_OPTIONS` is negative when set; compare with 0.
 */
export function hasCapability(capabilities: number, flag: CapabilityFlag): boolean {
  return (capabilities & flag) !== 0;
}

/** Status flags carried by OK and EOF packets (and the handshake). */
export const ServerStatus = {
  SERVER_STATUS_IN_TRANS: 0x0001,
  SERVER_STATUS_AUTOCOMMIT: 0x0002,
  SERVER_MORE_RESULTS_EXISTS: 0x0008,
  SERVER_QUERY_NO_GOOD_INDEX_USED: 0x0010,
  SERVER_QUERY_NO_INDEX_USED: 0x0020,
  SERVER_STATUS_CURSOR_EXISTS: 0x0040,
  SERVER_STATUS_LAST_ROW_SENT: 0x0080,
  SERVER_STATUS_DB_DROPPED: 0x0100,
  SERVER_STATUS_NO_BACKSLASH_ESCAPES: 0x0200,
  SERVER_STATUS_METADATA_CHANGED: 0x0400,
  SERVER_QUERY_WAS_SLOW: 0x0800,
  SERVER_PS_OUT_PARAMS: 0x1000,
  SERVER_STATUS_IN_TRANS_READONLY: 0x2000,
  SERVER_SESSION_STATE_CHANGED: 0x4000,
} as const;
export type ServerStatusName = keyof typeof ServerStatus;
export type ServerStatusFlag = (typeof ServerStatus)[ServerStatusName];

/** The first byte of every command payload. */
export const Commands = {
  COM_SLEEP: 0x00,
  COM_QUIT: 0x01,
  COM_INIT_DB: 0x02,
  COM_QUERY: 0x03,
  COM_FIELD_LIST: 0x04,
  COM_CREATE_DB: 0x05,
  COM_DROP_DB: 0x06,
  COM_REFRESH: 0x07,
  COM_SHUTDOWN: 0x08,
  COM_STATISTICS: 0x09,
  COM_PROCESS_INFO: 0x0a,
  COM_CONNECT: 0x0b,
  COM_PROCESS_KILL: 0x0c,
  COM_DEBUG: 0x0d,
  COM_PING: 0x0e,
  COM_TIME: 0x0f,
  COM_DELAYED_INSERT: 0x10,
  COM_CHANGE_USER: 0x11,
  COM_BINLOG_DUMP: 0x12,
  COM_TABLE_DUMP: 0x13,
  COM_CONNECT_OUT: 0x14,
  COM_REGISTER_SLAVE: 0x15,
  COM_STMT_PREPARE: 0x16,
  COM_STMT_EXECUTE: 0x17,
  COM_STMT_SEND_LONG_DATA: 0x18,
  COM_STMT_CLOSE: 0x19,
  COM_STMT_RESET: 0x1a,
  COM_SET_OPTION: 0x1b,
  COM_STMT_FETCH: 0x1c,
  COM_DAEMON: 0x1d,
  COM_BINLOG_DUMP_GTID: 0x1e,
  COM_RESET_CONNECTION: 0x1f,
} as const;
export type CommandName = keyof typeof Commands;
export type CommandByte = (typeof Commands)[CommandName];

/** Column and parameter types (enum_field_types). */
export const ColumnTypes = {
  MYSQL_TYPE_DECIMAL: 0x00,
  MYSQL_TYPE_TINY: 0x01,
  MYSQL_TYPE_SHORT: 0x02,
  MYSQL_TYPE_LONG: 0x03,
  MYSQL_TYPE_FLOAT: 0x04,
  MYSQL_TYPE_DOUBLE: 0x05,
  MYSQL_TYPE_NULL: 0x06,
  MYSQL_TYPE_TIMESTAMP: 0x07,
  MYSQL_TYPE_LONGLONG: 0x08,
  MYSQL_TYPE_INT24: 0x09,
  MYSQL_TYPE_DATE: 0x0a,
  MYSQL_TYPE_TIME: 0x0b,
  MYSQL_TYPE_DATETIME: 0x0c,
  MYSQL_TYPE_YEAR: 0x0d,
  MYSQL_TYPE_NEWDATE: 0x0e,
  MYSQL_TYPE_VARCHAR: 0x0f,
  MYSQL_TYPE_BIT: 0x10,
  MYSQL_TYPE_VECTOR: 0xf2,
  MYSQL_TYPE_JSON: 0xf5,
  MYSQL_TYPE_NEWDECIMAL: 0xf6,
  MYSQL_TYPE_ENUM: 0xf7,
  MYSQL_TYPE_SET: 0xf8,
  MYSQL_TYPE_TINY_BLOB: 0xf9,
  MYSQL_TYPE_MEDIUM_BLOB: 0xfa,
  MYSQL_TYPE_LONG_BLOB: 0xfb,
  MYSQL_TYPE_BLOB: 0xfc,
  MYSQL_TYPE_VAR_STRING: 0xfd,
  MYSQL_TYPE_STRING: 0xfe,
  MYSQL_TYPE_GEOMETRY: 0xff,
} as const;
export type ColumnTypeName = keyof typeof ColumnTypes;
export type ColumnType = (typeof ColumnTypes)[ColumnTypeName];

/** Column definition flags. */
export const ColumnFlags = {
  NOT_NULL_FLAG: 0x0001,
  PRI_KEY_FLAG: 0x0002,
  UNIQUE_KEY_FLAG: 0x0004,
  MULTIPLE_KEY_FLAG: 0x0008,
  BLOB_FLAG: 0x0010,
  UNSIGNED_FLAG: 0x0020,
  ZEROFILL_FLAG: 0x0040,
  BINARY_FLAG: 0x0080,
  ENUM_FLAG: 0x0100,
  AUTO_INCREMENT_FLAG: 0x0200,
  TIMESTAMP_FLAG: 0x0400,
  SET_FLAG: 0x0800,
  NO_DEFAULT_VALUE_FLAG: 0x1000,
  ON_UPDATE_NOW_FLAG: 0x2000,
  PART_KEY_FLAG: 0x4000,
  NUM_FLAG: 0x8000,
} as const;
export type ColumnFlagName = keyof typeof ColumnFlags;
export type ColumnFlag = (typeof ColumnFlags)[ColumnFlagName];

/**
 * Collation ids used on the wire (the "character set" of handshakes and column
 * definitions is a collation id). 63 marks binary data: clients tell bytes from
 * text by it alone.
 */
export const Collations = {
  latin1_swedish_ci: 8,
  utf8mb3_general_ci: 33,
  utf8mb4_general_ci: 45,
  utf8mb4_bin: 46,
  binary: 63,
  utf8mb3_bin: 83,
  utf8mb4_unicode_ci: 224,
  utf8mb4_0900_ai_ci: 255,
} as const;
export type CollationName = keyof typeof Collations;
export type CollationId = (typeof Collations)[CollationName];

/** The flags byte of COM_STMT_EXECUTE. */
export const CursorTypes = {
  CURSOR_TYPE_NO_CURSOR: 0x00,
  CURSOR_TYPE_READ_ONLY: 0x01,
  CURSOR_TYPE_FOR_UPDATE: 0x02,
  CURSOR_TYPE_SCROLLABLE: 0x04,
  /** Only with CLIENT_QUERY_ATTRIBUTES, which ducksafe never advertises. */
  PARAMETER_COUNT_AVAILABLE: 0x08,
} as const;
export type CursorTypeName = keyof typeof CursorTypes;

/** The argument of COM_SET_OPTION. */
export const SetOptions = {
  MYSQL_OPTION_MULTI_STATEMENTS_ON: 0,
  MYSQL_OPTION_MULTI_STATEMENTS_OFF: 1,
} as const;
export type SetOptionName = keyof typeof SetOptions;

/** First bytes that tell server responses apart. */
export const ResponseHeaders = {
  OK: 0x00,
  AUTH_MORE_DATA: 0x01,
  LOCAL_INFILE: 0xfb,
  EOF: 0xfe,
  AUTH_SWITCH_REQUEST: 0xfe,
  ERR: 0xff,
} as const;

/** Auth plugin names the server may announce or switch to. */
export const AuthPlugins = {
  MYSQL_NATIVE_PASSWORD: 'mysql_native_password',
  CACHING_SHA2_PASSWORD: 'caching_sha2_password',
  MYSQL_CLEAR_PASSWORD: 'mysql_clear_password',
} as const;
export type AuthPluginName = (typeof AuthPlugins)[keyof typeof AuthPlugins];
