// The fail-safe statements ([E]) as the engine gets them. CALL names a procedure
// with string arguments; the only procedure there is is system$fuse_amend.
import { sqlError } from '../../errors/registry.js';
import type { FailSafeStatement } from '../failsafe-statement.js';
import type { FailSafeNode } from './ast.js';

const FUSE_AMEND = 'system$fuse_amend';

export function failSafeStatement(node: FailSafeNode): FailSafeStatement {
  if (node.kind !== 'call') return node;
  if (node.procedure.toLowerCase() !== FUSE_AMEND) throw sqlError('ER_SP_DOES_NOT_EXIST', `PROCEDURE ${node.procedure} does not exist`);
  const [db, table] = node.args;
  if (node.args.length !== 2 || db === undefined || table === undefined) {
    throw sqlError('ER_SP_WRONG_NO_OF_ARGS', `Incorrect number of arguments for PROCEDURE ${FUSE_AMEND}; expected 2, got ${node.args.length}`);
  }
  return { kind: 'fuseAmend', db, table, dryRun: node.dryRun };
}
