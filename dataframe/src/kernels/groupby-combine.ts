/**
 * Combining groupby partials: merge per-group state across partitions (keys compared as
 * collision-free tuples), and hash-split a partial into `splitOut` parts.
 */
import { type AggState, type Fields, fieldsOf, type GroupPartial, newState } from './groupby.js';
import type { AggSpec } from './spec.js';

/** A collision-free map key for a tuple of group values. */
export function tupleKey(keys: unknown[][], g: number): unknown {
  if (keys.length === 1) return keys[0]![g];
  return JSON.stringify(keys.map((k) => k[g]));
}

const lessThan = (a: any, b: any) => a < b;

/** Merges partials group by group (Chan's formula for M2, first/last by partition order). */
export function combineGroups(
  parts: readonly GroupPartial[],
  aggs: readonly AggSpec[],
): GroupPartial {
  const index = new Map<unknown, number>();
  const out: GroupPartial = {
    n: 0,
    keys: [],
    size: [],
    aggs: aggs.map((a) => newState(fieldsOf(a.fn), 0)),
  };
  const nk = parts.find((p) => p.keys.length > 0)?.keys.length ?? 0;
  out.keys = Array.from({ length: nk }, () => []);
  for (const p of parts) {
    for (let i = 0; i < p.n; i++) {
      const tk = tupleKey(p.keys, i);
      let g = index.get(tk);
      if (g === undefined) {
        g = out.n++;
        index.set(tk, g);
        for (let k = 0; k < nk; k++) out.keys[k]!.push(p.keys[k]![i]);
        out.size.push(0);
        for (let j = 0; j < aggs.length; j++) initState(out.aggs[j]!, fieldsOf(aggs[j]!.fn));
      }
      out.size[g]! += p.size[i]!;
      for (let j = 0; j < aggs.length; j++) mergeState(out.aggs[j]!, g, p.aggs[j]!, i);
    }
  }
  return out;
}

function initState(s: AggState, f: Fields): void {
  if (f.cnt || f.m2) s.cnt!.push(0);
  if (f.sum) s.sum!.push(0);
  if (f.m2) {
    s.mu!.push(0);
    s.m2!.push(0);
  }
  if (f.min) s.min!.push(null);
  if (f.max) s.max!.push(null);
  if (f.first) s.first!.push(null);
  if (f.last) s.last!.push(null);
  if (f.uniq) s.uniq!.push([]);
}

function mergeState(o: AggState, g: number, p: AggState, i: number): void {
  if (o.m2) {
    const na = o.cnt![g]!;
    const nb = p.cnt![i]!;
    if (nb > 0) {
      const n = na + nb;
      const delta = p.mu![i]! - o.mu![g]!;
      o.m2[g]! += p.m2![i]! + (delta * delta * na * nb) / n;
      o.mu![g]! += (delta * nb) / n;
    }
  }
  if (o.cnt) o.cnt[g]! += p.cnt![i]!;
  if (o.sum) o.sum[g]! += p.sum![i]!;
  if (o.min && p.min![i] !== null && (o.min[g] === null || lessThan(p.min![i], o.min[g])))
    o.min[g] = p.min![i];
  if (o.max && p.max![i] !== null && (o.max[g] === null || lessThan(o.max[g], p.max![i])))
    o.max[g] = p.max![i];
  if (o.first && o.first[g] === null) o.first[g] = p.first![i];
  if (o.last && p.last![i] !== null) o.last[g] = p.last![i];
  if (o.uniq) {
    const merged = new Set(o.uniq[g]);
    for (const v of p.uniq![i]!) merged.add(v);
    o.uniq[g] = [...merged];
  }
}

/** FNV-1a of a group key: which of `parts` output partitions a group goes to. */
export function hashPart(key: unknown, parts: number): number {
  const s = typeof key === 'string' ? `s${key}` : String(key);
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % parts;
}

/** Splits a partial into `parts` partials by hashing the group keys (splitOut). */
export function splitGroups(p: GroupPartial, parts: number): GroupPartial[] {
  const buckets: number[][] = Array.from({ length: parts }, () => []);
  for (let i = 0; i < p.n; i++) buckets[hashPart(tupleKey(p.keys, i), parts)]!.push(i);
  return buckets.map((rows) => ({
    n: rows.length,
    keys: p.keys.map((k) => rows.map((i) => k[i])),
    size: rows.map((i) => p.size[i]!),
    aggs: p.aggs.map((s) => {
      const out: AggState = {};
      for (const [name, arr] of Object.entries(s) as [keyof AggState, unknown[]][])
        (out as any)[name] = rows.map((i) => arr[i]);
      return out;
    }),
  }));
}
