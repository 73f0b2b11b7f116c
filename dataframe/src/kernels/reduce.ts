/**
 * Scalar reductions over a partition as one generated loop (filter, expression and
 * accumulation fused), and the partial results they combine through: moments for numbers
 * (count, sum, min, max, Welford mean/M2) and value counts for strings and nunique.
 */
import type * as A from 'apache-arrow';
import { type Expr, exprColumns } from '../expr.js';
import { badValue, bind, compile, runBlocks, twinOf } from './batch.js';
import {
  ACC,
  foldMomentLanes,
  type MomentState,
  momentsLoop,
  type Need,
  newMomentState,
  SEEN,
  stateExtremes,
} from './moments-loop.js';
import { gen } from './pipeline.js';
import { SKIP_ROW, skipUnless } from './unroll.js';

export interface Moments {
  kind: 'moments';
  rows: number;
  n: number;
  sum: number;
  min: number;
  max: number;
  mean: number;
  m2: number;
}
export interface Counts {
  kind: 'counts';
  rows: number;
  nulls: number;
  values: unknown[];
  counts: number[];
}
export type Partial = Moments | Counts;

export interface ReduceSpec {
  filter: Expr | null;
  expr: Expr;
  /** Which accumulators the loop keeps; others stay at their start values. */
  need: Need;
}

export const emptyMoments = (): Moments => ({
  kind: 'moments',
  rows: 0,
  n: 0,
  sum: 0,
  min: Infinity,
  max: -Infinity,
  mean: 0,
  m2: 0,
});

/** The generator for a reduction's loop over `batch`, bound to the columns its spec reads. */
function specGen(batch: A.RecordBatch, spec: ReduceSpec): ReturnType<typeof gen> {
  const cols = exprColumns(spec.expr);
  if (spec.filter) exprColumns(spec.filter, cols);
  return gen(batch, cols);
}

function filterHead(g: ReturnType<typeof gen>['g'], filter: Expr | null): void {
  if (filter) skipUnless(g.body, g.expr(filter));
}

function momentsOfBatch(
  batch: A.RecordBatch,
  spec: ReduceSpec,
  S: MomentState,
  partition: number,
  base: number,
): void {
  // Lane loops come in two: one for whole groups of rows, its ragged twin for a batch's end.
  const loop = (ragged: boolean) => {
    const { key, g } = specGen(batch, spec);
    return compile(`moments|${ragged}|${JSON.stringify(spec)}|${key}`, g, () => {
      filterHead(g, spec.filter);
      if (spec.filter) g.body.push(SEEN);
      const v = g.expr(spec.expr);
      return { code: momentsLoop(g.body, v, spec.need, ragged) };
    });
  };
  const c = loop(spec.need.m2);
  const tail = spec.need.m2 ? undefined : () => twinOf(c, () => loop(true));
  runBlocks(c, bind(c, batch), badValue(c, partition, base), S, tail);
}

function countsOfBatch(
  batch: A.RecordBatch,
  spec: ReduceSpec,
  M: Map<unknown, number>,
  S: { rows: number; nulls: number },
  partition: number,
  base: number,
): void {
  const { key, g } = specGen(batch, spec);
  const c = compile(`counts|${JSON.stringify(spec)}|${key}`, g, () => {
    filterHead(g, spec.filter);
    g.body.push('rows++;');
    const v = g.expr(spec.expr);
    const value =
      v.kind === 'dict' ? `X${v.dict}[${v.v}]` : v.kind === 'bool' ? `(${v.v} === 1)` : v.v;
    const bad =
      [v.ok === null ? null : `!${v.ok}`, v.nan ? `${v.v} !== ${v.v}` : null]
        .filter((x) => x !== null)
        .join(' || ') || 'false';
    return {
      code: [
        'let rows = 0, nulls = 0; const M = S.M;',
        'for (let i = lo; i < n; i++) {',
        ...g.body,
        `if (${bad}) { nulls++; ${SKIP_ROW} }`,
        `const key_ = ${value}; M.set(key_, (M.get(key_) ?? 0) + 1);`,
        '}',
        'S.rows += rows; S.nulls += nulls;',
      ].join('\n'),
    };
  });
  const state = { M, rows: 0, nulls: 0 };
  runBlocks(c, bind(c, batch), badValue(c, partition, base), state);
  S.rows += state.rows;
  S.nulls += state.nulls;
}

/** The partial reduction of one partition. */
export function reducePartition(table: A.Table, spec: ReduceSpec, partition = 0): Partial {
  let base = 0;
  if (spec.need.counts) {
    const M = new Map<unknown, number>();
    const S = { rows: 0, nulls: 0 };
    for (const batch of table.batches) {
      countsOfBatch(batch, spec, M, S, partition, base);
      base += batch.numRows;
    }
    return {
      kind: 'counts',
      rows: S.rows,
      nulls: S.nulls,
      values: [...M.keys()],
      counts: [...M.values()],
    };
  }
  // A minimum alone runs as the maximum of the negated values (`signedExtreme`).
  const S = newMomentState(spec.need);
  for (const batch of table.batches) {
    // Each batch continues the same Welford state; its mean/M2 are exact across batches.
    momentsOfBatch(batch, spec, S, partition, base);
    if (!spec.need.m2) foldMomentLanes(S);
    base += batch.numRows;
  }
  const a = S.acc;
  const { min, max } = stateExtremes(S);
  return {
    kind: 'moments',
    rows: a[ACC.rows]!,
    n: a[ACC.n]!,
    sum: a[ACC.sum]!,
    min,
    max,
    mean: a[ACC.mean]!,
    m2: a[ACC.m2]!,
  };
}

/** Combines partials (moments with Chan's formula for M2; counts by key). */
export function combinePartials(parts: readonly Partial[]): Partial {
  if (parts.length === 0) return emptyMoments();
  if (parts[0]!.kind === 'counts') {
    const M = new Map<unknown, number>();
    let rows = 0;
    let nulls = 0;
    for (const p of parts as Counts[]) {
      rows += p.rows;
      nulls += p.nulls;
      for (let i = 0; i < p.values.length; i++)
        M.set(p.values[i], (M.get(p.values[i]) ?? 0) + p.counts[i]!);
    }
    return { kind: 'counts', rows, nulls, values: [...M.keys()], counts: [...M.values()] };
  }
  const out = emptyMoments();
  for (const p of parts as Moments[]) {
    out.rows += p.rows;
    if (p.n === 0) continue;
    const n = out.n + p.n;
    const delta = p.mean - out.mean;
    out.m2 += p.m2 + (delta * delta * out.n * p.n) / n;
    out.mean += (delta * p.n) / n;
    out.n = n;
    out.sum += p.sum;
    if (p.min < out.min) out.min = p.min;
    if (p.max > out.max) out.max = p.max;
  }
  return out;
}

/** The final value of a reduction from its combined partial. */
export function finishReduction(p: Partial, op: string, ddof = 1): unknown {
  if (p.kind === 'counts') {
    const present = p.values;
    switch (op) {
      case 'count':
        return p.rows - p.nulls;
      case 'size':
        return p.rows;
      case 'nunique':
        return present.length;
      case 'min':
      case 'max': {
        if (present.length === 0) return null;
        let best = present[0] as any;
        for (const v of present as any[]) if (op === 'min' ? v < best : v > best) best = v;
        return best;
      }
      default:
        throw new Error(`unreachable reduction ${op} on counts`);
    }
  }
  switch (op) {
    case 'sum':
      return p.sum;
    case 'mean':
      return p.n === 0 ? Number.NaN : p.sum / p.n;
    case 'count':
      return p.n;
    case 'size':
      return p.rows;
    case 'min':
      return p.n === 0 ? Number.NaN : p.min;
    case 'max':
      return p.n === 0 ? Number.NaN : p.max;
    case 'var':
      return p.n - ddof <= 0 ? Number.NaN : p.m2 / (p.n - ddof);
    case 'std':
      return p.n - ddof <= 0 ? Number.NaN : Math.sqrt(p.m2 / (p.n - ddof));
    default:
      throw new Error(`unreachable reduction ${op}`);
  }
}
