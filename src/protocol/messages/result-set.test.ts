import { describe, expect, it } from 'vitest';

import { CapabilityFlags } from '../constants.js';
import { PacketBatch } from '../packet-batch.js';
import { PacketDecoder } from '../packet-decoder.js';
import { encodePayload } from '../payload-writer.js';
import { asMysql2Packet } from '../test-support.js';
import { decodeColumnDefinition, PLACEHOLDER_PARAMETER, type ColumnDefinition } from './column-definition.js';
import { addResultSetEnd, addResultSetMetadata } from './result-set.js';
import { addStmtPrepareResponse, writeStmtPrepareOk } from './stmt-prepare.js';
import { writeTextRow } from './text-row.js';

const P41 = CapabilityFlags.CLIENT_PROTOCOL_41 | CapabilityFlags.CLIENT_TRANSACTIONS;
const DEPRECATE_EOF = P41 | CapabilityFlags.CLIENT_DEPRECATE_EOF;

const column = (name: string): ColumnDefinition => ({
  schema: 'db',
  table: 't',
  orgTable: 't',
  name,
  orgName: name,
  characterSet: 255,
  columnLength: 1020,
  type: 253,
  flags: 0,
  decimals: 0,
});

function packets(batch: PacketBatch): { sequenceId: number; hex: string }[] {
  return new PacketDecoder().push(batch.take()).map((d) => ({ sequenceId: d.sequenceId, hex: d.payload.toString('hex') }));
}

describe('writeTextRow', () => {
  it('writes lenenc UTF-8 strings, raw bytes and 0xFB for NULL', () => {
    const payload = encodePayload(writeTextRow, ['1', null, 'é', Uint8Array.of(0, 0xff), '']);
    expect(payload.toString('hex')).toBe('0131' + 'fb' + '02c3a9' + '0200ff' + '00');
    const packet = asMysql2Packet(payload);
    expect(packet.readLengthCodedString('utf8')).toBe('1');
    expect(packet.readLengthCodedString('utf8')).toBeNull();
    expect(packet.readLengthCodedString('utf8')).toBe('é');
  });

  it('writes a cell of 251+ bytes with a 3-byte length', () => {
    const payload = encodePayload(writeTextRow, ['x'.repeat(251)]);
    expect(payload.subarray(0, 3).toString('hex')).toBe('fcfb00');
    expect(payload.length).toBe(254);
  });
});

describe('result set framing', () => {
  it('sends count, definitions and EOF, then rows, then EOF by default', () => {
    const batch = new PacketBatch({ sequenceId: 1 });
    addResultSetMetadata(batch, [column('a'), column('b')], { statusFlags: 2 }, P41);
    batch.add(writeTextRow, ['1', '2']);
    addResultSetEnd(batch, { statusFlags: 2, warnings: 1 }, P41);
    const sent = packets(batch);
    expect(sent.map((p) => p.sequenceId)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(sent[0]?.hex).toBe('02');
    expect(decodeColumnDefinition(Buffer.from(sent[1]?.hex ?? '', 'hex')).name).toBe('a');
    expect(sent[3]?.hex).toBe('fe00000200');
    expect(sent[5]?.hex).toBe('fe01000200');
  });

  it('leaves out the EOFs and ends with an 0xFE OK under CLIENT_DEPRECATE_EOF', () => {
    const batch = new PacketBatch({ sequenceId: 1 });
    addResultSetMetadata(batch, [column('a')], { statusFlags: 2 }, DEPRECATE_EOF);
    batch.add(writeTextRow, ['1']);
    addResultSetEnd(batch, { statusFlags: 0x22 }, DEPRECATE_EOF);
    const sent = packets(batch);
    expect(sent.map((p) => p.sequenceId)).toEqual([1, 2, 3, 4]);
    expect(sent[3]?.hex).toBe('fe00002200' + '0000');
  });
});

describe('COM_STMT_PREPARE response', () => {
  it('matches the protocol manual example of COM_STMT_PREPARE_OK', () => {
    expect(encodePayload(writeStmtPrepareOk, { statementId: 1, columnCount: 1, paramCount: 2 }).toString('hex')).toBe(
      '00' + '01000000' + '0100' + '0200' + '00' + '0000',
    );
  });

  it('sends OK, parameter definitions + EOF, column definitions + EOF', () => {
    const batch = new PacketBatch({ sequenceId: 1 });
    addStmtPrepareResponse(
      batch,
      { statementId: 9, params: [PLACEHOLDER_PARAMETER, PLACEHOLDER_PARAMETER], columns: [column('x')] },
      { statusFlags: 2 },
      P41,
    );
    const sent = packets(batch);
    expect(sent).toHaveLength(1 + 2 + 1 + 1 + 1);
    expect(sent[0]?.hex).toBe('00' + '09000000' + '0100' + '0200' + '00' + '0000');
    expect(decodeColumnDefinition(Buffer.from(sent[1]?.hex ?? '', 'hex')).name).toBe('?');
    expect(sent[3]?.hex).toBe('fe00000200');
    expect(decodeColumnDefinition(Buffer.from(sent[4]?.hex ?? '', 'hex')).name).toBe('x');
    expect(sent[5]?.hex).toBe('fe00000200');
    expect(sent.map((p) => p.sequenceId)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('sends no EOFs under CLIENT_DEPRECATE_EOF and no blocks for zero params or columns', () => {
    const batch = new PacketBatch({ sequenceId: 1 });
    addStmtPrepareResponse(batch, { statementId: 1, params: [PLACEHOLDER_PARAMETER], columns: [] }, { statusFlags: 2 }, DEPRECATE_EOF);
    expect(packets(batch)).toHaveLength(2);
    addStmtPrepareResponse(batch, { statementId: 2, params: [], columns: [] }, { statusFlags: 2 }, P41);
    expect(packets(batch)).toHaveLength(1);
  });
});
