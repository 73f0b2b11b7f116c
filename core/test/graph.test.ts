import {
  dependencies,
  dependents,
  GraphCycleError,
  graphFrom,
  literal,
  MissingKeyError,
  mergeGraphs,
  moduleFn,
  order,
  ref,
  task,
  toposort,
} from '@dusk/core';
import { describe, expect, it } from 'vitest';

const add = moduleFn('@dusk/test', 'add');

describe('graph', () => {
  const g = graphFrom({
    a: literal(1),
    b: task(add, [ref('a'), 2]),
    c: task(add, [ref('a'), [ref('b'), { x: ref('b') }]]),
  });

  it('finds dependencies in nested arguments, once each, in argument order', () => {
    const deps = dependencies(g);
    expect(deps.get('a')).toEqual([]);
    expect(deps.get('b')).toEqual(['a']);
    expect(deps.get('c')).toEqual(['a', 'b']);
    expect(dependents(deps).get('a')).toEqual(['b', 'c']);
  });

  it('does not look inside quoted literals', () => {
    const q = graphFrom({ a: task(add, [{ quote: { ref: 'nope' } }]) });
    expect(dependencies(q).get('a')).toEqual([]);
  });

  it('toposorts dependencies first', () => {
    const o = toposort(g);
    expect(o.indexOf('a')).toBeLessThan(o.indexOf('b'));
    expect(o.indexOf('b')).toBeLessThan(o.indexOf('c'));
  });

  it('names the cycle', () => {
    const cyc = graphFrom({ a: task(add, [ref('b')]), b: task(add, [ref('a')]), c: literal(0) });
    expect(() => toposort(cyc)).toThrow(GraphCycleError);
    expect(() => toposort(cyc)).toThrow('a -> b -> a');
    expect(() => order(cyc, ['a'])).toThrow('a -> b -> a');
  });

  it('names a missing key and the task that needs it', () => {
    const bad = graphFrom({ a: task(add, [ref('ghost')]) });
    expect(() => dependencies(bad)).toThrow(MissingKeyError);
    expect(() => dependencies(bad)).toThrow(/Task 'a' refers to key 'ghost'/);
    expect(() => order(g, ['zzz'])).toThrow(/Key 'zzz' is not in the graph/);
  });

  it('merges graphs without changing the inputs', () => {
    const h = graphFrom({ d: literal(4) });
    const m = mergeGraphs(g, h);
    expect([...m.keys()]).toEqual(['a', 'b', 'c', 'd']);
    expect(g.size).toBe(3);
  });

  it('a graph is plain data: it survives structuredClone and JSON', () => {
    const cloned = structuredClone(g);
    expect(cloned).toEqual(g);
    expect(JSON.parse(JSON.stringify([...g]))).toEqual(JSON.parse(JSON.stringify([...cloned])));
  });
});
