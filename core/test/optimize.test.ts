import {
  cull,
  dependencies,
  fnId,
  fuse,
  type Graph,
  graphFrom,
  inline,
  isTask,
  lambdaFn,
  literal,
  moduleFn,
  optimize,
  ref,
  task,
} from '@dusk/core';
import { SyncScheduler } from '@dusk/scheduler';
import { describe, expect, it } from 'vitest';

const inc = lambdaFn((x: number) => x + 1);
const double = lambdaFn((x: number) => x * 2);
const add = lambdaFn((a: number, b: number) => a + b);
const getItem = moduleFn('@dusk/core/kernels', 'getItem');

const run = (g: Graph, keys: string[]) => new SyncScheduler().run(g, keys);

// x -> a1 -> a2 -> a3 (chain), y -> b1, out = add(a3, b1); z unused.
const chainGraph = () =>
  graphFrom({
    x: literal(1),
    a1: task(inc, [ref('x')]),
    a2: task(double, [ref('a1')]),
    a3: task(inc, [ref('a2')]),
    y: literal(10),
    b1: task(double, [ref('y')]),
    out: task(add, [ref('a3'), ref('b1')]),
    z: task(inc, [ref('y')]),
  });

describe('cull', () => {
  it('keeps only what the requested keys need', () => {
    const g = cull(chainGraph(), ['a2']);
    expect([...g.keys()]).toEqual(['x', 'a1', 'a2']);
  });
  it('keeps everything needed by several keys, once', () => {
    expect(cull(chainGraph(), ['out', 'z']).size).toBe(8);
    expect(cull(chainGraph(), ['out']).has('z')).toBe(false);
  });
});

describe('fuse', () => {
  it('collapses linear chains into the last task of the chain', () => {
    const g = fuse(cull(chainGraph(), ['out']), ['out']);
    // a1, a2 absorbed into a3; x and y are literals (not fused); out has fan-in.
    expect(g.has('a1')).toBe(false);
    expect(g.has('a2')).toBe(false);
    expect(g.has('a3')).toBe(true);
    expect(g.has('out')).toBe(true);
    expect(dependencies(g).get('a3')).toEqual(['x']);
  });

  it('never absorbs a requested key', () => {
    const g = fuse(chainGraph(), ['out', 'a2']);
    expect(g.has('a2')).toBe(true);
    expect(g.has('a1')).toBe(false);
  });

  it('does not absorb an input that a task uses twice', async () => {
    const g = graphFrom({
      x: literal(3),
      s: task(inc, [ref('x')]),
      out: task(add, [ref('s'), ref('s')]),
    });
    expect(fuse(g, ['out']).has('s')).toBe(true);
    expect(await run(fuse(g, ['out']), ['out'])).toEqual([8]);
  });

  it('does not fuse a task with two dependents', () => {
    const g = graphFrom({
      x: literal(1),
      s: task(inc, [ref('x')]),
      l: task(double, [ref('s')]),
      r: task(inc, [ref('s')]),
      out: task(add, [ref('l'), ref('r')]),
    });
    expect(fuse(g, ['out']).has('s')).toBe(true);
  });

  it('does not change results', async () => {
    for (const keys of [['out'], ['out', 'a2'], ['a3', 'z']]) {
      const plain = await run(chainGraph(), keys);
      const fused = await run(fuse(chainGraph(), keys), keys);
      expect(fused).toEqual(plain);
      expect(await run(optimize(chainGraph(), keys), keys)).toEqual(plain);
    }
  });
});

describe('inline', () => {
  it('inlines small literals and fast tasks into their dependents', async () => {
    const g = graphFrom({
      pair: literal([3, 4]),
      first: task(getItem, [ref('pair'), 0]),
      out: task(inc, [ref('first')]),
    });
    const inlined = inline(g, ['out'], { fast: new Set([fnId(getItem)]) });
    expect([...inlined.keys()]).toEqual(['out']);
    const out = inlined.get('out')!;
    expect(isTask(out) && isTask(out.args[0])).toBe(true);
    expect(await run(inlined, ['out'])).toEqual([4]);
  });

  it('inlines a large literal used by a single reference as a quote, not a copy', async () => {
    const big = new Float64Array(1000).fill(2);
    const g = graphFrom({
      big: literal(big),
      a: task(
        lambdaFn((x: Float64Array) => x[0]! + 1),
        [ref('big')],
      ),
    });
    const inlined = inline(g, ['a']);
    expect([...inlined.keys()]).toEqual(['a']);
    const a = inlined.get('a')!;
    expect(isTask(a) && (a.args[0] as { quote: unknown }).quote).toBe(big);
    expect(await run(inlined, ['a'])).toEqual([3]);
  });

  it('keeps requested keys and large literals used more than once', () => {
    const big = new Float64Array(1000);
    const g = graphFrom({
      big: literal(big),
      a: task(inc, [ref('big')]),
      b: task(inc, [ref('big')]),
    });
    expect(inline(g, ['a', 'b']).has('big')).toBe(true);
    const small = graphFrom({ n: literal(5), a: task(inc, [ref('n')]) });
    expect(inline(small, ['a', 'n']).has('n')).toBe(true);
  });
});

describe('optimize', () => {
  it('inlines the core getItem by default, so nout results cost no extra tasks', () => {
    const g = graphFrom({
      pair: task(inc, [1]),
      first: task(getItem, [ref('pair'), 0]),
      second: task(getItem, [ref('pair'), 1]),
      out: task(add, [ref('first'), ref('second')]),
    });
    expect([...optimize(g, ['out']).keys()]).toEqual(['pair', 'out']);
  });
});

describe('optimizer passes are pure', () => {
  it('never mutate their input graph', () => {
    const g = chainGraph();
    const before = structuredClone(g);
    cull(g, ['out']);
    fuse(g, ['out']);
    inline(g, ['out']);
    optimize(g, ['out']);
    expect(g).toEqual(before);
  });
});
