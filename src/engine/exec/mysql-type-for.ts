// The MySQL type of a query result column, by its DuckDB type: for CREATE TABLE
// ... AS SELECT and for describing views.

/** The MySQL type a query column of this DuckDB type gets in a new table. */
export function mysqlTypeFor(duck: string): string {
  const known: Record<string, string> = {
    BOOLEAN: 'tinyint(1)',
    TINYINT: 'tinyint',
    SMALLINT: 'smallint',
    INTEGER: 'int',
    BIGINT: 'bigint',
    UTINYINT: 'tinyint unsigned',
    USMALLINT: 'smallint unsigned',
    UINTEGER: 'int unsigned',
    UBIGINT: 'bigint unsigned',
    HUGEINT: 'decimal(38,0)',
    FLOAT: 'float',
    DOUBLE: 'double',
    DATE: 'date',
    TIME: 'time(6)',
    TIMESTAMP: 'datetime(6)',
    'TIMESTAMP_S': 'datetime',
    'TIMESTAMP_MS': 'datetime(3)',
    'TIMESTAMP WITH TIME ZONE': 'datetime(6)',
    BLOB: 'longblob',
    JSON: 'json',
    INTERVAL: 'time(6)',
  };
  const decimal = /^DECIMAL\((\d+),(\d+)\)$/.exec(duck);
  if (decimal !== null) return `decimal(${decimal[1] ?? '18'},${decimal[2] ?? '3'})`;
  return known[duck] ?? 'longtext';
}
