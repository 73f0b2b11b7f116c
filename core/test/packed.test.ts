// mapPacked and filledPacked make packed arrays whether their caller runs in the
// interpreter or in optimized code (core/src/packed.ts says why that matters).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { filledPacked, mapPacked } from '@dusk/core';
import { expect, it } from 'vitest';

it('maps and fills like Array.prototype.map and fill', () => {
  expect(mapPacked([1, 2, 3], (x, i) => x * 10 + i)).toEqual([10, 21, 32]);
  expect(mapPacked(new Int32Array([4, 5]), (x) => `${x}`)).toEqual(['4', '5']);
  expect(mapPacked([], (x) => x)).toEqual([]);
  expect(filledPacked(3, null)).toEqual([null, null, null]);
});

it('gives packed arrays in the interpreter and in optimized code', () => {
  // V8's own view of the arrays, through its test-only natives in a child process.
  const script = `
    import { filledPacked, mapPacked } from '@dusk/core';
    const twice = (a) => mapPacked(a, (x) => x * 2);
    const xs = [1, 2, 3];
    const out = { interpreted: %HasHoleyElements(twice(xs)) };
    // Optimized both as inlined into a caller and on its own (Array.prototype.map inlined
    // by TurboFan makes a holey array where the builtin made a packed one).
    %PrepareFunctionForOptimization(twice);
    %PrepareFunctionForOptimization(mapPacked);
    twice(xs);
    mapPacked(xs, (x) => x);
    %OptimizeFunctionOnNextCall(twice);
    out.optimized = %HasHoleyElements(twice(xs));
    out.wasOptimized = %GetOptimizationStatus(twice);
    %OptimizeFunctionOnNextCall(mapPacked);
    out.alone = %HasHoleyElements(mapPacked(xs, (x) => x + 1));
    out.aloneOptimized = %GetOptimizationStatus(mapPacked);
    out.filled = %HasHoleyElements(filledPacked(3, 0));
    console.log(JSON.stringify(out));`;
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const p = spawnSync(
    process.execPath,
    ['--allow-natives-syntax', '--input-type=module', '-e', script],
    { cwd: root, encoding: 'utf8' },
  );
  expect(p.stderr).toBe('');
  const out = JSON.parse(p.stdout);
  expect(out).toMatchObject({ interpreted: false, optimized: false, alone: false, filled: false });
  // Bit 4 of V8's status: the function ran as TurboFan code.
  expect(out.wasOptimized & 16).toBe(16);
  expect(out.aloneOptimized & 16).toBe(16);
});
