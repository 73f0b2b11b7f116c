/**
 * DuskArray: a lazy chunked n-d array, like `dask.array.Array`. It is a shape, a dtype, a
 * chunk grid and a layer of tasks (one per block, keys `name:i,j`). Every operation
 * returns a new DuskArray; `await x.compute()` runs the graph on any scheduler. The
 * methods here are one-line delegations to the modules that define each operation.
 */
import {
  COLLECTION,
  type Collection,
  type CollectionSpec,
  type ComputeOptions,
  Delayed,
  getComputeEngine,
  type Key,
  type Layer,
  TOKEN,
  visualize,
} from '@dusk/core';
import { blockIndices, type Chunks, type ChunksSpec, numblocksOf } from './chunks.js';
import { type Dtype, itemsize } from './dtype.js';
import * as ew from './elementwise.js';
import { blockKeyOf, type Operand } from './expr.js';
import { booleanMask, computeChunkSizes, take } from './indexing.js';
import { gatherBlocks } from './kernels/assemble.js';
import type { Chunk } from './kernels/chunk.js';
import type { ExprTree } from './kernels/expr-eval.js';
import type { GenSpec } from './kernels/generate.js';
import { dot } from './linalg.js';
import { type MapBlocksOptions, mapBlocks } from './map-blocks.js';
import { NdArray, type Scalar } from './nd-array.js';
import { rechunk } from './rechunk.js';
import { type AxisArg, type ReduceOptions, reduce } from './reductions.js';
import { type Index, slice } from './slicing.js';

/** A leaf of a fused expression: a stored or generated array, and which of its axes each output axis reads (-1: none). */
export interface Leaf {
  readonly base: DuskArray;
  readonly map: readonly number[];
}

/** How an array's blocks come about; fusion looks at this, the graph does not. */
export type ArrayDef =
  | { readonly kind: 'blocks' }
  | { readonly kind: 'gen'; readonly spec: (index: readonly number[]) => GenSpec }
  | { readonly kind: 'expr'; readonly tree: ExprTree; readonly leaves: readonly Leaf[] };

/** What `compute()` gives: a number (boolean, bigint) for 0-d arrays, an NdArray otherwise. */
export type ArrayResult = Scalar | NdArray;

/**
 * A lazy chunked n-d array.
 * @example
 * const x = da.random.random([10_000, 10_000], { chunks: 1000, seed: 1 });
 * await x.add(x.T).mean().compute(); // ~1.0
 */
export class DuskArray implements Collection {
  private builtLayer?: Layer;
  private layerBuilder?: () => Layer;
  private cachedKeys?: Key[];

  constructor(
    /** Unique name of the array; its block keys are `name:i,j`. */
    readonly name: string,
    readonly shape: readonly number[],
    /** Block sizes per axis (NaN where unknown, after boolean masks). */
    readonly chunks: Chunks,
    readonly dtype: Dtype,
    layerOrBuilder: Layer | (() => Layer),
    readonly def: ArrayDef = { kind: 'blocks' },
  ) {
    if (typeof layerOrBuilder === 'function') this.layerBuilder = layerOrBuilder;
    else this.builtLayer = layerOrBuilder;
  }

  /** The layer holding this array's block tasks (built on first use). */
  get layer(): Layer {
    if (!this.builtLayer) {
      this.builtLayer = this.layerBuilder!();
      this.layerBuilder = undefined;
    }
    return this.builtLayer;
  }

  get ndim(): number {
    return this.shape.length;
  }
  get size(): number {
    return this.shape.reduce((a, b) => a * b, 1);
  }
  get itemsize(): number {
    return itemsize(this.dtype);
  }
  get nbytes(): number {
    return this.size * this.itemsize;
  }
  /** Blocks along each axis. @example random.random([10, 10], { chunks: 4 }).numblocks // [3, 3] */
  get numblocks(): number[] {
    return numblocksOf(this.chunks);
  }
  /** The largest block size along each axis. */
  get chunksize(): number[] {
    return this.chunks.map((c) => Math.max(0, ...c));
  }

  /**
   * The key of one block; other packages reference it in their own tasks (with
   * `this.layer` as a layer dependency). @example x.blockKey(0, 2) // 'random-ab12:0,2'
   */
  blockKey(...index: number[]): Key {
    return blockKeyOf(this.name, index);
  }

  /** Every block key, in C order of the block grid (what `compute` asks for). */
  get keys(): Key[] {
    if (!this.cachedKeys)
      this.cachedKeys = blockIndices(this.numblocks).map((i) => blockKeyOf(this.name, i));
    return this.cachedKeys;
  }

  /**
   * One Delayed per block, in C order of the block grid (Dask's `to_delayed().ravel()`):
   * each computes to a chunk `{ dtype, shape, data }`.
   * @example const parts = x.toDelayed(); await parts[0].compute()
   */
  toDelayed(): Delayed<Chunk>[] {
    return this.keys.map((k) => new Delayed<Chunk>(k, this.layer));
  }

  [COLLECTION](): CollectionSpec {
    return {
      layer: this.layer,
      keys: this.keys,
      finalize: (values) => this.finalize(values as Chunk[]),
      rebuild: (l) => new DuskArray(this.name, this.shape, this.chunks, this.dtype, l),
    };
  }

  [TOKEN](): string {
    return this.name;
  }

  private finalize(blocks: Chunk[]): ArrayResult {
    if (this.ndim === 0) {
      const v = blocks[0]!.data[0]!;
      return this.dtype === 'bool' ? v !== 0 : v;
    }
    const { data, shape } = gatherBlocks(blocks, this.numblocks, this.dtype);
    return new NdArray(data, shape, this.dtype);
  }

  /** Computes the array: a number for 0-d results, an NdArray otherwise. @example await x.sum().compute() */
  async compute(opts?: ComputeOptions): Promise<any> {
    const engine = await getComputeEngine();
    return (await engine.compute([this], opts))[0];
  }

  /** Computes the blocks and returns an array whose graph holds them. */
  async persist(opts?: ComputeOptions): Promise<DuskArray> {
    const engine = await getComputeEngine();
    return (await engine.persist([this], opts))[0] as DuskArray;
  }

  /** Writes this array's task graph to `path` (.dot, or .svg/.png with Graphviz); returns the DOT. */
  visualize(path = 'array.dot'): string {
    return visualize([this], path);
  }

  toString(): string {
    const c = this.chunksize.join(', ');
    return `DuskArray<${this.name}, shape=(${this.shape.join(', ')}), dtype=${this.dtype}, chunksize=(${c})>`;
  }

  // Elementwise (NumPy broadcasting; the other operand may be a number).
  add(o: Operand): DuskArray {
    return ew.binaryOp('add', this, o);
  }
  sub(o: Operand): DuskArray {
    return ew.binaryOp('sub', this, o);
  }
  mul(o: Operand): DuskArray {
    return ew.binaryOp('mul', this, o);
  }
  div(o: Operand): DuskArray {
    return ew.binaryOp('div', this, o);
  }
  pow(o: Operand): DuskArray {
    return ew.binaryOp('pow', this, o);
  }
  mod(o: Operand): DuskArray {
    return ew.binaryOp('mod', this, o);
  }
  floordiv(o: Operand): DuskArray {
    return ew.binaryOp('floordiv', this, o);
  }
  maximum(o: Operand): DuskArray {
    return ew.binaryOp('maximum', this, o);
  }
  minimum(o: Operand): DuskArray {
    return ew.binaryOp('minimum', this, o);
  }
  eq(o: Operand): DuskArray {
    return ew.binaryOp('eq', this, o);
  }
  ne(o: Operand): DuskArray {
    return ew.binaryOp('ne', this, o);
  }
  lt(o: Operand): DuskArray {
    return ew.binaryOp('lt', this, o);
  }
  le(o: Operand): DuskArray {
    return ew.binaryOp('le', this, o);
  }
  gt(o: Operand): DuskArray {
    return ew.binaryOp('gt', this, o);
  }
  ge(o: Operand): DuskArray {
    return ew.binaryOp('ge', this, o);
  }
  and(o: Operand): DuskArray {
    return ew.binaryOp('and', this, o);
  }
  or(o: Operand): DuskArray {
    return ew.binaryOp('or', this, o);
  }
  xor(o: Operand): DuskArray {
    return ew.binaryOp('xor', this, o);
  }
  not(): DuskArray {
    return ew.unaryOp('not', this);
  }
  neg(): DuskArray {
    return ew.unaryOp('neg', this);
  }
  abs(): DuskArray {
    return ew.unaryOp('abs', this);
  }
  sqrt(): DuskArray {
    return ew.unaryOp('sqrt', this);
  }
  exp(): DuskArray {
    return ew.unaryOp('exp', this);
  }
  log(): DuskArray {
    return ew.unaryOp('log', this);
  }
  sin(): DuskArray {
    return ew.unaryOp('sin', this);
  }
  cos(): DuskArray {
    return ew.unaryOp('cos', this);
  }
  tan(): DuskArray {
    return ew.unaryOp('tan', this);
  }
  floor(): DuskArray {
    return ew.unaryOp('floor', this);
  }
  ceil(): DuskArray {
    return ew.unaryOp('ceil', this);
  }
  round(): DuskArray {
    return ew.unaryOp('round', this);
  }
  trunc(): DuskArray {
    return ew.unaryOp('trunc', this);
  }
  isnan(): DuskArray {
    return ew.unaryOp('isnan', this);
  }
  clip(min: number, max: number): DuskArray {
    return ew.clip(this, min, max);
  }
  astype(dtype: Dtype): DuskArray {
    return ew.astype(this, dtype);
  }
  /** Axes reversed (`transpose()`), or in the given order. */
  transpose(axes?: readonly number[]): DuskArray {
    return ew.transpose(this, axes);
  }
  get T(): DuskArray {
    return ew.transpose(this);
  }

  // Reductions: over all axes, or `axis` (a number, a list, or { axis, keepdims, splitEvery }).
  sum(o?: AxisArg | ReduceOptions): DuskArray {
    return reduce(this, 'sum', o);
  }
  prod(o?: AxisArg | ReduceOptions): DuskArray {
    return reduce(this, 'prod', o);
  }
  mean(o?: AxisArg | ReduceOptions): DuskArray {
    return reduce(this, 'mean', o);
  }
  min(o?: AxisArg | ReduceOptions): DuskArray {
    return reduce(this, 'min', o);
  }
  max(o?: AxisArg | ReduceOptions): DuskArray {
    return reduce(this, 'max', o);
  }
  var(o?: AxisArg | ReduceOptions): DuskArray {
    return reduce(this, 'var', o);
  }
  std(o?: AxisArg | ReduceOptions): DuskArray {
    return reduce(this, 'std', o);
  }
  argmin(o?: AxisArg | ReduceOptions): DuskArray {
    return reduce(this, 'argmin', o);
  }
  argmax(o?: AxisArg | ReduceOptions): DuskArray {
    return reduce(this, 'argmax', o);
  }
  any(o?: AxisArg | ReduceOptions): DuskArray {
    return reduce(this, 'any', o);
  }
  all(o?: AxisArg | ReduceOptions): DuskArray {
    return reduce(this, 'all', o);
  }
  countNonzero(o?: AxisArg | ReduceOptions): DuskArray {
    return reduce(this, 'countNonzero', o);
  }

  // Indexing and layout.
  /** Basic indexing: per axis an integer, 'start:stop:step', [start, stop, step] or null. @example x.slice('::2', -1) */
  slice(...index: Index[]): DuskArray {
    return slice(this, index);
  }
  /** Integer-array indexing along one axis. @example x.take([3, 0, 3], 1) */
  take(indices: ArrayLike<number>, axis = 0): DuskArray {
    return take(this, indices, axis);
  }
  /** Boolean-mask selection (`x[mask]`); the result's chunk sizes are unknown (NaN). */
  mask(m: DuskArray): DuskArray {
    return booleanMask(this, m);
  }
  /** Learns unknown chunk sizes by computing block lengths (Dask's compute_chunk_sizes). */
  computeChunkSizes(opts?: ComputeOptions): Promise<DuskArray> {
    return computeChunkSizes(this, opts);
  }
  rechunk(chunks: ChunksSpec): DuskArray {
    return rechunk(this, chunks);
  }
  /** Matrix product (2-d by blocks; 1-d operands as vectors). */
  dot(o: DuskArray): DuskArray {
    return dot(this, o);
  }
  matmul(o: DuskArray): DuskArray {
    return dot(this, o);
  }
  /** Applies `fn(chunk, ...otherChunks)` to every block. @example x.mapBlocks((c) => c.data.map(Math.sqrt), { dtype: 'float64' }) */
  mapBlocks(
    fn: (...chunks: Chunk[]) => unknown,
    opts: MapBlocksOptions,
    ...others: DuskArray[]
  ): DuskArray {
    return mapBlocks(fn, [this, ...others], opts);
  }
}

/** Whether a value is a DuskArray. @example isDuskArray(da.zeros(3)) // true */
export function isDuskArray(x: unknown): x is DuskArray {
  return x instanceof DuskArray;
}
