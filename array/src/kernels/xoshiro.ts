/**
 * xoshiro128** (Blackman and Vigna): a small, fast, seedable generator. Each chunk of a
 * random array gets its own stream from (seed, chunk index), so the numbers do not depend
 * on the scheduler, the worker count or the order chunks run in. Two 32-bit draws make one
 * 53-bit double, like NumPy's `random()`.
 */

/** Generator state: four 32-bit words, plus a spare normal deviate from Box-Muller. */
export interface Xoshiro {
  s0: number;
  s1: number;
  s2: number;
  s3: number;
  spare: number;
  hasSpare: boolean;
}

function splitmix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * The stream for chunk `stream` of an array made with `seed`.
 * @example const g = xoshiro(42, 0); nextDouble(g);
 */
export function xoshiro(seed: number, stream: number): Xoshiro {
  // Mix seed and stream through splitmix so neighbouring streams are unrelated.
  let x = splitmix32((seed >>> 0) ^ splitmix32(stream >>> 0));
  x ^= Math.floor(stream / 4294967296) >>> 0;
  const s0 = splitmix32(x);
  const s1 = splitmix32(s0 ^ 0x6a09e667);
  const s2 = splitmix32(s1 ^ 0xbb67ae85);
  const s3 = splitmix32(s2 ^ 0x3c6ef372);
  return { s0, s1: s1 | 1, s2, s3, spare: 0, hasSpare: false };
}

/** The next 32-bit unsigned draw. */
export function nextUint32(g: Xoshiro): number {
  const s1 = g.s1;
  const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
  const t = s1 << 9;
  g.s2 ^= g.s0;
  g.s3 ^= s1;
  g.s1 ^= g.s2;
  g.s0 ^= g.s3;
  g.s2 ^= t;
  g.s3 = rotl(g.s3, 11);
  return r >>> 0;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

const TWO_POW_26 = 67108864;
const TWO_POW_53 = 9007199254740992;

/** The next double in [0, 1). */
export function nextDouble(g: Xoshiro): number {
  const a = nextUint32(g) >>> 5;
  const b = nextUint32(g) >>> 6;
  return (a * TWO_POW_26 + b) / TWO_POW_53;
}

/**
 * Fills `out[0..n)` with `low + scale * u`, u uniform in [0, 1). The state is kept in
 * locals for the loop: this is the hot path of every random array.
 */
export function fillUniform(g: Xoshiro, out: Float64Array, n: number, low: number, scale: number) {
  let s0 = g.s0;
  let s1 = g.s1;
  let s2 = g.s2;
  let s3 = g.s3;
  const k = scale / TWO_POW_53;
  for (let i = 0; i < n; i++) {
    let r = Math.imul((Math.imul(s1, 5) << 7) | (Math.imul(s1, 5) >>> 25), 9) >>> 5;
    let t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    const a = r;
    r = Math.imul((Math.imul(s1, 5) << 7) | (Math.imul(s1, 5) >>> 25), 9) >>> 6;
    t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    out[i] = low + (a * TWO_POW_26 + r) * k;
  }
  g.s0 = s0;
  g.s1 = s1;
  g.s2 = s2;
  g.s3 = s3;
}

/** Fills `out[0..n)` with integers in [low, low + range), one 32-bit draw each when range fits. */
export function fillInteger(g: Xoshiro, out: Float64Array, n: number, low: number, range: number) {
  if (range <= 4294967296) {
    const k = range / 4294967296;
    for (let i = 0; i < n; i++) out[i] = low + Math.floor(nextUint32(g) * k);
    return;
  }
  for (let i = 0; i < n; i++) out[i] = low + Math.floor(nextDouble(g) * range);
}

/** Fills `out[0..n)` with normal deviates (Box-Muller; the second deviate of a pair is kept). */
export function fillNormal(g: Xoshiro, out: Float64Array, n: number, loc: number, scale: number) {
  let i = 0;
  if (n > 0 && g.hasSpare) {
    out[i++] = loc + scale * g.spare;
    g.hasSpare = false;
  }
  for (; i < n; i += 2) {
    const u1 = 1 - nextDouble(g);
    const u2 = nextDouble(g);
    const r = Math.sqrt(-2 * Math.log(u1));
    const z0 = r * Math.cos(2 * Math.PI * u2);
    const z1 = r * Math.sin(2 * Math.PI * u2);
    out[i] = loc + scale * z0;
    if (i + 1 < n) out[i + 1] = loc + scale * z1;
    else {
      g.spare = z1;
      g.hasSpare = true;
    }
  }
}

/**
 * Sum of the next `n` values of `low + scale * u` without storing them: generation and
 * addition overlap in one loop, which makes a reduction over a random array as fast as a
 * hand-written loop. Callers keep `n` small (a tile) and add the results with compensation.
 * The generator step is spelled out here and in fillUniform on purpose: the four state
 * words stay in registers only as locals of the loop itself, not behind a state object.
 */
export function sumUniform(g: Xoshiro, n: number, low: number, scale: number): number {
  let s0 = g.s0;
  let s1 = g.s1;
  let s2 = g.s2;
  let s3 = g.s3;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    let r = Math.imul((Math.imul(s1, 5) << 7) | (Math.imul(s1, 5) >>> 25), 9) >>> 5;
    let t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    const a = r;
    r = Math.imul((Math.imul(s1, 5) << 7) | (Math.imul(s1, 5) >>> 25), 9) >>> 6;
    t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    sum += (a * TWO_POW_26 + r) / TWO_POW_53;
  }
  g.s0 = s0;
  g.s1 = s1;
  g.s2 = s2;
  g.s3 = s3;
  return n * low + scale * sum;
}
