/**
 * Block matrix multiplication: one output block accumulates the products of a row of
 * left blocks with a column of right blocks, in i-k-j order so the inner loop runs along
 * rows of both the right block and the output.
 */
import { asFloat64, type Chunk, type Dtype, emptyChunk } from './chunk.js';
import { writeTile } from './generate.js';

/**
 * Kernel: `sum_k left[k] @ right[k]` for 2-d blocks.
 * @example matmulBlocks([a00, a01], [b00, b10], 'float64')
 */
export function matmulBlocks(left: readonly Chunk[], right: readonly Chunk[], dtype: Dtype): Chunk {
  const m = left[0]!.shape[0]!;
  const n = right[0]!.shape[1]!;
  const acc = new Float64Array(m * n);
  for (let p = 0; p < left.length; p++) {
    const a = asFloat64(left[p]!.data);
    const b = asFloat64(right[p]!.data);
    const kk = left[p]!.shape[1]!;
    for (let i = 0; i < m; i++) {
      const row = i * n;
      for (let k = 0; k < kk; k++) {
        const aik = a[i * kk + k]!;
        if (aik === 0) continue;
        const brow = k * n;
        for (let j = 0; j < n; j++) acc[row + j]! += aik * b[brow + j]!;
      }
    }
  }
  const out = emptyChunk(dtype, [m, n]);
  writeTile(out, acc, 0, m * n);
  return out;
}
