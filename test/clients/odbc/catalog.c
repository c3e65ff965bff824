/*
 * What Tableau and Power BI ask an ODBC driver for, printed one fact a line so the
 * end-to-end test can compare them: SQLTables, SQLColumns, SQLPrimaryKeys,
 * SQLStatistics, SQLSpecialColumns, SQLForeignKeys, SQLGetTypeInfo, and a prepared
 * statement round trip
 * (SQLPrepare / SQLBindParameter / SQLExecute / SQLFetch) with int, decimal, double,
 * varchar, date and datetime parameters and columns.
 *
 * Usage: catalog "<connection string>" <database> <table>
 * Output lines are tab-separated: a tag, then the values (NULL for SQL_NULL_DATA).
 * Exits 1 after printing "ERROR\t<function>\t<state>\t<message>" on the first failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sql.h>
#include <sqlext.h>

static SQLHENV env;
static SQLHDBC dbc;

static void fail(const char *what, SQLSMALLINT type, SQLHANDLE handle) {
  SQLCHAR state[6] = "", message[1024] = "";
  SQLINTEGER native = 0;
  SQLSMALLINT len = 0;
  SQLGetDiagRec(type, handle, 1, state, &native, message, sizeof message, &len);
  printf("ERROR\t%s\t%s\t%ld\t%s\n", what, (char *)state, (long)native, (char *)message);
  exit(1);
}

#define CHECK(call, what, type, handle)                                    \
  do {                                                                     \
    SQLRETURN rc_ = (call);                                                \
    if (rc_ != SQL_SUCCESS && rc_ != SQL_SUCCESS_WITH_INFO) fail(what, type, handle); \
  } while (0)

/* Prints every row of the statement's result as text: tag, then the listed columns. */
static void print_rows(SQLHSTMT stmt, const char *tag, const int *columns, int count) {
  for (;;) {
    SQLRETURN rc = SQLFetch(stmt);
    if (rc == SQL_NO_DATA) break;
    if (rc != SQL_SUCCESS && rc != SQL_SUCCESS_WITH_INFO) fail(tag, SQL_HANDLE_STMT, stmt);
    printf("%s", tag);
    for (int i = 0; i < count; i++) {
      char value[512];
      SQLLEN ind = 0;
      CHECK(SQLGetData(stmt, (SQLUSMALLINT)columns[i], SQL_C_CHAR, value, sizeof value, &ind), tag, SQL_HANDLE_STMT, stmt);
      printf("\t%s", ind == SQL_NULL_DATA ? "NULL" : value);
    }
    printf("\n");
  }
  SQLFreeStmt(stmt, SQL_CLOSE);
}

static SQLHSTMT new_statement(void) {
  SQLHSTMT stmt;
  CHECK(SQLAllocHandle(SQL_HANDLE_STMT, dbc, &stmt), "SQLAllocHandle", SQL_HANDLE_DBC, dbc);
  return stmt;
}

static void exec_direct(const char *sql) {
  SQLHSTMT stmt = new_statement();
  CHECK(SQLExecDirect(stmt, (SQLCHAR *)sql, SQL_NTS), sql, SQL_HANDLE_STMT, stmt);
  SQLFreeHandle(SQL_HANDLE_STMT, stmt);
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s <connection string> <database> <table>\n", argv[0]);
    return 2;
  }
  SQLCHAR *database = (SQLCHAR *)argv[2];
  SQLCHAR *table = (SQLCHAR *)argv[3];
  CHECK(SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env), "SQLAllocHandle", SQL_HANDLE_ENV, env);
  CHECK(SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION, (void *)SQL_OV_ODBC3, 0), "SQLSetEnvAttr", SQL_HANDLE_ENV, env);
  CHECK(SQLAllocHandle(SQL_HANDLE_DBC, env, &dbc), "SQLAllocHandle", SQL_HANDLE_ENV, env);
  SQLCHAR out[1024];
  SQLSMALLINT outLen;
  CHECK(SQLDriverConnect(dbc, NULL, (SQLCHAR *)argv[1], SQL_NTS, out, sizeof out, &outLen, SQL_DRIVER_NOPROMPT), "SQLDriverConnect", SQL_HANDLE_DBC, dbc);

  char dbms[128], version[128];
  SQLSMALLINT len;
  CHECK(SQLGetInfo(dbc, SQL_DBMS_NAME, dbms, sizeof dbms, &len), "SQLGetInfo", SQL_HANDLE_DBC, dbc);
  CHECK(SQLGetInfo(dbc, SQL_DBMS_VER, version, sizeof version, &len), "SQLGetInfo", SQL_HANDLE_DBC, dbc);
  printf("INFO\t%s\t%s\n", dbms, version);

  SQLHSTMT stmt = new_statement();

  /* TABLE_CAT, TABLE_NAME, TABLE_TYPE */
  static const int tableCols[] = {1, 3, 4};
  CHECK(SQLTables(stmt, database, SQL_NTS, NULL, 0, (SQLCHAR *)"%", SQL_NTS, (SQLCHAR *)"TABLE,VIEW", SQL_NTS), "SQLTables", SQL_HANDLE_STMT, stmt);
  print_rows(stmt, "TABLE", tableCols, 3);

  /* COLUMN_NAME, DATA_TYPE, TYPE_NAME, COLUMN_SIZE, DECIMAL_DIGITS, NULLABLE, ORDINAL_POSITION */
  static const int columnCols[] = {4, 5, 6, 7, 9, 11, 17};
  CHECK(SQLColumns(stmt, database, SQL_NTS, NULL, 0, table, SQL_NTS, (SQLCHAR *)"%", SQL_NTS), "SQLColumns", SQL_HANDLE_STMT, stmt);
  print_rows(stmt, "COLUMN", columnCols, 7);

  /* COLUMN_NAME, KEY_SEQ, PK_NAME */
  static const int pkCols[] = {4, 5, 6};
  CHECK(SQLPrimaryKeys(stmt, database, SQL_NTS, NULL, 0, table, SQL_NTS), "SQLPrimaryKeys", SQL_HANDLE_STMT, stmt);
  print_rows(stmt, "PK", pkCols, 3);

  /* NON_UNIQUE, INDEX_NAME, TYPE, ORDINAL_POSITION, COLUMN_NAME */
  static const int statCols[] = {4, 6, 7, 8, 9};
  CHECK(SQLStatistics(stmt, database, SQL_NTS, NULL, 0, table, SQL_NTS, SQL_INDEX_ALL, SQL_QUICK), "SQLStatistics", SQL_HANDLE_STMT, stmt);
  print_rows(stmt, "INDEX", statCols, 5);

  /* COLUMN_NAME, DATA_TYPE, TYPE_NAME: the columns that identify a row */
  static const int specialCols[] = {2, 3, 4};
  CHECK(SQLSpecialColumns(stmt, SQL_BEST_ROWID, database, SQL_NTS, NULL, 0, table, SQL_NTS, SQL_SCOPE_SESSION, SQL_NULLABLE), "SQLSpecialColumns", SQL_HANDLE_STMT, stmt);
  print_rows(stmt, "SPECIAL", specialCols, 3);

  /* FKTABLE_NAME, FKCOLUMN_NAME (what Power BI reads to propose relationships) */
  static const int fkCols[] = {7, 8};
  CHECK(SQLForeignKeys(stmt, NULL, 0, NULL, 0, NULL, 0, database, SQL_NTS, NULL, 0, table, SQL_NTS), "SQLForeignKeys", SQL_HANDLE_STMT, stmt);
  print_rows(stmt, "FK", fkCols, 2);

  /* TYPE_NAME, DATA_TYPE */
  static const int typeCols[] = {1, 2};
  CHECK(SQLGetTypeInfo(stmt, SQL_ALL_TYPES), "SQLGetTypeInfo", SQL_HANDLE_STMT, stmt);
  print_rows(stmt, "TYPE", typeCols, 2);
  SQLFreeHandle(SQL_HANDLE_STMT, stmt);

  /* A prepared round trip: insert one row through bound parameters, read it back through bound ones. */
  exec_direct("DROP TABLE IF EXISTS odbc_params");
  exec_direct("CREATE TABLE odbc_params (i INT, d DECIMAL(10,2), f DOUBLE, s VARCHAR(40), dt DATE, ts DATETIME)");
  stmt = new_statement();
  CHECK(SQLPrepare(stmt, (SQLCHAR *)"INSERT INTO odbc_params VALUES (?, ?, ?, ?, ?, ?)", SQL_NTS), "SQLPrepare", SQL_HANDLE_STMT, stmt);
  SQLINTEGER i = 42;
  SQLCHAR d[] = "1234.56";
  SQLDOUBLE f = 2.5;
  SQLCHAR s[] = "héllo, ODBC";
  SQL_DATE_STRUCT dt = {2024, 2, 29};
  SQL_TIMESTAMP_STRUCT ts = {2024, 12, 31, 23, 59, 58, 0};
  SQLLEN dLen = SQL_NTS, sLen = SQL_NTS;
  CHECK(SQLBindParameter(stmt, 1, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, &i, 0, NULL), "SQLBindParameter", SQL_HANDLE_STMT, stmt);
  CHECK(SQLBindParameter(stmt, 2, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_DECIMAL, 10, 2, d, sizeof d, &dLen), "SQLBindParameter", SQL_HANDLE_STMT, stmt);
  CHECK(SQLBindParameter(stmt, 3, SQL_PARAM_INPUT, SQL_C_DOUBLE, SQL_DOUBLE, 0, 0, &f, 0, NULL), "SQLBindParameter", SQL_HANDLE_STMT, stmt);
  CHECK(SQLBindParameter(stmt, 4, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_VARCHAR, 40, 0, s, sizeof s, &sLen), "SQLBindParameter", SQL_HANDLE_STMT, stmt);
  CHECK(SQLBindParameter(stmt, 5, SQL_PARAM_INPUT, SQL_C_TYPE_DATE, SQL_TYPE_DATE, 10, 0, &dt, 0, NULL), "SQLBindParameter", SQL_HANDLE_STMT, stmt);
  CHECK(SQLBindParameter(stmt, 6, SQL_PARAM_INPUT, SQL_C_TYPE_TIMESTAMP, SQL_TYPE_TIMESTAMP, 19, 0, &ts, 0, NULL), "SQLBindParameter", SQL_HANDLE_STMT, stmt);
  CHECK(SQLExecute(stmt), "SQLExecute", SQL_HANDLE_STMT, stmt);
  SQLLEN affected = 0;
  CHECK(SQLRowCount(stmt, &affected), "SQLRowCount", SQL_HANDLE_STMT, stmt);
  printf("INSERTED\t%ld\n", (long)affected);
  SQLFreeHandle(SQL_HANDLE_STMT, stmt);

  stmt = new_statement();
  CHECK(SQLPrepare(stmt, (SQLCHAR *)"SELECT i, d, f, s, dt, ts FROM odbc_params WHERE i = ? AND dt = ?", SQL_NTS), "SQLPrepare", SQL_HANDLE_STMT, stmt);
  CHECK(SQLBindParameter(stmt, 1, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, &i, 0, NULL), "SQLBindParameter", SQL_HANDLE_STMT, stmt);
  CHECK(SQLBindParameter(stmt, 2, SQL_PARAM_INPUT, SQL_C_TYPE_DATE, SQL_TYPE_DATE, 10, 0, &dt, 0, NULL), "SQLBindParameter", SQL_HANDLE_STMT, stmt);
  CHECK(SQLExecute(stmt), "SQLExecute", SQL_HANDLE_STMT, stmt);
  for (SQLUSMALLINT c = 1; c <= 6; c++) {
    SQLCHAR name[64];
    SQLSMALLINT nameLen, type, digits, nullable;
    SQLULEN size;
    CHECK(SQLDescribeCol(stmt, c, name, sizeof name, &nameLen, &type, &size, &digits, &nullable), "SQLDescribeCol", SQL_HANDLE_STMT, stmt);
    printf("DESCRIBE\t%s\t%d\t%d\n", (char *)name, (int)type, (int)digits);
  }
  SQLINTEGER gi = 0;
  SQLCHAR gd[32] = "";
  SQLDOUBLE gf = 0;
  SQLCHAR gs[64] = "";
  SQL_DATE_STRUCT gdt;
  SQL_TIMESTAMP_STRUCT gts;
  SQLLEN ind[6];
  CHECK(SQLBindCol(stmt, 1, SQL_C_SLONG, &gi, 0, &ind[0]), "SQLBindCol", SQL_HANDLE_STMT, stmt);
  CHECK(SQLBindCol(stmt, 2, SQL_C_CHAR, gd, sizeof gd, &ind[1]), "SQLBindCol", SQL_HANDLE_STMT, stmt);
  CHECK(SQLBindCol(stmt, 3, SQL_C_DOUBLE, &gf, 0, &ind[2]), "SQLBindCol", SQL_HANDLE_STMT, stmt);
  CHECK(SQLBindCol(stmt, 4, SQL_C_CHAR, gs, sizeof gs, &ind[3]), "SQLBindCol", SQL_HANDLE_STMT, stmt);
  CHECK(SQLBindCol(stmt, 5, SQL_C_TYPE_DATE, &gdt, 0, &ind[4]), "SQLBindCol", SQL_HANDLE_STMT, stmt);
  CHECK(SQLBindCol(stmt, 6, SQL_C_TYPE_TIMESTAMP, &gts, 0, &ind[5]), "SQLBindCol", SQL_HANDLE_STMT, stmt);
  int rows = 0;
  for (;;) {
    SQLRETURN rc = SQLFetch(stmt);
    if (rc == SQL_NO_DATA) break;
    if (rc != SQL_SUCCESS && rc != SQL_SUCCESS_WITH_INFO) fail("SQLFetch", SQL_HANDLE_STMT, stmt);
    rows++;
    printf("FETCHED\t%d\t%s\t%.3f\t%s\t%04d-%02d-%02d\t%04d-%02d-%02d %02d:%02d:%02d\n", (int)gi, (char *)gd, gf, (char *)gs, gdt.year, gdt.month, gdt.day,
           gts.year, gts.month, gts.day, gts.hour, gts.minute, gts.second);
  }
  printf("ROWS\t%d\n", rows);
  SQLFreeHandle(SQL_HANDLE_STMT, stmt);

  SQLDisconnect(dbc);
  SQLFreeHandle(SQL_HANDLE_DBC, dbc);
  SQLFreeHandle(SQL_HANDLE_ENV, env);
  return 0;
}
