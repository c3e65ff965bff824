// Column bounds for skipping data files: the top-level AND-ed conjuncts of a WHERE
// that compare one column of one table reference with a constant. A bound must
// never exclude a row the WHERE selects, so anything unsure gives no bound: OR and
// NOT, expressions on either side, unqualified columns when several tables are in
// FROM, IS NULL on the side of an outer join that NULLs are made up for.
import type { ColumnBound, ColumnBoundOperator, PrintContext, SqlValue, TableRef } from '../statement.js';
import type { ColumnRef, ComparisonOperator, Expr, QueryNode, SelectNode, TableExpr, TableNode, UpdateNode } from './ast.js';
import type { PrintScope } from './printer.js';

/** Where a column of the WHERE comes from: a table reference, and whether an outer join may NULL-extend it. */
interface Source {
  readonly ref: TableRef;
  readonly nullable: boolean;
}

type Resolve = (column: ColumnRef) => Source | undefined;

/** One entry of a FROM clause: a base table (ref absent for a CTE) or a derived table, by the name columns qualify it with. */
interface FromEntry {
  readonly qualifier: string;
  readonly db?: string;
  readonly ref?: TableRef;
  readonly nullable: boolean;
}

function fromEntries(table: TableExpr, nullable: boolean, refs: PrintScope['refs'], out: FromEntry[]): void {
  switch (table.kind) {
    case 'table': {
      const ref = refs.get(table);
      const entry: { -readonly [K in keyof FromEntry]: FromEntry[K] } = { qualifier: table.alias ?? table.name, nullable };
      if (table.alias === undefined && table.db !== undefined) entry.db = table.db;
      if (ref !== undefined) entry.ref = ref;
      out.push(entry);
      return;
    }
    case 'derived':
      out.push({ qualifier: table.alias, nullable });
      return;
    case 'join':
      fromEntries(table.left, nullable || table.type === 'RIGHT', refs, out);
      fromEntries(table.right, nullable || table.type === 'LEFT', refs, out);
      return;
  }
}

function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Resolves columns against a FROM clause: unqualified ones only when it names a single table. */
function fromResolver(from: readonly TableExpr[], refs: PrintScope['refs']): Resolve {
  const entries: FromEntry[] = [];
  for (const table of from) fromEntries(table, false, refs, entries);
  const only = from.length === 1 && from[0]?.kind === 'table' ? entries[0] : undefined;
  return (column) => {
    if (column.table === undefined) return only?.ref === undefined ? undefined : { ref: only.ref, nullable: only.nullable };
    const matches = entries.filter(
      (e) => sameName(e.qualifier, column.table ?? '') && (column.db === undefined || (e.db !== undefined && sameName(e.db, column.db))),
    );
    const match = matches.length === 1 ? matches[0] : undefined;
    return match?.ref === undefined ? undefined : { ref: match.ref, nullable: match.nullable };
  };
}

// ---------------------------------------------------------------- values

/** Digits that matter in a number's decimal text: `0.0120` has two. */
function significantDigits(text: string): number {
  const mantissa = text.replace(/^[-+]/, '').split(/e/i)[0] ?? '';
  return mantissa.replace('.', '').replace(/^0+/, '').replace(/0+$/, '').length;
}

/**
 * Doubles order exactly like the decimals of at most 15 significant digits they
 * stand for; a longer fraction could compare equal to a neighbouring DECIMAL value
 * that it is not equal to.
 */
const MAX_EXACT_DIGITS = 15;

/** A value the engine may compare with statistics; undefined when there is none to give. */
function comparable(value: SqlValue): SqlValue | undefined {
  if (typeof value !== 'number') return value;
  if (!Number.isFinite(value)) return undefined;
  if (Number.isInteger(value)) return value;
  return significantDigits(String(value)) <= MAX_EXACT_DIGITS ? value : undefined;
}

function numberValue(text: string): SqlValue | undefined {
  if (/^\d+$/.test(text)) {
    const n = BigInt(text);
    return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
  }
  // A literal with an exponent is a DOUBLE in MySQL: comparisons with it are in doubles.
  if (/e/i.test(text)) return comparable(Number(text));
  return significantDigits(text) <= MAX_EXACT_DIGITS ? Number(text) : undefined;
}

/**
 * The value of a literal, `?` or `@var`; undefined for anything else and for
 * literals whose type depends on their context (hex, bit, _binary strings).
 */
function constantValue(e: Expr, scope: PrintScope, ctx: PrintContext): SqlValue | undefined {
  switch (e.kind) {
    case 'number':
      return numberValue(e.text);
    case 'string':
      return e.binary ? undefined : e.value;
    case 'typedLiteral':
      return e.value;
    case 'boolean':
      return e.value;
    case 'null':
      return null;
    case 'unary': {
      if (e.op !== '-' || e.operand.kind !== 'number') return undefined;
      const value = numberValue(e.operand.text);
      if (typeof value === 'number') return -value;
      if (typeof value === 'bigint') return -value;
      return undefined;
    }
    case 'parameter': {
      const index = scope.paramIndex.get(e.offset);
      return index === undefined ? undefined : comparable(ctx.parameter(index));
    }
    case 'userVariable':
      return comparable(ctx.userVariable(e.name));
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------- conjuncts

function conjuncts(e: Expr): Expr[] {
  return e.kind === 'binary' && e.op === 'AND' ? [...conjuncts(e.left), ...conjuncts(e.right)] : [e];
}

/** `5 < a` is `a > 5`. */
const FLIPPED: Readonly<Record<Exclude<ComparisonOperator, '<>'>, Exclude<ComparisonOperator, '<>'>>> = {
  '=': '=',
  '<': '>',
  '<=': '>=',
  '>': '<',
  '>=': '<=',
};

function isBoundComparison(op: string): op is Exclude<ComparisonOperator, '<>'> {
  return Object.hasOwn(FLIPPED, op);
}

class BoundCollector {
  readonly bounds: ColumnBound[] = [];

  constructor(
    private readonly resolve: Resolve,
    private readonly scope: PrintScope,
    private readonly ctx: PrintContext,
  ) {}

  private value(e: Expr): SqlValue | undefined {
    return constantValue(e, this.scope, this.ctx);
  }

  private add(column: Expr, op: ColumnBoundOperator, values: readonly SqlValue[]): void {
    if (column.kind !== 'column') return;
    const source = this.resolve(column);
    if (source === undefined) return;
    // IS NULL holds for the rows an outer join makes up, whatever the table's files hold.
    if (op === 'isNull' && source.nullable) return;
    this.bounds.push({ refId: source.ref.refId, column: column.name, op, values });
  }

  private comparison(column: Expr, op: Exclude<ComparisonOperator, '<>'>, other: Expr): void {
    const value = this.value(other);
    // `col = NULL` selects nothing; that is no bound on what a file holds.
    if (value === undefined || value === null) return;
    this.add(column, op, [value]);
  }

  conjunct(e: Expr): void {
    switch (e.kind) {
      case 'binary': {
        const { op, left, right } = e;
        if (op === '<=>') {
          // NULL-safe equality with a non-NULL value is `=`; with NULL it is IS NULL.
          const [column, other] = left.kind === 'column' ? [left, right] : [right, left];
          const value = this.value(other);
          if (value === null) this.add(column, 'isNull', []);
          else if (value !== undefined) this.add(column, '=', [value]);
          return;
        }
        if (!isBoundComparison(op)) return;
        if (left.kind === 'column') this.comparison(left, op, right);
        else if (right.kind === 'column') this.comparison(right, FLIPPED[op], left);
        return;
      }
      case 'between':
        if (e.not) return;
        this.comparison(e.expr, '>=', e.low);
        this.comparison(e.expr, '<=', e.high);
        return;
      case 'inList': {
        if (e.not) return;
        const values = e.list.map((item) => this.value(item));
        if (values.some((v) => v === undefined)) return;
        // A NULL member never makes IN true.
        const members = values.filter((v): v is SqlValue => v !== undefined && v !== null);
        if (members.length > 0) this.add(e.expr, 'in', members);
        return;
      }
      case 'is':
        // IS UNKNOWN is IS NULL.
        if (!e.not && (e.value === 'NULL' || e.value === 'UNKNOWN')) this.add(e.expr, 'isNull', []);
        return;
      default:
        return;
    }
  }
}

function whereBounds(where: Expr | undefined, resolve: Resolve, scope: PrintScope, ctx: PrintContext): ColumnBound[] {
  if (where === undefined) return [];
  const collector = new BoundCollector(resolve, scope, ctx);
  for (const e of conjuncts(where)) collector.conjunct(e);
  return collector.bounds;
}

/** The query's only SELECT block, looking through parentheses; undefined for set operations, VALUES, TABLE. */
function singleBlock(node: QueryNode): SelectNode | undefined {
  switch (node.body.kind) {
    case 'select':
      return node.body;
    case 'query':
      return singleBlock(node.body);
    default:
      return undefined;
  }
}

/** Bounds on the table references of a single-block query. */
export function queryBounds(node: QueryNode, scope: PrintScope, ctx: PrintContext): ColumnBound[] {
  const block = singleBlock(node);
  if (block === undefined) return [];
  return whereBounds(block.where, fromResolver(block.from, scope.refs), scope, ctx);
}

/** Bounds on the target of a single-table UPDATE or DELETE. */
export function targetBounds(where: UpdateNode['where'], target: TableNode, ref: TableRef, scope: PrintScope, ctx: PrintContext): ColumnBound[] {
  const qualifier = target.alias ?? target.name;
  const resolve: Resolve = (column) => {
    if (column.table === undefined) return { ref, nullable: false };
    if (!sameName(column.table, qualifier)) return undefined;
    if (column.db !== undefined && (target.alias !== undefined || target.db === undefined || !sameName(column.db, target.db))) return undefined;
    return { ref, nullable: false };
  };
  return whereBounds(where, resolve, scope, ctx);
}
