/**
 * nlargest / nsmallest: a partition keeps at most n rows. One key compiles to a single
 * loop with a running threshold (a row costs one comparison unless it beats the current
 * n-th best); several keys screen rows by the first key against the n-th best's (one
 * comparison a row) and rank the rest with a comparator. Ties keep the earlier row
 * (pandas keep='first'), so combining partials in partition order is exact.
 */
import { mapPacked, type TypedArray } from '@dusk/core';
import * as A from 'apache-arrow';
import type { Schema } from '../dtypes.js';
import { type Expr, exprColumns } from '../expr.js';
import { encodeStrings, makeColumn, packBools, singleBatch, tableOf } from './arrow-build.js';
import { BLOCK_ROWS, badValue, bind, compile, runBlocksResuming, twinOf } from './batch.js';
import { evalOutputs, gen, runPipeline, selectRows } from './pipeline.js';
import type { PipelineSpec } from './spec.js';
import { LANES, skipUnless, unrolledLoop } from './unroll.js';

export interface TopSpec {
  readonly n: number;
  readonly by: readonly { expr: Expr; largest: boolean }[];
}

interface Heap {
  K: number;
  cnt: number;
  V: Float64Array;
  R: Int32Array;
}

function worse(h: Heap, a: number, b: number): boolean {
  return h.V[a]! < h.V[b]! || (h.V[a] === h.V[b] && h.R[a]! > h.R[b]!);
}
function swap(h: Heap, a: number, b: number): void {
  const v = h.V[a]!;
  h.V[a] = h.V[b]!;
  h.V[b] = v;
  const r = h.R[a]!;
  h.R[a] = h.R[b]!;
  h.R[b] = r;
}

/** Offers row `r` with score `v` to a min-heap of the best K; returns the new threshold. */
export function offer(h: Heap, v: number, r: number): number {
  if (h.cnt < h.K) {
    let i = h.cnt++;
    h.V[i] = v;
    h.R[i] = r;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!worse(h, i, p)) break;
      swap(h, i, p);
      i = p;
    }
  } else {
    h.V[0] = v;
    h.R[0] = r;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const rr = l + 1;
      let m = i;
      if (l < h.cnt && worse(h, l, m)) m = l;
      if (rr < h.cnt && worse(h, rr, m)) m = rr;
      if (m === i) break;
      swap(h, i, m);
      i = m;
    }
  }
  return h.V[0]!;
}

/**
 * Candidates a top-n loop collects before it hands them over. The loop itself makes no
 * calls: a row that beats the threshold is written to a small buffer, and the heap takes
 * the buffer between calls. With the heap's insert inlined into the loop (four times when
 * it was unrolled), V8 spent ~25 ms per worker optimizing it, longer than a partition's
 * work; this loop compiles in a fraction of that and runs as fast.
 */
const CANDIDATES = 256;

/**
 * The state a top-n loop reads. A class, not an object literal: made from a literal, the
 * first top-n step in each worker lost the loop's optimized code to a deopt on the
 * literal's maps ("code dependencies" in --trace-deopt) and compiled it twice more (once
 * on stack, ~4 ms each, on the worker's own thread). With a class, whose instances get a
 * map of their own, it compiles once (traced on the notebook's top-5 step, sync and
 * threads).
 */
class TopState {
  /** Row (in the batch) and score of each candidate. */
  readonly ci = new Int32Array(CANDIDATES);
  readonly cs = new Float64Array(CANDIDATES);
  /**
   * [the score a row must beat]: the heap's worst once it is full, -Infinity before. Rows
   * scoring -Infinity never beat it; `topRows`' second pass takes them if the heap is still
   * short.
   */
  readonly th = Float64Array.of(-Infinity);
  /** Where the loop stopped (see runBlocksResuming's `resume`). */
  readonly stop = new Int32Array(1);
}

/**
 * The state the last top-n on this thread used, for the next one: four typed arrays made
 * per partition cost ~5 us each time (their backing stores live outside V8's heap). Taken
 * while in use, so a top-n started inside another (a `map` function computing one) makes
 * its own.
 */
let spareState: TopState | null = null;

function takeState(): TopState {
  const T = spareState ?? new TopState();
  spareState = null;
  T.th[0] = -Infinity;
  T.stop[0] = 0;
  return T;
}

/**
 * The one-key top-n loop over a batch. `lowest` false: rows whose score beats the threshold
 * (one comparison a row; a second, for -Infinity, cost the loop ~7%). `lowest` true: rows
 * scoring -Infinity, for `topRows`' second pass. With `ragged` false the loop takes whole
 * groups of LANES rows and its ragged twin a batch's last few (see `unrolledLoop`): the
 * per-lane end tests cost the loop ~9% (nlargest(5) over 50M rows, sync: 80 -> 71 ms).
 */
function topLoop(
  batch: A.RecordBatch,
  filter: Expr | null,
  key: TopKey,
  lowest: boolean,
  ragged: boolean,
) {
  const cols = exprColumns(key.expr);
  if (filter) exprColumns(filter, cols);
  const { key: kk, g } = gen(batch, cols);
  const id = `top1|${lowest}|${ragged}|${JSON.stringify([filter, key])}|${kk}`;
  return compile(id, g, () => {
    if (filter) skipUnless(g.body, g.expr(filter));
    const v = g.expr(key.expr);
    const score = key.largest ? v.v : `(-${v.v})`;
    // NaN never counts (no comparison with it holds), so only nulls need a test, and only
    // for candidates.
    const keep = `CI[nc] = i; CS[nc] = s_; nc++;`;
    const take = v.ok === null ? keep : `if (${v.ok}) { ${keep} }`;
    const test = lowest ? 's_ === -Infinity' : 's_ > th';
    // A group of rows stops the loop when the buffer may not hold all its candidates.
    const lane = () => `{ const s_ = ${score}; if (${test}) { ${take} } }`;
    return {
      code: [
        `const CI = S.ci, CS = S.cs, FULL = CI.length - ${LANES}, th = S.th[0];`,
        'let nc = 0, stop = n;',
        unrolledLoop(g.body, lane, 'if (nc > FULL) { stop = i_; break; }', ragged),
        'S.stop[0] = stop;',
        'return nc;',
      ].join('\n'),
    };
  });
}

interface TopKey {
  expr: Expr;
  largest: boolean;
}

function topOneKey(
  batch: A.RecordBatch,
  filter: Expr | null,
  key: TopKey,
  h: Heap,
  T: TopState,
  partition: number,
  base: number,
  lowest = false,
): void {
  const c = topLoop(batch, filter, key, lowest, false);
  const tail = () => twinOf(c, () => topLoop(batch, filter, key, lowest, true));
  const take = (count: number) => {
    for (let k = 0; k < count; k++) {
      const s = T.cs[k]!;
      // Strictly better than the worst kept: on a tie the earlier row stays.
      if (h.cnt < h.K || s > h.V[0]!) offer(h, s, base + T.ci[k]!);
    }
    if (h.cnt >= h.K) T.th[0] = h.V[0]!;
  };
  runBlocksResuming(c, bind(c, batch), badValue(c, partition, base), T, take, tail);
}

/**
 * Rows (partition positions, in best-first order) of the top n by several keys. The first
 * key screens every row with one comparison: once n rows are kept, a row whose first key
 * scores below the worst kept one's cannot enter, and only rows that tie it or beat it go
 * through the full comparison (a comparator called on every row made a 50M-row top 5 by
 * two keys take 3.5-5.4 s against 78 ms by one).
 */
function topManyKeys(
  table: A.Table,
  filter: Expr | null,
  spec: TopSpec,
  partition: number,
): Ranked {
  if (spec.n === 0)
    return { rows: new Int32Array(0), scores: spec.by.map(() => new Float64Array(0)) };
  const keys = keyScores(table, spec, partition);
  const signs = spec.by.map((b) => (b.largest ? 1 : -1));
  const top = new ManyKeyTop(spec.n, keys, signs);
  const rows = filter ? selectAll(table, filter, partition) : null;
  const n = rows ? rows.length : table.numRows;
  // In blocks, as generated loops run (see BLOCK_ROWS): one call per partition ran in
  // on-stack-replaced code 5x slower.
  for (let lo = 0; lo < n; lo += BLOCK_ROWS) {
    screen(top, keys[0]!, signs[0]!, rows, lo, Math.min(n, lo + BLOCK_ROWS));
  }
  const best = top.best.slice(0, top.count);
  return {
    rows: best,
    scores: keys.map((key, k) => Float64Array.from(best, (r) => key[r]! * signs[k]!)),
  };
}

/**
 * Offers rows `[lo, hi)` (of the partition, or of the filter's `rows`) whose first key
 * reaches the floor. NaN (a null key) never does; rows whose other keys are NaN drop in
 * `offer`.
 */
function screen(
  top: ManyKeyTop,
  first: ArrayLike<number>,
  sign: number,
  rows: Int32Array | null,
  lo: number,
  hi: number,
): void {
  let floor = top.floor;
  for (let j = lo; j < hi; j++) {
    const r = rows === null ? j : rows[j]!;
    if (first[r]! * sign >= floor) {
      top.offer(r);
      floor = top.floor;
    }
  }
}

/**
 * Each key's values by partition row: a number column without nulls read in place (no
 * copy), anything else evaluated to float64 with NaN for nulls. Building two float64
 * columns per partition took as long as ranking its rows.
 */
function keyScores(table: A.Table, spec: TopSpec, partition: number): ArrayLike<number>[] {
  const direct = spec.by.map((b) => {
    if (b.expr.op !== 'col' || table.batches.length !== 1) return null;
    const column = table.getChild(b.expr.name);
    const t = column?.type;
    if (!column || column.nullCount > 0 || !t) return null;
    const plain = A.DataType.isFloat(t) || (A.DataType.isInt(t) && t.bitWidth <= 32);
    return plain ? (column.toArray() as ArrayLike<number>) : null;
  });
  // Only the keys not read in place are evaluated.
  const outputs = spec.by.flatMap((b, k) =>
    direct[k]
      ? []
      : [
          {
            name: `k${k}`,
            expr: {
              op: 'fillna',
              args: [
                { op: 'cast', args: [b.expr], dtype: 'float64' },
                { op: 'lit', value: Number.NaN },
              ],
            } as Expr,
            dtype: 'float64' as const,
          },
        ],
  );
  if (outputs.length === 0) return direct as ArrayLike<number>[];
  const keyTable = runPipeline(table, { filter: null, outputs }, partition);
  return direct.map((d, k) => d ?? (keyTable.getChild(`k${k}`)!.toArray() as Float64Array));
}

/** The best `n` rows by several keys (each scored `key * sign`, larger is better). */
class ManyKeyTop {
  readonly best: Int32Array;
  count = 0;
  /**
   * The first key's score of the worst row kept once n are (-Infinity before): a row
   * scoring less cannot enter, one scoring the same or more may.
   */
  floor = -Infinity;
  private readonly first: ArrayLike<number>;
  private readonly sign0: number;

  constructor(
    private readonly n: number,
    private readonly keys: readonly ArrayLike<number>[],
    private readonly signs: readonly number[],
  ) {
    this.best = new Int32Array(n);
    this.first = keys[0]!;
    this.sign0 = signs[0]!;
  }

  /** Ranks row `r` among those kept (a row with a NaN key is dropped). */
  offer(r: number): void {
    const { keys, best, n } = this;
    for (let k = 1; k < keys.length; k++) if (Number.isNaN(keys[k]![r]!)) return;
    if (this.count === n && !this.better(r, best[n - 1]!)) return;
    let i = this.count < n ? this.count++ : n - 1;
    while (i > 0 && this.better(r, best[i - 1]!)) {
      best[i] = best[i - 1]!;
      i--;
    }
    best[i] = r;
    if (this.count === n) this.floor = this.first[best[n - 1]!]! * this.sign0;
  }

  /** Whether row `a` ranks before row `b` (all keys equal: the earlier row). */
  private better(a: number, b: number): boolean {
    const { keys, signs } = this;
    for (let k = 0; k < keys.length; k++) {
      const x = keys[k]![a]! * signs[k]!;
      const y = keys[k]![b]! * signs[k]!;
      if (x !== y) return x > y;
    }
    return a < b;
  }
}

function selectAll(table: A.Table, filter: Expr, partition: number): Int32Array {
  const parts: Int32Array[] = [];
  let base = 0;
  for (const batch of table.batches) {
    const sel = selectRows(batch, filter, partition, base);
    parts.push(sel.map((i) => i + base));
    base += batch.numRows;
  }
  const out = new Int32Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** The best rows of a partition (positions), best first, and each key's score of them. */
interface Ranked {
  rows: Int32Array;
  /** Per key: the row's value times 1 (largest) or -1 (smallest), so larger ranks first. */
  scores: Float64Array[];
}

/** The best rows of a partition, best first. */
function topRows(table: A.Table, filter: Expr | null, spec: TopSpec, partition = 0): Ranked {
  if (spec.by.length > 1) return topManyKeys(table, filter, spec, partition);
  const h: Heap = { K: spec.n, cnt: 0, V: new Float64Array(spec.n), R: new Int32Array(spec.n) };
  const T = takeState();
  if (spec.n > 0) {
    const run = (lowest: boolean) => {
      let base = 0;
      for (const batch of table.batches) {
        if (lowest && h.cnt >= h.K) break;
        topOneKey(batch, filter, spec.by[0]!, h, T, partition, base, lowest);
        base += batch.numRows;
      }
    };
    run(false);
    // Fewer than n rows beat -Infinity: the earliest rows scoring -Infinity fill the rest
    // (they tie with each other and rank below every other row).
    if (h.cnt < h.K) run(true);
  }
  spareState = T;
  const order = Array.from({ length: h.cnt }, (_, i) => i).sort(
    (a, b) => h.V[b]! - h.V[a]! || h.R[a]! - h.R[b]!,
  );
  return {
    rows: Int32Array.from(order, (i) => h.R[i]!),
    scores: [Float64Array.from(order, (i) => h.V[i]!)],
  };
}

/**
 * A top-n partial: the rows kept, best first, as plain typed columns with their scores.
 * Partials stay out of Arrow until the last step: building a five-row Arrow table per
 * partition and again per combine step (then moving it between threads through the
 * table codec, and concatenating the inputs of each step) cost more per partition than
 * anything but the loop, in code V8 kept compiling on each worker for dozens of computes.
 */
export interface TopPartial {
  /** Rows kept (columns in the pipeline's output order; the finish step has their schema). */
  readonly length: number;
  /**
   * Per column: numbers in their dtype's typed array, booleans a byte (0 or 1) per row,
   * strings as strings (null for a null row): a partition's dictionary may be large, and
   * the rows use a few of its strings.
   */
  readonly values: (TypedArray | (string | null)[])[];
  /** Per column but strings: a byte per row, 0 where the row is null; null when no row is. */
  readonly valid: (Uint8Array | null)[];
  /** Per key: the rows' scores, larger first (see `Ranked`). */
  readonly scores: Float64Array[];
}

/** The top rows of a partition as a partial of the pipeline's outputs. */
export function topPartial(
  table: A.Table,
  pipeline: PipelineSpec,
  spec: TopSpec,
  partition = 0,
): TopPartial {
  const { rows, scores } = topRows(table, pipeline.filter, spec, partition);
  const outputs = pipeline.outputs;
  const m = rows.length;
  if (outputs.length === 0) return { length: m, values: [], valid: [], scores };
  const raw = evalOutputs(singleBatch(table), outputs, rows, partition, 0);
  const values: TopPartial['values'] = [];
  const valid: (Uint8Array | null)[] = [];
  for (let k = 0; k < outputs.length; k++) {
    const bits = raw.valid[k] ?? null;
    const ok = bits && unpackBits(bits, m);
    const kind = raw.kinds[k]!;
    const out = raw.out[k]!;
    if (kind === 'str' || kind === 'dict') {
      const dict = raw.dictionaries[k];
      const at = (j: number) => (dict ? dict[(out as Int32Array)[j]!]! : String(out[j]));
      values.push(Array.from({ length: m }, (_, j) => (ok && ok[j] === 0 ? null : at(j))));
      valid.push(null);
    } else {
      values.push(
        outputs[k]!.dtype === 'bool' ? unpackBits(out as Uint8Array, m) : (out as TypedArray),
      );
      valid.push(ok);
    }
  }
  return { length: m, values, valid, scores };
}

/** A byte per bit of a bitmap's first `m` bits. */
function unpackBits(bits: Uint8Array, m: number): Uint8Array {
  const out = new Uint8Array(m);
  for (let j = 0; j < m; j++) out[j] = (bits[j >> 3]! >> (j & 7)) & 1;
  return out;
}

/**
 * The best `n` rows of partials in partition order: ranked by score, key by key, ties to
 * the earlier row (each partial is best first and earlier partials hold earlier rows, so
 * a stable order over their concatenation is the order over all of their rows).
 */
export function combineTop(parts: readonly TopPartial[], n: number): TopPartial {
  const first = parts[0]!;
  const total = parts.reduce((a, p) => a + p.length, 0);
  const keys = first.scores.length;
  const scores = Array.from({ length: keys }, () => new Float64Array(total));
  const from = new Int32Array(total);
  const at = new Int32Array(total);
  let o = 0;
  parts.forEach((p, i) => {
    for (let k = 0; k < keys; k++) scores[k]!.set(p.scores[k]!, o);
    from.fill(i, o, o + p.length);
    for (let j = 0; j < p.length; j++) at[o + j] = j;
    o += p.length;
  });
  const order = Array.from({ length: total }, (_, i) => i).sort((a, b) => {
    for (let k = 0; k < keys; k++) {
      const x = scores[k]![a]!;
      const y = scores[k]![b]!;
      // Not a difference: two equal infinities would make NaN.
      if (x !== y) return x > y ? -1 : 1;
    }
    return a - b;
  });
  const take = order.slice(0, Math.min(n, total));
  const m = take.length;
  // Where each row kept comes from: its partial, and its row there.
  const src = take.map((t) => parts[from[t]!]!);
  const row = Int32Array.from(take, (t) => at[t]!);
  const values: TopPartial['values'] = [];
  const valid: (Uint8Array | null)[] = [];
  for (let k = 0; k < first.values.length; k++) {
    const ok = parts.some((p) => p.valid[k]) ? new Uint8Array(m) : null;
    if (ok) for (let j = 0; j < m; j++) ok[j] = src[j]!.valid[k]?.[row[j]!] ?? 1;
    valid.push(ok);
    const like = first.values[k]!;
    const col = Array.isArray(like)
      ? new Array<string | null>(m)
      : new (like.constructor as new (n: number) => TypedArray)(m);
    for (let j = 0; j < m; j++) (col as any)[j] = src[j]!.values[k]![row[j]!];
    values.push(col);
  }
  return {
    length: m,
    values,
    valid,
    scores: scores.map((s) => Float64Array.from(take, (t) => s[t]!)),
  };
}

/** Bit-packs a byte per row (non-zero: set). */
const bitsOf = (bytes: Uint8Array) => packBools(bytes).values as Uint8Array;

/** A partial as the one-batch Arrow table of the result, whose columns `schema` gives. */
export function topTable(p: TopPartial, schema: Schema): A.Table {
  const columns = mapPacked(schema, ({ dtype }, k) => {
    const values = p.values[k]!;
    if (Array.isArray(values)) return makeColumn(encodeStrings(values));
    const ok = p.valid[k];
    return makeColumn({
      dtype,
      length: p.length,
      values: dtype === 'bool' ? bitsOf(values as Uint8Array) : values,
      validity: ok ? bitsOf(ok) : null,
    });
  });
  return tableOf(
    mapPacked(schema, (f) => f.name),
    columns,
    p.length,
  );
}
