// SELECT: resolve the tables, print DuckDB SQL, and stream DuckDB's chunks to
// the client as they are pulled. Files stay pinned in the cache until the last
// row is sent or the client goes away.
import { sqlError } from '../../errors/registry.js';
import type { Query } from '../../sql/statement.js';
import type { ResultColumn, RowsResult, WireType, WireValue } from '../../server/query-handler.js';
import type { VariableValue } from '../../server/session.js';
import { describeResult } from './result-columns.js';
import { guarded } from '../util/guarded.js';
import { answerUserLocks, boundsOf, openTables, printContext, type ExecContext } from './context.js';

export async function runQuery(x: ExecContext, query: Query, applySelectLimit: boolean): Promise<RowsResult> {
  const opened = await openTables(x, query.tables, boundsOf(x, query));
  let stream;
  // SQL_CALC_FOUND_ROWS: counted first, so that the stream has the connection to itself.
  let total: bigint | undefined;
  const onAbort = (): void => x.duck.interrupt();
  try {
    // GET_LOCK and friends act before the query runs; their answers are printed into it.
    const locks = query.userLocks === true ? await answerUserLocks(x, opened.fragments, (c) => query.print(c)) : undefined;
    const ctx = printContext(x, opened.fragments, undefined, 'record', locks);
    const sql = query.print(ctx);
    x.signal.addEventListener('abort', onAbort, { once: true });
    // KILL QUERY may come before DuckDB runs anything, when interrupting it does nothing.
    if (x.signal.aborted) throw sqlError('ER_QUERY_INTERRUPTED', 'Query execution was interrupted');
    if (query.printFoundRows !== undefined) total = await countRows(x, query.printFoundRows(printContext(x, opened.fragments, undefined, 'none')));
    stream = await x.duck.stream(sql);
    if (x.signal.aborted) {
      await stream.batches().return(undefined);
      throw sqlError('ER_QUERY_INTERRUPTED', 'Query execution was interrupted');
    }
  } catch (err) {
    x.signal.removeEventListener('abort', onAbort);
    opened.release();
    throw err;
  }
  const limitRaw = applySelectLimit ? x.core.variables.get(x.session, 'sql_select_limit', 'session') : null;
  let remaining = typeof limitRaw === 'number' || typeof limitRaw === 'bigint' ? BigInt(limitRaw) : -1n;
  const session = x.session;
  const described = describeResult(stream.columns, query.outputs, opened.sources);
  const adjust = described.adjust;
  const fixed = x.binaryRows === true ? [] : fixedDecimals(described.columns, query.doubleDecimals);
  const batches = fixed.length === 0 ? stream.batches() : withFixedDecimals(stream.batches(), fixed);
  const columns = stream.columns;
  const assigned = query.assignedVariables ?? [];
  const visible = columns.length - assigned.length;
  let last: readonly WireValue[] | undefined;
  // The trailing columns of a SELECT that assigns user variables are the variables' values.
  const strip = (batch: WireValue[][]): WireValue[][] => {
    if (assigned.length === 0) return batch;
    last = batch.at(-1) ?? last;
    return batch.map((row) => row.slice(0, visible));
  };
  async function* rows(): AsyncGenerator<WireValue[][]> {
    let count = 0n;
    for await (const raw of batches) {
      const batch = adjust === undefined ? raw : raw.map(adjust);
      if (remaining >= 0n && BigInt(batch.length) > remaining) {
        const cut = batch.slice(0, Number(remaining));
        count += BigInt(cut.length);
        if (cut.length > 0) yield strip(cut);
        break;
      }
      if (remaining >= 0n) remaining -= BigInt(batch.length);
      count += BigInt(batch.length);
      yield strip(batch);
    }
    session.foundRows = total ?? count;
    const values = last;
    if (values !== undefined) {
      assigned.forEach((name, i) => session.userVariables.set(name, variableValue(values[visible + i] ?? null, columns[visible + i]?.shape.type)));
    }
  }
  const cleanup = async (): Promise<void> => {
    x.signal.removeEventListener('abort', onAbort);
    await batches.return(undefined);
    opened.release();
  };
  const shown = described.columns.map((c, i) => {
    const f = fixed.find((d) => d.index === i);
    return f === undefined ? c : { ...c, decimals: f.decimals };
  });
  return { kind: 'rows', columns: shown.slice(0, visible), rows: guarded(rows(), cleanup) };
}

const INTEGER_TYPES: ReadonlySet<WireType> = new Set(['TINY', 'SHORT', 'INT24', 'LONG', 'LONGLONG', 'YEAR']);
const FLOAT_TYPES: ReadonlySet<WireType> = new Set(['FLOAT', 'DOUBLE']);

/**
 * A result cell as a user variable holds it: integers and floats keep their kind, a
 * decimal is a number while a double holds it exactly (else its text), the rest is text.
 */
function variableValue(cell: WireValue, type: WireType | undefined): VariableValue {
  if (cell === null) return null;
  const text = typeof cell === 'string' ? cell : Buffer.from(cell).toString('utf8');
  if (type !== undefined && INTEGER_TYPES.has(type)) return BigInt(text);
  if (type !== undefined && FLOAT_TYPES.has(type)) return Number(text);
  if (type === 'NEWDECIMAL' && text.replace(/^-?0*|\./g, '').length <= 15) return Number(text);
  return text;
}

interface FixedDecimals {
  readonly index: number;
  readonly decimals: number;
}

/** The DOUBLE columns MySQL prints with declared decimals (PI(), ROUND(x, n), ...). */
function fixedDecimals(columns: readonly ResultColumn[], declared: readonly (number | undefined)[] | undefined): FixedDecimals[] {
  if (declared === undefined) return [];
  const out: FixedDecimals[] = [];
  columns.forEach((c, index) => {
    const decimals = declared[index];
    if (c.type === 'DOUBLE' && decimals !== undefined) out.push({ index, decimals });
  });
  return out;
}

async function* withFixedDecimals(batches: AsyncGenerator<WireValue[][]>, fixed: readonly FixedDecimals[]): AsyncGenerator<WireValue[][]> {
  try {
    for await (const batch of batches) {
      for (const row of batch) {
        for (const { index, decimals } of fixed) {
          const v = row[index];
          if (typeof v !== 'string') continue;
          const n = Number(v);
          // toFixed writes an exponent from 1e21 on; the shortest form stays then.
          if (Number.isFinite(n) && Math.abs(n) < 1e21) row[index] = n.toFixed(decimals);
        }
      }
      yield batch;
    }
  } finally {
    await batches.return(undefined);
  }
}

async function countRows(x: ExecContext, sql: string): Promise<bigint> {
  const [row] = await x.duck.all(sql);
  const value = row === undefined ? 0 : Object.values(row)[0];
  return typeof value === 'bigint' ? value : BigInt(Number(value ?? 0));
}

/**
 * The columns a query returns, without running it (the COM_STMT_PREPARE response):
 * the context's parameters stand for the `?` placeholders, NULL at prepare time.
 */
export async function describeQuery(x: ExecContext, query: Query): Promise<readonly ResultColumn[]> {
  const opened = await openTables(x, query.tables, []);
  try {
    const sql = query.print(printContext(x, opened.fragments));
    const columns = describeResult(await x.duck.describe(sql), query.outputs, opened.sources).columns;
    // The trailing columns of a SELECT that assigns user variables are not sent (runQuery).
    return columns.slice(0, columns.length - (query.assignedVariables?.length ?? 0));
  } finally {
    opened.release();
  }
}
