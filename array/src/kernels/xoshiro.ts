/**
 * Random streams: each chunk of a random array gets its own stream from (seed, chunk
 * index), so the numbers do not depend on the scheduler, the worker count or the order
 * chunks run in. A stream is four interleaved xoshiro256+ generators (Blackman and Vigna;
 * the "+" variant is their choice for floating point), stepped together by the wasm SIMD
 * kernels of xoshiro-wasm.ts: value j of a stream is the next output of lane j mod 4, and
 * its top 52 bits make a double in [0, 1). Lanes are seeded with splitmix64.
 */
import {
  GROUP,
  MAX_SUM_STEPS,
  OUT_AT,
  type RngKernels,
  rngKernels,
  STATE_AT,
  STATE_BYTES,
  TILE_CAPACITY,
} from './xoshiro-wasm.js';

/** A stream's position: the lanes' state, values of a group not handed out yet, a spare normal. */
export interface Xoshiro {
  /** Lane states as the kernels lay them out: vector v, word w at (4v + w) * 16, lane at +0/+8. */
  readonly state: Uint8Array;
  /** Doubles drawn ahead; `restAt` is the first not yet handed out (rest.length: none). */
  readonly rest: Float64Array;
  restAt: number;
  spare: number;
  hasSpare: boolean;
}

const MASK64 = (1n << 64n) - 1n;
/**
 * Doubles drawn ahead for `nextDouble` and for reads that end inside a group: 256 spread
 * the cost of a kernel call (~0.2 us) to under 1 ns a value, in 2 KB per stream.
 */
const AHEAD = 256;
const TWO_POW_MINUS_52 = 2 ** -52;

/** splitmix64's output function (Vigna), a bijection that scatters nearby inputs. */
function mix64(z: bigint): bigint {
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return z ^ (z >> 31n);
}

/**
 * The stream for chunk `stream` of an array made with `seed`.
 * @example const g = xoshiro(42, 0); nextDouble(g);
 */
export function xoshiro(seed: number, stream: number): Xoshiro {
  // splitmix64 from a start that mixes seed and stream, so neighbouring streams are unrelated.
  let x = mix64(mix64(BigInt(seed >>> 0) + 1n) ^ BigInt(stream));
  const state = new Uint8Array(STATE_BYTES);
  const view = new DataView(state.buffer);
  for (let lane = 0; lane < GROUP; lane++)
    for (let w = 0; w < 4; w++) {
      x = (x + 0x9e3779b97f4a7c15n) & MASK64;
      view.setBigUint64((4 * (lane >> 1) + w) * 16 + 8 * (lane & 1), mix64(x), true);
    }
  return { state, rest: new Float64Array(AHEAD), restAt: AHEAD, spare: 0, hasSpare: false };
}

/** Runs `call` on the stream's state placed in the kernels' memory, and keeps the new state. */
function withState<T>(g: Xoshiro, call: (k: RngKernels) => T): T {
  const k = rngKernels();
  k.bytes.set(g.state, STATE_AT);
  const out = call(k);
  g.state.set(k.bytes.subarray(STATE_AT, STATE_AT + STATE_BYTES));
  return out;
}

function refillRest(g: Xoshiro): void {
  withState(g, (k) => {
    k.fill(STATE_AT, AHEAD / GROUP, OUT_AT);
    g.rest.set(k.doubles.subarray(0, AHEAD));
  });
  g.restAt = 0;
}

/**
 * Writes the stream's next `n` doubles in [0, 1) into `out[0..n)`.
 * @example fillDoubles(xoshiro(1, 0), new Float64Array(10), 10)
 */
export function fillDoubles(g: Xoshiro, out: Float64Array, n: number): void {
  let i = 0;
  while (i < n && g.restAt < AHEAD) out[i++] = g.rest[g.restAt++]!;
  while (n - i >= GROUP) {
    const m = Math.min(TILE_CAPACITY, n - i - ((n - i) % GROUP));
    withState(g, (k) => {
      k.fill(STATE_AT, m / GROUP, OUT_AT);
      out.set(k.doubles.subarray(0, m), i);
    });
    i += m;
  }
  if (i === n) return;
  refillRest(g);
  while (i < n) out[i++] = g.rest[g.restAt++]!;
}

/** The sum of the stream's next `n` doubles, without storing them. */
export function sumDoubles(g: Xoshiro, n: number): number {
  let sum = 0;
  let i = 0;
  while (i < n && g.restAt < AHEAD) {
    sum += g.rest[g.restAt++]!;
    i++;
  }
  while (n - i >= GROUP) {
    const steps = Math.min(MAX_SUM_STEPS, Math.floor((n - i) / GROUP));
    // The kernel adds the 52-bit integers exactly; scaling by 2^-52 is exact too.
    sum += withState(g, (k) => k.sum(STATE_AT, steps)) * TWO_POW_MINUS_52;
    i += steps * GROUP;
  }
  if (i === n) return sum;
  refillRest(g);
  for (; i < n; i++) sum += g.rest[g.restAt++]!;
  return sum;
}

/** The stream's next double in [0, 1). */
export function nextDouble(g: Xoshiro): number {
  if (g.restAt === AHEAD) refillRest(g);
  return g.rest[g.restAt++]!;
}

/** Fills `out[0..n)` with `low + scale * u`, u uniform in [0, 1). */
export function fillUniform(g: Xoshiro, out: Float64Array, n: number, low: number, scale: number) {
  fillDoubles(g, out, n);
  if (low === 0 && scale === 1) return;
  for (let i = 0; i < n; i++) out[i] = low + scale * out[i]!;
}

/**
 * Fills `out[0..n)` with integers in [low, low + range): `floor(u * range)` of a 52-bit u
 * stays below `range` for any integer range below 2^53 (the product rounds to at most the
 * double below `range`), and is biased by less than range / 2^52.
 */
export function fillInteger(g: Xoshiro, out: Float64Array, n: number, low: number, range: number) {
  fillDoubles(g, out, n);
  for (let i = 0; i < n; i++) out[i] = low + Math.floor(out[i]! * range);
}

/** Uniforms for Box-Muller, drawn a tile at a time (ordinary memory: it never leaves the thread). */
const pairs = new Float64Array(TILE_CAPACITY);

/** Fills `out[0..n)` with normal deviates (Box-Muller; the second deviate of a pair is kept). */
export function fillNormal(g: Xoshiro, out: Float64Array, n: number, loc: number, scale: number) {
  let i = 0;
  if (n > 0 && g.hasSpare) {
    out[i++] = loc + scale * g.spare;
    g.hasSpare = false;
  }
  while (i < n) {
    const m = Math.min(pairs.length, 2 * Math.ceil((n - i) / 2));
    fillDoubles(g, pairs, m);
    for (let p = 0; p < m; p += 2, i += 2) {
      const r = Math.sqrt(-2 * Math.log(1 - pairs[p]!));
      const theta = 2 * Math.PI * pairs[p + 1]!;
      out[i] = loc + scale * r * Math.cos(theta);
      const z1 = r * Math.sin(theta);
      if (i + 1 < n) out[i + 1] = loc + scale * z1;
      else {
        g.spare = z1;
        g.hasSpare = true;
      }
    }
  }
}

/**
 * Sum of the next `n` values of `low + scale * u` without storing them: the reduction
 * path of `random(...).mean()`, at the speed of the generator itself.
 */
export function sumUniform(g: Xoshiro, n: number, low: number, scale: number): number {
  return n * low + scale * sumDoubles(g, n);
}
