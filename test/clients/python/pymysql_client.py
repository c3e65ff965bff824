"""PyMySQL against a MySQL-compatible server; prints one JSON object of what it saw.

Usage: /usr/bin/python3 pymysql_client.py HOST PORT USER DATABASE
The database must exist and be empty. test/e2e/python-clients.test.ts runs this
against ducksafe and compares every value it prints.
"""
import datetime
import decimal
import json
import sys

import pymysql
import pymysql.cursors

host, port, user, database = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
out = {}


def connect(**extra):
    return pymysql.connect(host=host, port=port, user=user, database=database, charset='utf8mb4', **extra)


def typed(value):
    """A value as [Python type name, JSON-safe rendering]."""
    if isinstance(value, bytes):
        return ['bytes', value.hex()]
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return [type(value).__name__, value.isoformat()]
    if isinstance(value, datetime.timedelta):
        return ['timedelta', value.total_seconds()]
    if isinstance(value, decimal.Decimal):
        return ['Decimal', str(value)]
    return [type(value).__name__, value]


def error_of(action):
    try:
        action()
    except pymysql.MySQLError as e:
        return {'class': type(e).__name__, 'errno': e.args[0], 'message': e.args[1]}
    return None


conn = connect()
cur = conn.cursor()
out['server_version'] = conn.get_server_info()
out['autocommit_at_connect'] = conn.get_autocommit()

cur.execute(
    'CREATE TABLE types (id INT PRIMARY KEY AUTO_INCREMENT, ti TINYINT, si SMALLINT, i INT, bi BIGINT, '
    'd DECIMAL(10,2), f FLOAT, db DOUBLE, s VARCHAR(40), tx TEXT, ch CHAR(3), bl BLOB, vb VARBINARY(16), '
    'dt DATE, dtt DATETIME, ts TIMESTAMP(6), tm TIME, b BOOLEAN, j JSON)'
)
row = (
    -5, 300, -70000, 9007199254740993, decimal.Decimal('-12.34'), 1.5, 2.25,
    "O'Brien \\ \"quoted\" ünïcødé 😀", 'long text', 'abc',
    b'\x00\x01\xff\xfe binary \x80', b'\xc3\xa9t\xc3\xa9',
    datetime.date(2024, 2, 29), datetime.datetime(2024, 12, 31, 23, 59, 58),
    datetime.datetime(2024, 1, 2, 3, 4, 5, 123456), datetime.timedelta(hours=13, minutes=3, seconds=4),
    True, '{"a": [1, 2]}',
)
cur.execute(
    'INSERT INTO types (ti, si, i, bi, d, f, db, s, tx, ch, bl, vb, dt, dtt, ts, tm, b, j) '
    'VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)',
    row,
)
out['insert'] = {'rowcount': cur.rowcount, 'lastrowid': cur.lastrowid}
cur.execute('INSERT INTO types (s) VALUES (NULL)')
out['insert_nulls_lastrowid'] = cur.lastrowid
conn.commit()

cur.execute('SELECT * FROM types ORDER BY id')
out['columns'] = [[d[0], d[1]] for d in cur.description]
out['rows'] = [[typed(v) for v in r] for r in cur.fetchall()]

# Parameters PyMySQL escapes itself: % in LIKE, a dict of named parameters, a list for IN.
cur.execute("SELECT id FROM types WHERE s LIKE %s AND id IN %s", ("O'Brien%", [1, 2, 3]))
out['like_in'] = [r[0] for r in cur.fetchall()]
cur.execute('SELECT %(a)s + %(b)s AS total, %(name)s AS name', {'a': 40, 'b': 2, 'name': 'x\ny'})
out['named'] = [typed(v) for v in cur.fetchone()]

cur.execute('CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(20), price DECIMAL(8,2))')
cur.executemany('INSERT INTO items (id, name, price) VALUES (%s, %s, %s)', [(1, 'apple', decimal.Decimal('1.50')), (2, 'pear', None), (3, 'plum', 3)])
out['executemany_rowcount'] = cur.rowcount
conn.commit()

# Autocommit off (PyMySQL's default): rollback discards, commit publishes to other sessions.
other = connect(autocommit=True)
other_cur = other.cursor()


def seen_by_other():
    other_cur.execute('SELECT COUNT(*) FROM items')
    return other_cur.fetchone()[0]


cur.execute("INSERT INTO items VALUES (4, 'fig', 9.99)")
out['uncommitted_seen_by_other'] = seen_by_other()
conn.rollback()
cur.execute('SELECT COUNT(*) FROM items')
out['after_rollback'] = cur.fetchone()[0]
cur.execute("INSERT INTO items VALUES (4, 'fig', 9.99)")
conn.commit()
out['after_commit_seen_by_other'] = seen_by_other()
conn.autocommit(True)
out['autocommit_after_set'] = conn.get_autocommit()
cur.execute("INSERT INTO items VALUES (5, 'kiwi', 0.5)")
out['autocommit_insert_seen_by_other'] = seen_by_other()

dict_cur = conn.cursor(pymysql.cursors.DictCursor)
dict_cur.execute('SELECT id, name, price FROM items WHERE price IS NOT NULL ORDER BY price DESC LIMIT 2')
out['dict_rows'] = [{k: typed(v) for k, v in r.items()} for r in dict_cur.fetchall()]
# A user variable assigned in a SELECT keeps the last row's value for later statements.
cur.execute('SELECT @top := MAX(price) AS top FROM items')
out['assigned'] = typed(cur.fetchone()[0])
cur.execute('SELECT id, @top FROM items WHERE price = @top')
out['read_back'] = [[r[0], typed(r[1])] for r in cur.fetchall()]
stream = conn.cursor(pymysql.cursors.SSCursor)
stream.execute('SELECT id FROM items ORDER BY id')
out['streamed'] = [r[0] for r in stream]
stream.close()

# Bytes into a text column are the text they encode, as MySQL takes them; bytes that
# are not UTF-8 are refused.
cur.execute("INSERT INTO items (id, name) VALUES (6, X'c3a9'), (7, _binary'plain')")
cur.execute('SELECT name FROM items WHERE id IN (6, 7) ORDER BY id')
out['bytes_into_text'] = [r[0] for r in cur.fetchall()]
cur.execute('DELETE FROM items WHERE id IN (6, 7)')

out['errors'] = {
    'not_utf8_into_text': error_of(lambda: cur.execute('INSERT INTO items (id, name) VALUES (%s, %s)', (8, b'\xff\xfe'))),
    'no_such_table': error_of(lambda: cur.execute('SELECT * FROM nosuch')),
    'duplicate_key': error_of(lambda: cur.execute("INSERT INTO items VALUES (1, 'again', 1)")),
    'syntax': error_of(lambda: cur.execute('SELEC 1')),
    'unknown_column': error_of(lambda: cur.execute('SELECT nosuch FROM items')),
}
# The connection is still usable after errors.
cur.execute('SELECT COUNT(*) FROM items')
out['count_after_errors'] = cur.fetchone()[0]
out['ping'] = conn.ping(reconnect=False) is None

other.close()
conn.close()
print(json.dumps(out))
