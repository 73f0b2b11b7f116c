// persist() on the processes pool and on a cluster keeps the partitions on the workers:
// later computes send no partition bytes, give what sync gives (also when another
// scheduler reads them), drop them when the persisted collection is collected, and fail
// with E_HELD_LOST naming the key and the worker when the worker holding them died.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { delayed } from '@dusk/core';
import {
  closeConnections,
  closePools,
  compute,
  getPool,
  HeldDataLostError,
  LocalCluster,
  persist,
} from '@dusk/scheduler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const N = 100_000;
const make = delayed((i: number, n: number) => new Float64Array(n).fill(i + 1));
const total = delayed((a: Float64Array) => a.reduce((s, x) => s + x, 0));
const add = delayed((...xs: number[]) => xs.reduce((s, x) => s + x, 0));
const pidOf = delayed((i: number) => ({ i, pid: process.pid }));
const parts = () => Array.from({ length: 4 }, (_, i) => make(i, N));
const expected = N * (1 + 2 + 3 + 4);

afterAll(() => closePools());

describe('persist on the processes pool', () => {
  const opts = { scheduler: 'processes', workers: 2 };

  it('keeps partitions on the workers: later computes send none of their bytes', async () => {
    const pool = getPool('processes');
    const held = await persist(...parts(), opts);
    const heldBytes = pool.heldBytes();
    expect(heldBytes.reduce((a, b) => a + b, 0)).toBe(4 * 8 * N);
    for (let round = 0; round < 2; round++) {
      const sent = pool.stats.taskBytes;
      const relayed = pool.stats.relayedPlainBytes;
      expect(await compute(add(...held.map((h) => total(h))), opts)).toEqual([expected]);
      expect(pool.stats.taskBytes - sent).toBe(0);
      expect(pool.stats.relayedPlainBytes - relayed).toBeLessThan(1024);
    }
    expect(await compute(add(...held.map((h) => total(h))), { scheduler: 'sync' })).toEqual([
      expected,
    ]);
  });

  it('hands held values to sync and threads, and back out as outputs', async () => {
    const held = await persist(...parts(), opts);
    const [a] = (await compute(held[2]!, { scheduler: 'sync' })) as [Float64Array];
    expect(a).toEqual(new Float64Array(N).fill(3));
    const [b] = (await compute(held[3]!, opts)) as [Float64Array];
    expect(b).toEqual(new Float64Array(N).fill(4));
    expect(await compute(add(...held.map((h) => total(h))), { scheduler: 'threads' })).toEqual([
      expected,
    ]);
  });

  it('persists a persisted collection again without a second copy', async () => {
    const pool = getPool('processes');
    const start = pool.heldBytes().reduce((a, b) => a + b, 0);
    const [x] = await persist(make(9, N), opts);
    const [y] = await persist(x!, opts);
    expect(pool.heldBytes().reduce((a, b) => a + b, 0) - start).toBe(8 * N);
    expect(await compute(total(y!), opts)).toEqual([10 * N]);
  });

  it('drops held partitions once the persisted collection is garbage collected', async () => {
    const script = fileURLToPath(new URL('./fixtures/held-gc.mjs', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', script], {
      timeout: 30_000,
    });
    const got = JSON.parse(stdout.trim());
    expect(got.sum).toBe(3);
    expect(got.before.reduce((a: number, b: number) => a + b, 0)).toBe(2 * 8 * 10_000);
    expect(got.after).toEqual([0, 0]);
    expect(got.drops).toBeGreaterThanOrEqual(1);
  });

  it('fails with E_HELD_LOST naming the key and the worker when its holder died', async () => {
    const [held] = await persist(pidOf(1), opts);
    const [{ pid }] = (await compute(held!, { scheduler: 'sync' })) as [{ pid: number }];
    const pool = getPool('processes');
    const ids = pool.workerIds();
    process.kill(pid, 'SIGKILL');
    for (let i = 0; i < 100 && pool.heldBytes().some((b) => b > 0); i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const use = delayed((x: { i: number }) => x.i + 1)(held);
    const err = await compute(use, opts).catch((e) => e);
    expect(err).toBeInstanceOf(HeldDataLostError);
    expect(err.code).toBe('E_HELD_LOST');
    const key = (held as unknown as { key: string }).key;
    expect(err.message).toContain(`'${key}'`);
    expect(ids.some((id) => err.message.includes(id))).toBe(true);
    expect(err.message).toContain('persist the collection again');
    // The same work persisted afresh runs on the replacement worker.
    const [again] = await persist(pidOf(1), opts);
    expect(await compute(delayed((x: { i: number }) => x.i + 1)(again), opts)).toEqual([2]);
  });
});

describe('persist on a local cluster', () => {
  let cluster: LocalCluster;
  let opts: { scheduler: string; address: string };

  beforeAll(async () => {
    cluster = await LocalCluster.start({ workers: 2 });
    opts = { scheduler: 'distributed', address: cluster.address };
  });
  afterAll(async () => {
    await closeConnections();
    await cluster.close();
  });

  const heldTotal = () => [...cluster.server.pool.heldBytes().values()].reduce((a, b) => a + b, 0);

  it('keeps partitions on the worker threads and computes on them where they are', async () => {
    const held = await persist(...parts(), opts);
    expect(heldTotal()).toBe(4 * 8 * N);
    expect(await compute(add(...held.map((h) => total(h))), opts)).toEqual([expected]);
    expect(await compute(add(...held.map((h) => total(h))), { ...opts, workers: 1 })).toEqual([
      expected,
    ]);
    expect(await compute(add(...held.map((h) => total(h))), { scheduler: 'sync' })).toEqual([
      expected,
    ]);
    expect(await compute(add(...held.map((h) => total(h))), { scheduler: 'processes' })).toEqual([
      expected,
    ]);
  });

  it('drops what a client persisted when it disconnects', async () => {
    const [held] = await persist(make(5, N), opts);
    expect(heldTotal()).toBeGreaterThan(0);
    await closeConnections();
    for (let i = 0; i < 100 && heldTotal() > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(heldTotal()).toBe(0);
    await expect(compute(total(held!), opts)).rejects.toMatchObject({ code: 'E_HELD_LOST' });
  });
});
