// The local pools' state machine, driven by events with no thread or process: each test
// asserts the instructions it returns (dask/distributed's test_worker_state_machine style).
import { type Graph, graphFrom, lambdaFn, literal, ref, task } from '@dusk/core';
import { describe, expect, it } from 'vitest';
import { handle } from '../src/local/machine.js';
import { learnedDurations } from '../src/local/state.js';
import { referenceOutputs, simulate } from './simulate.js';
import { done, idx, names, ofType, stateOf } from './state-helpers.js';

const f = lambdaFn((...xs: number[]) => xs.length);

/** n independent leaves and one task summing them. */
function fanIn(n: number): Graph {
  const g: Graph = new Map();
  for (let i = 0; i < n; i++) g.set(`leaf-a:${i}`, task(f, [i]));
  g.set(
    'total-b',
    task(
      f,
      Array.from({ length: n }, (_, i) => ref(`leaf-a:${i}`)),
    ),
  );
  return g;
}

describe('local state machine', () => {
  it('spreads root tasks over the workers in contiguous runs of the order', () => {
    const s = stateOf(fanIn(8), ['total-b']);
    const runs = ofType(handle(s, { type: 'start' }), 'run');
    // Untimed tasks go two at a time; the rest of each run waits in its worker's deque.
    expect(runs.map((r) => [r.worker, names(s, r.tasks)])).toEqual([
      [0, ['leaf-a:0', 'leaf-a:1']],
      [1, ['leaf-a:4', 'leaf-a:5']],
    ]);
    expect(names(s, s.workers[0]!.deque.values()).sort()).toEqual(['leaf-a:2', 'leaf-a:3']);
    expect(names(s, s.workers[1]!.deque.values()).sort()).toEqual(['leaf-a:6', 'leaf-a:7']);
  });

  it('ends a run of roots where no combine step takes inputs from both sides', () => {
    // 24 leaves and a tree: one step of 5 leaves, then steps of 4 (first steps end after
    // leaves 4, 8, 12, 16, 20). The even split after 12 leaves would cut a step in two.
    const g: Graph = new Map();
    for (let i = 0; i < 24; i++) g.set(`leaf-a:${i}`, task(f, [i]));
    const groups = [[0, 1, 2, 3, 4]];
    for (let i = 5; i < 24; i += 4) groups.push([i, i + 1, i + 2, i + 3].filter((j) => j < 24));
    groups.forEach((members, k) => {
      g.set(
        `step-b:${k}`,
        task(
          f,
          members.map((j) => ref(`leaf-a:${j}`)),
        ),
      );
    });
    g.set(
      'total-c',
      task(
        f,
        groups.map((_, k) => ref(`step-b:${k}`)),
      ),
    );
    const s = stateOf(g, ['total-c']);
    const runs = ofType(handle(s, { type: 'start' }), 'run');
    const leavesOf = (w: number) =>
      [...(runs.find((r) => r.worker === w)?.tasks ?? []), ...s.workers[w]!.deque.values()]
        .map((i) => Number(s.keys[i]!.split(':')[1]))
        .sort((a, b) => a - b);
    expect(leavesOf(0)).toEqual([...Array(13).keys()]);
    expect(leavesOf(1)).toEqual(Array.from({ length: 11 }, (_, j) => 13 + j));
  });

  it('sends a few tasks of unknown length at first, then batches once they prove tiny', () => {
    const s = stateOf(fanIn(3000), ['total-b']);
    const first = ofType(handle(s, { type: 'start' }), 'run');
    expect(first.map((r) => r.tasks.length)).toEqual([2, 2]);
    const next = ofType(done(s, 0, names(s, first[0]!.tasks) as string[], 8, 0.001), 'run');
    expect(next).toHaveLength(1);
    expect(next[0]!.worker).toBe(0);
    expect(next[0]!.tasks.length).toBeGreaterThan(500);
    expect(next[0]!.tasks.length).toBeLessThanOrEqual(1000);
  });

  it('starts a group timed by an earlier compute in full windows, then trusts this one', () => {
    // The pool learned 0.01 ms per leaf: each worker gets a full 5 ms window of its run of
    // 1500 at once (501 tasks), not two at a time.
    const s = stateOf(fanIn(3000), ['total-b'], { priorMs: { leaf: 0.01 } });
    const first = ofType(handle(s, { type: 'start' }), 'run');
    expect(first.map((r) => r.tasks.length)).toEqual([501, 501]);
    // The first leaf timed here replaces the estimate: at 5 ms, the window holds 3.
    const s2 = stateOf(fanIn(30), ['total-b'], { priorMs: { leaf: 0.01 } });
    const sent = ofType(handle(s2, { type: 'start' }), 'run');
    done(s2, 0, names(s2, sent[0]!.tasks) as string[], 8, 5);
    expect(s2.groupMs[s2.groupOf[idx(s2, 'leaf-a:0')]!]).toBe(5);
    expect(learnedDurations(s2)).toEqual([['leaf', 5]]);
  });

  it('places a ready task on the worker holding most of its input bytes and fetches the rest', () => {
    const g = graphFrom({
      a: task(f, [1]),
      b: task(f, [2]),
      c: task(f, [ref('a'), ref('b')]),
    });
    const s = stateOf(g, ['c']);
    handle(s, { type: 'start' });
    done(s, 0, ['a'], 10);
    const out = done(s, 1, ['b'], 1_000_000);
    expect(ofType(out, 'run')).toEqual([{ type: 'run', worker: 1, tasks: [idx(s, 'c')] }]);
    expect(ofType(out, 'fetch')).toEqual([{ type: 'fetch', from: 0, to: 1, keys: [idx(s, 'a')] }]);
  });

  it('releases a result once its last dependent has run, on every worker holding it', () => {
    const g = graphFrom({ a: task(f, [1]), b: task(f, [2]), c: task(f, [ref('a'), ref('b')]) });
    const s = stateOf(g, ['c']);
    handle(s, { type: 'start' });
    done(s, 0, ['a'], 10);
    done(s, 1, ['b'], 1000);
    handle(s, { type: 'transfer-done', worker: 1, keys: [idx(s, 'a')] });
    const out = done(s, 1, ['c']);
    expect(ofType(out, 'release')).toEqual([
      { type: 'release', worker: 0, keys: [idx(s, 'a')] },
      { type: 'release', worker: 1, keys: [idx(s, 'a')] },
      { type: 'release', worker: 1, keys: [idx(s, 'b')] },
    ]);
    expect(ofType(out, 'gather')).toEqual([{ type: 'gather', from: [[1, [idx(s, 'c')]]] }]);
    expect(s.inMemory).toBe(1);
  });

  it('lets an idle worker steal the back half of the busiest deque', () => {
    // Everything depends on one input made on w0, so all ten tasks queue there.
    const g: Graph = new Map([['src-a', task(f, [0])]]);
    for (let i = 0; i < 10; i++) g.set(`use-b:${i}`, task(f, [ref('src-a')]));
    const outputs = Array.from({ length: 10 }, (_, i) => `use-b:${i}`);
    const s = stateOf(g, outputs);
    handle(s, { type: 'start' });
    const out = done(s, 0, ['src-a'], 1000);
    const runs = ofType(out, 'run');
    const own = runs.find((r) => r.worker === 0)!;
    const stolen = runs.find((r) => r.worker === 1)!;
    // w0 starts two on the front of its deque; w1 steals the back half (the work w0 would
    // reach last) and starts two of it.
    expect(names(s, own.tasks)).toEqual(['use-b:0', 'use-b:1']);
    expect(names(s, stolen.tasks)).toEqual(['use-b:6', 'use-b:7']);
    expect(names(s, s.workers[0]!.deque.values()).sort()).toEqual([
      'use-b:2',
      'use-b:3',
      'use-b:4',
      'use-b:5',
    ]);
    expect(names(s, s.workers[1]!.deque.values()).sort()).toEqual(['use-b:8', 'use-b:9']);
    expect(ofType(out, 'fetch')).toEqual([
      { type: 'fetch', from: 0, to: 1, keys: [idx(s, 'src-a')] },
    ]);
  });

  it('keeps untimed tasks two in flight per worker and long ones one, so the rest stay stealable', () => {
    const g: Graph = new Map();
    for (let i = 0; i < 8; i++) g.set(`slow-a:${i}`, task(f, [i]));
    const s = stateOf(g, [...g.keys()]);
    const first = ofType(handle(s, { type: 'start' }), 'run');
    // Untimed: two in flight per worker, the other four queued and stealable.
    expect(first.map((r) => r.tasks.length)).toEqual([2, 2]);
    // 500 ms per task: w0 still has one running, so nothing more goes out to it.
    expect(ofType(done(s, 0, ['slow-a:0'], 8, 500), 'run')).toEqual([]);
    expect(s.workers[0]!.inflight.size).toBe(1);
    // Its last one done, it gets exactly one more.
    const inflight = [...s.workers[0]!.inflight].map((i) => s.keys[i]!);
    const next = ofType(done(s, 0, inflight, 8, 500), 'run');
    expect(next.map((r) => [r.worker, r.tasks.length])).toEqual([[0, 1]]);
  });

  it('sends untimed tasks two per worker also when a full window is longer than a long task', () => {
    // A thread pool's 30 ms window: untimed tasks count as a full window each, but are not
    // known to be long, so a second one still goes out behind the first.
    const g: Graph = new Map();
    for (let i = 0; i < 8; i++) g.set(`new-a:${i}`, task(f, [i]));
    const s = stateOf(g, [...g.keys()], { inflightMs: 30 });
    const first = ofType(handle(s, { type: 'start' }), 'run');
    expect(first.map((r) => r.tasks.length)).toEqual([2, 2]);
  });

  it('keeps a second task of a short timed group in flight, hiding the message gap', () => {
    const g: Graph = new Map();
    for (let i = 0; i < 8; i++) g.set(`mid-a:${i}`, task(f, [i]));
    const s = stateOf(g, [...g.keys()]);
    handle(s, { type: 'start' });
    // 3 ms per task: w0 has one left running and gets one more behind it.
    const next = ofType(done(s, 0, ['mid-a:0'], 8, 3), 'run');
    expect(next.map((r) => [r.worker, r.tasks.length])).toEqual([[0, 1]]);
    expect(s.workers[0]!.inflight.size).toBe(2);
  });

  it('steals a task only when it runs longer than moving its inputs would take', () => {
    const g: Graph = new Map([['big-a', task(f, [0])]]);
    for (let i = 0; i < 6; i++) g.set(`use-b:${i}`, task(f, [ref('big-a'), i]));
    const outputs = [...g.keys()].filter((k) => k !== 'big-a');
    const runsAfterBigInput = (transferMsPerMB: number) => {
      const s = stateOf(g, outputs, { transferMsPerMB });
      handle(s, { type: 'start' });
      // A 25 MB result on w0: its readers queue there; moving it would take ~100 ms.
      return ofType(done(s, 0, ['big-a'], 25e6, 1), 'run').map((r) => r.worker);
    };
    expect(runsAfterBigInput(4)).toEqual([0]);
    expect(runsAfterBigInput(0).sort()).toEqual([0, 1]);
  });

  it('leaves a short step whose input only its busy holder has with it, unless the pool has a copy', () => {
    // 100 steps of 0.1 ms read one small result made on w0 (10 ms of work: half stays in
    // w0's deque past its 5 ms window). w0 would hand the input over only between its own
    // tasks, later than the steps take.
    const g: Graph = new Map([['src-a', task(f, [0])]]);
    for (let i = 0; i < 100; i++) g.set(`use-b:${i}`, task(f, [ref('src-a'), i]));
    const outputs = [...g.keys()].filter((k) => k !== 'src-a');
    const afterSrc = (copied: boolean) => {
      const s = stateOf(g, outputs, { priorMs: { use: 0.1 } });
      handle(s, { type: 'start' });
      if (copied) s.copied[idx(s, 'src-a')] = 1;
      const out = done(s, 0, ['src-a'], 100, 1);
      return { runs: ofType(out, 'run').map((r) => r.worker), fetches: ofType(out, 'fetch') };
    };
    expect(afterSrc(false)).toEqual({ runs: [0], fetches: [] });
    // A copy kept by the pool goes to the thief without asking w0.
    const withCopy = afterSrc(true);
    expect(withCopy.runs.sort()).toEqual([0, 1]);
    expect(withCopy.fetches.map((x) => [x.from, x.to])).toEqual([[0, 1]]);
  });

  it("runs an output task on the caller's slot when the pool has copies of the inputs it lacks", () => {
    // leaf-a:0 and :2 go to w0, leaf-a:1 to w1 (dealt in turn); w1 is the caller's slot.
    const lastStep = (opts: { callerSlot?: number }, copies: string[]) => {
      const s = stateOf(fanIn(3), ['total-b'], opts);
      handle(s, { type: 'start' });
      for (const k of copies) s.copied[idx(s, k)] = 1;
      done(s, 1, ['leaf-a:1']);
      const out = done(s, 0, ['leaf-a:0', 'leaf-a:2']);
      const run = ofType(out, 'run').find((r) => names(s, r.tasks).includes('total-b'))!;
      return { worker: run.worker, fetches: ofType(out, 'fetch').map((x) => [x.from, x.to]) };
    };
    const both = ['leaf-a:0', 'leaf-a:2'];
    expect(lastStep({ callerSlot: 1 }, both)).toEqual({ worker: 1, fetches: [[0, 1]] });
    // Without every copy, or without a caller's slot, it goes where most of its inputs are.
    expect(lastStep({ callerSlot: 1 }, ['leaf-a:0'])).toEqual({ worker: 0, fetches: [[1, 0]] });
    expect(lastStep({}, both)).toEqual({ worker: 0, fetches: [[1, 0]] });
  });

  it("runs a short combine step on the caller's slot when the pool has copies of its inputs", () => {
    // Two steps over four leaves each, then their total: leaves 0-3 go to w0, 4-7 to w1
    // (the caller's slot). The pool has copies of step 0's inputs, made on w0.
    const g: Graph = new Map();
    for (let i = 0; i < 8; i++) g.set(`leaf-a:${i}`, task(f, [i]));
    const leaves = (k: number) => [0, 1, 2, 3].map((j) => `leaf-a:${4 * k + j}`);
    for (let k = 0; k < 2; k++) g.set(`step-b:${k}`, task(f, leaves(k).map(ref)));
    g.set('total-c', task(f, [ref('step-b:0'), ref('step-b:1')]));
    const stepAfterLeaves = (priorMs?: Record<string, number>) => {
      const s = stateOf(g, ['total-c'], { callerSlot: 1, priorMs });
      handle(s, { type: 'start' });
      for (const k of leaves(0)) s.copied[idx(s, k)] = 1;
      const out = done(s, 0, leaves(0), 8, 0.5);
      return ofType(out, 'run').find((r) => names(s, r.tasks).includes('step-b:0'))?.worker;
    };
    expect(stepAfterLeaves({ leaf: 0.5, step: 0.01 })).toBe(1);
    // A step that takes long, or one not yet timed, goes where its inputs are.
    expect(stepAfterLeaves({ leaf: 0.5, step: 2 })).toBe(0);
    expect(stepAfterLeaves({ leaf: 0.5 })).toBe(0);
  });

  it('fails with the key and the original error when a task raises, cancelling the rest', () => {
    const s = stateOf(fanIn(8), ['total-b']);
    handle(s, { type: 'start' });
    const error = {
      name: 'RangeError',
      code: 'E_TASK_FAILED',
      message: 'bad',
      stack: 'RangeError: bad',
    };
    const out = handle(s, { type: 'task-erred', worker: 1, task: idx(s, 'leaf-a:5'), error });
    expect(out).toEqual([
      { type: 'cancel', workers: [0, 1], epoch: 0 },
      { type: 'fail', failure: { kind: 'task', key: 'leaf-a:5', worker: 'w1', error } },
    ]);
    expect(done(s, 0, ['leaf-a:0'])).toEqual([]);
  });

  it('reruns only the tasks that were running on a dead worker', () => {
    const s = stateOf(fanIn(8), ['total-b'], { workers: 2, retryLimit: 2 });
    handle(s, { type: 'start' });
    done(s, 0, ['leaf-a:0', 'leaf-a:1']);
    const out = handle(s, {
      type: 'worker-died',
      worker: 1,
      reason: 'exited with code 3',
      replacement: 'w1#2',
    });
    expect(ofType(out, 'cancel')).toEqual([]);
    expect(s.epoch).toBe(0);
    expect(s.workers[1]!.id).toBe('w1#2');
    const rerun = [
      ...ofType(out, 'run').flatMap((r) => r.tasks),
      ...s.workers.flatMap((w) => w.deque.values()),
    ];
    expect(names(s, rerun).sort()).toEqual(['leaf-a:4', 'leaf-a:5', 'leaf-a:6', 'leaf-a:7']);
    expect(s.done).toBe(2);
    // The crash is blamed on the two tasks it was running; the two it had queued move on.
    expect(s.crashes).toEqual([
      {
        worker: 'w1',
        reason: 'exited with code 3',
        keys: ['leaf-a:4', 'leaf-a:5'],
      },
    ]);
  });

  it('deals a handful of roots in turn rather than in runs', () => {
    const g: Graph = new Map();
    for (let i = 0; i < 4; i++) g.set(`fib-a:${i}`, task(f, [30 + i]));
    const s = stateOf(g, [...g.keys()]);
    const runs = ofType(handle(s, { type: 'start' }), 'run');
    expect(runs.map((r) => [r.worker, names(s, r.tasks)])).toEqual([
      [0, ['fib-a:0', 'fib-a:2']],
      [1, ['fib-a:1', 'fib-a:3']],
    ]);
  });

  it('reruns a lost input and makes the task waiting for it elsewhere forget it', () => {
    const g = graphFrom({ a: task(f, [1]), b: task(f, [2]), c: task(f, [ref('a'), ref('b')]) });
    const s = stateOf(g, ['c']);
    handle(s, { type: 'start' });
    done(s, 0, ['a'], 10);
    done(s, 1, ['b'], 1_000_000);
    // c waits on w1 for a, which w0 was about to send when it died.
    const out = handle(s, { type: 'worker-died', worker: 0, reason: 'oom', replacement: 'w0#2' });
    expect(out).toEqual([
      { type: 'forget', worker: 1, tasks: [idx(s, 'c')] },
      { type: 'run', worker: 0, tasks: [idx(s, 'a')] },
    ]);
    const next = done(s, 0, ['a'], 10);
    expect(ofType(next, 'fetch')).toEqual([{ type: 'fetch', from: 0, to: 1, keys: [idx(s, 'a')] }]);
    expect(ofType(next, 'run')).toEqual([{ type: 'run', worker: 1, tasks: [idx(s, 'c')] }]);
  });

  it('recomputes released inputs of a lost result that is still needed', () => {
    // a -> b (on w1), b is lost with w1 before c(b, x) ran: a was released and runs again.
    const g = graphFrom({
      a: task(f, [1]),
      b: task(f, [ref('a')]),
      x: task(f, [2]),
      c: task(f, [ref('b'), ref('x')]),
    });
    const s = stateOf(g, ['c'], { workers: 2, retryLimit: 3 });
    handle(s, { type: 'start' });
    done(s, 0, ['a']);
    done(s, 0, ['b']);
    expect(s.status[idx(s, 'a')]).toBe(4);
    const out = handle(s, { type: 'worker-died', worker: 0, reason: 'oom', replacement: 'w0#2' });
    expect(ofType(out, 'run').flatMap((r) => names(s, r.tasks))).toEqual(['a']);
    done(s, ofType(out, 'run')[0]!.worker, ['a']);
    expect(s.status[idx(s, 'b')]).toBe(2);
  });

  it('re-sends a fetch from a live holder when the worker it came from dies', () => {
    const g = graphFrom({ a: task(f, [1]), b: task(f, [2]), c: task(f, [ref('a'), ref('b')]) });
    const s = stateOf(g, ['c'], { workers: 3 });
    handle(s, { type: 'start' });
    done(s, 0, ['a'], 10);
    // w2 got a copy of a from w0 before w0 died.
    s.holders[idx(s, 'a')]!.push(2);
    done(s, 1, ['b'], 1_000_000);
    const out = handle(s, { type: 'worker-died', worker: 0, reason: 'oom', replacement: 'w0#2' });
    expect(out).toEqual([{ type: 'fetch', from: 2, to: 1, keys: [idx(s, 'a')] }]);
  });

  it('starts over when a worker dies while the outputs are handed over', () => {
    const s = stateOf(graphFrom({ a: task(f, [1]) }), ['a'], { workers: 2, retryLimit: 2 });
    handle(s, { type: 'start' });
    done(s, 0, ['a']);
    const out = handle(s, { type: 'worker-died', worker: 0, reason: 'oom', replacement: 'w0#2' });
    expect(out[0]).toEqual({ type: 'cancel', workers: [1], epoch: 0 });
    expect(s.epoch).toBe(1);
    expect(ofType(out, 'run')).toEqual([{ type: 'run', worker: 0, tasks: [idx(s, 'a')] }]);
  });

  it('fails listing every attempt once a task outlives the retry limit', () => {
    const g = graphFrom({ boom: task(f, [1]) });
    const s = stateOf(g, ['boom'], { workers: 1, retryLimit: 1 });
    handle(s, { type: 'start' });
    handle(s, {
      type: 'worker-died',
      worker: 0,
      reason: 'exited with code 3',
      replacement: 'w0#2',
    });
    const out = handle(s, {
      type: 'worker-died',
      worker: 0,
      reason: 'exited with code 3',
      replacement: 'w0#3',
    });
    expect(ofType(out, 'fail')).toEqual([
      {
        type: 'fail',
        failure: {
          kind: 'crash',
          key: 'boom',
          attempts: [
            { worker: 'w0', reason: 'exited with code 3', keys: ['boom'] },
            { worker: 'w0#2', reason: 'exited with code 3', keys: ['boom'] },
          ],
        },
      },
    ]);
  });

  it('does not start over when the dead worker held nothing of this compute', () => {
    const g = graphFrom({ a: task(f, [1]) });
    const s = stateOf(g, ['a']);
    handle(s, { type: 'start' });
    const out = handle(s, {
      type: 'worker-died',
      worker: 1,
      reason: 'killed',
      replacement: 'w1#2',
    });
    expect(out).toEqual([]);
    expect(s.epoch).toBe(0);
    expect(s.workers[1]!.id).toBe('w1#2');
  });

  it('ignores reports from a worker the task is no longer on', () => {
    const s = stateOf(fanIn(2), ['total-b']);
    handle(s, { type: 'start' });
    expect(done(s, 1, ['leaf-a:0'])).toEqual([]);
    expect(s.done).toBe(0);
  });

  it('aborts: cancels everywhere and fails with the reason', () => {
    const s = stateOf(fanIn(2), ['total-b']);
    handle(s, { type: 'start' });
    expect(handle(s, { type: 'abort', reason: 'stop' })).toEqual([
      { type: 'cancel', workers: [0, 1], epoch: 0 },
      { type: 'fail', failure: { kind: 'abort', reason: 'stop' } },
    ]);
  });

  it('gathers a literal output at once and an empty graph immediately', () => {
    const s = stateOf(graphFrom({ x: literal(5) }), ['x'], { workers: 1 });
    const [run] = ofType(handle(s, { type: 'start' }), 'run');
    expect(ofType(done(s, 0, ['x']), 'gather')).toEqual([
      { type: 'gather', from: [[0, [run!.tasks[0]!]]] },
    ]);
    const empty = stateOf(new Map(), []);
    expect(handle(empty, { type: 'start' })).toEqual([{ type: 'gather', from: [] }]);
  });

  it('reports progress with done/total counts and the worker when asked', () => {
    const s = stateOf(graphFrom({ a: task(f, [1]) }), ['a'], { workers: 1, progress: true });
    handle(s, { type: 'start' });
    expect(ofType(done(s, 0, ['a'], 8, 2.5), 'progress')).toEqual([
      { type: 'progress', task: 0, ms: 2.5, worker: 0, done: 1, inMemory: 1 },
    ]);
  });
});

describe('local state machine, simulated', () => {
  /** A chain of `links` slow tasks and `fast` independent short ones. */
  function chainAndFast(links: number, fast: number): { g: Graph; outputs: string[] } {
    const g: Graph = new Map([['chain-a:0', task(f, [0])]]);
    for (let i = 1; i < links; i++) g.set(`chain-a:${i}`, task(f, [ref(`chain-a:${i - 1}`)]));
    for (let i = 0; i < fast; i++) g.set(`fast-b:${i}`, task(f, [i]));
    return {
      g,
      outputs: [`chain-a:${links - 1}`, ...Array.from({ length: fast }, (_, i) => `fast-b:${i}`)],
    };
  }
  const ms = (key: string) => (key.startsWith('chain') ? 100 : 5);

  it('finishes one slow chain plus many fast tasks close to the ideal time', () => {
    // 4 x 100 ms on the critical path, 60 x 5 ms beside it: ideal 400 ms on 2 workers,
    // 550 ms if the roots stayed where they were first placed.
    const { g, outputs } = chainAndFast(4, 60);
    const { makespan, ranOn } = simulate(g, outputs, 2, ms);
    expect(makespan).toBeLessThanOrEqual(440);
    const chainWorker = ranOn.get('chain-a:0');
    expect([1, 2, 3].map((i) => ranOn.get(`chain-a:${i}`))).toEqual([
      chainWorker,
      chainWorker,
      chainWorker,
    ]);
  });

  it('keeps three workers busy on a wide graph of equal tasks', () => {
    const { g, outputs } = chainAndFast(1, 90);
    const { makespan } = simulate(g, outputs, 3, () => 10);
    // 91 tasks of 10 ms on 3 workers: ideal 310 ms.
    expect(makespan).toBeLessThanOrEqual(330);
  });

  it('runs a tree reduction with each combine next to most of its inputs', () => {
    const g = fanIn(64);
    const { makespan, ranOn } = simulate(g, ['total-b'], 2, () => 1);
    expect(makespan).toBeLessThanOrEqual(34);
    const onW0 = [...ranOn.entries()].filter(([k, w]) => k.startsWith('leaf') && w === 0).length;
    expect(onW0).toBeGreaterThanOrEqual(24);
    expect(onW0).toBeLessThanOrEqual(40);
  });
});

describe('local state machine, simulated with crashes', () => {
  /** A random graph of small fan-ins over earlier tasks, with several outputs. */
  function randomGraph(seed: number): { g: Graph; outputs: string[] } {
    let x = seed;
    const rand = () => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return x / 2 ** 32;
    };
    const g: Graph = new Map();
    const n = 15 + Math.floor(rand() * 50);
    for (let i = 0; i < n; i++) {
      const args: any[] = [i];
      if (i > 0 && rand() < 0.85) {
        const k = 1 + Math.floor(rand() * Math.min(4, i));
        for (let j = 0; j < k; j++) args.push(ref(`t-${Math.floor(rand() * i)}`));
      }
      g.set(`t-${i}`, task(f, args));
    }
    const outputs = [...new Set([`t-${n - 1}`, ...[...g.keys()].filter(() => rand() < 0.1)])];
    return { g, outputs };
  }

  it('gives the right outputs when workers die at random points', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const { g, outputs } = randomGraph(seed);
      const workers = 1 + (seed % 3);
      const crashes = [
        { afterDone: 1 + (seed % 13), worker: seed % workers },
        { afterDone: 5 + (seed % 29), worker: (seed * 7) % workers },
      ];
      const sim = simulate(g, outputs, workers, (k) => 1 + (k.length % 3), {
        crashes,
        retryLimit: 10,
      });
      expect(sim.outputs, `seed ${seed}`).toEqual(referenceOutputs(g, outputs));
    }
  });

  it('gives the right outputs when tasks in flight are taken back from stalled workers', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const { g, outputs } = randomGraph(seed);
      const workers = 2 + (seed % 2);
      const stalls = [
        { worker: seed % workers, at: seed % 7, ms: 5 + (seed % 11) },
        { worker: (seed * 5) % workers, at: 10 + (seed % 17), ms: 3 + (seed % 5) },
      ];
      const ms = (k: string) => 0.5 + (k.length % 3);
      const calm = simulate(g, outputs, workers, ms, { stalls, stealFlight: true });
      expect(calm.outputs, `seed ${seed}`).toEqual(referenceOutputs(g, outputs));
      expect(
        [...calm.runs.values()].every((n) => n === 1),
        `seed ${seed}`,
      ).toBe(true);
      const crashes = [{ afterDone: 1 + (seed % 13), worker: seed % workers }];
      const opts = { stalls, crashes, retryLimit: 10, stealFlight: true };
      const crashed = simulate(g, outputs, workers, ms, opts);
      expect(crashed.outputs, `seed ${seed}`).toEqual(referenceOutputs(g, outputs));
    }
  });

  it('reruns fewer tasks than starting over would', () => {
    const g = fanIn(40);
    const once = simulate(g, ['total-b'], 2, () => 1);
    const crashed = simulate(g, ['total-b'], 2, () => 1, {
      crashes: [{ afterDone: 30, worker: 1 }],
    });
    expect(crashed.outputs).toEqual(once.outputs);
    // Starting over would cost about 30 tasks more; losing w1's ~15 results costs ~15.
    expect(crashed.makespan - once.makespan).toBeLessThanOrEqual(12);
  });
});
