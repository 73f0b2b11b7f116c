/**
 * Binding a record batch to a generated loop: the typed arrays, validity bitmaps and
 * offsets of the columns it reads, the per-batch aux values (dictionary lookups), and a
 * cache of compiled loops keyed by everything that changes the generated source.
 */
import { type FnRef, InputError, resolvedFn, resolveFn } from '@dusk/core';
import * as A from 'apache-arrow';
import { MetaMismatchError } from '../errors.js';
import type { AuxSpec, Gen, InputKind, InputSlot } from './codegen.js';
import { LANES } from './unroll.js';

/** A generated loop: reads rows `lo <= i < n` of the bound columns, state in `S`. */
export type LoopFn = (
  C: readonly unknown[],
  V: readonly unknown[],
  O: readonly number[],
  X: readonly unknown[],
  F: readonly ((x: unknown) => unknown)[],
  BAD: (f: number, r: unknown, i: number) => never,
  n: number,
  S: any,
  lo: number,
) => unknown;

export interface Compiled {
  fn: LoopFn;
  /**
   * Calls of `fn` through `runBlocks` so far in this process (its first blocks are short),
   * shared by every loop that reuses `fn` (see `compile`).
   */
  ramp: { calls: number };
  inputs: InputSlot[];
  aux: AuxSpec[];
  fns: Gen['fns'];
  info: any;
  /** Its ragged twin, once made (see `twinOf`). */
  twin?: Compiled;
  /** The loop that runs a block again when this one declines it (see `runBlocks`' `redo`). */
  redo?: Compiled;
}

const dictCache = new WeakMap<object, string[]>();

/** The strings of a dictionary vector, cached per vector. */
export function dictStrings(dict: A.Vector | undefined | null): string[] {
  if (!dict) return [];
  let s = dictCache.get(dict);
  if (!s) {
    s = Array.from(dict.toArray() as ArrayLike<string>, (x) =>
      x === null || x === undefined ? '' : String(x),
    );
    dictCache.set(dict, s);
  }
  return s;
}

/** How a loop reads a column of an Arrow type. */
export function inputKind(type: A.DataType): InputKind {
  if (A.DataType.isDictionary(type)) return 'dict';
  if (A.DataType.isBool(type)) return 'bool';
  if (A.DataType.isInt(type) && type.bitWidth === 64) return 'int64';
  return 'num';
}

function columnData(batch: A.RecordBatch, name: string): A.Data {
  const i = batch.schema.fields.findIndex((f) => f.name === name);
  if (i < 0) throw new Error(`Column '${name}' is missing from a partition.`);
  return batch.data.children[i]!;
}

/** The kind and nullability of each named column of a batch, as a cache-key fragment. */
export function batchKinds(
  batch: A.RecordBatch,
  cols: Iterable<string>,
): Map<string, { kind: InputKind; nullable: boolean; ctor: string }> {
  const out = new Map<string, { kind: InputKind; nullable: boolean; ctor: string }>();
  for (const name of cols) {
    const d = columnData(batch, name);
    out.set(name, {
      kind: inputKind(d.type),
      nullable: d.nullCount > 0,
      ctor: (d.values as any)?.constructor?.name ?? '',
    });
  }
  return out;
}

const compiled = new Map<string, Compiled>();
/**
 * Loop functions by their source and the types they read: loops of different keys whose
 * generated code is the same (a mean and a sum of one column keep the same accumulators)
 * share one function, so the second finds it compiled by V8 already instead of paying its
 * warm-up (the weather notebook's sum after its mean: 0.010 -> 0.004 s). Only loops that
 * call no user function, and only over the same column types and aux values: V8 compiles a
 * loop for the typed arrays and functions it has seen, and a shared loop fed other ones
 * would run slower or be compiled again.
 */
const bySource = new Map<string, { fn: LoopFn; ramp: { calls: number } }>();
/** Compiled loops kept per process; past this the oldest are dropped (programs use a few). */
export const MAX_COMPILED = 1000;

/** Compiles (once per process) the loop that `build` describes. */
export function compile(
  key: string,
  gen: Gen,
  build: () => { code: string; info?: any },
): Compiled {
  let c = compiled.get(key);
  if (c) return c;
  const { code, info } = build();
  // Row bounds masked to 30 bits (`bind` refuses longer batches, so no value changes): V8
  // then knows `i` and `i + k` stay small non-negative integers, and compiles the row loop
  // without overflow checks on its index arithmetic. A sum over 1M-row partitions ran 6-7%
  // faster so (docs/design.md).
  const body = `n &= ${MAX_BATCH_ROWS}; lo &= ${MAX_BATCH_ROWS};\n${gen.prelude()}\n${code}`;
  const share =
    gen.fns.length === 0
      ? `${JSON.stringify([gen.inputs.map((s) => [s.kind, s.nullable, s.ctor]), gen.aux])}\n${body}`
      : undefined;
  let loop = share === undefined ? undefined : bySource.get(share);
  if (!loop) {
    // Named after the kind of loop (the key's first field), so profiles and V8's
    // optimization traces say which kernel they mean.
    const name = `dusk_${key.slice(0, key.indexOf('|')).replace(/\W/g, '_')}`;
    const src = `"use strict";\nreturn function ${name}(C, V, O, X, F, BAD, n, S, lo) {\n${body}\n};`;
    loop = { fn: new Function(src)() as LoopFn, ramp: { calls: 0 } };
    if (share !== undefined) keepBounded(bySource, share, loop);
  }
  c = { fn: loop.fn, ramp: loop.ramp, inputs: gen.inputs, aux: gen.aux, fns: gen.fns, info };
  keepBounded(compiled, key, c);
  return c;
}

/** Sets `key` in a cache of at most MAX_COMPILED entries, dropping the oldest past that. */
function keepBounded<V>(cache: Map<string, V>, key: string, value: V): void {
  if (cache.size >= MAX_COMPILED) cache.delete(cache.keys().next().value!);
  cache.set(key, value);
}

/**
 * The user functions a compiled loop calls, already resolved: task entry points resolve
 * them first (see `withFns`), so kernels stay synchronous and a worker runs each task to
 * completion before starting the next.
 */
export function loopFns(c: Compiled): ((x: unknown) => unknown)[] {
  return c.fns.map((f) => resolvedFn(f.fn) as (x: unknown) => unknown);
}

/** Function references used by `map` expressions anywhere inside a spec. */
export function fnRefsIn(spec: unknown, out: FnRef[] = []): FnRef[] {
  if (Array.isArray(spec)) for (const x of spec) fnRefsIn(x, out);
  else if (spec && typeof spec === 'object') {
    const o = spec as Record<string, unknown>;
    if (o.op === 'map' && o.fn) out.push(o.fn as FnRef);
    for (const k in o) if (k !== 'fn') fnRefsIn(o[k], out);
  }
  return out;
}

/**
 * Runs `run` now when every function the spec names is resolved in this process (the
 * usual case), else after resolving them: tasks only return a Promise the first time.
 */
export function withFns<T>(spec: unknown, run: () => T): T | Promise<T> {
  const refs = fnRefsIn(spec);
  const missing = refs.filter((f) => {
    try {
      resolvedFn(f);
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length === 0) return run();
  return Promise.all(missing.map((f) => resolveFn(f))).then(run);
}

export interface Bound {
  C: unknown[];
  V: unknown[];
  O: number[];
  X: unknown[];
  n: number;
}

/** The most rows a batch may have for a generated loop (2^30 - 1; see `compile`). */
export const MAX_BATCH_ROWS = 0x3fffffff;

/** The arguments of a compiled loop for one batch. */
export function bind(c: Compiled, batch: A.RecordBatch): Bound {
  if (batch.numRows > MAX_BATCH_ROWS)
    throw new InputError(
      `A partition of ${batch.numRows} rows is more than the ${MAX_BATCH_ROWS} rows Dusk's kernels take in one partition; build the frame with more partitions (a larger npartitions or a smaller chunksize).`,
    );
  const C: unknown[] = [];
  const V: unknown[] = [];
  const O: number[] = [];
  const dicts: string[][] = [];
  for (const s of c.inputs) {
    const d = columnData(batch, s.name);
    C.push(d.values);
    V.push(d.nullBitmap ?? null);
    O.push(d.offset);
    dicts.push(s.kind === 'dict' ? dictStrings(d.dictionary) : []);
  }
  return { C, V, O, X: computeAux(c.aux, dicts), n: batch.numRows };
}

/**
 * Rows per call of a blocked loop. A loop called once per million-row partition lives in
 * V8's on-stack-replacement (OSR) code, compiled in the middle of the first call, before
 * the lines after the loop have ever run: reaching them deoptimizes it, and V8 keeps
 * entering that OSR code on every later call (measured 1.2-1.5x slower than the loop's
 * whole-function code, and some loops deoptimized on every call). Called per block, a loop
 * is compiled as a whole function after its prelude, loop and epilogue have all run with
 * type feedback. A multiple of `LANES`, so a row's lane is its position in the batch mod
 * `LANES`; 16K float64 rows are 128 KB, and a call costs well under a microsecond.
 */
export const BLOCK_ROWS = 16384;
/**
 * Rows in the first call of a newly compiled loop; each later call doubles it up to
 * `BLOCK_ROWS`, so the first calls are too short for V8 to compile OSR code before the
 * whole function has run a few times. Results do not depend on where blocks are cut:
 * loops keep their lane accumulators in their state between calls.
 */
export const FIRST_BLOCK_ROWS = 64;

/** Runs a compiled loop over every row of a batch in one call (loops whose result is positional). */
export function runWhole(
  c: Compiled,
  b: Bound,
  bad: (f: number, r: unknown, i: number) => never,
  S: unknown,
): unknown {
  return c.fn(b.C, b.V, b.O, b.X, loopFns(c), bad, b.n, S, 0);
}

/**
 * The end of the block starting at row `lo` of `n`: the loop's first calls take short
 * blocks (doubling from FIRST_BLOCK_ROWS, then at most SHORT_ROWS for SHORT_CALLS calls).
 */
function blockEnd(c: Compiled, lo: number, n: number): number {
  const calls = c.ramp.calls++;
  const ramp = Math.min(BLOCK_ROWS, FIRST_BLOCK_ROWS * (1 << Math.min(calls, 16)));
  const rows = calls < SHORT_CALLS ? Math.min(ramp, SHORT_ROWS) : ramp;
  return Math.min(n, lo + rows);
}

/**
 * Runs a compiled loop over every row of a batch, block by block (the loop keeps state in
 * `S`). With `tail`, `c` is a loop without per-lane end tests (see `unrolledLoop`): it gets
 * whole groups of `LANES` rows, and `tail()` (the same loop with the tests, compiled on
 * first need) the few rows left at the batch's end. With `redo`, `c` may decline a block
 * by returning 1, its state as it found it, and `redo()` (compiled on first need) runs it.
 */
export function runBlocks(
  c: Compiled,
  b: Bound,
  bad: (f: number, r: unknown, i: number) => never,
  S: unknown,
  tail?: () => Compiled,
  redo?: () => Compiled,
): void {
  const fns = loopFns(c);
  for (let lo = 0; lo < b.n; ) {
    const end = blockEnd(c, lo, b.n);
    // Blocks are cut at multiples of LANES, so only the batch's last rows can be ragged.
    const hi = end - (tail ? (end - lo) % LANES : 0);
    if (hi > lo && c.fn(b.C, b.V, b.O, b.X, fns, bad, hi, S, lo) === 1) {
      const r = redo!();
      r.fn(b.C, b.V, b.O, b.X, loopFns(r), bad, hi, S, lo);
    }
    if (hi < end) {
      const t = tail!();
      t.fn(b.C, b.V, b.O, b.X, loopFns(t), bad, end, S, hi);
    }
    lo = end;
  }
}

/**
 * A loop's first SHORT_CALLS blocks are at most SHORT_ROWS long. Doubling alone reached
 * 16K-row blocks before V8 decided to optimize a light loop, and V8 then compiled it twice
 * in each worker (on-stack replacement inside the running call, then the whole function;
 * ~3-5 ms each, synchronous in a pool worker): nlargest's loop (OSR compiles 2 -> 1 a
 * step; cold top-5 step medians 102 -> 98 and 93.5 -> 92.4 ms, two sets of 10 processes
 * each, interleaved), and the moments loop of a mean or a sum (the weather notebook's mean
 * step 0.040 -> 0.026 s, medians of 12 runs alternating; docs/design.md).
 */
const SHORT_ROWS = 2048;
const SHORT_CALLS = 200;

/**
 * `runBlocks` for a loop that may stop early: it returns a count and leaves the row it
 * stopped at in `S.stop[0]`; `resume(count)` runs (outside the generated code) and the
 * loop goes on from that row. A function of its own, so the common path's type feedback
 * (and V8's compiled code for it) never sees this one.
 */
export function runBlocksResuming(
  c: Compiled,
  b: Bound,
  bad: (f: number, r: unknown, i: number) => never,
  S: { stop: Int32Array },
  resume: (count: number) => void,
  tail?: () => Compiled,
): void {
  const fns = loopFns(c);
  for (let lo = 0; lo < b.n; ) {
    const end = blockEnd(c, lo, b.n);
    // As in `runBlocks`: whole groups of LANES rows to `c`, a ragged end to its twin.
    const hi = end - (tail ? (end - lo) % LANES : 0);
    for (let at = lo; at < hi; at = S.stop[0]!) {
      resume(c.fn(b.C, b.V, b.O, b.X, fns, bad, hi, S, at) as number);
    }
    if (hi < end) {
      const t = tail!();
      const tf = loopFns(t);
      for (let at = hi; at < end; at = S.stop[0]!) {
        resume(t.fn(b.C, b.V, b.O, b.X, tf, bad, end, S, at) as number);
      }
    }
    lo = end;
  }
}

/**
 * A twin of loop `c`, made by `make` on first need and kept on `c`, checked once to read its
 * batch exactly as `c` does (it shares `c`'s binding): its ragged twin (`runBlocks`' `tail`)
 * or, with `which` 'redo', the loop that runs the blocks `c` declines (`runBlocks`' `redo`).
 */
export function twinOf(
  c: Compiled,
  make: () => Compiled,
  which: 'twin' | 'redo' = 'twin',
): Compiled {
  const kept = c[which];
  if (kept) return kept;
  const twin = sameBinding(c, make());
  c[which] = twin;
  return twin;
}

/** `other`, after checking it takes the arguments `bind(c, batch)` makes (a variant of `c`). */
export function sameBinding(c: Compiled, other: Compiled): Compiled {
  if (c === other) return other;
  const slots = (x: Compiled) => JSON.stringify([x.inputs, x.aux]);
  if (slots(c) !== slots(other))
    throw new Error('Internal error: two variants of a loop bind differently.');
  return other;
}

/** A function that throws the meta mismatch error for row `base + i` of `partition`. */
export function badValue(
  c: Compiled,
  partition: number,
  base: number,
): (f: number, r: unknown, i: number) => never {
  return (f, r, i) => {
    const dtype = c.fns[f]!.dtype;
    const got = r === undefined ? 'undefined' : `${typeof r} ${JSON.stringify(r)}`;
    throw new MetaMismatchError(
      `map: the function returned ${got} at row ${base + i} of partition ${partition}, but its meta says ${dtype}. ` +
        `Return a ${dtype === 'string' ? 'string' : dtype === 'bool' ? 'boolean' : 'number'} (or null), or pass the meta that matches, e.g. { meta: ['name', '${typeof r === 'string' ? 'string' : typeof r === 'boolean' ? 'bool' : 'float64'}'] }.`,
    );
  };
}

function computeAux(specs: readonly AuxSpec[], dicts: string[][]): unknown[] {
  const X: unknown[] = [];
  for (const s of specs) X.push(auxValue(s, X, dicts));
  return X;
}

function auxValue(s: AuxSpec, X: unknown[], dicts: string[][]): unknown {
  switch (s.kind) {
    case 'dict':
      return dicts[s.slot];
    case 'const-dict':
      return [s.value];
    case 'code-of':
      return (X[s.dict] as string[]).indexOf(s.value);
    case 'fill-dict': {
      const d = X[s.dict] as string[];
      return d.includes(s.value) ? d : [...d, s.value];
    }
    case 'remap-codes':
    case 'remap-dict': {
      const d = X[s.dict] as string[];
      const mapped = d.map((x) => (s.fn === 'lower' ? x.toLowerCase() : x.toUpperCase()));
      const uniq = [...new Set(mapped)];
      if (s.kind === 'remap-dict') return uniq;
      const pos = new Map(uniq.map((x, i) => [x, i]));
      return Int32Array.from(mapped, (x) => pos.get(x)!);
    }
    case 'len-lut':
      return Int32Array.from(X[s.dict] as string[], (x) => [...x].length);
    case 'contains-lut': {
      const d = X[s.dict] as string[];
      const re = s.regex ? new RegExp(s.pat, s.case ? '' : 'i') : null;
      const pat = s.case ? s.pat : s.pat.toLowerCase();
      return Uint8Array.from(d, (x) =>
        re ? (re.test(x) ? 1 : 0) : (s.case ? x : x.toLowerCase()).includes(pat) ? 1 : 0,
      );
    }
    case 'rank-lut': {
      const d = X[s.dict] as string[];
      const order = d.map((_, i) => i).sort((a, b) => (d[a]! < d[b]! ? -1 : d[a]! > d[b]! ? 1 : 0));
      const rank = new Int32Array(d.length);
      order.forEach((code, r) => {
        rank[code] = r;
      });
      return rank;
    }
  }
}

/** A cache key fragment for the kinds of the columns a batch gives an expression set. */
export function kindsKey(
  kinds: Map<string, { kind: InputKind; nullable: boolean; ctor: string }>,
): string {
  return JSON.stringify([...kinds]);
}
