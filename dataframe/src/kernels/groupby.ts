/**
 * groupby partials: one generated loop per batch computes each row's group and updates
 * small per-group state arrays. Keys that are dictionary codes or booleans index dense
 * arrays directly (the fast path: no hashing, tiny state); other keys go through a Map.
 * Partials are plain data keyed by the group values, so they combine across partitions
 * whatever each partition's dictionary was.
 */
import { mapPacked } from '@dusk/core';
import type * as A from 'apache-arrow';
import { type Expr, exprColumns } from '../expr.js';
import { badValue, bind, compile, runBlocks, runWhole, sameBinding, twinOf } from './batch.js';
import type { Val } from './codegen.js';
import { combineGroups } from './groupby-combine.js';
import { gen } from './pipeline.js';
import type { AggSpec } from './spec.js';
import { foldLaneArray, LANES, SKIP_ROW, skipUnless, unrolledLoop } from './unroll.js';

/** Above this many possible groups, dense state arrays would cost more than hashing. */
export const DENSE_MAX_GROUPS = 1 << 16;
/**
 * Dense groups up to this many keep one copy of their counts and sums per lane: 4 x 4096
 * doubles (128 KB) stay in L2, and past it consecutive rows rarely update the same group.
 */
export const LANED_MAX_GROUPS = 4096;
/** Integer keys may index up to this many dense slots (when rows are as many): 128 MB of state. */
export const DENSE_INT_MAX_GROUPS = 1 << 24;

/** Smallest and largest value of each integer key of a batch (non-integer keys: [0, 0]). */
function keyRanges(
  batch: A.RecordBatch,
  spec: GroupSpec,
  partition: number,
  base: number,
): [number, number][] {
  const cols = new Set<string>();
  for (const k of spec.keys) exprColumns(k, cols);
  const { key, g } = gen(batch, cols);
  const c = compile(`keyrange|${JSON.stringify(spec.keys)}|${key}`, g, () => {
    const keys = spec.keys.map((k) => g.expr(k));
    const lines = keys.map((_, i) => `let mn${i} = Infinity, mx${i} = -Infinity;`);
    lines.push('for (let i = lo; i < n; i++) {', ...g.body);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      if (spec.intKeys?.[i] !== true || k.kind !== 'num') continue;
      const ok = k.ok === null ? '' : `${k.ok} && `;
      lines.push(
        `mn${i} = ${ok}${k.v} < mn${i} ? ${k.v} : mn${i};`,
        `mx${i} = ${ok}${k.v} > mx${i} ? ${k.v} : mx${i};`,
      );
    }
    lines.push('}', `return [${keys.map((_, i) => `[mn${i}, mx${i}]`).join(', ')}];`);
    return { code: lines.join('\n') };
  });
  const b = bind(c, batch);
  const r = runWhole(c, b, badValue(c, partition, base), null) as [number, number][];
  return r.map(([mn, mx]) => (mn === Infinity ? [0, -1] : [mn, mx]));
}

export interface GroupSpec {
  readonly filter: Expr | null;
  readonly keys: readonly Expr[];
  /** Which keys hold integers (dense-indexed by value when their range is small). */
  readonly intKeys?: readonly boolean[];
  readonly aggs: readonly AggSpec[];
}

/** Per-aggregation state, one entry per group (only the fields the function needs). */
export interface AggState {
  cnt?: number[];
  sum?: number[];
  min?: unknown[];
  max?: unknown[];
  mu?: number[];
  m2?: number[];
  first?: unknown[];
  last?: unknown[];
  uniq?: unknown[][];
}
export interface GroupPartial {
  n: number;
  /** keys[k][g]: value of key k for group g (string, number or boolean). */
  keys: unknown[][];
  size: number[];
  aggs: AggState[];
}

export type Fields = {
  cnt: boolean;
  sum: boolean;
  min: boolean;
  max: boolean;
  m2: boolean;
  first: boolean;
  last: boolean;
  uniq: boolean;
};

export function fieldsOf(fn: AggSpec['fn']): Fields {
  return {
    cnt:
      fn === 'count' ||
      fn === 'mean' ||
      fn === 'std' ||
      fn === 'var' ||
      fn === 'min' ||
      fn === 'max',
    sum: fn === 'sum' || fn === 'mean',
    min: fn === 'min',
    max: fn === 'max',
    m2: fn === 'std' || fn === 'var',
    first: fn === 'first',
    last: fn === 'last',
    uniq: fn === 'nunique',
  };
}

/** Aggregations whose state is only counts and sums, which lanes can keep apart and add up. */
function lanedFields(f: Fields): boolean {
  return !f.m2 && !f.min && !f.max && !f.first && !f.last && !f.uniq;
}

function jsValue(v: Val): string {
  return v.kind === 'bool' ? `(${v.v} === 1)` : v.v;
}

/** Loop statements updating aggregation `j` for group `g`. */
function aggCode(j: number, f: Fields, v: Val, rank: number | undefined): string {
  const good =
    [v.ok, v.nan ? `${v.v} === ${v.v}` : null].filter((x) => x !== null).join(' && ') || 'true';
  const s = `A${j}`;
  const lines: string[] = [];
  const pre: string[] = [];
  if (!f.m2 && (f.cnt || f.sum)) {
    // Count and sum without a branch: a null or NaN adds nothing.
    const sel = good === 'true' ? null : `ok${j}_`;
    if (sel) pre.push(`const ${sel} = ${good};`);
    if (f.cnt) pre.push(sel ? `${s}_cnt[g] += ${sel} ? 1 : 0;` : `${s}_cnt[g]++;`);
    if (f.sum) pre.push(sel ? `${s}_sum[g] += ${sel} ? ${v.v} : 0;` : `${s}_sum[g] += ${v.v};`);
  }
  if (f.m2)
    lines.push(
      `const c_${j} = ++${s}_cnt[g]; const d_${j} = ${v.v} - ${s}_mu[g]; ${s}_mu[g] += d_${j} / c_${j}; ${s}_m2[g] += d_${j} * (${v.v} - ${s}_mu[g]);`,
    );
  if (f.m2 && f.sum) lines.push(`${s}_sum[g] += ${v.v};`);
  const less = (a: string, b: string) =>
    rank === undefined ? `${a} < ${b}` : `X${rank}[${a}] < X${rank}[${b}]`;
  if (f.min)
    lines.push(
      `{ const m_ = ${s}_min[g]; if (m_ === null || ${less(v.v, 'm_')}) ${s}_min[g] = ${v.v}; }`,
    );
  if (f.max)
    lines.push(
      `{ const m_ = ${s}_max[g]; if (m_ === null || ${less('m_', v.v)}) ${s}_max[g] = ${v.v}; }`,
    );
  if (f.first) lines.push(`if (${s}_first[g] === null) ${s}_first[g] = ${jsValue(v)};`);
  if (f.last) lines.push(`${s}_last[g] = ${jsValue(v)};`);
  if (f.uniq) lines.push(`(${s}_uniq[g] ??= new Set()).add(${jsValue(v)});`);
  const rest = lines.length > 0 ? `if (${good}) { ${lines.join(' ')} }` : '';
  return `${pre.join(' ')} ${rest}`;
}

/** Statements a new group `g` runs in hash mode (dense arrays are filled before the loop). */
function initCode(j: number, f: Fields): string {
  const s = `A${j}`;
  return [
    f.cnt || f.m2 ? `${s}_cnt[g] = 0;` : '',
    f.sum ? `${s}_sum[g] = 0;` : '',
    f.m2 ? `${s}_mu[g] = 0; ${s}_m2[g] = 0;` : '',
    f.min ? `${s}_min[g] = null;` : '',
    f.max ? `${s}_max[g] = null;` : '',
    f.first ? `${s}_first[g] = null;` : '',
    f.last ? `${s}_last[g] = null;` : '',
    f.uniq ? `${s}_uniq[g] = undefined;` : '',
  ].join(' ');
}

interface KeyInfo {
  kind: Val['kind'];
  dict?: number;
}

/**
 * The slot layout of a laned loop over dictionary and boolean keys, written into its code
 * as constants: `g = key` (or `key * stride + ...`) and `lane * laneStride` fold to small
 * constants, and V8 then proves the slot index cannot overflow and drops the checks
 * (groupby-sum by a dictionary key ~12% faster per row than with the layout read from the
 * state).
 */
interface Layout {
  stride: readonly number[];
  laneStride: number;
}

/**
 * The groupby loop of a batch; laned loops without `ragged` leave a batch's ragged end to
 * their twin. With `layout`, the slot layout is in the code (see `Layout`). A laned loop
 * whose sums can only meet NaN adds without testing for it and declines a block that met
 * one (`skipNaN`), unless `tested`: the loop that runs the declined blocks.
 */
function groupLoop(
  batch: A.RecordBatch,
  spec: GroupSpec,
  forceHash: boolean,
  ragged: boolean,
  layout?: Layout,
  tested = false,
) {
  const cols = new Set<string>();
  for (const k of spec.keys) exprColumns(k, cols);
  for (const a of spec.aggs) if (a.expr) exprColumns(a.expr, cols);
  if (spec.filter) exprColumns(spec.filter, cols);
  const { key, g } = gen(batch, cols);
  const fixed = layout ? `|${layout.stride.join(',')};${layout.laneStride}` : '';
  const flags = `${forceHash}|${ragged}|${tested}`;
  return compile(`group|${flags}${fixed}|${JSON.stringify(spec)}|${key}`, g, () => {
    if (spec.filter) skipUnless(g.body, g.expr(spec.filter));
    const keys = spec.keys.map((k) => g.expr(k));
    for (const k of keys) {
      const bad = [k.ok === null ? null : `!${k.ok}`, k.nan ? `${k.v} !== ${k.v}` : null].filter(
        (x) => x !== null,
      );
      if (bad.length > 0) g.body.push(`if (${bad.join(' || ')}) ${SKIP_ROW}`);
    }
    const keyInfo: KeyInfo[] = keys.map((k) => ({ kind: k.kind, dict: k.dict }));
    const isInt = (i: number) => keys[i]!.kind === 'num' && spec.intKeys?.[i] === true;
    const dense =
      !forceHash && keys.every((k, i) => k.kind === 'dict' || k.kind === 'bool' || isInt(i));
    const head = g.body.splice(0);
    const fields = spec.aggs.map((a) => fieldsOf(a.fn));
    const vals = spec.aggs.map((a) => (a.expr ? g.expr(a.expr) : null));
    const ranks = vals.map((v, j) =>
      v?.kind === 'dict' && (fields[j]!.min || fields[j]!.max)
        ? g.addAux({ kind: 'rank-lut', dict: v.dict! })
        : undefined,
    );
    const aggLines = vals.map((v, j) => (v ? aggCode(j, fields[j]!, v, ranks[j]) : ''));
    const decl = fields
      .flatMap((f, j) =>
        (['cnt', 'sum', 'mu', 'm2', 'min', 'max', 'first', 'last', 'uniq'] as const)
          .filter((name) => (name === 'cnt' ? f.cnt || f.m2 : name === 'mu' ? f.m2 : f[name]))
          .map((name) => `const A${j}_${name} = S.aggs[${j}].${name};`),
      )
      .join('\n');
    // Counting rows per group in the main loop costs a second store per row (as much as the
    // aggregation itself), so without a filter or a size() output, dense groups are found by
    // a presence pass that stops as soon as every possible group has been seen.
    const presencePass = dense && !spec.filter && !spec.aggs.some((a) => a.fn === 'size');
    // Counts and sums of dense groups keep one copy of their state per lane (see unroll.ts).
    const laned = dense && presencePass && fields.every(lanedFields);
    let groupCode: string;
    const strideOf = (i: number) => {
      const st = layout?.stride[i];
      return st === undefined ? ` * ST${i}` : st === 1 ? '' : ` * ${st}`;
    };
    const gExpr = keys
      .map((k, i) => (isInt(i) ? `(${k.v} - OF${i}) * ST${i}` : `${k.v}${strideOf(i)}`))
      .join(' + ');
    const laneOffset = (k: number) =>
      layout === undefined ? ` + ${k} * GL_` : k === 0 ? '' : ` + ${k * layout.laneStride}`;
    let after = '';
    if (dense) {
      groupCode = presencePass ? `const g = ${gExpr};` : `const g = ${gExpr}; SZ[g]++;`;
      if (presencePass) {
        after = [
          'let found_ = S.found[0]; const G_ = SZ.length;',
          'for (let i = lo; i < n && found_ < G_; i++) {',
          ...head,
          `const g = ${gExpr}; if (SZ[g] === 0) { SZ[g] = 1; found_++; }`,
          '}',
          'S.found[0] = found_;',
        ].join('\n');
      }
    } else {
      const kv = keys.length === 1 ? keys[0]!.v : keys.map((k) => k.v).join(" + '|' + ");
      const push = keys.map((k, i) => `K${i}.push(${k.v});`).join(' ');
      const init = fields.map((f, j) => initCode(j, f)).join(' ');
      groupCode = `const kv_ = ${kv}; let g = M.get(kv_); if (g === undefined) { g = SZ.length; M.set(kv_, g); SZ.push(0); ${push} ${init} } SZ[g]++;`;
    }
    const lanedLoop = (lines: string[]) =>
      unrolledLoop(
        [...head, ...g.body],
        (k) => [`const g = ${gExpr}${laneOffset(k)};`, ...lines].join(' '),
        '',
        ragged,
      );
    // Sums (no counts) of values without nulls, at least one of which may be NaN.
    const nanOnly =
      laned &&
      vals.some((v) => v?.nan) &&
      vals.every((v, j) => v !== null && v.ok === null && !fields[j]!.cnt);
    const fast = nanOnly && !ragged && !tested;
    const loop = !laned
      ? ['for (let i = lo; i < n; i++) {', ...head, groupCode, ...g.body, ...aggLines, '}'].join(
          '\n',
        )
      : fast
        ? skipNaN(
            vals.map((_, j) => `A${j}_sum`),
            lanedLoop(vals.map((v, j) => aggCode(j, fields[j]!, { ...v!, nan: false }, ranks[j]))),
          )
        : lanedLoop(aggLines);
    const code = [
      decl,
      'const SZ = S.size, M = S.map, GL_ = S.laneStride;',
      keys
        .map(
          (_, i) => `const K${i} = S.keys[${i}], ST${i} = S.stride[${i}], OF${i} = S.offset[${i}];`,
        )
        .join(' '),
      loop,
      after,
      fast ? 'return 0;' : '',
    ].join('\n');
    const valDicts = vals.map((v) => (v?.kind === 'dict' ? v.dict : undefined));
    const ints = keys.map((_, i) => dense && isInt(i));
    return { code, info: { keyInfo, dense, fields, valDicts, ints, laned, fast } };
  });
}

/**
 * A laned groupby-sum's loop over values whose only bad value is NaN, without the NaN test
 * per row: it copies the sums (`sums`, its state arrays) to `S.snap`, adds every value, and
 * if a sum came out NaN puts them back and declines the block (returns 1; `runBlocks` then
 * runs it with the tested loop). Without NaN that gives exactly what the tested loop gives
 * (adding 0 never changes a sum that started at +0). It also declines a block when the
 * copy would cost much against it (over 64 slots and over an eighth of its rows) or a sum
 * is NaN already (inf + -inf). The tested loop is a function of its own, compiled when first
 * needed: in one function the two made the loop bigger, and V8 compiled it twice in each
 * worker on first use (the notebook's cold groupby step got slower; docs/design.md).
 */
function skipNaN(sums: string[], fast: string): string {
  // A copy of this many slots costs little against any block (the first blocks are 64 rows).
  const SNAP_FREE = 64;
  const each = (f: (a: string) => string) =>
    sums.map((a) => `for (let k_ = 0; k_ < ${a}.length; k_++) { ${f(a)} }`).join('\n');
  return [
    'const SNAP_ = S.snap;',
    `if (SNAP_.length === 0 || (SNAP_.length > ${SNAP_FREE} && SNAP_.length > (n - lo) >> 3)) return 1;`,
    'let at_ = 0, nan_ = false;',
    each((a) => `const v_ = ${a}[k_]; nan_ = nan_ || v_ !== v_; SNAP_[at_++] = v_;`),
    'if (nan_) return 1;',
    fast,
    each((a) => `const v_ = ${a}[k_]; nan_ = nan_ || v_ !== v_;`),
    'if (nan_) {',
    'at_ = 0;',
    each((a) => `${a}[k_] = SNAP_[at_++];`),
    'return 1;',
    '}',
  ].join('\n');
}

/** Dense state is typed (monomorphic, no holes); hashed state grows by push. */
function numbers(G: number, dense: boolean): number[] {
  return dense ? (new Float64Array(G) as unknown as number[]) : [];
}

/**
 * Dense state (typed arrays) and hashed or combined state (plain arrays) get hidden classes
 * of their own: sharing one, a field holding a Float64Array in one and an Array in the other
 * generalized the field's type, which deoptimized the compiled groupby loop when the
 * combine step first ran, and V8 then sometimes ran it only through slower OSR code (sync
 * groupby-sum 145 vs 245 ms, varying from process to process).
 */
class DenseState {}

export function newState(f: Fields, G: number, dense = false): AggState {
  const s: AggState = dense ? new DenseState() : {};
  if (f.cnt || f.m2) s.cnt = numbers(G, dense);
  if (f.sum) s.sum = numbers(G, dense);
  if (f.m2) {
    s.mu = numbers(G, dense);
    s.m2 = numbers(G, dense);
  }
  if (f.min) s.min = new Array(G).fill(null);
  if (f.max) s.max = new Array(G).fill(null);
  if (f.first) s.first = new Array(G).fill(null);
  if (f.last) s.last = new Array(G).fill(null);
  if (f.uniq) s.uniq = new Array(G).fill(undefined);
  return s;
}

function groupBatch(
  batch: A.RecordBatch,
  spec: GroupSpec,
  partition: number,
  base: number,
  forceHash = false,
): GroupPartial {
  const generic = groupLoop(batch, spec, forceHash, false);
  const { keyInfo, dense, fields, valDicts, ints, laned, fast } = generic.info as {
    keyInfo: KeyInfo[];
    dense: boolean;
    fields: Fields[];
    valDicts: (number | undefined)[];
    ints: boolean[];
    laned: boolean;
    fast: boolean;
  };
  const b = bind(generic, batch);
  const ranges = dense && ints.some((x) => x) ? keyRanges(batch, spec, partition, base) : [];
  // Arrays this function reads back are built packed (core's packed.ts): made by
  // Array.prototype.map they were holey in optimized code only, and this function was
  // deoptimized and recompiled in each worker every ~37 computes.
  const offset = mapPacked(keyInfo, (_, k) => (ints[k] ? ranges[k]![0] : 0));
  const cards = mapPacked(keyInfo, (k, i) =>
    ints[i]
      ? Math.max(0, ranges[i]![1] - ranges[i]![0] + 1)
      : k.kind === 'bool'
        ? 2
        : ((b.X[k.dict!] as string[])?.length ?? 0),
  );
  let G = 1;
  for (const c of cards) G *= c;
  // Integer keys index dense arrays when their range is not much larger than the rows.
  const limit = ints.some((x) => x)
    ? Math.min(DENSE_INT_MAX_GROUPS, Math.max(DENSE_MAX_GROUPS, 2 * b.n))
    : DENSE_MAX_GROUPS;
  const useDense = dense && G <= limit;
  if (dense && !useDense) return groupBatch(batch, spec, partition, base, true);
  // With many groups, rows in a row rarely hit the same slot, and copies per lane would
  // multiply the state: lanes share one copy (each group then adds in row order).
  const laneStride = laned && G <= LANED_MAX_GROUPS ? G : 0;
  const slots = laneStride > 0 ? LANES * G : G;
  const stride: number[] = [];
  let acc = 1;
  for (let i = cards.length - 1; i >= 0; i--) {
    stride[i] = acc;
    acc *= cards[i]!;
  }
  const S = Object.assign(useDense ? new DenseState() : {}, {
    size: numbers(G, useDense),
    /** Dense groups seen so far (the presence pass stops when all are). */
    found: new Int32Array(1),
    map: new Map(),
    stride,
    offset,
    keys: mapPacked(keyInfo, () => [] as unknown[]),
    /** Slots between lanes' copies of the state; 0 puts every lane on one copy. */
    laneStride,
    aggs: mapPacked(fields, (f) => newState(f, useDense ? slots : 0, useDense)),
    /** Room for a copy of every sum, for a loop that adds NaN untested (`skipNaN`). */
    snap: new Float64Array(fast ? fields.length * slots : 0),
  });
  // Laned loops over dictionary and boolean keys run with their layout in the code; the
  // generic loop above was only generated (V8 compiles a function when first called).
  const layout: Layout | undefined =
    laneStride > 0 && !ints.some((x) => x) ? { stride, laneStride } : undefined;
  const c = layout
    ? sameBinding(generic, groupLoop(batch, spec, forceHash, false, layout))
    : generic;
  const tail = laned
    ? () => twinOf(c, () => groupLoop(batch, spec, forceHash, true, layout))
    : undefined;
  const redo = fast
    ? () => twinOf(c, () => groupLoop(batch, spec, forceHash, false, layout, true), 'redo')
    : undefined;
  runBlocks(c, b, badValue(c, partition, base), S, tail, redo);
  const states = laneStride > 0 ? mapPacked(S.aggs, (a) => foldStateLanes(a, G)) : S.aggs;
  const decode = (k: number, raw: unknown) =>
    keyInfo[k]!.kind === 'dict'
      ? (b.X[keyInfo[k]!.dict!] as string[])[raw as number]
      : keyInfo[k]!.kind === 'bool'
        ? raw === 1
        : raw;
  const groups: number[] = [];
  for (let gi = 0; gi < S.size.length; gi++) if (S.size[gi] > 0) groups.push(gi);
  const keys = mapPacked(keyInfo, (_, k) =>
    mapPacked(groups, (gi) =>
      decode(k, useDense ? (Math.floor(gi / stride[k]!) % cards[k]!) + offset[k]! : S.keys[k]![gi]),
    ),
  );
  const aggs = mapPacked(states, (s, j) =>
    pickGroups(s, groups, valDicts[j] === undefined ? undefined : (b.X[valDicts[j]!] as string[])),
  );
  return { n: groups.length, keys, size: mapPacked(groups, (gi) => S.size[gi]), aggs };
}

/**
 * Each group's per-lane counts and sums added up, in the order the lanes are folded
 * everywhere, as a new state: the loop's state object keeps the fields it was given (a
 * second write makes a field mutable, a change that aborted V8's optimization of the
 * loop when it landed mid-compile).
 */
function foldStateLanes(s: AggState, G: number): AggState {
  const fold = (a: number[] | undefined) =>
    a && (foldLaneArray(a as unknown as Float64Array, G) as unknown as number[]);
  return { cnt: fold(s.cnt), sum: fold(s.sum) };
}

function pickGroups(s: AggState, groups: number[], dict: string[] | undefined): AggState {
  const out: AggState = {};
  const pick = <T>(a: T[] | undefined) => (a ? mapPacked(groups, (g) => a[g]!) : undefined);
  const pickDecoded = (a: unknown[] | undefined) =>
    a ? mapPacked(groups, (g) => (dict && a[g] !== null ? dict[a[g] as number] : a[g])) : undefined;
  out.cnt = pick(s.cnt);
  out.sum = pick(s.sum);
  out.mu = pick(s.mu);
  out.m2 = pick(s.m2);
  out.first = pickDecoded(s.first);
  out.last = pickDecoded(s.last);
  out.min = pickDecoded(s.min);
  out.max = pickDecoded(s.max);
  if (s.uniq) {
    out.uniq = mapPacked(groups, (g) => {
      const set = s.uniq![g] as unknown as Set<unknown> | undefined;
      return set ? [...set].map((v) => (dict ? dict[v as number] : v)) : [];
    });
  }
  for (const k of Object.keys(out) as (keyof AggState)[]) if (out[k] === undefined) delete out[k];
  return out;
}

/** The groupby partial of one partition. */
export function groupPartition(table: A.Table, spec: GroupSpec, partition = 0): GroupPartial {
  const parts: GroupPartial[] = [];
  let base = 0;
  for (const batch of table.batches) {
    parts.push(groupBatch(batch, spec, partition, base));
    base += batch.numRows;
  }
  if (parts.length === 1) return parts[0]!;
  return combineGroups(parts, spec.aggs);
}

export { combineGroups, hashPart, splitGroups, tupleKey } from './groupby-combine.js';
