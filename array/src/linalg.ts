/**
 * Matrix products by blocks: output block (i, j) is one task summing a(i, k) @ b(k, j)
 * over k, after b's row blocks are aligned with a's column blocks. 1-d operands are
 * treated as vectors, as NumPy's dot does.
 */
import { type Graph, layer, ref, ShapeError, task, tokenize } from '@dusk/core';
import { DuskArray } from './array.js';
import { hasUnknown, sameChunks } from './chunks.js';
import { expandDims, squeeze } from './concat.js';
import { promoteTypes } from './dtype.js';
import { binaryOp } from './elementwise.js';
import { UnknownChunksError } from './errors.js';
import { blockKeyOf } from './expr.js';
import { kernel } from './kernel-ref.js';
import { rechunk } from './rechunk.js';
import { reduce } from './reductions.js';

const fmt = (s: readonly number[]) => `(${s.join(', ')}${s.length === 1 ? ',' : ''})`;

/**
 * Matrix product of 2-d arrays (1-d operands as vectors; two vectors give their dot).
 * @example dot(a, b) // a: (m, k), b: (k, n) -> (m, n)
 */
export function dot(a: DuskArray, b: DuskArray): DuskArray {
  if (a.ndim === 0 || b.ndim === 0 || a.ndim > 2 || b.ndim > 2) {
    throw new ShapeError(
      `dot: operands must be 1-d or 2-d, got shapes ${fmt(a.shape)} and ${fmt(b.shape)}.`,
    );
  }
  const ka = a.shape[a.ndim - 1]!;
  const kb = b.shape[b.ndim === 1 ? 0 : 0]!;
  if (!Object.is(ka, kb)) {
    throw new ShapeError(
      `dot: shapes ${fmt(a.shape)} and ${fmt(b.shape)} are not aligned: ${ka} (last axis of the first) != ${kb} (first axis of the second).`,
    );
  }
  if (a.ndim === 1 && b.ndim === 1) return reduce(binaryOp('mul', a, b), 'sum');
  if (a.ndim === 1) return squeeze(matmul2d(expandDims(a, 0), b), 0);
  if (b.ndim === 1) return squeeze(matmul2d(a, expandDims(b, 1)), 1);
  return matmul2d(a, b);
}

function matmul2d(a: DuskArray, b0: DuskArray): DuskArray {
  const dtype = promoteTypes(a.dtype, b0.dtype, 'dot');
  if (hasUnknown(a.chunks) || hasUnknown(b0.chunks)) throw new UnknownChunksError('dot');
  const b = sameChunks([a.chunks[1]!], [b0.chunks[0]!])
    ? b0
    : rechunk(b0, [a.chunks[1]!, b0.chunks[1]!]);
  const chunks = [[...a.chunks[0]!], [...b.chunks[1]!]];
  const shape = [a.shape[0]!, b.shape[1]!];
  const name = `matmul-${tokenize(a.name, b.name, dtype)}`;
  const build = () => {
    const tasks: Graph = new Map();
    const nk = a.numblocks[1]!;
    for (let i = 0; i < a.numblocks[0]!; i++) {
      for (let j = 0; j < b.numblocks[1]!; j++) {
        const left = Array.from({ length: nk }, (_, k) => ref(a.blockKey(i, k)));
        const right = Array.from({ length: nk }, (_, k) => ref(b.blockKey(k, j)));
        tasks.set(blockKeyOf(name, [i, j]), task(kernel('matmulBlocks'), [left, right, dtype]));
      }
    }
    return layer(name, tasks, [a.layer, b.layer]);
  };
  return new DuskArray(name, shape, chunks, dtype, build);
}
