// The command lines of dusk-scheduler and dusk-worker: flags, environment fallbacks, and
// an InvalidArgumentError naming the flag for a bad value.
import { describe, expect, it } from 'vitest';
import { parseSchedulerArgs, parseWorkerArgs } from '../src/distributed/cli-args.js';

describe('dusk-scheduler arguments', () => {
  it('reads port, host and token, the token also from the environment', () => {
    expect(parseSchedulerArgs(['--port', '9000', '--host', '0.0.0.0'], {})).toEqual({
      port: 9000,
      host: '0.0.0.0',
      token: undefined,
    });
    expect(parseSchedulerArgs([], { DUSK_SCHEDULER_TOKEN: 's' }).token).toBe('s');
    expect(parseSchedulerArgs(['--token', 'a'], { DUSK_SCHEDULER_TOKEN: 's' }).token).toBe('a');
  });

  it('refuses a bad port by name', () => {
    expect(() => parseSchedulerArgs(['--port', 'http'], {})).toThrow(
      "--port must be a whole number >= 0, got 'http'.",
    );
  });
});

describe('dusk-worker arguments', () => {
  it('takes the address first, then threads, name and token', () => {
    const o = parseWorkerArgs(['ws://h:8786', '--nthreads', '4', '--name', 'big'], {});
    expect(o).toMatchObject({ address: 'ws://h:8786', nthreads: 4, name: 'big' });
    expect(o.log).toBeUndefined();
    expect(parseWorkerArgs(['ws://h:1', '--quiet'], {}).log).toBeTypeOf('function');
    expect(parseWorkerArgs([], { DUSK_SCHEDULER_ADDRESS: 'ws://e:1' }).address).toBe('ws://e:1');
  });

  it('prints its usage for a missing or malformed address and refuses 0 threads', () => {
    expect(() => parseWorkerArgs([], {})).toThrow(/^Usage: dusk-worker ws:\/\//);
    expect(() => parseWorkerArgs(['http://h:8786'], {})).toThrow(/Usage/);
    expect(() => parseWorkerArgs(['ws://h:1', '--nthreads', '0'], {})).toThrow('--nthreads');
  });
});
