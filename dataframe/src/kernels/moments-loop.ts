/**
 * The generated accumulation loop of a scalar reduction (count, sum, min, max, and
 * Welford's mean/M2 for var/std) over the rows of a batch. Sums, counts and extremes keep
 * one accumulator per lane of an unrolled loop (see unroll.ts); Welford's update depends
 * on the previous row and stays a plain loop.
 */
import type { Val } from './codegen.js';
import { foldLaneArray, LANES, laneNames, loadLanes, storeLanes, unrolledLoop } from './unroll.js';

/** Which accumulators the loop keeps; others stay at their start values. */
export interface Need {
  sum: boolean;
  min: boolean;
  max: boolean;
  m2: boolean;
  counts: boolean;
  count: boolean;
}

/**
 * Whether the loop keeps one extreme only, min or max, of numbers: it is then the same loop
 * for both, the maximum of `S.sign * value` (the state's sign -1 for a minimum), so a min
 * after a max of one column type (or the other way round) calls a loop V8 has compiled
 * already (see `compile` in batch.ts). Negating is exact and NaN still never wins a
 * comparison, and an equal value never replaces the one kept, in either loop: signed zeros
 * and infinities come out as the plain min loop gave them (tests pin them).
 * Moments loops only see numbers (booleans as 0/1; strings go to value counts).
 */
export function signedExtreme(need: Need): boolean {
  return need.min !== need.max && !need.sum && !need.count && !need.m2 && !need.counts;
}

/** The line a body gets after its filter, counting rows that reached the accumulation. */
export const SEEN = 'seen++;';

/** A JS condition true when the value is present and not NaN ('' when it always is). */
function goodTest(v: Val): string {
  return [v.ok, v.nan ? `${v.v} === ${v.v}` : null].filter((x) => x !== null).join(' && ');
}

/**
 * The statements of lane k. `ok` names a 0/1 test of the row's value (null: every row
 * counts); a NaN never wins a comparison, so min/max only test `ok` for nulls.
 */
function laneStatements(k: number, v: Val, need: Need, ok: string | null, okNull: string): string {
  const out: string[] = [];
  if (signedExtreme(need)) {
    // The one extreme asked for, as the maximum of the value times the state's sign.
    const okTest = ok !== null ? 'ok_ && ' : okNull;
    if (ok !== null) out.push(`const ok_ = ${ok};`);
    out.push(`const e_ = SG_ * ${v.v};`, `mx${k} = ${okTest}e_ > mx${k} ? e_ : mx${k};`);
    return out.join(' ');
  }
  if (ok !== null) {
    out.push(`const ok_ = ${ok};`);
    if (need.count || need.sum) out.push('bad += ok_ ? 0 : 1;');
  }
  // A sum is also kept when only the count is needed and values may be NaN: a NaN sum is
  // how the fast loop notices that it must run again counting NaNs.
  if (need.sum || (need.count && ok === null && v.nan))
    out.push(ok === null ? `s${k} += ${v.v};` : `s${k} += ok_ ? ${v.v} : 0;`);
  const okTest = ok !== null ? 'ok_ && ' : okNull;
  if (need.min) out.push(`mn${k} = ${okTest}${v.v} < mn${k} ? ${v.v} : mn${k};`);
  if (need.max) out.push(`mx${k} = ${okTest}${v.v} > mx${k} ? ${v.v} : mx${k};`);
  return out.join(' ');
}

/** Where each kind of lane accumulator sits in the state's `lanes` array, and its start. */
const LANE_SLOTS = { s: [0, 0], mn: [LANES, Infinity], mx: [2 * LANES, -Infinity] } as const;
type LaneKind = keyof typeof LANE_SLOTS;

/** The lane state of a batch: sums, minima and maxima per lane, at their start values. */
export function newLanes(): Float64Array {
  const lanes = new Float64Array(3 * LANES);
  for (const [at, init] of Object.values(LANE_SLOTS)) lanes.fill(init, at, at + LANES);
  return lanes;
}

/** The lane accumulators a loop keeps. */
function lanesOf(v: Val, need: Need): LaneKind[] {
  if (signedExtreme(need)) return ['mx'];
  const out: LaneKind[] = [];
  if (need.sum || (need.count && v.nan)) out.push('s');
  if (need.min) out.push('mn');
  if (need.max) out.push('mx');
  return out;
}

const load = (kinds: LaneKind[]) => kinds.map((k) => loadLanes(k, LANE_SLOTS[k][0]));
const store = (kinds: LaneKind[]) => kinds.map((k) => storeLanes(k, LANE_SLOTS[k][0]));

/**
 * Sum, count, min and max with one accumulator per lane, kept in `S.lanes` between calls;
 * without `ragged`, for whole groups of rows only (see `unrolledLoop`).
 */
function lanesLoop(body: string[], v: Val, need: Need, ragged: boolean): string[] {
  const good = goodTest(v);
  const okNull = v.ok ? `${v.ok} && ` : '';
  const kinds = lanesOf(v, need);
  const signed = signedExtreme(need);
  const lines = ['const LN_ = S.lanes;', ...load(kinds), 'let bad = 0, seen = 0;'];
  if (signed) lines.push('const SG_ = S.sign;');
  const extremesOnly = !need.count && !need.sum;
  if (good === '' || extremesOnly) {
    lines.push(unrolledLoop(body, (k) => laneStatements(k, v, need, null, okNull), '', ragged));
  } else if (v.ok === null) {
    // Only NaN can make a value bad: sum without testing, and run the block again counting
    // NaNs only when the sum came out NaN (NaN spreads through a sum).
    lines.push(unrolledLoop(body, (k) => laneStatements(k, v, need, null, ''), '', ragged));
    lines.push(
      `if (!(${laneNames('s').join(' + ')} === ${laneNames('s').join(' + ')})) {`,
      ...kinds.flatMap((k) => laneNames(k).map((x, j) => `${x} = LN_[${LANE_SLOTS[k][0] + j}];`)),
      'bad = 0; seen = 0;',
      unrolledLoop(body, (k) => laneStatements(k, v, need, good, ''), '', ragged),
      '}',
    );
  } else {
    lines.push(unrolledLoop(body, (k) => laneStatements(k, v, need, good, ''), '', ragged));
  }
  lines.push(...store(kinds));
  if (extremesOnly && (need.min || need.max) && good !== '') {
    // Whether any value was valid is recounted only when the result looks empty so far.
    const again = body.filter((l) => l !== SEEN);
    const empty = [
      ...(need.min && !signed ? laneNames('mn').map((x) => `${x} === Infinity`) : []),
      ...(need.max || signed ? laneNames('mx').map((x) => `${x} === -Infinity`) : []),
    ].join(' && ');
    lines.push(
      `if (${empty}) {`,
      'for (let i = lo; i < n; i++) {',
      ...again,
      `bad += (${good}) ? 0 : 1;`,
      '}',
      '}',
    );
  }
  return lines;
}

/**
 * The running state of a moments loop. Numbers live in typed arrays, not object fields:
 * a field that starts as the integer 0 and later holds a double changes the object's
 * hidden class, and the compiled loop then deoptimized on every call ("wrong map").
 */
export interface MomentState {
  /** rows, count, sum, min, max, mean, M2 (slots named by `ACC`). */
  acc: Float64Array;
  /** Per-lane sums, minima and maxima of the current batch (see `LANE_SLOTS`). */
  lanes: Float64Array;
  /**
   * 1, or -1 for a loop keeping a minimum alone (`signedExtreme`): its `max` slots then
   * hold the maximum of the negated values, which `stateExtremes` turns back.
   */
  sign: number;
}

/** Slots of `MomentState.acc`. */
export const ACC = { rows: 0, n: 1, sum: 2, min: 3, max: 4, mean: 5, m2: 6 } as const;

/**
 * A class, not an object literal: a literal's hidden class is shared with every other
 * object in the process whose properties start the same way, and one holding something
 * else in `acc` generalized the field's type and deoptimized the compiled loops (one
 * "code dependencies" deoptimization per process in V8's trace, now none).
 */
class MomentStateObject implements MomentState {
  constructor(
    readonly acc: Float64Array,
    readonly lanes: Float64Array,
    readonly sign: number,
  ) {}
}

/** A fresh state for a loop keeping `need` (a minimum alone: a signed loop of sign -1). */
export function newMomentState(need?: Need): MomentState {
  const minOnly = need !== undefined && signedExtreme(need) && need.min;
  const acc = new Float64Array(7);
  acc[ACC.min] = Infinity;
  acc[ACC.max] = -Infinity;
  return new MomentStateObject(acc, newLanes(), minOnly ? -1 : 1);
}

/** The minimum and maximum a state holds (a signed loop's minimum turned back). */
export function stateExtremes(S: MomentState): { min: number; max: number } {
  const a = S.acc;
  return S.sign < 0
    ? { min: -a[ACC.max]!, max: -Infinity }
    : { min: a[ACC.min]!, max: a[ACC.max]! };
}

/** Adds a batch's lanes into the running state (pairwise, in a fixed order) and resets them. */
export function foldMomentLanes(S: MomentState): void {
  const { acc, lanes } = S;
  acc[ACC.sum]! += foldLaneArray(lanes.subarray(0, LANES), 1)[0]!;
  for (let k = 0; k < LANES; k++) {
    const mn = lanes[LANES + k]!;
    const mx = lanes[2 * LANES + k]!;
    if (mn < acc[ACC.min]!) acc[ACC.min] = mn;
    if (mx > acc[ACC.max]!) acc[ACC.max] = mx;
  }
  lanes.set(newLanes());
}

/** Welford's running mean and M2 (with sum, min and max when asked), one row after another. */
function welfordLoop(body: string[], v: Val, need: Need): string[] {
  const good = goodTest(v);
  return [
    'let bad = 0, seen = 0;',
    'for (let i = lo; i < n; i++) {',
    ...body,
    `if (${good || 'true'}) { cnt++; const d_ = ${v.v} - mu; mu += d_ / cnt; m2 += d_ * (${v.v} - mu);`,
    need.sum ? `sum += ${v.v};` : '',
    need.min ? `mn = ${v.v} < mn ? ${v.v} : mn;` : '',
    need.max ? `mx = ${v.v} > mx ? ${v.v} : mx;` : '',
    '} else bad++;',
    '}',
  ];
}

/**
 * The loop body of a moments reduction: reads and writes the running `MomentState`, so
 * blocks and batches of one partition continue one another.
 */
export function momentsLoop(body: string[], v: Val, need: Need, ragged = true): string {
  const lines = [
    'const A_ = S.acc;',
    'let rows = A_[0], cnt = A_[1], sum = A_[2], mn = A_[3], mx = A_[4], mu = A_[5], m2 = A_[6];',
    ...(need.m2 ? welfordLoop(body, v, need) : lanesLoop(body, v, need, ragged)),
  ];
  // Rows that reached the accumulation: all of them, or those the filter kept.
  const reached = body.includes(SEEN) ? 'seen' : '(n - lo)';
  lines.push(`rows += ${reached};`);
  if (!need.m2) lines.push(`cnt += ${reached} - bad;`);
  lines.push(
    'A_[0] = rows; A_[1] = cnt; A_[2] = sum; A_[3] = mn; A_[4] = mx; A_[5] = mu; A_[6] = m2;',
  );
  return lines.join('\n');
}
