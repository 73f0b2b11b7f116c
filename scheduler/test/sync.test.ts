import { AbortError, graphFrom, lambdaFn, literal, ref, TaskError, task } from '@dusk/core';
import { compute, delayed, getScheduler, registerScheduler, SyncScheduler } from '@dusk/scheduler';
import { describe, expect, it } from 'vitest';

const inc = lambdaFn((x: number) => x + 1);
const fail = lambdaFn((x: number) => {
  if (x > 0) throw new RangeError(`bad value ${x}`);
  return x;
});

describe('sync scheduler', () => {
  it('runs a graph and returns the requested keys in order', async () => {
    const g = graphFrom({ a: literal(1), b: task(inc, [ref('a')]), c: task(inc, [ref('b')]) });
    expect(await new SyncScheduler().run(g, ['c', 'a'])).toEqual([3, 1]);
  });

  it('reports the failing task key with the original message and stack', async () => {
    const g = graphFrom({ a: literal(1), b: task(fail, [ref('a')]) });
    const err = await new SyncScheduler().run(g, ['b']).catch((e) => e);
    expect(err).toBeInstanceOf(TaskError);
    expect(err.key).toBe('b');
    expect(err.code).toBe('E_TASK_FAILED');
    expect(err.message).toBe("Task 'b' failed: bad value 1");
    expect(err.originalName).toBe('RangeError');
    expect(err.originalStack).toMatch(/RangeError: bad value 1/);
    expect(err.cause).toBeInstanceOf(RangeError);
  });

  it('reports an error from a fused task with the key of the chain', async () => {
    const f = delayed((x: number) => {
      if (x > 1) throw new Error('too big');
      return x;
    });
    const inc1 = delayed((x: number) => x + 1);
    const out = f(inc1(inc1(0)));
    await expect(out.compute()).rejects.toMatchObject({ key: out.key, code: 'E_TASK_FAILED' });
  });

  it('awaits async tasks, also inside fused chains', async () => {
    const slow = delayed(async (x: number) => {
      await new Promise((r) => setTimeout(r, 5));
      return x * 2;
    });
    const inc1 = delayed((x: number) => x + 1);
    expect(await inc1(slow(slow(1))).compute()).toBe(5);
  });

  it('reports progress for every task', async () => {
    const g = graphFrom({ a: literal(1), b: task(inc, [ref('a')]), c: task(inc, [ref('b')]) });
    const seen: string[] = [];
    await new SyncScheduler().run(g, ['c'], {
      onProgress: (p) => seen.push(`${p.done}/${p.total}:${p.key}`),
    });
    expect(seen).toEqual(['1/3:a', '2/3:b', '3/3:c']);
  });

  it('stops promptly when aborted', async () => {
    const spin = lambdaFn((i: number) => {
      const end = Date.now() + 2;
      while (Date.now() < end);
      return i;
    });
    const nodes: Record<string, any> = {};
    for (let i = 0; i < 5000; i++) nodes[`t:${i}`] = task(spin, [i]);
    const ac = new AbortController();
    setTimeout(() => ac.abort('user pressed stop'), 50);
    const t0 = Date.now();
    const err = await new SyncScheduler()
      .run(graphFrom(nodes), Object.keys(nodes), { signal: ac.signal })
      .catch((e) => e);
    expect(err).toBeInstanceOf(AbortError);
    expect(err.message).toMatch(/user pressed stop/);
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('refuses an already aborted signal', async () => {
    const g = graphFrom({ a: literal(1) });
    await expect(
      new SyncScheduler().run(g, ['a'], { signal: AbortSignal.abort() }),
    ).rejects.toThrow(AbortError);
  });

  it('is found by name, and unknown names list the available ones', () => {
    expect(getScheduler('sync').name).toBe('sync');
    expect(() => getScheduler('nope')).toThrow(/Unknown scheduler 'nope'. Available: .*sync/);
    expect(() => registerScheduler('sync', () => new SyncScheduler())).toThrow(
      /already registered/,
    );
  });

  it('compute() rejects things that are not collections', async () => {
    await expect(compute(42 as any)).rejects.toThrow(/argument 0 is not a Dusk collection/);
  });
});
