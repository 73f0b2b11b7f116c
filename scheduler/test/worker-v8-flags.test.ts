// Pool workers compile optimized code on their own thread (see worker-v8-flags.ts): child
// processes get the flag on their command line; the caller's own isolate is left alone.
import { delayed } from '@dusk/core';
import { closePools, compute } from '@dusk/scheduler';
import { afterAll, describe, expect, it } from 'vitest';

afterAll(() => closePools());

describe('V8 flags of pool workers', () => {
  it('starts child-process workers with concurrent recompilation off', async () => {
    const argv = delayed(() => process.execArgv.join(' '), { pure: false })();
    const [flags] = await compute(argv, { scheduler: 'processes', workers: 1 });
    expect(flags).toContain('--no-concurrent-recompilation');
    expect(process.execArgv).not.toContain('--no-concurrent-recompilation');
  });
});
