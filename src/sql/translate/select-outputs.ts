// Where the columns of a SELECT come from, for the result column definitions:
// MySQL describes a column read straight from a table as that table's column
// (type, length, NOT NULL, key flags, table and schema names), and drivers such as
// Connector/J build ResultSetMetaData from exactly that.
import type { SelectOutput, SelectOutputs, TableRef } from '../statement.js';
import type { QueryNode, SelectItem, TableExpr, TableNode } from './ast.js';

interface FromRef {
  readonly ref: TableRef;
}

/**
 * The outputs of a query that is a single SELECT over base tables (joined or not);
 * undefined for anything whose columns cannot be traced to a table this simply.
 * `refs` are the statement's resolved table references (CTE reads have none).
 */
export function selectOutputs(refs: ReadonlyMap<TableNode, TableRef>, node: QueryNode): SelectOutputs | undefined {
  const body = node.body;
  if (body.kind !== 'select') return undefined;
  const from: FromRef[] = [];
  const outer = new Set<number>();
  // WITH ROLLUP adds super-aggregate rows with NULL in the grouped columns: any column may be NULL.
  for (const t of body.from) if (!collect(refs, t, body.withRollup, from, outer)) return undefined;
  const items: SelectOutput[] = [];
  for (const item of body.items) {
    const output = outputOf(item, from);
    if (output === undefined) return undefined;
    items.push(output);
  }
  return { items, outerRefIds: [...outer] };
}

function collect(refs: ReadonlyMap<TableNode, TableRef>, t: TableExpr, nullable: boolean, out: FromRef[], outer: Set<number>): boolean {
  switch (t.kind) {
    case 'table': {
      const ref = refs.get(t);
      if (ref === undefined) return false;
      out.push({ ref });
      if (nullable) outer.add(ref.refId);
      return true;
    }
    case 'derived':
      return false;
    case 'join':
      // NATURAL and USING merge the joined columns: `*` no longer lists each table's own.
      if (t.natural || t.using !== undefined) return false;
      return (
        collect(refs, t.left, nullable || t.type === 'RIGHT', out, outer) && collect(refs, t.right, nullable || t.type === 'LEFT', out, outer)
      );
  }
}

function matches(ref: TableRef, table: string, db: string | undefined): boolean {
  if (db !== undefined && ref.db !== undefined && db.toLowerCase() !== ref.db.toLowerCase()) return false;
  return (ref.alias ?? ref.name).toLowerCase() === table.toLowerCase();
}

/** undefined when the item names a table the FROM does not have (the query fails anyway). */
function outputOf(item: SelectItem, from: readonly FromRef[]): SelectOutput | undefined {
  if (item.kind === 'star') {
    const { table } = item;
    const chosen = table === undefined ? from : from.filter((f) => matches(f.ref, table, item.db));
    return chosen.length === 0 ? undefined : { kind: 'star', refIds: chosen.map((f) => f.ref.refId) };
  }
  const e = item.expr;
  if (e.kind === 'call' && e.name === 'COUNT') return { kind: 'count' };
  if (e.kind !== 'column') return { kind: 'expression' };
  const { table } = e;
  const chosen = table === undefined ? from : from.filter((f) => matches(f.ref, table, e.db));
  return chosen.length === 0 ? { kind: 'expression' } : { kind: 'column', refIds: chosen.map((f) => f.ref.refId), column: e.name };
}
