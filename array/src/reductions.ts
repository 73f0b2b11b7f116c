/**
 * Reductions (sum, prod, mean, min, max, var, std, argmin, argmax, any, all, count) over
 * all axes or some, as a tree: each block becomes a small partial record, partials of
 * `splitEvery` neighbouring blocks are combined, level by level, and the last one per
 * output block is finalized. A full reduction of a fused expression (`(x * 2).mean()`)
 * evaluates the expression tile by tile inside the partial task: no chunk is made at all.
 */
import {
  type Arg,
  config,
  type Graph,
  InvalidArgumentError,
  type Key,
  layer,
  quote,
  ref,
  task,
  tokenize,
} from '@dusk/core';
import { DuskArray } from './array.js';
import { checkBigReduction } from './big.js';
import { blockIndices, hasUnknown, offsetsOf } from './chunks.js';
import { isBigDtype, reductionDtype } from './dtype.js';
import { normalizeAxis } from './elementwise.js';
import { UnknownChunksError } from './errors.js';
import { blockKeyOf, blockProgram, leafLayers, partsOf } from './expr.js';
import { kernel } from './kernel-ref.js';
import type { BlockPlace, ReduceOp } from './kernels/partial.js';

/** An axis or axes to reduce over; null or undefined: all. */
export type AxisArg = number | readonly number[] | null;

export interface ReduceOptions {
  axis?: AxisArg;
  /** Keep reduced axes with length 1 (NumPy's keepdims). */
  keepdims?: boolean;
  /** Partials combined per tree step (default: config 'splitEvery'). */
  splitEvery?: number;
  /** Delta degrees of freedom for var and std (divide by n - ddof). */
  ddof?: number;
}

function parseOptions(o: AxisArg | ReduceOptions | undefined): ReduceOptions {
  if (o === undefined || o === null) return {};
  if (typeof o === 'number' || Array.isArray(o)) return { axis: o as AxisArg };
  return o as ReduceOptions;
}

function axesOf(x: DuskArray, op: ReduceOp, axis: AxisArg | undefined): number[] {
  if (axis === undefined || axis === null) return x.shape.map((_, i) => i);
  const list = typeof axis === 'number' ? [axis] : [...axis];
  if ((op === 'argmin' || op === 'argmax') && list.length !== 1) {
    throw new InvalidArgumentError(
      `${op}: axis must be a single axis or omitted, got (${list.join(', ')}).`,
    );
  }
  const norm = list.map((a) => normalizeAxis(a, x.ndim, op));
  if (new Set(norm).size !== norm.length)
    throw new InvalidArgumentError(`${op}: axis (${list.join(', ')}) repeats an axis.`);
  return norm.sort((a, b) => a - b);
}

function check(x: DuskArray, op: ReduceOp, axes: number[]) {
  if (isBigDtype(x.dtype)) checkBigReduction(op, x, axes);
  const needsItems = op === 'min' || op === 'max' || op === 'argmin' || op === 'argmax';
  if (needsItems && axes.some((a) => x.shape[a] === 0)) {
    throw new InvalidArgumentError(
      `${op}: zero-size array along the reduced axes (shape (${x.shape.join(', ')})) has no ${op}.`,
    );
  }
  if ((op === 'argmin' || op === 'argmax') && hasUnknown(x.chunks))
    throw new UnknownChunksError(op);
}

/**
 * A reduction of `x` as a new array (0-d when all axes are reduced without keepdims).
 * @example reduce(x, 'mean', { axis: 0, keepdims: true })
 */
export function reduce(x: DuskArray, op: ReduceOp, options?: AxisArg | ReduceOptions): DuskArray {
  const o = parseOptions(options);
  const axes = axesOf(x, op, o.axis);
  check(x, op, axes);
  const keepdims = o.keepdims ?? false;
  const splitEvery = Math.max(2, o.splitEvery ?? config.get('splitEvery'));
  const ddof = o.ddof ?? 0;
  const dtype = reductionDtype(op, x.dtype);
  const reduced = x.shape.map((_, d) => axes.includes(d));
  const name = `${op}-${tokenize(op, x.name, axes, keepdims, splitEvery, ddof)}`;
  const kept = (v: readonly number[], fill: number) =>
    keepdims ? v.map((s, d) => (reduced[d] ? fill : s)) : v.filter((_, d) => !reduced[d]);
  const shape = kept(x.shape, 1);
  const chunks = keepdims
    ? x.chunks.map((c, d) => (reduced[d] ? [1] : [...c]))
    : x.chunks.filter((_, d) => !reduced[d]).map((c) => [...c]);
  const build = () => reductionLayer(x, op, axes, { name, splitEvery, ddof, dtype, keepdims });
  return new DuskArray(name, shape, chunks, dtype, build);
}

interface Plan {
  name: string;
  splitEvery: number;
  ddof: number;
  dtype: ReturnType<typeof reductionDtype>;
  keepdims: boolean;
}

/** Partial tasks per block, combine levels, and a finalize task per output block. */
function reductionLayer(x: DuskArray, op: ReduceOp, axes: number[], plan: Plan) {
  const tasks: Graph = new Map();
  const full = axes.length === x.ndim;
  const big = isBigDtype(x.dtype);
  const streamed = full && x.def.kind !== 'blocks' && !big;
  const parts = partsOf(x);
  const offsets = x.chunks.map((c) => offsetsOf(c));
  const token = plan.name.slice(plan.name.indexOf('-') + 1);
  const groups = new Map<string, { out: number[]; keys: Key[] }>();
  for (const idx of blockIndices(x.numblocks)) {
    const key = blockKeyOf(`${op}-partial-${token}`, idx);
    const place: BlockPlace | null =
      op === 'argmin' || op === 'argmax'
        ? { offset: idx.map((i, d) => offsets[d]![i]!), fullShape: x.shape }
        : null;
    if (streamed) {
      const { program, refs } = blockProgram(parts.tree, parts.leaves, x.chunks, x.dtype, idx);
      tasks.set(
        key,
        task(kernel('reduceProgram'), [
          quote(program),
          refs.map((k) => ref(k)) as Arg,
          op,
          quote(place),
        ]),
      );
    } else if (big) {
      tasks.set(key, task(kernel('bigReduceChunk'), [ref(x.blockKey(...idx)), op]));
    } else {
      tasks.set(
        key,
        task(kernel('reduceChunk'), [ref(x.blockKey(...idx)), op, axes, quote(place)]),
      );
    }
    const out = idx.map((i, d) => (axes.includes(d) ? 0 : i));
    const g = groups.get(out.join());
    if (g) g.keys.push(key);
    else groups.set(out.join(), { out, keys: [key] });
  }
  for (const { out, keys } of groups.values()) {
    const last = combineTree(tasks, keys, op, `${op}-combine-${token}`, out, plan.splitEvery);
    const outIdx = plan.keepdims ? out : out.filter((_, d) => !axes.includes(d));
    const blockShape = out.map((i, d) => (axes.includes(d) ? 1 : x.chunks[d]![i]!));
    const finalShape = plan.keepdims ? blockShape : blockShape.filter((_, d) => !axes.includes(d));
    const from = x.shape.map((_, d) => d).filter((d) => plan.keepdims || !axes.includes(d));
    tasks.set(
      blockKeyOf(plan.name, outIdx),
      task(kernel('finalizePartial'), [ref(last), op, finalShape, plan.dtype, plan.ddof, from]),
    );
  }
  const deps = streamed ? leafLayers(parts.leaves) : [x.layer];
  return layer(plan.name, tasks, deps);
}

/** Combines `keys` in groups of `splitEvery` until one is left; returns its key. */
function combineTree(
  tasks: Graph,
  keys: Key[],
  op: ReduceOp,
  name: string,
  out: number[],
  splitEvery: number,
): Key {
  let level = 0;
  while (keys.length > 1) {
    const next: Key[] = [];
    for (let g = 0; g * splitEvery < keys.length; g++) {
      const group = keys.slice(g * splitEvery, (g + 1) * splitEvery);
      if (group.length === 1) {
        next.push(group[0]!);
        continue;
      }
      const key = blockKeyOf(name, [...out, level, g]);
      tasks.set(key, task(kernel('combinePartials'), [group.map((k) => ref(k)), op]));
      next.push(key);
    }
    keys = next;
    level++;
  }
  return keys[0]!;
}
