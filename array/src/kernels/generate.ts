/**
 * Generated blocks: random numbers, ranges and constants made inside the task that needs
 * them, tile by tile, from a small plain spec. A reduction over a random array then never
 * holds the random chunk in memory at all.
 */
import { type Chunk, type Dtype, emptyChunk, sizeOf } from './chunk.js';
import {
  fillInteger,
  fillNormal,
  fillUniform,
  sumUniform,
  type Xoshiro,
  xoshiro,
} from './xoshiro.js';

/** What a generated block holds; `stream` is the block's flat index in the chunk grid. */
export type GenSpec =
  | { kind: 'uniform'; seed: number; stream: number; low: number; high: number }
  | { kind: 'normal'; seed: number; stream: number; loc: number; scale: number }
  | { kind: 'randint'; seed: number; stream: number; low: number; high: number }
  | { kind: 'range'; start: number; step: number; first: number; last?: number; lastIndex?: number }
  | { kind: 'full'; value: number };

/** A generator positioned at the start of a block; `fill` continues where it stopped. */
export class BlockGenerator {
  private readonly rng: Xoshiro | undefined;
  private pos = 0;
  constructor(private readonly spec: GenSpec) {
    this.rng = 'seed' in spec ? xoshiro(spec.seed, spec.stream) : undefined;
  }

  /** Writes the next `n` values of the block into `out[0..n)`. */
  fill(out: Float64Array, n: number): void {
    const s = this.spec;
    switch (s.kind) {
      case 'uniform':
        fillUniform(this.rng!, out, n, s.low, s.high - s.low);
        break;
      case 'normal':
        fillNormal(this.rng!, out, n, s.loc, s.scale);
        break;
      case 'randint':
        fillInteger(this.rng!, out, n, s.low, s.high - s.low);
        break;
      case 'range':
        fillRange(out, n, this.pos, s);
        break;
      case 'full':
        out.fill(s.value, 0, n);
        break;
    }
    this.pos += n;
  }

  /** Whether `sum` adds values without storing them (uniform random numbers). */
  get summable(): boolean {
    return this.spec.kind === 'uniform';
  }

  /** The sum of the next `n` values (only when `summable`). */
  sum(n: number): number {
    const s = this.spec as { low: number; high: number };
    this.pos += n;
    return sumUniform(this.rng!, n, s.low, s.high - s.low);
  }
}

function fillRange(
  out: Float64Array,
  n: number,
  pos: number,
  s: { start: number; step: number; first: number; last?: number; lastIndex?: number },
) {
  const base = s.first + pos;
  for (let i = 0; i < n; i++) out[i] = s.start + (base + i) * s.step;
  // linspace ends exactly on `stop`, as NumPy's does.
  if (s.lastIndex !== undefined && s.lastIndex >= pos && s.lastIndex < pos + n) {
    out[s.lastIndex - pos] = s.last!;
  }
}

/** Tile length for generated values: 32 KB of float64 stays in L1/L2 between fill and use. */
export const TILE = 4096;

/**
 * Makes a whole block from its spec.
 * @example makeBlock({ kind: 'full', value: 1 }, [2, 3], 'float64')
 */
export function makeBlock(spec: GenSpec, shape: number[], dtype: Dtype): Chunk {
  const out = emptyChunk(dtype, shape);
  const n = sizeOf(shape);
  const gen = new BlockGenerator(spec);
  if (out.data instanceof Float64Array) {
    for (let s = 0; s < n; s += TILE)
      gen.fill(out.data.subarray(s, Math.min(n, s + TILE)), Math.min(TILE, n - s));
    return out;
  }
  const tile = new Float64Array(Math.min(TILE, n));
  for (let s = 0; s < n; s += TILE) {
    const len = Math.min(TILE, n - s);
    gen.fill(tile, len);
    writeTile(out, tile, s, len);
  }
  return out;
}

/** Stores `tile[0..len)` at `start` of a chunk, converting to its dtype. */
export function writeTile(out: Chunk, tile: Float64Array, start: number, len: number): void {
  const d = out.data;
  if (d instanceof BigInt64Array || d instanceof BigUint64Array) {
    for (let i = 0; i < len; i++) d[start + i] = BigInt(Math.trunc(tile[i]!));
  } else if (out.dtype === 'bool') {
    for (let i = 0; i < len; i++) d[start + i] = tile[i] !== 0 ? 1 : 0;
  } else {
    (d as Float64Array).set(len === tile.length ? tile : tile.subarray(0, len), start);
  }
}
