// fnsResolved: whether a pool worker may run tasks without awaiting preloadFns first.
import { fnsResolved, lambdaFn, moduleFn, preloadFns, resolvedFn } from '@dusk/core';
import { describe, expect, it } from 'vitest';

const fixture = new URL('./fixtures/image-tasks.mjs', import.meta.url).href;

describe('fnsResolved', () => {
  it('is false until every function the nodes name (inline tasks too) is resolved', async () => {
    const inner = { fn: lambdaFn((x: number) => x + 1), args: [1] };
    const node = { fn: moduleFn(fixture, 'preprocess'), args: [inner, { quote: { fn: 'x' } }] };
    expect(fnsResolved([node])).toBe(false);
    await preloadFns([node]);
    expect(fnsResolved([node])).toBe(true);
    // A reference decoded anew (as each message brings) is found by its id.
    const copy = structuredClone(node);
    expect(fnsResolved([copy])).toBe(true);
    expect(() => resolvedFn(copy.fn)).not.toThrow();
    // One unresolved function among resolved ones is enough to wait.
    const other = { fn: lambdaFn((x: number) => x * 3), args: [2] };
    expect(fnsResolved([copy, other])).toBe(false);
    // Literals and quoted values name no functions.
    expect(fnsResolved([{ value: 1 } as never])).toBe(true);
  });
});
