/**
 * The last step of a groupby: turn the combined per-group state into the result table
 * (key columns, then one column per named aggregation), sorted by key unless asked not to.
 */
import * as A from 'apache-arrow';
import type { Dtype } from '../dtypes.js';
import { makeColumn, packValues, tableOf } from './arrow-build.js';
import type { GroupPartial } from './groupby.js';
import type { AggSpec } from './spec.js';

export interface FinishGroupsSpec {
  readonly keyNames: readonly string[];
  readonly keyDtypes: readonly Dtype[];
  readonly aggs: readonly AggSpec[];
  readonly sort: boolean | 'size-desc';
}

/** Compares group values: false < true, numbers numerically, strings by code unit. */
export function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  return (a as any) < (b as any) ? -1 : 1;
}

function order(p: GroupPartial, sort: boolean | 'size-desc'): number[] {
  const idx = Array.from({ length: p.n }, (_, i) => i);
  if (!sort) return idx;
  return idx.sort((x, y) => {
    if (sort === 'size-desc' && p.size[x] !== p.size[y]) return p.size[y]! - p.size[x]!;
    for (const k of p.keys) {
      const c = compareValues(k[x], k[y]);
      if (c !== 0) return c;
    }
    return 0;
  });
}

/** Output dtype of an aggregation of a column of dtype `input`. */
export function aggDtype(fn: AggSpec['fn'], input: Dtype): Dtype {
  if (fn === 'count' || fn === 'size' || fn === 'nunique') return 'int32';
  if (fn === 'min' || fn === 'max' || fn === 'first' || fn === 'last') return input;
  return 'float64';
}

function aggValues(p: GroupPartial, a: AggSpec, j: number, ddof: number): unknown[] {
  const s = p.aggs[j]!;
  const n = p.n;
  const out = new Array<unknown>(n);
  for (let g = 0; g < n; g++) {
    const cnt = s.cnt?.[g] ?? 0;
    switch (a.fn) {
      case 'sum':
        out[g] = s.sum![g];
        break;
      case 'mean':
        out[g] = cnt === 0 ? Number.NaN : s.sum![g]! / cnt;
        break;
      case 'count':
        out[g] = cnt;
        break;
      case 'size':
        out[g] = p.size[g];
        break;
      case 'var':
      case 'std': {
        const v = cnt - ddof <= 0 ? Number.NaN : s.m2![g]! / (cnt - ddof);
        out[g] = a.fn === 'std' ? Math.sqrt(v) : v;
        break;
      }
      case 'min':
        out[g] = s.min![g];
        break;
      case 'max':
        out[g] = s.max![g];
        break;
      case 'first':
        out[g] = s.first![g];
        break;
      case 'last':
        out[g] = s.last![g];
        break;
      case 'nunique':
        out[g] = s.uniq![g]!.length;
        break;
    }
  }
  return out;
}

/** The result table of a groupby from its combined partial. */
export function finishGroups(p: GroupPartial, spec: FinishGroupsSpec): A.Table {
  const rows = order(p, spec.sort);
  const pick = (values: unknown[]) => rows.map((g) => values[g]);
  const names: string[] = [];
  const cols: A.Data[] = [];
  spec.keyNames.forEach((name, k) => {
    names.push(name);
    cols.push(makeColumn(packValues(pick(p.keys[k] ?? []), spec.keyDtypes[k]!)));
  });
  spec.aggs.forEach((a, j) => {
    names.push(a.name);
    const values = pick(aggValues(p, a, j, a.ddof ?? 1)).map((v) =>
      typeof v === 'boolean' && a.dtype !== 'bool' ? Number(v) : v,
    );
    cols.push(makeColumn(packValues(values, aggDtype(a.fn, a.dtype))));
  });
  return tableOf(names, cols, rows.length);
}

export { A };
