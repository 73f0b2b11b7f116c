/**
 * Element-wise kernels: one pass over a partition with the user's function. Each returns a
 * new array and never touches its input (a partition may be shared by several consumers).
 */
import { DtypeError, type FnRef } from '@dusk/core';
import { KeyNotFoundError } from '../errors.js';
import { userFn } from './user-fn.js';

/** `fn(x, ...extra)` for each element. */
export async function mapPartition(
  part: unknown[],
  ref: FnRef,
  extra: unknown[],
): Promise<unknown[]> {
  const fn = await userFn(ref);
  const n = part.length;
  const out = new Array(n);
  if (extra.length === 0) for (let i = 0; i < n; i++) out[i] = fn(part[i]);
  else for (let i = 0; i < n; i++) out[i] = fn(part[i], ...extra);
  return out;
}

/** The elements for which `fn(x, ...extra)` is truthy. */
export async function filterPartition(
  part: unknown[],
  ref: FnRef,
  extra: unknown[],
): Promise<unknown[]> {
  const fn = await userFn(ref);
  const out: unknown[] = [];
  for (let i = 0; i < part.length; i++) {
    const x = part[i];
    if (extra.length === 0 ? fn(x) : fn(x, ...extra)) out.push(x);
  }
  return out;
}

/** `fn(x, ...extra)` must return an array; the arrays are concatenated. */
export async function flatMapPartition(
  part: unknown[],
  ref: FnRef,
  extra: unknown[],
  partition: number,
): Promise<unknown[]> {
  const fn = await userFn(ref);
  const out: unknown[] = [];
  for (let i = 0; i < part.length; i++) {
    const ys = extra.length === 0 ? fn(part[i]) : fn(part[i], ...extra);
    appendAll(out, ys, 'flatMap', 'the function returned', partition, i);
  }
  return out;
}

/** Concatenates the elements of a partition of arrays. */
export function flattenPartition(part: unknown[], partition: number): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < part.length; i++)
    appendAll(out, part[i], 'flatten', 'the element is', partition, i);
  return out;
}

function appendAll(
  out: unknown[],
  ys: unknown,
  op: string,
  what: string,
  partition: number,
  i: number,
): void {
  if (!Array.isArray(ys)) {
    throw new DtypeError(
      `${op}: for element ${i} of partition ${partition} ${what} ${describe(ys)}, not an array. ` +
        `${op} needs an array per element; wrap single values as [x].`,
    );
  }
  for (let j = 0; j < ys.length; j++) out.push(ys[j]);
}

/** `fn(partition, ...extra)`, which must return an array. */
export async function mapPartitionsCall(
  part: unknown[],
  ref: FnRef,
  extra: unknown[],
  partition: number,
): Promise<unknown[]> {
  const fn = await userFn(ref);
  const out = await fn(part, ...extra);
  if (!Array.isArray(out)) {
    throw new DtypeError(
      `mapPartitions: the function returned ${describe(out)} for partition ${partition}; ` +
        'it must return an array (the new partition).',
    );
  }
  return out;
}

/**
 * `x[key]` for each element (or a tuple for several keys). A missing key is an error naming
 * the key and the partition, unless a default is given (`hasDefault`).
 */
export function pluckPartition(
  part: unknown[],
  keys: (string | number)[],
  single: boolean,
  hasDefault: boolean,
  fallback: unknown,
  partition: number,
): unknown[] {
  const n = part.length;
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    const x = part[i] as any;
    if (single) out[i] = pluckOne(x, keys[0]!, hasDefault, fallback, partition, i);
    else {
      const t = new Array(keys.length);
      for (let k = 0; k < keys.length; k++)
        t[k] = pluckOne(x, keys[k]!, hasDefault, fallback, partition, i);
      out[i] = t;
    }
  }
  return out;
}

function pluckOne(
  x: any,
  key: string | number,
  hasDefault: boolean,
  fallback: unknown,
  partition: number,
  i: number,
): unknown {
  if (x !== null && typeof x === 'object' && key in x) return x[key];
  if (typeof x === 'string' && typeof key === 'number' && key < x.length) return x[key];
  if (hasDefault) return fallback;
  const available = x !== null && typeof x === 'object' ? Object.keys(x) : [];
  throw new KeyNotFoundError(key, partition, i, available);
}

/** A short description of a value for error messages. */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (typeof v === 'object') return 'an object';
  const s = typeof v === 'string' ? `'${v.length > 20 ? `${v.slice(0, 17)}...` : v}'` : String(v);
  return `a ${typeof v} (${s})`;
}
