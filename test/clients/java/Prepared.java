import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.math.BigDecimal;
import java.sql.*;

/**
 * Server-side prepared statements through MariaDB Connector/J: every column type written
 * with the typed setters, read back through prepared SELECTs with parameters in WHERE,
 * each getter and the ResultSetMetaData printed one line per value, then batches,
 * generated keys and one statement re-executed many times. Prints lines that two servers
 * can be compared by. Run with -Duser.timezone=UTC so that dates do not shift.
 * Usage: java Prepared <jdbc-url>   (the URL selects the database and useServerPrepStmts=true)
 */
public class Prepared {
  static final String COLUMNS = "ti, tiu, si, siu, mi, miu, i, iu, bi, biu, de, fl, db, bo, ch, vc, tx, bn, vb, bl, d, tm, dt, ts, yr, js, en";
  static final int COLUMN_COUNT = 27;

  static String hex(byte[] bytes) {
    if (bytes == null) return "null";
    StringBuilder s = new StringBuilder("0x");
    for (byte b : bytes) s.append(String.format("%02x", b));
    return s.toString();
  }

  static String show(Object value) {
    if (value == null) return "null";
    if (value instanceof byte[]) return "byte[]:" + hex((byte[]) value);
    return value.getClass().getSimpleName() + ":" + value;
  }

  /** Row 1: the maximum of each type. */
  static void bindMax(PreparedStatement ps) throws SQLException {
    int n = 1;
    ps.setByte(n++, Byte.MAX_VALUE);
    ps.setInt(n++, 255);
    ps.setShort(n++, Short.MAX_VALUE);
    ps.setInt(n++, 65535);
    ps.setInt(n++, 8388607);
    ps.setInt(n++, 16777215);
    ps.setInt(n++, Integer.MAX_VALUE);
    ps.setLong(n++, 4294967295L);
    ps.setLong(n++, Long.MAX_VALUE);
    ps.setBigDecimal(n++, new BigDecimal("18446744073709551615"));
    ps.setBigDecimal(n++, new BigDecimal("99999999.9999"));
    ps.setFloat(n++, 3.5f);
    ps.setDouble(n++, 1.7976931348623157E308);
    ps.setBoolean(n++, true);
    ps.setString(n++, "abc");
    ps.setString(n++, "héllo wörld €");
    ps.setString(n++, "日本語のテキスト");
    ps.setBytes(n++, new byte[] {1, 2, 3, 4});
    ps.setBytes(n++, new byte[] {(byte) 0xff, 0, (byte) 0x80});
    ps.setBytes(n++, new byte[] {0, 0, 65, 0});
    ps.setDate(n++, Date.valueOf("9999-12-31"));
    ps.setTime(n++, Time.valueOf("23:59:59"));
    ps.setTimestamp(n++, Timestamp.valueOf("2038-01-19 03:14:07.654321"));
    ps.setTimestamp(n++, Timestamp.valueOf("2030-06-15 12:30:45.123"));
    ps.setShort(n++, (short) 2155);
    ps.setString(n++, "{\"a\": [1, 2, {\"b\": null}]}");
    ps.setString(n++, "large");
  }

  /** Row 2: the minimum of each type. */
  static void bindMin(PreparedStatement ps) throws SQLException {
    int n = 1;
    ps.setByte(n++, Byte.MIN_VALUE);
    ps.setInt(n++, 0);
    ps.setShort(n++, Short.MIN_VALUE);
    ps.setInt(n++, 0);
    ps.setInt(n++, -8388608);
    ps.setInt(n++, 0);
    ps.setInt(n++, Integer.MIN_VALUE);
    ps.setLong(n++, 0L);
    ps.setLong(n++, Long.MIN_VALUE);
    ps.setLong(n++, 0L);
    ps.setBigDecimal(n++, new BigDecimal("-0.0001"));
    ps.setFloat(n++, -1.25f);
    ps.setDouble(n++, -2.5E-300);
    ps.setBoolean(n++, false);
    ps.setString(n++, "");
    ps.setString(n++, "");
    ps.setString(n++, "");
    ps.setBytes(n++, new byte[] {0, 0, 0, 0});
    ps.setBytes(n++, new byte[0]);
    ps.setBytes(n++, new byte[0]);
    ps.setDate(n++, Date.valueOf("1000-01-01"));
    ps.setTime(n++, Time.valueOf("00:00:00"));
    ps.setTimestamp(n++, Timestamp.valueOf("1000-01-01 00:00:00.000001"));
    ps.setTimestamp(n++, Timestamp.valueOf("1970-01-02 00:00:00"));
    ps.setInt(n++, 1901);
    ps.setString(n++, "[]");
    ps.setString(n++, "small");
  }

  /** Row 3: setNull with the matching java.sql.Types for every column. */
  static void bindNulls(PreparedStatement ps) throws SQLException {
    int[] types = {Types.TINYINT, Types.TINYINT, Types.SMALLINT, Types.SMALLINT, Types.INTEGER, Types.INTEGER, Types.INTEGER,
        Types.BIGINT, Types.BIGINT, Types.DECIMAL, Types.DECIMAL, Types.REAL, Types.DOUBLE, Types.BOOLEAN, Types.CHAR,
        Types.VARCHAR, Types.LONGVARCHAR, Types.BINARY, Types.VARBINARY, Types.BLOB, Types.DATE, Types.TIME,
        Types.TIMESTAMP, Types.TIMESTAMP, Types.SMALLINT, Types.VARCHAR, Types.VARCHAR};
    for (int n = 0; n < COLUMN_COUNT; n++) ps.setNull(n + 1, types[n]);
  }

  /** Row 4: ordinary values, the long ones sent as streams (COM_STMT_SEND_LONG_DATA). */
  static void bindStreams(PreparedStatement ps) throws SQLException {
    int n = 1;
    ps.setInt(n++, -1);
    ps.setInt(n++, 1);
    ps.setInt(n++, -300);
    ps.setInt(n++, 300);
    ps.setInt(n++, -70000);
    ps.setInt(n++, 70000);
    ps.setInt(n++, 42);
    ps.setLong(n++, 3000000000L);
    ps.setLong(n++, -9000000000L);
    ps.setBigDecimal(n++, new BigDecimal("9223372036854775808"));
    ps.setBigDecimal(n++, new BigDecimal("-12345678.5"));
    ps.setFloat(n++, 0.1f);
    ps.setDouble(n++, 0.1);
    ps.setBoolean(n++, true);
    ps.setString(n++, "pad  ");
    ps.setString(n++, "it's \"quoted\" \\ back");
    ps.setCharacterStream(n++, new StringReader("streamed text ✓"));
    ps.setBytes(n++, new byte[] {9, 8});
    ps.setBinaryStream(n++, new ByteArrayInputStream(new byte[] {7, 0, 7}));
    ps.setBinaryStream(n++, new ByteArrayInputStream(new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0}));
    ps.setDate(n++, Date.valueOf("2024-02-29"));
    ps.setTime(n++, Time.valueOf("12:34:56"));
    ps.setTimestamp(n++, Timestamp.valueOf("2024-02-29 23:59:59"));
    ps.setTimestamp(n++, Timestamp.valueOf("2024-03-01 00:00:00.5"));
    ps.setInt(n++, 2024);
    ps.setString(n++, "{\"k\": \"v\"}");
    ps.setString(n++, "small");
  }

  static void printRow(String label, ResultSet rs) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    for (int c = 1; c <= md.getColumnCount(); c++) {
      String name = md.getColumnLabel(c);
      StringBuilder line = new StringBuilder(label).append(' ').append(name).append(" object=").append(show(rs.getObject(c)));
      line.append(" string=").append(rs.getString(c));
      boolean wasNull = rs.wasNull();
      line.append(" wasNull=").append(wasNull);
      if (!wasNull) line.append(" typed=").append(typed(rs, c, md.getColumnType(c)));
      System.out.println(line);
    }
  }

  /** The value through the getter an application would use for this JDBC type. */
  static String typed(ResultSet rs, int c, int type) throws SQLException {
    switch (type) {
      case Types.BIT:
      case Types.BOOLEAN:
        return "getBoolean:" + rs.getBoolean(c) + " getInt:" + rs.getInt(c);
      case Types.TINYINT:
      case Types.SMALLINT:
      case Types.INTEGER:
        return "getLong:" + rs.getLong(c) + " getShort:" + (rs.getLong(c) == (short) rs.getLong(c) ? String.valueOf(rs.getShort(c)) : "overflow");
      case Types.BIGINT:
        return "getLong:" + (fitsLong(rs.getString(c)) ? String.valueOf(rs.getLong(c)) : "overflow") + " getBigDecimal:" + rs.getBigDecimal(c);
      case Types.DECIMAL:
      case Types.NUMERIC:
        return "getBigDecimal:" + rs.getBigDecimal(c) + " getDouble:" + rs.getDouble(c);
      case Types.REAL:
      case Types.FLOAT:
        return "getFloat:" + rs.getFloat(c) + " getDouble:" + rs.getDouble(c);
      case Types.DOUBLE:
        return "getDouble:" + rs.getDouble(c);
      case Types.DATE:
        // YEAR is a DATE to this driver; its text form cannot be read as a Timestamp.
        return "getDate:" + rs.getDate(c);
      case Types.TIME:
        return "getTime:" + rs.getTime(c);
      case Types.TIMESTAMP:
        return "getTimestamp:" + rs.getTimestamp(c) + " getDate:" + rs.getDate(c);
      case Types.BINARY:
      case Types.VARBINARY:
      case Types.LONGVARBINARY:
      case Types.BLOB:
        return "getBytes:" + hex(rs.getBytes(c));
      default:
        return "getString:" + rs.getString(c);
    }
  }

  static boolean fitsLong(String s) {
    try {
      Long.parseLong(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  static void printMetaData(String label, ResultSetMetaData md) throws SQLException {
    for (int c = 1; c <= md.getColumnCount(); c++) {
      System.out.println(label + " " + md.getColumnLabel(c) + " type=" + md.getColumnType(c) + " typeName=" + md.getColumnTypeName(c)
          + " precision=" + md.getPrecision(c) + " scale=" + md.getScale(c) + " signed=" + md.isSigned(c)
          + " nullable=" + md.isNullable(c) + " class=" + md.getColumnClassName(c) + " displaySize=" + md.getColumnDisplaySize(c)
          + " table=" + md.getTableName(c) + " column=" + md.getColumnName(c) + " autoIncrement=" + md.isAutoIncrement(c));
    }
  }

  public static void main(String[] args) throws Exception {
    try (Connection c = DriverManager.getConnection(args[0])) {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE ptypes (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, ti TINYINT, tiu TINYINT UNSIGNED, si SMALLINT, "
            + "siu SMALLINT UNSIGNED, mi MEDIUMINT, miu MEDIUMINT UNSIGNED, i INT, iu INT UNSIGNED, bi BIGINT, biu BIGINT UNSIGNED, "
            + "de DECIMAL(12,4), fl FLOAT, db DOUBLE, bo BOOLEAN, ch CHAR(10), vc VARCHAR(50), tx TEXT, bn BINARY(4), "
            + "vb VARBINARY(16), bl BLOB, d DATE, tm TIME, dt DATETIME(6), ts TIMESTAMP(3) NULL, yr YEAR, js JSON, "
            + "en ENUM('small','large'))");
      }

      String insertSql = "INSERT INTO ptypes (" + COLUMNS + ") VALUES (?" + ",?".repeat(COLUMN_COUNT - 1) + ")";
      try (PreparedStatement ps = c.prepareStatement(insertSql, Statement.RETURN_GENERATED_KEYS)) {
        ParameterMetaData pmd = ps.getParameterMetaData();
        System.out.println("insert parameterCount=" + pmd.getParameterCount());
        bindMax(ps);
        System.out.println("insert max updated=" + ps.executeUpdate() + " key=" + firstKey(ps));
        bindMin(ps);
        System.out.println("insert min updated=" + ps.executeUpdate() + " key=" + firstKey(ps));
        bindNulls(ps);
        System.out.println("insert nulls updated=" + ps.executeUpdate() + " key=" + firstKey(ps));
        bindStreams(ps);
        System.out.println("insert streams updated=" + ps.executeUpdate() + " key=" + firstKey(ps));
      }

      try (PreparedStatement ps = c.prepareStatement("SELECT id, " + COLUMNS + " FROM ptypes WHERE id = ?")) {
        printMetaData("select metadata", ps.getMetaData());
        for (int id = 1; id <= 4; id++) {
          ps.setInt(1, id);
          try (ResultSet rs = ps.executeQuery()) {
            if (id == 1) printMetaData("result metadata", rs.getMetaData());
            while (rs.next()) printRow("row " + id, rs);
          }
        }
      }

      // Parameters of each type in WHERE.
      String[] filters = {"ti = ?", "biu = ?", "de = ?", "fl = ?", "db < ?", "bo = ?", "vc = ?", "tx LIKE ?", "bl = ?", "d = ?", "tm = ?", "dt = ?", "ts > ?", "yr = ?", "en = ?", "vc = ? OR vc IS NULL", "ch = ?"};
      for (String filter : filters) {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM ptypes WHERE " + filter + " ORDER BY id")) {
          switch (filter.substring(0, 2)) {
            case "ti": ps.setByte(1, Byte.MIN_VALUE); break;
            case "bi": ps.setBigDecimal(1, new BigDecimal("18446744073709551615")); break;
            case "de": ps.setBigDecimal(1, new BigDecimal("-12345678.5000")); break;
            case "fl": ps.setFloat(1, 3.5f); break;
            case "db": ps.setDouble(1, 0); break;
            case "bo": ps.setBoolean(1, true); break;
            case "vc": ps.setString(1, "héllo wörld €"); break;
            case "tx": ps.setString(1, "%テキスト"); break;
            case "bl": ps.setBytes(1, new byte[] {0, 0, 65, 0}); break;
            case "d ": ps.setDate(1, Date.valueOf("2024-02-29")); break;
            case "tm": ps.setTime(1, Time.valueOf("23:59:59")); break;
            case "dt": ps.setTimestamp(1, Timestamp.valueOf("1000-01-01 00:00:00.000001")); break;
            case "ts": ps.setTimestamp(1, Timestamp.valueOf("2024-01-01 00:00:00")); break;
            case "yr": ps.setInt(1, 1901); break;
            case "en": ps.setString(1, "LARGE"); break;
            case "ch": ps.setString(1, "pad"); break;
            default: throw new IllegalStateException(filter);
          }
          StringBuilder ids = new StringBuilder();
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) ids.append(' ').append(rs.getInt(1));
          }
          System.out.println("where " + filter + " ->" + ids);
        }
      }

      // Expressions over parameters, typed by the server.
      try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) AS n, SUM(i) AS total, MAX(dt) AS latest, AVG(de) AS mean FROM ptypes WHERE id > ?")) {
        ps.setInt(1, 0);
        try (ResultSet rs = ps.executeQuery()) {
          printMetaData("aggregate metadata", rs.getMetaData());
          rs.next();
          printRow("aggregate", rs);
        }
      }

      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE batch (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, name VARCHAR(20) NOT NULL, qty INT)");
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO batch (name, qty) VALUES (?, ?)", Statement.RETURN_GENERATED_KEYS)) {
        for (int k = 1; k <= 5; k++) {
          ps.setString(1, "item" + k);
          if (k == 3) ps.setNull(2, Types.INTEGER); else ps.setInt(2, k * 10);
          ps.addBatch();
        }
        int[] counts = ps.executeBatch();
        StringBuilder line = new StringBuilder("batch counts");
        for (int count : counts) line.append(' ').append(count);
        System.out.println(line);
        StringBuilder keys = new StringBuilder("batch keys");
        try (ResultSet rs = ps.getGeneratedKeys()) {
          while (rs.next()) keys.append(' ').append(rs.getLong(1));
        }
        System.out.println(keys);
      }
      try (PreparedStatement ps = c.prepareStatement("UPDATE batch SET qty = qty + ? WHERE id = ?")) {
        for (int k = 1; k <= 3; k++) {
          ps.setInt(1, 1);
          ps.setLong(2, k);
          ps.addBatch();
        }
        int[] counts = ps.executeBatch();
        StringBuilder line = new StringBuilder("update batch counts");
        for (int count : counts) line.append(' ').append(count);
        System.out.println(line);
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO batch (name) VALUES (?)", Statement.RETURN_GENERATED_KEYS)) {
        ps.setString(1, "single");
        ps.executeUpdate();
        System.out.println("single key=" + firstKey(ps));
      }

      // One statement executed many times with new parameters (COM_STMT_EXECUTE reuse).
      try (PreparedStatement ps = c.prepareStatement("SELECT name, qty FROM batch WHERE id = ? AND (qty > ? OR qty IS NULL)")) {
        long found = 0;
        long qtySum = 0;
        for (int k = 0; k < 300; k++) {
          ps.setLong(1, k % 7);
          ps.setInt(2, k % 40);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              found++;
              qtySum += rs.getInt(2);
            }
          }
          ps.clearParameters();
        }
        System.out.println("reuse found=" + found + " qtySum=" + qtySum);
        System.out.println("prepared statements open while one is=" + preparedCount(c));
      }
      // Joined tables: aliases as table names, the outer-joined side nullable.
      try (PreparedStatement ps = c.prepareStatement("SELECT b.id, b.name AS label, p.vc, p.id AS pid FROM batch b LEFT JOIN ptypes p ON p.id = b.id WHERE b.id < ? ORDER BY b.id")) {
        ps.setInt(1, 4);
        try (ResultSet rs = ps.executeQuery()) {
          printMetaData("join metadata", rs.getMetaData());
          while (rs.next()) System.out.println("join row " + rs.getLong(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getObject(4));
        }
      }
      // A result larger than one fetch, read in chunks.
      try (PreparedStatement ps = c.prepareStatement("WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 900) SELECT n, CONCAT('row', n) AS label FROM s WHERE n > ?")) {
        ps.setFetchSize(100);
        ps.setInt(1, 10);
        long rows = 0;
        long sum = 0;
        long labels = 0;
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rows++;
            sum += rs.getLong(1);
            labels += rs.getString(2).length();
          }
        }
        System.out.println("fetched rows=" + rows + " sum=" + sum + " labelChars=" + labels);
      }
      // Errors from execute leave the statement usable.
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO batch (id, name) VALUES (?, ?)")) {
        ps.setLong(1, 1);
        ps.setString(2, "duplicate");
        try {
          ps.executeUpdate();
          System.out.println("duplicate accepted");
        } catch (SQLException e) {
          System.out.println("duplicate error=" + e.getErrorCode() + " state=" + e.getSQLState());
        }
        ps.setLong(1, 100);
        System.out.println("after error updated=" + ps.executeUpdate());
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM batch"); ResultSet rs = ps.executeQuery()) {
        rs.next();
        System.out.println("batch rows=" + rs.getInt(1));
      }
      try {
        c.prepareStatement("SELECT nosuch FROM batch WHERE id = ?").close();
        System.out.println("bad prepare accepted");
      } catch (SQLException e) {
        System.out.println("bad prepare error=" + e.getErrorCode() + " state=" + e.getSQLState());
      }
      System.out.println("prepared statements open at the end=" + preparedCount(c));
      System.out.println("done");
    }
  }

  /** The server's count of prepared statements not yet closed (this is the only connection). */
  static String preparedCount(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE 'Prepared_stmt_count'")) {
      return rs.next() ? rs.getString(2) : "missing";
    }
  }

  static String firstKey(PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.getGeneratedKeys()) {
      return rs.next() ? rs.getString(1) : "none";
    }
  }
}
