// A row of a text-protocol result set (COM_QUERY): each cell a string<lenenc> in
// MySQL text form, or 0xFB for NULL.

import type { PayloadWriter } from '../payload-writer.js';

export type TextCell = string | Uint8Array | null;

export function writeTextRow(writer: PayloadWriter, cells: readonly TextCell[]): void {
  for (const cell of cells) {
    if (cell === null) {
      writer.writeLenencNull();
    } else if (typeof cell === 'string') {
      writer.writeLenencString(cell);
    } else {
      writer.writeLenencBytes(cell);
    }
  }
}
