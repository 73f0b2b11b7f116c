// The thread pool's slot in the caller's thread: which computes may use it, and what its
// runtime hands out (a copy for another worker, its own values for the caller).
import {
  decodeValue,
  encodeValue,
  graphFrom,
  isEncodedValue,
  lambdaFn,
  literal,
  moduleFn,
  quote,
  ref,
  task,
  toFnRef,
} from '@dusk/core';
import { expect, it } from 'vitest';
import { callerMayRun, startCallerSlot } from '../src/local/caller-slot.js';
import type { FromWorker, ToWorker, WireTask } from '../src/local/protocol.js';
import { createWorkerRuntime } from '../src/local/worker-runtime.js';
import { Box, t } from './fixtures/pool-tasks.mjs';

const identity = moduleFn('@dusk/core/kernels', 'identity');
const apply = moduleFn('@dusk/core/kernels', 'apply');

it("lets a compute into the caller's thread only when every function it names is Dusk's", () => {
  const own = graphFrom({ a: task(identity, [1]), b: task(identity, [ref('a')]) });
  expect(callerMayRun(own)).toBe(true);
  // The task's own function, a user module's or a lambda.
  const userModule = moduleFn('file:///app/tasks.js', 'clean');
  expect(callerMayRun(graphFrom({ a: task(userModule, [1]) }))).toBe(false);
  expect(
    callerMayRun(
      graphFrom({
        a: task(
          lambdaFn((x: number) => x + 1),
          [1],
        ),
      }),
    ),
  ).toBe(false);
  // A user function quoted in a kernel's arguments (a bag's map, a frame's map spec).
  const spec = { ops: [{ op: 'map', fn: lambdaFn((x: number) => x * 2) }] };
  expect(callerMayRun(graphFrom({ a: task(identity, [spec]) }))).toBe(false);
  expect(callerMayRun(graphFrom({ a: task(apply, [[userModule], []]) }))).toBe(false);
  // Data is not code: typed arrays and class instances are not looked into.
  const data = graphFrom({ a: task(identity, [new Float64Array(8), new Map([[1, 2]])]) });
  expect(callerMayRun(data)).toBe(true);
  expect(callerMayRun(graphFrom({ a: literal({ rows: [1, 2, 3] }) }))).toBe(true);
});

it('keeps a compute out of the caller thread when a literal is too big to look through', () => {
  const rows = Array.from({ length: 3_000 }, (_, i) => ({ i }));
  expect(callerMayRun(graphFrom({ a: task(identity, [rows]) }))).toBe(false);
  // Many small tasks are looked through one by one.
  const many = graphFrom({});
  for (let i = 0; i < 5_000; i++) many.set(`t-${i}`, task(identity, [{ i }, [i, i]]));
  expect(callerMayRun(many)).toBe(true);
});

/** The first message in `got` that passes `is`, waiting turns of the event loop for it. */
async function nextOf(got: FromWorker[], is: (m: FromWorker) => boolean): Promise<FromWorker> {
  for (;;) {
    const m = got.find(is);
    if (m) return m;
    await new Promise((res) => setImmediate(res));
  }
}

/** The first value of the `data` reply to request `req`. */
async function replyOf(got: FromWorker[], req: number): Promise<unknown> {
  const m = await nextOf(got, (x) => x.t === 'data' && x.req === req);
  return (m as Extract<FromWorker, { t: 'data' }>).values[0];
}

it("gives another worker a copy of a result from the caller's slot, the caller its own", async () => {
  const got: FromWorker[] = [];
  const onMessage = createWorkerRuntime((m: FromWorker) => got.push(m), false, {
    onFatal: (e) => {
      throw e;
    },
  });
  const next = (is: (m: FromWorker) => boolean) => nextOf(got, is);
  const reply = (req: number) => replyOf(got, req);
  const made = new Float64Array([1, 2, 3]);
  const tasks: WireTask[] = [[0, 'a', task(identity, [quote(made)])]];
  onMessage({ t: 'run', run: '0.0', tasks, enc: false } satisfies ToWorker);
  await next((m) => m.t === 'done');
  onMessage({ t: 'send', run: '0.0', req: 1, keys: ['a'] } satisfies ToWorker);
  const sent = (await reply(1)) as Float64Array;
  expect(Array.from(sent)).toEqual([1, 2, 3]);
  expect(sent.buffer).not.toBe(made.buffer); // the pool may move this one's buffer away
  onMessage({ t: 'gather', run: '0.0', req: 2, keys: ['a'] } satisfies ToWorker);
  expect(await reply(2)).toBe(made); // no copy for the caller itself
});

it("shares the pool's copies of small results with the caller's slot, copying only those it decodes", async () => {
  const got: FromWorker[] = [];
  const slot = startCallerSlot('main', {
    message: (m) => got.push(m),
    exit: (reason) => {
      throw new Error(reason);
    },
  });
  const reply = (req: number) => replyOf(got, req);
  const run = (id: string) => slot.post({ t: 'run', run: id, tasks: [], enc: false });
  // A plain partial (an nlargest's typed arrays): the pool's own copy, not a clone of it.
  const plain = { length: 2, scores: new Float64Array([3, 1]) };
  run('0.0');
  slot.post({ t: 'put', run: '0.0', keys: ['p'], values: [plain], enc: false });
  slot.post({ t: 'gather', run: '0.0', req: 1, keys: ['p'] });
  expect(await reply(1)).toBe(plain);
  // An encoded one is decoded in place: the slot decodes a copy, and the pool's stays
  // encoded for the next worker that needs it.
  const { value: encoded } = encodeValue([new Box('b', new Float64Array([1, 2]))]);
  const values = encoded as unknown[];
  run('1.0');
  slot.post({ t: 'put', run: '1.0', keys: ['b'], values, enc: true });
  slot.post({ t: 'gather', run: '1.0', req: 2, keys: ['b'] });
  const box = (await decodeValue(await reply(2))) as Box;
  expect(box).toBeInstanceOf(Box);
  expect(box.total()).toBe(3);
  expect(isEncodedValue(values[0])).toBe(true);
});

it("tells the pool of a failure of its own instead of crashing the caller's thread", async () => {
  const fatal: unknown[] = [];
  const onMessage = createWorkerRuntime(() => {}, false, { onFatal: (e) => fatal.push(e) });
  // Not a message the pool sends: the runtime fails on it.
  onMessage({ t: 'run', run: '0.0', tasks: null, enc: false } as unknown as ToWorker);
  await new Promise((res) => setImmediate(res));
  expect(fatal).toHaveLength(1);
  expect(fatal[0]).toBeInstanceOf(TypeError);
});

it("runs its queue without yielding until a worker's message is pending, then yields after the task", async () => {
  // Twelve tasks of 1 ms; a turn of the event loop is seen as a setImmediate tick.
  const slicesOf = async (pending: () => boolean) => {
    const fatal: unknown[] = [];
    let done = 0;
    let finished!: () => void;
    const all = new Promise<void>((res) => {
      finished = res;
    });
    const onMessage = createWorkerRuntime(
      (m: FromWorker) => {
        if (m.t !== 'done') return;
        done += m.items.length / 3;
        if (done === 12) finished();
      },
      false,
      { onFatal: (e) => fatal.push(e), messagePending: pending },
    );
    const spin = toFnRef(t.spin!);
    const tasks: WireTask[] = Array.from({ length: 12 }, (_, i) => [
      i,
      `s-${i}`,
      task(spin, [i, 1]),
    ]);
    let turns = 0;
    let running = true;
    const tick = () => {
      turns++;
      if (running) setImmediate(tick);
    };
    onMessage({ t: 'run', run: '0.0', tasks, enc: false } satisfies ToWorker);
    setImmediate(tick);
    await all;
    running = false;
    expect(fatal).toEqual([]);
    return turns;
  };
  await slicesOf(() => false); // loads the tasks' module
  // 12 ms of tasks in one slice (the slot yields every 20 ms, as sync does), against a
  // turn after each task while a message waits.
  expect(await slicesOf(() => false)).toBeLessThanOrEqual(3);
  expect(await slicesOf(() => true)).toBeGreaterThanOrEqual(11);
});
