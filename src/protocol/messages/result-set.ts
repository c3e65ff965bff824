// The packet sequences around result set rows. Whether metadata and rows end with
// an EOF packet or an OK packet follows what the client asked for: OK (header 0xFE)
// only under CLIENT_DEPRECATE_EOF.

import { CapabilityFlags, hasCapability } from '../constants.js';
import type { PacketBatch } from '../packet-batch.js';
import { writeColumnCount, writeColumnDefinition, type ColumnDefinition } from './column-definition.js';
import { writeEof, writeOk } from './generic-response.js';

export interface ResultSetStatus {
  readonly statusFlags: number;
  /** Default 0. */
  readonly warnings?: number;
}

/** Column count, one definition per column, then EOF unless CLIENT_DEPRECATE_EOF. */
export function addResultSetMetadata(
  batch: PacketBatch,
  columns: readonly ColumnDefinition[],
  status: ResultSetStatus,
  capabilities: number,
): void {
  batch.add(writeColumnCount, columns.length);
  addColumnDefinitions(batch, columns, status, capabilities);
}

/** After the last row: EOF, or under CLIENT_DEPRECATE_EOF an OK packet with the 0xFE header. */
export function addResultSetEnd(batch: PacketBatch, status: ResultSetStatus, capabilities: number): void {
  if (hasCapability(capabilities, CapabilityFlags.CLIENT_DEPRECATE_EOF)) {
    batch.add(writeOk, { statusFlags: status.statusFlags, warnings: status.warnings ?? 0, endsResultSet: true }, capabilities);
  } else {
    batch.add(writeEof, status, capabilities);
  }
}

/** Definitions then, unless CLIENT_DEPRECATE_EOF, an EOF; nothing at all for zero columns. */
export function addColumnDefinitions(
  batch: PacketBatch,
  columns: readonly ColumnDefinition[],
  status: ResultSetStatus,
  capabilities: number,
): void {
  if (columns.length === 0) {
    return;
  }
  for (const column of columns) {
    batch.add(writeColumnDefinition, column);
  }
  if (!hasCapability(capabilities, CapabilityFlags.CLIENT_DEPRECATE_EOF)) {
    batch.add(writeEof, status, capabilities);
  }
}
