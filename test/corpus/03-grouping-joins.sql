-- Joins, GROUP BY (with non-aggregated columns), HAVING, ORDER BY with NULLs, LIMIT.

SELECT c.name, COUNT(o.id) AS orders, SUM(o.amount) AS total FROM customers c LEFT JOIN orders o ON o.customer_id = c.id GROUP BY c.id ORDER BY c.id

SELECT c.id, c.name, c.country, SUM(o.amount) FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.id ORDER BY c.id LIMIT 15

SELECT p.category, COUNT(*) AS n, SUM(o.qty) AS units FROM orders o JOIN products p ON p.id = o.product_id GROUP BY p.category ORDER BY p.category

SELECT p.name, SUM(o.amount) AS revenue FROM orders o INNER JOIN products p ON o.product_id = p.id GROUP BY p.id ORDER BY revenue DESC LIMIT 5

SELECT c.country, p.category, COUNT(*) FROM orders o JOIN customers c ON c.id = o.customer_id JOIN products p ON p.id = o.product_id GROUP BY c.country, p.category ORDER BY c.country, p.category

SELECT c.id, c.name FROM customers c LEFT JOIN orders o ON o.customer_id = c.id WHERE o.id IS NULL ORDER BY c.id

SELECT o.id, c.name, p.name FROM orders o, customers c, products p WHERE o.customer_id = c.id AND o.product_id = p.id AND o.id < 15 ORDER BY o.id

SELECT o.id, p.name FROM orders o RIGHT JOIN products p ON p.id = o.product_id WHERE o.id < 10 ORDER BY o.id

SELECT COUNT(*) FROM orders o JOIN products p USING (id)

SELECT a.id, b.id FROM customers a JOIN customers b ON a.country = b.country AND a.id < b.id WHERE a.id < 6 ORDER BY a.id, b.id

SELECT COUNT(*) FROM customers CROSS JOIN products

SELECT e.kind, c.country, COUNT(*) FROM events e LEFT JOIN customers c ON c.id = e.customer_id GROUP BY e.kind, c.country ORDER BY e.kind, c.country

SELECT status, COUNT(*) AS n FROM orders GROUP BY status ORDER BY status

SELECT status, COUNT(*) AS n FROM orders GROUP BY status HAVING n > 40 ORDER BY n

SELECT customer_id, SUM(amount) AS total FROM orders GROUP BY customer_id HAVING SUM(amount) > 500 ORDER BY total DESC

SELECT customer_id, COUNT(*) FROM orders GROUP BY customer_id HAVING COUNT(*) >= 10 ORDER BY customer_id

SELECT product_id, AVG(qty) AS avg_qty FROM orders GROUP BY product_id ORDER BY product_id

SELECT product_id, AVG(amount) FROM orders GROUP BY product_id ORDER BY product_id

SELECT AVG(discount), SUM(discount), COUNT(discount), COUNT(*) FROM orders

SELECT MIN(amount), MAX(amount), SUM(amount), AVG(amount) FROM orders

SELECT SUM(qty), AVG(qty), MIN(qty), MAX(qty) FROM orders

SELECT country, AVG(credit) FROM customers GROUP BY country ORDER BY country

SELECT country, COUNT(*), COUNT(email), COUNT(city) FROM customers GROUP BY country ORDER BY country

SELECT city, COUNT(*) FROM customers GROUP BY city ORDER BY city

SELECT city, COUNT(*) FROM customers GROUP BY city ORDER BY city DESC

SELECT id, discount FROM orders ORDER BY discount, id LIMIT 20

SELECT id, discount FROM orders ORDER BY discount DESC, id LIMIT 20

SELECT id, ship_date FROM orders ORDER BY ship_date ASC, id LIMIT 10

SELECT id, email FROM customers ORDER BY email DESC, id

SELECT id, credit FROM customers ORDER BY credit, id

SELECT id, name FROM customers ORDER BY name, id

SELECT id, name FROM customers ORDER BY name DESC, id

SELECT id, city FROM customers ORDER BY city, id

SELECT id, status FROM orders ORDER BY status, id LIMIT 30

SELECT id FROM orders ORDER BY id LIMIT 10, 5

SELECT id FROM orders ORDER BY id LIMIT 5 OFFSET 290

SELECT id FROM orders ORDER BY id DESC LIMIT 0, 3

SELECT id FROM orders ORDER BY id LIMIT 0

SELECT id, amount FROM orders ORDER BY amount DESC, id LIMIT 3

SELECT customer_id, MAX(created_at) AS last_order FROM orders GROUP BY customer_id ORDER BY last_order DESC LIMIT 10

SELECT customer_id, MIN(ship_date) FROM orders GROUP BY customer_id ORDER BY customer_id

SELECT YEAR(created_at), status, COUNT(*) FROM orders GROUP BY YEAR(created_at), status ORDER BY 1, 2

SELECT status, SUM(qty) FROM orders GROUP BY status WITH ROLLUP

SELECT category, COUNT(*) AS n FROM products GROUP BY category ORDER BY n DESC, category

SELECT category, MIN(price), MAX(price), AVG(price) FROM products GROUP BY category ORDER BY category

SELECT category, SUM(price * 2) FROM products GROUP BY category ORDER BY 1

SELECT active, COUNT(*) FROM products GROUP BY active ORDER BY active

SELECT vip, COUNT(*), SUM(credit) FROM customers GROUP BY vip ORDER BY vip

SELECT kind, COUNT(*), SUM(duration_ms), AVG(duration_ms), MAX(score) FROM events GROUP BY kind ORDER BY kind

SELECT kind, COUNT(DISTINCT customer_id) FROM events GROUP BY kind ORDER BY kind

SELECT customer_id, COUNT(*) FROM events WHERE customer_id IS NOT NULL GROUP BY customer_id ORDER BY COUNT(*) DESC, customer_id LIMIT 10

SELECT o.customer_id, c.name, COUNT(*) FROM orders o JOIN customers c ON c.id = o.customer_id GROUP BY o.customer_id ORDER BY 3 DESC, 1 LIMIT 10

SELECT x.status, x.n FROM (SELECT status, COUNT(*) AS n FROM orders GROUP BY status) AS x WHERE x.n > 30 ORDER BY x.status

SELECT t.country, MAX(t.total) FROM (SELECT c.country, o.customer_id, SUM(o.amount) AS total FROM orders o JOIN customers c ON c.id = o.customer_id GROUP BY c.country, o.customer_id) t GROUP BY t.country ORDER BY t.country

SELECT (SELECT COUNT(*) FROM orders o WHERE o.customer_id = c.id) AS n, c.id FROM customers c ORDER BY c.id

SELECT id, name, (SELECT MAX(amount) FROM orders o WHERE o.product_id = p.id) AS biggest FROM products p ORDER BY id

SELECT status FROM orders UNION SELECT kind FROM events ORDER BY 1

SELECT id FROM customers WHERE id < 3 UNION ALL SELECT id FROM products WHERE id < 3 ORDER BY 1

SELECT country FROM customers UNION SELECT 'XX'

SELECT COUNT(*) FROM (SELECT DISTINCT customer_id, product_id FROM orders) d

SELECT DISTINCT customer_id FROM orders WHERE qty > 10 ORDER BY customer_id

SELECT SUM(CASE WHEN status = 'shipped' THEN amount ELSE 0 END) AS shipped, SUM(CASE WHEN status = 'pending' THEN amount ELSE 0 END) AS pending FROM orders

SELECT YEAR(created_at) AS y, SUM(IF(status = 'cancelled', 1, 0)) AS cancelled, COUNT(*) AS total FROM orders GROUP BY y ORDER BY y

SELECT COUNT(*), COUNT(1), COUNT(note), COUNT(DISTINCT note) FROM orders

SELECT customer_id, GROUP_CONCAT(id ORDER BY id SEPARATOR ',') FROM orders WHERE customer_id < 6 GROUP BY customer_id ORDER BY customer_id

SELECT category, GROUP_CONCAT(name ORDER BY name SEPARATOR ' | ') AS names FROM products GROUP BY category ORDER BY category

SELECT category, GROUP_CONCAT(DISTINCT active ORDER BY active) FROM products GROUP BY category ORDER BY category

SELECT customer_id, GROUP_CONCAT(DISTINCT status ORDER BY status) FROM orders WHERE customer_id <= 5 GROUP BY customer_id ORDER BY customer_id

SELECT 1 FROM DUAL

SELECT COUNT(*) FROM orders o LEFT JOIN products p ON p.id = o.product_id AND p.active = 1 WHERE p.id IS NULL

SELECT o.status, SUM(o.amount - COALESCE(o.discount, 0)) AS net FROM orders o GROUP BY o.status ORDER BY o.status
