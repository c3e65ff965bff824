"""SQLAlchemy 1.4 (mysql+pymysql) against a MySQL-compatible server: connect, reflect,
query; prints one JSON object of what it saw.

Usage: /usr/bin/python3 sqlalchemy_client.py URL DATABASE TABLE...
Reflects every TABLE of DATABASE (tables and views the caller created), runs a Core
query on the table `orders` and a text() query, then lets the ORM create a table of
its own (CREATE TABLE, CREATE INDEX), write, read, update and delete rows. No pandas.
"""
import datetime
import decimal
import enum
import json
import sys
import warnings

import sqlalchemy as sa
from sqlalchemy import inspect, text
from sqlalchemy.orm import Session, declarative_base

warnings.simplefilter('ignore')  # SQLAlchemy 2.0 deprecation notices
url, database, tables = sys.argv[1], sys.argv[2], sys.argv[3:]
out = {}

statements = []
engine = sa.create_engine(url, pool_size=1, max_overflow=0)


@sa.event.listens_for(engine, 'before_cursor_execute')
def record(conn, cursor, statement, parameters, context, executemany):
    statements.append(statement)


def plain(value):
    if isinstance(value, decimal.Decimal):
        return str(value)
    if hasattr(value, 'isoformat'):
        return value.isoformat()
    return value


with engine.connect() as conn:
    out['server_version_info'] = list(engine.dialect.server_version_info)
    out['default_schema_name'] = engine.dialect.default_schema_name
    out['is_mariadb'] = engine.dialect.is_mariadb
    out['isolation_level'] = conn.get_isolation_level()

# isolation_level: SET SESSION TRANSACTION ISOLATION LEVEL, then read back; AUTOCOMMIT
# is PyMySQL's autocommit(True).
out['isolation_levels'] = {}
for level in ['READ COMMITTED', 'SERIALIZABLE', 'AUTOCOMMIT']:
    other = sa.create_engine(url, isolation_level=level, pool_pre_ping=True)
    with other.connect() as conn:
        row = conn.execute(text('SELECT @@transaction_isolation, @@autocommit')).one()
        out['isolation_levels'][level] = [conn.get_isolation_level(), row[0], row[1]]
    other.dispose()

insp = inspect(engine)
out['schemas'] = insp.get_schema_names()
out['tables'] = insp.get_table_names(schema=database)
out['views'] = insp.get_view_names(schema=database)
out['reflected'] = {}
for name in tables:
    columns = insp.get_columns(name, schema=database)
    out['reflected'][name] = {
        'columns': [
            {
                'name': c['name'],
                'type': str(c['type']),
                'nullable': c['nullable'],
                'default': c['default'],
                'autoincrement': c.get('autoincrement'),
            }
            for c in columns
        ],
        'pk': insp.get_pk_constraint(name, schema=database),
        'indexes': sorted(
            [{'name': i['name'], 'columns': i['column_names'], 'unique': i['unique']} for i in insp.get_indexes(name, schema=database)],
            key=lambda i: i['name'],
        ),
        'unique_constraints': sorted(
            [{'name': u['name'], 'columns': u['column_names']} for u in insp.get_unique_constraints(name, schema=database)],
            key=lambda u: u['name'],
        ),
    }

metadata = sa.MetaData()
autoloaded = {name: sa.Table(name, metadata, autoload_with=engine, schema=database) for name in tables}
out['autoload'] = {name: {'columns': [c.name for c in t.columns], 'primary_key': [c.name for c in t.primary_key]} for name, t in autoloaded.items()}

orders = autoloaded['orders']
query = (
    sa.select(orders.c.customer, sa.func.count().label('n'), sa.func.sum(orders.c.amount).label('total'))
    .where(orders.c.status != 'cancelled')
    .group_by(orders.c.customer)
    .order_by(orders.c.customer)
)
with engine.connect() as conn:
    out['core_sql'] = str(query.compile(engine))
    out['core_rows'] = [[plain(v) for v in r] for r in conn.execute(query)]
    rows = conn.execute(text('SELECT id, amount FROM orders WHERE amount > :least ORDER BY id'), {'least': 10})
    out['text_rows'] = [[plain(v) for v in r] for r in rows]

# A transaction left open is rolled back when its connection returns to the pool.
conn = engine.connect()
trans = conn.begin()
conn.execute(orders.insert().values(id=100, customer='zed', amount=decimal.Decimal('1.00'), status='open'))
conn.close()
with engine.connect() as conn:
    out['after_pool_return'] = conn.execute(text('SELECT COUNT(*) FROM orders WHERE id = 100')).scalar()
with engine.begin() as conn:
    conn.execute(orders.insert().values(id=101, customer='amy', amount=decimal.Decimal('2.00'), status='open'))
with engine.connect() as conn:
    out['after_commit'] = conn.execute(text('SELECT COUNT(*) FROM orders WHERE id = 101')).scalar()

# The ORM: metadata.create_all emits CREATE TABLE and CREATE INDEX.
Base = declarative_base()


class Color(enum.Enum):
    red = 1
    blue = 2


class Thing(Base):
    __tablename__ = 'things'
    id = sa.Column(sa.Integer, primary_key=True)
    name = sa.Column(sa.String(50), nullable=False, unique=True)
    price = sa.Column(sa.Numeric(10, 2))
    ratio = sa.Column(sa.Float)
    flag = sa.Column(sa.Boolean, default=False)
    color = sa.Column(sa.Enum(Color))
    day = sa.Column(sa.Date)
    blob = sa.Column(sa.LargeBinary)
    data = sa.Column(sa.JSON)
    big = sa.Column(sa.BigInteger, index=True)


Base.metadata.create_all(engine)
with Session(engine) as session:
    session.add_all([
        Thing(name='a', price=decimal.Decimal('1.25'), ratio=0.5, flag=True, color=Color.red, day=datetime.date(2024, 1, 1),
              blob=b'\x00\xff', data={'k': [1, 2]}, big=2**40),
        Thing(name='b'),
    ])
    session.commit()
    out['orm_rows'] = [
        [t.id, t.name, plain(t.price), t.ratio, t.flag, t.color.name if t.color else None, plain(t.day), t.blob.hex() if t.blob else None, t.data, t.big]
        for t in session.query(Thing).order_by(Thing.id)
    ]
    session.get(Thing, 1).price = decimal.Decimal('2.50')
    session.delete(session.get(Thing, 2))
    session.commit()
    out['orm_after'] = [[t.id, plain(t.price)] for t in session.query(Thing).order_by(Thing.id)]
out['orm_indexes'] = sorted([i['name'], i['column_names'], i['unique']] for i in inspect(engine).get_indexes('things'))
sa.Index('ix_things_big', Thing.big).drop(engine)
out['orm_indexes_after_drop'] = sorted(i['name'] for i in inspect(engine).get_indexes('things'))

out['statements'] = statements
engine.dispose()
print(json.dumps(out))
