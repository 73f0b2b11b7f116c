import { describe, expect, it } from 'vitest';
import { main as mapReduce } from '../../dist/patterns/map-reduce.js';
import { main as parallelLoop } from '../../dist/patterns/parallel-loop.js';
import { main as pipeline } from '../../dist/patterns/pipeline.js';
import { isPrime, main as primes } from '../../dist/patterns/primes.js';
import { main as scatterGather } from '../../dist/patterns/scatter-gather.js';
import { runCaptured, testSchedulers } from '../helpers.js';

describe.each(testSchedulers())('classic patterns on %s', (scheduler) => {
  const on = ['--scheduler', scheduler];

  it('map-reduce: sum of squares, small and chunked with a tree of partial sums', async () => {
    const n = 12_345;
    const { lines } = await runCaptured(mapReduce, [...on, '--n', String(n), '--chunk', '1000']);
    const closedForm = (n * (n + 1) * (2 * n + 1)) / 6;
    expect(lines).toEqual([
      'MapReduce Result: 55',
      'Sum of squares: 385',
      `Sum of squares of 1..${n} in 13 chunks: ${closedForm}`,
    ]);
  });

  it('scatter-gather: three ranges summed, and every item squared and keyed', async () => {
    const { lines, result } = await runCaptured(scatterGather, [...on, '--items', '100']);
    expect(lines).toEqual(['Gathered Result: 465', 'Gathered 100 results; 7 -> 49, 99 -> 9801']);
    expect(result.pieces).toEqual([55, 155, 255]);
    for (const [x, sq] of result.squares) expect(sq).toBe(x * x);
  });

  it('three-stage pipeline: prints (9,) and the staged items', async () => {
    const { stdout } = await runCaptured(pipeline, on);
    expect(stdout).toBe('(9,)\n[144, 196, 256, 324, 400]\n');
  });

  it('parallel loop: prints the tuple of results', async () => {
    const { stdout } = await runCaptured(parallelLoop, [...on, '--n', '10']);
    expect(stdout).toBe('(0, 2, 4, 6, 8, 10, 12, 14, 16, 18)\n');
  });

  it('prime checking: the primes of the range, found in batches', async () => {
    const { lines } = await runCaptured(primes, [...on, '--start', '10000000', '--count', '100']);
    expect(lines[0]).toBe('Primes: [10000019, 10000079]');
    expect(lines[1]).toMatch(/^Time taken: \d+\.\d+(e-\d+)?$/);
    const small = await runCaptured(primes, [
      ...on,
      '--start',
      '0',
      '--count',
      '30',
      '--batch',
      '7',
    ]);
    const expected = Array.from({ length: 30 }, (_, i) => i).filter((x) => {
      if (x < 2) return false;
      for (let d = 2; d < x; d++) if (x % d === 0) return false;
      return true;
    });
    expect(small.result).toEqual(expected);
    expect(isPrime(1)).toBe(false);
  });
});
