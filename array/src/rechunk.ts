/**
 * rechunk: a new block grid over the same values. Each output block is assembled from the
 * boxes of the input blocks it overlaps, in one task.
 */
import { type Arg, type Graph, layer, quote, ref, task, tokenize } from '@dusk/core';
import { DuskArray } from './array.js';
import {
  blockIndices,
  type Chunks,
  type ChunksSpec,
  hasUnknown,
  normalizeChunks,
  offsetsOf,
  sameChunks,
} from './chunks.js';
import { UnknownChunksError } from './errors.js';
import { blockKeyOf } from './expr.js';
import { kernel } from './kernel-ref.js';
import type { Piece } from './kernels/assemble.js';

/** Along one axis: for each output block, the input blocks it overlaps and the ranges. */
export interface Overlap {
  readonly block: number;
  readonly srcStart: number;
  readonly dstStart: number;
  readonly count: number;
}

/** The overlaps of an output grid with an input grid along one axis. */
export function overlaps(input: readonly number[], output: readonly number[]): Overlap[][] {
  const inOff = offsetsOf(input);
  const outOff = offsetsOf(output);
  const res: Overlap[][] = [];
  let k0 = 0;
  for (let o = 0; o < output.length; o++) {
    const start = outOff[o]!;
    const end = outOff[o + 1]!;
    while (k0 < input.length && inOff[k0 + 1]! <= start) k0++;
    const list: Overlap[] = [];
    for (let k = k0; k < input.length && inOff[k]! < end; k++) {
      const s = Math.max(start, inOff[k]!);
      const e = Math.min(end, inOff[k + 1]!);
      if (e > s)
        list.push({ block: k, srcStart: s - inOff[k]!, dstStart: s - start, count: e - s });
    }
    res.push(list);
  }
  return res;
}

/** Every combination of per-axis choices (C order). */
export function product<T>(lists: readonly (readonly T[])[]): T[][] {
  let out: T[][] = [[]];
  for (const l of lists) out = out.flatMap((p) => l.map((x) => [...p, x]));
  return out;
}

/**
 * The same array with another block grid.
 * @example rechunk(x, [1000, -1]) // rows of 1000, whole columns
 */
export function rechunk(x: DuskArray, spec: ChunksSpec | Chunks): DuskArray {
  if (hasUnknown(x.chunks)) throw new UnknownChunksError('rechunk');
  const chunks = normalizeChunks(spec as ChunksSpec, x.shape, x.dtype);
  if (sameChunks(chunks, x.chunks)) return x;
  const name = `rechunk-${tokenize(x.name, chunks)}`;
  const build = () => {
    const perAxis = chunks.map((c, d) => overlaps(x.chunks[d]!, c));
    const tasks: Graph = new Map();
    for (const idx of blockIndices(chunks.map((c) => c.length))) {
      const combos = product(idx.map((i, d) => perAxis[d]![i]!));
      const refs = combos.map((combo) => ref(x.blockKey(...combo.map((o) => o.block))));
      const pieces: Piece[] = combos.map((combo) => ({
        srcStart: combo.map((o) => o.srcStart),
        dstStart: combo.map((o) => o.dstStart),
        count: combo.map((o) => o.count),
      }));
      const shape = idx.map((i, d) => chunks[d]![i]!);
      tasks.set(
        blockKeyOf(name, idx),
        task(kernel('assembleBlock'), [refs as Arg, quote(pieces), shape, x.dtype]),
      );
    }
    return layer(name, tasks, [x.layer]);
  };
  return new DuskArray(name, x.shape, chunks, x.dtype, build);
}
