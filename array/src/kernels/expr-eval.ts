/**
 * Fused elementwise evaluation: one task evaluates a small expression tree over its input
 * blocks, tile by tile, so `x * 2 + y.T` on a block is one pass with no intermediate
 * chunks. Leaves read an input block through strides (transposes and broadcasting cost no
 * copy) or generate their values in place (random, ranges, constants).
 */
import { type Chunk, cStrides, DTYPE_CTORS, type Dtype, emptyChunk, sizeOf } from './chunk.js';
import { BlockGenerator, type GenSpec, TILE, writeTile } from './generate.js';
import { type BinaryOp, binary, clip, select, type UnaryOp, unary } from './ops.js';

/** An expression: a leaf (input `l`), a constant `c`, or an operation over sub-expressions. */
export type ExprTree =
  | { readonly l: number }
  | { readonly c: number }
  | { readonly op: string; readonly a: readonly ExprTree[]; readonly p?: readonly number[] };

/**
 * How a leaf gets its values for one block: from input block `k` read with `strides` (one
 * per output axis, 0 where broadcast), or generated from a spec.
 */
export type LeafSpec =
  | { readonly k: number; readonly strides: readonly number[]; readonly contiguous: boolean }
  | { readonly gen: GenSpec };

/** Everything a task needs to evaluate one output block. */
export interface BlockProgram {
  readonly tree: ExprTree;
  readonly leaves: readonly LeafSpec[];
  /** The block's shape; null when chunk sizes are unknown (taken from the first input). */
  readonly shape: readonly number[] | null;
  readonly dtype: Dtype;
}

/** A program's block shape: its own, or its first input's when sizes were unknown. */
export function programShape(program: BlockProgram, inputs: readonly Chunk[]): readonly number[] {
  return program.shape ?? inputs[0]!.shape;
}

type Reader = (start: number, len: number) => Float64Array;

/** Evaluates a program over consecutive tiles of its output block. */
export class TileEvaluator {
  private readonly readers: Reader[];
  private readonly size: number;
  readonly shape: readonly number[];

  constructor(program: BlockProgram, inputs: readonly Chunk[]) {
    this.shape = programShape(program, inputs);
    this.size = sizeOf(this.shape);
    const tile = Math.max(1, Math.min(TILE, this.size));
    this.readers = program.leaves.map((leaf) => memo(leafReader(leaf, inputs, this.shape, tile)));
    this.evalNode = compileNode(program.tree, this.readers, tile);
  }

  readonly evalNode: Reader;

  /** Number of elements in the block. */
  get length(): number {
    return this.size;
  }
}

/** A leaf used twice in a tree (`x * x`) is read once per tile: generators must not advance twice. */
function memo(read: Reader): Reader {
  let lastStart = -1;
  let last: Float64Array | undefined;
  return (start, len) => {
    if (start !== lastStart || last === undefined) {
      last = read(start, len);
      lastStart = start;
    }
    return last;
  };
}

function leafReader(
  leaf: LeafSpec,
  inputs: readonly Chunk[],
  shape: readonly number[],
  tile: number,
): Reader {
  const buf = new Float64Array(tile);
  if ('gen' in leaf) {
    const g = new BlockGenerator(leaf.gen);
    return (_start, len) => {
      g.fill(buf, len);
      return buf;
    };
  }
  const chunk = inputs[leaf.k]!;
  const data = chunk.data;
  if (leaf.contiguous) {
    if (data instanceof Float64Array) return (start, len) => data.subarray(start, start + len);
    if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
      return (start, len) => {
        for (let i = 0; i < len; i++) buf[i] = Number(data[start + i]!);
        return buf;
      };
    }
    const d = data as Float32Array;
    return (start, len) => {
      buf.set(d.subarray(start, start + len));
      return buf;
    };
  }
  const f64 = data instanceof Float64Array ? data : new Float64Array(data as ArrayLike<number>);
  return (start, len) => {
    gather(f64, leaf.strides, shape, start, len, buf);
    return buf;
  };
}

/** Reads `len` elements of a strided view, starting at flat output index `start`. */
function gather(
  data: Float64Array,
  strides: readonly number[],
  shape: readonly number[],
  start: number,
  len: number,
  out: Float64Array,
) {
  const nd = shape.length;
  if (nd === 0) {
    out[0] = data[0]!;
    return;
  }
  const idx = new Array<number>(nd);
  let rest = start;
  let off = 0;
  for (let d = nd - 1; d >= 0; d--) {
    idx[d] = rest % shape[d]!;
    rest = Math.floor(rest / shape[d]!);
    off += idx[d]! * strides[d]!;
  }
  const last = nd - 1;
  const sLast = strides[last]!;
  const nLast = shape[last]!;
  let i = 0;
  while (i < len) {
    const run = Math.min(nLast - idx[last]!, len - i);
    for (let j = 0; j < run; j++) out[i + j] = data[off + j * sLast]!;
    i += run;
    off += run * sLast;
    idx[last] = idx[last]! + run;
    // Carry into the outer axes.
    for (let d = last; d > 0 && idx[d] === shape[d]; d--) {
      off -= idx[d]! * strides[d]!;
      idx[d] = 0;
      idx[d - 1] = idx[d - 1]! + 1;
      off += strides[d - 1]!;
    }
  }
}

function compileNode(node: ExprTree, readers: Reader[], tile: number): Reader {
  if ('l' in node) return readers[node.l]!;
  if ('c' in node) {
    const buf = new Float64Array(tile).fill(node.c);
    return () => buf;
  }
  const out = new Float64Array(tile);
  const args = node.a.map((a) => compileNode(a, readers, tile));
  const op = node.op;
  if (op === 'clip') {
    const [lo, hi] = node.p as [number, number];
    return (s, n) => {
      clip(args[0]!(s, n), lo, hi, out, n);
      return out;
    };
  }
  if (op === 'cast') {
    // Store into the target dtype and read back: float32 rounding, integer truncation and wrap.
    const scratch = new (Object.values(DTYPE_CTORS)[node.p![0]!]!)(tile) as Float64Array;
    return (s, n) => {
      const a = args[0]!(s, n);
      scratch.set(n === a.length ? a : a.subarray(0, n));
      for (let i = 0; i < n; i++) out[i] = scratch[i]!;
      return out;
    };
  }
  if (op === 'where') {
    return (s, n) => {
      select(args[0]!(s, n), args[1]!(s, n), args[2]!(s, n), out, n);
      return out;
    };
  }
  if (args.length === 1) {
    return (s, n) => {
      unary(op as UnaryOp, args[0]!(s, n), out, n);
      return out;
    };
  }
  return (s, n) => {
    binary(op as BinaryOp, args[0]!(s, n), args[1]!(s, n), out, n);
    return out;
  };
}

/**
 * Kernel: evaluates a fused elementwise program into a new block.
 * @example evalBlock({ tree: { op: 'mul', a: [{ l: 0 }, { c: 2 }] }, leaves, shape, dtype }, [chunk])
 */
export function evalBlock(program: BlockProgram, inputs: readonly Chunk[]): Chunk {
  const ev = new TileEvaluator(program, inputs);
  const out = emptyChunk(program.dtype, ev.shape);
  const n = ev.length;
  for (let s = 0; s < n; s += TILE) {
    const len = Math.min(TILE, n - s);
    writeTile(out, ev.evalNode(s, len), s, len);
  }
  return out;
}

/** C-order strides of a shape, exported for graph builders that describe leaves. */
export const blockStrides = cStrides;
