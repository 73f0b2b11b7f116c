// The threads and processes schedulers end to end: results, task errors, cancelling,
// abort, progress, pool reuse and a clean exit.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { threadId } from 'node:worker_threads';
import {
  AbortError,
  config,
  delayed,
  FunctionResolveError,
  graphFrom,
  lambdaFn,
  literal,
  moduleFn,
  ref,
  TaskError,
  task,
  toFnRef,
} from '@dusk/core';
import { closePools, compute, getPool, getScheduler, type Progress } from '@dusk/scheduler';
import { afterAll, describe, expect, it } from 'vitest';
import { t } from './fixtures/pool-tasks.mjs';

afterAll(() => closePools());

const inc = lambdaFn((x: number) => x + 1);
const fail = lambdaFn((x: number) => {
  if (x > 0) throw new RangeError(`bad value ${x}`);
  return x;
});

const prefix = { threads: 'thread', processes: 'process' } as const;

describe.each(['threads', 'processes'] as const)('%s scheduler', (name) => {
  it('runs a graph and returns the requested keys in order', async () => {
    const g = graphFrom({ a: literal(1), b: task(inc, [ref('a')]), c: task(inc, [ref('b')]) });
    expect(await getScheduler(name, { workers: 2 }).run(g, ['c', 'a'])).toEqual([3, 1]);
  });

  it('agrees with a plain loop on a wide map-reduce of lambdas and module functions', async () => {
    const sq = delayed((x: number) => x * x);
    const total = delayed((xs: number[]) => xs.reduce((a, b) => a + b, 0));
    const spun = Array.from({ length: 200 }, (_, i) => delayed(t.spin!)(sq(i), 0));
    const [r] = await compute(total(spun), { scheduler: name, workers: 2 });
    let expected = 0;
    for (let i = 0; i < 200; i++) expected += i * i;
    expect(r).toBe(expected);
  });

  it('reports the failing task key with the original message and stack', async () => {
    const g = graphFrom({ a: literal(1), b: task(fail, [ref('a')]) });
    const err = await getScheduler(name, { workers: 2 })
      .run(g, ['b'])
      .catch((e) => e);
    expect(err).toBeInstanceOf(TaskError);
    expect(err.code).toBe('E_TASK_FAILED');
    expect(err.key).toBe('b');
    expect(err.message).toMatch(
      new RegExp(`^Task 'b' failed on ${prefix[name]}-\\d+: bad value 1$`),
    );
    expect(err.originalName).toBe('RangeError');
    expect(err.originalStack).toMatch(/RangeError: bad value 1\n\s+at /);
    expect(err.stack).toMatch(/--- original stack ---\nRangeError: bad value 1/);
    expect(err.cause).toMatchObject({ name: 'RangeError', message: 'bad value 1' });
  });

  it('names a missing export of a user module before running anything, as sync does', async () => {
    const url = new URL('./fixtures/pool-tasks.mjs', import.meta.url).href;
    const ghost = delayed(moduleFn(url, 'ghost'));
    const err = await compute(ghost(1), { scheduler: name }).catch((e) => e);
    expect(err).toBeInstanceOf(FunctionResolveError);
    expect(err.message).toMatch(/has no exported function 'ghost'/);
  });

  it('refuses a result that would lose its class on the way, naming task and class', async () => {
    const make = delayed(() => {
      class Point {
        constructor(readonly x: number) {}
      }
      return { points: [new Point(1)] };
    });
    const p = make();
    const err = await compute(p, { scheduler: name }).catch((e) => e);
    expect(err.code).toBe('E_SERIALIZATION');
    expect(err.message).toBe(
      `Task '${p.key}' returned a Point instance at .points[0], which would reach another ` +
        'thread or process as a plain object without its class. Return plain data (objects, ' +
        'arrays, typed arrays, Map, Set, Date), or register a codec for Point (registerCodec ' +
        'in @dusk/core).',
    );
    const fine = delayed(() => ({ m: new Map([[1, new Date(0)]]), s: new Set(['a']) }))();
    expect(await compute(fine, { scheduler: name })).toEqual([
      { m: new Map([[1, new Date(0)]]), s: new Set(['a']) },
    ]);
  });

  it('cancels the remaining tasks when one fails', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'dusk-')), 'ran.log');
    const g = graphFrom({ bad: task(toFnRef(t.failFirst!), [0]) });
    for (let i = 1; i <= 60; i++) g.set(`slow:${i}`, task(toFnRef(t.logged!), [log, i, 20]));
    const keys = [...g.keys()];
    const err = await getScheduler(name, { workers: 2 })
      .run(g, keys)
      .catch((e) => e);
    expect(err.key).toBe('bad');
    await new Promise((r) => setTimeout(r, 300));
    const ran = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').length : 0;
    // 60 tasks of 20 ms on 2 workers need 600 ms; well under half ran.
    expect(ran).toBeLessThan(30);
  });

  it('stops promptly when aborted, and the pool still works after', async () => {
    const g = graphFrom({});
    for (let i = 0; i < 400; i++) g.set(`spin:${i}`, task(toFnRef(t.spin!), [i, 10]));
    const ac = new AbortController();
    setTimeout(() => ac.abort('user pressed stop'), 50);
    const t0 = Date.now();
    const err = await getScheduler(name, { workers: 2 })
      .run(g, [...g.keys()], { signal: ac.signal })
      .catch((e) => e);
    expect(err).toBeInstanceOf(AbortError);
    expect(err.message).toMatch(/user pressed stop/);
    expect(Date.now() - t0).toBeLessThan(1000);
    const again = graphFrom({ a: literal(1), b: task(inc, [ref('a')]) });
    expect(await getScheduler(name, { workers: 2 }).run(again, ['b'])).toEqual([2]);
  });

  it('refuses an already aborted signal', async () => {
    const g = graphFrom({ a: literal(1) });
    await expect(getScheduler(name).run(g, ['a'], { signal: AbortSignal.abort() })).rejects.toThrow(
      AbortError,
    );
  });

  it('reports progress for every task with its worker and time', async () => {
    const g = graphFrom({});
    for (let i = 0; i < 20; i++) g.set(`p:${i}`, task(toFnRef(t.spin!), [i, 1]));
    const seen: Progress[] = [];
    await getScheduler(name, { workers: 2 }).run(g, [...g.keys()], {
      onProgress: (p) => seen.push(p),
    });
    expect(seen.map((p) => p.done)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(new Set(seen.map((p) => p.key))).toEqual(new Set(g.keys()));
    expect(
      seen.every((p) => p.total === 20 && p.ms! >= 0.9 && /^(thread|process)-\d/.test(p.worker!)),
    ).toBe(true);
  });

  it('reuses one pool across computes and grows it when asked for more workers', async () => {
    const pool = getPool(name);
    await compute(delayed(t.whereAmI!)(1), { scheduler: name, workers: 2 });
    const ids = pool.workerIds();
    await compute(delayed(t.whereAmI!)(2), { scheduler: name, workers: 1 });
    expect(pool.workerIds()).toEqual(ids);
    await compute(delayed(t.whereAmI!)(3), { scheduler: name, workers: 3 });
    expect(pool.workerIds()).toEqual([...ids, `${prefix[name]}-2`]);
  });

  it('runs several computes at once on the same pool', async () => {
    const sq = delayed((x: number) => x * x);
    const total = delayed((xs: number[]) => xs.reduce((a, b) => a + b, 0));
    const jobs = [10, 20, 30].map((n) =>
      compute(total(Array.from({ length: n }, (_, i) => sq(delayed(t.spin!)(i, 1)))), {
        scheduler: name,
        workers: 2,
      }),
    );
    expect(await Promise.all(jobs)).toEqual([[285], [2470], [8555]]);
  });

  it('is chosen by config.set and by a per-call override', async () => {
    const restore = config.set({ scheduler: name, workers: 1 });
    try {
      const here = { thread: threadId, pid: process.pid };
      const where = (await delayed(t.whereAmI!)(1).compute()) as typeof here;
      expect(where).not.toMatchObject(here);
      expect(await delayed(t.whereAmI!)(2).compute({ scheduler: 'sync' })).toMatchObject(here);
    } finally {
      restore();
    }
  });

  it('fails a running compute when its pool is closed, and starts a new pool after', async () => {
    const g = graphFrom({});
    for (let i = 0; i < 50; i++) g.set(`spin:${i}`, task(toFnRef(t.spin!), [i, 20]));
    const running = getScheduler(name, { workers: 2 })
      .run(g, [...g.keys()])
      .catch((e) => e);
    await new Promise((r) => setTimeout(r, 50));
    await closePools();
    const err = await running;
    expect(err.code).toBe('E_WORKER');
    expect(err.message).toBe(`The ${prefix[name]} pool was closed while this compute ran.`);
    expect(await compute(delayed(t.spin!)(4, 0), { scheduler: name, workers: 1 })).toEqual([4]);
  });

  it('runs a compute started inside a task in that worker, not on a pool in the pool', async () => {
    const [r] = (await compute(delayed(t.nestedCompute!)(7), { scheduler: name, workers: 2 })) as [
      { outer: number; inner: { thread: number; x: number } },
    ];
    expect(r.inner).toMatchObject({ thread: r.outer, x: 7 });
  });

  it('refuses a worker count that is not a whole number of at least 1', async () => {
    for (const workers of [0, 1.5, -2]) {
      await expect(compute(delayed(t.spin!)(1, 0), { scheduler: name, workers })).rejects.toThrow(
        `compute(): workers must be a whole number of at least 1 (got ${workers}).`,
      );
    }
  });

  it('lets the Node process exit by itself after computing', async () => {
    const script = fileURLToPath(new URL('./fixtures/exit-check.mjs', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, [script, name], {
      timeout: 20_000,
    });
    expect(stdout.trim()).toBe('result 3');
  });

  it('spreads small computes started together over the workers', async () => {
    const workersUsed = async () => {
      const seen: string[] = [];
      const one = () =>
        compute(delayed(t.spin!)(30, 1), {
          scheduler: name,
          workers: 2,
          onProgress: (p: Progress) => {
            if (p.worker) seen.push(p.worker);
          },
        });
      await Promise.all([one(), one()]);
      return new Set(seen).size;
    };
    expect(await workersUsed()).toBe(2);
  });

  it('closePools() awaited at the top level of a script settles', async () => {
    const script = fileURLToPath(new URL('./fixtures/exit-check.mjs', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, [script, name, 'close'], {
      timeout: 20_000,
    });
    expect(stdout.trim()).toBe('result 3\nclosed');
  });
});
