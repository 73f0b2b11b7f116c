/**
 * Fused elementwise evaluation: one task evaluates a small expression tree over its input
 * blocks, tile by tile, so `x * 2 + y.T` on a block is one pass with no intermediate
 * chunks. Leaves read an input block through strides (transposes and broadcasting cost no
 * copy) or generate their values in place (random, ranges, constants).
 */
import { type Chunk, cStrides, DTYPE_CTORS, type Dtype, emptyChunk, sizeOf } from './chunk.js';
import { TILE, writeTile } from './generate.js';
import { type LeafSpec, leafReader, leafSummer, type Reader, ScratchSlots } from './leaf-read.js';

export type { LeafSpec };

import { type BinaryOp, binary, clip, select, type UnaryOp, unary } from './ops.js';

/** An expression: a leaf (input `l`), a constant `c`, or an operation over sub-expressions. */
export type ExprTree =
  | { readonly l: number }
  | { readonly c: number }
  | { readonly op: string; readonly a: readonly ExprTree[]; readonly p?: readonly number[] };

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

/** Evaluates a program over consecutive tiles of its output block. */
export class TileEvaluator {
  private readonly readers: Reader[];
  private readonly size: number;
  readonly shape: readonly number[];

  constructor(program: BlockProgram, inputs: readonly Chunk[]) {
    this.shape = programShape(program, inputs);
    this.size = sizeOf(this.shape);
    const tile = Math.max(1, Math.min(TILE, this.size));
    const root = program.tree;
    // A bare generated leaf is summed as it is generated (the `random(...).mean()` path).
    this.sumTile = 'l' in root ? leafSummer(program.leaves[root.l]!) : undefined;
    const slots = new ScratchSlots();
    this.readers = program.leaves.map((leaf) =>
      memo(leafReader(leaf, inputs, this.shape, tile, slots)),
    );
    this.evalNode = compileNode(program.tree, this.readers, tile);
  }

  readonly evalNode: Reader;
  /** Sum of the next tile without materialising it, when the program allows; else undefined. */
  readonly sumTile: ((len: number) => number) | undefined;

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
