/**
 * Basic indexing: integers (negative from the end) and slices with steps (negative too),
 * one per axis, NumPy semantics. Every output block comes from exactly one input block, so
 * a slice is one small task per output block and touches only the blocks it needs.
 */
import { type Graph, InvalidArgumentError, layer, ref, task, tokenize } from '@dusk/core';
import { DuskArray } from './array.js';
import { type Chunks, hasUnknown, offsetsOf } from './chunks.js';
import { UnknownChunksError } from './errors.js';
import { blockKeyOf } from './expr.js';
import { kernel } from './kernel-ref.js';
import { product } from './rechunk.js';

/** One axis of an index: an integer, 'start:stop:step', [start, stop, step], a slice object, or null (all). */
export type Index =
  | number
  | string
  | null
  | readonly [(number | null)?, (number | null)?, (number | null)?]
  | { start?: number | null; stop?: number | null; step?: number | null };

/** A normalized slice of one axis: positions start, start + step, ... (count of them). */
export interface AxisSlice {
  readonly start: number;
  readonly step: number;
  readonly count: number;
  /** An integer index: the axis disappears from the result. */
  readonly drop: boolean;
}

function parse(
  ix: Index,
  axis: number,
): { start?: number | null; stop?: number | null; step?: number | null } | number {
  if (typeof ix === 'number') return ix;
  if (ix === null || ix === ':' || ix === '::') return {};
  if (typeof ix === 'string') {
    const parts = ix.split(':');
    if (
      parts.length < 2 ||
      parts.length > 3 ||
      parts.some((p) => p.trim() !== '' && !/^\s*-?\d+\s*$/.test(p))
    ) {
      throw new InvalidArgumentError(
        `slice: cannot read '${ix}' for axis ${axis}; write 'start:stop:step' with integers, e.g. '1:-1' or '::2'.`,
      );
    }
    const num = (p?: string) => (p === undefined || p.trim() === '' ? null : Number(p));
    return { start: num(parts[0]), stop: num(parts[1]), step: num(parts[2]) };
  }
  if (Array.isArray(ix)) return { start: ix[0], stop: ix[1], step: ix[2] };
  return ix as { start?: number | null; stop?: number | null; step?: number | null };
}

/** Python's `slice.indices(n)` for one axis. @example normalizeIndex('::-1', 5, 0) */
export function normalizeIndex(ix: Index, n: number, axis: number): AxisSlice {
  const p = parse(ix, axis);
  if (typeof p === 'number') {
    const i = p < 0 ? p + n : p;
    if (!Number.isInteger(p) || i < 0 || i >= n) {
      throw new InvalidArgumentError(
        `slice: index ${p} is out of range for axis ${axis} with length ${n}.`,
      );
    }
    return { start: i, step: 1, count: 1, drop: true };
  }
  const step = p.step ?? 1;
  if (!Number.isInteger(step) || step === 0)
    throw new InvalidArgumentError(
      `slice: step must be a non-zero integer on axis ${axis}, got ${step}.`,
    );
  const clampIdx = (v: number, lo: number, hi: number) =>
    Math.min(Math.max(v < 0 ? v + n : v, lo), hi);
  let start: number;
  let stop: number;
  if (step > 0) {
    start = p.start == null ? 0 : clampIdx(p.start, 0, n);
    stop = p.stop == null ? n : clampIdx(p.stop, 0, n);
  } else {
    start = p.start == null ? n - 1 : clampIdx(p.start, -1, n - 1);
    stop = p.stop == null ? -1 : clampIdx(p.stop, -1, n - 1);
  }
  const count = Math.max(0, Math.ceil((stop - start) / step));
  return { start, step, count, drop: false };
}

function isWhole(ix: Index): boolean {
  return ix === null || ix === ':' || ix === '::';
}

/** Output blocks along one axis: which input block each reads, from where, how many. */
function axisPlan(
  s: AxisSlice,
  sizes: readonly number[],
): { block: number; start: number; count: number }[] {
  const off = offsetsOf(sizes);
  if (s.count === 0) return [{ block: 0, start: 0, count: 0 }];
  const out: { block: number; start: number; count: number }[] = [];
  const nb = sizes.length;
  for (let j = 0; j < nb; j++) {
    const b = s.step > 0 ? j : nb - 1 - j;
    const lo = off[b]!;
    const hi = off[b + 1]!;
    let k0: number;
    let k1: number;
    if (s.step > 0) {
      k0 = Math.max(0, Math.ceil((lo - s.start) / s.step));
      k1 = Math.min(s.count, Math.ceil((hi - s.start) / s.step));
    } else {
      k0 = Math.max(0, Math.ceil((s.start - hi + 1) / -s.step));
      k1 = Math.min(s.count, Math.floor((s.start - lo) / -s.step) + 1);
    }
    if (k1 > k0) out.push({ block: b, start: s.start + k0 * s.step - lo, count: k1 - k0 });
  }
  return out;
}

/**
 * `x[index...]` with NumPy basic-indexing semantics; missing trailing axes are taken whole.
 * @example slice(x, [1, -1], '::2') // x[1:-1, ::2]
 */
export function slice(x: DuskArray, index: readonly Index[]): DuskArray {
  if (index.length > x.ndim) {
    throw new InvalidArgumentError(
      `slice: ${index.length} indices for an array with ndim ${x.ndim} (shape (${x.shape.join(', ')})).`,
    );
  }
  const full: Index[] = [...index, ...new Array(x.ndim - index.length).fill(null)];
  const slices = full.map((ix, d) => normalizeIndex(ix, x.shape[d]!, d));
  const whole = slices.map(
    (s, d) =>
      isWhole(full[d]!) || (!s.drop && s.step === 1 && s.start === 0 && s.count === x.shape[d]),
  );
  if (whole.every(Boolean)) return x;
  if (slices.some((_, d) => !whole[d] && hasUnknown([x.chunks[d]!])))
    throw new UnknownChunksError('slice');
  // A whole axis keeps its blocks, also when their sizes are unknown (NaN: the kernel reads them).
  const plans = slices.map((s, d) =>
    whole[d]
      ? x.chunks[d]!.map((count, block) => ({ block, start: 0, count }))
      : axisPlan(s, x.chunks[d]!),
  );
  const chunks: Chunks = plans.flatMap((p, d) => (slices[d]!.drop ? [] : [p.map((b) => b.count)]));
  const shape = slices.flatMap((s, d) => (s.drop ? [] : [whole[d] ? x.shape[d]! : s.count]));
  const name = `getitem-${tokenize(x.name, slices)}`;
  const drop = slices.flatMap((s, d) => (s.drop ? [d] : []));
  const build = () => {
    const tasks: Graph = new Map();
    const grid = product(plans.map((p) => p.map((b, i) => ({ ...b, i }))));
    for (const combo of grid) {
      const outIdx = combo.filter((_, d) => !slices[d]!.drop).map((b) => b.i);
      const args = [
        ref(x.blockKey(...combo.map((b) => b.block))),
        combo.map((b) => b.start),
        slices.map((s) => s.step),
        combo.map((b) => b.count),
        drop,
      ];
      tasks.set(blockKeyOf(name, outIdx), task(kernel('sliceBlock'), args));
    }
    return layer(name, tasks, [x.layer]);
  };
  return new DuskArray(name, shape, chunks, x.dtype, build);
}
