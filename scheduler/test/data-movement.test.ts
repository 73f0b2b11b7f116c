// How values move: large typed arrays on shared memory cross threads without a copy,
// class-backed values cross through their codec, typed arrays reach processes intact.
import { delayed, graphFrom, lambdaFn, literal, ref, task, toFnRef } from '@dusk/core';
import { closePools, compute, getPool, getScheduler } from '@dusk/scheduler';
import { afterAll, describe, expect, it } from 'vitest';
import { Box, t } from './fixtures/pool-tasks.mjs';

afterAll(() => closePools());

describe('data movement', () => {
  it('shares a large result between worker threads and the caller instead of copying it', async () => {
    // One big array on shared memory and ten slow tasks that each write a mark into it:
    // the thief runs some of them on the other thread. If any thread got a copy, its marks
    // would be missing from the array the caller gets.
    const n = 100_000;
    const g = graphFrom({ big: task(toFnRef(t.bigShared!), [n]) });
    for (let i = 0; i < 10; i++)
      g.set(`mark:${i}`, task(toFnRef(t.markShared!), [ref('big'), i, 30]));
    const keys = ['big', ...Array.from({ length: 10 }, (_, i) => `mark:${i}`)];
    const before = { ...getPool('threads').stats };
    const [big, ...where] = (await getScheduler('threads', { workers: 2 }).run(g, keys)) as [
      Float64Array,
      ...{ thread: number }[],
    ];
    expect(big.buffer).toBeInstanceOf(SharedArrayBuffer);
    // The relay saw the array go to the other thread on shared memory, copying nothing big.
    const stats = getPool('threads').stats;
    expect(stats.relayedSharedBytes - before.relayedSharedBytes).toBeGreaterThanOrEqual(8 * n);
    expect(stats.relayedPlainBytes - before.relayedPlainBytes).toBeLessThan(1024);
    expect(new Set(where.map((w) => w.thread)).size).toBe(2);
    for (let i = 0; i < 10; i++) expect(big[i]).toBe(-1 - i);
    expect(big[10]).toBe(10);
    expect(big[n - 1]).toBe(n - 1);
  });

  it('hands ordinary buffers between threads intact (copied once, then transferred)', async () => {
    const n = 200_000;
    const g = graphFrom({ big: task(toFnRef(t.bigPlain!), [n]) });
    for (let i = 0; i < 10; i++) g.set(`sum:${i}`, task(toFnRef(t.sumSlowly!), [ref('big'), 30]));
    const keys = ['big', ...Array.from({ length: 10 }, (_, i) => `sum:${i}`)];
    const [big, ...sums] = (await getScheduler('threads', { workers: 2 }).run(g, keys)) as [
      Float64Array,
      ...{ thread: number; sum: number; shared: boolean }[],
    ];
    expect(new Set(sums.map((s) => s.thread)).size).toBe(2);
    for (const s of sums) expect(s).toMatchObject({ sum: (n * (n - 1)) / 2, shared: false });
    expect(big.length).toBe(n);
    expect(big[n - 1]).toBe(n - 1);
  });

  it('moves typed arrays between processes as bytes, keeping their type', async () => {
    const g = graphFrom({
      a: task(toFnRef(t.bigShared!), [50_000]),
      b: literal(new Int32Array([1, 2, 3])),
      c: task(
        toFnRef((x: Float64Array, y: Int32Array) => x[49_999]! + y[2]!),
        [ref('a'), ref('b')],
      ),
    });
    const [a, b, c] = (await getScheduler('processes', { workers: 2 }).run(g, ['a', 'b', 'c'])) as [
      Float64Array,
      Int32Array,
      number,
    ];
    expect(a).toBeInstanceOf(Float64Array);
    expect(a.length).toBe(50_000);
    expect(a[12_345]).toBe(12_345);
    expect(b).toEqual(new Int32Array([1, 2, 3]));
    expect(c).toBe(50_002);
  });

  it.each(['threads', 'processes'])('sends values through their codec on %s', async (name) => {
    const box = delayed(t.makeBox!)('b', 4);
    const given = new Box('given', new Float64Array([1, 2]));
    const label = delayed(t.boxTotal!)(box);
    const inGraph = delayed(t.boxTotal!)(delayed(given));
    const [out, text, text2] = await compute(box, label, inGraph, { scheduler: name, workers: 2 });
    expect(out).toBeInstanceOf(Box);
    expect((out as Box).total()).toBe(6);
    expect(text).toBe('b:6');
    expect(text2).toBe('given:3');
  });

  it('lets small releases ride on the next run message, but frees a large result at once', async () => {
    const add = toFnRef((...xs: number[]) => xs.reduce((a, b) => a + b, 0));
    const g = graphFrom({});
    for (let i = 0; i < 40; i++) g.set(`x:${i}`, task(toFnRef(t.spin!), [i, 1]));
    for (let j = 0; j < 4; j++)
      g.set(
        `s:${j}`,
        task(
          add,
          Array.from({ length: 10 }, (_, i) => ref(`x:${j * 10 + i}`)),
        ),
      );
    g.set(
      'total',
      task(
        add,
        [0, 1, 2, 3].map((j) => ref(`s:${j}`)),
      ),
    );
    const pool = getPool('threads');
    const released = () => pool.stats.posted.release ?? 0;
    const before = released();
    expect(await getScheduler('threads', { workers: 2 }).run(g, ['total'])).toEqual([780]);
    expect(released() - before).toBe(0);

    // A 1.6 MB intermediate, read by one task while the other worker is still busy: no run
    // goes to its worker after that, so it is released by a message of its own.
    const big = graphFrom({
      big: task(toFnRef(t.bigShared!), [200_000]),
      slow: task(toFnRef(t.spin!), [1, 300]),
    });
    big.set('sum', task(toFnRef(t.sumSlowly!), [ref('big'), 0]));
    const before2 = released();
    const [sum] = (await getScheduler('threads', { workers: 2 }).run(big, ['sum', 'slow'])) as [
      { sum: number },
    ];
    expect(sum.sum).toBe((200_000 * 199_999) / 2);
    expect(released() - before2).toBeGreaterThanOrEqual(1);
  });
});

describe('small results sent back with their reports', () => {
  it('hands the last combine its inputs and the caller its outputs without asking a worker', async () => {
    // A tree over eight slow leaves: each worker runs four leaves and their combine step,
    // then the top step needs the other worker's step. Both steps are small, so the pool
    // has copies of them when it places the top step, and a copy of the small total when
    // the compute ends.
    const add = lambdaFn((x: { n: number }, y: { n: number }) => ({ n: x.n + y.n }));
    const add4 = lambdaFn((...xs: { n: number }[]) => ({ n: xs.reduce((a, x) => a + x.n, 0) }));
    const g = graphFrom({
      total: task(add, [ref('step:0'), ref('step:1')]),
      'step:0': task(
        add4,
        [0, 1, 2, 3].map((i) => ref(`leaf:${i}`)),
      ),
      'step:1': task(
        add4,
        [4, 5, 6, 7].map((i) => ref(`leaf:${i}`)),
      ),
    });
    for (let i = 0; i < 8; i++) g.set(`leaf:${i}`, task(toFnRef(t.spin!), [{ n: i }, 20]));
    const pool = getPool('threads');
    const before = { ...pool.stats, gather: pool.stats.posted.gather ?? 0 };
    const [total] = await getScheduler('threads', { workers: 2 }).run(g, ['total']);
    expect(total).toEqual({ n: 28 });
    // The top step's input from the other worker, and the total: both from copies. (A
    // leaf moved by stealing would still be asked for: leaves are not sent back.)
    expect(pool.stats.fromCopies - before.fromCopies).toBe(2);
    expect((pool.stats.posted.gather ?? 0) - before.gather).toBe(0);
  });

  it('still asks the worker for a result too large to come back', async () => {
    const g = graphFrom({ big: task(toFnRef(t.bigPlain!), [10_000]) });
    const pool = getPool('threads');
    const gathers = () => pool.stats.posted.gather ?? 0;
    const before = gathers();
    const copies = pool.stats.fromCopies;
    const [big] = (await getScheduler('threads', { workers: 2 }).run(g, ['big'])) as [Float64Array];
    expect(big.length).toBe(10_000);
    expect(gathers() - before).toBe(1);
    expect(pool.stats.fromCopies).toBe(copies);
  });
});
