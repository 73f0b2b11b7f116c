// The scheduler server's pool with no socket: worker threads are in-process worker
// runtimes behind fake handles, so threads can leave and join at chosen moments. Also
// the pure slot choices it makes.
import { graphFrom, lambdaFn, literal, ref, task } from '@dusk/core';
import { SyncScheduler } from '@dusk/scheduler';
import { describe, expect, it } from 'vitest';
import { ClusterPool } from '../src/distributed/cluster-pool.js';
import { parseWireRun, pickReplacement, pickSlots, wireRun } from '../src/distributed/slots.js';
import type { FromWorker, ToWorker } from '../src/local/protocol.js';
import type { WorkerHandle } from '../src/local/transport.js';
import { createWorkerRuntime } from '../src/local/worker-runtime.js';

describe('slot choices', () => {
  it('takes the least loaded threads, in joining order on ties', () => {
    expect(pickSlots([3, 0, 1, 0])).toEqual([1, 3, 2, 0]);
    expect(pickSlots([3, 0, 1, 0], 2)).toEqual([1, 3]);
    expect(pickSlots([1], 5)).toEqual([0]);
  });

  it('gives a lost slot to an unused thread first, else to the least loaded', () => {
    expect(pickReplacement([0, 5, 2], new Set([0]))).toBe(2);
    expect(pickReplacement([4, 1], new Set([0, 1]))).toBe(1);
    expect(pickReplacement([], new Set())).toBeUndefined();
  });

  it('puts the slot in the run id a thread sees, and reads it back', () => {
    expect(wireRun('4.0', 1)).toBe('4.0:1');
    expect(parseWireRun('4.0:1')).toEqual({ compute: 4, run: '4.0', slot: 1 });
    expect(parseWireRun('4.0')).toBeUndefined();
    expect(parseWireRun('x.0:1')).toBeUndefined();
  });
});

/** A worker thread in this process; messages cross on later turns, as on a socket. */
function fakeThread(pool: ClusterPool, id: string): WorkerHandle & { gone: boolean } {
  const handle = {
    id,
    gone: false,
    post: (msg: ToWorker) => setImmediate(() => handle.gone || onMessage(structuredClone(msg))),
    ref: () => {},
    unref: () => {},
    terminate: async () => {},
  };
  const onMessage = createWorkerRuntime(
    (m: FromWorker) => setImmediate(() => handle.gone || pool.route(handle, m)),
    false,
  );
  return handle;
}

const spin = lambdaFn((x: number, ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end);
  return x;
});
const sum = lambdaFn((...xs: number[]) => xs.reduce((a, b) => a + b, 0));

function sumGraph(n: number, ms: number) {
  const nodes: Record<string, any> = { base: literal(1) };
  for (let i = 0; i < n; i++) nodes[`part-${i}`] = task(spin, [i, ms]);
  nodes.total = task(sum, [ref('base'), ...Array.from({ length: n }, (_, i) => ref(`part-${i}`))]);
  return graphFrom(nodes);
}
const expected = 1 + (19 * 20) / 2;

describe('cluster pool', () => {
  const options = { workerWaitMs: 2_000, retryLimit: 3 };

  it('runs a graph on the threads it started with, as sync does', async () => {
    const pool = new ClusterPool(options);
    for (const id of ['a/0', 'b/0']) pool.join(fakeThread(pool, id));
    const graph = sumGraph(20, 0);
    const want = await new SyncScheduler().run(graph, ['total']);
    expect(await pool.run({ graph, keys: ['total'], encoded: false })).toEqual(want);
    expect(want).toEqual([expected]);
  });

  it('hands a slot whose thread left to a connected thread; the lost tasks run again', async () => {
    const pool = new ClusterPool(options);
    const a = fakeThread(pool, 'a/0');
    const b = fakeThread(pool, 'b/0');
    pool.join(a);
    pool.join(b);
    const seen: string[] = [];
    const work = pool.run({
      graph: sumGraph(20, 3),
      keys: ['total'],
      encoded: false,
      onProgress: (p) => {
        seen.push(p.worker!);
        if (seen.length === 3) {
          a.gone = true;
          pool.leave(a, 'lost its connection');
        }
      },
    });
    expect(await work).toEqual([expected]);
    expect(pool.threadIds()).toEqual(['b/0']);
    expect(seen.slice(3).every((w) => w === 'b/0')).toBe(true);
  });

  it('keeps a slot with no thread left waiting until a thread joins', async () => {
    const pool = new ClusterPool(options);
    const a = fakeThread(pool, 'a/0');
    pool.join(a);
    let left = false;
    const work = pool.run({
      graph: sumGraph(6, 2),
      keys: ['total'],
      encoded: false,
      onProgress: () => {
        if (left) return;
        left = true;
        a.gone = true;
        pool.leave(a, 'lost its connection');
        setTimeout(() => pool.join(fakeThread(pool, 'c/0')), 50);
      },
    });
    expect(await work).toEqual([1 + 15]);
  });

  it('fails with E_WORKER when no thread comes to take a slot over in time', async () => {
    const pool = new ClusterPool({ ...options, workerWaitMs: 50 });
    const a = fakeThread(pool, 'a/0');
    pool.join(a);
    const work = pool.run({ graph: sumGraph(6, 20), keys: ['total'], encoded: false });
    setTimeout(() => {
      a.gone = true;
      pool.leave(a, 'lost its connection');
    }, 5);
    await expect(work).rejects.toMatchObject({
      code: 'E_WORKER',
      message: expect.stringContaining('no worker joined within 50 ms'),
    });
  });

  it('fails a compute with E_NO_WORKERS when no worker joins at all', async () => {
    const pool = new ClusterPool({ ...options, workerWaitMs: 30 });
    const work = pool.run({ graph: sumGraph(1, 0), keys: ['total'], encoded: false });
    await expect(work).rejects.toMatchObject({ code: 'E_NO_WORKERS' });
  });
});
