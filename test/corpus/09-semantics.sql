-- MySQL semantics BI tools and drivers rely on: week modes, date parsing and
-- formatting, time zones, regular expressions, string literals, NULL ordering,
-- integer division, implicit casts, and the functions ducksafe prints as macros.

SELECT WEEK('2024-01-01', 0) AS w0, WEEK('2024-01-01', 1) AS w1, WEEK('2024-01-01', 2) AS w2, WEEK('2024-01-01', 3) AS w3, WEEK('2024-01-01', 4) AS w4, WEEK('2024-01-01', 5) AS w5, WEEK('2024-01-01', 6) AS w6, WEEK('2024-01-01', 7) AS w7

SELECT WEEK('2023-01-01', 0) AS w0, WEEK('2023-01-01', 1) AS w1, WEEK('2023-01-01', 2) AS w2, WEEK('2023-01-01', 3) AS w3, WEEK('2023-01-01', 4) AS w4, WEEK('2023-01-01', 5) AS w5, WEEK('2023-01-01', 6) AS w6, WEEK('2023-01-01', 7) AS w7

SELECT WEEK('2020-12-31', 0) AS w0, WEEK('2020-12-31', 1) AS w1, WEEK('2020-12-31', 2) AS w2, WEEK('2020-12-31', 3) AS w3, WEEK('2020-12-31', 4) AS w4, WEEK('2020-12-31', 5) AS w5, WEEK('2020-12-31', 6) AS w6, WEEK('2020-12-31', 7) AS w7

SELECT WEEK(created_at, 2) AS w2, WEEK(created_at, 5) AS w5, WEEK(created_at, 6) AS w6, WEEK(created_at, 7) AS w7, COUNT(*) FROM orders GROUP BY w2, w5, w6, w7 ORDER BY w2, w5, w6, w7 LIMIT 15

SELECT YEARWEEK('2021-01-03') AS a, YEARWEEK('2021-01-03', 1) AS b, YEARWEEK('2019-12-30', 3) AS c, YEARWEEK('2024-12-31', 2) AS d

SELECT YEARWEEK(signup_date, 3) AS yw, COUNT(*) FROM customers GROUP BY yw ORDER BY yw

SELECT MAKEDATE(2024, 60) AS a, MAKEDATE(2023, 365) AS b, MAKEDATE(2023, 366) AS c, MAKEDATE(2024, 0) AS d

SELECT MAKEDATE(YEAR(signup_date), 1) AS y, COUNT(*) FROM customers GROUP BY y ORDER BY y

SELECT TIMEDIFF('2024-01-02 00:00:00', '2024-01-01 22:30:15') AS a, TIMEDIFF('10:00:00', '12:30:00') AS b, TIMEDIFF('2024-01-01 00:00:00', '2023-12-30 00:00:00') AS c

SELECT id, TIMEDIFF(created_at, TIMESTAMP(ship_date)) AS lag_time FROM orders WHERE ship_date IS NOT NULL ORDER BY id LIMIT 10

SELECT STR_TO_DATE('2024-02-29 23:59:59', '%Y-%m-%d %H:%i:%s') AS a, STR_TO_DATE('01,5,2013', '%d,%m,%Y') AS b, STR_TO_DATE('20240315', '%Y%m%d') AS c

SELECT STR_TO_DATE('Mar 05 2024 10:15 PM', '%b %d %Y %h:%i %p') AS a, STR_TO_DATE('05/03/24', '%d/%m/%y') AS b

SELECT STR_TO_DATE('2024-13-01', '%Y-%m-%d') AS bad_month, STR_TO_DATE('hello', '%Y') AS junk

SELECT FROM_UNIXTIME(1700000000, '%Y-%m-%d %H:%i:%s') AS a, FROM_UNIXTIME(1700000000, '%W %M %D %Y') AS b, FROM_UNIXTIME(0, '%j %U %a %b %p') AS c

SELECT FROM_UNIXTIME(ts, '%Y-%m') AS month, COUNT(*) FROM events GROUP BY month ORDER BY month

SELECT UNIX_TIMESTAMP('2024-03-10 12:00:00') AS a, UNIX_TIMESTAMP('1970-01-02') AS b, UNIX_TIMESTAMP(FROM_UNIXTIME(1234567890)) AS c

SELECT CONVERT_TZ('2024-06-01 12:00:00', '+02:00', '+00:00') AS a, CONVERT_TZ('2024-06-01 00:30:00', '+00:00', '-01:00') AS b, CONVERT_TZ('2024-06-01 12:00:00', '+05:30', '+05:30') AS c

SELECT CONVERT_TZ(NULL, '+00:00', '+01:00') AS a, DATE(CONVERT_TZ('2024-06-01 23:30:00', '+00:00', '+01:00')) AS b

SELECT 'Apple' REGEXP '^a' AS a, 'Apple' RLIKE 'P{2}' AS b, 'Apple' NOT REGEXP 'x' AS c, REGEXP_LIKE('Apple', 'ple$') AS d

SELECT id, name FROM customers WHERE name RLIKE '^[aeiou]' ORDER BY id

SELECT id, email FROM customers WHERE email REGEXP '\\.(com|org)$' ORDER BY id LIMIT 10

SELECT REGEXP_INSTR('dog cat dog', 'CAT') AS a, REGEXP_INSTR('dog', 'x') AS n, REGEXP_INSTR(NULL, 'x') AS z, REGEXP_REPLACE('a1b22c333', '[0-9]+', '#') AS b

SELECT LOCATE('a', 'banana', 3) AS a, LOCATE('A', 'banana', 5) AS b, LOCATE('a', 'banana', 0) AS c, LOCATE('', 'abc', 2) AS d, POSITION('n' IN 'banana') AS e

SELECT id, LOCATE('o', email, 3) AS p FROM customers WHERE email IS NOT NULL ORDER BY id LIMIT 10

SELECT /*!40101 1 + */ 1 AS x

SELECT /*!50001 id, */ name FROM customers WHERE id < 4 ORDER BY id

SELECT id FROM orders WHERE id < 3 ORDER BY id FOR UPDATE

SELECT id FROM orders WHERE id < 3 ORDER BY id LOCK IN SHARE MODE

SELECT "double" AS a, 'it''s' AS b, "say ""hi""" AS c, 'tab\there' AS d, 'back\\slash' AS e

SELECT 'a\'b' AS a, "a\"b" AS b, 'x\ny' AS c, 'percent \% and \_' AS d, 'A' 'B' 'C' AS e

SELECT id, note FROM orders WHERE note = "gift" ORDER BY id

SELECT id, discount FROM orders ORDER BY discount, id LIMIT 8

SELECT id, discount FROM orders ORDER BY discount DESC, id LIMIT 8

SELECT id, note FROM orders ORDER BY note IS NULL, note, id LIMIT 8

SELECT ship_date, COUNT(*) FROM orders GROUP BY ship_date ORDER BY ship_date LIMIT 5

SELECT 7 DIV 2 AS a, -7 DIV 2 AS b, 7.5 DIV 2 AS c, 7 DIV 0 AS d, NULL DIV 2 AS e

SELECT id, amount DIV 10 AS tens, qty DIV 3 AS q FROM orders ORDER BY id LIMIT 10

SELECT 7 / 2 AS a, 7 % 3 AS b, -7 % 3 AS c, 7 MOD -3 AS d, 1 / 0 AS e, 0 / 5 AS f

SELECT '10' + 5 AS a, '3.5' * 2 AS b, '12abc' + 0 AS c, 'abc' = 0 AS d, '1e2' + 0 AS e

SELECT 1 = '1' AS a, '01' = 1 AS b, 'abc' < 'abd' AS c, 2 < '10' AS d, '2' < '10' AS e

SELECT CAST('42' AS SIGNED) AS a, CAST('-7' AS SIGNED) AS b, CAST(3.7 AS SIGNED) AS c, CAST('2024-05-06' AS DATE) AS d, CAST(12 AS CHAR) AS e

SELECT CONCAT('n=', 5) AS a, CONCAT(1.50, 'x') AS b, CONCAT('a', NULL) AS c, CONCAT_WS('-', 'a', NULL, 'b') AS d

SELECT id FROM customers WHERE id = '3'

SELECT id FROM orders WHERE created_at > '2023-12-01' ORDER BY id LIMIT 5

SELECT SOUNDEX('Tymczak') AS a, SOUNDEX('Pfister') AS b, SOUNDEX('Lloyd') AS c, SOUNDEX('') AS d, SOUNDEX('123') AS e

SELECT id, SOUNDEX(name) AS s FROM customers ORDER BY id LIMIT 10

SELECT CONV('7fffffffffffffff', 16, 10) AS a, CONV('-1', 10, 16) AS b, CONV('z', 36, 10) AS c, CONV('12', 3, 2) AS d, CONV('10', 10, 37) AS e

SELECT CONV(qty, 10, 2) AS b, OCT(qty) AS o, COUNT(*) FROM orders GROUP BY qty ORDER BY qty

SELECT OCT(64) AS a, OCT(0) AS b, OCT(-1) AS c, OCT(NULL) AS d

SELECT GREATEST('apple', 'Banana', 'cherry') AS g, LEAST('apple', 'Banana', 'cherry') AS l, GREATEST(2, 10) AS n

SELECT id, GREATEST(name, city) AS g FROM customers WHERE city IS NOT NULL ORDER BY id LIMIT 10

SELECT COUNT(DISTINCT country) AS countries, COUNT(DISTINCT category) AS c2 FROM customers, (SELECT DISTINCT category FROM products) AS p

SELECT LOWER(category) AS c, COUNT(DISTINCT name) AS n, COUNT(DISTINCT BINARY name) AS b FROM products GROUP BY LOWER(category) ORDER BY c

SELECT CHAR_LENGTH(GROUP_CONCAT(DISTINCT status ORDER BY status)) AS n FROM orders

SELECT 10 / 3 * 3 AS a, 1 / 3 + 1 / 3 + 1 / 3 AS b, 2 * (7 / 3) AS c, 100 - 200 / 7 AS d, 1.5 / 7 * 7 AS e, 10 / 4 * 2 AS f

SELECT id, amount / qty * qty AS back, amount / 3 + 1 AS plus FROM orders ORDER BY id LIMIT 10

SELECT SUM(amount) / COUNT(*) * 2 AS x, SUM(qty) / 7 * 7 AS y FROM orders
