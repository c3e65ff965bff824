// SET: system variables (session and global), user variables, SET NAMES and
// SET TRANSACTION. Expressions are evaluated by DuckDB like any SELECT.
import type { Printable, SetAssignment } from '../../sql/statement.js';
import type { OkResult } from '../../server/query-handler.js';
import type { VariableValue } from '../../server/session.js';
import { sqlError } from '../../errors/registry.js';
import { isWireCharset, WIRE_CHARSETS } from '../../protocol/charsets.js';
import { printContext, type ExecContext } from './context.js';
import { ok } from './results.js';

async function evaluate(x: ExecContext, expr: Printable): Promise<VariableValue> {
  const [row] = await x.duck.all(`SELECT (${expr.print(printContext(x, new Map()))}) AS v`);
  const v = row?.v;
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'string') return v;
  return JSON.stringify(v);
}

/** The session character sets name one the connection can transcode to (protocol/charsets.ts). */
const CHARSET_VARIABLES = new Set(['character_set_client', 'character_set_connection', 'character_set_results']);

function checkCharset(name: string): void {
  if (!isWireCharset(name)) throw sqlError('ER_UNKNOWN_CHARACTER_SET', `Unknown character set: '${name}' (ducksafe speaks ${WIRE_CHARSETS.join(', ')})`);
}

export async function set(x: ExecContext, assignments: readonly SetAssignment[]): Promise<OkResult> {
  const { variables } = x.core;
  // MySQL evaluates every right-hand side before assigning any of them.
  const values: (VariableValue | undefined)[] = [];
  for (const a of assignments) {
    if (a.kind === 'system') {
      values.push(a.value.kind === 'default' ? undefined : a.value.kind === 'keyword' ? a.value.word : await evaluate(x, a.value.expr));
    } else if (a.kind === 'user') values.push(await evaluate(x, a.value));
    else values.push(undefined);
  }
  assignments.forEach((a, i) => {
    const value = values[i];
    if (a.kind === 'names' && a.charset.toLowerCase() !== 'default') checkCharset(a.charset);
    if (a.kind === 'system' && CHARSET_VARIABLES.has(a.name.toLowerCase()) && typeof value === 'string') checkCharset(value);
  });
  assignments.forEach((a, i) => {
    const value = values[i];
    switch (a.kind) {
      case 'system':
        variables.set(x.session, a.name, a.scope, value);
        break;
      case 'user':
        x.session.userVariables.set(a.name.toLowerCase(), value ?? null);
        break;
      case 'names': {
        const charset = a.charset.toLowerCase() === 'default' ? 'utf8mb4' : a.charset.toLowerCase();
        for (const name of ['character_set_client', 'character_set_connection', 'character_set_results']) {
          variables.set(x.session, name, 'session', charset);
        }
        variables.set(x.session, 'collation_connection', 'session', a.collation ?? (charset === 'utf8mb4' ? 'utf8mb4_0900_ai_ci' : `${charset}_general_ci`));
        break;
      }
      case 'transaction':
        if (a.isolation !== undefined) variables.set(x.session, 'transaction_isolation', a.scope === 'global' ? 'global' : 'session', a.isolation);
        if (a.readOnly !== undefined) variables.set(x.session, 'transaction_read_only', a.scope === 'global' ? 'global' : 'session', a.readOnly ? 1 : 0);
        break;
      default: {
        const never: never = a;
        throw new Error(`unhandled SET ${JSON.stringify(never)}`);
      }
    }
  });
  return ok();
}
