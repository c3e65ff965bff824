import java.sql.*;
import java.util.*;

/**
 * Prints what MariaDB Connector/J's DatabaseMetaData reports for one database, one line
 * per row, so that the output of two servers can be compared line by line.
 * Usage: java Meta <jdbc-url> <database>
 * Lines starting with "product" carry the server's name and version and differ by design.
 */
public class Meta {
  static void print(String label, ResultSet rs, String... columns) throws SQLException {
    int rows = 0;
    try (ResultSet r = rs) {
      while (r.next()) {
        StringBuilder line = new StringBuilder(label);
        for (String column : columns) {
          line.append(' ').append(column).append('=').append(r.getString(column));
        }
        System.out.println(line);
        rows++;
      }
    }
    System.out.println(label + " rows=" + rows);
  }

  public static void main(String[] args) throws Exception {
    String db = args[1];
    try (Connection c = DriverManager.getConnection(args[0])) {
      DatabaseMetaData md = c.getMetaData();
      System.out.println("product name=" + md.getDatabaseProductName() + " version=" + md.getDatabaseProductVersion()
          + " major=" + md.getDatabaseMajorVersion() + " minor=" + md.getDatabaseMinorVersion());
      System.out.println("driver " + md.getDriverName() + " catalogTerm=" + md.getCatalogTerm() + " quote=" + md.getIdentifierQuoteString());

      List<String> catalogs = new ArrayList<>();
      try (ResultSet r = md.getCatalogs()) {
        while (r.next()) catalogs.add(r.getString("TABLE_CAT"));
      }
      System.out.println("getCatalogs has " + db + "=" + catalogs.contains(db) + " sorted=" + catalogs.equals(sorted(catalogs)));
      print("getSchemas", md.getSchemas(), "TABLE_SCHEM", "TABLE_CATALOG");

      print("getTables(all)", md.getTables(db, null, "%", null), "TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "TABLE_TYPE", "REMARKS");
      print("getTables(TABLE)", md.getTables(db, null, "%", new String[] {"TABLE"}), "TABLE_NAME", "TABLE_TYPE");
      print("getTables(VIEW)", md.getTables(db, null, "%", new String[] {"VIEW"}), "TABLE_NAME", "TABLE_TYPE");
      print("getTables(it%)", md.getTables(db, null, "it%", null), "TABLE_NAME", "TABLE_TYPE");
      print("getTables(items_restore_)", md.getTables(db, null, "items_restore_", null), "TABLE_NAME");
      print("getTables(nosuch)", md.getTables(db, null, "nosuch%", null), "TABLE_NAME");
      print("getTableTypes", md.getTableTypes(), "TABLE_TYPE");

      for (String table : new String[] {"everything", "items", "items_restored", "v_items"}) {
        print("getColumns(" + table + ")", md.getColumns(db, null, table, "%"),
            "TABLE_CAT", "TABLE_NAME", "COLUMN_NAME", "DATA_TYPE", "TYPE_NAME", "COLUMN_SIZE", "DECIMAL_DIGITS",
            "NUM_PREC_RADIX", "NULLABLE", "COLUMN_DEF", "CHAR_OCTET_LENGTH", "ORDINAL_POSITION", "IS_NULLABLE",
            "IS_AUTOINCREMENT", "IS_GENERATEDCOLUMN");
        print("getPrimaryKeys(" + table + ")", md.getPrimaryKeys(db, null, table), "TABLE_CAT", "TABLE_NAME", "COLUMN_NAME", "KEY_SEQ", "PK_NAME");
        print("getIndexInfo(" + table + ")", md.getIndexInfo(db, null, table, false, false),
            "TABLE_CAT", "TABLE_NAME", "NON_UNIQUE", "INDEX_NAME", "TYPE", "ORDINAL_POSITION", "COLUMN_NAME", "ASC_OR_DESC");
        print("getImportedKeys(" + table + ")", md.getImportedKeys(db, null, table), "PKTABLE_NAME", "PKCOLUMN_NAME", "FKTABLE_NAME", "FKCOLUMN_NAME");
        print("getExportedKeys(" + table + ")", md.getExportedKeys(db, null, table), "PKTABLE_NAME", "FKTABLE_NAME");
      }
      print("getColumns(it%.%e)", md.getColumns(db, null, "it%", "%e"), "TABLE_NAME", "COLUMN_NAME", "TYPE_NAME");
      print("getBestRowIdentifier(items)", md.getBestRowIdentifier(db, null, "items", DatabaseMetaData.bestRowSession, true),
          "COLUMN_NAME", "DATA_TYPE", "TYPE_NAME");
      // What schema browsers (DBeaver, IntelliJ) ask for besides tables: empty answers, but answers.
      print("getProcedures", md.getProcedures(db, null, "%"), "PROCEDURE_NAME", "PROCEDURE_TYPE");
      print("getFunctions", md.getFunctions(db, null, "%"), "FUNCTION_NAME", "FUNCTION_TYPE");
      print("getProcedureColumns", md.getProcedureColumns(db, null, "%", "%"), "PROCEDURE_NAME", "COLUMN_NAME");
      print("getCrossReference(items,items_restored)", md.getCrossReference(db, null, "items", db, null, "items_restored"), "FKCOLUMN_NAME");
      print("getVersionColumns(items)", md.getVersionColumns(db, null, "items"), "COLUMN_NAME");
      print("getSuperTables", md.getSuperTables(db, null, "%"), "TABLE_NAME");
      print("getUDTs", md.getUDTs(db, null, "%", null), "TYPE_NAME");
      print("getPseudoColumns", md.getPseudoColumns(db, null, "%", "%"), "COLUMN_NAME");
      print("getTablePrivileges(items)", md.getTablePrivileges(db, null, "items"), "TABLE_NAME", "GRANTEE", "PRIVILEGE");
      print("getColumnPrivileges(items)", md.getColumnPrivileges(db, null, "items", "%"), "COLUMN_NAME", "PRIVILEGE");
      print("getIndexInfo(everything, unique)", md.getIndexInfo(db, null, "everything", true, false), "INDEX_NAME", "COLUMN_NAME", "NON_UNIQUE");
      print("getTypeInfo", md.getTypeInfo(), "TYPE_NAME", "DATA_TYPE", "PRECISION", "NULLABLE", "CASE_SENSITIVE", "UNSIGNED_ATTRIBUTE", "AUTO_INCREMENT");

      // A table's columns through a plain query, as DBeaver and others read them.
      try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT * FROM " + db + ".items_restored ORDER BY id")) {
        ResultSetMetaData rm = r.getMetaData();
        for (int i = 1; i <= rm.getColumnCount(); i++) {
          System.out.println("select items_restored col " + rm.getColumnName(i) + " type=" + rm.getColumnType(i) + " typeName=" + rm.getColumnTypeName(i)
              + " table=" + rm.getTableName(i) + " catalog=" + rm.getCatalogName(i) + " nullable=" + rm.isNullable(i)
              + " autoIncrement=" + rm.isAutoIncrement(i));
        }
        while (r.next()) System.out.println("select items_restored row " + r.getInt("id") + " " + r.getString("name") + " " + r.getBigDecimal("price"));
      }
      System.out.println("done");
    }
  }

  static List<String> sorted(List<String> list) {
    List<String> copy = new ArrayList<>(list);
    Collections.sort(copy);
    return copy;
  }
}
