-- Filters: LIKE, REGEXP, IN, BETWEEN, case-insensitive and trailing-space comparison.

SELECT id, name FROM customers WHERE name = 'ALICE' ORDER BY id

SELECT id, name FROM customers WHERE name = 'bob' ORDER BY id

SELECT COUNT(*) FROM customers WHERE city = 'berlin'

SELECT COUNT(*) FROM customers WHERE city = 'Berlin   '

SELECT id, city FROM customers WHERE city LIKE 'ber%' ORDER BY id

SELECT id, name FROM customers WHERE name LIKE '%a%' ORDER BY id

SELECT id, name FROM customers WHERE name LIKE '_o%' ORDER BY id

SELECT id, name FROM customers WHERE name NOT LIKE '%e%' ORDER BY id

SELECT id, note FROM orders WHERE note LIKE '%\%%' ORDER BY id

SELECT id, note FROM orders WHERE note LIKE 'a\_b%' ORDER BY id

SELECT id, name FROM customers WHERE name REGEXP '^[a-c]' ORDER BY id

SELECT id, name FROM customers WHERE name REGEXP 'e$' ORDER BY id

SELECT id, name FROM customers WHERE name NOT REGEXP '[0-9]' ORDER BY id

SELECT id, email FROM customers WHERE email RLIKE '\\.org$' ORDER BY id

SELECT id, name FROM customers WHERE name REGEXP 'ALI|bob' ORDER BY id

SELECT COUNT(*) FROM orders WHERE status IN ('shipped', 'pending')

SELECT status, COUNT(*) FROM orders WHERE status IN ('SHIPPED') GROUP BY status

SELECT COUNT(*) FROM orders WHERE status NOT IN ('cancelled', 'returned')

SELECT COUNT(*) FROM orders WHERE product_id IN (1, 3, 5, 7)

SELECT COUNT(*) FROM orders WHERE product_id IN ('1', '3')

SELECT COUNT(*) FROM orders WHERE qty BETWEEN 3 AND 6

SELECT COUNT(*) FROM orders WHERE qty NOT BETWEEN 3 AND 6

SELECT COUNT(*) FROM orders WHERE amount BETWEEN 10 AND 50.5

SELECT COUNT(*) FROM orders WHERE discount IS NULL

SELECT COUNT(*) FROM orders WHERE discount IS NOT NULL AND discount > 10

SELECT COUNT(*) FROM orders WHERE note <=> NULL

SELECT COUNT(*) FROM orders WHERE NOT (qty > 5)

SELECT COUNT(*) FROM orders WHERE qty > 5 OR amount > 100

SELECT COUNT(*) FROM orders WHERE qty > 5 AND (status = 'shipped' OR status = 'returned')

SELECT COUNT(*) FROM orders WHERE qty > 5 XOR amount > 100

SELECT COUNT(*) FROM orders WHERE qty = '5'

SELECT COUNT(*) FROM orders WHERE amount > '100'

SELECT COUNT(*) FROM customers WHERE vip

SELECT COUNT(*) FROM customers WHERE NOT vip

SELECT COUNT(*) FROM customers WHERE vip = TRUE

SELECT COUNT(*) FROM customers WHERE country = "de"

SELECT id FROM customers WHERE country IN ("us", "gb") ORDER BY id

SELECT COUNT(*) FROM customers WHERE name > 'M'

SELECT MIN(name), MAX(name) FROM customers

SELECT COUNT(*) FROM customers WHERE email IS NULL OR city IS NULL

SELECT COUNT(*) FROM customers WHERE COALESCE(city, 'none') = 'NONE'

SELECT COUNT(*) FROM orders WHERE id = 10 OR id = 20 OR id = 30

SELECT COUNT(*) FROM orders WHERE id <> 10 AND id != 20

SELECT id FROM orders WHERE id > 290

SELECT * FROM products WHERE id < 4 ORDER BY id

SELECT * FROM customers WHERE id IN (1, 2) ORDER BY id

SELECT * FROM events WHERE id <= 5 ORDER BY id

SELECT id, name FROM customers WHERE name IN ('Alice', 'BOB', 'carol') ORDER BY id

SELECT id, name FROM customers WHERE LOWER(name) = 'dave' ORDER BY id

SELECT id, name FROM customers WHERE UPPER(name) LIKE 'E%' ORDER BY id

SELECT COUNT(*) FROM orders WHERE status LIKE 'ship%'

SELECT COUNT(*) FROM orders WHERE status = 'Shipped'

SELECT COUNT(DISTINCT status) FROM orders

SELECT COUNT(DISTINCT city) FROM customers

SELECT DISTINCT country FROM customers ORDER BY country

SELECT id, name FROM customers WHERE name LIKE 'o\'%' ORDER BY id

SELECT id, name FROM customers WHERE name = 'O''Brien' ORDER BY id

SELECT id, name FROM customers WHERE name = "O'Brien" ORDER BY id

SELECT id, note FROM orders WHERE note = 'fragile \\ handle' ORDER BY id

SELECT id FROM orders WHERE note LIKE '%\\\\%' ORDER BY id

SELECT COUNT(*) FROM events WHERE score < 0

SELECT COUNT(*) FROM events WHERE customer_id IS NULL

SELECT COUNT(*) FROM events WHERE kind = 'signup'

SELECT COUNT(*) FROM products WHERE active AND price < 10

SELECT id FROM products WHERE weight_g IS NULL ORDER BY id

SELECT COUNT(*) FROM orders WHERE created_at LIKE '2023-05%'

SELECT COUNT(*) FROM orders WHERE LEFT(status, 1) = 's'

SELECT COUNT(*) FROM orders WHERE product_id IN (SELECT id FROM products WHERE category = 'fruit')

SELECT COUNT(*) FROM orders WHERE customer_id NOT IN (SELECT id FROM customers WHERE vip = 1)

SELECT COUNT(*) FROM orders o WHERE EXISTS (SELECT 1 FROM customers c WHERE c.id = o.customer_id AND c.country = 'us')

SELECT COUNT(*) FROM customers c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id)

SELECT id FROM orders WHERE amount = (SELECT MAX(amount) FROM orders)

SELECT id, amount FROM orders WHERE amount > (SELECT AVG(amount) FROM orders) ORDER BY amount DESC, id LIMIT 10
