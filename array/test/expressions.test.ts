/**
 * Randomised differential test: composed expressions (broadcast arithmetic, transposes,
 * strided slices, rechunks, reductions) over random shapes and awkward chunkings, checked
 * against the same steps on plain nested arrays. Operands are stored or generated (random
 * blocks made inside the tasks). Seeded, so every run checks the same cases;
 * DUSK_TEST_SEED and DUSK_TEST_CASES widen the search.
 */
import * as da from '@dusk/array';
import { describe, expect, it } from 'vitest';
import { expectClose, run } from './helpers.js';

type M = number[][];

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A random chunking of length n: sizes (zeros included) summing to n. */
function chunking(n: number, r: () => number): number[] {
  const out: number[] = [];
  let left = n;
  while (left > 0) {
    const c = r() < 0.15 ? 0 : 1 + Math.floor(r() * Math.min(left, 4));
    out.push(Math.min(c, left));
    left -= Math.min(c, left);
  }
  return out.length ? out : [0];
}

const transpose = (m: M): M => (m[0] ?? []).map((_, j) => m.map((row) => row[j]!));
const pySlice = (n: number, start: number, stop: number, step: number): number[] => {
  const out: number[] = [];
  const norm = (x: number, lo: number, hi: number) => Math.min(Math.max(x < 0 ? x + n : x, lo), hi);
  const s0 = step > 0 ? norm(start, 0, n) : norm(start, -1, n - 1);
  const e0 = step > 0 ? norm(stop, 0, n) : norm(stop, -1, n - 1);
  for (let i = s0; step > 0 ? i < e0 : i > e0; i += step) out.push(i);
  return out;
};

const OPS: [string, (x: number, y: number) => number][] = [
  ['add', (x, y) => x + y],
  ['sub', (x, y) => x - y],
  ['mul', (x, y) => x * y],
  ['maximum', (x, y) => Math.max(x, y)],
];

describe('random composed expressions', () => {
  const r = rng(Number(process.env.DUSK_TEST_SEED ?? 12345));
  for (let t = 0; t < Number(process.env.DUSK_TEST_CASES ?? 40); t++) {
    const rows = 1 + Math.floor(r() * 6);
    const cols = 1 + Math.floor(r() * 6);
    const A: M = Array.from({ length: rows }, () =>
      Array.from({ length: cols }, () => Math.round(r() * 20 - 10)),
    );
    const kind = Math.floor(r() * 4);
    const B: M =
      kind === 0
        ? Array.from({ length: rows }, () =>
            Array.from({ length: cols }, () => Math.round(r() * 9)),
          )
        : kind === 1
          ? [Array.from({ length: cols }, () => Math.round(r() * 9))]
          : Array.from({ length: rows }, () => [Math.round(r() * 9)]);
    const [opName, f] = OPS[Math.floor(r() * OPS.length)]!;
    const flip = r() < 0.5;
    const [a0, a1, ast] = [
      Math.floor(r() * 7) - 3,
      Math.floor(r() * 9) - 3,
      r() < 0.5 ? 1 : -1 - Math.floor(r() * 2),
    ];
    const axis = [null, 0, 1][Math.floor(r() * 3)]!;
    const reducer = (['sum', 'max', 'mean'] as const)[Math.floor(r() * 3)]!;
    const ca = [chunking(rows, r), chunking(cols, r)];
    const cb = [chunking(B.length, r), chunking(B[0]!.length, r)];
    const generated = r() < 0.5;
    const seed = Math.floor(r() * 1000);
    const re = [chunking(flip ? cols : rows, r), chunking(flip ? rows : cols, r)];
    it(`case ${t}: ${opName} of (${rows}, ${cols}) and (${B.length}, ${B[0]!.length})${flip ? ', .T' : ''}, slice ${a0}:${a1}:${ast}, ${reducer}(${axis})`, async () => {
      let a = da.fromArray(A, { chunks: ca });
      let b = da.fromArray(B, { chunks: cb });
      if (generated) {
        a = da.random.randint(-10, 10, { shape: [rows, cols], chunks: ca, seed });
        b = da.random.randint(0, 9, {
          shape: [B.length, B[0]!.length],
          chunks: cb,
          seed: seed + 1,
        });
        A.splice(0, rows, ...((await run(a)) as M));
        B.splice(0, B.length, ...((await run(b)) as M));
      }
      let x = (a as any)[opName](b) as da.DuskArray;
      let ref: M = A.map((row, i) =>
        row.map((v, j) => f(v, B[B.length === 1 ? 0 : i]![B[0]!.length === 1 ? 0 : j]!)),
      );
      if (flip) {
        x = x.T;
        ref = transpose(ref);
      }
      x = x.rechunk(re).slice([a0, a1, ast]);
      ref = pySlice(ref.length, a0, a1, ast).map((i) => ref[i]!);
      expectClose(await run(x), ref, 0);
      if (ref.length === 0 || ref[0]!.length === 0) return;
      const red = (v: number[]) =>
        reducer === 'sum'
          ? v.reduce((p, q) => p + q, 0)
          : reducer === 'max'
            ? Math.max(...v)
            : v.reduce((p, q) => p + q, 0) / v.length;
      const want =
        axis === null ? red(ref.flat()) : axis === 0 ? transpose(ref).map(red) : ref.map(red);
      expectClose(await run((x as any)[reducer]({ axis })), want, 1e-12);
    });
  }
});

describe('random products, joins, picks and arg-reductions', () => {
  const r = rng(Number(process.env.DUSK_TEST_SEED ?? 777));
  const matrix = (rows: number, cols: number): M =>
    Array.from({ length: rows }, () =>
      Array.from({ length: cols }, () => Math.round(r() * 20 - 10)),
    );
  for (let t = 0; t < Number(process.env.DUSK_TEST_CASES ?? 25); t++) {
    const [m, k, n] = [1 + Math.floor(r() * 5), 1 + Math.floor(r() * 5), 1 + Math.floor(r() * 5)];
    const A = matrix(m, k);
    const B = matrix(k, n);
    const C = matrix(m, k);
    const ca = [chunking(m, r), chunking(k, r)];
    const cb = [chunking(k, r), chunking(n, r)];
    const cc = [chunking(m, r), chunking(k, r)];
    const axis = r() < 0.5 ? 0 : 1;
    const picks = Array.from(
      { length: Math.floor(r() * 6) },
      () => Math.floor(r() * (axis ? k : m) * 2) - (axis ? k : m),
    );
    const threshold = Math.round(r() * 10 - 5);
    it(`case ${t}: (${m}, ${k}) @ (${k}, ${n}), concatenate/take on axis ${axis}, mask > ${threshold}`, async () => {
      const a = da.fromArray(A, { chunks: ca });
      const b = da.fromArray(B, { chunks: cb });
      const c = da.fromArray(C, { chunks: cc });
      const AB = A.map((row) => B[0]!.map((_, j) => row.reduce((s, v, q) => s + v * B[q]![j]!, 0)));
      expectClose(await run(a.dot(b)), AB, 0);
      const joined = axis === 0 ? [...A, ...C] : A.map((row, i) => [...row, ...C[i]!]);
      expectClose(await run(da.concatenate([a, c], axis)), joined, 0);
      const taken =
        axis === 0
          ? picks.map((p) => A[p < 0 ? p + m : p]!)
          : A.map((row) => picks.map((p) => row[p < 0 ? p + k : p]!));
      expectClose(await run(a.take(picks, axis)), taken, 0);
      const kept = A.flat().filter((v) => v > threshold);
      const got = (await run(a.mask(a.gt(threshold)))) as number[];
      expect([...got].sort((p, q) => p - q)).toEqual([...kept].sort((p, q) => p - q));
      const cols = (x: M) => x[0]!.map((_, j) => x.map((row) => row[j]!));
      const lines = axis === 0 ? cols(A) : A;
      expect(await run(a.argmax({ axis: axis === 0 ? 0 : 1 }))).toEqual(
        lines.map((v) => v.indexOf(Math.max(...v))),
      );
      expect(await run(a.argmin({ axis: axis === 0 ? 0 : 1 }))).toEqual(
        lines.map((v) => v.indexOf(Math.min(...v))),
      );
      const flat = A.flat();
      expect(await run(a.argmin())).toBe(flat.indexOf(Math.min(...flat)));
    });
  }
});

/** A plain n-d array for references: C-order values and a shape. */
interface Plain {
  shape: number[];
  data: number[];
}

function strides(shape: readonly number[]): number[] {
  const s = shape.map(() => 1);
  for (let d = shape.length - 2; d >= 0; d--) s[d] = s[d + 1]! * shape[d + 1]!;
  return s;
}

function indices(shape: readonly number[]): number[][] {
  const total = shape.reduce((a, b) => a * b, 1);
  return Array.from({ length: total }, (_, f) => {
    const idx: number[] = [];
    for (let d = shape.length - 1; d >= 0; d--) {
      idx.unshift(f % shape[d]!);
      f = Math.floor(f / shape[d]!);
    }
    return idx;
  });
}

function nestedOf(p: Plain): unknown {
  const st = strides(p.shape);
  const build = (d: number, off: number): unknown =>
    d === p.shape.length
      ? p.data[off]
      : Array.from({ length: p.shape[d]! }, (_, i) => build(d + 1, off + i * st[d]!));
  return build(0, 0);
}

function permute(p: Plain, perm: number[]): Plain {
  const shape = perm.map((a) => p.shape[a]!);
  const st = strides(p.shape);
  return {
    shape,
    data: indices(shape).map((idx) => p.data[idx.reduce((o, i, d) => o + i * st[perm[d]!]!, 0)]!),
  };
}

function pick(p: Plain, lists: number[][]): Plain {
  const shape = lists.map((l) => l.length);
  const st = strides(p.shape);
  return {
    shape,
    data: indices(shape).map(
      (idx) => p.data[idx.reduce((o, i, d) => o + lists[d]![i]! * st[d]!, 0)]!,
    ),
  };
}

function reduceAxes(
  p: Plain,
  axes: number[],
  f: (v: number[]) => number,
  keepdims: boolean,
): Plain {
  const shape = p.shape.map((s, d) => (axes.includes(d) ? 1 : s));
  const st = strides(p.shape);
  const data = indices(shape).map((out) => {
    const sub = p.shape.map((s, d) =>
      axes.includes(d) ? Array.from({ length: s }, (_, i) => i) : [out[d]!],
    );
    return f(pick({ shape: p.shape, data: p.data }, sub).data);
  });
  void st;
  return { shape: keepdims ? shape : shape.filter((_, d) => !axes.includes(d)), data };
}

describe('random 3-d transposes, strided slices and multi-axis reductions', () => {
  const r = rng(Number(process.env.DUSK_TEST_SEED ?? 4242));
  const perms = [
    [0, 1, 2],
    [2, 1, 0],
    [1, 2, 0],
    [2, 0, 1],
  ];
  const reducers: [string, (v: number[]) => number][] = [
    ['sum', (v) => v.reduce((a, b) => a + b, 0)],
    ['min', (v) => Math.min(...v)],
    [
      'var',
      (v) => {
        const m = v.reduce((a, b) => a + b, 0) / v.length;
        return v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length;
      },
    ],
  ];
  for (let t = 0; t < Number(process.env.DUSK_TEST_CASES ?? 20); t++) {
    const shape = [1 + Math.floor(r() * 4), 1 + Math.floor(r() * 4), 1 + Math.floor(r() * 4)];
    const base: Plain = { shape, data: indices(shape).map(() => Math.round(r() * 16 - 8)) };
    const chunks = shape.map((n) => chunking(n, r));
    const perm = perms[Math.floor(r() * perms.length)]!;
    const steps = [0, 1, 2].map(() => (r() < 0.5 ? 1 : -2));
    const axes = [0, 1, 2].filter(() => r() < 0.5);
    const keepdims = r() < 0.5;
    const [rname, rf] = reducers[Math.floor(r() * reducers.length)]!;
    const generated = r() < 0.5;
    it(`case ${t}: shape (${shape}), transpose (${perm}), steps (${steps}), ${rname} over (${axes})${keepdims ? ' keepdims' : ''}`, async () => {
      let x = da.fromArray(nestedOf(base) as any, { chunks });
      if (generated) {
        x = da.random.randint(-8, 8, { shape, chunks, seed: t });
        base.data = (((await run(x.astype('float64').mul(1))) as any) ?? []).flat(2);
      }
      const y = x
        .astype('float64')
        .add(0.5)
        .transpose(perm)
        .slice(...steps.map((s) => [null, null, s] as const));
      let ref = permute({ shape, data: base.data.map((v) => v + 0.5) }, perm);
      ref = pick(
        ref,
        ref.shape.map((n, d) =>
          pySlice(n, steps[d]! > 0 ? 0 : n - 1, steps[d]! > 0 ? n : -n - 1, steps[d]!),
        ),
      );
      expectClose(await run(y), nestedOf(ref), 0);
      if (axes.length > 0) {
        const want = reduceAxes(ref, axes, rf, keepdims);
        expectClose(await run((y as any)[rname]({ axis: axes, keepdims })), nestedOf(want), 1e-12);
      }
    });
  }
});
