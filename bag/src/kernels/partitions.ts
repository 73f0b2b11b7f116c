/**
 * Kernels that build, cut and join whole partitions: ranges, concatenation and splitting
 * for repartition, zip and product, and the check that a delayed value is a partition.
 */
import { DtypeError, InputError } from '@dusk/core';
import { describe } from './elementwise.js';

/** The integers `start, start + 1, ..., stop - 1`. */
export function rangePartition(start: number, stop: number): number[] {
  const n = Math.max(0, stop - start);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = start + i;
  return out;
}

/** The partitions one after the other, as one new array. */
export function concatPartitions(parts: unknown[][]): unknown[] {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Array(n);
  let o = 0;
  for (const p of parts) for (let i = 0; i < p.length; i++) out[o++] = p[i];
  return out;
}

/** Cuts a partition into `pieces` consecutive runs whose lengths differ by at most one. */
export function cutPartition(part: unknown[], pieces: number): unknown[][] {
  const out: unknown[][] = [];
  for (let p = 0; p < pieces; p++) {
    const a = Math.floor((p * part.length) / pieces);
    const b = Math.floor(((p + 1) * part.length) / pieces);
    out.push(part.slice(a, b));
  }
  return out;
}

/** Tuples of the i-th elements of equally long partitions. */
export function zipPartitions(parts: unknown[][], partition: number): unknown[][] {
  const n = parts[0]?.length ?? 0;
  for (let b = 1; b < parts.length; b++) {
    if (parts[b]!.length !== n) {
      throw new InputError(
        `zip: partition ${partition} has ${n} elements in the first bag but ${parts[b]!.length} ` +
          `in bag ${b}. zip needs bags whose partitions have equal lengths; build them the same way ` +
          'or repartition both from one source.',
      );
    }
  }
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    const t = new Array(parts.length);
    for (let b = 0; b < parts.length; b++) t[b] = parts[b]![i];
    out[i] = t;
  }
  return out;
}

/** Every pair `[a, b]`, `a` from the first partition (outer loop), `b` from the second. */
export function productPartition(left: unknown[], right: unknown[]): unknown[][] {
  const out = new Array(left.length * right.length);
  let o = 0;
  for (let i = 0; i < left.length; i++)
    for (let j = 0; j < right.length; j++) out[o++] = [left[i], right[j]];
  return out;
}

/** A computed delayed value used as a partition: it must be an array. */
export function asPartition(value: unknown, partition: number): unknown[] {
  if (!Array.isArray(value)) {
    throw new DtypeError(
      `fromDelayed: partition ${partition} computed to ${describe(value)}, not an array. ` +
        'Each delayed value must compute to an array of elements (one partition).',
    );
  }
  return value;
}

/** The first `k` elements of the given partitions, in order. */
export function takeFirst(parts: unknown[][], k: number): unknown[] {
  const out: unknown[] = [];
  for (const p of parts) {
    for (let i = 0; i < p.length && out.length < k; i++) out.push(p[i]);
    if (out.length >= k) break;
  }
  return out;
}

/**
 * Piece `j` of a task that made several (a shuffle bucket, a cut of a partition). A task of
 * its own rather than core's inlined getItem, so only the piece travels to its consumer.
 */
export function pickPiece(pieces: unknown[][], j: number): unknown[] {
  return pieces[j]!;
}
