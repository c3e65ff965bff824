// The response to COM_STMT_PREPARE: COM_STMT_PREPARE_OK, then the parameter
// definitions and the column definitions, each block ended by EOF unless
// CLIENT_DEPRECATE_EOF. Parameters the server cannot type are described with
// PLACEHOLDER_PARAMETER.

import type { PacketBatch } from '../packet-batch.js';
import type { PayloadWriter } from '../payload-writer.js';
import type { ColumnDefinition } from './column-definition.js';
import { addColumnDefinitions, type ResultSetStatus } from './result-set.js';

export interface StmtPrepareOk {
  readonly statementId: number;
  readonly columnCount: number;
  readonly paramCount: number;
  /** Default 0. */
  readonly warnings?: number;
}

export function writeStmtPrepareOk(writer: PayloadWriter, ok: StmtPrepareOk): void {
  writer.writeInt1(0x00);
  writer.writeInt4(ok.statementId);
  writer.writeInt2(ok.columnCount);
  writer.writeInt2(ok.paramCount);
  writer.writeInt1(0x00);
  writer.writeInt2(ok.warnings ?? 0);
}

export interface StmtPrepareResponse {
  readonly statementId: number;
  readonly params: readonly ColumnDefinition[];
  readonly columns: readonly ColumnDefinition[];
  /** Default 0. */
  readonly warnings?: number;
}

/** Adds the whole response (every packet) to `batch`. */
export function addStmtPrepareResponse(
  batch: PacketBatch,
  response: StmtPrepareResponse,
  status: ResultSetStatus,
  capabilities: number,
): void {
  batch.add(writeStmtPrepareOk, {
    statementId: response.statementId,
    columnCount: response.columns.length,
    paramCount: response.params.length,
    warnings: response.warnings ?? 0,
  });
  addColumnDefinitions(batch, response.params, status, capabilities);
  addColumnDefinitions(batch, response.columns, status, capabilities);
}
