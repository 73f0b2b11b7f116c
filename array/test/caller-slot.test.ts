// On the threads scheduler the caller's thread is one of the workers for computes of Dusk's
// own kernels, and never for user code (scheduler/src/local/caller-slot.ts).
import * as da from '@dusk/array';
import { closePools, getPool } from '@dusk/scheduler';
import { afterAll, expect, it } from 'vitest';

afterAll(() => closePools());

/** The result of `x` on threads with two workers, and which workers ran its tasks. */
async function onThreads(x: da.DuskArray): Promise<{ value: unknown; workers: Set<string> }> {
  const workers = new Set<string>();
  const onProgress = (p: { worker?: string }) => workers.add(p.worker!);
  const value = await x.compute({ scheduler: 'threads', workers: 2, onProgress } as never);
  return { value, workers };
}

it("runs Dusk's kernels in the caller's thread and one worker thread, with sync's answer", async () => {
  // 80 chunks of random numbers summed: enough work that both workers take some.
  const x = da.random.uniform(0, 1, { size: 4_000_000, chunks: 50_000, seed: 7 });
  const { value, workers } = await onThreads(x.sum());
  expect(workers).toEqual(new Set(['thread-main', 'thread-0']));
  expect(value).toBe(await x.sum().compute({ scheduler: 'sync' }));
  // A result made in the caller's thread and one made in a thread, side by side.
  const y = x.mul(2).add(x);
  const both = await onThreads(y);
  expect(both.workers.has('thread-main')).toBe(true);
  const expected = (await y.compute({ scheduler: 'sync' })) as da.NdArray;
  const bytes = (a: da.NdArray) => Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength);
  expect(bytes(both.value as da.NdArray).equals(bytes(expected))).toBe(true);
});

it('runs a compute that calls user code on worker threads only', async () => {
  const x = da.random.uniform(0, 1, { size: 400_000, chunks: 20_000, seed: 7 });
  const y = x.mapBlocks((c) => c.data.map((v: number) => v * 2), { dtype: 'float64' });
  const { value, workers } = await onThreads(y.sum());
  expect(workers.has('thread-main')).toBe(false);
  expect(workers.size).toBe(2);
  expect(value).toBe(await y.sum().compute({ scheduler: 'sync' }));
});

it("fails the computes in the caller's slot when its runtime fails, and starts a fresh one", async () => {
  const x = da.random.uniform(0, 1, { size: 20_000_000, chunks: 200_000, seed: 7 });
  const pool = getPool('threads') as unknown as {
    caller?: { post(m: unknown): void };
    runs: Map<number, unknown>;
  };
  const running = x.sum().compute({ scheduler: 'threads', workers: 2 });
  while (pool.runs.size === 0) await new Promise((res) => setImmediate(res));
  // Not a message the pool sends: the slot's runtime fails on it (a bug, not a task's error).
  pool.caller!.post({ t: 'run', run: 'bad', tasks: null, enc: false });
  await expect(running).rejects.toThrow(/slot in the calling thread died of an uncaught TypeError/);
  expect(pool.caller).toBeUndefined();
  const { value, workers } = await onThreads(x.sum());
  expect(workers.has('thread-main')).toBe(true);
  expect(value).toBe(await x.sum().compute({ scheduler: 'sync' }));
});
