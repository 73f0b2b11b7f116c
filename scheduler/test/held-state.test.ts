// Held data (persisted partitions) in the local state machine, with no thread: keys a
// worker already holds start in memory there, nothing runs for them, their dependents go
// next to them, and losing them with their worker fails the compute with E_HELD_LOST.
import { type Graph, graphFrom, lambdaFn, ref, task } from '@dusk/core';
import { describe, expect, it } from 'vitest';
import { HeldData } from '../src/local/held-data.js';
import { HeldRegistry } from '../src/local/held-registry.js';
import { handle } from '../src/local/machine.js';
import { type LocalState, MEMORY } from '../src/local/state.js';
import { done, idx, ofType, stateOf as stateWith } from './state-helpers.js';

const f = lambdaFn((...xs: number[]) => xs.length);
const marker = (key: string) => ({ value: { __duskHeld: 'test', key, nbytes: 1000 } });

function stateOf(g: Graph, outputs: string[], held: Record<string, number>): LocalState {
  return stateWith(g, outputs, { held, retryLimit: 3 });
}

/** Two held partitions (p0 on w0, p1 on w1), one task per partition, one total. */
function perPartition(): Graph {
  return graphFrom({
    p0: marker('p0'),
    p1: marker('p1'),
    m0: task(f, [ref('p0')]),
    m1: task(f, [ref('p1')]),
    total: task(f, [ref('m0'), ref('m1')]),
  });
}

describe('held data in the local state machine', () => {
  it('starts held keys in memory on their worker and runs their dependents next to them', () => {
    const s = stateOf(perPartition(), ['total'], { p0: 0, p1: 1 });
    expect(s.status[idx(s, 'p0')]).toBe(MEMORY);
    expect(s.holders[idx(s, 'p1')]).toEqual([1]);
    expect(s.done).toBe(2);
    const out = handle(s, { type: 'start' });
    expect(ofType(out, 'run')).toEqual([
      { type: 'run', worker: 0, tasks: [idx(s, 'm0')] },
      { type: 'run', worker: 1, tasks: [idx(s, 'm1')] },
    ]);
    expect(ofType(out, 'fetch')).toEqual([]);
  });

  it('never runs a held key, and gathers at once when every output is held', () => {
    const s = stateOf(perPartition(), ['p0', 'p1'], { p0: 0, p1: 1 });
    const out = handle(s, { type: 'start' });
    expect(ofType(out, 'run')).toEqual([]);
    expect(ofType(out, 'gather')).toEqual([
      {
        type: 'gather',
        from: [
          [0, [idx(s, 'p0')]],
          [1, [idx(s, 'p1')]],
        ],
      },
    ]);
  });

  it('fails with held-lost when the worker holding a still needed key dies', () => {
    const s = stateOf(perPartition(), ['total'], { p0: 0, p1: 1 });
    handle(s, { type: 'start' });
    done(s, 0, ['m0']);
    const out = handle(s, {
      type: 'worker-died',
      worker: 1,
      reason: 'was killed',
      replacement: 'w1#2',
    });
    expect(ofType(out, 'fail')).toEqual([
      {
        type: 'fail',
        failure: { kind: 'held-lost', key: 'p1', worker: 'w1', reason: 'was killed' },
      },
    ]);
  });

  it('fails too when a result made from a lost held key must run again', () => {
    const s = stateOf(perPartition(), ['total'], { p0: 0, p1: 1 });
    handle(s, { type: 'start' });
    done(s, 1, ['m1']);
    // p1 was released once m1 ran; m1's result dies with w1 and would need p1 again.
    expect(s.holders[idx(s, 'p1')]).toBeUndefined();
    const out = handle(s, {
      type: 'worker-died',
      worker: 1,
      reason: 'was killed',
      replacement: 'w1#2',
    });
    expect(ofType(out, 'fail')[0]!.failure).toMatchObject({ kind: 'held-lost', key: 'p1' });
  });
});

describe('held registry', () => {
  it('counts references, keeps the first copy and drops a key when the last one goes', () => {
    const r = new HeldRegistry<number>();
    expect(r.add('a', 0, 10)).toBe(0);
    expect(r.add('a', 1, 10)).toBe(0);
    expect(r.bytesByHolder()).toEqual(new Map([[0, 10]]));
    expect(r.release('a')).toBeUndefined();
    expect(r.release('a')).toBe(0);
    expect(r.holderOf('a')).toBeUndefined();
  });

  it('remembers how keys were lost until their last reference goes', () => {
    const r = new HeldRegistry<number>();
    r.add('a', 1, 10);
    r.add('b', 0, 10);
    expect(r.lose(1, 'process-1 was killed')).toEqual(['a']);
    expect(r.holderOf('a')).toBeUndefined();
    expect(r.lostWhy('a')).toBe('process-1 was killed');
    expect(r.release('a')).toBeUndefined();
    expect(r.lostWhy('a')).toBeUndefined();
    expect(r.keysByHolder()).toEqual(new Map([[0, ['b']]]));
  });
});

describe('held data drops', () => {
  const tick = () => new Promise((r) => setImmediate(r));

  function heldData() {
    const posts: { holder: number; t: string; keys?: string[] }[] = [];
    const data = new HeldData<number>('test', 'the test pool', {
      post: (holder, msg) =>
        posts.push({ holder, t: msg.t, keys: (msg as { keys?: string[] }).keys }),
    });
    return { data, posts };
  }

  it('drops a key nobody refers to, one message per worker', async () => {
    const { data, posts } = heldData();
    data.record(
      ['a', 'b'],
      [
        { holder: 0, nbytes: 8 },
        { holder: 0, nbytes: 8 },
      ],
    );
    data.drop(['a']);
    data.drop(['b']);
    await tick();
    expect(posts).toEqual([{ holder: 0, t: 'drop', keys: ['a', 'b'] }]);
  });

  it('holds drops back while a persist is being kept, and skips keys held again', async () => {
    const { data, posts } = heldData();
    data.record(
      ['a', 'b'],
      [
        { holder: 0, nbytes: 8 },
        { holder: 0, nbytes: 8 },
      ],
    );
    let finish!: () => void;
    const persisting = data.keeping(new Promise<void>((r) => (finish = r)));
    // The old collection is collected while the same keys are persisted again.
    data.drop(['a', 'b']);
    await tick();
    expect(posts).toEqual([]);
    finish();
    await persisting;
    data.record(['a'], [{ holder: 0, nbytes: 8 }]);
    await tick();
    expect(posts).toEqual([{ holder: 0, t: 'drop', keys: ['b'] }]);
  });
});
