// What the engine needs from the backup module ([D]). backup/ depends on engine/,
// never the other way round, so the engine defines this seam and main.ts hands it
// an implementation. Without one, the statements answer "not supported".
import type { StatementResult } from '../server/query-handler.js';
import type { BackupAdminStatement } from '../sql/statement.js';
import type { EngineCore, ExecContext } from './exec/context.js';

export interface BackupService {
  /** Called once the engine exists: loads repositories and job records, resumes unfinished jobs. */
  start(core: EngineCore): Promise<void>;
  /** Runs one statement; the caller has already checked the ADMIN privilege. */
  execute(x: ExecContext, statement: BackupAdminStatement): Promise<StatementResult>;
  /** Stops running jobs at a safe point (they resume at the next start). */
  close(): Promise<void>;
}
