// Stealing from flight in the local state machine: the machine asks to take back tasks
// sent to a busy worker, and the test answers as the shell would (taken back, or started).
import { type Graph, lambdaFn, task } from '@dusk/core';
import { describe, expect, it } from 'vitest';
import { handle } from '../src/local/machine.js';
import type { LocalState } from '../src/local/state.js';
import { splitWaiting } from '../src/local/steal-flight.js';
import { simulate } from './simulate.js';
import { done, idx, names, ofType, stateOf } from './state-helpers.js';

const f = lambdaFn((...xs: number[]) => xs.length);

/** n independent tasks of one group. */
function wide(n: number): Graph {
  const g: Graph = new Map();
  for (let i = 0; i < n; i++) g.set(`leaf-a:${i}`, task(f, [i]));
  return g;
}
const leaves = (n: number) => Array.from({ length: n }, (_, i) => `leaf-a:${i}`);

/**
 * 8 leaves, 1 ms each once timed: w0 ends up with nothing to do while w1 has `onW1` leaves
 * in flight (the ones it was sent at first and those sent after its first two finished).
 */
function oneBusyWorker(stealFlight = true): LocalState {
  const s = stateOf(wide(8), leaves(8), { stealFlight });
  handle(s, { type: 'start' }); // w0: leaves 0-1 sent, 2-3 queued; w1: 4-5 sent, 6-7 queued
  done(s, 1, ['leaf-a:4', 'leaf-a:5']); // w1 is sent 6 and 7
  done(s, 0, ['leaf-a:0', 'leaf-a:1']); // w0 is sent 2 and 3
  return s;
}

describe('stealing from flight', () => {
  it('asks for the busiest window, back first, when a worker has nothing left', () => {
    const s = oneBusyWorker();
    const out = done(s, 0, ['leaf-a:2', 'leaf-a:3']);
    expect(ofType(out, 'run')).toEqual([]);
    expect(ofType(out, 'revoke')).toEqual([
      {
        type: 'revoke',
        worker: 1,
        thief: 0,
        tasks: [idx(s, 'leaf-a:7'), idx(s, 'leaf-a:6')],
        ms: [1, 1],
        busy: false,
      },
    ]);
  });

  it('leaves what the shell did not take where it was, asked for again after a report', () => {
    const s = oneBusyWorker();
    const [six, seven] = [idx(s, 'leaf-a:6'), idx(s, 'leaf-a:7')];
    done(s, 0, ['leaf-a:2', 'leaf-a:3']);
    // Nothing evened the two out (say w1 was idle too): no second ask in the same breath.
    const none = { type: 'revoked', worker: 1, thief: 0, tasks: [], kept: [], left: [seven, six] };
    expect(ofType(handle(s, none as const), 'revoke')).toEqual([]);
    expect(s.revoking.size).toBe(0);
    expect([s.started[six], s.where[six], s.where[seven]]).toEqual([0, 1, 1]);
    // w1 reports one of them done: the other may be asked for again.
    const out = done(s, 1, ['leaf-a:6']);
    expect(ofType(out, 'revoke').map((r) => r.tasks)).toEqual([[seven]]);
  });

  it('sends the tasks taken back to the thief and forgets them on their old worker', () => {
    const s = oneBusyWorker();
    done(s, 0, ['leaf-a:2', 'leaf-a:3']);
    const seven = idx(s, 'leaf-a:7');
    const out = handle(s, { type: 'revoked', worker: 1, thief: 0, tasks: [seven], kept: [] });
    expect(ofType(out, 'run')).toEqual([{ type: 'run', worker: 0, tasks: [seven] }]);
    expect(names(s, [...s.workers[1]!.inflight])).toEqual(['leaf-a:6']);
    expect(s.where[seven]).toBe(0);
    // Its old worker cannot report it: the report is not the task's.
    done(s, 1, ['leaf-a:7']);
    expect(s.done).toBe(6);
    done(s, 0, ['leaf-a:7']);
    expect(s.done).toBe(7);
  });

  it('leaves a task that had started where it is and never asks for it again', () => {
    const s = stateOf(wide(12), leaves(12), { stealFlight: true });
    handle(s, { type: 'start' }); // w0: 0-1 sent, 2-5 queued; w1: 6-7 sent, 8-11 queued
    done(s, 1, ['leaf-a:6', 'leaf-a:7']); // w1 is sent 8-11 (1 ms each, a 5 ms window)
    done(s, 0, ['leaf-a:0', 'leaf-a:1']);
    const out = done(
      s,
      0,
      names(
        s,
        [2, 3, 4, 5].map((i) => idx(s, `leaf-a:${i}`)),
      ) as string[],
    );
    const ask = ofType(out, 'revoke');
    expect(ask.map((r) => names(s, r.tasks))).toEqual([
      ['leaf-a:11', 'leaf-a:10', 'leaf-a:9', 'leaf-a:8'],
    ]);
    const [eight, nine, ten, eleven] = [8, 9, 10, 11].map((i) => idx(s, `leaf-a:${i}`));
    // w1 got to the back two first (it was running them, fast) and the shell left the others:
    // nothing moves; after w1's next report the machine asks for those again, never for the
    // two that started.
    const keptBack = {
      type: 'revoked',
      worker: 1,
      thief: 0,
      tasks: [],
      kept: [eleven, ten],
      left: [nine, eight],
    };
    expect(ofType(handle(s, keptBack as const), 'revoke')).toEqual([]);
    const again = ofType(done(s, 1, ['leaf-a:11']), 'revoke');
    expect(again.map((r) => names(s, r.tasks))).toEqual([['leaf-a:9', 'leaf-a:8']]);
    const keptAll = { type: 'revoked', worker: 1, thief: 0, tasks: [], kept: [nine, eight] };
    expect(ofType(handle(s, keptAll as const), 'revoke')).toEqual([]);
    expect(s.workers[1]!.inflight.size).toBe(3);
    expect(ofType(done(s, 1, ['leaf-a:8']), 'revoke')).toEqual([]);
  });

  it('does not take from flight while a deque can be stolen from, nor on processes', () => {
    const s = stateOf(wide(8), leaves(8), { stealFlight: true });
    handle(s, { type: 'start' });
    // w0 finished its first two: it steals queued work, it does not revoke.
    expect(ofType(done(s, 0, ['leaf-a:0', 'leaf-a:1']), 'revoke')).toEqual([]);
    const p = oneBusyWorker(false);
    expect(ofType(done(p, 0, ['leaf-a:2', 'leaf-a:3']), 'revoke')).toEqual([]);
  });

  it('does not blame a task taken back for its old worker crashing', () => {
    const s = oneBusyWorker();
    done(s, 0, ['leaf-a:2', 'leaf-a:3']);
    const seven = idx(s, 'leaf-a:7');
    handle(s, { type: 'revoked', worker: 1, thief: 0, tasks: [seven], kept: [] });
    done(s, 1, ['leaf-a:6']);
    // w1 has nothing in flight: its last batch would be the suspects, less what left it.
    handle(s, { type: 'worker-died', worker: 1, reason: 'killed', replacement: 'w1#2' });
    expect(s.crashes.map((c) => c.keys)).toEqual([['leaf-a:6']]);
    expect(s.crashCount.has(seven)).toBe(false);
  });

  it('moves no work smaller than a message to the thief is worth', () => {
    const s = stateOf(wide(8), leaves(8), { stealFlight: true });
    handle(s, { type: 'start' });
    done(s, 1, ['leaf-a:4', 'leaf-a:5'], 8, 0.01);
    done(s, 0, ['leaf-a:0', 'leaf-a:1'], 8, 0.01);
    expect(ofType(done(s, 0, ['leaf-a:2', 'leaf-a:3'], 8, 0.01), 'revoke')).toEqual([]);
  });
});

describe('stealing from flight, simulated', () => {
  it('keeps a stalled worker from holding up the end of a compute', () => {
    // 40 tasks of 1 ms on 2 workers; w0 is descheduled for 8 ms near the end, with tasks in
    // flight behind the one it runs. Taken back, they run on w1: 24 ms, when the stalled
    // task ends (28 ms without).
    const g = wide(40);
    const stalls = [{ worker: 0, at: 15, ms: 8 }];
    const without = simulate(g, leaves(40), 2, () => 1, { stalls });
    const taken = simulate(g, leaves(40), 2, () => 1, { stalls, stealFlight: true });
    expect(taken.outputs).toEqual(without.outputs);
    expect([...taken.runs.values()].every((n) => n === 1)).toBe(true);
    expect(without.makespan).toBe(28);
    expect(taken.makespan).toBe(24);
  });
});

describe('how a thief and its victim split what waits (the shell, with the claim board)', () => {
  it('splits by time: one partition to the thief, not the last two, past tiny combines', () => {
    // Back first: two 1.2 ms partitions wait, the victim runs a third (its report not in
    // yet), and two 0.01 ms combine steps wait behind.
    const ms = [1.2, 1.2, 1.2, 0.01, 0.01];
    const waits = [true, true, false, true, true];
    expect(splitWaiting(ms, waits, true)).toEqual([true, false, false, false, false]);
  });

  it('takes half of a long queue, and one waiting task from a victim running another', () => {
    const six = [1, 1, 1, 1, 1, 1];
    expect(
      splitWaiting(
        six,
        six.map(() => true),
        true,
      ),
    ).toEqual([true, true, true, false, false, false]);
    expect(splitWaiting([1, 1], [true, false], true)).toEqual([true, false]);
  });

  it('leaves a lone task waiting on an idle victim, which would only bounce back', () => {
    expect(splitWaiting([1], [true], false)).toEqual([false]);
    expect(splitWaiting([1, 1], [true, true], false)).toEqual([true, false]);
    // Known to be busy with a task the list does not show: counted as long as the longest.
    expect(splitWaiting([1], [true], true)).toEqual([true]);
  });

  it('takes nothing that started', () => {
    expect(splitWaiting([1, 1, 1], [false, false, false], true)).toEqual([false, false, false]);
  });
});
