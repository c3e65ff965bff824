-- Window functions and common table expressions.

SELECT id, customer_id, amount, ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY created_at, id) AS rn FROM orders WHERE customer_id < 5 ORDER BY customer_id, rn

SELECT id, amount, RANK() OVER (ORDER BY amount DESC) AS r, DENSE_RANK() OVER (ORDER BY amount DESC) AS dr FROM orders ORDER BY r, id LIMIT 20

SELECT customer_id, SUM(amount) AS total, RANK() OVER (ORDER BY SUM(amount) DESC) AS r FROM orders GROUP BY customer_id ORDER BY r, customer_id LIMIT 10

SELECT id, created_at, SUM(amount) OVER (ORDER BY created_at, id) AS running FROM orders ORDER BY created_at, id LIMIT 20

SELECT id, amount, SUM(amount) OVER (PARTITION BY customer_id) AS cust_total FROM orders WHERE customer_id IN (1, 2) ORDER BY id

SELECT id, amount, AVG(amount) OVER (PARTITION BY product_id) AS avg_p FROM orders WHERE product_id = 3 ORDER BY id

SELECT id, qty, LAG(qty) OVER (ORDER BY id) AS prev, LEAD(qty) OVER (ORDER BY id) AS next FROM orders ORDER BY id LIMIT 10

SELECT id, qty, LAG(qty, 2) OVER (ORDER BY id) AS prev2 FROM orders ORDER BY id LIMIT 10

SELECT id, FIRST_VALUE(id) OVER (PARTITION BY status ORDER BY id) AS first_id FROM orders ORDER BY id LIMIT 15

SELECT id, LAST_VALUE(id) OVER (PARTITION BY status ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS last_id FROM orders ORDER BY id LIMIT 15

SELECT id, NTILE(4) OVER (ORDER BY amount, id) AS quartile FROM orders ORDER BY id LIMIT 20

SELECT id, COUNT(*) OVER (PARTITION BY customer_id) AS n FROM orders ORDER BY id LIMIT 15

SELECT id, amount, SUM(amount) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS moving FROM orders ORDER BY id LIMIT 15

SELECT id, MAX(amount) OVER (PARTITION BY YEAR(created_at)) AS max_y FROM orders ORDER BY id LIMIT 10

SELECT month, revenue, SUM(revenue) OVER (ORDER BY month) AS cumulative FROM (SELECT DATE_FORMAT(created_at, '%Y-%m') AS month, SUM(amount) AS revenue FROM orders GROUP BY month) m ORDER BY month

SELECT id, PERCENT_RANK() OVER (ORDER BY amount, id) AS pr FROM orders ORDER BY id LIMIT 10

SELECT id, CUME_DIST() OVER (ORDER BY qty) AS cd FROM orders ORDER BY id LIMIT 10

SELECT * FROM (SELECT id, customer_id, ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY amount DESC, id) AS rn FROM orders) t WHERE rn = 1 ORDER BY customer_id

SELECT id, ROW_NUMBER() OVER w AS rn FROM orders WINDOW w AS (ORDER BY id DESC) ORDER BY id LIMIT 5

WITH totals AS (SELECT customer_id, SUM(amount) AS total FROM orders GROUP BY customer_id) SELECT c.name, t.total FROM totals t JOIN customers c ON c.id = t.customer_id ORDER BY t.total DESC, c.id LIMIT 10

WITH monthly AS (SELECT DATE_FORMAT(created_at, '%Y-%m') AS m, COUNT(*) AS n FROM orders GROUP BY m) SELECT m, n, n - LAG(n) OVER (ORDER BY m) AS delta FROM monthly ORDER BY m

WITH a AS (SELECT id FROM customers WHERE vip = 1), b AS (SELECT customer_id, COUNT(*) AS n FROM orders WHERE customer_id IN (SELECT id FROM a) GROUP BY customer_id) SELECT * FROM b ORDER BY customer_id

WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 10) SELECT n, n * n AS sq FROM seq ORDER BY n

WITH RECURSIVE days(d) AS (SELECT DATE('2023-01-01') UNION ALL SELECT d + INTERVAL 1 DAY FROM days WHERE d < '2023-01-10') SELECT d FROM days ORDER BY d

WITH stats AS (SELECT AVG(amount) AS a FROM orders) SELECT COUNT(*) FROM orders, stats WHERE amount > stats.a

WITH s AS (SELECT status, COUNT(*) AS n FROM orders GROUP BY status) SELECT status, n, ROUND(100 * n / (SELECT SUM(n) FROM s), 2) AS pct FROM s ORDER BY status

WITH cust AS (SELECT id, name FROM customers) SELECT COUNT(*) FROM cust WHERE name LIKE 'a%'

SELECT kind, day, n, SUM(n) OVER (PARTITION BY kind ORDER BY day) AS running FROM (SELECT kind, DATE(FROM_UNIXTIME(ts)) AS day, COUNT(*) AS n FROM events GROUP BY kind, day) x ORDER BY kind, day LIMIT 30

SELECT id, score, AVG(score) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS smooth FROM events ORDER BY id LIMIT 15

SELECT customer_id, id, DENSE_RANK() OVER (PARTITION BY customer_id ORDER BY product_id) AS dr FROM orders WHERE customer_id < 4 ORDER BY customer_id, id
