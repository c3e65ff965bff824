-- Values converted on their way into columns, in MySQL's default strict mode:
-- what is refused and with which error, what is stored, and the warnings left.
-- Each query depends on the ones before it; the table is dropped at the end.

CREATE TABLE conv (id INT NOT NULL PRIMARY KEY, n INT, d DECIMAL(6,2), s VARCHAR(5), t DATETIME, f DOUBLE)

INSERT INTO conv (id, n) VALUES (1, '12abc')

SHOW WARNINGS

INSERT INTO conv (id, n) VALUES (2, 99999999999)

INSERT INTO conv (id, s) VALUES (3, 'toolongvalue')

INSERT INTO conv (id, t) VALUES (4, 'not a date')

INSERT INTO conv (id, n, d, s, t, f) VALUES (5, '42', '3.14159', 'ab', '2024-02-29 10:00:00', '1e3')

SHOW WARNINGS

INSERT INTO conv (id, n, d) VALUES (6, 7.5, 1.005)

SHOW WARNINGS

INSERT INTO conv (id, f) VALUES (7, 1/0)

SELECT id, n, d, s, t, f FROM conv ORDER BY id

UPDATE conv SET n = n / 0 WHERE id = 5

SELECT id, n FROM conv ORDER BY id

DROP TABLE conv
