-- String functions, NULL handling in CONCAT, escapes and quoting.

SELECT CONCAT(name, ' <', email, '>') AS contact FROM customers ORDER BY id LIMIT 10

SELECT CONCAT('a', NULL, 'b') AS c

SELECT CONCAT('n=', 5, ' x=', 2.50) AS c

SELECT CONCAT_WS(', ', name, city, country) AS a FROM customers ORDER BY id LIMIT 10

SELECT CONCAT_WS('-', 'a', NULL, 'b') AS c

SELECT id, LOCATE('e', name) AS pos FROM customers ORDER BY id LIMIT 10

SELECT LOCATE('b', 'abcabc', 3) AS p, LOCATE('z', 'abc') AS none

SELECT POSITION('c' IN 'abc') AS p, INSTR('hello', 'L') AS i

SELECT SUBSTRING_INDEX(email, '@', 1) AS user, SUBSTRING_INDEX(email, '@', -1) AS domain FROM customers ORDER BY id LIMIT 10

SELECT SUBSTRING_INDEX('a.b.c.d', '.', 2) AS s, SUBSTRING_INDEX('a.b.c.d', '.', -2) AS t

SELECT LPAD(id, 5, '0') AS padded, RPAD(name, 8, '.') AS r FROM customers ORDER BY id LIMIT 10

SELECT LPAD('abc', 2, '0') AS trunc

SELECT REPLACE(email, 'example', 'test') AS e FROM customers ORDER BY id LIMIT 10

SELECT TRIM(city) AS t, LENGTH(city) AS l, CHAR_LENGTH(TRIM(city)) AS cl FROM customers ORDER BY id LIMIT 12

SELECT TRIM(BOTH 'x' FROM 'xxabcxx') AS a, TRIM(LEADING 'x' FROM 'xxabc') AS b, TRIM(TRAILING 'x' FROM 'abcxx') AS c

SELECT LTRIM('  a  ') AS l, RTRIM('  a  ') AS r

SELECT UPPER(name), LOWER(name), UCASE(country), LCASE(country) FROM customers ORDER BY id LIMIT 8

SELECT LEFT(name, 3), RIGHT(name, 2) FROM customers ORDER BY id LIMIT 8

SELECT SUBSTRING(name, 2, 3), SUBSTR(name, 2), MID(name, 1, 1) FROM customers ORDER BY id LIMIT 8

SELECT SUBSTRING(name FROM 2 FOR 2) AS s FROM customers ORDER BY id LIMIT 5

SELECT SUBSTRING('abcdef', -3) AS s

SELECT LENGTH('héllo') AS bytes, CHAR_LENGTH('héllo') AS chars

SELECT REVERSE(name) FROM customers ORDER BY id LIMIT 5

SELECT REPEAT('ab', 3) AS r, SPACE(3) AS s

SELECT ASCII('A') AS a, CHAR(65) AS c

SELECT STRCMP('a', 'B') AS s1, STRCMP('b', 'a') AS s2, STRCMP('A', 'a') AS s3

SELECT FIELD('b', 'a', 'b', 'c') AS f, ELT(2, 'x', 'y', 'z') AS e

SELECT FIND_IN_SET('b', 'a,b,c') AS f

SELECT INSERT('abcdef', 2, 3, 'XY') AS s

SELECT HEX('abc') AS h, HEX(255) AS n

SELECT LOWER('ÀBC') AS l

SELECT 'O\'Brien' AS a, "say \"hi\"" AS b, 'tab\there' AS c

SELECT 'line1\nline2' AS nl, 'back\\slash' AS bs

SELECT 'it''s' AS a, "double ""quoted""" AS b

SELECT 'a' 'b' 'c' AS joined

SELECT "abc" AS s, "abc" = 'ABC' AS eq

SELECT 'abc' = 'abc   ' AS trailing, 'abc' LIKE 'abc   ' AS like_trailing

SELECT 'a' = 'A' AS ci, 'a' < 'B' AS lt, 'é' = 'e' AS accent

SELECT name, country FROM customers WHERE country = 'DE' ORDER BY name, id

SELECT CONCAT(UPPER(LEFT(name, 1)), LOWER(SUBSTRING(name, 2))) AS cap FROM customers ORDER BY id LIMIT 10

SELECT GROUP_CONCAT(DISTINCT country ORDER BY country SEPARATOR ';') FROM customers

SELECT GROUP_CONCAT(name ORDER BY id DESC SEPARATOR '') FROM products WHERE id < 5

SELECT GROUP_CONCAT(id ORDER BY id) FROM customers WHERE vip = 1

SELECT customer_id, GROUP_CONCAT(note ORDER BY id SEPARATOR '/') FROM orders WHERE customer_id < 8 GROUP BY customer_id ORDER BY customer_id

SELECT IFNULL(email, 'n/a') AS e FROM customers ORDER BY id LIMIT 10

SELECT COALESCE(city, email, 'unknown') AS c FROM customers ORDER BY id

SELECT NULLIF(country, 'DE') AS n FROM customers ORDER BY id LIMIT 10

SELECT IF(email IS NULL, 'no email', email) AS e FROM customers ORDER BY id LIMIT 10

SELECT CASE country WHEN 'DE' THEN 'Germany' WHEN 'FR' THEN 'France' ELSE 'Other' END AS c FROM customers ORDER BY id

SELECT CASE WHEN credit IS NULL THEN 'none' WHEN credit > 2500 THEN 'high' ELSE 'low' END AS band, COUNT(*) FROM customers GROUP BY band ORDER BY band

SELECT CAST(id AS CHAR) AS s, CAST('42' AS SIGNED) AS n, CAST('3.7' AS DECIMAL(5,1)) AS d FROM customers ORDER BY id LIMIT 3

SELECT CAST(created_at AS DATE) AS d, CAST(amount AS SIGNED) AS a FROM orders ORDER BY id LIMIT 5

SELECT CONVERT(qty, CHAR) AS c, CONVERT('12', UNSIGNED) AS u FROM orders ORDER BY id LIMIT 3

SELECT CAST('2024-05-06' AS DATETIME) AS dt

SELECT REGEXP_REPLACE(email, '@.*$', '') AS u FROM customers ORDER BY id LIMIT 10

SELECT REGEXP_SUBSTR(email, '[a-z]+$') AS tld FROM customers ORDER BY id LIMIT 10

SELECT 'abc' REGEXP 'B' AS r1, 'abc' REGEXP '^b' AS r2

SELECT MD5('abc') AS m

SELECT SHA1('abc') AS s

SELECT QUOTE("it's") AS q

SELECT LENGTH(note), note FROM orders WHERE note IS NOT NULL ORDER BY id LIMIT 10

SELECT FORMAT(12345.678, 2) AS f, FORMAT(0.5, 0) AS g

SELECT CONCAT(name, ': ', FORMAT(credit, 2)) AS line FROM customers WHERE credit IS NOT NULL ORDER BY id LIMIT 8

SELECT SOUNDEX('Robert') AS s

SELECT INSERT('abc', 9, 1, 'X') AS a, INSERT('abc', 2, 9, 'X') AS b, QUOTE('it''s \\ x') AS q, QUOTE(NULL) AS n

SELECT FORMAT(-2.5, 0) AS f, FORMAT(amount, 1) AS g FROM orders ORDER BY id LIMIT 5

SELECT REGEXP_REPLACE('A.b.C', '[a-c]', 'x') AS r, REGEXP_SUBSTR('user@Example.ORG', '[a-z]+$') AS s
