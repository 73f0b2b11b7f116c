import { describe, expect, it } from 'vitest';
import { main } from '../../dist/patterns/futures.js';
import { runCaptured, testSchedulers } from '../helpers.js';

describe.each(testSchedulers())('futures on %s', (scheduler) => {
  it('maps, gathers and shows progress as futures finish', async () => {
    const { stdout, stderr, result } = await runCaptured(main, [
      ...['--scheduler', scheduler, '--n', '6', '--sleep-ms', '10'],
    ]);
    expect(stdout).toBe('Task Results: [10, 12, 14, 16, 18, 20]\n[0, 2, 4, 6, 8, 10]\n');
    expect(result).toEqual({ sums: [10, 12, 14, 16, 18, 20], doubled: [0, 2, 4, 6, 8, 10] });
    expect(stderr).toContain(`[${'#'.repeat(40)}] 6/6`);
  });
});
