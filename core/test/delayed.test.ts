import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  COLLECTION,
  config,
  Delayed,
  delayed,
  FreeVariableError,
  FunctionResolveError,
  hasGraphviz,
  materialize,
  moduleFn,
  toDot,
} from '@dusk/core';
import { compute, persist } from '@dusk/scheduler';
import { describe, expect, it } from 'vitest';
import { countCall, extract, preprocess, summary, t } from './fixtures/image-tasks.mjs';

describe('delayed', () => {
  it('builds a graph and runs nothing until compute', async () => {
    const inc = delayed((x: number) => x + 1);
    const d = inc(1);
    expect(d).toBeInstanceOf(Delayed);
    expect(materialize([d.layer]).size).toBe(1);
    expect(await d.compute()).toBe(2);
  });

  it('expresses the pipeline stage3(stage2(stage1(5)))', async () => {
    const stage1 = delayed((x: number) => x + 1);
    const stage2 = delayed((x: number) => x * 2);
    const stage3 = delayed((x: number) => `result=${x}`);
    expect(await stage3(stage2(stage1(5))).compute()).toBe('result=12');
  });

  it('expresses a parallel loop computed together', async () => {
    const multiply = delayed((i: number) => i * 10);
    const results = await compute(...Array.from({ length: 10 }, (_, i) => multiply(i)));
    expect(results).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
  });

  it('expresses map-reduce sum(map(square, data))', async () => {
    const square = delayed((x: number) => x * x);
    const sum = delayed((xs: number[]) => xs.reduce((a, b) => a + b, 0));
    expect(await sum([1, 2, 3, 4].map((x) => square(x))).compute()).toBe(30);
  });

  it('expresses a tree of 10 image pipelines with functions from a user module', async () => {
    const features = Array.from({ length: 10 }, (_, i) =>
      delayed(t.extract)(delayed(t.preprocess)(i)),
    );
    const report = await delayed(summary)(features).compute();
    const expected = summary(Array.from({ length: 10 }, (_, i) => extract(preprocess(i))));
    expect(report).toBe(expected);
  });

  it('accepts delayed values nested in arrays and objects', async () => {
    const inc = delayed((x: number) => x + 1);
    const f = delayed(
      (o: { a: number; list: number[]; deep: { b: number } }) =>
        o.a + o.list[0]! + o.list[1]! + o.deep.b,
    );
    expect(await f({ a: inc(0), list: [inc(1), 5], deep: { b: inc(9) } }).compute()).toBe(18);
  });

  it('quotes plain values that look like graph syntax', async () => {
    const echo = delayed((o: unknown) => o);
    expect(await echo({ ref: 'not-a-key' }).compute()).toEqual({ ref: 'not-a-key' });
    expect(await echo([{ fn: 1, args: [] }]).compute()).toEqual([{ fn: 1, args: [] }]);
  });

  it('nout: destructures tuple results', async () => {
    const divmod = delayed((a: number, b: number) => [Math.floor(a / b), a % b], { nout: 2 });
    const [q, r] = divmod(17, 5);
    expect(await compute(q!, r!)).toEqual([3, 2]);
    expect(() => [...delayed((x: number) => x)(1)]).toThrow(/nout/);
  });

  it('pure calls share keys; impure calls get unique keys', () => {
    const pureInc = delayed((x: number) => x + 1, { pure: true });
    expect(pureInc(1).key).toBe(pureInc(1).key);
    expect(pureInc(1).key).not.toBe(pureInc(2).key);
    const inc = delayed((x: number) => x + 1);
    expect(inc(1).key).not.toBe(inc(1).key);
    expect(pureInc(1).key.startsWith('lambda-')).toBe(true);
    expect(delayed((x: number) => x, { name: 'load' })(1).key.startsWith('load-')).toBe(true);
  });

  it('compute of several collections runs shared work once', async () => {
    (globalThis as any).__duskCalls = 0;
    const shared = delayed(countCall, { pure: true })(21);
    const a = delayed((x: number) => x * 2)(shared);
    const b = delayed((x: number) => x + 1)(shared);
    // The call counter lives in this thread: run here (the default scheduler uses workers).
    expect(await compute(a, b, shared, { scheduler: 'sync' })).toEqual([42, 22, 21]);
    expect((globalThis as any).__duskCalls).toBe(1);
  });

  it('refuses a lambda that uses an outside variable, naming it', () => {
    const factor = 3;
    const offset = 1;
    expect(() => delayed((x: number) => x * factor + offset)).toThrow(FreeVariableError);
    expect(() => delayed((x: number) => x * factor)).toThrow(/uses 'factor' from its surroundings/);
    try {
      delayed((x: number) => x * factor + offset);
    } catch (e) {
      expect((e as FreeVariableError).names).toEqual(['factor', 'offset']);
      expect((e as FreeVariableError).code).toBe('E_FREE_VARIABLE');
    }
  });

  it('allows globals and local variables in lambdas', async () => {
    const f = delayed((x: number) => {
      const y = Math.sqrt(x);
      const parts = [y].map((v) => JSON.stringify(v));
      return parts.join('');
    });
    expect(await f(16).compute()).toBe('4');
  });

  it('names a missing export of a user module', async () => {
    const ghost = delayed(
      moduleFn(new URL('./fixtures/image-tasks.mjs', import.meta.url).href, 'ghost'),
    );
    await expect(ghost(1).compute()).rejects.toThrow(FunctionResolveError);
    await expect(ghost(1).compute()).rejects.toThrow(/no exported function 'ghost'.*preprocess/);
  });

  it('persist computes once and keeps the value in the graph', async () => {
    (globalThis as any).__duskCalls = 0;
    const d = delayed(countCall, { pure: true })(7);
    const [p] = await persist(d, { scheduler: 'sync' });
    expect((globalThis as any).__duskCalls).toBe(1);
    expect(p.key).toBe(d.key);
    expect(await delayed((x: number) => x * 2)(p).compute()).toBe(14);
    expect((globalThis as any).__duskCalls).toBe(1);
    const spec = p[COLLECTION]();
    expect([...materialize([spec.layer]).values()]).toEqual([{ value: 7 }]);
  });

  it('wraps values, and lists of delayed values, as Delayed', async () => {
    expect(await delayed(5).compute()).toBe(5);
    const inc = delayed((x: number) => x + 1);
    expect(await delayed([inc(1), inc(2)]).compute()).toEqual([2, 3]);
  });

  it('visualizes as DOT', () => {
    const inc = delayed((x: number) => x + 1, { name: 'inc' });
    const d = inc(inc(1));
    const dot = toDot(materialize([d.layer]));
    expect(dot).toMatch(/^digraph dusk \{/);
    expect(dot.match(/->/g)?.length).toBe(1);
    const file = join(mkdtempSync(join(tmpdir(), 'dusk-')), 'g.dot');
    expect(d.visualize(file)).toBe(dot);
    expect(readFileSync(file, 'utf8')).toBe(dot);
    if (hasGraphviz()) {
      d.visualize(file.replace(/dot$/, 'svg'));
      expect(readFileSync(file.replace(/dot$/, 'svg'), 'utf8')).toMatch(/<svg/);
    }
  });

  it('computes with the optimizer switched off, with the same result', async () => {
    const inc = delayed((x: number) => x + 1);
    const d = inc(inc(inc(1)));
    expect(await d.compute({ optimize: false })).toBe(4);
    const restore = config.set({ optimize: false });
    try {
      expect(await d.compute()).toBe(4);
    } finally {
      restore();
    }
  });
});

describe('arguments that would lose their class', () => {
  class Point {
    constructor(
      readonly x: number,
      readonly y: number,
    ) {}
  }

  it('refuses a class instance in a call, naming the argument, the place and the class', () => {
    const norm = delayed((p: { x: number; y: number }) => Math.hypot(p.x, p.y), { name: 'norm' });
    expect(() => norm(new Point(3, 4))).toThrow(
      /Argument 1 of the call to 'norm' is a Point instance, which a worker/,
    );
    const sum = delayed((xs: unknown) => xs);
    expect(() => sum({ list: [1, new Point(1, 2)] })).toThrow(/a Point instance at \.list\[1\]/);
    expect(() => delayed(new Point(1, 2))).toThrow(/value given to delayed\(\) is a Point/);
  });

  it('accepts plain data, typed arrays, Map, Set, Date and lazy values', async () => {
    const f = delayed((...xs: unknown[]) => xs.length);
    const lazy = delayed(2);
    const call = f(
      { a: 1 },
      [1, 2],
      new Float64Array(2),
      new Map([[1, 2]]),
      new Set([1]),
      new Date(0),
      lazy,
    );
    expect(await call.compute({ scheduler: 'sync' })).toBe(7);
  });
});

describe('functions declared with tasks()', () => {
  it('run in the calling thread without importing their module', async () => {
    const { resolvedFn, tasks: declare } = await import('@dusk/core');
    const triple = (x: number) => x * 3;
    // A module URL that cannot be imported: the sync scheduler must not need to.
    const t = declare('file:///nonexistent/user-module.js', { triple });
    expect(resolvedFn({ module: 'file:///nonexistent/user-module.js', name: 'triple' })).toBe(
      triple,
    );
    expect(await delayed(t.triple)(5).compute({ scheduler: 'sync' })).toBe(15);
  });
});
