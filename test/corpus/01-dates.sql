-- Date and time grouping as BI tools emit it.

SELECT DATE_FORMAT(created_at, '%Y-%m') AS month, COUNT(*) AS n, SUM(amount) AS revenue FROM orders GROUP BY DATE_FORMAT(created_at, '%Y-%m') ORDER BY month

SELECT YEAR(created_at) AS y, MONTH(created_at) AS m, COUNT(*) FROM orders GROUP BY YEAR(created_at), MONTH(created_at) ORDER BY y, m

SELECT DATE(created_at) AS d, COUNT(*) AS n FROM orders WHERE created_at >= '2023-03-01' AND created_at < '2023-04-01' GROUP BY DATE(created_at) ORDER BY d

SELECT WEEK(created_at) AS w, COUNT(*) FROM orders WHERE YEAR(created_at) = 2023 GROUP BY WEEK(created_at) ORDER BY w

SELECT WEEK(created_at, 1) AS w, COUNT(*) FROM orders WHERE YEAR(created_at) = 2023 GROUP BY w ORDER BY w

SELECT WEEK(created_at, 3) AS w, COUNT(*) FROM orders GROUP BY w ORDER BY w

SELECT YEARWEEK(created_at) AS yw, COUNT(*) FROM orders GROUP BY yw ORDER BY yw

SELECT YEARWEEK(created_at, 1) AS yw, SUM(qty) FROM orders GROUP BY yw ORDER BY yw LIMIT 20

SELECT DAYOFWEEK(created_at) AS dow, COUNT(*) FROM orders GROUP BY dow ORDER BY dow

SELECT WEEKDAY(created_at) AS wd, COUNT(*) FROM orders GROUP BY wd ORDER BY wd

SELECT DAYNAME(created_at) AS dn, COUNT(*) FROM orders GROUP BY dn ORDER BY dn

SELECT MONTHNAME(created_at) AS mn, COUNT(*) FROM orders GROUP BY mn ORDER BY mn

SELECT QUARTER(created_at) AS q, YEAR(created_at) AS y, SUM(amount) FROM orders GROUP BY y, q ORDER BY y, q

SELECT DAYOFMONTH(created_at) AS d, COUNT(*) FROM orders GROUP BY d ORDER BY d

SELECT DAYOFYEAR(created_at) AS d, id FROM orders ORDER BY id LIMIT 15

SELECT HOUR(created_at) AS h, COUNT(*) FROM orders GROUP BY h ORDER BY h

SELECT id, MINUTE(created_at), SECOND(created_at) FROM orders ORDER BY id LIMIT 10

SELECT FROM_UNIXTIME(ts) AS t FROM events ORDER BY id LIMIT 10

SELECT FROM_UNIXTIME(ts, '%Y-%m-%d') AS d, COUNT(*) FROM events GROUP BY d ORDER BY d LIMIT 30

SELECT UNIX_TIMESTAMP(created_at) DIV 300 * 300 AS time_sec, COUNT(*) AS value FROM orders WHERE created_at BETWEEN FROM_UNIXTIME(1672531200) AND FROM_UNIXTIME(1688169600) GROUP BY 1 ORDER BY 1 LIMIT 25

SELECT UNIX_TIMESTAMP(created_at) AS t, id FROM orders ORDER BY id LIMIT 10

SELECT ts DIV 3600 * 3600 AS time_sec, COUNT(*) FROM events GROUP BY 1 ORDER BY 1 LIMIT 20

SELECT FLOOR(ts / 86400) * 86400 AS day_sec, COUNT(*) FROM events GROUP BY day_sec ORDER BY day_sec LIMIT 20

SELECT DATE_SUB(ship_date, INTERVAL 7 DAY) AS d FROM orders WHERE ship_date IS NOT NULL ORDER BY id LIMIT 10

SELECT DATE_ADD(ship_date, INTERVAL 1 MONTH) AS d FROM orders WHERE ship_date IS NOT NULL ORDER BY id LIMIT 10

SELECT DATE_ADD(created_at, INTERVAL 90 MINUTE) AS d FROM orders ORDER BY id LIMIT 10

SELECT DATE_SUB(created_at, INTERVAL 1 YEAR) AS d FROM orders ORDER BY id LIMIT 10

SELECT created_at + INTERVAL 1 DAY AS d FROM orders ORDER BY id LIMIT 5

SELECT ship_date - INTERVAL 2 WEEK AS d FROM orders WHERE ship_date IS NOT NULL ORDER BY id LIMIT 5

SELECT DATEDIFF(ship_date, created_at) AS days, COUNT(*) FROM orders WHERE ship_date IS NOT NULL GROUP BY days ORDER BY days

SELECT TIMESTAMPDIFF(DAY, signup_date, '2024-01-01') AS days FROM customers ORDER BY id LIMIT 10

SELECT TIMESTAMPDIFF(MONTH, signup_date, '2024-06-15') AS months FROM customers ORDER BY id LIMIT 10

SELECT TIMESTAMPDIFF(HOUR, created_at, '2024-12-31 00:00:00') AS h FROM orders ORDER BY id LIMIT 10

SELECT TIMEDIFF(created_at, DATE(created_at)) AS td FROM orders ORDER BY id LIMIT 10

SELECT TIMEDIFF('2024-01-02 10:00:00', '2024-01-01 08:30:15') AS td

SELECT CONVERT_TZ(created_at, '+00:00', '+02:00') AS local_time FROM orders ORDER BY id LIMIT 10

SELECT CONVERT_TZ('2024-03-10 12:00:00', '+00:00', '-05:30') AS t

SELECT MAKEDATE(2024, 60) AS d, MAKEDATE(2023, 365) AS d2

SELECT MAKEDATE(YEAR(created_at), 1) AS first_day, COUNT(*) FROM orders GROUP BY first_day ORDER BY first_day

SELECT STR_TO_DATE('2024-03-15', '%Y-%m-%d') AS d

SELECT STR_TO_DATE('15/03/2024 14:05:09', '%d/%m/%Y %H:%i:%s') AS d

SELECT STR_TO_DATE(CONCAT(YEAR(created_at), '-01-01'), '%Y-%m-%d') AS y, COUNT(*) FROM orders GROUP BY y ORDER BY y

SELECT DATE_FORMAT(created_at, '%d.%m.%Y %H:%i') AS f FROM orders ORDER BY id LIMIT 10

SELECT DATE_FORMAT(created_at, '%a %b %e %Y') AS f FROM orders ORDER BY id LIMIT 10

SELECT DATE_FORMAT(created_at, '%W %M %D') AS f FROM orders ORDER BY id LIMIT 10

SELECT DATE_FORMAT(created_at, '%h:%i %p') AS f FROM orders ORDER BY id LIMIT 10

SELECT DATE_FORMAT(created_at, '%j %U %u %v %x') AS f FROM orders ORDER BY id LIMIT 10

SELECT DATE_FORMAT(signup_date, '%Y-%m-01') AS m, COUNT(*) FROM customers GROUP BY m ORDER BY m

SELECT DATE_FORMAT(created_at, '%Y-%m-%d %H:00:00') AS hour, SUM(amount) FROM orders GROUP BY hour ORDER BY hour LIMIT 20

SELECT LAST_DAY(created_at) AS eom, COUNT(*) FROM orders GROUP BY eom ORDER BY eom

SELECT TO_DAYS(signup_date) AS d FROM customers ORDER BY id LIMIT 5

SELECT DATE(FROM_UNIXTIME(ts)) AS d, kind, COUNT(*) FROM events GROUP BY d, kind ORDER BY d, kind LIMIT 30

SELECT COUNT(*) FROM orders WHERE created_at > '2023-06-30'

SELECT COUNT(*) FROM orders WHERE DATE(created_at) = '2023-05-12'

SELECT COUNT(*) FROM orders WHERE ship_date BETWEEN '2023-01-01' AND '2023-12-31'

SELECT COUNT(*) FROM orders WHERE created_at >= DATE_SUB('2024-06-01', INTERVAL 30 DAY)

SELECT MIN(created_at), MAX(created_at), MIN(ship_date), MAX(ship_date) FROM orders

SELECT EXTRACT(YEAR FROM created_at) AS y, EXTRACT(MONTH FROM created_at) AS m, COUNT(*) FROM orders GROUP BY y, m ORDER BY y, m

SELECT EXTRACT(YEAR_MONTH FROM created_at) AS ym, COUNT(*) FROM orders GROUP BY ym ORDER BY ym

SELECT TIME(created_at) AS t FROM orders ORDER BY id LIMIT 10

SELECT SEC_TO_TIME(duration_ms DIV 1000) AS t FROM events WHERE duration_ms IS NOT NULL ORDER BY id LIMIT 10

SELECT TIME_TO_SEC(TIME(created_at)) AS s FROM orders ORDER BY id LIMIT 10

SELECT FROM_DAYS(738000) AS d

SELECT DATE('2024-02-29') + INTERVAL 1 YEAR AS d

SELECT ADDDATE('2024-01-31', INTERVAL 1 MONTH) AS d, SUBDATE('2024-03-31', INTERVAL 1 MONTH) AS d2

SELECT ADDDATE('2024-01-31', 3) AS d

SELECT STR_TO_DATE('March 5 2024', '%M %e %Y') AS d

SELECT UNIX_TIMESTAMP('2024-01-01 00:00:00') AS t
