/**
 * Unrolled row loops for generated kernels: rows go through in groups of `LANES`, row `i`
 * always in lane `i % LANES`, so a reduction can keep one accumulator per lane. A single
 * float accumulator makes each row wait for the previous add (about 4 cycles), which caps a
 * plain loop at about half the speed memory could feed it; independent lanes overlap, and
 * the loop test and bounds bookkeeping are paid once per group instead of once per row.
 * The lane of a row depends only on its position in the batch, so the summation order (and
 * every float result) is the same on every scheduler.
 */

/** Rows per group (a power of two): four independent adds in flight cover the ~4-cycle latency of one. */
export const LANES = 4;

/** The statement that skips the rest of a row in a generated body (a filter or a null key). */
export const SKIP_ROW = 'continue;';

/** Pushes the statement skipping rows that `cond` (a 0/1 expression and its validity) rejects. */
export function skipUnless(body: string[], cond: { v: string; ok: string | null }): void {
  body.push(`if (!(${cond.ok === null ? cond.v : `${cond.ok} & ${cond.v}`})) ${SKIP_ROW}`);
}

/** One lane: the row body in a labelled block where skipping a row leaves the block. */
function laneBlock(body: readonly string[], tail: string, row: string, k: number): string {
  const label = `lane${k}_`;
  const lines = body.map((l) => l.replaceAll(SKIP_ROW, `break ${label};`));
  return `${label}: { const i = ${row}; ${lines.join(' ')} ${tail} }`;
}

/**
 * A loop over rows `[lo, n)`: `body` (lines that read row `i`, may skip it with `SKIP_ROW`)
 * then `lane(k)` (the statements for lane k), unrolled `LANES` times; `lo` is a multiple of
 * `LANES`. Rows past `n` in the last group are skipped by a test on each lane rather than
 * by a separate tail loop: code that only runs on a batch's last few rows would have no
 * type feedback when V8 optimizes the loop, and reaching it would deoptimize the loop.
 * With `ragged` false there are no such tests (15-20% faster on a groupby-sum): the caller
 * guarantees `n - lo` is a multiple of `LANES` and runs a ragged end with a separate,
 * ragged loop (`runBlocks`' `tail`), so the fast loop's type feedback stays whole.
 * Each row's statements run in row order, so order-sensitive work (ties) stays exact.
 * `groupHead` runs before each group (it may `break` out of the loop).
 */
export function unrolledLoop(
  body: readonly string[],
  lane: (k: number) => string,
  groupHead = '',
  ragged = true,
): string {
  const group: string[] = groupHead ? [groupHead] : [];
  for (let k = 0; k < LANES; k++) {
    const block = laneBlock(body, lane(k), k === 0 ? 'i_' : `i_ + ${k}`, k);
    group.push(k === 0 || !ragged ? block : `if (i_ + ${k} < n) ${block}`);
  }
  return [`for (let i_ = lo; i_ < n; i_ += ${LANES}) {`, ...group, '}'].join('\n');
}

/** Names of one accumulator per lane: `sum0, sum1, ...`. */
export function laneNames(name: string): string[] {
  return Array.from({ length: LANES }, (_, k) => `${name}${k}`);
}

/**
 * Lane accumulators kept between blocks in `LN_` (a Float64Array in the loop state, slots
 * `[at, at + LANES)`), so how a batch is cut into blocks never changes a result: loads them.
 */
export function loadLanes(name: string, at: number): string {
  return `let ${laneNames(name)
    .map((v, k) => `${v} = LN_[${at + k}]`)
    .join(', ')};`;
}

/** Stores lane accumulators back into `LN_` (see `loadLanes`). */
export function storeLanes(name: string, at: number): string {
  return laneNames(name)
    .map((v, k) => `LN_[${at + k}] = ${v};`)
    .join(' ');
}

/**
 * Per-lane state arrays folded into one: `lanes` holds `LANES` copies of `G` slots, lane k
 * at `[k * G, (k + 1) * G)`, added pairwise in a fixed order: `(l0 + l1) + (l2 + l3)`.
 */
export function foldLaneArray(lanes: Float64Array, G: number): Float64Array {
  let level: Float64Array[] = [];
  for (let k = 0; k < LANES; k++) level.push(lanes.subarray(k * G, (k + 1) * G));
  while (level.length > 1) {
    const next: Float64Array[] = [];
    for (let j = 0; j < level.length; j += 2) {
      const a = level[j]!;
      const b = level[j + 1]!;
      const sum = new Float64Array(G);
      for (let g = 0; g < G; g++) sum[g] = a[g]! + b[g]!;
      next.push(sum);
    }
    level = next;
  }
  return level[0]!.slice();
}
