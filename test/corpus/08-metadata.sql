-- Metadata as BI tools read it: information_schema joined, filtered and sorted, and SHOW. Only what MySQL 8 and MariaDB answer alike (not COLUMN_TYPE of ints: int(11) in MariaDB, int in MySQL 8).

SELECT table_name AS t, table_type AS ty FROM information_schema.tables WHERE table_schema = 'bi' ORDER BY table_name

SELECT column_name AS c, data_type AS dt, is_nullable AS n, column_key AS k, ordinal_position AS p FROM information_schema.columns WHERE table_schema = 'bi' AND table_name = 'customers' ORDER BY ordinal_position

SELECT table_name AS t, column_name AS c, column_type AS ct, character_maximum_length AS len, numeric_precision AS np, numeric_scale AS ns FROM information_schema.columns WHERE table_schema = 'bi' AND data_type IN ('varchar', 'decimal') ORDER BY table_name, ordinal_position

SELECT table_name AS t, COUNT(*) AS cols, SUM(is_nullable = 'YES') AS nullable FROM information_schema.columns WHERE table_schema = 'bi' GROUP BY table_name ORDER BY table_name

SELECT s.table_name AS t, s.index_name AS i, s.seq_in_index AS q, s.column_name AS c, s.non_unique AS nu FROM information_schema.statistics s WHERE s.table_schema = 'bi' ORDER BY 1, 2, 3

SELECT k.table_name AS t, k.column_name AS c, k.ordinal_position AS p, tc.constraint_type AS ty FROM information_schema.key_column_usage k JOIN information_schema.table_constraints tc ON tc.constraint_name = k.constraint_name AND tc.table_schema = k.table_schema AND tc.table_name = k.table_name WHERE k.table_schema = 'bi' ORDER BY 1, 2

SELECT schema_name AS s FROM information_schema.schemata WHERE schema_name = 'bi'

SELECT COUNT(*) AS n FROM information_schema.routines WHERE routine_schema = 'bi'

SELECT COUNT(*) AS n FROM information_schema.views WHERE table_schema = 'bi'

SELECT COUNT(*) AS n FROM information_schema.referential_constraints WHERE constraint_schema = 'bi'

SELECT t.table_name AS t, COUNT(c.column_name) AS ints FROM information_schema.tables t LEFT JOIN information_schema.columns c ON c.table_schema = t.table_schema AND c.table_name = t.table_name AND c.data_type = 'int' WHERE t.table_schema = 'bi' GROUP BY t.table_name ORDER BY ints DESC, t.table_name

SELECT c.table_name AS t, c.column_name AS c FROM information_schema.columns c WHERE c.table_schema = 'bi' AND c.column_name IN (SELECT column_name FROM information_schema.key_column_usage WHERE table_schema = 'bi') ORDER BY 1, 2

SELECT collation_name AS c, character_set_name AS cs, id AS i FROM information_schema.collations WHERE id IN (8, 33, 45, 46, 63, 83, 224) ORDER BY id

SELECT character_set_name AS cs, default_collate_name AS dc, maxlen AS m FROM information_schema.character_sets WHERE character_set_name IN ('latin1', 'binary', 'ascii')

SHOW TABLES

SHOW FULL TABLES

SHOW TABLES LIKE 'c%'

SHOW FULL TABLES FROM bi WHERE Table_type = 'BASE TABLE'

SHOW CHARSET LIKE 'latin1'

SHOW COLUMNS FROM customers LIKE 'name'

SELECT * FROM information_schema.no_such_table
