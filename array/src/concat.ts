/**
 * Joining arrays: concatenate along an existing axis, stack along a new one, and adding or
 * removing a length-1 axis. Blocks are reused as they are (joins move no data).
 */
import {
  type Graph,
  InvalidArgumentError,
  layer,
  moduleFn,
  ref,
  ShapeError,
  task,
  tokenize,
} from '@dusk/core';
import { DuskArray } from './array.js';
import { blockIndices, blockShapeOf, hasUnknown } from './chunks.js';
import { promoteTypes } from './dtype.js';
import { astype, normalizeAxis } from './elementwise.js';
import { UnknownChunksError } from './errors.js';
import { blockKeyOf } from './expr.js';
import { kernel } from './kernel-ref.js';
import { rechunk } from './rechunk.js';

const IDENTITY = moduleFn('@dusk/core/kernels', 'identity');

function fmt(s: readonly number[]): string {
  return `(${s.join(', ')}${s.length === 1 ? ',' : ''})`;
}

/**
 * Arrays joined along an existing axis.
 * @example concatenate([a, b], 0)
 */
export function concatenate(arrays: readonly DuskArray[], axis = 0): DuskArray {
  if (arrays.length === 0) throw new InvalidArgumentError('concatenate: need at least one array.');
  const first = arrays[0]!;
  const ax = normalizeAxis(axis, first.ndim, 'concatenate');
  for (const a of arrays) {
    if (
      a.ndim !== first.ndim ||
      a.shape.some((s, d) => d !== ax && !Object.is(s, first.shape[d]))
    ) {
      throw new ShapeError(
        `concatenate: shapes ${fmt(first.shape)} and ${fmt(a.shape)} differ outside axis ${ax}; all other axes must match.`,
      );
    }
  }
  const dtype = arrays
    .slice(1)
    .reduce((d, a) => promoteTypes(d, a.dtype, 'concatenate'), first.dtype);
  const parts = arrays.map((a) => {
    const target = a.chunks.map((c, d) => (d === ax ? c : first.chunks[d]!));
    const same = target.every((c, d) => c === a.chunks[d]);
    if (!same && hasUnknown(a.chunks)) throw new UnknownChunksError('concatenate');
    return astype(same ? a : rechunk(a, target), dtype);
  });
  const chunks = first.chunks.map((c, d) =>
    d === ax ? parts.flatMap((p) => p.chunks[ax]!) : [...c],
  );
  const shape = chunks.map((c) => c.reduce((a, b) => a + b, 0));
  const name = `concatenate-${tokenize(
    ax,
    parts.map((p) => p.name),
  )}`;
  const build = () => {
    const tasks: Graph = new Map();
    let base = 0;
    for (const p of parts) {
      for (const idx of blockIndices(p.numblocks)) {
        const out = idx.map((i, d) => (d === ax ? i + base : i));
        tasks.set(blockKeyOf(name, out), task(IDENTITY, [ref(p.blockKey(...idx))]));
      }
      base += p.numblocks[ax]!;
    }
    return layer(
      name,
      tasks,
      parts.map((p) => p.layer),
    );
  };
  return new DuskArray(name, shape, chunks, dtype, build);
}

/**
 * A length-1 axis inserted at `axis` (NumPy's expand_dims).
 * @example expandDims(x, 0).shape // [1, ...x.shape]
 */
export function expandDims(x: DuskArray, axis: number): DuskArray {
  const ax = normalizeAxis(axis, x.ndim + 1, 'expandDims');
  const chunks = [...x.chunks.slice(0, ax), [1], ...x.chunks.slice(ax)];
  const shape = [...x.shape.slice(0, ax), 1, ...x.shape.slice(ax)];
  return reshapedBlocks(x, `expand-dims-${tokenize(x.name, ax)}`, shape, chunks, (idx) => [
    ...idx.slice(0, ax),
    ...idx.slice(ax + 1),
  ]);
}

/**
 * The length-1 axis `axis` removed.
 * @example squeeze(x.sum({ axis: 1, keepdims: true }), 1)
 */
export function squeeze(x: DuskArray, axis: number): DuskArray {
  const ax = normalizeAxis(axis, x.ndim, 'squeeze');
  if (x.shape[ax] !== 1)
    throw new ShapeError(
      `squeeze: axis ${ax} has length ${x.shape[ax]}, not 1 (shape ${fmt(x.shape)}).`,
    );
  const chunks = x.chunks.filter((_, d) => d !== ax);
  const shape = x.shape.filter((_, d) => d !== ax);
  return reshapedBlocks(x, `squeeze-${tokenize(x.name, ax)}`, shape, chunks, (idx) => [
    ...idx.slice(0, ax),
    0,
    ...idx.slice(ax),
  ]);
}

function reshapedBlocks(
  x: DuskArray,
  name: string,
  shape: number[],
  chunks: (readonly number[])[],
  source: (outIdx: number[]) => number[],
): DuskArray {
  const build = () => {
    const tasks: Graph = new Map();
    for (const idx of blockIndices(chunks.map((c) => c.length))) {
      const bshape = hasUnknown(chunks) ? null : blockShapeOf(chunks, idx);
      const args = bshape
        ? [ref(x.blockKey(...source(idx))), bshape]
        : [ref(x.blockKey(...source(idx)))];
      tasks.set(
        blockKeyOf(name, idx),
        bshape ? task(kernel('reshapeBlock'), args) : task(IDENTITY, args),
      );
    }
    return layer(name, tasks, [x.layer]);
  };
  return new DuskArray(name, shape, chunks, x.dtype, build);
}

/**
 * Arrays of one shape joined along a new axis.
 * @example stack([a, b, c], 0).shape // [3, ...a.shape]
 */
export function stack(arrays: readonly DuskArray[], axis = 0): DuskArray {
  if (arrays.length === 0) throw new InvalidArgumentError('stack: need at least one array.');
  const first = arrays[0]!;
  for (const a of arrays) {
    if (a.ndim !== first.ndim || a.shape.some((s, d) => !Object.is(s, first.shape[d]))) {
      throw new ShapeError(
        `stack: all arrays need the same shape, got ${fmt(first.shape)} and ${fmt(a.shape)}.`,
      );
    }
  }
  const ax = normalizeAxis(axis, first.ndim + 1, 'stack');
  return concatenate(
    arrays.map((a) => expandDims(a, ax)),
    ax,
  );
}
