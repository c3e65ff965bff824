import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ChunkReader, S3_LIMITS, partRanges, partSizeFor, runBounded } from './multipart.js';

const MIB = 1024 * 1024;

describe('partSizeFor', () => {
  it('keeps the preferred size when the object fits in 10,000 parts', () => {
    expect(partSizeFor(100 * MIB, 8 * MIB)).toBe(8 * MIB);
  });
  it('never goes below the 5 MiB minimum', () => {
    expect(partSizeFor(20 * MIB, 1 * MIB)).toBe(S3_LIMITS.minPartBytes);
  });
  it('grows, in whole MiB, so a huge object needs at most 10,000 parts', () => {
    const total = 200 * 1024 * MIB;
    const size = partSizeFor(total, 8 * MIB);
    expect(size % MIB).toBe(0);
    expect(Math.ceil(total / size)).toBeLessThanOrEqual(S3_LIMITS.maxParts);
    expect(size).toBeGreaterThan(8 * MIB);
  });
});

describe('partRanges', () => {
  it('covers every byte once with inclusive ends', () => {
    expect(partRanges(25, 10)).toEqual([
      { start: 0, end: 9 },
      { start: 10, end: 19 },
      { start: 20, end: 24 },
    ]);
    expect(partRanges(20, 10)).toEqual([
      { start: 0, end: 9 },
      { start: 10, end: 19 },
    ]);
    expect(partRanges(0, 10)).toEqual([]);
  });
});

describe('ChunkReader', () => {
  it('cuts a stream into exact sizes across chunk boundaries', async () => {
    const reader = new ChunkReader(Readable.from([Buffer.from('abc'), Buffer.from('defgh'), Buffer.from('ij')]));
    expect((await reader.read(4)).toString()).toBe('abcd');
    expect(await reader.exhausted()).toBe(false);
    expect((await reader.read(4)).toString()).toBe('efgh');
    expect((await reader.read(4)).toString()).toBe('ij');
    expect(await reader.exhausted()).toBe(true);
    expect((await reader.read(4)).length).toBe(0);
  });

  it('accepts string chunks and skips empty ones', async () => {
    const reader = new ChunkReader(Readable.from(['ab', '', 'c'], { objectMode: true }));
    expect((await reader.read(10)).toString()).toBe('abc');
    expect(await reader.exhausted()).toBe(true);
  });

  it('releases the source stream when cancelled', async () => {
    const source = Readable.from([Buffer.from('abc'), Buffer.from('def')]);
    const reader = new ChunkReader(source);
    await reader.read(2);
    await reader.cancel();
    expect(source.destroyed).toBe(true);
  });
});

describe('runBounded', () => {
  it('never has more than `concurrency` items in flight and returns results in item order', async () => {
    let inFlight = 0;
    let peak = 0;
    let produced = 0;
    const results = await runBounded(
      () => Promise.resolve(produced < 10 ? produced++ : undefined),
      async (item) => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setTimeout(resolve, (10 - item) * 2));
        inFlight -= 1;
        return item * 10;
      },
      3,
    );
    expect(results).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
    expect(peak).toBe(3);
  });

  it('stops producing after the first failure and rethrows it once the rest settle', async () => {
    let produced = 0;
    let settled = 0;
    const run = runBounded(
      () => Promise.resolve(produced < 100 ? produced++ : undefined),
      async (item) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        settled += 1;
        if (item === 2) throw new Error('part 3 failed');
        return item;
      },
      2,
    );
    await expect(run).rejects.toThrow('part 3 failed');
    expect(produced).toBeLessThan(10);
    expect(settled).toBe(produced);
  });

  it('fails when the producer fails', async () => {
    await expect(runBounded(() => Promise.reject(new Error('read failed')), () => Promise.resolve(1), 2)).rejects.toThrow('read failed');
  });
});
