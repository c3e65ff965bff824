import { describe, expect, it } from 'vitest';
import { parseStatement } from '../parse/index.js';
import type { Query } from '../statement.js';

function query(sql: string): Query {
  const statement = parseStatement(sql);
  if (statement.kind !== 'select') throw new Error(`not a SELECT: ${sql}`);
  return statement.query;
}

describe('select outputs', () => {
  it('traces columns, stars and COUNT to the table references they read', () => {
    const q = query('SELECT id, t.name AS n, COUNT(*), price * 2, * FROM items t');
    const [ref] = q.tables;
    expect(q.outputs).toEqual({
      items: [
        { kind: 'column', refIds: [ref?.refId], column: 'id' },
        { kind: 'column', refIds: [ref?.refId], column: 'name' },
        { kind: 'count' },
        { kind: 'expression' },
        { kind: 'star', refIds: [ref?.refId] },
      ],
      outerRefIds: [],
    });
  });

  it('narrows qualified names to their table and marks the NULL-extended side of outer joins', () => {
    const q = query('SELECT a.id, b.*, name FROM items a LEFT JOIN sales b ON a.id = b.item_id');
    const [a, b] = q.tables.map((t) => t.refId);
    expect(q.outputs).toEqual({
      items: [
        { kind: 'column', refIds: [a], column: 'id' },
        { kind: 'star', refIds: [b] },
        { kind: 'column', refIds: [a, b], column: 'name' },
      ],
      outerRefIds: [b],
    });
    const right = query('SELECT * FROM items a RIGHT JOIN sales b ON a.id = b.item_id');
    expect(right.outputs?.outerRefIds).toEqual([right.tables[0]?.refId]);
    const rollup = query('SELECT name, COUNT(*) FROM items GROUP BY name WITH ROLLUP');
    expect(rollup.outputs?.outerRefIds).toEqual([rollup.tables[0]?.refId]);
  });

  it('gives up where columns cannot be traced this simply', () => {
    for (const sql of [
      'SELECT id FROM items UNION SELECT id FROM sales',
      'SELECT * FROM (SELECT id FROM items) d',
      'SELECT * FROM items JOIN sales USING (id)',
      'SELECT * FROM items NATURAL JOIN sales',
      'WITH c AS (SELECT id FROM items) SELECT id FROM c',
      'SELECT nosuch.* FROM items',
    ]) {
      expect(query(sql).outputs, sql).toBeUndefined();
    }
  });

  it('describes a SELECT without FROM as expressions only', () => {
    expect(query('SELECT 1, @@version').outputs).toEqual({ items: [{ kind: 'expression' }, { kind: 'expression' }], outerRefIds: [] });
  });
});
