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
