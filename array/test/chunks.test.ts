import { AUTO_CHUNK_BYTES, normalizeChunks, random, zeros } from '@dusk/array';
import { describe, expect, it } from 'vitest';

describe('normalizeChunks', () => {
  it('splits by a number, with a shorter last block', () => {
    expect(normalizeChunks(4, [10])).toEqual([[4, 4, 2]]);
    expect(normalizeChunks(3, [3, 7])).toEqual([[3], [3, 3, 1]]);
  });

  it('takes per-axis sizes, -1 or null for the whole axis, and explicit tuples', () => {
    expect(normalizeChunks([2, -1], [5, 4])).toEqual([[2, 2, 1], [4]]);
    expect(normalizeChunks([null, 3], [2, 4])).toEqual([[2], [3, 1]]);
    expect(normalizeChunks([[1, 4], 2], [5, 4])).toEqual([
      [1, 4],
      [2, 2],
    ]);
    expect(normalizeChunks([0, 2, 0, 3], [5])).toEqual([[0, 2, 0, 3]]);
  });

  it('handles zero-length axes and 0-d shapes', () => {
    expect(normalizeChunks(4, [0])).toEqual([[0]]);
    expect(normalizeChunks('auto', [])).toEqual([]);
  });

  it("'auto' aims at about 128 MB per block", () => {
    const c = normalizeChunks('auto', [1e9]);
    expect(c[0]![0]! * 8).toBeLessThanOrEqual(AUTO_CHUNK_BYTES);
    expect(c[0]![0]! * 8).toBeGreaterThan(AUTO_CHUNK_BYTES / 2);
    const sq = normalizeChunks('auto', [100_000, 100_000], 'float32');
    expect(sq[0]![0]).toBe(sq[1]![0]);
    expect(sq[0]![0]! * sq[1]![0]! * 4).toBeLessThanOrEqual(AUTO_CHUNK_BYTES * 1.01);
    expect(normalizeChunks('auto', [10, 20])).toEqual([[10], [20]]);
    expect(normalizeChunks(['auto', 1000], [1e6, 1000])[0]![0]! * 1000 * 8).toBeLessThanOrEqual(
      AUTO_CHUNK_BYTES,
    );
  });

  it('explains bad chunks', () => {
    expect(() => normalizeChunks([[2, 2], 2], [5, 4])).toThrow(
      /axis 0 are \(2, 2\), which sum to 4.*length 5/,
    );
    expect(() => normalizeChunks([2, 2, 2], [5, 4])).toThrow(
      /3 entries for an array of 2 dimensions/,
    );
    expect(() => normalizeChunks(0, [5])).toThrowError(
      expect.objectContaining({ code: 'E_INVALID_ARGUMENT' }),
    );
    expect(() => normalizeChunks(1.5, [5])).toThrow(/positive integer/);
  });
});

describe('chunk introspection', () => {
  it('reports chunks, numblocks and chunksize', () => {
    const x = random.random([10, 7], { chunks: [4, 3], seed: 1 });
    expect(x.chunks).toEqual([
      [4, 4, 2],
      [3, 3, 1],
    ]);
    expect(x.numblocks).toEqual([3, 3]);
    expect(x.chunksize).toEqual([4, 3]);
    expect(x.keys).toHaveLength(9);
    expect(x.blockKey(2, 1)).toBe(`${x.name}:2,1`);
    expect(x.nbytes).toBe(560);
    expect(String(zeros([2, 3], { chunks: 2 }))).toMatch(
      /shape=\(2, 3\), dtype=float64, chunksize=\(2, 2\)/,
    );
  });
});
