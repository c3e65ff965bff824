-- Diagnostics: warnings raised by constant expressions, and what SHOW WARNINGS,
-- SHOW ERRORS, their COUNT(*) forms and @@warning_count / @@error_count report for
-- the statement before (queries here depend on their neighbours, in order).

SELECT 1/0 AS a

SHOW WARNINGS

SHOW COUNT(*) WARNINGS

SELECT @@warning_count AS w, @@error_count AS e

SELECT CAST('abc' AS SIGNED) AS a, 'x1' + 1 AS b, CAST('12' AS SIGNED) AS c

SHOW WARNINGS

SELECT COUNT(*) AS n FROM orders

SHOW WARNINGS

SELECT 5 DIV 0 AS a, 5 MOD 0 AS b, 1.5 / 0 AS c

SHOW WARNINGS

SELECT CAST('3.5z' AS DECIMAL(5,1)) AS d, CAST('7' AS DECIMAL(5,1)) AS e

SHOW WARNINGS

SELECT id FROM orders WHERE id = 1 AND 'abc' = 0

SHOW WARNINGS

SELECT * FROM no_such_table

SHOW ERRORS

SHOW COUNT(*) ERRORS

SHOW WARNINGS

SELECT ABS(1, 2) AS a

SHOW ERRORS

SELECT 1 AS fine FROM orders LIMIT 1

SHOW ERRORS

SELECT * FROM no_such_table

SELECT @@warning_count AS w, @@error_count AS e
