/**
 * 64-bit integer kernels (int64, uint64 in BigInt arrays): elementwise arithmetic and
 * comparisons of same-shape blocks or a block and an integer, and exact full reductions.
 * Stores wrap modulo 2**64 as NumPy's int64 does. BigInt arithmetic is boxed and far
 * slower than float64 loops; these exist for exactness, not speed.
 */
import { type Chunk, type Dtype, emptyChunk } from './chunk.js';
import type { Partial } from './partial.js';

type BigArray = BigInt64Array | BigUint64Array;

/** NumPy's floor division and remainder (sign of the divisor); x // 0 and x % 0 give 0. */
function floorDiv(a: bigint, b: bigint): bigint {
  if (b === 0n) return 0n;
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}
function floorMod(a: bigint, b: bigint): bigint {
  if (b === 0n) return 0n;
  const r = a % b;
  return r !== 0n && r < 0n !== b < 0n ? r + b : r;
}

function apply(op: string, x: bigint, y: bigint): bigint | boolean {
  switch (op) {
    case 'add':
      return x + y;
    case 'sub':
      return x - y;
    case 'mul':
      return x * y;
    case 'floordiv':
      return floorDiv(x, y);
    case 'mod':
      return floorMod(x, y);
    case 'maximum':
      return x >= y ? x : y;
    case 'minimum':
      return x <= y ? x : y;
    case 'eq':
      return x === y;
    case 'ne':
      return x !== y;
    case 'lt':
      return x < y;
    case 'le':
      return x <= y;
    case 'gt':
      return x > y;
    case 'ge':
      return x >= y;
    default:
      throw new TypeError(`Unknown 64-bit integer operation '${op}'.`);
  }
}

/**
 * Kernel: `a op b` for a 64-bit integer block and a block of the same shape or an integer
 * (`scalarFirst`: the integer is the left operand).
 * @example bigBinaryBlock(a, b, 'add', 'int64', false)
 */
export function bigBinaryBlock(
  a: Chunk,
  b: Chunk | number,
  op: string,
  dtype: Dtype,
  scalarFirst: boolean,
): Chunk {
  const out = emptyChunk(dtype, a.shape);
  const x = a.data as BigArray;
  const n = x.length;
  const o = out.data as any;
  const toOut =
    dtype === 'bool' ? (v: bigint | boolean) => (v ? 1 : 0) : (v: bigint | boolean) => v;
  if (typeof b === 'number') {
    const s = BigInt(b);
    for (let i = 0; i < n; i++)
      o[i] = toOut(scalarFirst ? apply(op, s, x[i]!) : apply(op, x[i]!, s));
  } else {
    const y = b.data as BigArray;
    for (let i = 0; i < n; i++) o[i] = toOut(apply(op, x[i]!, y[i]!));
  }
  return out;
}

/** Kernel: `-a` or `|a|` for a 64-bit integer block. @example bigUnaryBlock(a, 'neg') */
export function bigUnaryBlock(a: Chunk, op: 'neg' | 'abs'): Chunk {
  const out = emptyChunk(a.dtype, a.shape);
  const x = a.data as BigArray;
  const o = out.data as BigArray;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    o[i] = op === 'neg' ? -v : v < 0n ? -v : v;
  }
  return out;
}

/** Kernel: the exact sum, product, min or max of a 64-bit integer block (a BigInt partial). */
export function bigReduceChunk(chunk: Chunk, op: string): Partial {
  const x = chunk.data as BigArray;
  let acc: bigint | undefined = op === 'sum' ? 0n : op === 'prod' ? 1n : undefined;
  for (let i = 0; i < x.length; i++) acc = acc === undefined ? x[i]! : bigCombine(op, acc, x[i]!);
  return bigPartial(chunk.shape.length, x.length, acc);
}

/** One of two partial values, or their sum or product. */
export function bigCombine(op: string, x: bigint, y: bigint): bigint {
  switch (op) {
    case 'sum':
      return x + y;
    case 'prod':
      return x * y;
    case 'min':
      return x <= y ? x : y;
    default:
      return x >= y ? x : y;
  }
}

/** A partial over all axes holding an exact value (`has` 0 when the block was empty). */
function bigPartial(ndim: number, n: number, value: bigint | undefined): Partial {
  const shape = new Array<number>(ndim).fill(1);
  // The exact value crosses threads and processes as a decimal string (a BigInt64Array would wrap).
  if (value === undefined) return { n, shape, a: Float64Array.of(0), big: true };
  return { n, shape, a: Float64Array.of(1), big: true, exact: value.toString() };
}
