// MySQL partitioning (RANGE, RANGE COLUMNS, LIST, LIST COLUMNS, HASH, KEY):
// every data file belongs to one partition, so dropping or truncating a
// partition is dropping its files, and each file's statistics stay within its
// partition (which is what lets scans skip partitions). Rows are routed to their
// partition by DuckDB when they are written.
import { sqlError } from '../../errors/registry.js';
import { parseStatement } from '../../sql/parse/index.js';
import type { PartitionSpec, PrintContext, SqlValue } from '../../sql/statement.js';
import type { DataFile, TableMeta, TableState } from '../catalog/database-state.js';
import { duckIdent, duckLiteral, type DuckSession } from '../duckdb/duck-database.js';
import { writeDataFile, type WriteTarget } from './table-files.js';

/** Storage id of an unpartitioned table's files. */
export const SINGLE_PARTITION = 'p0';
const PART = '__ducksafe_part';
const VALUE = '__ducksafe_pv';

type Partition = PartitionSpec['partitions'][number];

/** The partitions by name, HASH/KEY ones named p0..pN-1 as MySQL names them. */
export function partitionList(spec: PartitionSpec): Partition[] {
  if ((spec.kind === 'hash' || spec.kind === 'key') && spec.partitions.length === 0) {
    return Array.from({ length: spec.count ?? 1 }, (_v, i) => ({ name: `p${i}`, values: [] }));
  }
  return [...spec.partitions];
}

function literal(v: SqlValue): string {
  return duckLiteral(v);
}

/** Checks a partitioning against the table's columns and MySQL's rules. */
export function validatePartitioning(spec: PartitionSpec, columnNames: readonly string[]): void {
  for (const c of spec.columns) {
    if (!columnNames.some((n) => n.toLowerCase() === c.toLowerCase())) {
      throw sqlError('ER_FIELD_NOT_FOUND_PART_ERROR', 'Field in list of fields for partition function not found in table');
    }
  }
  const parts = partitionList(spec);
  const names = new Set<string>();
  for (const p of parts) {
    if (names.has(p.name.toLowerCase())) throw sqlError('ER_SAME_NAME_PARTITION', `Duplicate partition name ${p.name}`);
    names.add(p.name.toLowerCase());
  }
  if (spec.kind === 'range' || spec.kind === 'rangeColumns') {
    parts.forEach((p, i) => {
      if (p.values === 'MAXVALUE' && i !== parts.length - 1) {
        throw sqlError('ER_RANGE_NOT_INCREASING_ERROR', 'VALUES LESS THAN value must be strictly increasing for each partition');
      }
    });
    if (spec.columns.length > 1 && spec.kind === 'rangeColumns') return;
    const bounds = parts.flatMap((p) => (p.values === 'MAXVALUE' ? [] : [p.values[0]]));
    for (let i = 1; i < bounds.length; i++) {
      const a = bounds[i - 1];
      const b = bounds[i];
      if (a !== undefined && b !== undefined && a !== null && b !== null && !(a < b)) {
        throw sqlError('ER_RANGE_NOT_INCREASING_ERROR', 'VALUES LESS THAN value must be strictly increasing for each partition');
      }
    }
  }
  if (spec.kind === 'list' || spec.kind === 'listColumns') {
    if (spec.columns.length > 1 && spec.kind === 'listColumns') {
      throw sqlError('ER_NOT_SUPPORTED_YET', 'LIST COLUMNS partitioning over more than one column is not supported yet');
    }
    const seen = new Set<string>();
    for (const p of parts) {
      for (const v of p.values === 'MAXVALUE' ? [] : p.values) {
        const key = JSON.stringify(typeof v === 'bigint' ? v.toString() : v);
        if (seen.has(key)) throw sqlError('ER_MULTIPLE_DEF_CONST_IN_LIST_PART_ERROR', 'Multiple definition of same constant in list partitioning');
        seen.add(key);
      }
    }
  }
}

/** Adds storage ids for partitions that have none (new tables, ADD PARTITION). */
export function assignPartitionIds(meta: TableMeta, spec: PartitionSpec, keep: readonly string[] = []): Pick<TableMeta, 'partitionIds' | 'nextPartitionId'> {
  let next = meta.nextPartitionId ?? 1;
  const ids = partitionList(spec).map((_p, i) => keep[i] ?? `part${next++}`);
  return { partitionIds: ids, nextPartitionId: next };
}

/** DuckDB SQL computing the partition index of each row of `relation` (-1: no partition for it). */
function routingSql(spec: PartitionSpec, relation: string): string {
  const parts = partitionList(spec);
  const cols = spec.columns.map(duckIdent);
  let source = `(SELECT * FROM ${relation})`;
  let value = duckIdent(VALUE);
  if (spec.kind === 'range' || spec.kind === 'list' || spec.kind === 'hash') {
    // The partitioning expression is MySQL SQL over the table's columns: print it like any query.
    const statement = parseStatement(`SELECT *, (${spec.expression}) AS ${VALUE} FROM __ducksafe_rows`);
    if (statement.kind !== 'select') throw new Error('partition expression did not parse as an expression');
    const refuse = (): never => {
      throw sqlError('ER_WRONG_ARGUMENTS', 'A partitioning expression may use only the table\'s columns and constants');
    };
    const ctx: PrintContext = { table: () => source, systemVariable: refuse, userVariable: refuse, sessionFunction: refuse, parameter: refuse };
    source = `(${statement.query.print(ctx)})`;
  } else {
    value = cols[0] ?? 'NULL';
  }
  let cases: string;
  switch (spec.kind) {
    case 'range':
    case 'rangeColumns': {
      const less = (values: readonly SqlValue[]): string => {
        if (spec.kind === 'range' || cols.length === 1) return `${value} < ${literal(values[0] ?? null)}`;
        // Tuples compare column by column.
        return cols
          .map((_c, i) => [...cols.slice(0, i).map((c, j) => `${c} = ${literal(values[j] ?? null)}`), `${cols[i] ?? ''} < ${literal(values[i] ?? null)}`].join(' AND '))
          .map((t) => `(${t})`)
          .join(' OR ');
      };
      const anyNull = spec.kind === 'range' ? `${value} IS NULL` : cols.map((c) => `${c} IS NULL`).join(' OR ');
      // MySQL puts NULL in the first RANGE partition.
      cases = `CASE WHEN ${anyNull} THEN 0 ${parts.map((p, i) => `WHEN ${p.values === 'MAXVALUE' ? 'TRUE' : less(p.values)} THEN ${i}`).join(' ')} ELSE -1 END`;
      break;
    }
    case 'list':
    case 'listColumns':
      cases = `CASE ${parts.map((p, i) => (p.values === 'MAXVALUE' || p.values.length === 0 ? '' : `WHEN ${value} IN (${p.values.map(literal).join(', ')}) THEN ${i}`)).join(' ')} ELSE -1 END`;
      break;
    case 'hash':
      cases = `CAST(abs(COALESCE(CAST(${value} AS BIGINT), 0)) % ${parts.length} AS INTEGER)`;
      break;
    case 'key':
      cases = `CAST(hash(${cols.join(', ')}) % ${parts.length} AS INTEGER)`;
      break;
    default: {
      const never: never = spec.kind;
      throw new Error(`unknown partitioning ${String(never)}`);
    }
  }
  return `(SELECT *, ${cases} AS ${duckIdent(PART)} FROM ${source} AS r)`;
}

/**
 * Writes rows (a relation with the table's columns) as one file per partition
 * they fall in. Fails with ER_NO_PARTITION_FOR_GIVEN_VALUE when a row fits none.
 */
export async function writeRouted(duck: DuckSession, relation: string, table: TableState, target: WriteTarget): Promise<DataFile[]> {
  const spec = table.meta.partition;
  if (spec === undefined) {
    const file = await writeDataFile(duck, relation, table, target, SINGLE_PARTITION);
    return file === undefined ? [] : [file];
  }
  const ids = table.meta.partitionIds ?? [];
  const routed = `_ducksafe_route_${Math.random().toString(36).slice(2, 10)}`;
  await duck.run(`CREATE TEMP TABLE ${duckIdent(routed)} AS SELECT * FROM ${routingSql(spec, relation)}`);
  try {
    const [stray] = await duck.all(
      `SELECT CAST(${spec.kind === 'range' || spec.kind === 'list' || spec.kind === 'hash' ? duckIdent(VALUE) : (spec.columns.map(duckIdent)[0] ?? 'NULL')} AS VARCHAR) AS v FROM ${duckIdent(routed)} WHERE ${duckIdent(PART)} < 0 LIMIT 1`,
    );
    if (stray !== undefined) throw sqlError('ER_NO_PARTITION_FOR_GIVEN_VALUE', `Table has no partition for value ${typeof stray.v === 'string' ? stray.v : 'NULL'}`);
    const used = await duck.all(`SELECT DISTINCT ${duckIdent(PART)} AS p FROM ${duckIdent(routed)} ORDER BY 1`);
    const files: DataFile[] = [];
    for (const u of used) {
      const i = Number(u.p);
      const file = await writeDataFile(duck, `(SELECT * FROM ${duckIdent(routed)} WHERE ${duckIdent(PART)} = ${i})`, table, target, ids[i] ?? SINGLE_PARTITION);
      if (file !== undefined) files.push(file);
    }
    return files;
  } finally {
    await duck.run(`DROP TABLE IF EXISTS ${duckIdent(routed)}`).catch(() => undefined);
  }
}

/** The partitions' names with their storage ids; an unpartitioned table is one partition named after it. */
export function partitionsOf(meta: TableMeta): { name: string; id: string; description: string }[] {
  const spec = meta.partition;
  if (spec === undefined) return [{ name: meta.name, id: SINGLE_PARTITION, description: '' }];
  const parts = partitionList(spec);
  return parts.map((p, i) => {
    let description = '';
    if (spec.kind === 'range' || spec.kind === 'rangeColumns') {
      const lower = i === 0 ? 'MINVALUE' : describeValues(parts[i - 1]?.values ?? []);
      description = `[${lower}, ${describeValues(p.values)})`;
    } else if (spec.kind === 'list' || spec.kind === 'listColumns') description = `IN (${describeValues(p.values)})`;
    else description = `HASH ${i} of ${parts.length}`;
    return { name: p.name, id: meta.partitionIds?.[i] ?? SINGLE_PARTITION, description };
  });
}

function describeValues(values: readonly SqlValue[] | 'MAXVALUE'): string {
  if (values === 'MAXVALUE') return 'MAXVALUE';
  return values.map((v) => (typeof v === 'string' ? `'${v}'` : v instanceof Uint8Array ? '0x' + Buffer.from(v).toString('hex') : String(v))).join(', ');
}
