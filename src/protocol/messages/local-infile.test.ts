import { describe, expect, it } from 'vitest';
import { PacketBatch } from '../packet-batch.js';
import { writeLocalInfileRequest } from './local-infile.js';

describe('LOCAL INFILE request', () => {
  it('is 0xFB and the file name, without a terminator', () => {
    const batch = new PacketBatch({ sequenceId: 1 });
    batch.add(writeLocalInfileRequest, 'data/é.csv');
    const name = Buffer.from('data/é.csv', 'utf8');
    expect(batch.take()).toEqual(Buffer.concat([Buffer.from([name.length + 1, 0, 0, 1, 0xfb]), name]));
  });
});
