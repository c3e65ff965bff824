// The public face of sql/: text in, Statement out.
export { parseColumnType, parseStatement } from './parse-statement.js';
export { splitStatements } from './split-statements.js';
export { DEFAULT_SQL_MODE_FLAGS, sqlModeFlags, sqlModeText, type SqlModeFlags } from './sql-mode.js';
export { mysqlType } from '../translate/types.js';
export { DUCKDB_MACROS } from '../translate/macros.js';
export { normalizeTimeZone } from '../translate/temporal.js';
