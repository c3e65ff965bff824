-- The session time zone: NOW(), CURDATE(), FROM_UNIXTIME(), UNIX_TIMESTAMP() and
-- CONVERT_TZ follow SET time_zone (offsets, named zones, SYSTEM). Named zones need
-- MariaDB's time zone tables: the test loads the few zones used here. The last
-- statement restores the corpus's '+00:00'.

SET time_zone = '+05:30'

SELECT @@time_zone AS tz, @@session.time_zone AS s

SELECT FROM_UNIXTIME(0) AS a, FROM_UNIXTIME(1700000000, '%Y-%m-%d %H:%i') AS b, UNIX_TIMESTAMP('1970-01-01 05:30:00') AS c

SELECT TIMESTAMPDIFF(MINUTE, UTC_TIMESTAMP(), NOW()) AS m, CURDATE() = DATE(NOW()) AS d, TIMESTAMPDIFF(SECOND, NOW(), CURRENT_TIMESTAMP) AS z, TIMESTAMPDIFF(MINUTE, UTC_TIMESTAMP(), LOCALTIMESTAMP()) AS l

SELECT id, FROM_UNIXTIME(ts) AS t FROM events ORDER BY id LIMIT 5

SELECT id, UNIX_TIMESTAMP(created_at) AS u FROM orders ORDER BY id LIMIT 5

SELECT CONVERT_TZ('2024-06-01 12:00:00', '+05:30', '+00:00') AS a, CONVERT_TZ('2024-06-01 12:00:00', 'SYSTEM', '+00:00') AS s

SET time_zone = '-08:00'

SELECT FROM_UNIXTIME(86400 * 365) AS a, TIMESTAMPDIFF(MINUTE, UTC_TIMESTAMP(), NOW()) AS m, UNIX_TIMESTAMP('2024-01-01 00:00:00') AS u

SELECT DATE(FROM_UNIXTIME(ts)) AS d, COUNT(*) FROM events GROUP BY d ORDER BY d LIMIT 5

SET time_zone = '+7:00'

SELECT @@time_zone AS tz, FROM_UNIXTIME(0) AS a

SET time_zone = 'Europe/Berlin'

SELECT @@time_zone AS tz, FROM_UNIXTIME(1704067200) AS winter, FROM_UNIXTIME(1719792000) AS summer, UNIX_TIMESTAMP('2024-07-01 02:00:00') AS u

SELECT CONVERT_TZ('2024-03-31 00:30:00', 'UTC', 'Europe/Berlin') AS a, CONVERT_TZ('2024-10-27 12:00:00', 'Europe/Berlin', 'America/New_York') AS b, CONVERT_TZ('2024-01-01 00:00:00', 'Asia/Kolkata', '+00:00') AS c

SET time_zone = 'Mars/Olympus'

SET time_zone = '+15:00'

SET time_zone = 'SYSTEM'

SELECT @@time_zone AS tz

SET time_zone = '+00:00'

SELECT CONVERT_TZ('2024-01-01 00:00:00', 'Nowhere/Zone', '+00:00') AS a, CONVERT_TZ('2024-01-01 00:00:00', '+00:00', '+15:00') AS b, CONVERT_TZ('2024-01-01 00:00:00', '+00:00', '-12:59') AS c, CONVERT_TZ('2024-01-01 00:00:00', '+0:00', '+9:30') AS d
