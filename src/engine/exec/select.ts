// SELECT: resolve the tables, print DuckDB SQL, and stream DuckDB's chunks to
// the client as they are pulled. Files stay pinned in the cache until the last
// row is sent or the client goes away.
import type { Query } from '../../sql/statement.js';
import type { ResultColumn, RowsResult, WireValue } from '../../server/query-handler.js';
import { columnFromDuck } from './results.js';
import { guarded } from '../util/guarded.js';
import { boundsOf, openTables, printContext, type ExecContext } from './context.js';

export async function runQuery(x: ExecContext, query: Query, applySelectLimit: boolean): Promise<RowsResult> {
  const opened = await openTables(x, query.tables, boundsOf(x, query));
  let stream;
  // SQL_CALC_FOUND_ROWS: counted first, so that the stream has the connection to itself.
  let total: bigint | undefined;
  const onAbort = (): void => x.duck.interrupt();
  try {
    const ctx = printContext(x, opened.fragments);
    const sql = query.print(ctx);
    x.signal.addEventListener('abort', onAbort, { once: true });
    if (query.printFoundRows !== undefined) total = await countRows(x, query.printFoundRows(printContext(x, opened.fragments, undefined, 'none')));
    stream = await x.duck.stream(sql);
  } catch (err) {
    x.signal.removeEventListener('abort', onAbort);
    opened.release();
    throw err;
  }
  const limitRaw = applySelectLimit ? x.core.variables.get(x.session, 'sql_select_limit', 'session') : null;
  let remaining = typeof limitRaw === 'number' || typeof limitRaw === 'bigint' ? BigInt(limitRaw) : -1n;
  const session = x.session;
  const columns = stream.columns.map((c) => columnFromDuck(c));
  const fixed = x.binaryRows === true ? [] : fixedDecimals(columns, query.doubleDecimals);
  const batches = fixed.length === 0 ? stream.batches() : withFixedDecimals(stream.batches(), fixed);
  async function* rows(): AsyncGenerator<WireValue[][]> {
    let count = 0n;
    for await (const batch of batches) {
      if (remaining >= 0n && BigInt(batch.length) > remaining) {
        const cut = batch.slice(0, Number(remaining));
        count += BigInt(cut.length);
        if (cut.length > 0) yield cut;
        break;
      }
      if (remaining >= 0n) remaining -= BigInt(batch.length);
      count += BigInt(batch.length);
      yield batch;
    }
    session.foundRows = total ?? count;
  }
  const cleanup = async (): Promise<void> => {
    x.signal.removeEventListener('abort', onAbort);
    await batches.return(undefined);
    opened.release();
  };
  const shown = columns.map((c, i) => {
    const f = fixed.find((x) => x.index === i);
    return f === undefined ? c : { ...c, decimals: f.decimals };
  });
  return { kind: 'rows', columns: shown, rows: guarded(rows(), cleanup) };
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
