// The children of every expression kind, so that passes over the tree (table
// references, column names) need not know each kind. The table is keyed by kind:
// a new expression kind does not compile until its children are listed here.
import type { Expr, ExprKind, QueryNode, WindowSpec } from './ast.js';

export interface Children {
  readonly exprs: readonly Expr[];
  readonly queries: readonly QueryNode[];
}

const NONE: Children = { exprs: [], queries: [] };

function exprs(...list: readonly (Expr | undefined)[]): Children {
  return { exprs: list.filter((e): e is Expr => e !== undefined), queries: [] };
}

function windowExprs(spec: WindowSpec | undefined): Expr[] {
  if (spec === undefined) return [];
  const bounds = [spec.frame?.start, spec.frame?.end].flatMap((b) => (b !== undefined && 'value' in b ? [b.value] : []));
  return [...spec.partitionBy, ...spec.orderBy.map((o) => o.expr), ...bounds];
}

type ChildrenOf = { readonly [K in ExprKind]: (e: Extract<Expr, { kind: K }>) => Children };

const CHILDREN: ChildrenOf = {
  number: () => NONE,
  string: () => NONE,
  hex: () => NONE,
  bit: () => NONE,
  null: () => NONE,
  boolean: () => NONE,
  typedLiteral: () => NONE,
  column: () => NONE,
  parameter: () => NONE,
  systemVariable: () => NONE,
  userVariable: () => NONE,
  assignUserVariable: (e) => exprs(e.value),
  insertedValue: () => NONE,
  unary: (e) => exprs(e.operand),
  binary: (e) => exprs(e.left, e.right),
  like: (e) => exprs(e.expr, e.pattern, e.escape),
  regexp: (e) => exprs(e.expr, e.pattern),
  is: (e) => exprs(e.expr),
  between: (e) => exprs(e.expr, e.low, e.high),
  inList: (e) => exprs(e.expr, ...e.list),
  inQuery: (e) => ({ exprs: [e.expr], queries: [e.query] }),
  exists: (e) => ({ exprs: [], queries: [e.query] }),
  subquery: (e) => ({ exprs: [], queries: [e.query] }),
  quantified: (e) => ({ exprs: [e.expr], queries: [e.query] }),
  call: (e) => exprs(...e.args, ...e.orderBy.map((o) => o.expr), ...windowExprs(e.over)),
  cast: (e) => exprs(e.expr),
  convertUsing: (e) => exprs(e.expr),
  case: (e) => exprs(e.operand, ...e.whens.flatMap((w) => [w.when, w.then]), e.else),
  interval: (e) => exprs(e.value),
  extract: (e) => exprs(e.expr),
  trim: (e) => exprs(e.remove, e.expr),
  collate: (e) => exprs(e.expr),
  row: (e) => exprs(...e.items),
  timestampFunction: (e) => exprs(e.left, e.right),
};

export function childrenOf(e: Expr): Children {
  return (CHILDREN[e.kind] as (node: Expr) => Children)(e);
}

export { windowExprs };

/** Column names an expression mentions outside subqueries (for partition expressions). */
export function columnNames(e: Expr): string[] {
  if (e.kind === 'column') return [e.name];
  return childrenOf(e).exprs.flatMap(columnNames);
}
