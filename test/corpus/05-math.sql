-- Arithmetic, division, DIV and MOD, rounding, implicit casts.

SELECT 7 / 2 AS a, 1 / 3 AS b, 10 / 4 AS c

SELECT 1 / 0 AS a, 5 DIV 0 AS b, 5 MOD 0 AS c

SELECT 7 DIV 2 AS a, -7 DIV 2 AS b, 7 MOD 3 AS c, -7 MOD 3 AS d, 7 % 3 AS e

SELECT 7.5 DIV 2 AS a, MOD(10, 4) AS m, MOD(10.5, 3) AS f

SELECT amount / qty AS unit, amount DIV qty AS unit_int FROM orders ORDER BY id LIMIT 10

SELECT qty / 3 AS q FROM orders ORDER BY id LIMIT 10

SELECT SUM(amount) / COUNT(*) AS avg_amount FROM orders

SELECT SUM(qty) / COUNT(DISTINCT customer_id) AS per_customer FROM orders

SELECT customer_id, SUM(amount) / SUM(qty) AS per_unit FROM orders GROUP BY customer_id ORDER BY customer_id LIMIT 10

SELECT 100 * COUNT(discount) / COUNT(*) AS pct_discounted FROM orders

SELECT ROUND(amount / qty, 2) AS unit FROM orders ORDER BY id LIMIT 10

SELECT ROUND(2.5) AS a, ROUND(-2.5) AS b, ROUND(1.2345, 2) AS c, ROUND(1234.5, -2) AS d

SELECT ROUND(AVG(amount), 2) AS avg_amount FROM orders

SELECT TRUNCATE(1.999, 2) AS a, TRUNCATE(-1.999, 1) AS b, TRUNCATE(1234, -2) AS c

SELECT TRUNCATE(amount, 0) AS t FROM orders ORDER BY id LIMIT 10

SELECT CEIL(1.2) AS a, CEILING(-1.2) AS b, FLOOR(-1.2) AS c, FLOOR(1.8) AS d

SELECT CEIL(amount), FLOOR(amount) FROM orders ORDER BY id LIMIT 10

SELECT POW(2, 10) AS a, POWER(2, 0.5) AS b, SQRT(16) AS c

SELECT ABS(-3) AS a, SIGN(-2.5) AS b, SIGN(0) AS c

SELECT ABS(score) FROM events WHERE score IS NOT NULL ORDER BY id LIMIT 10

SELECT GREATEST(1, 5, 3) AS g, LEAST(4, 2, 8) AS l, GREATEST('a', 'B') AS s

SELECT GREATEST(qty, 5) AS g FROM orders ORDER BY id LIMIT 10

SELECT '1' + 10 AS a, '2.5' * 2 AS b, 1 + '1abc' AS c

SELECT TRUE + 1 AS a, FALSE + 1 AS b, TRUE AS t

SELECT 10 + NULL AS a, NULL * 2 AS b

SELECT 2147483647 + 1 AS a, 9223372036854775807 - 1 AS b

SELECT 3 - 5 AS a, -(-3) AS b, 2 * 3.5 AS c

SELECT 0.1 + 0.2 AS a, 1.10 * 3 AS b, 1.5 + 2.25 AS c

SELECT qty * amount AS x FROM orders ORDER BY id LIMIT 10

SELECT amount + discount AS x FROM orders ORDER BY id LIMIT 10

SELECT amount - IFNULL(discount, 0) AS net FROM orders ORDER BY id LIMIT 10

SELECT amount * 1.19 AS gross FROM orders ORDER BY id LIMIT 10

SELECT SUM(amount * qty) AS x FROM orders

SELECT id, price * 100 / 3 AS x FROM products ORDER BY id LIMIT 5

SELECT weight_g / 1000 AS kg FROM products ORDER BY id

SELECT AVG(weight_g) FROM products

SELECT AVG(price) FROM products

SELECT SUM(weight_g), SUM(price) FROM products

SELECT MOD(id, 7) AS bucket, COUNT(*) FROM orders GROUP BY bucket ORDER BY bucket

SELECT id % 5 AS b, SUM(qty) FROM orders GROUP BY b ORDER BY b

SELECT id DIV 50 AS b, COUNT(*) FROM orders GROUP BY b ORDER BY b

SELECT FLOOR(amount / 50) * 50 AS bucket, COUNT(*) FROM orders GROUP BY bucket ORDER BY bucket

SELECT 5 = '5' AS a, '10' > 9 AS b, 'abc' = 0 AS c

SELECT 1 < 2 AS a, 2 <=> NULL AS b, NULL <=> NULL AS c, NULL = NULL AS d

SELECT 1 AND 0 AS a, 1 OR 0 AS b, NOT 1 AS c, 1 XOR 1 AS d

SELECT 1 IN (1, 2) AS a, 3 NOT IN (1, 2) AS b, NULL IN (1) AS c

SELECT 5 BETWEEN 1 AND 10 AS a, 'b' BETWEEN 'a' AND 'c' AS b

SELECT PI() AS p

SELECT ROUND(PI(), 4) AS p, ROUND(LN(10), 6) AS l, ROUND(LOG10(1000), 6) AS g

SELECT ROUND(EXP(1), 6) AS e, ROUND(LOG(2, 8), 6) AS l

SELECT 10 / 3 * 3 AS a

SELECT 1.0 / 3 AS a, 1 / 3.0 AS b

SELECT CAST(7 AS DECIMAL(10, 2)) / 2 AS a

SELECT 12345678901234567890 AS big

SELECT -5 DIV 2 AS a, 5 DIV -2 AS b

SELECT BIT_COUNT(255) AS b, 5 & 3 AS a, 5 | 3 AS o, 5 ^ 3 AS x, 1 << 4 AS s

SELECT CONV('ff', 16, 10) AS c, BIN(5) AS b, OCT(8) AS o

SELECT 5 = '5x' AS a, '3 apples' + 2 AS b

SELECT TRUE + vip AS v FROM customers ORDER BY id LIMIT 5
