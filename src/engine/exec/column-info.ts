// How SHOW COLUMNS and information_schema.COLUMNS describe a column: its key,
// default and extra text, as MySQL prints them.
import type { ColumnDef } from '../../sql/statement.js';
import type { WireValue } from '../../server/query-handler.js';
import { nameKey } from '../catalog/catalog.js';
import type { TableState } from '../catalog/database-state.js';
import { wireText } from './results.js';

export function keyOf(t: TableState, c: ColumnDef): string {
  const first = (kind: 'primary' | 'unique' | 'index'): boolean =>
    t.meta.indexes.some((i) => i.kind === kind && nameKey(i.columns[0] ?? '') === nameKey(c.name));
  if (first('primary')) return 'PRI';
  if (first('unique')) return 'UNI';
  if (first('index')) return 'MUL';
  return '';
}

export function defaultText(c: ColumnDef): WireValue {
  if (c.default === undefined) return null;
  if (c.default.kind === 'expression') return c.default.mysql;
  const v = c.default.value;
  if (v === null) return null;
  return wireText(typeof v === 'boolean' ? (v ? 1 : 0) : v);
}

export function extraText(c: ColumnDef): string {
  const parts: string[] = [];
  if (c.autoIncrement) parts.push('auto_increment');
  if (c.default?.kind === 'expression') parts.push('DEFAULT_GENERATED');
  if (c.onUpdateCurrentTimestamp) parts.push('on update CURRENT_TIMESTAMP');
  return parts.join(' ');
}
