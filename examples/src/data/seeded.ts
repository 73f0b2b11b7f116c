/**
 * A small seeded generator for example input files (text corpora, rating logs), so a test
 * can write the same files again and count them independently. Mulberry32: tiny and good
 * enough for picking words; the numeric data of the notebooks comes from @dusk/array.
 */

/** A function returning doubles in [0, 1) from `seed`, the same sequence every time. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Picks an index with probability proportional to `weights` (cumulative table built once).
 * @example const pick = weightedPicker([1, 3]); pick(rand) // 1 three times in four
 */
export function weightedPicker(weights: readonly number[]): (random: () => number) => number {
  const cumulative = new Float64Array(weights.length);
  let total = 0;
  weights.forEach((w, i) => {
    total += w;
    cumulative[i] = total;
  });
  return (random) => {
    const r = random() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > r) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
}
