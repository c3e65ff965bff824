-- sql_mode flags that change how a statement reads: PIPES_AS_CONCAT (|| joins
-- strings, binding tighter than ^), ANSI_QUOTES ("x" is a name), NO_BACKSLASH_ESCAPES
-- (\ is an ordinary character), and ANSI, which includes the first two. The last
-- statement restores each server's default.

SELECT 1 || 0 AS p, 0 || 0 AS q

SET sql_mode = 'PIPES_AS_CONCAT'

SELECT 'a' || 'b' || 1 AS c, 1 || 0 AS n, 'x' || NULL AS nul

SELECT name || ' (' || country || ')' AS who FROM customers ORDER BY id LIMIT 4

SET sql_mode = 'ANSI_QUOTES'

SELECT "id", "name" AS "the name" FROM "customers" WHERE "id" < 3 ORDER BY "id"

SELECT c."city", 'it''s' AS s FROM customers AS c ORDER BY c.id LIMIT 2

SET sql_mode = 'NO_BACKSLASH_ESCAPES'

SELECT 'a\nb' AS raw, LENGTH('a\b') AS len, 'C:\' AS path, 'x\\y' AS two

SELECT COUNT(*) AS n FROM customers WHERE email LIKE '%\_%'

SET sql_mode = 'ANSI'

SELECT "name" || '@' || "country" AS who FROM customers ORDER BY "id" LIMIT 3

SET sql_mode = DEFAULT

SELECT 'a\tb' AS tab, "dq" AS s
