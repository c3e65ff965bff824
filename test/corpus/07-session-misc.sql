-- Session functions, comments and hints, FOR UPDATE, SQL_CALC_FOUND_ROWS, metadata that works today.

SELECT DATABASE() AS db, SCHEMA() AS s

SELECT DATABASE()

SELECT USER() LIKE 'root@%' AS u, CURRENT_USER() LIKE 'root@%' AS cu

SELECT CONNECTION_ID() > 0 AS c

SELECT VERSION() LIKE '%.%' AS v

SELECT LAST_INSERT_ID() AS l

SELECT ROW_COUNT() AS r

SELECT @@autocommit AS a

SELECT @@session.autocommit, @@global.max_allowed_packet > 0 AS m

SELECT @@time_zone

SELECT @undefined_var AS u

SELECT /* a comment */ COUNT(*) FROM orders

SELECT COUNT(*) -- trailing comment
FROM orders

SELECT COUNT(*) # hash comment
FROM customers

/* ApplicationName=DBeaver 24.0 - SQLEditor */ SELECT id FROM products ORDER BY id LIMIT 3

SELECT /*! STRAIGHT_JOIN */ COUNT(*) FROM orders o JOIN products p ON p.id = o.product_id

SELECT /*!40001 SQL_NO_CACHE */ COUNT(*) FROM orders

SELECT id FROM orders WHERE id < 5 /*!50000 ORDER BY id */

SELECT SQL_NO_CACHE COUNT(*) FROM customers

SELECT id, qty FROM orders WHERE id < 4 ORDER BY id FOR UPDATE

SELECT id FROM orders WHERE id < 3 ORDER BY id LOCK IN SHARE MODE

SELECT SQL_CALC_FOUND_ROWS id FROM orders WHERE qty > 6 ORDER BY id LIMIT 5

SELECT FOUND_ROWS() AS total

SELECT DISTINCT SQL_CALC_FOUND_ROWS status FROM orders ORDER BY status LIMIT 2

SELECT FOUND_ROWS()

SELECT id FROM orders ORDER BY id LIMIT 3

SELECT FOUND_ROWS()

SELECT `id`, `name` FROM `customers` WHERE `id` = 1

SELECT c.`name` FROM `bi`.`customers` AS c WHERE c.id = 2

SELECT bi.products.name FROM bi.products WHERE id = 3

SELECT 1 + 1 AS two, 'x' AS x, NULL AS n, 1.5 AS d

SELECT 1, 'a', NULL, 2.50, -3

SELECT COUNT(*) AS `count`, SUM(qty) AS `sum of qty` FROM orders

SELECT id AS "quoted alias" FROM customers WHERE id = 1

SELECT id 'single alias' FROM customers WHERE id = 1

SELECT COUNT(*) FROM orders WHERE 1 = 1

SELECT COUNT(*) FROM orders WHERE TRUE

SELECT COUNT(*) FROM orders WHERE 0

SELECT COUNT(*) FROM orders LIMIT 1

SHOW DATABASES LIKE 'bi'

SHOW TABLES

SHOW COLUMNS FROM customers

SELECT * FROM orders WHERE id = -1

SELECT IF(1 > 0, 'yes', 'no') AS a, IF(NULL, 1, 2) AS b, IFNULL(NULL, 'z') AS c

SELECT ISNULL(NULL) AS a, ISNULL(1) AS b

SELECT COALESCE(NULL, NULL, 3) AS c

SELECT CASE WHEN 1 = 2 THEN 'a' END AS no_else

SELECT CHARSET('abc') IS NOT NULL AS c

SELECT COUNT(*) FROM orders WHERE id IN (SELECT MAX(id) FROM orders)

SELECT SUM(qty) FROM orders WHERE id = 0

SELECT MAX(id), COUNT(*) FROM orders WHERE 1 = 0

SELECT id FROM customers ORDER BY RAND() LIMIT 0

SELECT COUNT(*) FROM customers WHERE id = '3'

SELECT id FROM customers WHERE id = 3.0
