// The one table of MySQL errors ducksafe can send. Every error a client sees is
// named here; nothing else in the code picks an errno or a SQLSTATE by hand.
// Numbers and states follow the MySQL 8 server error reference.

export const ERRORS = {
  ER_CON_COUNT_ERROR: { errno: 1040, sqlState: '08004' },
  ER_HANDSHAKE_ERROR: { errno: 1043, sqlState: '08S01' },
  ER_DBACCESS_DENIED_ERROR: { errno: 1044, sqlState: '42000' },
  ER_ACCESS_DENIED_ERROR: { errno: 1045, sqlState: '28000' },
  ER_NO_DB_ERROR: { errno: 1046, sqlState: '3D000' },
  ER_UNKNOWN_COM_ERROR: { errno: 1047, sqlState: '08S01' },
  ER_BAD_NULL_ERROR: { errno: 1048, sqlState: '23000' },
  ER_BAD_DB_ERROR: { errno: 1049, sqlState: '42000' },
  ER_TABLE_EXISTS_ERROR: { errno: 1050, sqlState: '42S01' },
  ER_BAD_TABLE_ERROR: { errno: 1051, sqlState: '42S02' },
  ER_NON_UNIQ_ERROR: { errno: 1052, sqlState: '23000' },
  ER_SERVER_SHUTDOWN: { errno: 1053, sqlState: '08S01' },
  ER_BAD_FIELD_ERROR: { errno: 1054, sqlState: '42S22' },
  ER_WRONG_FIELD_WITH_GROUP: { errno: 1055, sqlState: '42000' },
  ER_DUP_FIELDNAME: { errno: 1060, sqlState: '42S21' },
  ER_DUP_KEYNAME: { errno: 1061, sqlState: '42000' },
  ER_DUP_ENTRY: { errno: 1062, sqlState: '23000' },
  ER_PARSE_ERROR: { errno: 1064, sqlState: '42000' },
  ER_EMPTY_QUERY: { errno: 1065, sqlState: '42000' },
  ER_NONUNIQ_TABLE: { errno: 1066, sqlState: '42000' },
  ER_INVALID_DEFAULT: { errno: 1067, sqlState: '42000' },
  ER_MULTIPLE_PRI_KEY: { errno: 1068, sqlState: '42000' },
  ER_KEY_COLUMN_DOES_NOT_EXITS: { errno: 1072, sqlState: '42000' },
  ER_NO_DEFAULT_FOR_FIELD: { errno: 1364, sqlState: 'HY000' },
  ER_FIELD_SPECIFIED_TWICE: { errno: 1110, sqlState: '42000' },
  ER_FIELD_NOT_FOUND_PART_ERROR: { errno: 1488, sqlState: 'HY000' },
  ER_RANGE_NOT_INCREASING_ERROR: { errno: 1493, sqlState: 'HY000' },
  ER_MULTIPLE_DEF_CONST_IN_LIST_PART_ERROR: { errno: 1495, sqlState: 'HY000' },
  ER_DROP_PARTITION_NON_EXISTENT: { errno: 1507, sqlState: 'HY000' },
  ER_DROP_LAST_PARTITION: { errno: 1508, sqlState: 'HY000' },
  ER_ONLY_ON_RANGE_LIST_PARTITION: { errno: 1512, sqlState: 'HY000' },
  ER_SAME_NAME_PARTITION: { errno: 1517, sqlState: 'HY000' },
  ER_NO_PARTITION_FOR_GIVEN_VALUE: { errno: 1526, sqlState: 'HY000' },
  ER_PARTITION_MGMT_ON_NONPARTITIONED: { errno: 1505, sqlState: 'HY000' },
  ER_UNKNOWN_PARTITION: { errno: 1735, sqlState: 'HY000' },
  ER_CANT_DROP_FIELD_OR_KEY: { errno: 1091, sqlState: '42000' },
  ER_CANT_REMOVE_ALL_FIELDS: { errno: 1090, sqlState: '42000' },
  ER_INVALID_USE_OF_NULL: { errno: 1138, sqlState: '22004' },
  WARN_DATA_TRUNCATED: { errno: 1265, sqlState: '01000' },
  ER_ERROR_ON_RENAME: { errno: 1025, sqlState: 'HY000' },
  ER_NET_PACKET_TOO_LARGE: { errno: 1153, sqlState: '08S01' },
  ER_NET_READ_ERROR: { errno: 1158, sqlState: '08S01' },
  ER_WRONG_VALUE_COUNT_ON_ROW: { errno: 1136, sqlState: '21S01' },
  ER_WRONG_VALUE_COUNT: { errno: 1058, sqlState: '21S01' },
  ER_UNKNOWN_ERROR: { errno: 1105, sqlState: 'HY000' },
  ER_DB_CREATE_EXISTS: { errno: 1007, sqlState: 'HY000' },
  ER_DB_DROP_EXISTS: { errno: 1008, sqlState: 'HY000' },
  ER_TOO_LONG_IDENT: { errno: 1059, sqlState: '42000' },
  ER_WRONG_DB_NAME: { errno: 1102, sqlState: '42000' },
  ER_WRONG_TABLE_NAME: { errno: 1103, sqlState: '42000' },
  ER_UNKNOWN_SYSTEM_VARIABLE: { errno: 1193, sqlState: 'HY000' },
  ER_WRONG_VALUE_FOR_VAR: { errno: 1231, sqlState: '42000' },
  ER_WRONG_TYPE_FOR_VAR: { errno: 1232, sqlState: '42000' },
  ER_NOT_SUPPORTED_YET: { errno: 1235, sqlState: '42000' },
  ER_UNKNOWN_STMT_HANDLER: { errno: 1243, sqlState: 'HY000' },
  ER_WRONG_ARGUMENTS: { errno: 1210, sqlState: 'HY000' },
  ER_LOCK_DEADLOCK: { errno: 1213, sqlState: '40001' },
  ER_QUERY_INTERRUPTED: { errno: 1317, sqlState: '70100' },
  ER_SP_DOES_NOT_EXIST: { errno: 1305, sqlState: '42000' },
  ER_TRUNCATED_WRONG_VALUE: { errno: 1292, sqlState: '22007' },
  ER_TRUNCATED_WRONG_VALUE_FOR_FIELD: { errno: 1366, sqlState: 'HY000' },
  ER_WARN_DATA_OUT_OF_RANGE: { errno: 1264, sqlState: '22003' },
  ER_DATA_TOO_LONG: { errno: 1406, sqlState: '22001' },
  ER_DIVISION_BY_ZERO: { errno: 1365, sqlState: '22012' },
  ER_UNKNOWN_TIME_ZONE: { errno: 1298, sqlState: 'HY000' },
  ER_SP_WRONG_NO_OF_ARGS: { errno: 1318, sqlState: '42000' },
  ER_WRONG_PARAMCOUNT_TO_NATIVE_FCT: { errno: 1582, sqlState: '42000' },
  ER_FUNCTION_NOT_DEFINED: { errno: 1128, sqlState: 'HY000' },
  ER_NO_SUCH_TABLE: { errno: 1146, sqlState: '42S02' },
  ER_UNKNOWN_TABLE: { errno: 1109, sqlState: '42S02' },
  ER_UNKNOWN_OPTION: { errno: 1911, sqlState: 'HY000' },
  ER_UNKNOWN_CHARACTER_SET: { errno: 1115, sqlState: '42000' },
  ER_USER_LOCK_WRONG_NAME: { errno: 3057, sqlState: '42000' },
  ER_NONEXISTING_GRANT: { errno: 1141, sqlState: '42000' },
  ER_CLIENT_LOCAL_FILES_DISABLED: { errno: 3948, sqlState: '42000' },
  ER_WRONG_FIELD_TERMINATORS: { errno: 1083, sqlState: '42000' },
  ER_UNSUPPORTED_PS: { errno: 1295, sqlState: 'HY000' },
  ER_WRONG_OBJECT: { errno: 1347, sqlState: 'HY000' },
  ER_VIEW_WRONG_LIST: { errno: 1353, sqlState: 'HY000' },
  ER_VIEW_RECURSIVE: { errno: 1462, sqlState: 'HY000' },
  ER_ILLEGAL_VALUE_FOR_TYPE: { errno: 1367, sqlState: '22007' },
  ER_NO_SUCH_THREAD: { errno: 1094, sqlState: 'HY000' },
  ER_SPECIFIC_ACCESS_DENIED_ERROR: { errno: 1227, sqlState: '42000' },
  ER_TABLEACCESS_DENIED_ERROR: { errno: 1142, sqlState: '42000' },
  ER_ILLEGAL_GRANT_FOR_TABLE: { errno: 1144, sqlState: '42000' },
  ER_CANNOT_USER: { errno: 1396, sqlState: 'HY000' },
  ER_OPTION_PREVENTS_STATEMENT: { errno: 1290, sqlState: 'HY000' },
  ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION: { errno: 1792, sqlState: '25006' },
  ER_CANT_CREATE_TABLE: { errno: 1005, sqlState: 'HY000' },
  ER_STORAGE_ERROR: { errno: 1030, sqlState: 'HY000' },
  ER_ERROR_ON_WRITE: { errno: 1026, sqlState: 'HY000' },
  ER_FILE_NOT_FOUND: { errno: 1017, sqlState: 'HY000' },
  ER_NET_ERROR_ON_WRITE: { errno: 1160, sqlState: '08S01' },
  ER_TOO_BIG_FIELDLENGTH: { errno: 1074, sqlState: '42000' },
  ER_TOO_BIG_PRECISION: { errno: 1426, sqlState: '42000' },
  ER_WRONG_FIELD_SPEC: { errno: 1063, sqlState: '42000' },
  ER_BLOB_CANT_HAVE_DEFAULT: { errno: 1101, sqlState: '42000' },
  ER_TABLE_MUST_HAVE_COLUMNS: { errno: 1113, sqlState: '42000' },
  ER_WRONG_AUTO_KEY: { errno: 1075, sqlState: '42000' },
  ER_MALFORMED_PACKET: { errno: 1835, sqlState: 'HY000' },
  ER_CANT_DO_THIS_DURING_AN_TRANSACTION: { errno: 1179, sqlState: '25000' },
  ER_SUBQUERY_NO_1_ROW: { errno: 1242, sqlState: '21000' },
  ER_OPERAND_COLUMNS: { errno: 1241, sqlState: '21000' },
  ER_TOO_MANY_ROWS: { errno: 1172, sqlState: '42000' },
  ER_INVALID_GROUP_FUNC_USE: { errno: 1111, sqlState: 'HY000' },
  ER_WRONG_USAGE: { errno: 1221, sqlState: 'HY000' },
  ER_DUP_ARGUMENT: { errno: 1225, sqlState: 'HY000' },
  ER_CANT_AGGREGATE_2COLLATIONS: { errno: 1267, sqlState: 'HY000' },
  ER_TOO_BIG_SCALE: { errno: 1425, sqlState: '42000' },
  ER_M_BIGGER_THAN_D: { errno: 1427, sqlState: '42000' },
  ER_INVALID_ON_UPDATE: { errno: 1294, sqlState: 'HY000' },
  ER_PRIMARY_CANT_HAVE_NULL: { errno: 1171, sqlState: '42000' },
  ER_PARTITIONS_MUST_BE_DEFINED_ERROR: { errno: 1492, sqlState: 'HY000' },
  ER_STACK_OVERRUN_NEED_MORE: { errno: 1436, sqlState: 'HY000' },
  ER_SECURE_TRANSPORT_REQUIRED: { errno: 3159, sqlState: 'HY000' },
  // InnoDB's answer when a consistent read asks for a version of a table it no longer
  // has; ducksafe's for a past state of a table that is beyond its retention period or
  // that VACUUM removed.
  ER_TABLE_DEF_CHANGED: { errno: 1412, sqlState: 'HY000' },
} as const satisfies Record<string, { errno: number; sqlState: string }>;

export type ErrorName = keyof typeof ERRORS;

/** A statement-level error that reaches the client as an ERR packet. */
export class SqlError extends Error {
  readonly errno: number;
  readonly sqlState: string;
  constructor(
    readonly code: ErrorName,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SqlError';
    this.errno = ERRORS[code].errno;
    this.sqlState = ERRORS[code].sqlState;
  }
}

export function sqlError(code: ErrorName, message: string, cause?: unknown): SqlError {
  return new SqlError(code, message, cause === undefined ? undefined : { cause });
}

export function isSqlError(err: unknown): err is SqlError {
  return err instanceof SqlError;
}
